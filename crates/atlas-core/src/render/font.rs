//! What the bundled export font can show and how wide text set in it is: its character map
//! (cmap) and horizontal advances, read once with `ttf-parser`.

use std::sync::OnceLock;

use crate::render::FONT;

/// The parsed bundled font, or `None` if it cannot be parsed (then every character counts as
/// shown and widths fall back to an estimate).
fn face() -> Option<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).ok())
        .as_ref()
}

/// Characters that are meant to be invisible (zero-width spaces and joiners, direction marks,
/// variation selectors, the byte-order mark): they need no glyph.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// Whether the bundled font has a glyph for `c`. Whitespace and invisible characters count as
/// shown (they need no glyph).
pub fn has_glyph(c: char) -> bool {
    if c.is_whitespace() || is_invisible(c) {
        return true;
    }
    face().is_none_or(|face| face.glyph_index(c).is_some_and(|g| g.0 != 0))
}

/// The characters of `text` the bundled font cannot show, each once, in order of appearance.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars() {
        if !has_glyph(c) && !missing.contains(&c) {
            missing.push(c);
        }
    }
    missing
}

/// The width of `text` set in the bundled font at `size` px (advance widths, no kerning).
/// Characters the font lacks are as wide as its replacement box.
pub fn text_width(text: &str, size: f64) -> f64 {
    let Some(face) = face() else {
        return text.chars().count() as f64 * size * 0.5;
    };
    let per_unit = size / f64::from(face.units_per_em().max(1));
    let notdef = face
        .glyph_hor_advance(ttf_parser::GlyphId(0))
        .map_or(size * 0.5, |a| f64::from(a) * per_unit);
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(notdef, |a| f64::from(a) * per_unit)
        })
        .sum()
}

/// The ascent above and the descent below the baseline (both positive) of the bundled font
/// at `size` px, from its horizontal header.
pub fn vertical_metrics(size: f64) -> (f64, f64) {
    let Some(face) = face() else {
        return (0.8 * size, 0.2 * size);
    };
    let per_unit = size / f64::from(face.units_per_em().max(1));
    (
        f64::from(face.ascender()) * per_unit,
        -f64::from(face.descender()) * per_unit,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_german_letters_are_in_the_font() {
        assert!(missing_glyphs("Düsseldorf, Köln – Straße: 12,5 %").is_empty());
    }

    #[test]
    fn arabic_hebrew_and_emoji_are_not() {
        assert_eq!(missing_glyphs("Köln مرحبا"), vec!['م', 'ر', 'ح', 'ب', 'ا']);
        assert_eq!(missing_glyphs("שלום"), vec!['ש', 'ל', 'ו', 'ם']);
        assert_eq!(missing_glyphs("Karte 🗺️"), vec!['🗺']);
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let narrow = text_width("iiii", 20.0);
        let wide = text_width("WWWW", 20.0);
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        assert!((text_width("WWWW", 40.0) - 2.0 * wide).abs() < 1e-9);
        assert_eq!(text_width("", 20.0), 0.0);
    }
}
