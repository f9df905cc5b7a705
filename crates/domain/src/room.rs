//! Rooms, the pure part: the role a member holds (one owner, 방장, per room; everyone else a
//! member), spelled as it is stored and sent.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use crate::spelling::spelled;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Owner,
    Member,
}
spelled!(Role, "room role");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spelling::tests::round_trips;

    #[test]
    fn roles_round_trip_as_stored() {
        round_trips(&["owner", "member"], "room role", Role::as_str);
    }
}
