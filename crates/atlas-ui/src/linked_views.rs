//! The linked views: map, histogram, table and scatter plot over one [`Selection`], in the
//! manner of GeoDa. A bar under the top bar toggles the names on the map and the three views
//! (each its own window) and holds the selection's tools: clear, invert, zoom to, export as a
//! list. The app calls [`views_bar_ui`], [`map_layers_ui`] and [`windows_ui`] once a frame.

use std::sync::Arc;

use eframe::egui;

use crate::histogram_view::{HistogramView, histogram_ui};
use crate::labels_layer::{LabelsCache, ensure_font, paint_labels};
use crate::map_selection::{MapBrush, map_pointer_ui, paint_selection};
use crate::map_view::{MapInteraction, MapView};
use crate::mesh_cache::MapGeometry;
use crate::scatter_view::{ScatterView, scatter_ui};
use crate::selection::{CsvExport, Selection};
use crate::table_view::{TableView, table_ui};
use crate::thematic_panel::ThematicState;
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::cartography::choropleth::Choropleth;
use atlas_core::cartography::scene::Scene;
use atlas_core::i18n::Lang;
use atlas_core::model::{Atlas, Level};

/// The state of the linked views.
#[derive(Default)]
pub struct LinkedViews {
    /// The regions selected in any view.
    pub selection: Selection,
    /// Names on the map switched on or off per level by the user (`None`: on at Kreis level).
    pub names: [Option<bool>; 4],
    /// Whether the histogram window is open.
    pub show_histogram: bool,
    /// Whether the table window is open.
    pub show_table: bool,
    /// Whether the scatter plot window is open.
    pub show_scatter: bool,
    /// The histogram.
    pub histogram: HistogramView,
    /// The table.
    pub table: TableView,
    /// The scatter plot.
    pub scatter: ScatterView,
    /// Writing the selection as a list.
    pub selection_export: CsvExport,
    /// Whether the row for the list export is shown.
    pub show_selection_export: bool,
    brush: MapBrush,
    labels: LabelsCache,
    zoom_to: Option<geo::Rect<f64>>,
}

impl LinkedViews {
    /// Whether the names are shown at `level`: the user's choice, else on at Kreis level.
    pub fn names_on(&self, level: Level) -> bool {
        self.names[level.index()].unwrap_or(level == Level::Kreis)
    }

    /// The extent to zoom to, once, when "zoom to selection" was chosen.
    pub fn take_zoom(&mut self) -> Option<geo::Rect<f64>> {
        self.zoom_to.take()
    }
}

/// The bar of the linked views: names, histogram, table, scatter plot, and the selection tools.
pub fn views_bar_ui(
    ui: &mut egui::Ui,
    views: &mut LinkedViews,
    atlas: Option<&Arc<Atlas>>,
    level: Level,
    lang: Lang,
) {
    views.selection.follow_level(level);
    views.selection_export.poll();
    egui::Panel::top("views_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let mut names = views.names_on(level);
            if ui
                .checkbox(&mut names, lang.pick("Namen", "Names"))
                .on_hover_text(lang.pick(
                    "Namen der Regionen auf der Karte (ohne Überlappung, die größten zuerst)",
                    "Region names on the map (without overlaps, the largest first)",
                ))
                .changed()
            {
                views.names[level.index()] = Some(names);
            }
            ui.separator();
            ui.toggle_value(
                &mut views.show_histogram,
                lang.pick("Histogramm", "Histogram"),
            );
            ui.toggle_value(&mut views.show_table, lang.pick("Tabelle", "Table"));
            ui.toggle_value(
                &mut views.show_scatter,
                lang.pick("Streudiagramm", "Scatter plot"),
            );
            ui.separator();
            selection_tools_ui(ui, views, atlas, level, lang);
        });
        if views.show_selection_export {
            selection_export_ui(ui, views, atlas, level, lang);
        }
    });
}

fn selection_tools_ui(
    ui: &mut egui::Ui,
    views: &mut LinkedViews,
    atlas: Option<&Arc<Atlas>>,
    level: Level,
    lang: Lang,
) {
    let count = views.selection.len();
    ui.label(format!("{}: {count}", lang.pick("Auswahl", "Selection")))
        .on_hover_text(lang.pick(
            "Klick wählt, Umschalt+Klick ergänzt, Umschalt+Ziehen wählt ein Rechteck",
            "Click selects, Shift+click adds, Shift+drag selects a rectangle",
        ));
    let any = count > 0;
    if ui
        .add_enabled(any, egui::Button::new(lang.pick("Aufheben", "Clear")))
        .clicked()
    {
        views.selection.clear();
    }
    if let Some(atlas) = atlas {
        if ui.button(lang.pick("Umkehren", "Invert")).clicked() {
            views.selection.invert(atlas.regions(level).len());
        }
        if ui
            .add_enabled(any, egui::Button::new(lang.pick("Hinzoomen", "Zoom to")))
            .clicked()
        {
            views.zoom_to = views.selection.bounds(atlas);
        }
    }
    ui.toggle_value(
        &mut views.show_selection_export,
        lang.pick("Als Liste …", "As a list …"),
    );
}

fn selection_export_ui(
    ui: &mut egui::Ui,
    views: &mut LinkedViews,
    atlas: Option<&Arc<Atlas>>,
    level: Level,
    lang: Lang,
) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Auswahl als CSV nach", "Selection as CSV to"));
        ui.add(
            egui::TextEdit::singleline(&mut views.selection_export.path_text)
                .hint_text("auswahl.csv")
                .desired_width(260.0),
        )
        .labelled_by(label.id);
        let running = views.selection_export.is_running();
        if let Some(atlas) = atlas
            && ui
                .add_enabled(!running, egui::Button::new(lang.pick("Schreiben", "Write")))
                .clicked()
        {
            let rows = views.selection.indices();
            views
                .selection_export
                .start(atlas, Vec::new(), level, rows, lang);
        }
        if running {
            ui.spinner();
        }
        if let Some(message) = &views.selection_export.message {
            ui.label(message);
        }
    });
}

/// On the map canvas: the placed names, the selected regions' outlines, and the selection by
/// click, Shift+click and Shift+drag.
#[allow(
    clippy::too_many_arguments,
    reason = "the map's pieces, borrowed from the app"
)]
pub fn map_layers_ui(
    ui: &egui::Ui,
    views: &mut LinkedViews,
    interaction: &MapInteraction,
    view: &MapView,
    atlas: &Atlas,
    geometry: &MapGeometry,
    scene: &Scene,
    level: Level,
) {
    let Some(canvas) = interaction.response.as_ref().map(|r| r.rect) else {
        return;
    };
    let painter = ui.painter_at(canvas);
    let before = views.selection.clone();
    paint_selection(&painter, view, canvas, geometry, &views.selection);
    if let Some(layer) = &scene.labels
        && ensure_font(ui.ctx())
    {
        let placed = views.labels.placed(layer, view, canvas);
        paint_labels(&painter, placed);
    }
    map_pointer_ui(
        ui,
        interaction,
        &mut views.brush,
        view,
        atlas,
        level,
        &mut views.selection,
    );
    if views.selection != before {
        ui.ctx().request_repaint();
    }
}

/// The histogram, table and scatter plot windows that are open.
#[allow(
    clippy::too_many_arguments,
    reason = "the shared pieces of the linked views"
)]
pub fn windows_ui(
    ctx: &egui::Context,
    views: &mut LinkedViews,
    atlas: &Arc<Atlas>,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
    thematic: &mut ThematicState,
    map: Option<&Choropleth>,
) {
    views.selection.follow_level(level);
    let before = views.selection.clone();
    let mapped = thematic
        .field
        .clone()
        .filter(|f| indicators.get(level, f).is_some());
    let LinkedViews {
        selection,
        show_histogram,
        show_table,
        show_scatter,
        histogram,
        table,
        scatter,
        ..
    } = views;
    // The scatter plot first: its brush then shows in the histogram and table of this frame.
    egui::Window::new(lang.pick("Streudiagramm", "Scatter plot"))
        .id(egui::Id::unique("scatter_window"))
        .open(show_scatter)
        .default_width(400.0)
        .default_pos([870.0, 70.0])
        .show(ctx, |ui| {
            scatter_ui(
                ui,
                scatter,
                indicators,
                level,
                mapped.as_deref(),
                selection,
                lang,
            );
        });
    egui::Window::new(lang.pick("Histogramm", "Histogram"))
        .id(egui::Id::unique("histogram_window"))
        .open(show_histogram)
        .default_width(380.0)
        .default_pos([290.0, 70.0])
        .show(ctx, |ui| {
            let key = mapped.as_deref().unwrap_or("population");
            match indicators.get(level, key) {
                Some(indicator) => {
                    let classes = map
                        .and_then(|m| m.classes.as_ref())
                        .filter(|_| mapped.is_some());
                    histogram_ui(ui, histogram, indicator, classes, selection, thematic, lang);
                }
                None => {
                    ui.label(lang.pick(
                        "Kein Merkmal auf dieser Ebene",
                        "No indicator at this level",
                    ));
                }
            }
        });
    egui::Window::new(lang.pick("Tabelle", "Table"))
        .id(egui::Id::unique("table_window"))
        .open(show_table)
        .default_size([600.0, 320.0])
        .default_pos([290.0, 480.0])
        .show(ctx, |ui| {
            table_ui(
                ui,
                table,
                atlas,
                indicators,
                level,
                mapped.as_deref(),
                selection,
                lang,
            );
        });
    if *selection != before {
        // Every view shows the new selection in the next frame.
        ctx.request_repaint();
    }
}
