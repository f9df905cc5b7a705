//! Colours shared by the layouts: calm neutrals, one accent, Korean calendar conventions
//! (Sundays and holidays red, Saturdays blue) and a small palette for events.

use crate::scene::Color;

pub const BACKGROUND: Color = Color(0xF3F4F8);
pub const SURFACE: Color = Color(0xFFFFFF);
pub const INK: Color = Color(0x1C2030);
pub const MUTED: Color = Color(0x6B7285);
pub const FAINT: Color = Color(0xA3A9B8);
pub const LINE: Color = Color(0xE4E6EE);
pub const SUBTLE: Color = Color(0xF7F8FB);
pub const ACCENT: Color = Color(0x5A4FE0);
pub const ACCENT_SOFT: Color = Color(0xECEAFE);
pub const ON_ACCENT: Color = Color(0xFFFFFF);
pub const SUNDAY: Color = Color(0xE5484D);
pub const SUNDAY_SOFT: Color = Color(0xFDECEC);
pub const SATURDAY: Color = Color(0x2F6FEB);
pub const OUTSIDE: Color = Color(0xC6CAD4);
/// Today's column in the timetable.
pub const TODAY_TINT: Color = Color(0xF6F5FF);

/// An event's colours: a soft fill, a strong edge, and the text on the fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventColors {
    pub fill: Color,
    pub edge: Color,
    pub ink: Color,
}

const PALETTE: [EventColors; 6] = [
    EventColors {
        fill: Color(0xE8E6FD),
        edge: Color(0x5A4FE0),
        ink: Color(0x2B2475),
    },
    EventColors {
        fill: Color(0xDDF3E6),
        edge: Color(0x1F9D55),
        ink: Color(0x14532D),
    },
    EventColors {
        fill: Color(0xFDEFD9),
        edge: Color(0xD97706),
        ink: Color(0x78350F),
    },
    EventColors {
        fill: Color(0xFBE3EE),
        edge: Color(0xD6336C),
        ink: Color(0x7A1D43),
    },
    EventColors {
        fill: Color(0xDCEEFB),
        edge: Color(0x1C7ED6),
        ink: Color(0x0B3D6B),
    },
    EventColors {
        fill: Color(0xE6F4F1),
        edge: Color(0x0F8B8D),
        ink: Color(0x114B4C),
    },
];

/// A stable colour for an event, chosen from its id (FNV-1a, so it never changes between runs).
pub fn event_colors(id: &str) -> EventColors {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    PALETTE[(h as usize) % PALETTE.len()]
}
