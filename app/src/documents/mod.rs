//! The PDF typesetter every document of Atrium is set with (quotes now, invoices next): a
//! layout places text runs, rules and bands on A4 pages; this module measures and wraps
//! the text in the embedded fonts and writes the pages with krilla, which subsets the
//! fonts into the file.

pub mod fonts;

pub use fonts::Face;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 56.69; // 20 mm
pub const LEFT: f32 = MARGIN;
pub const RIGHT: f32 = PAGE_WIDTH - MARGIN;
pub const CONTENT_WIDTH: f32 = RIGHT - LEFT;
pub const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// Content never goes below this; the footer sits underneath.
pub const BOTTOM: f32 = MARGIN;
/// Top of the footer's first line.
pub const FOOTER_TOP: f32 = 38.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Where the baseline sits in a line box, from its top, as a multiple of the size.
const BASELINE: f32 = 0.93;

/// Face, size and gray level (0 = black) of a run of text.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub gray: f32,
}

impl Style {
    pub const fn new(face: Face, size: f32, gray: f32) -> Self {
        Style { face, size, gray }
    }

    pub fn leading(self) -> f32 {
        self.size * LEADING
    }

    pub fn width(self, text: &str) -> f32 {
        self.face.width(text, self.size)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A horizontal extent that text is set in, and how it is aligned there.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub left: f32,
    pub right: f32,
    pub align: Align,
}

/// The full content width, left-aligned.
pub const FULL_WIDTH: Span = Span::new(LEFT, RIGHT, Align::Left);

impl Span {
    pub const fn new(left: f32, right: f32, align: Align) -> Self {
        Span { left, right, align }
    }

    pub fn width(self) -> f32 {
        self.right - self.left
    }

    /// Where a line `width` points wide starts.
    pub fn start(self, width: f32) -> f32 {
        match self.align {
            Align::Left => self.left,
            Align::Right => self.right - width,
            Align::Center => (self.left + self.right - width) / 2.0,
        }
    }
}

/// A drawing operation on one page; coordinates are PDF points from the bottom left.
#[derive(Debug)]
pub enum Op {
    /// Text with its baseline starting at (x, y).
    Text {
        style: Style,
        x: f32,
        y: f32,
        text: String,
    },
    /// A horizontal line.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: f32,
    },
    /// A filled rectangle; (x, y) is its bottom left corner.
    Band {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        gray: f32,
    },
}

/// Sets already wrapped lines in `span`, the first line's box starting at `top`, and
/// returns the height they take.
pub fn set_lines(page: &mut Vec<Op>, lines: &[String], style: Style, span: Span, top: f32) -> f32 {
    for (i, line) in lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
    {
        let x = span.start(style.width(line));
        let y = top - i as f32 * style.leading() - style.size * BASELINE;
        page.push(Op::Text {
            style,
            x,
            y,
            text: line.clone(),
        });
    }
    lines.len() as f32 * style.leading()
}

/// Breaks text into lines no wider than `max_width`: at line breaks, then at spaces (runs
/// of spaces collapse; no-break spaces do not break), and inside words wider than a line
/// on their own. Always at least one (possibly empty) line per paragraph.
pub fn wrap(text: &str, style: Style, max_width: f32) -> Vec<String> {
    let text = text.replace('\r', "").replace('\t', " ");
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|word| !word.is_empty()) {
            if !line.is_empty() {
                let joined = format!("{line} {word}");
                if style.width(&joined) <= max_width {
                    line = joined;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if style.width(word) <= max_width {
                line = word.to_string();
                continue;
            }
            // An overlong word is cut wherever the line is full.
            for c in word.chars() {
                line.push(c);
                if line.chars().count() > 1 && style.width(&line) > max_width {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Writes laid-out pages as a PDF titled `title`.
pub fn write_pdf(title: &str, pages: &[Vec<Op>]) -> Result<Vec<u8>, String> {
    let mut document = krilla::Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.trim().to_string())
            .producer("Atrium".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("page size")?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("{e:?}"))
}

fn gray(level: f32) -> luma::Color {
    luma::Color::new((level.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// krilla places from the top left, the layout from the bottom left.
fn draw(surface: &mut krilla::surface::Surface, op: &Op) {
    match op {
        Op::Text { style, x, y, text } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: gray(style.gray).into(),
                ..Fill::default()
            }));
            surface.draw_text(
                Point::from_xy(*x, PAGE_HEIGHT - y),
                style.face.font(),
                style.size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rule {
            x1,
            x2,
            y,
            width,
            gray: level,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, PAGE_HEIGHT - y);
            path.line_to(*x2, PAGE_HEIGHT - y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: gray(*level).into(),
                    width: *width,
                    opacity: NormalizedF32::ONE,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Band {
            x,
            y,
            width,
            height,
            gray: level,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, PAGE_HEIGHT - y - height, *width, *height) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: gray(*level).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: Style = Style::new(Face::Regular, 9.0, 0.0);

    #[test]
    fn wrapped_lines_fit_the_column() {
        let text = "Levering en plaatsing van een warmtepomp lucht-water, inclusief \
                    leidingwerk en inregelen; Überstunden und Łączenie\n\nsecond paragraph.";
        let width = 120.0;
        let lines = wrap(text, CELL, width);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|line| CELL.width(line) <= width));
        assert_eq!(lines.last().unwrap(), "second paragraph.");
        assert_eq!(wrap("", CELL, width), vec![String::new()]);
    }

    #[test]
    fn a_word_wider_than_the_column_is_cut_and_no_break_spaces_hold() {
        let lines = wrap(&"x".repeat(200), CELL, 50.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|line| CELL.width(line) <= 50.0));
        assert_eq!(wrap("1\u{a0}250,00\u{a0}€", CELL, 1000.0).len(), 1);
    }

    #[test]
    fn pages_become_a_pdf_with_the_font_embedded() {
        let mut page = Vec::new();
        set_lines(
            &mut page,
            &["Łukasz Wróbel · Šťastný".to_string()],
            CELL,
            FULL_WIDTH,
            TOP,
        );
        page.push(Op::Rule {
            x1: LEFT,
            x2: RIGHT,
            y: 400.0,
            width: 0.5,
            gray: 0.8,
        });
        page.push(Op::Band {
            x: LEFT,
            y: 300.0,
            width: 100.0,
            height: 20.0,
            gray: 0.9,
        });
        let pdf = write_pdf("Offerte Q2026-0001", &[page]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("DejaVuSans"), "the font is named");
        assert!(text.contains("/FontFile2"), "and embedded");
    }
}
