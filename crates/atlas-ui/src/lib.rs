//! The egui window (crate `atlas-ui`): a thin painter and controller over `atlas-core`.
//!
//! `app` owns the state and applies actions; `map_view` draws the scene and handles navigation;
//! `mesh_cache` keeps tessellated meshes; `panels` holds the side and top panels.

pub mod actions;
pub mod app;
pub mod coverage_panel;
pub mod export_dialog;
pub mod grid_layer;
pub mod map_view;
pub mod mesh_cache;
pub mod panels;
pub mod sites_layer;
pub mod suggest_panel;
pub mod thematic_panel;

pub use app::AtlasApp;

/// When [`run`] was called: the start of the startup timing (see `AtlasApp`).
pub(crate) static RUN_STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Opens the map window on the data folder and blocks until it is closed.
pub fn run(data_dir: std::path::PathBuf, lang: atlas_core::i18n::Lang) -> eframe::Result {
    RUN_STARTED.get_or_init(std::time::Instant::now);
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
        Box::new(move |cc| Ok(Box::new(AtlasApp::loading(&cc.egui_ctx, data_dir, lang)))),
    )
}
