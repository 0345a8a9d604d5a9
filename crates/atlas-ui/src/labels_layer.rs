//! Region names on the canvas: the scene's label layer placed by the core's one placement
//! ([`atlas_core::cartography::labels::place`]) in the window's frame, and painted in the bundled
//! export font with a white halo, so the window and the exports measure and place the same names.
#![allow(
    clippy::cast_possible_truncation,
    reason = "egui draws in f32 points; label positions are bounded by the canvas"
)]

use eframe::egui::{self, Color32, FontFamily, FontId, Pos2, Rect, Vec2};

use crate::map_view::MapView;
use atlas_core::cartography::labels::{LabelLayer, PlacedLabel, ScreenFrame};

/// The egui font family that holds the bundled export font.
const FAMILY: &str = "atlas-labels";

/// The placed names of the last frame, kept while neither the view nor the layer changes.
#[derive(Default)]
pub struct LabelsCache {
    key: Option<(MapView, [f32; 4], usize, atlas_core::model::Level)>,
    placed: Vec<PlacedLabel>,
}

impl LabelsCache {
    /// The names placed in `canvas` at `view` (placed anew only when either changed).
    pub fn placed(&mut self, layer: &LabelLayer, view: &MapView, canvas: Rect) -> &[PlacedLabel] {
        let key = (
            *view,
            [canvas.min.x, canvas.min.y, canvas.width(), canvas.height()],
            layer.candidates.len(),
            layer.level,
        );
        if self.key != Some(key) {
            self.placed = layer.place(&screen_frame(view, canvas), 1.0);
            self.key = Some(key);
        }
        &self.placed
    }
}

/// Computes the name anchors of the shown levels on a background thread, so that switching the
/// names on never waits for them (about 0.1 s for the Gemeinden on two cores).
pub fn precompute_anchors(atlas: &std::sync::Arc<atlas_core::model::Atlas>) {
    let atlas = std::sync::Arc::clone(atlas);
    std::thread::spawn(move || {
        for level in [
            atlas_core::model::Level::Kreis,
            atlas_core::model::Level::Gemeinde,
            atlas_core::model::Level::Bezirk,
        ] {
            atlas.label_candidates(level);
        }
    });
}

/// The canvas as the label placement sees it.
pub fn screen_frame(view: &MapView, canvas: Rect) -> ScreenFrame {
    ScreenFrame {
        center: view.center,
        px_per_m: view.pt_per_m,
        frame: [
            f64::from(canvas.min.x),
            f64::from(canvas.min.y),
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        ],
    }
}

/// Makes the bundled export font available to egui (once; it is active from the next frame).
/// Returns whether it can be used in this frame.
pub fn ensure_font(ctx: &egui::Context) -> bool {
    let family = FontFamily::Name(FAMILY.into());
    if ctx.fonts(|f| f.families().contains(&family)) {
        return true;
    }
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "ubuntu-light-labels",
        egui::FontData::from_static(atlas_core::render::FONT),
        vec![egui::epaint::text::InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Highest,
        }],
    ));
    ctx.request_repaint();
    false
}

/// The egui font size that sets text as wide as the core measures it at `size` (egui scales
/// glyphs by the font's line height, the core by its em square).
fn egui_size(painter: &egui::Painter, size: f64) -> f32 {
    let reference = "Hochsauerlandkreis";
    let font = FontId::new(size as f32, FontFamily::Name(FAMILY.into()));
    let drawn = painter
        .layout_no_wrap(reference.to_owned(), font, Color32::BLACK)
        .size()
        .x;
    let measured = atlas_core::render::font::text_width(reference, size) as f32;
    if drawn > 0.0 {
        size as f32 * measured / drawn
    } else {
        size as f32
    }
}

/// Paints placed names: a white halo (the text drawn around it) under dark text, centred on
/// each label's box.
pub fn paint_labels(painter: &egui::Painter, labels: &[PlacedLabel]) {
    let Some(first) = labels.first() else {
        return;
    };
    let size = egui_size(painter, first.size);
    let font = FontId::new(size, FontFamily::Name(FAMILY.into()));
    let halo = Color32::from_white_alpha(230);
    let ink = Color32::from_gray(25);
    for label in labels {
        let center = Pos2::new(
            ((label.rect[0] + label.rect[2]) / 2.0) as f32,
            ((label.rect[1] + label.rect[3]) / 2.0) as f32,
        );
        let galley = painter.layout_no_wrap(label.text.clone(), font.clone(), Color32::PLACEHOLDER);
        let top_left = center - galley.size() / 2.0;
        let r = label.halo as f32 * 0.75;
        for offset in [
            Vec2::new(-r, 0.0),
            Vec2::new(r, 0.0),
            Vec2::new(0.0, -r),
            Vec2::new(0.0, r),
            Vec2::new(-r, -r) * 0.7,
            Vec2::new(r, r) * 0.7,
            Vec2::new(-r, r) * 0.7,
            Vec2::new(r, -r) * 0.7,
        ] {
            painter.galley(top_left + offset, galley.clone(), halo);
        }
        painter.galley(top_left, galley, ink);
    }
}
