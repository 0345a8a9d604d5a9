//! The export dialog: file, size and title for a snapshot of the current map; the export runs on
//! a worker thread and the dialog reports where the file was written.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use atlas_core::cartography::choropleth::Choropleth;
use atlas_core::cartography::request::MapRequest;
use atlas_core::cartography::scene::Scene;
use atlas_core::i18n::Lang;
use atlas_core::model::Atlas;
use atlas_core::sites::SiteSet;

/// What the worker reports: the file written and warnings (characters the font lacks, a title
/// cut short), or the error.
type ExportResult = Result<(PathBuf, Vec<String>), String>;

/// The dialog's state.
pub struct ExportDialog {
    /// Whether the dialog is shown.
    pub open: bool,
    /// Target file (.png, .svg or .pdf).
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Title above the map.
    pub title: String,
    /// The last result.
    pub message: Option<String>,
    running: Option<Receiver<ExportResult>>,
    atlas: crate::report_worker::ReportWorker,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            path: "karte.png".to_owned(),
            width: 2000,
            height: 1500,
            title: String::new(),
            message: None,
            running: None,
            atlas: crate::report_worker::ReportWorker::default(),
        }
    }
}

/// What the export needs from the window, owned so it can move to the worker.
pub struct Snapshot {
    /// The atlas.
    pub atlas: Arc<Atlas>,
    /// The map on screen, with the current view as its extent.
    pub request: MapRequest,
    /// The thematic map on screen, if any.
    pub map: Option<Choropleth>,
    /// The sites.
    pub sites: SiteSet,
}

impl Snapshot {
    /// The scene of the export: the screen's request with the dialog's title (if not blank),
    /// composed by the core as the canvas is.
    pub fn scene(&self) -> Scene {
        let scene = self.request.scene(&self.atlas, self.map.as_ref());
        let visible = self.request.site_types.iter().cloned().collect();
        if crate::site_editor::shows_postcode_sites(&self.sites, &visible) {
            scene.with_postcode_attribution(self.request.lang)
        } else {
            scene
        }
    }
}

impl ExportDialog {
    /// Draws the dialog; `snapshot` is called only when the user starts an export.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        snapshot: impl FnOnce() -> Option<Snapshot>,
    ) {
        self.poll(ctx, lang);
        self.atlas.ui(ctx, lang, "atlas");
        if !self.open {
            return;
        }
        let mut open = self.open;
        let mut start = false;
        let mut start_atlas = false;
        egui::Window::new(lang.pick("Karte exportieren", "Export map"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("export_grid").num_columns(2).show(ui, |ui| {
                    ui.label(lang.pick("Datei (.png, .svg oder .pdf)", "File (.png, .svg or .pdf)"));
                    ui.text_edit_singleline(&mut self.path);
                    ui.end_row();
                    ui.label(lang.pick("Größe (Pixel)", "Size (pixels)"));
                    ui.horizontal(|ui| {
                        ui.add(egui::DragValue::new(&mut self.width).range(400..=8000));
                        ui.label("×");
                        ui.add(egui::DragValue::new(&mut self.height).range(400..=8000));
                    });
                    ui.end_row();
                    ui.label(lang.pick("Titel", "Title"));
                    ui.text_edit_singleline(&mut self.title);
                    ui.end_row();
                });
                ui.small(lang.pick(
                    "Exportiert den aktuellen Kartenausschnitt mit Legende, Maßstab, Nordpfeil und Quellen.",
                    "Exports the current view with legend, scale bar, north arrow and sources.",
                ));
                if self.running.is_some() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(lang.pick("Exportiere …", "Exporting …"));
                    });
                } else if ui.button(lang.pick("Exportieren", "Export")).clicked() {
                    start = true;
                }
                start_atlas = !self.atlas.is_running()
                    && ui
                        .button(lang.pick("Atlas aller Kreise (PDF)", "Atlas of all Kreise (PDF)"))
                        .on_hover_text(lang.pick(
                            "Eine A4-Seite je Kreis mit der Karte auf dem Bildschirm, Klassen auf allen Seiten gleich; atlas_kreise.pdf im Ordner der Datei",
                            "One A4 page per Kreis with the map on screen, the same classes on every page; atlas_kreise.pdf in the file's folder",
                        ))
                        .clicked();
                if let Some(message) = &self.message {
                    ui.label(message.as_str());
                }
            });
        self.open = open;
        if !(start || start_atlas) {
            return;
        }
        let Some(snapshot) = snapshot() else {
            return;
        };
        if start_atlas {
            let beside = PathBuf::from(self.path.trim());
            self.atlas.start_atlas(ctx, snapshot, beside);
        } else {
            self.start(ctx, snapshot, lang);
        }
    }

    fn start(&mut self, ctx: &egui::Context, mut snapshot: Snapshot, lang: Lang) {
        let path = PathBuf::from(self.path.trim());
        let path = if path.is_absolute() {
            path
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        if !self.title.trim().is_empty() {
            snapshot.request.title = Some(self.title.trim().to_owned());
        }
        snapshot.request.width = self.width;
        snapshot.request.height = self.height;
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let scene = snapshot.scene();
            let job = atlas_core::render::ExportJob::of_request(
                &snapshot.request,
                &snapshot.atlas,
                &scene,
                &snapshot.sites,
                atlas_core::render::today(),
            );
            let warnings = job.warnings(lang);
            let result = job
                .write(&path)
                .map(|()| (path, warnings))
                .map_err(|e| e.to_string());
            let _ = sender.send(result);
            ctx.request_repaint();
        });
        self.running = Some(receiver);
        self.message = None;
    }

    fn poll(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(receiver) = &self.running else {
            return;
        };
        match receiver.try_recv() {
            Ok(Ok((path, warnings))) => {
                let mut message =
                    format!("{} {}", lang.pick("Gespeichert:", "Saved:"), path.display());
                for warning in warnings {
                    message.push_str(&format!("\n{} {warning}", lang.pick("Hinweis:", "Note:")));
                }
                self.message = Some(message);
                self.running = None;
            }
            Ok(Err(message)) => {
                self.message = Some(message);
                self.running = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.running = None,
        }
    }
}
