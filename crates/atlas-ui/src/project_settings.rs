//! The project file's record of the labels toggle, the grid layer and the site suggestion:
//! taken from the window by [`capture`] and put back by [`apply`] (called from `project_io`).

use atlas_core::analysis::site_selection::Weight;
use atlas_core::model::Level;
use atlas_core::project::{GridSettings, Project, SuggestSettings};
use atlas_core::sites::SiteType;

use crate::app::AtlasApp;
use crate::grid_layer::GridMode;

/// The levels whose labels a project records, in the order of `Level::index`.
const LEVELS: [Level; 4] = [Level::Land, Level::Bezirk, Level::Kreis, Level::Gemeinde];

/// The key of a grid mode in project files.
fn mode_key(mode: GridMode) -> &'static str {
    match mode {
        GridMode::Distance => "distance",
        GridMode::Beyond => "beyond",
        GridMode::Catchment => "catchment",
        GridMode::Access => "access",
    }
}

/// The grid mode of a key (an unknown one keeps the default, distance).
fn mode_of(key: &str) -> GridMode {
    match key {
        "beyond" => GridMode::Beyond,
        "catchment" => GridMode::Catchment,
        "access" => GridMode::Access,
        _ => GridMode::Distance,
    }
}

/// Records the labels, grid layer and suggestion settings of the window in `project`.
pub fn capture(app: &AtlasApp, project: &mut Project) {
    project.labels = LEVELS
        .iter()
        .filter_map(|level| app.views.names[level.index()].map(|on| (level.key().to_owned(), on)))
        .collect();
    let grid = &app.grid_layer;
    project.grid = Some(GridSettings {
        enabled: grid.enabled,
        mode: mode_key(grid.mode).to_owned(),
        site_type: grid.site_type.as_ref().map(|t| t.code().to_owned()),
        threshold_km: grid.threshold_km,
    });
    let s = &app.suggest;
    project.suggest = Some(SuggestSettings {
        site_type: s.site_type.code().to_owned(),
        radius_km: s.radius_km,
        by_target: s.by_target,
        new_sites: s.new_sites,
        target_pct: s.target_pct,
        weight: s.weight.key().to_owned(),
        cells: s.cells,
        min_einwohner: s.min_einwohner,
        area: s.area_text.clone(),
    });
}

/// Puts the recorded labels, grid layer and suggestion settings into the window; what the
/// project does not record keeps the window's state.
pub fn apply(app: &mut AtlasApp, project: &Project) {
    for level in LEVELS {
        if let Some(on) = project.labels.get(level.key()) {
            app.views.names[level.index()] = Some(*on);
        }
    }
    if let Some(grid) = &project.grid {
        let layer = &mut app.grid_layer;
        layer.enabled = grid.enabled;
        layer.mode = mode_of(&grid.mode);
        layer.site_type = grid.site_type.as_deref().map(SiteType::parse);
        if grid.threshold_km.is_finite() && grid.threshold_km > 0.0 {
            layer.threshold_km = grid.threshold_km;
        }
    }
    if let Some(s) = &project.suggest {
        let state = &mut app.suggest;
        state.site_type = SiteType::parse(&s.site_type);
        if s.radius_km.is_finite() && s.radius_km > 0.0 {
            state.radius_km = s.radius_km;
        }
        state.by_target = s.by_target;
        state.new_sites = s.new_sites.max(1);
        if s.target_pct.is_finite() && s.target_pct > 0.0 {
            state.target_pct = s.target_pct;
        }
        state.weight = Weight::ALL
            .into_iter()
            .find(|w| w.key() == s.weight)
            .unwrap_or_default();
        state.cells = s.cells;
        state.min_einwohner = s.min_einwohner;
        state.area_text.clone_from(&s.area);
    }
}
