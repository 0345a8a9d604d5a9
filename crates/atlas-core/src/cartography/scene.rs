//! The map scene: what to draw, in map metres (EPSG:25832), independent of any painter.
//!
//! The window (crate `atlas-ui`) and the exporters ([`crate::render`]) paint a [`Scene`], built
//! by [`crate::cartography::request::MapRequest::scene`]. A scene is cheap to
//! rebuild; painters cache their costly work (tessellated meshes) keyed by [`Scene::fill_key`].

use crate::attribution;
use crate::cartography::choropleth::{Choropleth, Legend};
use crate::cartography::labels::LabelLayer;
use crate::i18n::Lang;
use crate::model::{Atlas, Level, RegionId};

pub use crate::cartography::palette::Rgba;

/// Colours and widths shared by every painter.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// Behind the map (outside NRW).
    pub background: Rgba,
    /// Fill of a region when no thematic layer colours it.
    pub base_fill: Rgba,
    /// Region borders of the shown level.
    pub outline: Rgba,
    /// Width of those borders in screen pixels.
    pub outline_px: f32,
    /// Borders of the level above (e.g. Kreise over Gemeinden).
    pub parent_outline: Rgba,
    /// Width of the parent borders in screen pixels.
    pub parent_outline_px: f32,
    /// Outline of the region under the pointer.
    pub hover: Rgba,
    /// Outline of the selected region.
    pub selection: Rgba,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            background: [236, 240, 243, 255],
            base_fill: [250, 246, 232, 255],
            outline: [150, 150, 150, 255],
            outline_px: 0.7,
            parent_outline: [70, 70, 70, 255],
            parent_outline_px: 1.6,
            hover: [0, 114, 178, 255],
            selection: [213, 94, 0, 255],
        }
    }
}

/// Everything a painter needs to draw the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The level whose regions are filled.
    pub level: Level,
    /// The level whose borders are drawn on top, thicker (one level up), if any.
    pub parent_level: Option<Level>,
    /// One fill colour per region of `level`, in the atlas's order (by AGS).
    pub fills: Vec<Rgba>,
    /// Colours and widths.
    pub style: Style,
    /// The region under the pointer.
    pub hover: Option<RegionId>,
    /// The selected region (of any level).
    pub selection: Option<RegionId>,
    /// The attribution line(s), always shown.
    pub attribution: String,
    /// The map title (e.g. a report figure), if any.
    pub title: Option<String>,
    /// The legend of the thematic layer, if any.
    pub legend: Option<Legend>,
    /// The region names to place, if names are shown (each painter places them in its frame
    /// with [`LabelLayer::place`]).
    pub labels: Option<LabelLayer>,
}

impl Scene {
    /// The plain map of one level: every region in the base fill, borders of the level above.
    pub fn base(atlas: &Atlas, level: Level, lang: Lang) -> Scene {
        let style = Style::default();
        let parent_level = level.parent().filter(|&p| p != Level::Land);
        Scene {
            level,
            parent_level,
            fills: vec![style.base_fill; atlas.regions(level).len()],
            style,
            hover: None,
            selection: None,
            attribution: attribution::for_scene(&atlas.provenance, false)
                .get(lang)
                .to_owned(),
            title: None,
            legend: None,
            labels: None,
        }
    }

    /// Colours the regions by a thematic map and shows its legend.
    pub fn with_choropleth(mut self, map: &Choropleth) -> Scene {
        if map.fills.len() == self.fills.len() {
            self.fills.clone_from(&map.fills);
            self.legend = Some(map.legend.clone());
            if let Some(line) = &map.legend.attribution {
                self.attribution = format!("{}{}{line}", self.attribution, attribution::SEPARATOR);
            }
        }
        self
    }

    /// Adds the attribution of the site layers (call when any are shown).
    pub fn with_sites_attribution(mut self, lang: Lang) -> Scene {
        self.attribution = format!(
            "{}{}{}",
            self.attribution,
            attribution::SEPARATOR,
            attribution::sites().get(lang)
        );
        self
    }

    /// Adds the postcode centroids' ODbL attribution (call when a shown site was placed by its
    /// postcode, precision [`crate::sites::PRECISION_PLZ`]).
    pub fn with_postcode_attribution(mut self, lang: Lang) -> Scene {
        let line = attribution::postcodes();
        if !self.attribution.contains(line.get(lang)) {
            self.attribution = format!(
                "{}{}{}",
                self.attribution,
                attribution::SEPARATOR,
                line.get(lang)
            );
        }
        self
    }

    /// Greys the regions outside `focus` (neither inside it nor containing it): their fill
    /// becomes a light grey of the same lightness order, so the focus stands out and the
    /// neighbours stay readable as context (atlas pages, profiles).
    pub fn grey_outside(&mut self, atlas: &Atlas, focus: &crate::model::Ags) {
        let f = focus.as_str();
        for (region, fill) in atlas.regions(self.level).iter().zip(self.fills.iter_mut()) {
            let a = region.ags.as_str();
            if !(a.starts_with(f) || f.starts_with(a)) {
                *fill = greyed(*fill);
            }
        }
    }

    /// A key that changes whenever the filled meshes must be recoloured.
    pub fn fill_key(&self) -> u64 {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.level.hash(&mut hasher);
        self.fills.hash(&mut hasher);
        hasher.finish()
    }
}

/// A light grey for a neighbour's fill: its luminance pulled towards the background grey.
#[allow(
    clippy::cast_possible_truncation,
    reason = "clamped to 0–255 before the cast"
)]
pub fn greyed(fill: Rgba) -> Rgba {
    let luma = 0.299 * f64::from(fill[0]) + 0.587 * f64::from(fill[1]) + 0.114 * f64::from(fill[2]);
    let grey = (0.3 * luma + 0.7 * 222.0).round().clamp(0.0, 255.0) as u8;
    [grey, grey, grey, fill[3]]
}

/// A scale bar: a round length in km that fits in `max_px` pixels at `px_per_m`.
/// Returns the length in km and in pixels.
pub fn scale_bar(px_per_m: f64, max_px: f64) -> (f64, f64) {
    let max_km = max_px / px_per_m / 1000.0;
    let steps = [1.0, 2.0, 5.0];
    let mut best = 0.001;
    let mut magnitude = 0.001;
    while magnitude <= 10_000.0 {
        for step in steps {
            let km = step * magnitude;
            if km <= max_km {
                best = km;
            }
        }
        magnitude *= 10.0;
    }
    (best, best * 1000.0 * px_per_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greyed_fills_are_light_grey_and_keep_their_order() {
        let dark = greyed([8, 29, 88, 255]);
        let light = greyed([255, 255, 217, 255]);
        assert_eq!(dark[0], dark[1]);
        assert!(dark[0] >= 150 && light[0] > dark[0], "{dark:?} {light:?}");
    }

    #[test]
    fn scale_bar_picks_round_lengths() {
        // 1 px = 100 m, at most 150 px = 15 km → 10 km = 100 px.
        let (km, px) = scale_bar(0.01, 150.0);
        assert_eq!(km, 10.0);
        assert!((px - 100.0).abs() < 1e-9);
        let (km, _) = scale_bar(0.01, 260.0);
        assert_eq!(km, 20.0);
    }
}
