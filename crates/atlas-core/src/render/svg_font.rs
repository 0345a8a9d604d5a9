//! The bundled font embedded in an SVG, so it looks the same on machines without it: the font
//! subset to the characters the document uses (subsetter, as krilla does for the PDF), given
//! back a character map (subsetter drops it; write-fonts builds a new one) and its OS/2 table,
//! and put into the document as a base64 TrueType `@font-face`.

use base64::Engine as _;
use write_fonts::read::{FontRef, TableProvider as _};
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};

use crate::render::{ExportError, FONT, FONT_FAMILY};

/// The bundled font with only the glyphs of `chars` (and the missing-glyph box), as TrueType.
pub fn subset(chars: impl IntoIterator<Item = char>) -> Result<Vec<u8>, ExportError> {
    let fail = |what: &str| ExportError::Render(format!("cannot subset the font: {what}"));
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| fail(&e.to_string()))?;
    let mut remapper = subsetter::GlyphRemapper::new();
    remapper.remap(0);
    let mut mappings = Vec::new();
    let mut chars: Vec<char> = chars.into_iter().collect();
    chars.sort_unstable();
    chars.dedup();
    for c in chars {
        if let Some(glyph) = face.glyph_index(c).filter(|g| g.0 != 0) {
            let new = remapper.remap(glyph.0);
            mappings.push((c, GlyphId::new(u32::from(new))));
        }
    }
    let subset = subsetter::subset(FONT, 0, &remapper).map_err(|e| fail(&format!("{e:?}")))?;
    let cmap = Cmap::from_mappings(mappings).map_err(|e| fail(&format!("{e:?}")))?;
    let original = FontRef::new(FONT).map_err(|e| fail(&e.to_string()))?;
    let subset_font = FontRef::new(&subset).map_err(|e| fail(&e.to_string()))?;
    let mut builder = write_fonts::FontBuilder::new();
    builder
        .add_table(&cmap)
        .map_err(|e| fail(&format!("{e:?}")))?;
    if let Some(os2) = original.data_for_tag(Tag::new(b"OS/2")) {
        builder.add_raw(Tag::new(b"OS/2"), os2.as_bytes());
    }
    if subset_font.hhea().is_err()
        && let Some(hhea) = original.data_for_tag(Tag::new(b"hhea"))
    {
        builder.add_raw(Tag::new(b"hhea"), hhea.as_bytes());
    }
    builder.copy_missing_tables(subset_font);
    Ok(builder.build())
}

/// `svg` with the bundled font embedded (subset to the document's characters) as an
/// `@font-face` of the family the document names.
pub fn embed(svg: &str) -> Result<String, ExportError> {
    let font = subset(svg.chars().filter(|c| !c.is_control()))?;
    let data = base64::engine::general_purpose::STANDARD.encode(font);
    let style = format!(
        "<defs><style>@font-face{{font-family:\"{FONT_FAMILY}\";font-weight:100 900;src:url(data:font/ttf;base64,{data}) format(\"truetype\")}}</style></defs>\n"
    );
    let Some(end) = svg.find('>').map(|i| i + 1) else {
        return Err(ExportError::Render(
            "the SVG has no root element".to_owned(),
        ));
    };
    let (head, rest) = svg.split_at(end);
    let rest = rest.strip_prefix('\n').unwrap_or(rest);
    Ok(format!("{head}\n{style}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_maps_its_characters_with_the_original_advances() {
        let font = subset("Köln 12,5 %".chars()).unwrap();
        assert!(font.len() < FONT.len() / 4, "{} bytes", font.len());
        let small = ttf_parser::Face::parse(&font, 0).unwrap();
        let full = ttf_parser::Face::parse(FONT, 0).unwrap();
        for c in "Köln12,5%".chars() {
            let g = small
                .glyph_index(c)
                .unwrap_or_else(|| panic!("{c} missing"));
            let original = full.glyph_index(c).unwrap();
            assert_eq!(
                small.glyph_hor_advance(g),
                full.glyph_hor_advance(original),
                "{c}"
            );
        }
        assert!(small.glyph_index('W').is_none());
    }

    #[test]
    fn the_font_goes_right_after_the_root_element() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<text>Olpe</text>\n</svg>\n";
        let embedded = embed(svg).unwrap();
        assert!(embedded.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<defs><style>@font-face{font-family:\"Ubuntu\""));
        assert!(embedded.ends_with("<text>Olpe</text>\n</svg>\n"));
    }
}
