//! SVG → pixels (resvg, embedded fonts only) → PNG bytes (`png` crate, fast compression).
//!
//! tiny-skia's own encoder is ~10× slower than `png` at `Compression::Fast` and dominated the
//! render time (rust-stack 2.10), so the pixmap is encoded here as opaque RGB.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

use crate::error::RenderError;
use crate::fonts::{FAMILY, fonts};

/// Draws `svg` at `width`×`height` and returns the RGB pixels (row-major, 3 bytes a pixel).
pub fn rasterize_rgb(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, RenderError> {
    let f = fonts()?;
    let options = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: f.db.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::Svg(e.to_string()))?;
    let mut pixmap = Pixmap::new(width, height).ok_or(RenderError::Size(width, height))?;
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    // The background is opaque, so premultiplied RGBA is plain RGBA and alpha can go.
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for px in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&px[..3]);
    }
    Ok(rgb)
}

/// Encodes RGB pixels as PNG at the given compression.
pub fn encode_rgb(
    rgb: &[u8],
    width: u32,
    height: u32,
    compression: ::png::Compression,
) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(rgb.len() / 4);
    {
        let mut encoder = ::png::Encoder::new(&mut out, width, height);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        encoder.set_compression(compression);
        let mut writer = encoder
            .write_header()
            .map_err(|e| RenderError::Png(e.to_string()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| RenderError::Png(e.to_string()))?;
        writer.finish().map_err(|e| RenderError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// Draws and encodes (fast compression).
pub fn rasterize_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, RenderError> {
    let rgb = rasterize_rgb(svg, width, height)?;
    encode_rgb(&rgb, width, height, ::png::Compression::Fast)
}
