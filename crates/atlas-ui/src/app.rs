//! The application state: the loaded atlas, the view, the selection and the search, and how user
//! actions change them. Loading runs on a worker thread so the window appears at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use crate::actions::{Action, SearchState};
use crate::coverage_panel::{
    CoverageAction, CoverageState, coverage_controls_ui, coverage_table_ui, paint_overlay,
};
use crate::export_dialog::{ExportDialog, Snapshot};
use crate::map_view::{MapView, map_ui};
use crate::mesh_cache::{MapGeometry, ScreenCache};
use crate::panels;
use crate::sites_layer::{SiteLayers, paint_sites, site_details_ui, site_under, sites_panel_ui};
use crate::thematic_panel::{OwnImport, ThematicAction, ThematicState, thematic_panel_ui};
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::cartography::choropleth::{Choropleth, ChoroplethSpec};
use atlas_core::cartography::request::MapRequest;
use atlas_core::cartography::scene::Scene;
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::{Ags, Atlas, Level, RegionId};
use atlas_core::sites::SiteSet;

/// The atlas with its indicators and triangulated geometry, ready to draw.
pub struct Loaded {
    /// The regions.
    pub atlas: Arc<Atlas>,
    /// Their indicators (own data is added here).
    pub indicators: IndicatorSet,
    /// Their meshes.
    pub geometry: MapGeometry,
    /// The institution sites of the registry.
    pub sites: SiteSet,
    /// Gemeinde centre points (EPSG:25832), for distances.
    pub points: std::collections::HashMap<atlas_core::Ags, atlas_core::data::places::GemeindePoint>,
}

impl Loaded {
    /// Loads the indicators and sites from the atlas's data folder and triangulates the atlas for
    /// drawing. A thematic or registry file that fails to load becomes a warning, listed with the
    /// boundary data's own warnings in the panel; the boundaries still show.
    pub fn new(atlas: Arc<Atlas>) -> Loaded {
        // The meshes (and the label anchors) on a second thread while the tables load.
        std::thread::scope(|scope| {
            let geometry = scope.spawn(|| {
                let geometry = MapGeometry::build(&atlas);
                crate::labels_layer::precompute_anchors(&atlas);
                geometry
            });
            let (indicators, sites, points) = Loaded::tables(&atlas);
            let geometry = geometry
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Loaded {
                atlas: atlas.clone(),
                indicators,
                geometry,
                sites,
                points,
            }
        })
    }

    /// The indicators, sites and Gemeinde points of the atlas's data folder.
    #[allow(
        clippy::type_complexity,
        reason = "the three parts of `Loaded` besides the meshes"
    )]
    fn tables(
        atlas: &Atlas,
    ) -> (
        IndicatorSet,
        SiteSet,
        std::collections::HashMap<atlas_core::Ags, atlas_core::data::places::GemeindePoint>,
    ) {
        let dir = &atlas.provenance.data_dir;
        let mut indicators = atlas_core::data::thematic::load_indicators(atlas, dir)
            .unwrap_or_else(|e| IndicatorSet {
                indicators: atlas_core::analysis::indicators::base_indicators(atlas),
                warnings: vec![format!("{e:#}")],
            });
        atlas_core::data::inkar::add_inkar(atlas, dir, &mut indicators);
        indicators
            .warnings
            .splice(0..0, atlas.provenance.warnings.iter().cloned());
        let (sites, warnings) = atlas_core::sites::registry::load_registry_for(atlas, dir)
            .unwrap_or_else(|e| (SiteSet::default(), vec![format!("{e:#}")]));
        indicators.warnings.extend(warnings);
        let points = atlas_core::data::places::gemeinde_points(&atlas.provenance.data_dir)
            .unwrap_or_else(|e| {
                indicators.warnings.push(format!("{e:#}"));
                Default::default()
            });
        (indicators, sites, points)
    }
}

/// A load of a data folder running on a worker thread; the window asks for a repaint when it
/// is done (if the window exists by then; else the first frame finds the result).
pub struct PendingLoad {
    receiver: Receiver<Result<Loaded, String>>,
    repaint: Arc<std::sync::OnceLock<egui::Context>>,
}

impl PendingLoad {
    /// Starts loading `data_dir` on a worker thread.
    pub fn start(data_dir: PathBuf) -> PendingLoad {
        let (sender, receiver) = channel();
        let repaint: Arc<std::sync::OnceLock<egui::Context>> = Arc::default();
        let ctx = repaint.clone();
        std::thread::spawn(move || {
            let result = atlas_core::data::load_atlas(&data_dir)
                .map(|atlas| {
                    atlas_core::timing::since_process_start("window: atlas loaded");
                    Loaded::new(Arc::new(atlas))
                })
                .map_err(|e| format!("{e:#}"));
            atlas_core::timing::since_process_start("window: meshes and tables ready");
            let _ = sender.send(result);
            if let Some(ctx) = ctx.get() {
                ctx.request_repaint();
            }
        });
        PendingLoad { receiver, repaint }
    }
}

pub(crate) enum LoadState {
    Loading(Receiver<Result<Loaded, String>>),
    Ready(Box<Loaded>),
    Failed(String),
}

/// The Integrationsatlas window.
pub struct AtlasApp {
    pub(crate) state: LoadState,
    data_dir: PathBuf,
    /// The level being shown.
    pub level: Level,
    /// The selected region.
    pub selection: Option<RegionId>,
    /// The region under the pointer.
    pub hover: Option<RegionId>,
    /// The interface language.
    pub lang: Lang,
    /// The search box.
    pub search: SearchState,
    /// The thematic map chosen in the panel.
    pub thematic: ThematicState,
    /// The site layers shown and the selected site.
    pub site_layers: SiteLayers,
    /// Where the map was last clicked (EPSG:25832), for the nearest sites.
    pub clicked_at: Option<[f64; 2]>,
    /// The coverage analysis.
    pub coverage: CoverageState,
    /// The site suggestion ("Standortvorschlag").
    pub suggest: crate::suggest_panel::SuggestState,
    /// The export dialog.
    pub export: ExportDialog,
    /// The population-grid layer.
    pub grid_layer: crate::grid_layer::GridLayer,
    /// The linked views (histogram, table, scatter plot), their shared selection and the names.
    pub views: crate::linked_views::LinkedViews,
    picker: crate::indicator_picker::PickerState,
    pooled: crate::year_slider::PooledCache,
    /// Project files, recent projects, autosave and restore.
    pub project: crate::project_io::ProjectSession,
    /// The site editor and its edit layer.
    pub site_editor: crate::site_editor::SiteEditor,
    last_drawn: Vec<(usize, egui::Pos2)>,
    pub(crate) last_canvas: Option<egui::Rect>,
    pub(crate) import: OwnImport,
    /// The profile being written from the info panel.
    pub report: crate::report_worker::ReportWorker,
    map_cache: Option<(ChoroplethSpec, Result<Choropleth, String>)>,
    map_lang: Lang,
    pub(crate) view: Option<MapView>,
    pub(crate) zoom_to: Option<geo::Rect<f64>>,
    cache: ScreenCache,
    actions: Vec<Action>,
    timer: FrameTimer,
}

/// The nearest site of every type to a point: (type code, site name, distance in km).
fn nearest_by_type(sites: &SiteSet, x: f64, y: f64) -> Vec<(String, String, f64)> {
    sites
        .types()
        .iter()
        .filter_map(|t| sites.nearest_one(t, x, y))
        .map(|hit| {
            (
                hit.site.site_type.code().to_owned(),
                hit.site.name.clone(),
                hit.distance_km,
            )
        })
        .collect()
}

/// With `INTEGRATIONSATLAS_TIMING=1`, prints to stderr when the first frame and the first map
/// frame were drawn, counted from the call of [`crate::run`] (else the app's creation), and
/// every [`FRAMES_PER_REPORT`] frames the mean and longest CPU time of `ui` per frame.
/// Frames per line of frame-time statistics.
const FRAMES_PER_REPORT: usize = 30;

struct FrameTimer {
    started: std::time::Instant,
    enabled: bool,
    first_frame: bool,
    first_map: bool,
    frames: Vec<f64>,
}

impl FrameTimer {
    fn new() -> FrameTimer {
        FrameTimer {
            started: *crate::RUN_STARTED.get_or_init(std::time::Instant::now),
            enabled: atlas_core::timing::enabled(),
            first_frame: false,
            first_map: false,
            frames: Vec::new(),
        }
    }

    fn frame_drawn(&mut self, map_shown: bool, frame_start: std::time::Instant) {
        if !self.enabled {
            return;
        }
        let ms = self.started.elapsed().as_secs_f64() * 1000.0;
        if !self.first_frame {
            self.first_frame = true;
            eprintln!("timing: first frame after {ms:.0} ms");
        }
        if map_shown && !self.first_map {
            self.first_map = true;
            eprintln!("timing: first map frame after {ms:.0} ms");
            atlas_core::timing::since_process_start("first frame with map");
        }
        self.frame_statistics(frame_start);
    }

    fn frame_statistics(&mut self, frame_start: std::time::Instant) {
        self.frames
            .push(frame_start.elapsed().as_secs_f64() * 1000.0);
        if self.frames.len() == FRAMES_PER_REPORT {
            let mean = self.frames.iter().sum::<f64>() / FRAMES_PER_REPORT as f64;
            let max = self.frames.iter().copied().fold(0.0, f64::max);
            eprintln!(
                "timing: ui frame CPU mean {mean:.2} ms, max {max:.2} ms over {FRAMES_PER_REPORT} frames"
            );
            self.frames.clear();
        }
    }
}

impl AtlasApp {
    /// Starts loading `data_dir` on a worker thread; the window shows progress meanwhile.
    pub fn loading(ctx: &egui::Context, data_dir: PathBuf, lang: Lang) -> AtlasApp {
        let pending = PendingLoad::start(data_dir.clone());
        AtlasApp::from_pending(ctx, pending, data_dir, lang)
    }

    /// Takes over a load started before the window existed ([`PendingLoad::start`]), so that
    /// loading runs while the window and its GL context are created.
    pub fn from_pending(
        ctx: &egui::Context,
        pending: PendingLoad,
        data_dir: PathBuf,
        lang: Lang,
    ) -> AtlasApp {
        let _ = pending.repaint.set(ctx.clone());
        let mut app = AtlasApp::with_state(LoadState::Loading(pending.receiver), data_dir, lang);
        app.project.user_dir = atlas_core::project::store::user_dir();
        app
    }

    /// An app on an atlas that is already loaded (for tests and embedding).
    pub fn with_atlas(atlas: Arc<Atlas>) -> AtlasApp {
        let dir = atlas.provenance.data_dir.clone();
        let loaded = Box::new(Loaded::new(atlas));
        AtlasApp::with_state(LoadState::Ready(loaded), dir, Lang::De)
    }

    fn with_state(state: LoadState, data_dir: PathBuf, lang: Lang) -> AtlasApp {
        AtlasApp {
            state,
            data_dir,
            level: Level::Gemeinde,
            selection: None,
            hover: None,
            lang,
            search: SearchState::default(),
            thematic: ThematicState::default(),
            site_layers: SiteLayers::showing([atlas_core::sites::SiteType::Ki]),
            clicked_at: None,
            coverage: CoverageState::new(),
            suggest: Default::default(),
            export: ExportDialog::default(),
            grid_layer: crate::grid_layer::GridLayer::new(),
            views: Default::default(),
            project: crate::project_io::ProjectSession::default(),
            site_editor: crate::site_editor::SiteEditor::default(),
            last_drawn: Vec::new(),
            report: crate::report_worker::ReportWorker::default(),
            last_canvas: None,
            import: OwnImport::default(),
            picker: Default::default(),
            pooled: Default::default(),
            map_cache: None,
            map_lang: lang,
            view: None,
            zoom_to: None,
            cache: ScreenCache::default(),
            actions: Vec::new(),
            timer: FrameTimer::new(),
        }
    }

    fn start_loading(&mut self, ctx: &egui::Context) {
        let pending = PendingLoad::start(self.data_dir.clone());
        let _ = pending.repaint.set(ctx.clone());
        self.state = LoadState::Loading(pending.receiver);
    }

    /// The loaded atlas, if loading has finished.
    pub fn atlas(&self) -> Option<&Arc<Atlas>> {
        match &self.state {
            LoadState::Ready(loaded) => Some(&loaded.atlas),
            _ => None,
        }
    }

    /// The AGS of the selected region.
    pub fn selected_ags(&self) -> Option<Ags> {
        let id = self.selection?;
        Some(self.atlas()?.region(id).ags.clone())
    }

    /// The load error shown to the user, if loading failed.
    pub fn load_error(&self) -> Option<&str> {
        match &self.state {
            LoadState::Failed(message) => Some(message),
            _ => None,
        }
    }

    fn poll_loading(&mut self) {
        if let LoadState::Loading(receiver) = &self.state {
            match receiver.try_recv() {
                Ok(Ok(loaded)) => self.state = LoadState::Ready(Box::new(loaded)),
                Ok(Err(message)) => self.state = LoadState::Failed(message),
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.state = LoadState::Failed("the loader stopped unexpectedly".to_owned());
                }
            }
        }
    }

    fn apply_actions(&mut self, ctx: &egui::Context) {
        if !self.actions.is_empty() {
            ctx.request_repaint();
        }
        for action in std::mem::take(&mut self.actions) {
            match action {
                Action::SetLevel(level) => {
                    self.level = level;
                    self.hover = None;
                    if let Some(field) = &self.thematic.field
                        && self.atlas().is_some()
                        && let LoadState::Ready(loaded) = &self.state
                        && loaded.indicators.get(level, field).is_none()
                    {
                        self.thematic.field = None;
                    }
                }
                Action::Select { id, zoom } => {
                    self.selection = id;
                    if let (Some(id), true, Some(atlas)) = (id, zoom, self.atlas()) {
                        self.zoom_to = Some(atlas.region(id).bbox);
                    }
                }
                Action::FitAll => self.zoom_to = self.atlas().map(|a| a.bounds()),
                Action::SetLang(lang) => self.lang = lang,
                Action::Reload => self.start_loading(ctx),
                Action::OpenExport => self.export.open = true,
                Action::WriteProfile(ags) => {
                    if let LoadState::Ready(loaded) = &self.state {
                        let input = crate::report_worker::ProfileInput {
                            atlas: Arc::clone(&loaded.atlas),
                            indicators: loaded.indicators.clone(),
                            sites: loaded.sites.clone(),
                            points: loaded.points.clone(),
                        };
                        self.report.start_profile(ctx, input, ags, self.lang);
                    }
                }
            }
        }
    }

    fn update_search(&mut self) {
        if self.search.text == self.search.searched {
            return;
        }
        self.search.searched.clone_from(&self.search.text);
        self.search.hits = match self.atlas() {
            Some(atlas) => {
                atlas_core::analysis::search::search(atlas, &self.search.text, self.level, 8)
            }
            None => Vec::new(),
        };
    }

    /// The theme panel, and the thematic map rebuilt when its spec changed.
    fn thematic_ui(&mut self, ui: &mut egui::Ui) {
        let LoadState::Ready(loaded) = &mut self.state else {
            return;
        };
        let error = match &self.map_cache {
            Some((_, Err(message))) => Some(message.clone()),
            _ => None,
        };
        let mut requests = Vec::new();
        let site_layers = &mut self.site_layers;
        let site_editor = &mut self.site_editor;
        let coverage = &mut self.coverage;
        let grid_layer = &mut self.grid_layer;
        let mut run_coverage = false;
        let suggest = &mut self.suggest;
        let (mut run_suggest, mut suggest_actions) = (false, Vec::new());
        let Loaded {
            atlas,
            indicators,
            sites,
            ..
        } = &mut **loaded;
        let lang = self.lang;
        let mut sites_section = |ui: &mut egui::Ui| {
            sites_panel_ui(ui, site_layers, sites, atlas, lang);
            crate::site_editor::editor_controls_ui(ui, site_editor, sites, lang);
            ui.separator();
            run_coverage = coverage_controls_ui(ui, coverage, sites, lang);
            ui.separator();
            grid_layer.controls_ui(ui, sites, lang);
            // Folded by default: the panel stays short enough to reach the maps below.
            egui::CollapsingHeader::new(lang.pick("Standortvorschlag", "Site suggestion"))
                .id_salt("suggest_section")
                .default_open(false)
                .show(ui, |ui| {
                    run_suggest = crate::suggest_panel::suggest_controls_ui(
                        ui,
                        suggest,
                        sites,
                        lang,
                        &mut suggest_actions,
                    );
                });
        };
        thematic_panel_ui(
            ui,
            &mut sites_section,
            &mut self.thematic,
            &mut self.picker,
            &mut self.import,
            indicators,
            atlas,
            self.level,
            self.lang,
            error.as_deref(),
            &mut requests,
        );
        if run_coverage && !crate::coverage_panel::is_running(&self.coverage) {
            crate::coverage_panel::run(
                &mut self.coverage,
                ui.ctx(),
                self.lang,
                &loaded.atlas,
                &loaded.sites,
                &loaded.indicators,
                &loaded.points,
            );
        }
        crate::suggest_panel::apply(
            suggest_actions,
            &mut loaded.sites,
            &mut self.site_layers.visible,
        );
        if run_suggest {
            let l = &loaded;
            crate::suggest_panel::run(
                &mut self.suggest,
                ui.ctx(),
                self.lang,
                &l.atlas,
                &l.sites,
                &l.points,
            );
        }
        crate::suggest_panel::poll(&mut self.suggest, ui.ctx());
        if let Some(kommune) = crate::coverage_panel::poll(&mut self.coverage, ui.ctx())
            && let Some(id) = loaded.atlas.id_of(&kommune)
        {
            // Gemeinde level, so the analysed Gemeinden and their gaps show.
            self.actions.push(Action::SetLevel(Level::Gemeinde));
            self.actions.push(Action::Select {
                id: Some(id),
                zoom: true,
            });
        }
        let mut zooms = Vec::new();
        coverage_table_ui(ui, &mut self.coverage, self.lang, &mut zooms);
        for CoverageAction::ZoomTo(ags) in zooms {
            if let Some(id) = loaded.atlas.id_of(&ags) {
                self.actions.push(Action::SetLevel(id.level));
                self.actions.push(Action::Select {
                    id: Some(id),
                    zoom: true,
                });
            }
        }
        for request in requests {
            match request {
                ThematicAction::SetLevel(level) => self.actions.push(Action::SetLevel(level)),
                ThematicAction::DataChanged => self.map_cache = None,
                ThematicAction::ShowSites(types) => {
                    self.site_layers.visible = types.into_iter().collect();
                }
            }
        }
        self.grid_layer
            .update(ui.ctx(), &loaded.atlas, &loaded.sites, self.lang);
        self.refresh_map();
    }

    /// Rebuilds the thematic map if the panel's spec or the language changed.
    fn refresh_map(&mut self) {
        let LoadState::Ready(loaded) = &self.state else {
            return;
        };
        let Some(spec) = self.thematic.spec(self.level) else {
            self.map_cache = None;
            return;
        };
        let spec = match spec {
            Ok(spec) => spec,
            Err(message) => {
                self.map_cache = Some((ChoroplethSpec::default(), Err(message)));
                return;
            }
        };
        let fresh = self
            .map_cache
            .as_ref()
            .is_some_and(|(cached, _)| *cached == spec && self.map_lang == self.lang);
        if !fresh {
            let map = crate::year_slider::build_map(
                &mut self.pooled,
                &loaded.atlas,
                &loaded.indicators,
                &spec,
                self.lang,
            )
            .map_err(|e| e.localized(self.lang));
            self.map_cache = Some((spec, map));
            self.map_lang = self.lang;
        }
    }

    /// The map on screen as a request to the core's one composition point (the export dialog
    /// adds its size and title; the view is its extent).
    pub fn map_request(&self) -> MapRequest {
        let theme = match self.thematic.spec(self.level) {
            Some(Ok(spec)) => Some(spec),
            _ => None,
        };
        MapRequest {
            theme,
            preset: self.thematic.preset_at(self.level).cloned(),
            site_types: self.site_layers.visible.iter().cloned().collect(),
            focus: self.selected_ags(),
            labels: self.views.names_on(self.level),
            ..MapRequest::new(self.level, self.lang)
        }
    }

    /// The thematic map last built for the request, if it succeeded.
    fn current_map(&self) -> Option<&Choropleth> {
        match &self.map_cache {
            Some((_, Ok(map))) => Some(map),
            _ => None,
        }
    }

    /// The scene as on screen, without hover: base map, thematic colours, legend and title
    /// (`None` until the atlas is loaded).
    pub fn canvas_scene(&self) -> Option<Scene> {
        let LoadState::Ready(loaded) = &self.state else {
            return None;
        };
        Some(self.current_scene(&loaded.atlas))
    }

    fn current_scene(&self, atlas: &Atlas) -> Scene {
        let mut scene = self.map_request().scene(atlas, self.current_map());
        if let LoadState::Ready(loaded) = &self.state
            && crate::site_editor::shows_postcode_sites(&loaded.sites, &self.site_layers.visible)
        {
            scene = scene.with_postcode_attribution(self.lang);
        }
        scene.selection = self.selection;
        scene
    }

    /// What the export dialog needs: the request with the current view as its extent, the
    /// thematic map and the sites (`None` until the map has been drawn once).
    pub fn export_snapshot(&self) -> Option<Snapshot> {
        let LoadState::Ready(loaded) = &self.state else {
            return None;
        };
        let (view, canvas) = (self.view?, self.last_canvas?);
        let a = view.map_from_screen(canvas, canvas.left_top());
        let b = view.map_from_screen(canvas, canvas.right_bottom());
        Some(Snapshot {
            atlas: Arc::clone(&loaded.atlas),
            request: MapRequest {
                extent: Some(geo::Rect::new((a[0], a[1]), (b[0], b[1]))),
                ..self.map_request()
            },
            map: self.current_map().cloned(),
            sites: loaded.sites.clone(),
        })
    }

    /// The import of own figures ("Eigene Daten"): its table, report and whether it is running.
    pub fn own_import(&self) -> &OwnImport {
        &self.import
    }

    /// Forgets the thematic map so it is rebuilt (after own data replaced an indicator).
    pub fn invalidate_map(&mut self) {
        self.map_cache = None;
    }

    /// The site editor's turn on the canvas (with the symbols drawn last frame); true while a
    /// site is dragged, so the view does not pan.
    fn edit_sites(&mut self, ui: &egui::Ui) -> bool {
        let (LoadState::Ready(loaded), Some(view), Some(canvas)) =
            (&mut self.state, self.view, self.last_canvas)
        else {
            return false;
        };
        let atlas = Arc::clone(&loaded.atlas);
        let edit = crate::site_editor::map_edit(
            ui,
            &mut self.site_editor,
            &mut loaded.sites,
            &atlas,
            &self.last_drawn,
            |p| view.map_from_screen(canvas, p),
            self.lang,
        );
        if let Some(i) = edit.select {
            self.site_layers.selected = Some(i);
        }
        self.site_layers.invalidate_groups();
        edit.holds_view
    }

    fn map_panel_ui(&mut self, ui: &mut egui::Ui) {
        let holds_view = self.site_editor.enabled && self.edit_sites(ui);
        let view_before = self.view;
        let LoadState::Ready(loaded) = &self.state else {
            return;
        };
        let atlas = &loaded.atlas;
        let canvas = ui.available_rect_before_wrap();
        let mut scene = self.current_scene(atlas);
        self.last_canvas = Some(canvas);
        let view = self
            .view
            .get_or_insert_with(|| MapView::fit(atlas.bounds(), canvas));
        if let Some(bounds) = self.zoom_to.take() {
            let padded = geo::Rect::new(
                (bounds.min().x - 2_000.0, bounds.min().y - 2_000.0),
                (bounds.max().x + 2_000.0, bounds.max().y + 2_000.0),
            );
            *view = MapView::fit(padded, canvas);
        }
        scene.hover = self.hover;
        scene.selection = self.selection;
        self.grid_layer.attribute(&mut scene.attribution, self.lang);
        let interaction = map_ui(ui, view, &loaded.geometry, &scene, &mut self.cache);
        if holds_view && let Some(before) = view_before {
            *view = before;
        }
        let canvas = interaction.response.as_ref().map_or(canvas, |r| r.rect);
        self.grid_layer.paint(&ui.painter_at(canvas), view, canvas);
        crate::linked_views::map_layers_ui(
            ui,
            &mut self.views,
            &interaction,
            view,
            atlas,
            &loaded.geometry,
            &scene,
            self.level,
        );
        paint_overlay(&ui.painter_at(canvas), view, canvas, &self.coverage, atlas);
        let painter = ui.painter_at(canvas);
        let visible = &self.site_layers.visible;
        crate::suggest_panel::paint_suggestion(
            &painter,
            view,
            canvas,
            &self.suggest,
            visible,
            self.lang,
        );
        let selected_site = self.site_layers.selected;
        let drawn = paint_sites(
            &ui.painter_at(canvas),
            view,
            canvas,
            &loaded.sites,
            self.site_layers.seat_groups(&loaded.sites),
            selected_site,
        );
        self.last_drawn.clone_from(&drawn);
        let pointer = interaction.response.as_ref().and_then(|r| r.hover_pos());
        let site_hover = pointer.and_then(|p| site_under(&drawn, p));
        if let (Some(i), Some(response)) = (site_hover, interaction.response.as_ref()) {
            let site = &loaded.sites.sites[i];
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| site_details_ui(ui, site, atlas, self.lang));
            if interaction.clicked {
                self.site_layers.selected = Some(i);
            }
            self.hover = None;
            return;
        }

        self.hover = interaction
            .pointer_in_map
            .and_then(|[x, y]| atlas.locate_in(self.level, x, y));
        if interaction.clicked {
            self.clicked_at = interaction.pointer_in_map;
            self.site_layers.selected = None;
        }
        let on_cell = match (interaction.pointer_in_map, interaction.response.as_ref()) {
            (Some(map), Some(response)) => {
                self.grid_layer.hover_ui(response, atlas, map, self.lang)
            }
            _ => false,
        };
        if let (Some(id), Some(response), false) =
            (self.hover, interaction.response.as_ref(), on_cell)
        {
            let region = atlas.region(id);
            response.clone().on_hover_ui_at_pointer(|ui| {
                panels::region_tooltip_ui(ui, atlas, region, self.lang)
            });
        }
        if interaction.clicked {
            self.actions.push(Action::Select {
                id: self.hover,
                zoom: false,
            });
        }
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let frame_start = std::time::Instant::now();
        self.poll_loading();
        self.update_search();
        let ctx = ui.ctx().clone();
        let atlas = self.atlas().cloned();
        crate::project_io::frame(self, &ctx);
        crate::site_editor::frame(self, &ctx);
        crate::project_io::bar(self, ui);
        panels::top_bar_ui(
            ui,
            self.level,
            self.lang,
            &mut self.search,
            atlas.as_deref(),
            &mut self.actions,
        );
        crate::linked_views::views_bar_ui(
            ui,
            &mut self.views,
            atlas.as_ref(),
            self.level,
            self.lang,
        );
        self.thematic_ui(ui);
        if self.site_editor.enabled
            && self.site_editor.form.is_some()
            && let LoadState::Ready(loaded) = &mut self.state
        {
            let atlas = Arc::clone(&loaded.atlas);
            let lang = self.lang;
            egui::Panel::right("site_form")
                .default_size(320.0)
                .show(ui, |ui| {
                    let form = &mut self.site_editor;
                    if crate::site_editor::site_form_ui(ui, form, &mut loaded.sites, &atlas, lang) {
                        self.site_layers.selected = None;
                    }
                });
        } else if let LoadState::Ready(loaded) = &self.state {
            let atlas = &loaded.atlas;
            if let Some(i) = self.site_layers.selected {
                let site = &loaded.sites.sites[i];
                let mut close = false;
                egui::Panel::right("site_panel")
                    .default_size(320.0)
                    .show(ui, |ui| {
                        ui.set_max_width(320.0);
                        site_details_ui(ui, site, atlas, self.lang);
                        close = ui.button(self.lang.pick("Schließen", "Close")).clicked();
                    });
                if close {
                    self.site_layers.selected = None;
                }
            } else if let Some(id) = self.selection {
                let nearest = self
                    .clicked_at
                    .map(|[x, y]| nearest_by_type(&loaded.sites, x, y));
                let (indicators, field) = (&loaded.indicators, self.thematic.field.as_deref());
                panels::info_panel_ui(
                    ui,
                    atlas,
                    id,
                    nearest.as_deref(),
                    self.lang,
                    &mut self.actions,
                    &mut |ui| {
                        crate::year_slider::series_chart_ui(
                            ui, atlas, indicators, field, id, self.lang,
                        )
                    },
                );
            }
        }
        // The views before the map, so a brush in them shows on the map in the same frame.
        if let LoadState::Ready(loaded) = &self.state {
            let map = match &self.map_cache {
                Some((_, Ok(map))) => Some(map),
                _ => None,
            };
            crate::linked_views::windows_ui(
                &ctx,
                &mut self.views,
                &loaded.atlas,
                &loaded.indicators,
                self.level,
                self.lang,
                &mut self.thematic,
                map,
            );
        }
        if let Some(extent) = self.views.take_zoom() {
            self.zoom_to = Some(extent);
        }
        egui::CentralPanel::no_frame().show(ui, |ui| match &self.state {
            LoadState::Loading(_) => {
                ui.centered_and_justified(|ui| {
                    ui.spinner();
                    ui.label(self.lang.pick("Lade Geodaten …", "Loading geodata …"));
                });
            }
            LoadState::Failed(message) => {
                let message = message.clone();
                panels::error_dialog_ui(ui, &message, &self.data_dir, self.lang, &mut self.actions);
            }
            LoadState::Ready(_) => self.map_panel_ui(ui),
        });
        let mut export = std::mem::take(&mut self.export);
        export.ui(&ctx, self.lang, || self.export_snapshot());
        self.export = export;
        self.report.ui(&ctx, self.lang, "profile");
        self.timer.frame_drawn(self.atlas().is_some(), frame_start);
        self.apply_actions(&ctx);
    }

    fn on_exit(&mut self) {
        let current =
            matches!(self.state, LoadState::Ready(_)).then(|| crate::project_io::capture(self));
        self.project.closing(current.as_ref());
    }
}
