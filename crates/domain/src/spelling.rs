//! How the domain's closed sets of names (share channel and status, layout, role, poll kind and
//! answer) are spelled as text, once for every boundary that stores or sends them.
//!
//! The spelling itself comes from strum's derives on each enum (the database and JSON strings,
//! exactly as stored before these were enums). This module adds what strum does not: a typed
//! error that says which set an unknown value was meant for, the `TryFrom<String>` that storage's
//! row decoding uses (so a bad row becomes a decode error, never a panic or a silent default),
//! and comparisons with plain text for the places where the text is what is at hand.

/// A value that is not one of the names of its set, e.g. a row written by a newer version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}: {value:?}")]
pub struct UnknownValue {
    /// Which set the value was meant for (`share channel`, `room role`, …).
    pub what: &'static str,
    pub value: String,
}

/// Implements the text side of a strum-derived enum (which must derive `EnumString` and
/// `IntoStaticStr`): `as_str`, `TryFrom<String>` with [`UnknownValue`], and `== "text"`.
macro_rules! spelled {
    ($ty:ty, $what:literal) => {
        impl $ty {
            /// The stored and wire spelling.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::spelling::UnknownValue;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                value
                    .parse()
                    .map_err(|_| $crate::spelling::UnknownValue { what: $what, value })
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

pub(crate) use spelled;

#[cfg(test)]
pub(crate) mod tests {
    use std::fmt::{Debug, Display};
    use std::str::FromStr;

    use strum::IntoEnumIterator;

    /// Every variant spells to `expected` (in order) through Display, `as_str`-like `Into`,
    /// serde and back through `FromStr`, `TryFrom<String>` and serde; an unknown or differently
    /// cased string is refused with the set's name.
    pub fn round_trips<T>(expected: &[&str], what: &str, as_str: fn(T) -> &'static str)
    where
        T: IntoEnumIterator
            + Copy
            + Debug
            + PartialEq
            + Display
            + FromStr
            + TryFrom<String, Error = super::UnknownValue>
            + serde::Serialize
            + serde::de::DeserializeOwned,
    {
        let all: Vec<T> = T::iter().collect();
        let spelled: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
        assert_eq!(spelled, expected);
        for v in all {
            let s = as_str(v);
            assert_eq!(v.to_string(), s);
            assert_eq!(s.parse::<T>().ok(), Some(v));
            assert_eq!(T::try_from(s.to_owned()), Ok(v));
            assert_eq!(serde_json::to_string(&v).ok(), Some(format!("\"{s}\"")));
            assert_eq!(serde_json::from_str::<T>(&format!("\"{s}\"")).ok(), Some(v));
            let upper = s.to_uppercase();
            assert!(upper.parse::<T>().is_err(), "{upper} is not {v:?}");
        }
        for bad in ["", "nope", " queued"] {
            let err = T::try_from(bad.to_owned()).err();
            assert_eq!(
                err.map(|e| (e.what, e.value)),
                Some((what, bad.to_owned())),
                "{bad:?}"
            );
            assert!(serde_json::from_str::<T>(&format!("\"{bad}\"")).is_err());
        }
    }
}
