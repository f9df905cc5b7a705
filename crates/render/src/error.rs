//! The render crate's one error type.

/// Why an image could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded font could not be loaded")]
    Font,
    #[error("unknown time zone {0:?}")]
    TimeZone(String),
    #[error("event {0:?} is not in the schedule")]
    EventNotFound(String),
    #[error("date out of range")]
    DateRange,
    #[error("image size {0}x{1} is not supported")]
    Size(u32, u32),
    #[error("svg: {0}")]
    Svg(String),
    #[error("png encoding: {0}")]
    Png(String),
}

impl From<jiff::Error> for RenderError {
    fn from(_: jiff::Error) -> Self {
        Self::DateRange
    }
}
