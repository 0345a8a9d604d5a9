//! The map canvas: the view transform between map metres and screen points, and the widget that
//! pans, zooms, hovers and clicks.

use eframe::egui::{self, Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2};

use crate::model::{Atlas, RegionId};
use crate::scene::{Scene, scale_bar};
use crate::ui::mesh_cache::{MapGeometry, ScreenCache, color, screen_ring};

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
    atlas: &Atlas,
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
    scale_bar_ui(&painter, canvas, view.pt_per_m);
    attribution_ui(&painter, canvas, &scene.attribution);

    let _ = atlas;
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
    if response.dragged() {
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

fn attribution_ui(painter: &egui::Painter, canvas: Rect, text: &str) {
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
    painter.galley(pos, galley, Color32::from_gray(40));
}
