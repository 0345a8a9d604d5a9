//! Project files in the window: save and open the working state (`.atlas.json`, see
//! [`atlas_core::project`]), the recent projects, the autosave of unsaved state every few
//! seconds and, after a crash or kill, the offer to restore it. Reading, writing and the
//! opening of a project's inputs run on worker threads.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use eframe::egui;

use atlas_core::i18n::Lang;
use atlas_core::model::Atlas;
use atlas_core::project::restore::Restored;
use atlas_core::project::store::{self, Autosaver};
use atlas_core::project::{CoverageSettings, Opened, OwnDataState, Project, SiteImportState};
use atlas_core::sites::{SiteSet, SiteType};

use crate::app::{AtlasApp, LoadState};

/// What a worker hands back.
pub enum Done {
    /// The user folder's recent list and a leftover autosave.
    Started(Vec<PathBuf>, Option<Result<Opened, String>>),
    /// A project file was read (`path` is `None` for the autosave).
    Read(Option<PathBuf>, Result<Opened, String>),
    /// A project's inputs were opened.
    Restored(Box<(Project, Option<PathBuf>, Vec<String>, Restored)>),
    /// A save finished: the message and the path saved.
    Saved(Result<PathBuf, String>),
    /// A GIS export finished.
    Exported(Result<PathBuf, String>),
}

/// The project state of the window.
pub struct ProjectSession {
    /// The project file the state was opened from or last saved to.
    pub path: Option<PathBuf>,
    /// The path typed into the Save field.
    pub path_text: String,
    /// The user's data folder (recent list, autosave); `None` keeps nothing (tests, embedding).
    pub user_dir: Option<PathBuf>,
    /// The recent projects, newest first.
    pub recent: Vec<PathBuf>,
    /// An autosave left by a session that ended by a crash or kill, offered for restoring.
    pub restore_offer: Option<Project>,
    /// Messages for the user: what could not be opened, where it was saved.
    pub messages: Vec<String>,
    /// How often the autosave is written at most.
    pub autosave_every: Duration,
    /// The project file given on the command line, opened once the atlas is there.
    pub open_on_start: Option<PathBuf>,
    /// The site files of the opened project (kept in the next save and autosave).
    pub imports: Vec<SiteImportState>,
    /// The own data of the opened project, until another table is read.
    pub own_data: Option<OwnDataState>,
    /// The path typed into the GIS export field (.gpkg or .geojson).
    pub gis_path: String,
    /// A project read and waiting for the atlas.
    pending: Option<(Project, Option<PathBuf>)>,
    /// The JSON of the state when it was last opened or saved (view excluded): what the autosave compares with.
    baseline: Option<String>,
    workers: Vec<Receiver<Done>>,
    autosave: Option<Sender<Project>>,
    last_sent: Option<Instant>,
    started: bool,
}

impl Default for ProjectSession {
    fn default() -> Self {
        ProjectSession {
            path: None,
            path_text: String::new(),
            // Set by the real window (see `AtlasApp::loading`); an app built for tests or
            // embedding writes nothing into the user's folder unless given one.
            user_dir: None,
            recent: Vec::new(),
            restore_offer: None,
            messages: Vec::new(),
            autosave_every: store::AUTOSAVE_EVERY,
            open_on_start: None,
            imports: Vec::new(),
            own_data: None,
            gis_path: String::new(),
            pending: None,
            baseline: None,
            workers: Vec::new(),
            autosave: None,
            last_sent: None,
            started: false,
        }
    }
}

/// The state's JSON without the view (which changes with every window size).
fn comparable(project: &Project) -> String {
    let mut p = project.clone();
    p.view = Default::default();
    p.to_json()
}

impl ProjectSession {
    fn spawn(&mut self, ctx: &egui::Context, work: impl FnOnce() -> Done + Send + 'static) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(work());
            ctx.request_repaint();
        });
        self.workers.push(rx);
    }

    /// Reads the recent list and looks for a leftover autosave (once, on a worker).
    pub fn start(&mut self, ctx: &egui::Context) {
        if self.started {
            return;
        }
        self.started = true;
        let Some(dir) = self.user_dir.clone() else {
            return;
        };
        self.spawn(ctx, move || {
            let leftover = store::leftover_autosave(&dir).map(|r| r.map_err(|e| e.to_string()));
            Done::Started(store::recent(&dir), leftover)
        });
    }

    /// Reads a project file on a worker.
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, move || {
            let opened = Project::open(&path).map_err(|e| e.to_string());
            Done::Read(Some(path), opened)
        });
    }

    /// Saves the project on a worker: checksums of its inputs, atomic write, recent list;
    /// the autosave goes once the state is saved.
    pub fn save(&mut self, ctx: &egui::Context, path: PathBuf, mut project: Project) {
        let dir = self.user_dir.clone();
        self.baseline = Some(comparable(&project));
        self.spawn(ctx, move || {
            fill_checksums(&mut project);
            let result = project
                .save(&path)
                .map_err(|e| format!("{}: {e}", path.display()))
                .map(|()| {
                    if let Some(dir) = &dir {
                        let _ = store::remember(dir, &path);
                        let _ = Autosaver::new(dir).discard();
                    }
                    path
                });
            Done::Saved(result)
        });
    }

    /// Sends the state to the autosave writer when it differs from the saved one (at most
    /// once a second; the writer writes at most every [`ProjectSession::autosave_every`]).
    pub fn autosave(&mut self, project: &Project) {
        let Some(dir) = self.user_dir.clone() else {
            return;
        };
        if self.restore_offer.is_some() || self.pending.is_some() {
            return;
        }
        let now = Instant::now();
        let throttle = self.autosave_every.min(Duration::from_secs(1));
        if self
            .last_sent
            .is_some_and(|t| now.duration_since(t) < throttle)
        {
            return;
        }
        self.last_sent = Some(now);
        if self.baseline.is_none() {
            self.baseline = Some(comparable(project));
            return;
        }
        if self.baseline.as_deref() == Some(comparable(project).as_str()) {
            return;
        }
        let every = self.autosave_every;
        let sender = self.autosave.get_or_insert_with(|| {
            let (tx, rx) = channel::<Project>();
            std::thread::spawn(move || {
                let mut saver = Autosaver::every(&dir, every);
                while let Ok(mut project) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        project = newer;
                    }
                    let _ = saver.tick(Instant::now(), &project);
                }
            });
            tx
        });
        let _ = sender.send(project.clone());
    }

    /// The window closes normally. Unsaved work (`current` differs from the state last opened
    /// or saved) is written to the autosave, which the next start offers to restore; with
    /// nothing unsaved the autosave is not needed any more.
    pub fn closing(&mut self, current: Option<&Project>) {
        self.autosave = None;
        let Some(dir) = &self.user_dir else {
            return;
        };
        let mut saver = Autosaver::new(dir);
        let unsaved = current.filter(|project| {
            self.restore_offer.is_none()
                && self
                    .baseline
                    .as_deref()
                    .is_some_and(|b| b != comparable(project))
        });
        let _ = match unsaved {
            Some(project) => saver.tick(Instant::now(), project).map(|_| ()),
            None => saver.discard(),
        };
    }

    /// Takes over finished work. Returns a project whose inputs are opened, to apply.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        ready: Option<(&Arc<Atlas>, &SiteSet)>,
    ) -> Option<(Project, Option<PathBuf>, Restored)> {
        let mut applied = None;
        let mut done = Vec::new();
        self.workers.retain(|rx| match rx.try_recv() {
            Ok(d) => {
                done.push(d);
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(_) => false,
        });
        for d in done {
            match d {
                Done::Started(recent, leftover) => {
                    self.recent = recent;
                    match leftover {
                        Some(Ok(opened)) => self.restore_offer = Some(opened.project),
                        Some(Err(e)) => self.messages.push(e),
                        None => {}
                    }
                }
                Done::Read(path, Ok(opened)) => {
                    self.messages = opened.skipped.clone();
                    self.pending = Some((opened.project, path));
                }
                Done::Read(_, Err(e)) => self.messages = vec![e],
                Done::Restored(restored) => {
                    let (project, path, skipped, restored) = *restored;
                    self.messages.extend(skipped);
                    self.messages.extend(restored.problems.iter().cloned());
                    if let Some(p) = &path {
                        self.path_text = p.display().to_string();
                    }
                    self.path = path;
                    self.baseline = Some(comparable(&project));
                    applied = Some((project, self.path.clone(), restored));
                }
                Done::Saved(Ok(path)) => {
                    self.messages = vec![format!("gespeichert / saved: {}", path.display())];
                    self.recent.retain(|p| p != &path);
                    self.recent.insert(0, path.clone());
                    self.path = Some(path);
                }
                Done::Saved(Err(e)) | Done::Exported(Err(e)) => self.messages = vec![e],
                Done::Exported(Ok(path)) => {
                    self.messages = vec![format!("GIS: {}", path.display())];
                }
            }
        }
        if let (Some((atlas, registry)), Some((project, path))) = (ready, self.pending.take()) {
            let atlas = Arc::clone(atlas);
            let registry = registry.clone();
            let skipped = std::mem::take(&mut self.messages);
            self.spawn(ctx, move || {
                let restored = match atlas_core::sites::import::Placer::new(
                    &atlas,
                    &atlas.provenance.data_dir,
                ) {
                    Ok(placer) => atlas_core::project::restore::restore(
                        &project,
                        path.as_deref(),
                        &atlas,
                        &registry,
                        &placer,
                    ),
                    Err(e) => Restored {
                        sites: registry,
                        problems: vec![format!("{e}")],
                        ..Restored::default()
                    },
                };
                Done::Restored(Box::new((project, path, skipped, restored)))
            });
        }
        if let (Some(path), Some(_)) = (self.open_on_start.clone(), ready) {
            self.open_on_start = None;
            self.open(ctx, path);
        }
        applied
    }

    /// Restores the offered autosave (its inputs are opened once the atlas is there).
    pub fn accept_restore(&mut self) {
        if let Some(project) = self.restore_offer.take() {
            self.pending = Some((project, None));
        }
    }

    /// Declines the offered autosave and removes it.
    pub fn decline_restore(&mut self) {
        self.restore_offer = None;
        if let Some(dir) = &self.user_dir {
            let _ = Autosaver::new(dir).discard();
        }
    }
}

/// The SHA-256 of the project's inputs as they are now (own data, site imports).
fn fill_checksums(project: &mut Project) {
    let sum = |path: &str| {
        std::fs::read(path)
            .map(|b| atlas_core::project::references::sha256_hex(&b))
            .unwrap_or_default()
    };
    if let Some(own) = &mut project.own_data {
        own.sha256 = sum(&own.path);
    }
    for import in &mut project.sites.imports {
        import.sha256 = sum(&import.path);
    }
}

/// The project section of the top bar: Save (with a path), Open, recent projects.
pub fn project_bar_ui(
    ui: &mut egui::Ui,
    session: &mut ProjectSession,
    lang: Lang,
) -> ProjectRequest {
    let mut request = ProjectRequest::None;
    // Clicks inside (into the path fields) keep the menu open.
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::containers::menu::MenuButton::new(lang.pick("Projekt", "Project"))
        .config(config)
        .ui(ui, |ui| {
            ui.set_min_width(320.0);
            let label =
                ui.label(lang.pick("Projektdatei (.atlas.json):", "Project file (.atlas.json):"));
            ui.add(
                egui::TextEdit::singleline(&mut session.path_text).hint_text("karte.atlas.json"),
            )
            .labelled_by(label.id);
            ui.horizontal(|ui| {
                let path = session.path_text.trim().to_owned();
                if ui
                    .add_enabled(
                        !path.is_empty(),
                        egui::Button::new(lang.pick("Speichern", "Save")),
                    )
                    .clicked()
                {
                    request = ProjectRequest::Save(with_extension(&path));
                }
                if ui
                    .add_enabled(
                        !path.is_empty(),
                        egui::Button::new(lang.pick("Öffnen", "Open")),
                    )
                    .clicked()
                {
                    request = ProjectRequest::Open(PathBuf::from(path));
                }
            });
            ui.separator();
            let label = ui.label(lang.pick(
                "Für QGIS exportieren (.gpkg: Regionen + Standorte; .geojson: Regionen):",
                "Export for QGIS (.gpkg: regions + sites; .geojson: regions):",
            ));
            ui.add(egui::TextEdit::singleline(&mut session.gis_path).hint_text("karte.gpkg"))
                .labelled_by(label.id);
            let gis = session.gis_path.trim().to_owned();
            if ui
                .add_enabled(
                    !gis.is_empty(),
                    egui::Button::new(lang.pick("GIS-Export", "GIS export")),
                )
                .clicked()
            {
                request = ProjectRequest::Gis(PathBuf::from(gis));
            }
            if !session.recent.is_empty() {
                ui.separator();
                ui.label(lang.pick("Zuletzt geöffnet:", "Recent:"));
                for path in session.recent.clone() {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        session.path_text = path.display().to_string();
                        request = ProjectRequest::Open(path);
                    }
                }
            }
        });
    request
}

fn with_extension(path: &str) -> PathBuf {
    if path.ends_with(".json") {
        PathBuf::from(path)
    } else {
        PathBuf::from(format!("{path}{}", atlas_core::project::EXTENSION))
    }
}

/// What the project menu asks for.
pub enum ProjectRequest {
    /// Nothing.
    None,
    /// Save the state to this file.
    Save(PathBuf),
    /// Open this project file.
    Open(PathBuf),
    /// Export the regions of the level and the visible sites for GIS (.gpkg or .geojson).
    Gis(PathBuf),
}

/// The offer to restore an autosave, and the messages of the last open or save.
pub fn dialogs_ui(ctx: &egui::Context, session: &mut ProjectSession, lang: Lang) {
    if session.restore_offer.is_some() {
        let mut choice = None;
        egui::Window::new(lang.pick("Sitzung wiederherstellen?", "Restore session?"))
            .collapsible(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(lang.pick(
                    "Die letzte Sitzung endete mit ungespeicherter Arbeit (Absturz, Abbruch oder Schließen ohne Speichern). Wiederherstellen?",
                    "The last session ended with unsaved work (a crash, a kill or closing without saving). Restore it?",
                ));
                ui.horizontal(|ui| {
                    if ui.button(lang.pick("Wiederherstellen", "Restore")).clicked() {
                        choice = Some(true);
                    }
                    if ui.button(lang.pick("Verwerfen", "Discard")).clicked() {
                        choice = Some(false);
                    }
                });
            });
        match choice {
            Some(true) => session.accept_restore(),
            Some(false) => session.decline_restore(),
            None => {}
        }
    }
    if !session.messages.is_empty() {
        let mut close = false;
        egui::Window::new(lang.pick("Projekt", "Project"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -12.0])
            .collapsible(false)
            .show(ctx, |ui| {
                for line in &session.messages {
                    ui.label(line.as_str());
                }
                close = ui.button("OK").clicked();
            });
        if close {
            session.messages.clear();
        }
    }
}

/// The window's working state as a project.
pub fn capture(app: &AtlasApp) -> Project {
    let mut project = Project {
        language: if app.lang == Lang::En { "en" } else { "de" }.to_owned(),
        level: app.level.key().to_owned(),
        preset: app.thematic.preset_at(app.level).map(|p| p.key.to_owned()),
        selection: app.selected_ags().map(|a| a.as_str().to_owned()),
        ..Project::default()
    };
    if let (Some(view), Some(canvas)) = (app.view, app.last_canvas) {
        let a = view.map_from_screen(canvas, canvas.left_bottom());
        let b = view.map_from_screen(canvas, canvas.right_top());
        project.view.extent = Some([
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[0].max(b[0]),
            a[1].max(b[1]),
        ]);
    }
    if let Some(Ok(spec)) = app.thematic.spec(app.level) {
        project.set_theme(Some(&spec));
    }
    let own = &app.import;
    if own.table.is_some() && !own.path_text.trim().is_empty() {
        project.own_data = Some(OwnDataState {
            path: own.path_text.trim().to_owned(),
            key_column: own.key_column.clone(),
            value_column: own.value_column.clone(),
            sheet: Some(own.sheet_text.trim().to_owned()).filter(|s| !s.is_empty()),
            ..OwnDataState::default()
        });
    } else if app.project.own_data.is_some() {
        project.own_data.clone_from(&app.project.own_data);
    }
    project.sites.visible = app
        .site_layers
        .visible
        .iter()
        .map(|t| t.code().to_owned())
        .collect();
    project.sites.imports.clone_from(&app.project.imports);
    let typed = app.site_layers.import_path.trim();
    if !typed.is_empty()
        && !app.site_layers.import_report.is_empty()
        && !project.sites.imports.iter().any(|i| i.path == typed)
    {
        project.sites.imports.push(SiteImportState {
            path: typed.to_owned(),
            default_type: atlas_core::sites::OWN_SITES.to_owned(),
            ..SiteImportState::default()
        });
    }
    project.sites.edits = app.site_editor.session.layer.clone();
    let c = &app.coverage;
    project.coverage = CoverageSettings {
        kommune: Some(c.kommune_text.trim().to_owned()).filter(|k| !k.is_empty()),
        radius_km: c.radius_km,
        threshold_km: c.threshold_km,
        types: c.types.iter().map(|t| t.code().to_owned()).collect(),
    };
    crate::project_settings::capture(app, &mut project);
    project
}

/// Puts a project's state into the window: level, language, theme, view, site layers and
/// edits, own data, coverage settings.
pub fn apply(
    app: &mut AtlasApp,
    project: Project,
    path: Option<&std::path::Path>,
    restored: Restored,
) {
    // Inputs found beside the project are kept by their full path, so the autosave finds them too.
    app.project.imports = project
        .sites
        .imports
        .iter()
        .map(|i| SiteImportState {
            path: atlas_core::project::references::resolve(&i.path, path).map_or_else(
                || i.path.clone(),
                |p| std::path::absolute(&p).unwrap_or(p).display().to_string(),
            ),
            ..i.clone()
        })
        .collect();
    app.lang = project.lang();
    if let Some(level) = project.level() {
        app.level = level;
    }
    app.thematic = Default::default();
    if let Some(key) = &project.preset
        && let Some(preset) = atlas_core::cartography::presets::preset(key)
    {
        app.thematic.apply_preset(&preset);
    } else if let Some(Ok(spec)) = project.theme_spec() {
        if let atlas_core::analysis::classify::Method::Manual(breaks) = &spec.method {
            app.thematic.manual_text = breaks
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join("; ");
        }
        app.thematic.field = Some(spec.field.clone());
        app.thematic.method = spec.method.clone();
        app.thematic.classes = spec.classes;
        app.thematic.scheme = spec.scheme.clone();
        app.thematic.reverse = spec.reverse;
    }
    app.project.own_data = project.own_data.clone().map(|mut own| {
        if let Some(p) = atlas_core::project::references::resolve(&own.path, path) {
            own.path = std::path::absolute(&p).unwrap_or(p).display().to_string();
        }
        own
    });
    if let Some(own) = &project.own_data {
        app.import.path_text = atlas_core::project::references::resolve(&own.path, path)
            .map_or_else(
                || own.path.clone(),
                |p| std::path::absolute(&p).unwrap_or(p).display().to_string(),
            );
        app.import.key_column.clone_from(&own.key_column);
        app.import.value_column.clone_from(&own.value_column);
        app.import.sheet_text = own.sheet.clone().unwrap_or_default();
    }
    app.site_layers.visible = project
        .sites
        .visible
        .iter()
        .map(|t| SiteType::parse(t))
        .collect();
    app.site_layers.selected = None;
    if let Some(import) = project.sites.imports.first() {
        app.site_layers.import_path.clone_from(&import.path);
    }
    app.coverage.kommune_text = project.coverage.kommune.clone().unwrap_or_default();
    app.coverage.radius_km = project.coverage.radius_km;
    app.coverage.threshold_km = project.coverage.threshold_km;
    app.coverage.types = project
        .coverage
        .types
        .iter()
        .map(|t| SiteType::parse(t))
        .collect();
    crate::project_settings::apply(app, &project);
    let (request, _) = project.map_request();
    if let Some(extent) = request.extent {
        app.zoom_to = Some(extent);
    }
    if let LoadState::Ready(loaded) = &mut app.state {
        if let Some(own) = restored.own.clone() {
            loaded.indicators.upsert(own);
        }
        app.selection = request.focus.as_ref().and_then(|a| loaded.atlas.id_of(a));
        loaded.sites = restored.sites.clone();
        app.site_editor.restore(
            project.sites.edits.clone(),
            restored.base_sites.clone(),
            restored.details.clone(),
        );
        app.site_editor.sync(&mut loaded.sites);
    }
    app.invalidate_map();
}

/// Once per frame: start-up work, finished workers, a project to apply, the autosave.
pub fn frame(app: &mut AtlasApp, ctx: &egui::Context) {
    app.project.start(ctx);
    let ready = match &app.state {
        LoadState::Ready(loaded) => Some((Arc::clone(&loaded.atlas), loaded.sites.clone())),
        _ => None,
    };
    let applied = app.project.poll(ctx, ready.as_ref().map(|(a, s)| (a, s)));
    if let Some((project, path, restored)) = applied {
        apply(app, project, path.as_deref(), restored);
    }
    if ready.is_some() {
        let project = capture(app);
        app.project.autosave(&project);
    }
    dialogs_ui(ctx, &mut app.project, app.lang);
}

/// The project menu (beside the top bar) and what it asks for.
pub fn bar(app: &mut AtlasApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let mut request = ProjectRequest::None;
    egui::Panel::top("project_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            request = project_bar_ui(ui, &mut app.project, lang);
            if let Some(path) = &app.project.path {
                ui.small(path.display().to_string());
            }
        });
    });
    match request {
        ProjectRequest::None => {}
        ProjectRequest::Save(path) => {
            let project = capture(app);
            app.project.save(ui.ctx(), path, project);
        }
        ProjectRequest::Open(path) => app.project.open(ui.ctx(), path),
        ProjectRequest::Gis(path) => gis_export(app, ui.ctx(), path),
    }
}

/// Writes the regions of the shown level (with every indicator, own data included) and the
/// visible sites (with the edits, address and capacity) on a worker: both layers into a
/// GeoPackage, or the regions as GeoJSON.
fn gis_export(app: &mut AtlasApp, ctx: &egui::Context, path: PathBuf) {
    let LoadState::Ready(loaded) = &app.state else {
        return;
    };
    let lang = app.lang;
    let regions = atlas_core::exchange::layers::regions_table(
        &loaded.atlas,
        &loaded.indicators,
        app.level,
        lang,
    );
    let visible: Vec<&atlas_core::sites::Site> = loaded
        .sites
        .sites
        .iter()
        .filter(|s| app.site_layers.visible.contains(&s.site_type))
        .collect();
    let details = app
        .site_editor
        .session
        .layer
        .details_over(&app.site_editor.base_details);
    let sites = atlas_core::exchange::layers::sites_table("sites", &visible, &details, lang);
    app.project.spawn(ctx, move || {
        let geojson = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
        let result = if geojson {
            atlas_core::exchange::geojson::write(&path, &regions)
        } else {
            let stamp = format!("{}T00:00:00.000Z", atlas_core::render::today());
            atlas_core::exchange::gpkg::write(&path, &[regions, sites], &stamp)
        };
        Done::Exported(result.map(|()| path).map_err(|e| e.to_string()))
    });
}
