//! The laid-out picture: rectangles, circles, lines and fitted text runs, in pixels.
//!
//! Layouts build a [`Scene`] through [`Canvas`], whose text helpers measure, shorten and wrap so
//! that every [`TextRun`] stays inside the cell it was given. Tests inspect these runs directly.

use crate::fonts::{Weight, fonts};
use crate::text;

/// An sRGB colour, `0xRRGGBB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub u32);

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self {
            x,
            y,
            w: w.max(0.0),
            h: h.max(0.0),
        }
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// The box shrunk by `dx` on the left and right and `dy` on the top and bottom.
    pub fn inset(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w - 2.0 * dx, self.h - 2.0 * dy)
    }
    /// True when `other` lies inside this box (with a hair of float slack).
    pub fn contains(&self, other: &Rect) -> bool {
        const EPS: f32 = 0.01;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
}

/// Horizontal alignment of a run inside its cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Start,
    Center,
    End,
}

/// How a run looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub size: f32,
    pub weight: Weight,
    pub color: Color,
}

impl Style {
    pub fn new(size: f32, weight: Weight, color: Color) -> Self {
        Self { size, weight, color }
    }
}

/// One line of text, positioned and measured.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    pub text: String,
    pub style: Style,
    /// Left edge of the run (the SVG's `x`, drawn with `text-anchor: start`).
    pub x: f32,
    /// The baseline (the SVG's `y`).
    pub baseline: f32,
    /// Measured advance width.
    pub width: f32,
    /// The box the run must stay inside.
    pub cell: Rect,
}

impl TextRun {
    /// The run's extent: its advance horizontally, the face's ascender to descender vertically.
    pub fn bounds(&self) -> Rect {
        let (ascent, descent) = line_metrics(self.style);
        Rect::new(self.x, self.baseline - ascent, self.width, ascent + descent)
    }
}

/// One drawable thing.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Rect {
        rect: Rect,
        fill: Color,
        radius: f32,
    },
    Stroke {
        rect: Rect,
        color: Color,
        width: f32,
        radius: f32,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Color,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Color,
        width: f32,
    },
    Text(TextRun),
}

/// A whole picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub width: u32,
    pub height: u32,
    pub background: Color,
    pub items: Vec<Item>,
}

impl Scene {
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
}

/// Ascent and descent in px for a style.
pub fn line_metrics(style: Style) -> (f32, f32) {
    fonts().map_or((style.size, 0.25 * style.size), |f| {
        let face = f.face(style.weight);
        (face.ascent * style.size, face.descent * style.size)
    })
}

/// The height one line of `style` needs.
pub fn line_height(style: Style) -> f32 {
    let (a, d) = line_metrics(style);
    a + d
}

/// Builds a scene.
pub struct Canvas {
    scene: Scene,
}

impl Canvas {
    pub fn new(width: u32, height: u32, background: Color) -> Self {
        Self {
            scene: Scene {
                width,
                height,
                background,
                items: Vec::new(),
            },
        }
    }

    pub fn finish(self) -> Scene {
        self.scene
    }

    pub fn rect(&mut self, rect: Rect, fill: Color, radius: f32) {
        self.scene.items.push(Item::Rect { rect, fill, radius });
    }

    pub fn stroke(&mut self, rect: Rect, color: Color, width: f32, radius: f32) {
        self.scene.items.push(Item::Stroke {
            rect,
            color,
            width,
            radius,
        });
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, fill: Color) {
        self.scene.items.push(Item::Circle { cx, cy, r, fill });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Color, width: f32) {
        self.scene.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        });
    }

    /// One line of already-cleaned text, shortened with "…" to the cell's width and centred
    /// vertically in it. Returns the drawn width (0 when nothing fits).
    pub fn text(&mut self, text: &str, style: Style, cell: Rect, align: Align) -> f32 {
        let (ascent, descent) = line_metrics(style);
        let baseline = cell.y + (cell.h - ascent - descent) / 2.0 + ascent;
        self.text_at(text, style, cell, align, baseline)
    }

    /// Like [`Canvas::text`] with the baseline given; dropped when the line does not fit the cell.
    pub fn text_at(&mut self, text: &str, style: Style, cell: Rect, align: Align, baseline: f32) -> f32 {
        let (ascent, descent) = line_metrics(style);
        if baseline - ascent < cell.y - 0.01 || baseline + descent > cell.bottom() + 0.01 {
            return 0.0;
        }
        let fitted = text::ellipsize(text, style.weight, style.size, cell.w);
        if fitted.is_empty() {
            return 0.0;
        }
        let width = text::measure(&fitted, style.weight, style.size);
        let x = match align {
            Align::Start => cell.x,
            Align::Center => cell.x + (cell.w - width) / 2.0,
            Align::End => cell.right() - width,
        };
        self.scene.items.push(Item::Text(TextRun {
            text: fitted,
            style,
            x,
            baseline,
            width,
            cell,
        }));
        width
    }

    /// Wraps cleaned text into the cell from its top, `leading` px per line, as many lines as
    /// fit (at most `max_lines`); the last one ends with "…" if text is left. Returns the height used.
    pub fn paragraph(&mut self, text: &str, style: Style, cell: Rect, leading: f32, max_lines: usize) -> f32 {
        let (ascent, descent) = line_metrics(style);
        let leading = leading.max(ascent + descent);
        let fit = if cell.h + 0.01 < ascent + descent {
            0
        } else {
            1 + ((cell.h - ascent - descent) / leading + 0.001) as usize
        };
        let lines = text::wrap(text, style.weight, style.size, cell.w, max_lines.min(fit));
        let mut used = 0.0;
        for (i, line) in lines.iter().enumerate() {
            let baseline = cell.y + ascent + leading * i as f32;
            self.text_at(line, style, cell, Align::Start, baseline);
            used = leading * i as f32 + ascent + descent;
        }
        used
    }
}
