//! Meshes for the map: polygons triangulated once at load, and a screen cache that is rebuilt only
//! when the zoom, the level or the colours change — panning only shifts the cached vertices.
#![allow(
    clippy::cast_possible_truncation,
    reason = "egui draws in f32 points; mesh indices are u32 in epaint and bounded by the mesh"
)]

use std::ops::Range;
use std::sync::Arc;

use eframe::egui::{Color32, Mesh, Pos2, Stroke, Vec2};
use eframe::epaint::{PathShape, TessellationOptions, Tessellator};
use geo::TriangulateEarcut as _;

use atlas_core::cartography::scene::{Rgba, Scene};
use atlas_core::model::{Atlas, Level};

/// Converts a scene colour to egui's.
pub fn color(rgba: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(rgba[0], rgba[1], rgba[2], rgba[3])
}

/// The triangulated fill and the border rings of every region of one level, in local coordinates:
/// metres from the map origin, with y pointing down (screen orientation).
#[derive(Debug, Default)]
pub struct LevelGeometry {
    fill: Mesh,
    vertex_ranges: Vec<Range<usize>>,
    rings: Vec<Vec<Vec<Pos2>>>,
}

impl LevelGeometry {
    /// The border rings of region `index`, in local coordinates.
    pub fn rings(&self, index: usize) -> &[Vec<Pos2>] {
        &self.rings[index]
    }
}

/// The geometry of all four levels, built once per atlas.
#[derive(Debug)]
pub struct MapGeometry {
    origin: [f64; 2],
    levels: [LevelGeometry; 4],
}

impl MapGeometry {
    /// Triangulates every region of every level: the Gemeinden (most of the work) on this
    /// thread, the other levels on a second one.
    pub fn build(atlas: &Atlas) -> MapGeometry {
        let bounds = atlas.bounds();
        let origin = [bounds.min().x, bounds.max().y];
        let mut levels: [LevelGeometry; 4] = Default::default();
        std::thread::scope(|scope| {
            let (others, gemeinden) = levels.split_at_mut(Level::Gemeinde as usize);
            let others_done = scope.spawn(|| {
                for (geometry, level) in others.iter_mut().zip(Level::ALL) {
                    *geometry = build_level(atlas, level, origin);
                }
            });
            gemeinden[0] = build_level(atlas, Level::Gemeinde, origin);
            if let Err(panic) = others_done.join() {
                std::panic::resume_unwind(panic);
            }
        });
        MapGeometry { origin, levels }
    }

    /// The map origin (top-left of NRW) in EPSG:25832 metres.
    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }

    /// One level's geometry.
    pub fn level(&self, level: Level) -> &LevelGeometry {
        &self.levels[level as usize]
    }
}

fn build_level(atlas: &Atlas, level: Level, origin: [f64; 2]) -> LevelGeometry {
    let local = |x: f64, y: f64| Pos2::new((x - origin[0]) as f32, (origin[1] - y) as f32);
    let mut geometry = LevelGeometry::default();
    for region in atlas.regions(level) {
        let start = geometry.fill.vertices.len();
        let mut rings = Vec::new();
        for polygon in &region.geometry {
            let raw = polygon.earcut_triangles_raw();
            let base = geometry.fill.vertices.len() as u32;
            for xy in &raw.vertices {
                geometry
                    .fill
                    .colored_vertex(local(xy[0], xy[1]), Color32::WHITE);
            }
            for tri in raw.triangle_indices.chunks_exact(3) {
                geometry.fill.add_triangle(
                    base + tri[0] as u32,
                    base + tri[1] as u32,
                    base + tri[2] as u32,
                );
            }
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                rings.push(ring.coords().map(|c| local(c.x, c.y)).collect());
            }
        }
        geometry
            .vertex_ranges
            .push(start..geometry.fill.vertices.len());
        geometry.rings.push(rings);
    }
    geometry
}

/// What the scaled meshes were built for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ScaleKey {
    level: Level,
    parent_level: Option<Level>,
    px_per_m: f32,
    pixels_per_point: f32,
    fill_key: u64,
}

/// Screen meshes of the current view: scaled and coloured once per zoom or style change, then
/// shifted by the pan offset each frame.
#[derive(Default)]
pub struct ScreenCache {
    key: Option<ScaleKey>,
    panned: PannedMeshes,
    /// How often the scaled meshes were rebuilt (for tests and diagnostics).
    pub rebuilds: usize,
}

impl ScreenCache {
    /// The fill and border meshes of `scene` at `px_per_m`, shifted by `offset` (screen points).
    pub fn meshes(
        &mut self,
        geometry: &MapGeometry,
        scene: &Scene,
        px_per_m: f32,
        pixels_per_point: f32,
        offset: Vec2,
    ) -> (Arc<Mesh>, Arc<Mesh>) {
        let key = ScaleKey {
            level: scene.level,
            parent_level: scene.parent_level,
            px_per_m,
            pixels_per_point,
            fill_key: scene.fill_key(),
        };
        let rebuilt = self.key != Some(key);
        if rebuilt {
            self.rebuild(geometry, scene, px_per_m, pixels_per_point);
            self.key = Some(key);
        }
        self.panned.shifted(offset, rebuilt)
    }

    fn rebuild(&mut self, geometry: &MapGeometry, scene: &Scene, px_per_m: f32, ppp: f32) {
        self.rebuilds += 1;
        let level = geometry.level(scene.level);
        let fill = &mut self.panned.scaled_fill;
        fill.clone_from(&level.fill);
        for (range, rgba) in level.vertex_ranges.iter().zip(&scene.fills) {
            let c = color(*rgba);
            for v in &mut fill.vertices[range.clone()] {
                v.pos = (v.pos.to_vec2() * px_per_m).to_pos2();
                v.color = c;
            }
        }
        self.panned.scaled_lines.clear();
        let mut tessellator = Tessellator::new(ppp, TessellationOptions::default(), [1, 1], vec![]);
        let style = &scene.style;
        let own = Stroke::new(style.outline_px, color(style.outline));
        tessellate_rings(
            &mut tessellator,
            level,
            px_per_m,
            own,
            &mut self.panned.scaled_lines,
        );
        if let Some(parent) = scene.parent_level {
            let stroke = Stroke::new(style.parent_outline_px, color(style.parent_outline));
            let parent = geometry.level(parent);
            tessellate_rings(
                &mut tessellator,
                parent,
                px_per_m,
                stroke,
                &mut self.panned.scaled_lines,
            );
        }
    }
}

fn tessellate_rings(
    tessellator: &mut Tessellator,
    level: &LevelGeometry,
    px_per_m: f32,
    stroke: Stroke,
    out: &mut Mesh,
) {
    let mut points = Vec::new();
    for ring in level.rings.iter().flatten() {
        thin_ring(ring, px_per_m, &mut points);
        if points.len() >= 3 {
            // An open path back to the start: epaint cuts off sharp corners of open paths but
            // not of closed loops, where they shoot out as long miter spikes.
            points.push(points[0]);
            let path = PathShape::line(std::mem::take(&mut points), stroke);
            tessellator.tessellate_path(&path, out);
        }
    }
}

/// Scales a ring to screen points and drops points closer than [`MIN_STEP_PT`] to the last one
/// kept (and the closing duplicate): below a pixel they add nothing visible, and their random
/// directions make ragged joins.
fn thin_ring(ring: &[Pos2], px_per_m: f32, out: &mut Vec<Pos2>) {
    screen_ring(ring, px_per_m, Vec2::ZERO, out);
}

/// A ring on screen as an open path back to its start (see `thin_ring`), scaled by `px_per_m`
/// and moved by `offset`; empty when it is smaller than a few pixels.
pub fn screen_ring(ring: &[Pos2], px_per_m: f32, offset: Vec2, out: &mut Vec<Pos2>) {
    out.clear();
    for p in ring {
        let p = (p.to_vec2() * px_per_m + offset).to_pos2();
        if out
            .last()
            .is_none_or(|last: &Pos2| last.distance(p) >= MIN_STEP_PT)
        {
            out.push(p);
        }
    }
    while out.len() > 1 && out[0].distance(out[out.len() - 1]) < MIN_STEP_PT {
        out.pop();
    }
}

/// Smallest distance between consecutive border points on screen, in points.
const MIN_STEP_PT: f32 = 0.6;

/// Meshes scaled once per zoom (or style) and their copies shifted by the pan offset, so that
/// panning only moves vertices: the map's meshes and the grid layer's.
#[derive(Default)]
pub struct PannedMeshes {
    /// The fill mesh at the current zoom, unshifted (filled by the owner's rebuild).
    pub scaled_fill: Mesh,
    /// The line mesh at the current zoom, unshifted.
    pub scaled_lines: Mesh,
    offset: Option<Vec2>,
    fill: Arc<Mesh>,
    lines: Arc<Mesh>,
}

impl PannedMeshes {
    /// The fill and line meshes moved by `offset` (screen points); `rebuilt` says the scaled
    /// meshes changed since the last call. Shifts only when either changed.
    pub fn shifted(&mut self, offset: Vec2, rebuilt: bool) -> (Arc<Mesh>, Arc<Mesh>) {
        if rebuilt || self.offset != Some(offset) {
            shift_into(
                &self.scaled_fill,
                offset,
                rebuilt,
                Arc::make_mut(&mut self.fill),
            );
            shift_into(
                &self.scaled_lines,
                offset,
                rebuilt,
                Arc::make_mut(&mut self.lines),
            );
            self.offset = Some(offset);
        }
        (Arc::clone(&self.fill), Arc::clone(&self.lines))
    }
}

/// Copies `source` into `target` moved by `offset`; the indices only when they changed.
fn shift_into(source: &Mesh, offset: Vec2, indices_changed: bool, target: &mut Mesh) {
    if indices_changed {
        target.indices.clone_from(&source.indices);
        target.texture_id = source.texture_id;
    }
    target.vertices.clear();
    target.vertices.extend(source.vertices.iter().map(|v| {
        let mut v = *v;
        v.pos += offset;
        v
    }));
}
