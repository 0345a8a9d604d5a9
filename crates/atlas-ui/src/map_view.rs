//! The map canvas: the view transform between map metres and screen points, and the widget that
//! pans, zooms, hovers and clicks.
#![allow(
    clippy::cast_possible_truncation,
    reason = "egui draws in f32 points; mesh indices are u32 in epaint and bounded by the mesh"
)]

use eframe::egui::{self, Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2};

use crate::mesh_cache::{MapGeometry, ScreenCache, color, screen_ring};
use atlas_core::cartography::scene::{Scene, scale_bar};
use atlas_core::model::RegionId;

/// Smallest and largest zoom, in screen points per metre (whole NRW … a street block).
const ZOOM_RANGE: (f64, f64) = (1.0e-4, 2.0);

/// What the map shows: a centre in EPSG:25832 metres and a zoom in screen points per metre.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    /// The map point at the centre of the canvas.
    pub center: [f64; 2],
    /// Screen points per map metre.
    pub pt_per_m: f64,
}

impl MapView {
    /// The view that shows `bounds` (min/max in metres) in `canvas` with a small margin.
    pub fn fit(bounds: geo::Rect<f64>, canvas: Rect) -> MapView {
        let margin = 0.92;
        let sx = canvas.width() as f64 / bounds.width().max(1.0);
        let sy = canvas.height() as f64 / bounds.height().max(1.0);
        let center = bounds.center();
        MapView {
            center: [center.x, center.y],
            pt_per_m: (sx.min(sy) * margin).clamp(ZOOM_RANGE.0, ZOOM_RANGE.1),
        }
    }

    /// Screen position of a map point.
    pub fn screen_from_map(&self, canvas: Rect, x: f64, y: f64) -> Pos2 {
        let c = canvas.center();
        Pos2::new(
            c.x + ((x - self.center[0]) * self.pt_per_m) as f32,
            c.y - ((y - self.center[1]) * self.pt_per_m) as f32,
        )
    }

    /// Map point under a screen position.
    pub fn map_from_screen(&self, canvas: Rect, pos: Pos2) -> [f64; 2] {
        let c = canvas.center();
        [
            self.center[0] + (pos.x - c.x) as f64 / self.pt_per_m,
            self.center[1] - (pos.y - c.y) as f64 / self.pt_per_m,
        ]
    }

    /// Moves the map by a screen delta (as when dragging).
    pub fn pan(&mut self, delta: Vec2) {
        self.center[0] -= delta.x as f64 / self.pt_per_m;
        self.center[1] += delta.y as f64 / self.pt_per_m;
    }

    /// Zooms by `factor`, keeping the map point under `anchor` in place.
    pub fn zoom_at(&mut self, canvas: Rect, anchor: Pos2, factor: f64) {
        let before = self.map_from_screen(canvas, anchor);
        self.pt_per_m = (self.pt_per_m * factor).clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        let after = self.map_from_screen(canvas, anchor);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }

    /// Offset that places local mesh coordinates (scaled) on screen.
    fn mesh_offset(&self, canvas: Rect, origin: [f64; 2]) -> Vec2 {
        let c = canvas.center();
        Vec2::new(
            c.x - ((self.center[0] - origin[0]) * self.pt_per_m) as f32,
            c.y + ((self.center[1] - origin[1]) * self.pt_per_m) as f32,
        )
    }
}

/// What happened on the canvas this frame.
#[derive(Debug, Default)]
pub struct MapInteraction {
    /// The map point under the pointer, if it is over the canvas.
    pub pointer_in_map: Option<[f64; 2]>,
    /// True when the canvas was clicked (not dragged).
    pub clicked: bool,
    /// The canvas response, for tooltips.
    pub response: Option<egui::Response>,
}

/// Draws the scene and handles pan and zoom. Returns what the pointer did.
pub fn map_ui(
    ui: &mut egui::Ui,
    view: &mut MapView,
    geometry: &MapGeometry,
    scene: &Scene,
    cache: &mut ScreenCache,
) -> MapInteraction {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Canvas, true, "Karte"));
    let canvas = response.rect;
    handle_navigation(ui, &response, view, canvas);

    painter.rect_filled(canvas, 0.0, color(scene.style.background));
    let ppp = ui.ctx().pixels_per_point();
    let offset = view.mesh_offset(canvas, geometry.origin());
    let (fill, lines) = cache.meshes(geometry, scene, view.pt_per_m as f32, ppp, offset);
    painter.add(Shape::Mesh(fill));
    painter.add(Shape::Mesh(lines));

    let stroke_of = |rgba, width| Stroke::new(width, color(rgba));
    if let Some(id) = scene.hover {
        outline_region(
            &painter,
            view,
            canvas,
            geometry,
            id,
            stroke_of(scene.style.hover, 2.5),
        );
    }
    if let Some(id) = scene.selection {
        outline_region(
            &painter,
            view,
            canvas,
            geometry,
            id,
            stroke_of(scene.style.selection, 3.0),
        );
    }
    let extra_lines_height = attribution_ui(&painter, canvas, &scene.attribution);
    // Scale bar and legend stand above the attribution, however many lines it wraps into.
    let above_attribution = canvas.with_max_y(canvas.bottom() - extra_lines_height);
    scale_bar_ui(&painter, above_attribution, view.pt_per_m);
    if let Some(legend) = &scene.legend {
        legend_ui(ui, above_attribution, legend);
    }
    if let Some(title) = &scene.title {
        title_ui(&painter, canvas, title);
    }

    let pointer_in_map = response
        .hover_pos()
        .map(|pos| view.map_from_screen(canvas, pos));
    MapInteraction {
        pointer_in_map,
        clicked: response.clicked(),
        response: Some(response),
    }
}

fn handle_navigation(ui: &egui::Ui, response: &egui::Response, view: &mut MapView, canvas: Rect) {
    // Shift+drag draws a selection rectangle instead (see `map_selection`).
    if response.dragged() && !ui.input(|i| i.modifiers.shift) {
        view.pan(response.drag_delta());
    }
    if response.hovered() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        if let Some(anchor) = response.hover_pos() {
            if scroll != 0.0 {
                view.zoom_at(canvas, anchor, (scroll as f64 / 200.0).exp());
            }
            if zoom != 1.0 {
                view.zoom_at(canvas, anchor, zoom as f64);
            }
        }
    }
    let typing = ui.ctx().egui_wants_keyboard_input();
    if !typing {
        let (plus, minus) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals),
                i.key_pressed(egui::Key::Minus),
            )
        });
        if plus {
            view.zoom_at(canvas, canvas.center(), 1.5);
        }
        if minus {
            view.zoom_at(canvas, canvas.center(), 1.0 / 1.5);
        }
    }
}

fn outline_region(
    painter: &egui::Painter,
    view: &MapView,
    canvas: Rect,
    geometry: &MapGeometry,
    id: RegionId,
    stroke: Stroke,
) {
    let origin = geometry.origin();
    let offset = view.mesh_offset(canvas, origin);
    let scale = view.pt_per_m as f32;
    let mut points = Vec::new();
    for ring in geometry.level(id.level).rings(id.index) {
        screen_ring(ring, scale, offset, &mut points);
        if points.len() >= 3 {
            points.push(points[0]);
            painter.add(Shape::line(std::mem::take(&mut points), stroke));
        }
    }
}

fn scale_bar_ui(painter: &egui::Painter, canvas: Rect, pt_per_m: f64) {
    let (km, width) = scale_bar(pt_per_m, 160.0);
    let left = canvas.left_bottom() + Vec2::new(14.0, -38.0);
    let right = left + Vec2::new(width as f32, 0.0);
    let backdrop = Rect::from_min_max(left - Vec2::new(8.0, 24.0), right + Vec2::new(8.0, 6.0));
    painter.rect_filled(backdrop, 2.0, Color32::from_white_alpha(210));
    let stroke = Stroke::new(2.0, Color32::from_gray(40));
    painter.line_segment([left, right], stroke);
    for end in [left, right] {
        painter.line_segment([end, end - Vec2::new(0.0, 6.0)], stroke);
    }
    let label = if km >= 1.0 {
        format!("{km} km")
    } else {
        format!("{} m", km * 1000.0)
    };
    painter.text(
        left + Vec2::new(width as f32 / 2.0, -8.0),
        Align2::CENTER_BOTTOM,
        label,
        FontId::proportional(12.0),
        Color32::from_gray(30),
    );
}

/// Draws the attribution along the bottom of the canvas; returns the height of the lines it
/// wraps into beyond the first.
fn attribution_ui(painter: &egui::Painter, canvas: Rect, text: &str) -> f32 {
    let font = FontId::proportional(11.0);
    let galley = painter.layout(
        text.to_owned(),
        font,
        Color32::from_gray(40),
        canvas.width() - 16.0,
    );
    let pos = canvas.left_bottom() + Vec2::new(6.0, -galley.size().y - 6.0);
    let background = Rect::from_min_size(pos, galley.size()).expand(3.0);
    painter.rect_filled(background, 2.0, Color32::from_white_alpha(210));
    let rows = galley.rows.len().max(1) as f32;
    let extra = galley.size().y * (rows - 1.0) / rows;
    painter.galley(pos, galley, Color32::from_gray(40));
    extra
}

/// The legend in the lower right corner of the canvas: title, method, classes with counts,
/// no-data, source and caveats. Drawn as widgets, so screen readers and UI tests can read it.
fn legend_ui(ui: &egui::Ui, canvas: Rect, legend: &atlas_core::cartography::choropleth::Legend) {
    egui::Area::new(egui::Id::unique("map_legend"))
        .order(egui::Order::Middle)
        .pivot(Align2::RIGHT_BOTTOM)
        .fixed_pos(canvas.right_bottom() - Vec2::new(10.0, 26.0))
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(Color32::from_white_alpha(238))
                .stroke(Stroke::new(1.0, Color32::from_gray(170)))
                .corner_radius(4.0)
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.set_max_width(260.0);
                    ui.visuals_mut().override_text_color = Some(Color32::from_gray(20));
                    ui.label(
                        egui::RichText::new(&legend.title)
                            .strong()
                            .size(13.0)
                            .color(Color32::from_gray(10)),
                    );
                    if let Some(method) = &legend.method {
                        ui.label(egui::RichText::new(method).size(10.5));
                    }
                    egui::Grid::new("legend_rows")
                        .num_columns(3)
                        .spacing([8.0, 3.0])
                        .show(ui, |ui| {
                            for entry in legend.entries.iter().chain(legend.nodata.iter()) {
                                let (rect, _) =
                                    ui.allocate_exact_size(Vec2::new(22.0, 14.0), Sense::hover());
                                ui.painter().rect_filled(rect, 0.0, color(entry.color));
                                ui.painter().rect_stroke(
                                    rect,
                                    0.0,
                                    // A box map's outlier classes get a bold frame.
                                    if entry.outlier {
                                        Stroke::new(2.0, Color32::BLACK)
                                    } else {
                                        Stroke::new(0.5, Color32::from_gray(120))
                                    },
                                    egui::StrokeKind::Inside,
                                );
                                ui.label(&entry.label);
                                ui.label(format!("({})", entry.count));
                                ui.end_row();
                            }
                        });
                    ui.label(egui::RichText::new(&legend.source).size(9.5));
                    if let Some(note) = &legend.note {
                        ui.label(egui::RichText::new(note).size(9.5));
                    }
                });
        });
}

/// The map title in the upper left corner.
fn title_ui(painter: &egui::Painter, canvas: Rect, title: &str) {
    let text = painter.layout(
        title.to_owned(),
        FontId::proportional(15.0),
        Color32::from_gray(10),
        canvas.width() - 40.0,
    );
    let pos = canvas.left_top() + Vec2::new(12.0, 10.0);
    painter.rect_filled(
        Rect::from_min_size(pos, text.size()).expand(5.0),
        3.0,
        Color32::from_white_alpha(225),
    );
    painter.galley(pos, text, Color32::BLACK);
}
