//! Domain enums in TEXT columns. A row field typed as a domain enum is decoded through
//! [`Spelled`] (`#[sqlx(try_from = "Spelled<Channel>")]`), so a value no variant spells fails
//! the row with `ColumnDecode` whose source is the domain's `UnknownValue` (which set, which
//! value) on both backends. Writes bind the enum's `as_str()`.
//!
//! Why a wrapper and not `try_from = "String"`: sqlx 0.8's `FromRow` derive boxes a `TryFrom`
//! error as "unprintable error", losing which value was refused; errors from `Decode` keep
//! their source. And the `Decode` impl cannot sit on the domain enums themselves without making
//! `domain` depend on sqlx.

use domain::UnknownValue;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Type};

/// A domain enum read from its text spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spelled<T>(pub T);

impl<T, DB: Database> Type<DB> for Spelled<T>
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl<'r, T, DB: Database> Decode<'r, DB> for Spelled<T>
where
    String: Decode<'r, DB>,
    T: TryFrom<String, Error = UnknownValue>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, DB>>::decode(value)?;
        Ok(Spelled(T::try_from(text)?))
    }
}

/// `From<Spelled<T>> for T`, per enum (the orphan rule allows no blanket one).
macro_rules! unwrap_spelled {
    ($($ty:ty),*) => {$(
        impl From<Spelled<$ty>> for $ty {
            fn from(s: Spelled<$ty>) -> $ty {
                s.0
            }
        }
    )*};
}

unwrap_spelled!(
    domain::share::Channel,
    domain::share::Layout,
    domain::share::RecipientStatus,
    domain::room::Role,
    domain::poll::PollKind
);
