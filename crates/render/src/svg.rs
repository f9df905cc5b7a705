//! Scene → SVG text. Every string is XML-escaped, so a title like `<script>` is drawn literally
//! and can never become markup.

use std::fmt::Write;

use crate::fonts::FAMILY;
use crate::scene::{Color, Item, Scene};

/// Escapes the five XML special characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn hex(c: Color) -> String {
    format!("#{:06x}", c.0 & 0x00ff_ffff)
}

/// Writes the scene as a standalone SVG document.
pub fn to_svg(scene: &Scene) -> String {
    let mut s = String::with_capacity(64 * 1024);
    // `write!` into a String cannot fail; the results are ignored deliberately.
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FAMILY}"><rect width="{w}" height="{h}" fill="{bg}"/>"#,
        w = scene.width,
        h = scene.height,
        bg = hex(scene.background)
    );
    for item in &scene.items {
        let _ = match item {
            Item::Rect { rect, fill, radius } => write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="{}"/>"#,
                rect.x,
                rect.y,
                rect.w,
                rect.h,
                radius,
                hex(*fill)
            ),
            Item::Stroke {
                rect,
                color,
                width,
                radius,
            } => write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="none" stroke="{}" stroke-width="{:.1}"/>"#,
                rect.x,
                rect.y,
                rect.w,
                rect.h,
                radius,
                hex(*color),
                width
            ),
            Item::Circle { cx, cy, r, fill } => {
                write!(
                    s,
                    r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{}"/>"#,
                    hex(*fill)
                )
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => write!(
                s,
                r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{width:.1}"/>"#,
                hex(*color)
            ),
            Item::Text(t) => write!(
                s,
                r#"<text x="{:.2}" y="{:.2}" font-size="{:.1}" font-weight="{}" fill="{}">{}</text>"#,
                t.x,
                t.baseline,
                t.style.size,
                t.style.weight.css(),
                hex(t.style.color),
                escape(&t.text)
            ),
        };
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"
        );
    }
}
