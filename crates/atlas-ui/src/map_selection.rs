//! Selecting regions on the map for the linked views: a click selects the region under the
//! pointer, Shift+click adds or removes it, Shift+drag draws a rectangle that selects every
//! region whose name anchor lies inside (Ctrl or ⌘ as well keeps the regions selected before).
//! The selected regions are outlined on the canvas.
#![allow(
    clippy::cast_possible_truncation,
    reason = "egui draws in f32 points; screen positions are bounded by the canvas"
)]

use eframe::egui::{self, Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

use crate::map_view::{MapInteraction, MapView};
use crate::mesh_cache::{MapGeometry, screen_ring};
use crate::selection::Selection;
use atlas_core::model::{Atlas, Level};

/// The rectangle being drawn with Shift+drag, in screen points.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MapBrush {
    start: Option<Pos2>,
}

/// Applies clicks and the Shift+drag rectangle on the map to the selection; paints the
/// rectangle while it is drawn.
pub fn map_pointer_ui(
    ui: &egui::Ui,
    interaction: &MapInteraction,
    brush: &mut MapBrush,
    view: &MapView,
    atlas: &Atlas,
    level: Level,
    selection: &mut Selection,
) {
    let Some(response) = interaction.response.as_ref() else {
        return;
    };
    let canvas = response.rect;
    let modifiers = ui.input(|i| i.modifiers);
    if interaction.clicked {
        let hit = interaction
            .pointer_in_map
            .and_then(|[x, y]| atlas.locate_in(level, x, y));
        match (hit, modifiers.shift) {
            (Some(id), true) => selection.toggle(id.index),
            (Some(id), false) => selection.set([id.index]),
            (None, false) => selection.clear(),
            (None, true) => {}
        }
    }
    if response.drag_started() && modifiers.shift {
        brush.start = ui.input(|i| i.pointer.press_origin());
    }
    let Some(start) = brush.start else {
        return;
    };
    let now = ui.input(|i| i.pointer.interact_pos()).unwrap_or(start);
    let rect = Rect::from_two_pos(start, now);
    ui.painter_at(canvas).rect(
        rect,
        0.0,
        Color32::from_rgba_unmultiplied(213, 94, 0, 30),
        Stroke::new(1.5, Color32::from_rgb(213, 94, 0)),
        StrokeKind::Inside,
    );
    if response.drag_stopped() || !ui.input(|i| i.pointer.any_down()) {
        brush.start = None;
        let a = view.map_from_screen(canvas, rect.left_top());
        let b = view.map_from_screen(canvas, rect.right_bottom());
        let (min, max) = (
            [a[0].min(b[0]), a[1].min(b[1])],
            [a[0].max(b[0]), a[1].max(b[1])],
        );
        let inside = atlas
            .label_candidates(level)
            .iter()
            .filter(|c| {
                (min[0]..=max[0]).contains(&c.anchor.x) && (min[1]..=max[1]).contains(&c.anchor.y)
            })
            .map(|c| c.region)
            .collect::<Vec<_>>();
        selection.choose(inside, modifiers.command);
    }
}

/// Outlines the selected regions on the canvas.
pub fn paint_selection(
    painter: &egui::Painter,
    view: &MapView,
    canvas: Rect,
    geometry: &MapGeometry,
    selection: &Selection,
) {
    if selection.is_empty() {
        return;
    }
    let origin = geometry.origin();
    let scale = view.pt_per_m as f32;
    let center = canvas.center();
    let offset = Vec2::new(
        center.x - ((view.center[0] - origin[0]) * view.pt_per_m) as f32,
        center.y + ((view.center[1] - origin[1]) * view.pt_per_m) as f32,
    );
    let stroke = Stroke::new(2.5, Color32::from_rgb(213, 94, 0));
    let level = geometry.level(selection.level());
    let mut points = Vec::new();
    for index in selection.indices() {
        for ring in level.rings(index) {
            screen_ring(ring, scale, offset, &mut points);
            if points.len() >= 3 {
                points.push(points[0]);
                painter.add(Shape::line(std::mem::take(&mut points), stroke));
            }
            points.clear();
        }
    }
}
