//! Gachi's domain: the rules of rooms, events and time, with no I/O.
//!
//! Everything here is plain data and pure functions so that the web app, the storage layer,
//! the renderer and the Kakao sandbox can share one meaning of "an event" and "now".
#![forbid(unsafe_code)]

pub mod clock;
pub mod dates;
pub mod event;
pub mod event_input;
pub mod holidays;
pub mod poll;
pub mod recurrence;
pub mod room;
pub mod share;
mod spelling;
pub mod text;

pub use spelling::UnknownValue;
