//! Report documents from the window, written on a worker thread: the profile (Steckbrief) of
//! the selected Kommune (button in the info panel) and the atlas of all Kreise with the map on
//! screen (button in the export dialog), each as an A4 PDF. A small window shows the spinner
//! and then where the file went, or why it failed.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use atlas_core::analysis::coverage::{CoverageSpec, analyse};
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::data::places::GemeindePoint;
use atlas_core::i18n::Lang;
use atlas_core::model::{Ags, Atlas, Level};
use atlas_core::render::pdf::{Paper, PdfOptions, Sheet};
use atlas_core::report::atlas::{AtlasSpec, file_stem};
use atlas_core::report::profile::Profile;
use atlas_core::sites::SiteSet;

use crate::export_dialog::Snapshot;

/// What a profile needs, owned so it can move to the worker.
pub struct ProfileInput {
    /// The atlas.
    pub atlas: Arc<Atlas>,
    /// The indicators (with own data).
    pub indicators: IndicatorSet,
    /// The sites.
    pub sites: SiteSet,
    /// The Gemeinde centre points.
    pub points: std::collections::HashMap<Ags, GemeindePoint>,
}

/// A running or finished report job.
#[derive(Default)]
pub struct ReportWorker {
    running: Option<Receiver<Result<PathBuf, String>>>,
    message: Option<String>,
}

const A4: Paper = Paper {
    sheet: Sheet::A4,
    landscape: false,
};

const A4_LANDSCAPE: Paper = Paper {
    sheet: Sheet::A4,
    landscape: true,
};

impl ReportWorker {
    /// Whether a report is being written.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Writes the profile of `ags` as `steckbrief_<AGS>_<name>.pdf` in the working folder.
    pub fn start_profile(
        &mut self,
        ctx: &egui::Context,
        input: ProfileInput,
        ags: Ags,
        lang: Lang,
    ) {
        let stem = input
            .atlas
            .get(&ags)
            .map_or_else(|| ags.to_string(), file_stem);
        let path = working_dir().join(format!("steckbrief_{stem}.pdf"));
        self.spawn(ctx, move || {
            let spec = CoverageSpec {
                kommune: ags.clone(),
                radius_km: 25.0,
                threshold_km: 15.0,
                types: input.sites.types(),
            };
            let coverage = analyse(
                &input.atlas,
                &input.sites,
                &input.indicators,
                &input.points,
                &spec,
            )
            .map_err(|e| e.to_string())?;
            // The grid figures beside the centre-point ones, where the data folder has the grid.
            let coverage =
                crate::grid_layer::with_grid_figures(coverage, &input.atlas, &input.sites);
            let profile = Profile::build(
                &input.atlas,
                &input.indicators,
                &input.sites,
                Some(coverage),
                &ags,
                lang,
                atlas_core::render::today(),
            )
            .map_err(|e| e.to_string())?;
            let pages = profile
                .pdf_pages(&input.sites, A4)
                .map_err(|e| e.to_string())?;
            let options = PdfOptions {
                paper: Some(A4),
                pdfa: false,
                title: Some(profile.title()),
                lang,
            };
            let bytes =
                atlas_core::render::pdf::document(&pages, &options).map_err(|e| e.to_string())?;
            write(&path, &bytes)
        });
    }

    /// Writes the atlas of all Kreise with the map of `snapshot` as `atlas_kreise.pdf` beside
    /// `beside` (the export dialog's file).
    pub fn start_atlas(&mut self, ctx: &egui::Context, mut snapshot: Snapshot, beside: PathBuf) {
        let path = beside
            .parent()
            .map_or_else(working_dir, PathBuf::from)
            .join("atlas_kreise.pdf");
        self.spawn(ctx, move || {
            (snapshot.request.width, snapshot.request.height) = A4_LANDSCAPE.content_px();
            snapshot.request.extent = None;
            snapshot.request.focus = None;
            snapshot.request.labels = true;
            let spec = AtlasSpec {
                atlas: &snapshot.atlas,
                sites: &snapshot.sites,
                request: snapshot.request.clone(),
                map: snapshot.map.as_ref(),
                level: Level::Kreis,
                within: None,
                date: atlas_core::render::today(),
            };
            let atlas = spec.pdf(A4_LANDSCAPE, false).map_err(|e| e.to_string())?;
            write(&path, &atlas.bytes)
        });
    }

    fn spawn(
        &mut self,
        ctx: &egui::Context,
        job: impl FnOnce() -> Result<PathBuf, String> + Send + 'static,
    ) {
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = sender.send(job());
            ctx.request_repaint();
        });
        self.running = Some(receiver);
        self.message = None;
    }

    /// Polls the worker and shows its state in a small window (nothing when idle); `id` tells
    /// the windows of several workers apart.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang, id: &str) {
        if let Some(receiver) = &self.running {
            match receiver.try_recv() {
                Ok(Ok(path)) => {
                    self.message = Some(format!(
                        "{} {}",
                        lang.pick("Gespeichert:", "Saved:"),
                        path.display()
                    ));
                    self.running = None;
                }
                Ok(Err(message)) => {
                    self.message = Some(message);
                    self.running = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.running = None,
            }
        }
        if self.running.is_none() && self.message.is_none() {
            return;
        }
        let mut open = true;
        egui::Window::new(lang.pick("Bericht (PDF)", "Report (PDF)"))
            .id(egui::Id::unique(("report_worker", id)))
            .default_pos([320.0, 60.0])
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                if self.running.is_some() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(lang.pick("Schreibe PDF …", "Writing PDF …"));
                    });
                } else if let Some(message) = &self.message {
                    ui.label(message.as_str());
                }
            });
        if !open && self.running.is_none() {
            self.message = None;
        }
    }
}

fn working_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<PathBuf, String> {
    atlas_core::atomic::write_atomically(path, bytes)
        .map(|()| path.to_owned())
        .map_err(|e| format!("{}: {e}", path.display()))
}
