//! Names on the map: one anchor per region and one placement for every painter.
//!
//! The anchor of a region is the pole of inaccessibility of its largest polygon part — the inner
//! point farthest from the outline — found with the `polylabel` crate (V. Agafonkin's Mapbox
//! algorithm, after Garcia-Castellanos & Lombardo 2007). Anchors are computed once per atlas
//! level in EPSG:25832 metres ([`Atlas::label_candidates`] keeps them).
//!
//! [`place`] is the one placement, for the window and the exports alike: candidates in order of
//! priority (population), each set centred on its anchor, measured in the bundled font
//! ([`crate::render::font`]), and kept only if its box lies inside the frame, the region is big
//! enough on screen to hold it, and the box meets no box placed before. Zooming in gives the
//! boxes room, so more names appear.

use std::sync::Arc;

use geo::{
    Area as _, BoundingRect as _, Contains as _, Distance as _, Euclidean, InteriorPoint as _,
};
use geo::{MultiPolygon, Point, Polygon};
use rayon::prelude::*;

use crate::model::{Atlas, Level, Region};
use crate::render::font;

/// Where a region's name sits: a point inside it, in EPSG:25832 metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// Easting.
    pub x: f64,
    /// Northing.
    pub y: f64,
    /// Distance from the anchor to the nearest edge of its polygon part, in metres.
    pub clearance_m: f64,
}

/// A name that may be placed: its region, text, anchor and priority.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelCandidate {
    /// Index of the region in [`Atlas::regions`] of the level.
    pub region: usize,
    /// The name, e.g. "Olpe", "Köln".
    pub text: String,
    /// Where it sits.
    pub anchor: Anchor,
    /// Higher is placed first (the population).
    pub priority: u64,
    /// Width of the text at 1 px font size in the bundled font (scales linearly with the size).
    pub width_per_px: f64,
    /// Width and height of the region's bounding box in metres.
    pub extent_m: [f64; 2],
}

/// The names of one level, in placement order (highest priority first).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelLayer {
    /// The level the names belong to.
    pub level: Level,
    /// The candidates, highest priority first.
    pub candidates: Arc<[LabelCandidate]>,
}

/// How map metres become pixels (or screen points) in a frame: the map point at the centre of
/// the frame and the scale, as in [`crate::render::Layout`] and the window's view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenFrame {
    /// The map point (EPSG:25832) at the centre of the frame.
    pub center: [f64; 2],
    /// Pixels per map metre.
    pub px_per_m: f64,
    /// The frame: left, top, width, height in pixels.
    pub frame: [f64; 4],
}

impl ScreenFrame {
    /// The pixel of a map point.
    pub fn px(&self, x: f64, y: f64) -> [f64; 2] {
        let [left, top, width, height] = self.frame;
        [
            left + width / 2.0 + (x - self.center[0]) * self.px_per_m,
            top + height / 2.0 - (y - self.center[1]) * self.px_per_m,
        ]
    }
}

/// How names look: font size and halo width, in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelStyle {
    /// Font size.
    pub size: f64,
    /// Width of the white halo around the letters (its stroke is twice as wide).
    pub halo: f64,
    /// Free room kept between two boxes.
    pub gap: f64,
}

impl LabelStyle {
    /// The style of a level's names at `scale` (1 on screen; an export's [`crate::render::Layout::scale`]).
    pub fn of(level: Level, scale: f64) -> LabelStyle {
        let size = match level {
            Level::Gemeinde => 11.0,
            Level::Kreis => 12.5,
            Level::Bezirk | Level::Land => 15.0,
        };
        LabelStyle {
            size: size * scale,
            halo: 2.0 * scale,
            gap: 2.0 * scale,
        }
    }
}

/// A name placed in a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    /// Index of the region in [`Atlas::regions`] of the level.
    pub region: usize,
    /// The name.
    pub text: String,
    /// Horizontal centre of the text, in pixels.
    pub x: f64,
    /// Baseline of the text, in pixels.
    pub baseline: f64,
    /// Font size in pixels.
    pub size: f64,
    /// Halo width in pixels.
    pub halo: f64,
    /// The box the text and its halo cover: min x, min y, max x, max y in pixels.
    pub rect: [f64; 4],
}

/// Whether two boxes (min x, min y, max x, max y) overlap.
pub fn boxes_intersect(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The largest polygon part of a region.
fn largest_part(geometry: &MultiPolygon<f64>) -> Option<&Polygon<f64>> {
    geometry
        .0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
}

/// Distance from `point` to the outline (outer and inner rings) of `polygon`.
fn clearance(polygon: &Polygon<f64>, point: Point<f64>) -> f64 {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|ring| Euclidean.distance(&point, ring))
        .fold(f64::INFINITY, f64::min)
}

/// The anchor of a region: the pole of inaccessibility of its largest part, to within 1 % of
/// the part's smaller side (at least 10 m). If that point should not lie inside the part (a
/// broken ring), geo's interior point stands in.
pub fn anchor_of(geometry: &MultiPolygon<f64>) -> Option<Anchor> {
    let part = largest_part(geometry)?;
    let rect = part.bounding_rect()?;
    let tolerance = (rect.width().min(rect.height()) / 100.0).max(10.0);
    let pole = polylabel::polylabel(part, &tolerance)
        .ok()
        .filter(|p| part.contains(p))
        .or_else(|| part.interior_point())?;
    Some(Anchor {
        x: pole.x(),
        y: pole.y(),
        clearance_m: clearance(part, pole),
    })
}

/// The label candidates of regions (indices as given), highest population first (ties by
/// index, so placement is reproducible).
pub fn candidates_of(regions: &[Region]) -> Vec<LabelCandidate> {
    let mut candidates: Vec<LabelCandidate> = regions
        .par_iter()
        .enumerate()
        .filter_map(|(index, region)| {
            let anchor = anchor_of(&region.geometry)?;
            Some(LabelCandidate {
                region: index,
                text: crate::render::text::clean(&region.name),
                anchor,
                priority: region.population,
                width_per_px: font::text_width(&region.name, 1.0),
                extent_m: [region.bbox.width(), region.bbox.height()],
            })
        })
        .collect();
    candidates.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.region.cmp(&b.region)));
    candidates
}

impl LabelLayer {
    /// The names of a level of the atlas (computed once per level, then shared).
    pub fn of(atlas: &Atlas, level: Level) -> LabelLayer {
        LabelLayer {
            level,
            candidates: atlas.label_candidates(level),
        }
    }

    /// The names placed in `frame` with the level's style at `scale` (see [`place`]).
    pub fn place(&self, frame: &ScreenFrame, scale: f64) -> Vec<PlacedLabel> {
        place(&self.candidates, frame, &LabelStyle::of(self.level, scale))
    }
}

/// The one placement of names, for the screen and every export: greedy by priority, a name is
/// kept when its box (text and halo) lies inside the frame, its region is at least as tall on
/// screen as the text at the anchor and not much narrower than the text, and its box meets no
/// box kept before (with `style.gap` between).
pub fn place(
    candidates: &[LabelCandidate],
    frame: &ScreenFrame,
    style: &LabelStyle,
) -> Vec<PlacedLabel> {
    let (ascent, descent) = font::vertical_metrics(style.size);
    let text_height = ascent + descent;
    let [left, top, width, height] = frame.frame;
    let inside =
        |r: &[f64; 4]| r[0] >= left && r[1] >= top && r[2] <= left + width && r[3] <= top + height;
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for candidate in candidates {
        let text_width = candidate.width_per_px * style.size;
        let region_px = candidate.extent_m.map(|m| m * frame.px_per_m);
        let pole_room = 2.0 * candidate.anchor.clearance_m * frame.px_per_m;
        if pole_room < 0.8 * text_height || region_px[0] * 1.5 < text_width {
            continue;
        }
        let [cx, cy] = frame.px(candidate.anchor.x, candidate.anchor.y);
        let (half_w, half_h) = (
            text_width / 2.0 + style.halo,
            text_height / 2.0 + style.halo,
        );
        let rect = [cx - half_w, cy - half_h, cx + half_w, cy + half_h];
        if !inside(&rect) {
            continue;
        }
        let padded = [
            rect[0] - style.gap,
            rect[1] - style.gap,
            rect[2] + style.gap,
            rect[3] + style.gap,
        ];
        if placed.iter().any(|p| boxes_intersect(&p.rect, &padded)) {
            continue;
        }
        placed.push(PlacedLabel {
            region: candidate.region,
            text: candidate.text.clone(),
            x: cx,
            baseline: cy - text_height / 2.0 + ascent,
            size: style.size,
            halo: style.halo,
            rect,
        });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0),
            (x: side, y: 0.0),
            (x: side, y: side),
            (x: 0.0, y: side),
        ]])
    }

    #[test]
    fn the_anchor_of_a_square_is_its_centre() {
        let anchor = anchor_of(&square(10_000.0)).unwrap();
        assert!((anchor.x - 5_000.0).abs() < 100.0, "{anchor:?}");
        assert!((anchor.y - 5_000.0).abs() < 100.0, "{anchor:?}");
        assert!((anchor.clearance_m - 5_000.0).abs() < 100.0, "{anchor:?}");
    }

    #[test]
    fn the_anchor_of_an_l_lies_in_its_thick_part() {
        // An L: a 10 km square with a long 1 km wide arm; the pole stays in the square.
        let l = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0),
            (x: 50_000.0, y: 0.0),
            (x: 50_000.0, y: 1_000.0),
            (x: 10_000.0, y: 1_000.0),
            (x: 10_000.0, y: 10_000.0),
            (x: 0.0, y: 10_000.0),
        ]]);
        let anchor = anchor_of(&l).unwrap();
        assert!(anchor.x < 10_000.0 && anchor.y > 1_000.0, "{anchor:?}");
        assert!(l.contains(&Point::new(anchor.x, anchor.y)));
    }

    fn candidate(region: usize, x: f64, priority: u64) -> LabelCandidate {
        LabelCandidate {
            region,
            text: format!("Ort {region}"),
            anchor: Anchor {
                x,
                y: 0.0,
                clearance_m: 5_000.0,
            },
            priority,
            width_per_px: font::text_width(&format!("Ort {region}"), 1.0),
            extent_m: [10_000.0, 10_000.0],
        }
    }

    #[test]
    fn overlapping_names_yield_to_the_first_and_zooming_in_frees_room() {
        let candidates = [candidate(0, 0.0, 9), candidate(1, 3_000.0, 5)];
        let style = LabelStyle::of(Level::Kreis, 1.0);
        let frame = |px_per_m| ScreenFrame {
            center: [0.0, 0.0],
            px_per_m,
            frame: [0.0, 0.0, 800.0, 600.0],
        };
        // 3 km apart at 0.005 px/m is 15 px: the second name would overlap the first.
        let far = place(&candidates, &frame(0.005), &style);
        assert_eq!(far.iter().map(|p| p.region).collect::<Vec<_>>(), [0]);
        // At 0.05 px/m they are 150 px apart: both fit.
        let near = place(&candidates, &frame(0.05), &style);
        assert_eq!(near.len(), 2);
        assert!(!boxes_intersect(&near[0].rect, &near[1].rect));
    }

    #[test]
    fn a_name_outside_the_frame_or_too_big_for_its_region_is_left_out() {
        let style = LabelStyle::of(Level::Gemeinde, 1.0);
        let frame = ScreenFrame {
            center: [0.0, 0.0],
            px_per_m: 0.01,
            frame: [0.0, 0.0, 400.0, 300.0],
        };
        assert!(place(&[candidate(0, 30_000.0, 1)], &frame, &style).is_empty());
        let mut tiny = candidate(1, 0.0, 1);
        tiny.anchor.clearance_m = 100.0;
        assert!(place(&[tiny], &frame, &style).is_empty());
        assert_eq!(place(&[candidate(2, 0.0, 1)], &frame, &style).len(), 1);
    }
}
