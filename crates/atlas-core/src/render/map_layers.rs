//! The map part of an export in pixels: region fills and borders, parent borders, the focus
//! outline and the site symbols. Computed once from the scene and the layout, then written by
//! both painters ([`super::svg`] as vector paths, [`super::raster`] as pixels), so the PNG and
//! the SVG of one job show the same shapes.
#![allow(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates: map metres become f32 pixels, bounded by the picture's size"
)]

use crate::cartography::palette::Rgba;
use crate::cartography::symbols::{self, Shape, site_symbol};
use crate::model::{Ags, Level};
use crate::render::{ExportJob, Layout};

/// Points closer than this to the previous one are left out of a ring: they are invisible at
/// the export's resolution and only cost writing and rasterising time.
const MIN_STEP_PX: f32 = 0.4;

/// A line of points in pixels; a ring when closed (the last point then joins the first).
pub type Ring = Vec<[f32; 2]>;

/// A stroke: colour and width in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pen {
    /// The stroke colour.
    pub color: Rgba,
    /// The width in pixels.
    pub width: f32,
}

/// The white edge around every site symbol, so symbols stay apart from the fills below.
pub const SYMBOL_EDGE: Pen = Pen {
    color: [255, 255, 255, 255],
    width: 1.0,
};

/// One filled region of the shown level.
pub struct RegionShape<'a> {
    /// The region's key (the SVG path's id).
    pub ags: &'a Ags,
    /// Its fill colour.
    pub fill: Rgba,
    /// Its rings (exteriors and holes; filled even-odd).
    pub rings: Vec<Ring>,
}

/// Lines stroked over the fills: the region borders, the parent level's borders, the focus.
pub struct Outline {
    /// The SVG id of the path.
    pub id: &'static str,
    /// How it is stroked.
    pub pen: Pen,
    /// The lines to stroke.
    pub lines: Vec<Ring>,
    /// Whether each line is a closed ring.
    pub closed: bool,
}

/// A site symbol in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Symbol {
    /// Centre x.
    pub x: f32,
    /// Centre y.
    pub y: f32,
    /// Size (the circle's radius; other shapes are scaled from it).
    pub r: f32,
    /// The shape.
    pub shape: Shape,
    /// The fill colour.
    pub fill: Rgba,
}

impl Symbol {
    /// The corners of a polygonal symbol, or `None` for a circle.
    pub fn corners(&self) -> Option<Vec<[f32; 2]>> {
        symbols::corners(self.shape, self.x, self.y, self.r)
    }
}

/// A leader line from a seat shared by several sites to one of the symbols spread around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leader {
    /// The seat.
    pub from: [f32; 2],
    /// The symbol's centre.
    pub to: [f32; 2],
}

/// Everything inside the map frame, in drawing order.
pub struct MapLayers<'a> {
    /// The map frame: left, top, width, height in px; nothing is drawn outside it.
    pub frame: [f32; 4],
    /// The frame's background (outside NRW).
    pub background: Rgba,
    /// The filled regions (fills only; their borders are in `outlines`).
    pub regions: Vec<RegionShape<'a>>,
    /// Region borders, parent borders and focus outline, in drawing order.
    pub outlines: Vec<Outline>,
    /// How leader lines are stroked.
    pub leader_pen: Pen,
    /// Leader lines of spread symbols.
    pub leaders: Vec<Leader>,
    /// The site symbols, on top.
    pub symbols: Vec<Symbol>,
}

impl<'a> MapLayers<'a> {
    /// The map layers of `job` placed by `layout`.
    pub fn new(job: &ExportJob<'a>, layout: &Layout) -> MapLayers<'a> {
        let scale = layout.scale as f32;
        let style = &job.scene.style;
        let atlas = job.atlas;
        let visible = visible_extent(layout);
        let regions = atlas
            .regions(job.scene.level)
            .iter()
            .zip(&job.scene.fills)
            .filter(|(region, _)| overlaps(&region.bbox, &visible))
            .map(|(region, fill)| RegionShape {
                ags: &region.ags,
                fill: *fill,
                rings: rings(layout, &region.geometry),
            })
            .collect();
        let mut outlines = vec![Outline {
            id: "borders",
            pen: Pen {
                color: style.outline,
                width: style.outline_px * scale,
            },
            lines: border_lines(job, layout, job.scene.level, job.scene.parent_level),
            closed: false,
        }];
        if let Some(parent) = job.scene.parent_level {
            outlines.push(Outline {
                id: "parent-borders",
                pen: Pen {
                    color: style.parent_outline,
                    width: style.parent_outline_px * scale,
                },
                lines: border_lines(job, layout, parent, None),
                closed: false,
            });
        }
        if let Some(region) = job.focus.as_ref().and_then(|a| atlas.get(a)) {
            outlines.push(Outline {
                id: "focus",
                pen: Pen {
                    color: style.selection,
                    width: 3.0 * scale,
                },
                lines: rings(layout, &region.geometry),
                closed: true,
            });
        }
        let (leaders, symbols) = site_symbols(job, layout, scale);
        let [x, y, w, h] = layout.map;
        MapLayers {
            frame: [x as f32, y as f32, w as f32, h as f32],
            background: style.background,
            regions,
            outlines,
            leader_pen: Pen {
                color: [60, 60, 60, 255],
                width: 0.8 * scale,
            },
            leaders,
            symbols,
        }
    }
}

/// The borders of `level` in pixels, each once, without those of `covered` and the levels above
/// it (a thicker pen draws them).
fn border_lines(
    job: &ExportJob,
    layout: &Layout,
    level: Level,
    covered: Option<Level>,
) -> Vec<Ring> {
    let network = job.atlas.borders();
    let first = covered.map_or(0, |c| c.index() + 1);
    let visible = visible_extent(layout);
    Level::ALL[first..=level.index()]
        .iter()
        .flat_map(|&l| network.own(l))
        .filter(|line| line_overlaps(line, &visible))
        .map(|line| thinned(layout, line, false))
        .collect()
}

/// The map metres the map frame shows, with a margin of a few pixels for line widths: regions
/// and border lines wholly outside it are invisible and left out (a focused map, an atlas page,
/// stays small).
fn visible_extent(layout: &Layout) -> geo::Rect<f64> {
    let [_, _, w, h] = layout.map;
    let per_px = 1.0 / layout.px_per_m.max(f64::MIN_POSITIVE);
    let (half_w, half_h) = ((w / 2.0 + 8.0) * per_px, (h / 2.0 + 8.0) * per_px);
    let [cx, cy] = layout.center;
    geo::Rect::new((cx - half_w, cy - half_h), (cx + half_w, cy + half_h))
}

fn overlaps(a: &geo::Rect<f64>, b: &geo::Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && a.max().x >= b.min().x
        && a.min().y <= b.max().y
        && a.max().y >= b.min().y
}

/// Whether any part of a line's bounding box lies in `visible`.
fn line_overlaps(line: &[geo::Coord<f64>], visible: &geo::Rect<f64>) -> bool {
    let Some(first) = line.first() else {
        return false;
    };
    let (mut min, mut max) = (*first, *first);
    for c in line {
        min.x = min.x.min(c.x);
        min.y = min.y.min(c.y);
        max.x = max.x.max(c.x);
        max.y = max.y.max(c.y);
    }
    overlaps(&geo::Rect::new(min, max), visible)
}

/// The rings of a multipolygon in pixels, thinned.
fn rings(layout: &Layout, geometry: &geo::MultiPolygon<f64>) -> Vec<Ring> {
    geometry
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .map(|ring| thinned(layout, &ring.0, true))
        .collect()
}

/// A line in pixels without points closer than [`MIN_STEP_PX`] to the previous one. An open
/// line keeps its last point (where the next line continues).
fn thinned(layout: &Layout, coords: &[geo::Coord<f64>], closed: bool) -> Ring {
    let mut points: Ring = Vec::with_capacity(coords.len());
    for c in coords {
        let (x, y) = layout.px(c.x, c.y);
        let point = [x as f32, y as f32];
        if let Some(last) = points.last()
            && (point[0] - last[0]).hypot(point[1] - last[1]) < MIN_STEP_PX
        {
            continue;
        }
        points.push(point);
    }
    if !closed && coords.len() > 1 {
        let (x, y) = coords.last().map_or((0.0, 0.0), |c| layout.px(c.x, c.y));
        let end = [x as f32, y as f32];
        if points.len() > 1 {
            points.pop();
        }
        points.push(end);
    }
    points
}

/// The visible sites as symbols; sites sharing a seat are spread on a small circle around it,
/// each with a leader line to the seat.
fn site_symbols(job: &ExportJob, layout: &Layout, scale: f32) -> (Vec<Leader>, Vec<Symbol>) {
    let groups = job.sites.seat_groups(|t| job.site_types.contains(t));
    let r = symbols::radius(scale);
    let (mut leaders, mut symbols) = (Vec::new(), Vec::new());
    for members in &groups {
        let first = &job.sites.sites[members[0]];
        let (ax, ay) = layout.px(first.x, first.y);
        let anchor = [ax as f32, ay as f32];
        let spots = symbols::spread(anchor, members.len(), scale);
        for (&i, [x, y]) in members.iter().zip(spots) {
            if members.len() > 1 {
                leaders.push(Leader {
                    from: anchor,
                    to: [x, y],
                });
            }
            let (fill, shape) = site_symbol(&job.sites.sites[i].site_type);
            symbols.push(Symbol {
                x,
                y,
                r,
                shape,
                fill,
            });
        }
    }
    (leaders, symbols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_symbol_spans_1_8_r() {
        let symbol = Symbol {
            x: 10.0,
            y: 20.0,
            r: 5.0,
            shape: Shape::Square,
            fill: [0, 0, 0, 255],
        };
        let corners = symbol.corners().unwrap();
        assert_eq!(corners[0], [5.5, 15.5]);
        assert_eq!(corners[2], [14.5, 24.5]);
        let circle = Symbol {
            shape: Shape::Circle,
            ..symbol
        };
        assert!(circle.corners().is_none());
    }
}
