//! The typefaces documents are set in: DejaVu Sans regular, bold and oblique, compiled
//! into the binary. They cover Latin (every European language), Greek and Cyrillic, so a
//! Polish, Czech or Turkish name prints as typed; krilla embeds only the glyphs a document
//! uses. Widths come from the fonts' own metrics, so wrapping and right alignment match
//! what the reader draws.

use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Face {
    Regular,
    Bold,
    Oblique,
}

impl Face {
    const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Oblique];

    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
            Face::Oblique => dejavu::sans::oblique(),
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The face's outlines for krilla.
    pub fn font(self) -> krilla::text::Font {
        static FONTS: OnceLock<Vec<krilla::text::Font>> = OnceLock::new();
        FONTS.get_or_init(|| {
            Face::ALL
                .iter()
                .map(|face| {
                    krilla::text::Font::new(face.data().into(), 0)
                        .expect("the embedded DejaVu fonts parse")
                })
                .collect()
        })[self.index()]
        .clone()
    }

    /// The advance of `text` set at `size` points, in points.
    pub fn width(self, text: &str, size: f32) -> f32 {
        let metrics = &metrics()[self.index()];
        let units: f32 = text.chars().map(|c| metrics.advance(c)).sum();
        units * size / metrics.units_per_em
    }
}

/// The horizontal metrics of one face.
struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Metrics {
    /// A character's advance in font units; one the face lacks is drawn as its
    /// "missing glyph", which has an advance too.
    fn advance(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
    }
}

fn metrics() -> &'static [Metrics] {
    static METRICS: OnceLock<Vec<Metrics>> = OnceLock::new();
    METRICS.get_or_init(|| {
        Face::ALL
            .iter()
            .map(|face| {
                let parsed = ttf_parser::Face::parse(face.data(), 0)
                    .expect("the embedded DejaVu fonts parse");
                Metrics {
                    units_per_em: f32::from(parsed.units_per_em()),
                    face: parsed,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn european_names_have_glyphs_and_widths() {
        for name in [
            "Łukasz Wróbel",
            "Šťastný Ďuriš",
            "Ørsted Æbelø",
            "Ğül Şahin",
            "Δήμος",
        ] {
            let metrics = &metrics()[Face::Regular.index()];
            for c in name.chars() {
                assert!(metrics.face.glyph_index(c).is_some(), "{c} in {name}");
            }
            assert!(Face::Regular.width(name, 10.0) > 0.0);
        }
    }

    #[test]
    fn bold_is_wider_and_width_grows_with_size() {
        let text = "Offerte Q2026-0001";
        assert!(Face::Bold.width(text, 10.0) > Face::Regular.width(text, 10.0));
        let small = Face::Regular.width(text, 10.0);
        assert!((Face::Regular.width(text, 20.0) - 2.0 * small).abs() < 0.01);
        assert_eq!(Face::Regular.width("", 10.0), 0.0);
    }
}
