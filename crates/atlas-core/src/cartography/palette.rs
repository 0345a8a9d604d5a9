//! Colour schemes: the ColorBrewer sequential, diverging and qualitative palettes (Cynthia Brewer,
//! Pennsylvania State University; Apache-2.0), taken from the `colorbrewer` crate, with what
//! ColorBrewer says about colour-blind safety.

use colorbrewer::Palette;

/// A colour as straight (not premultiplied) RGBA bytes.
pub type Rgba = [u8; 4];

/// What kind of data a scheme is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// Light to dark: amounts.
    Sequential,
    /// Two hues around a midpoint: deviations.
    Diverging,
    /// Distinct hues: categories.
    Qualitative,
}

/// A named ColorBrewer scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The ColorBrewer name, e.g. "YlGnBu".
    pub name: &'static str,
    /// What it is for.
    pub kind: SchemeKind,
    /// Colour-blind safe by ColorBrewer's rating (for qualitative schemes: up to `max_safe` classes).
    pub max_safe: usize,
    /// The most classes the scheme has.
    pub max_classes: usize,
}

/// The offered schemes; the first of each kind is the (colour-blind-safe) default.
pub const SCHEMES: &[Scheme] = &[
    seq("YlGnBu"),
    seq("YlOrRd"),
    seq("YlOrBr"),
    seq("OrRd"),
    seq("PuBu"),
    seq("BuGn"),
    seq("Blues"),
    seq("Greens"),
    seq("Oranges"),
    seq("Purples"),
    seq("Greys"),
    div("RdBu"),
    div("BrBG"),
    div("PuOr"),
    div("PiYG"),
    div("PRGn"),
    div("RdYlBu"),
    Scheme {
        name: "Dark2",
        kind: SchemeKind::Qualitative,
        max_safe: 3,
        max_classes: 8,
    },
    Scheme {
        name: "Set2",
        kind: SchemeKind::Qualitative,
        max_safe: 3,
        max_classes: 8,
    },
    Scheme {
        name: "Paired",
        kind: SchemeKind::Qualitative,
        max_safe: 4,
        max_classes: 12,
    },
];

const fn seq(name: &'static str) -> Scheme {
    Scheme {
        name,
        kind: SchemeKind::Sequential,
        max_safe: 9,
        max_classes: 9,
    }
}

const fn div(name: &'static str) -> Scheme {
    Scheme {
        name,
        kind: SchemeKind::Diverging,
        max_safe: 11,
        max_classes: 11,
    }
}

/// The scheme with this name (case-insensitive).
pub fn scheme(name: &str) -> Option<Scheme> {
    SCHEMES
        .iter()
        .copied()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The default scheme of a kind.
pub fn default_scheme(kind: SchemeKind) -> Scheme {
    SCHEMES
        .iter()
        .copied()
        .find(|s| s.kind == kind)
        .unwrap_or(SCHEMES[0])
}

/// `k` colours of a scheme, light to dark (reversed if asked). Two classes take the ends of the
/// three-class ramp; more classes than the scheme has repeat its last colour.
#[allow(
    clippy::cast_possible_truncation,
    reason = "a class count clamped to the scheme's maximum (at most 12)"
)]
pub fn ramp(scheme: Scheme, k: usize, reverse: bool) -> Vec<Rgba> {
    let asked = k.clamp(3, scheme.max_classes) as u32;
    let palette: Option<Palette> = scheme.name.parse().ok();
    let mut colors: Vec<Rgba> = palette
        .and_then(|p| colorbrewer::get_color_ramp(p, asked))
        .unwrap_or_default()
        .into_iter()
        .map(|c| [c.r, c.g, c.b, 255])
        .collect();
    if colors.is_empty() {
        colors = vec![[128, 128, 128, 255]; 3];
    }
    if k == 2 {
        colors = vec![colors[0], colors[colors.len() - 1]];
    }
    while colors.len() < k {
        let last = colors[colors.len() - 1];
        colors.push(last);
    }
    colors.truncate(k.max(1));
    if reverse {
        colors.reverse();
    }
    colors
}

/// The colour of regions without a value: a light grey that no scheme uses, drawn hatched-free
/// but distinct, and counted in the legend.
pub const NODATA: Rgba = [205, 205, 205, 255];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ylorrd_five_classes_are_colorbrewers() {
        let colors = ramp(scheme("YlOrRd").unwrap(), 5, false);
        // ColorBrewer YlOrRd 5: #ffffb2 #fecc5c #fd8d3c #f03b20 #bd0026.
        assert_eq!(colors[0], [0xff, 0xff, 0xb2, 255]);
        assert_eq!(colors[4], [0xbd, 0x00, 0x26, 255]);
    }

    #[test]
    fn two_classes_take_the_ends_and_reverse_flips() {
        let scheme = scheme("Blues").unwrap();
        let two = ramp(scheme, 2, false);
        let three = ramp(scheme, 3, false);
        assert_eq!(two, vec![three[0], three[2]]);
        assert_eq!(ramp(scheme, 4, true)[0], ramp(scheme, 4, false)[3]);
    }

    #[test]
    fn every_scheme_has_nine_colours_or_repeats() {
        for s in SCHEMES {
            assert_eq!(ramp(*s, 9, false).len(), 9, "{}", s.name);
        }
    }
}
