//! "Standortvorschlag" in the window: the controls (type, S, p or target share, weight,
//! candidates, area), the exact suggestion computed on a worker thread (the Zensus grid is read
//! there once), the suggested sites drawn as a layer of their own with rank and gain, and
//! keeping a suggestion as a site layer (so exports and the site panel show it) to compare it
//! with the current state and with other kept suggestions.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use eframe::egui::{self, Align2, Color32, FontId, RichText, Stroke};

use crate::map_view::MapView;
use atlas_core::analysis::site_selection::solver::Limits;
use atlas_core::analysis::site_selection::{
    CandidateKind, Goal, SuggestSpec, Suggestion, Weight, demand_points, resolve_area, suggest,
};
use atlas_core::data::places::GemeindePoint;
use atlas_core::data::zensus::PopulationGrid;
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::{Ags, Atlas};
use atlas_core::numfmt::format_number;
use atlas_core::sites::{PRECISION_COORDINATES, Site, SiteSet, SiteType};

/// The type code prefix of kept suggestions as a site layer, e.g. `VORSCHLAG-1`.
pub const KEPT_PREFIX: &str = "VORSCHLAG";

/// The panel's inputs, the last result and the kept ones.
pub struct SuggestState {
    /// Type of the new sites.
    pub site_type: SiteType,
    /// S, km.
    pub radius_km: f64,
    /// Ask for the fewest sites for a share instead of p sites.
    pub by_target: bool,
    /// p (1–10).
    pub new_sites: usize,
    /// Target share, %.
    pub target_pct: f64,
    /// Whom to count.
    pub weight: Weight,
    /// Candidates are cells with at least `min_einwohner` instead of Gemeinde centres.
    pub cells: bool,
    /// The fewest inhabitants of a candidate cell.
    pub min_einwohner: u32,
    /// Kreis or Bezirk (empty: all of NRW).
    pub area_text: String,
    /// The last suggestion.
    pub result: Option<Suggestion>,
    /// The last error.
    pub error: Option<String>,
    /// Suggestions kept as site layers: (type code of the layer, the suggestion).
    pub kept: Vec<(SiteType, Suggestion)>,
    grid: Option<Arc<PopulationGrid>>,
    running: Option<Receiver<Outcome>>,
}

impl Default for SuggestState {
    fn default() -> Self {
        SuggestState {
            site_type: SiteType::Abh,
            radius_km: 15.0,
            by_target: false,
            new_sites: 3,
            target_pct: 95.0,
            weight: Weight::Einwohner,
            cells: false,
            min_einwohner: 1000,
            area_text: String::new(),
            result: None,
            error: None,
            kept: Vec::new(),
            grid: None,
            running: None,
        }
    }
}

impl SuggestState {
    /// Whether a suggestion is being computed.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }
}

/// What the worker hands back: the grid (read once) and the suggestion or its error.
type Outcome = (Option<Arc<PopulationGrid>>, Result<Suggestion, String>);

/// What the panel asks of the app.
pub enum SuggestAction {
    /// Add these sites as a layer of their own and show it.
    Keep(Vec<Site>, SiteType),
    /// Remove the kept layer of this type.
    Discard(SiteType),
}

fn persons(value: f64, lang: Lang) -> String {
    format_number(value, 0, lang)
}

/// The controls. Returns true when the user asked for a suggestion; pushes keep/discard
/// requests to `actions`.
pub fn suggest_controls_ui(
    ui: &mut egui::Ui,
    state: &mut SuggestState,
    sites: &SiteSet,
    lang: Lang,
    actions: &mut Vec<SuggestAction>,
) -> bool {
    let types: Vec<SiteType> = sites
        .types()
        .into_iter()
        .filter(|t| !t.code().starts_with(KEPT_PREFIX))
        .collect();
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Typ", "Type"));
        egui::ComboBox::from_id_salt("suggest_type")
            .selected_text(state.site_type.code().to_owned())
            .show_ui(ui, |ui| {
                for t in types {
                    let text = format!("{} – {}", t.code(), t.name(lang));
                    ui.selectable_value(&mut state.site_type, t, text);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("S");
        ui.add(
            egui::DragValue::new(&mut state.radius_km)
                .range(1.0..=100.0)
                .suffix(" km"),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let radio = ui.radio_value(
            &mut state.by_target,
            false,
            lang.pick("neue Standorte", "new sites"),
        );
        ui.add_enabled(
            !state.by_target,
            egui::DragValue::new(&mut state.new_sites).range(1..=10),
        )
        .labelled_by(radio.id);
    });
    ui.horizontal(|ui| {
        let radio = ui.radio_value(
            &mut state.by_target,
            true,
            lang.pick("wenigste für", "fewest for"),
        );
        ui.add_enabled(
            state.by_target,
            egui::DragValue::new(&mut state.target_pct)
                .range(1.0..=100.0)
                .speed(0.1)
                .suffix(" %"),
        )
        .labelled_by(radio.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Gewicht", "Weight"));
        egui::ComboBox::from_id_salt("suggest_weight")
            .selected_text(state.weight.label(lang))
            .show_ui(ui, |ui| {
                for w in Weight::ALL {
                    ui.selectable_value(&mut state.weight, w, w.label(lang));
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.radio_value(&mut state.cells, false, lang.pick("Gemeinden", "Gemeinden"));
        let radio = ui.radio_value(&mut state.cells, true, lang.pick("Zellen ab", "cells from"));
        ui.add_enabled(
            state.cells,
            egui::DragValue::new(&mut state.min_einwohner)
                .range(1..=20_000)
                .suffix(lang.pick(" EW", " inh.")),
        )
        .labelled_by(radio.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Gebiet", "Area"));
        ui.add(
            egui::TextEdit::singleline(&mut state.area_text)
                .hint_text(lang.pick("NRW, Kreis oder Bezirk", "NRW, Kreis or Bezirk"))
                .desired_width(150.0),
        )
        .labelled_by(label.id);
    });
    let mut requested = false;
    ui.horizontal(|ui| {
        let running = state.running.is_some();
        requested = ui
            .add_enabled(!running, egui::Button::new(lang.pick("Berechnen", "Run")))
            .clicked();
        if running {
            ui.spinner();
        }
        if state.result.is_some() {
            if ui
                .button(lang.pick("Als Ebene behalten", "Keep as layer"))
                .clicked()
                && let Some(result) = &state.result
            {
                let layer = SiteType::Other(format!("{KEPT_PREFIX}-{}", state.kept.len() + 1));
                actions.push(SuggestAction::Keep(
                    kept_sites(result, &layer),
                    layer.clone(),
                ));
                state.kept.push((layer, result.clone()));
                state.result = None;
            } else if ui.button(lang.pick("Verwerfen", "Discard")).clicked() {
                state.result = None;
            }
        }
    });
    if let Some(error) = &state.error {
        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
    }
    if let Some(result) = &state.result {
        result_ui(ui, result, lang);
    }
    kept_ui(ui, state, lang, actions);
    requested
}

/// Before/after, the status and the ranked sites.
fn result_ui(ui: &mut egui::Ui, result: &Suggestion, lang: Lang) {
    let who = result.weight.label(lang);
    ui.small(format!(
        "{}: {} {who} ({} %) {} {} km",
        lang.pick("Heute", "Today"),
        persons(result.covered_before.get(), lang),
        format_number(result.covered_before_pct, 1, lang),
        lang.pick("bis", "within"),
        format_number(result.radius_km, 0, lang)
    ));
    ui.small(format!(
        "{}: {} ({} %)",
        lang.pick("Mit Vorschlag", "With suggestion"),
        persons(result.covered_after.get(), lang),
        format_number(result.covered_after_pct, 1, lang)
    ));
    for site in &result.new_sites {
        ui.small(format!(
            "{}. {} (+{})",
            site.rank,
            site.name,
            persons(site.gain.get(), lang)
        ));
    }
    let status = match result.status {
        atlas_core::analysis::site_selection::Proof::Optimal => {
            lang.pick("beweisbar optimal", "proven optimal").to_owned()
        }
        _ => lang
            .pick(
                "Suchgrenze erreicht: nicht bewiesen",
                "search limit reached: not proven",
            )
            .to_owned(),
    };
    ui.small(RichText::new(status).italics());
    if result.unknown_share_einwohner > 0 {
        ui.small(format!(
            "{} {} {}",
            lang.pick("ohne", "leaves out"),
            persons(result.unknown_share_einwohner as f64, lang),
            lang.pick(
                "Einwohner mit unbekanntem Anteil",
                "inhabitants with unknown share"
            )
        ));
    }
    ui.small(atlas_core::attribution::zensus_grid().get(lang).to_owned());
}

/// The kept suggestions side by side with the current state, each removable.
fn kept_ui(
    ui: &mut egui::Ui,
    state: &mut SuggestState,
    lang: Lang,
    actions: &mut Vec<SuggestAction>,
) {
    let mut discard = None;
    for (i, (layer, kept)) in state.kept.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.small(format!(
                "{}: {} {} km, +{}: {} {} %, {} {} %",
                layer.code(),
                kept.site_type,
                format_number(kept.radius_km, 0, lang),
                kept.new_sites.len(),
                lang.pick("vorher", "before"),
                format_number(kept.covered_before_pct, 1, lang),
                lang.pick("nachher", "after"),
                format_number(kept.covered_after_pct, 1, lang)
            ));
            if ui.small_button("x").clicked() {
                discard = Some(i);
            }
        });
    }
    if let Some(i) = discard {
        let (layer, _) = state.kept.remove(i);
        actions.push(SuggestAction::Discard(layer));
    }
}

/// A kept suggestion as sites of their own type (named with rank and gain), for the site
/// layers and exports.
fn kept_sites(result: &Suggestion, layer: &SiteType) -> Vec<Site> {
    result
        .new_sites
        .iter()
        .map(|s| Site {
            id: format!("{}-{}", layer.code(), s.rank),
            site_type: layer.clone(),
            name: format!(
                "Vorschlag {} {}: {} (+{})",
                result.site_type,
                s.rank,
                s.name,
                format_number(s.gain.get(), 0, Lang::De)
            ),
            kommune_ags: s.ags.clone(),
            lon: s.lon,
            lat: s.lat,
            precision: PRECISION_COORDINATES.to_owned(),
            source: format!(
                "Standortvorschlag (MCLP, {} km, {}), Zensus 2011",
                result.radius_km,
                result.weight.key()
            ),
            stand: String::new(),
            x: s.x,
            y: s.y,
        })
        .collect()
}

/// Starts the suggestion for the state's inputs on a worker thread (reads the grid the first
/// time); the controls show a spinner meanwhile.
pub fn run(
    state: &mut SuggestState,
    ctx: &egui::Context,
    lang: Lang,
    atlas: &Arc<Atlas>,
    sites: &SiteSet,
    points: &std::collections::HashMap<Ags, GemeindePoint>,
) {
    state.error = None;
    let within = match state.area_text.trim() {
        "" | "NRW" | "nrw" => None,
        text => match resolve_area(atlas, text) {
            Ok(ags) => Some(ags),
            Err(e) => {
                state.error = Some(e);
                return;
            }
        },
    };
    let spec = SuggestSpec {
        site_type: state.site_type.clone(),
        radius_km: state.radius_km,
        goal: if state.by_target {
            Goal::TargetPct(state.target_pct)
        } else {
            Goal::NewSites(state.new_sites)
        },
        weight: state.weight,
        candidates: if state.cells {
            CandidateKind::Cells {
                min_einwohner: state.min_einwohner,
            }
        } else {
            CandidateKind::Gemeinden
        },
        within,
        limits: Limits::default(),
    };
    let (atlas, sites, points, grid) = (
        Arc::clone(atlas),
        sites.clone(),
        points.clone(),
        state.grid.clone(),
    );
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let outcome = compute(&atlas, &sites, &points, grid, &spec, lang);
        let _ = sender.send(outcome);
        ctx.request_repaint();
    });
    state.running = Some(receiver);
}

fn compute(
    atlas: &Atlas,
    sites: &SiteSet,
    points: &std::collections::HashMap<Ags, GemeindePoint>,
    grid: Option<Arc<PopulationGrid>>,
    spec: &SuggestSpec,
    lang: Lang,
) -> Outcome {
    let grid = match grid {
        Some(grid) => grid,
        None => {
            let path = atlas_core::data::zensus::bundled_grid_path(&atlas.provenance.data_dir);
            match atlas_core::data::zensus::load_population_grid(&path, atlas) {
                Ok(grid) => Arc::new(grid),
                Err(e) => return (None, Err(e.to_string())),
            }
        }
    };
    let demand = demand_points(&grid, spec.weight);
    let result = suggest(atlas, sites, points, &demand, grid.withheld_cells, spec)
        .map_err(|e| e.localized(lang));
    (Some(grid), result)
}

/// Takes over a finished suggestion.
pub fn poll(state: &mut SuggestState, ctx: &egui::Context) {
    let Some(receiver) = state.running.as_ref() else {
        return;
    };
    match receiver.try_recv() {
        Ok((grid, result)) => {
            state.running = None;
            if grid.is_some() {
                state.grid = grid;
            }
            match result {
                Ok(suggestion) => state.result = Some(suggestion),
                Err(message) => state.error = Some(message),
            }
        }
        Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
        Err(TryRecvError::Disconnected) => state.running = None,
    }
}

/// Applies the panel's requests to the app's sites and visible layers.
pub fn apply(
    actions: Vec<SuggestAction>,
    sites: &mut SiteSet,
    visible: &mut std::collections::BTreeSet<SiteType>,
) {
    for action in actions {
        match action {
            SuggestAction::Keep(new, layer) => {
                sites.add(new);
                visible.insert(layer);
            }
            SuggestAction::Discard(layer) => {
                let rest: Vec<Site> = sites
                    .sites
                    .iter()
                    .filter(|s| s.site_type != layer)
                    .cloned()
                    .collect();
                let unavailable = std::mem::take(&mut sites.unavailable);
                *sites = SiteSet::new(rest);
                sites.unavailable = unavailable;
                visible.remove(&layer);
            }
        }
    }
}

/// Draws the current suggestion — a dashed circle of radius S around each new site, the site as
/// a diamond with its rank, its name and gain beside it — and the rank and gain beside the
/// sites of each kept suggestion whose layer is shown (the sites themselves are drawn by the
/// site layers).
pub fn paint_suggestion(
    painter: &egui::Painter,
    view: &MapView,
    canvas: egui::Rect,
    state: &SuggestState,
    visible: &std::collections::BTreeSet<SiteType>,
    lang: Lang,
) {
    for (layer, kept) in &state.kept {
        if !visible.contains(layer) {
            continue;
        }
        for site in &kept.new_sites {
            let centre = view.screen_from_map(canvas, site.x, site.y);
            let text = format!(
                "{} {}: {} +{}",
                kept.site_type,
                site.rank,
                site.name,
                persons(site.gain.get(), lang)
            );
            label(painter, centre + egui::vec2(8.0, 0.0), text, 11.0);
        }
    }
    let Some(result) = &state.result else {
        return;
    };
    let accent = Color32::from_rgb(200, 40, 120);
    for site in &result.new_sites {
        let centre = view.screen_from_map(canvas, site.x, site.y);
        let edge = view.screen_from_map(canvas, site.x + result.radius_km * 1000.0, site.y);
        let radius = (edge.x - centre.x).abs();
        let ring: Vec<egui::Pos2> = (0..=72u8)
            .map(|i| {
                let a = f32::from(i) / 72.0 * std::f32::consts::TAU;
                centre + egui::vec2(a.cos(), a.sin()) * radius
            })
            .collect();
        painter.add(egui::Shape::dashed_line(
            &ring,
            Stroke::new(1.5, accent),
            6.0,
            4.0,
        ));
        let r = 9.0;
        let diamond = vec![
            centre + egui::vec2(0.0, -r),
            centre + egui::vec2(r, 0.0),
            centre + egui::vec2(0.0, r),
            centre + egui::vec2(-r, 0.0),
        ];
        painter.add(egui::Shape::convex_polygon(
            diamond,
            accent,
            Stroke::new(1.5, Color32::WHITE),
        ));
        painter.text(
            centre,
            Align2::CENTER_CENTER,
            site.rank.to_string(),
            FontId::proportional(11.0),
            Color32::WHITE,
        );
        let text = format!("{} +{}", site.name, persons(site.gain.get(), lang));
        label(painter, centre + egui::vec2(r + 3.0, 0.0), text, 12.0);
    }
}

/// Dark text on a light box, left-centred at `at`, readable over symbols and boundaries.
fn label(painter: &egui::Painter, at: egui::Pos2, text: String, size: f32) {
    let galley = painter.layout_no_wrap(text, FontId::proportional(size), Color32::from_gray(20));
    let rect = Align2::LEFT_CENTER.anchor_size(at, galley.size());
    painter.rect_filled(
        rect.expand(2.0),
        2.0,
        Color32::from_rgba_unmultiplied(255, 255, 255, 210),
    );
    painter.galley(rect.min, galley, Color32::from_gray(20));
}
