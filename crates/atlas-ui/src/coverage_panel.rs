//! Coverage in the window: the controls (Kommune, radius, threshold, types), the map overlay
//! (Kommune outline, radius, gap Gemeinden, lines to the nearest sites), the sortable table of
//! Gemeinden and saving the report.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use eframe::egui::{self, Color32, RichText, Stroke};
use geo::Buffer as _;

use crate::map_view::MapView;
use crate::mesh_cache::color;
use atlas_core::analysis::coverage::{CoverageReport, CoverageSpec, analyse};
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::cartography::symbols::site_symbol;
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::{Ags, Atlas};
use atlas_core::numfmt::{format_count, format_number};
use atlas_core::sites::{SiteSet, SiteType};

/// A column of the table to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Kommune's Gemeinden first, then by distance (the report's order).
    #[default]
    Report,
    /// Name.
    Name,
    /// Inhabitants, most first.
    Population,
    /// Distance to the nearest site of the type at this position, farthest first.
    Distance(usize),
}

/// The analysis as the window holds it.
#[derive(Default)]
pub struct CoverageState {
    /// The Kommune typed by the user.
    pub kommune_text: String,
    /// Radius, km.
    pub radius_km: f64,
    /// Threshold, km.
    pub threshold_km: f64,
    /// Types to analyse.
    pub types: BTreeSet<SiteType>,
    /// The last result.
    pub report: Option<CoverageReport>,
    /// The last error.
    pub error: Option<String>,
    /// Table order.
    pub sort: SortBy,
    /// Where to save the report.
    pub save_path: String,
    /// What saving did.
    pub save_message: Option<String>,
    buffer: Vec<Vec<[f64; 2]>>,
    lines: Vec<([f64; 2], [f64; 2], SiteType)>,
    running: Option<Receiver<Outcome>>,
}

impl CoverageState {
    /// The defaults of the issue: 25 km radius, 15 km threshold, KI, ABH, JA.
    pub fn new() -> CoverageState {
        CoverageState {
            radius_km: 25.0,
            threshold_km: 15.0,
            types: [SiteType::Ki, SiteType::Abh, SiteType::Ja]
                .into_iter()
                .collect(),
            ..CoverageState::default()
        }
    }
}

/// What the panel asks of the app.
pub enum CoverageAction {
    /// Select and zoom to a Gemeinde.
    ZoomTo(Ags),
}

/// The controls in the left panel. Returns true when the user asked for the analysis.
pub fn coverage_controls_ui(
    ui: &mut egui::Ui,
    state: &mut CoverageState,
    sites: &SiteSet,
    lang: Lang,
) -> bool {
    let mut requested = false;
    ui.label(
        RichText::new(lang.pick("Versorgung um eine Kommune", "Coverage around a Kommune"))
            .strong(),
    );
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Kommune", "Kommune"));
        ui.add(
            egui::TextEdit::singleline(&mut state.kommune_text)
                .hint_text("z. B. Kreis Olpe, 05966")
                .desired_width(160.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.add(
            egui::DragValue::new(&mut state.radius_km)
                .range(1.0..=200.0)
                .suffix(" km"),
        );
        ui.label(lang.pick("Umkreis", "radius"));
        ui.add(
            egui::DragValue::new(&mut state.threshold_km)
                .range(1.0..=200.0)
                .suffix(" km"),
        );
        ui.label(lang.pick("Schwelle", "threshold"));
    });
    ui.horizontal_wrapped(|ui| {
        for site_type in sites.types() {
            let mut on = state.types.contains(&site_type);
            if ui.checkbox(&mut on, site_type.code()).changed() {
                if on {
                    state.types.insert(site_type);
                } else {
                    state.types.remove(&site_type);
                }
            }
        }
    });
    ui.horizontal(|ui| {
        requested = ui.button(lang.pick("Analysieren", "Analyse")).clicked();
        if state.report.is_some() && ui.button(lang.pick("Zurücksetzen", "Clear")).clicked() {
            state.report = None;
            state.buffer.clear();
            state.lines.clear();
        }
    });
    if let Some(error) = &state.error {
        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
    }
    if let Some(report) = &state.report {
        for gap in &report.gaps {
            ui.small(format!(
                "{}: {} {} > {} km, {} EW ({} %)",
                gap.site_type,
                gap.gemeinden
                    .iter()
                    .filter(|(a, _, _)| report
                        .gemeinden
                        .iter()
                        .any(|g| g.ags == *a && g.in_kommune))
                    .count(),
                lang.pick("Gemeinden", "municipalities"),
                format_number(report.spec.threshold_km, 0, lang),
                format_count(gap.population_beyond, lang),
                format_number(gap.share_of_kommune_pct, 1, lang)
            ));
        }
        save_ui(ui, state, lang);
    }
    requested
}

/// What the analysis hands back to the window: the report and its overlay.
struct Finished {
    report: CoverageReport,
    buffer: Vec<Vec<[f64; 2]>>,
    lines: Vec<([f64; 2], [f64; 2], SiteType)>,
}

/// A finished analysis, or its error.
type Outcome = Result<Finished, String>;

/// Starts the analysis for the state's inputs on a worker thread (the buffer of a Kreis and the
/// distances of its Gemeinden take a while; the window stays live and shows a spinner).
pub fn run(
    state: &mut CoverageState,
    ctx: &egui::Context,
    lang: Lang,
    atlas: &Arc<Atlas>,
    sites: &SiteSet,
    indicators: &IndicatorSet,
    points: &HashMap<Ags, atlas_core::data::places::GemeindePoint>,
) {
    state.error = None;
    if state.kommune_text.trim().is_empty() {
        state.error = Some(
            lang.pick(
                "Bitte eine Kommune eingeben: Name oder AGS, z. B. Kreis Olpe oder 05966.",
                "Please enter a Kommune: name or AGS, e.g. Kreis Olpe or 05966.",
            )
            .to_owned(),
        );
        return;
    }
    let kommune = match atlas_core::analysis::search::resolve_kommune(atlas, &state.kommune_text) {
        Ok(ags) => ags,
        Err(e) => {
            state.error = Some(e);
            return;
        }
    };
    let spec = CoverageSpec {
        kommune,
        radius_km: state.radius_km,
        threshold_km: state.threshold_km,
        types: state.types.iter().cloned().collect(),
    };
    let (atlas, sites, indicators, points) = (
        Arc::clone(atlas),
        sites.clone(),
        indicators.clone(),
        points.clone(),
    );
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let outcome = analyse(&atlas, &sites, &indicators, &points, &spec)
            .map(|report| crate::grid_layer::with_grid_figures(report, &atlas, &sites))
            .map(|report| overlay(report, &atlas, &sites, &points))
            .map_err(|e| e.localized(lang));
        let _ = sender.send(outcome);
        ctx.request_repaint();
    });
    state.running = Some(receiver);
}

/// The overlay of a report: the radius around the Kommune and the lines from each Gemeinde to
/// its nearest sites.
fn overlay(
    report: CoverageReport,
    atlas: &Atlas,
    sites: &SiteSet,
    points: &HashMap<Ags, atlas_core::data::places::GemeindePoint>,
) -> Finished {
    let buffer = atlas
        .get(&report.spec.kommune)
        .map(|r| {
            r.geometry
                .buffer(report.spec.radius_km * 1000.0)
                .iter()
                .map(|p| p.exterior().coords().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .unwrap_or_default();
    let by_id: HashMap<&str, (f64, f64)> = sites
        .sites
        .iter()
        .map(|s| (s.id.as_str(), (s.x, s.y)))
        .collect();
    let by_id = &by_id;
    let lines = report
        .gemeinden
        .iter()
        .flat_map(|g| {
            let from = Ags::parse(&g.ags)
                .and_then(|a| points.get(&a))
                .map(|p| (p.x, p.y));
            g.nearest.iter().filter_map(move |n| {
                let (fx, fy) = from?;
                let &(tx, ty) = by_id.get(n.site_id.as_deref()?)?;
                Some(([fx, fy], [tx, ty], SiteType::parse(&n.site_type)))
            })
        })
        .collect();
    Finished {
        report,
        buffer,
        lines,
    }
}

/// Takes over a finished analysis. Returns the analysed Kommune when one has just finished, so
/// the app can zoom to it.
pub fn poll(state: &mut CoverageState, ctx: &egui::Context) -> Option<Ags> {
    let receiver = state.running.as_ref()?;
    match receiver.try_recv() {
        Ok(Ok(finished)) => {
            state.running = None;
            let kommune = finished.report.spec.kommune.clone();
            state.buffer = finished.buffer;
            state.lines = finished.lines;
            state.save_path = format!("versorgung_{kommune}.md");
            state.save_message = None;
            state.report = Some(finished.report);
            Some(kommune)
        }
        Ok(Err(message)) => {
            state.running = None;
            state.error = Some(message);
            None
        }
        Err(TryRecvError::Empty) => {
            ctx.request_repaint_after(Duration::from_millis(100));
            None
        }
        Err(TryRecvError::Disconnected) => {
            state.running = None;
            None
        }
    }
}

/// Whether an analysis is running.
pub fn is_running(state: &CoverageState) -> bool {
    state.running.is_some()
}

fn save_ui(ui: &mut egui::Ui, state: &mut CoverageState, lang: Lang) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Datei", "File"));
        ui.add(egui::TextEdit::singleline(&mut state.save_path).desired_width(160.0))
            .labelled_by(label.id);
        if ui
            .button(lang.pick("Bericht speichern", "Save report"))
            .clicked()
            && let Some(report) = &state.report
        {
            let path = std::path::PathBuf::from(state.save_path.trim());
            let path = if path.is_absolute() {
                path
            } else {
                std::env::current_dir().unwrap_or_default().join(path)
            };
            let text = if path.extension().is_some_and(|e| e == "json") {
                serde_json::to_string_pretty(report).unwrap_or_default()
            } else if path.extension().is_some_and(|e| e == "csv") {
                report.csv()
            } else {
                report.markdown()
            };
            state.save_message = Some(
                match atlas_core::atomic::write_atomically(&path, text.as_bytes()) {
                    Ok(()) => format!("{} {}", lang.pick("Gespeichert:", "Saved:"), path.display()),
                    Err(e) => format!(
                        "{} {}: {e}",
                        lang.pick("Nicht gespeichert:", "Not saved:"),
                        path.display()
                    ),
                },
            );
        }
    });
    if let Some(message) = &state.save_message {
        ui.small(message.as_str());
    }
}

/// Draws the overlay: radius, lines to the nearest sites, gap Gemeinden and the Kommune outline.
pub fn paint_overlay(
    painter: &egui::Painter,
    view: &MapView,
    canvas: egui::Rect,
    state: &CoverageState,
    atlas: &Atlas,
) {
    let Some(report) = &state.report else {
        return;
    };
    let to_screen = |p: [f64; 2]| view.screen_from_map(canvas, p[0], p[1]);
    for ring in &state.buffer {
        let points: Vec<egui::Pos2> = ring.iter().map(|&p| to_screen(p)).collect();
        painter.add(egui::Shape::dashed_line(
            &points,
            Stroke::new(1.5, Color32::from_gray(60)),
            6.0,
            4.0,
        ));
    }
    for (from, to, site_type) in &state.lines {
        let (rgba, _) = site_symbol(site_type);
        painter.line_segment(
            [to_screen(*from), to_screen(*to)],
            Stroke::new(1.0, color(rgba).gamma_multiply(0.8)),
        );
    }
    let outline = |ags: &Ags, stroke: Stroke| {
        let Some(region) = atlas.get(ags) else { return };
        for polygon in &region.geometry {
            let points: Vec<egui::Pos2> = polygon
                .exterior()
                .coords()
                .map(|c| to_screen([c.x, c.y]))
                .collect();
            painter.add(egui::Shape::line(points, stroke));
        }
    };
    for g in report
        .gemeinden
        .iter()
        .filter(|g| g.nearest.iter().any(|n| n.gap))
    {
        if let Some(ags) = Ags::parse(&g.ags) {
            outline(&ags, Stroke::new(2.5, Color32::from_rgb(200, 30, 30)));
        }
    }
    outline(
        &report.spec.kommune,
        Stroke::new(3.5, Color32::from_gray(10)),
    );
}

/// The sortable table of Gemeinden in a bottom panel; a click on a name zooms to it.
pub fn coverage_table_ui(
    ui: &mut egui::Ui,
    state: &mut CoverageState,
    lang: Lang,
    actions: &mut Vec<CoverageAction>,
) {
    if is_running(state) {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.pick("Analysiere …", "Analysing …"));
        });
    }
    let Some(report) = &state.report else {
        return;
    };
    let mut order: Vec<usize> = (0..report.gemeinden.len()).collect();
    let rows = &report.gemeinden;
    match state.sort {
        SortBy::Report => {}
        SortBy::Name => order.sort_by(|&a, &b| rows[a].name.cmp(&rows[b].name)),
        SortBy::Population => order.sort_by(|&a, &b| rows[b].population.cmp(&rows[a].population)),
        SortBy::Distance(t) => order.sort_by(|&a, &b| {
            let d = |i: usize| {
                rows[i]
                    .nearest
                    .get(t)
                    .and_then(|n| n.distance_km)
                    .unwrap_or(f64::INFINITY)
            };
            d(b).total_cmp(&d(a))
        }),
    }
    let mut sort = state.sort;
    egui::Panel::bottom("coverage_table")
        .resizable(true)
        .default_size(220.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} – {}",
                    lang.pick("Versorgung", "Coverage"),
                    report.kommune_name
                ))
                .strong(),
            );
            crate::grid_layer::kommune_figures_ui(ui, &report.grid, lang);
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("coverage_grid")
                    .striped(true)
                    .num_columns(4 + report.spec.types.len())
                    .show(ui, |ui| {
                        let mut header = |ui: &mut egui::Ui, text: &str, key: SortBy| {
                            // The sorted column is selected (the bundled font has no arrow
                            // glyph such as ▼).
                            if ui.selectable_label(sort == key, text).clicked() {
                                sort = key;
                            }
                        };
                        header(ui, lang.pick("Gemeinde", "Municipality"), SortBy::Name);
                        header(ui, lang.pick("Einwohner", "Population"), SortBy::Population);
                        header(ui, lang.pick("Lage", "Where"), SortBy::Report);
                        for (t, site_type) in report.spec.types.iter().enumerate() {
                            header(ui, &format!("{} km", site_type.code()), SortBy::Distance(t));
                        }
                        ui.end_row();
                        for &i in &order {
                            let g = &rows[i];
                            if ui.link(&g.name).clicked()
                                && let Some(ags) = Ags::parse(&g.ags)
                            {
                                actions.push(CoverageAction::ZoomTo(ags));
                            }
                            ui.label(format_count(g.population, lang));
                            ui.label(if g.in_kommune {
                                lang.pick("Kommune", "Kommune").to_owned()
                            } else {
                                format!("+{} km", format_number(g.distance_to_kommune_km, 1, lang))
                            });
                            for n in &g.nearest {
                                let text = n
                                    .distance_km
                                    .map_or_else(|| "–".to_owned(), |d| format_number(d, 1, lang));
                                if n.gap {
                                    // A gap in red and bold, with "!" (the bundled font has no ⚠).
                                    ui.colored_label(
                                        Color32::from_rgb(220, 60, 60),
                                        RichText::new(format!("{text} !")).strong(),
                                    );
                                } else {
                                    ui.label(text);
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        });
    state.sort = sort;
}
