//! Colour schemes: the ColorBrewer sequential, diverging and qualitative palettes (Cynthia Brewer,
//! Pennsylvania State University; Apache-2.0), with what ColorBrewer says about colour-blind
//! safety. The colours themselves are data in [`super::colorbrewer`], which carries the licence.

use super::colorbrewer::RAMPS;

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
pub fn ramp(scheme: Scheme, k: usize, reverse: bool) -> Vec<Rgba> {
    let mut colors: Vec<Rgba> = brewer_colors(scheme.name, k.clamp(3, scheme.max_classes))
        .iter()
        .map(|&hex| rgba(hex))
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

/// ColorBrewer's `count` colours of the scheme `name` as `0xRRGGBB`; empty if the table has no
/// such scheme or count.
fn brewer_colors(name: &str, count: usize) -> &'static [u32] {
    RAMPS
        .iter()
        .find(|r| r.name == name)
        .and_then(|r| r.by_count.get(count.checked_sub(3)?))
        .copied()
        .unwrap_or_default()
}

/// `0xRRGGBB` as opaque RGBA bytes.
const fn rgba(hex: u32) -> Rgba {
    let [_, r, g, b] = hex.to_be_bytes();
    [r, g, b, 255]
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
    fn every_scheme_has_n_colours_for_each_count_of_its_range() {
        assert_eq!(RAMPS.len(), SCHEMES.len());
        for (s, r) in SCHEMES.iter().zip(RAMPS) {
            assert_eq!(s.name, r.name);
            assert_eq!(r.by_count.len(), s.max_classes - 2, "{}", s.name);
            for n in 3..=s.max_classes {
                assert_eq!(brewer_colors(s.name, n).len(), n, "{} {n}", s.name);
                assert_eq!(ramp(*s, n, false).len(), n, "{} {n}", s.name);
            }
        }
    }

    #[test]
    fn known_colorbrewer_values() {
        let hex = |name: &str, n: usize| -> Vec<String> {
            ramp(scheme(name).unwrap(), n, false)
                .iter()
                .map(|[r, g, b, _]| format!("#{r:02x}{g:02x}{b:02x}"))
                .collect()
        };
        assert_eq!(
            hex("YlGnBu", 5),
            ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
        );
        assert_eq!(hex("Blues", 3), ["#deebf7", "#9ecae1", "#3182bd"]);
        assert_eq!(
            hex("RdBu", 11)[..3],
            [
                "#67001f".to_owned(),
                "#b2182b".to_owned(),
                "#d6604d".to_owned()
            ]
        );
        assert_eq!(hex("Greys", 9)[8], "#000000");
        assert_eq!(hex("Dark2", 8)[0], "#1b9e77");
        assert_eq!(hex("Paired", 12)[11], "#b15928");
    }

    #[test]
    fn an_unknown_name_or_count_has_no_colours() {
        assert!(brewer_colors("NoSuch", 5).is_empty());
        assert!(brewer_colors("Blues", 2).is_empty());
        assert!(brewer_colors("Blues", 10).is_empty());
    }

    #[test]
    fn every_scheme_has_nine_colours_or_repeats() {
        for s in SCHEMES {
            assert_eq!(ramp(*s, 9, false).len(), 9, "{}", s.name);
        }
    }
}
