//! The embedded Pretendard faces (OFL, from the npm `pretendard` package; see `assets/fonts/`).
//!
//! Rendering must not depend on the host, so the fonts are compiled in, loaded into a private
//! fontdb for resvg, and opened once more for shaping (harfrust) and coverage/metrics (skrifa).
//! Immutable embedded data: parsed once, on first use.

use std::sync::{Arc, LazyLock};

use harfrust::{ShapeOptions, ShaperData, UnicodeBuffer};
use resvg::usvg::fontdb;
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::error::RenderError;

pub const REGULAR_OTF: &[u8] = include_bytes!("../../../assets/fonts/Pretendard-Regular.otf");
pub const BOLD_OTF: &[u8] = include_bytes!("../../../assets/fonts/Pretendard-Bold.otf");

/// The family name both faces declare; the SVG refers to it.
pub const FAMILY: &str = "Pretendard";

/// Which face a text run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// The CSS weight written into the SVG.
    pub fn css(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::Bold => 700,
        }
    }
}

/// One face, opened for shaping and metrics.
pub struct Face {
    pub data: &'static [u8],
    font: harfrust::FontRef<'static>,
    shaper_data: ShaperData,
    charmap_font: skrifa::FontRef<'static>,
    upem: f32,
    /// Ascender above the baseline, in em.
    pub ascent: f32,
    /// Descender below the baseline, in em (positive).
    pub descent: f32,
}

impl Face {
    fn open(data: &'static [u8]) -> Option<Self> {
        let font = harfrust::FontRef::from_index(data, 0).ok()?;
        let shaper_data = ShaperData::new(&font);
        let charmap_font = skrifa::FontRef::new(data).ok()?;
        let metrics = charmap_font.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em);
        if upem <= 0.0 {
            return None;
        }
        Some(Self {
            data,
            font,
            shaper_data,
            charmap_font,
            upem,
            ascent: metrics.ascent / upem,
            descent: -metrics.descent / upem,
        })
    }

    /// The advance width of `text` at `size` px, shaped as usvg shapes it (kerning on, one run).
    pub fn advance(&self, text: &str, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let shaper = self.shaper_data.shaper(&self.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let out = shaper.shape(buffer, ShapeOptions::new());
        let units: i64 = out.glyph_positions().iter().map(|p| i64::from(p.x_advance)).sum();
        units as f32 * size / self.upem
    }

    /// The glyph ids `text` shapes to (0 is .notdef: a missing glyph).
    pub fn glyph_ids(&self, text: &str) -> Vec<u32> {
        let shaper = self.shaper_data.shaper(&self.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let out = shaper.shape(buffer, ShapeOptions::new());
        out.glyph_infos().iter().map(|g| g.glyph_id).collect()
    }

    /// True when the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.charmap_font
            .charmap()
            .map(c)
            .is_some_and(|g| g.to_u32() != 0)
    }
}

/// Both faces plus the fontdb resvg draws from.
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
    pub db: Arc<fontdb::Database>,
}

impl Fonts {
    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    db.load_font_data(REGULAR_OTF.to_vec());
    db.load_font_data(BOLD_OTF.to_vec());
    db.set_sans_serif_family(FAMILY);
    if db.len() != 2 {
        return None;
    }
    Some(Fonts {
        regular: Face::open(REGULAR_OTF)?,
        bold: Face::open(BOLD_OTF)?,
        db: Arc::new(db),
    })
});

/// The embedded fonts (loaded on first call).
pub fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS.as_ref().ok_or(RenderError::Font)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_load_with_the_expected_family() {
        let f = fonts().unwrap();
        for face in f.db.faces() {
            assert!(
                face.families.iter().any(|(name, _)| name == FAMILY),
                "{:?}",
                face.families
            );
        }
        assert!(f.regular.ascent > 0.5 && f.regular.descent > 0.1);
    }

    #[test]
    fn hangul_is_covered_and_emoji_is_not() {
        let f = fonts().unwrap();
        assert!(f.regular.covers('같') && f.bold.covers('이') && f.regular.covers('…'));
        assert!(!f.regular.covers('🎄'));
        assert!(f.bold.advance("가나다", 40.0) > f.bold.advance("가나", 40.0));
    }
}
