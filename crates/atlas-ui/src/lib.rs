//! The egui window (crate `atlas-ui`): a thin painter and controller over `atlas-core`.
//!
//! `app` owns the state and applies actions; `map_view` draws the scene and handles navigation;
//! `mesh_cache` keeps tessellated meshes; `panels` holds the side and top panels; `linked_views`
//! shows the histogram, table and scatter plot over one `selection`, and the names on the map.

pub mod actions;
pub mod app;
pub mod coverage_panel;
pub mod export_dialog;
pub mod grid_layer;
pub mod histogram_view;
pub mod indicator_picker;
pub mod labels_layer;
pub mod linked_views;
pub mod map_selection;
pub mod map_view;
pub mod mesh_cache;
pub mod panels;
pub mod project_io;
pub mod project_settings;
pub mod report_worker;
pub mod scatter_view;
pub mod selection;
pub mod site_editor;
pub mod sites_layer;
pub mod suggest_panel;
pub mod table_view;
pub mod thematic_panel;
pub mod year_slider;

pub use app::AtlasApp;

/// When [`run`] was called: the start of the startup timing (see `AtlasApp`).
pub(crate) static RUN_STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Opens the map window on the data folder and blocks until it is closed.
pub fn run(data_dir: std::path::PathBuf, lang: atlas_core::i18n::Lang) -> eframe::Result {
    run_project(data_dir, lang, None)
}

/// Opens the map window and, once the data is loaded, the project file `project`.
pub fn run_project(
    data_dir: std::path::PathBuf,
    lang: atlas_core::i18n::Lang,
    project: Option<std::path::PathBuf>,
) -> eframe::Result {
    RUN_STARTED.get_or_init(std::time::Instant::now);
    // Loading runs while the window and its GL context are created.
    let pending = app::PendingLoad::start(data_dir.clone());
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Integrationsatlas NRW")
            .with_inner_size([1280.0, 860.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Integrationsatlas NRW",
        options,
        Box::new(move |cc| {
            let mut app = AtlasApp::from_pending(&cc.egui_ctx, pending, data_dir, lang);
            app.project.open_on_start = project;
            Ok(Box::new(app))
        }),
    )
}
