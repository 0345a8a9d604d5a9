//! The scatter plot of two indicators of the shown level: one point per region, the selected
//! ones in orange, the least-squares line, Pearson's r and Spearman's ρ (from
//! [`atlas_core::analysis::correlation`]). Dragging a rectangle selects the regions inside it
//! (Shift adds them to the selection).

use eframe::egui::{self, Color32, PointerButton};
use egui_plot::{Line, Plot, PlotPoint, Points, Polygon};

use crate::selection::Selection;
use atlas_core::analysis::correlation::{Correlation, correlate};
use atlas_core::analysis::indicators::{Indicator, IndicatorSet};
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use atlas_core::numfmt::format_number;

/// The scatter window's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScatterView {
    /// The indicator on the x axis (key); `None` picks a default.
    pub x_key: Option<String>,
    /// The indicator on the y axis (key); `None` picks a default.
    pub y_key: Option<String>,
    /// Where the rectangle being dragged started and where it ends now (plot values).
    brush: Option<([f64; 2], [f64; 2])>,
    /// The last rectangle that selected regions: min x, min y, max x, max y in plot values.
    pub last_brush: Option<[f64; 4]>,
}

/// The indicator of `key` at `level`, else the first of `fallbacks` that exists, else the first
/// numeric one.
fn pick<'a>(
    indicators: &'a IndicatorSet,
    level: Level,
    key: Option<&str>,
    fallbacks: &[&str],
) -> Option<&'a Indicator> {
    key.into_iter()
        .chain(fallbacks.iter().copied())
        .find_map(|k| indicators.get(level, k))
        .or_else(|| indicators.for_level(level).find(|i| !i.is_categorical()))
}

/// A choice of a numeric indicator of `level`.
fn axis_choice(
    ui: &mut egui::Ui,
    label: &str,
    chosen: &Indicator,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
) -> Option<String> {
    let mut picked = None;
    egui::ComboBox::from_label(label)
        .selected_text(chosen.title(lang))
        .width(260.0)
        .show_ui(ui, |ui| {
            for indicator in indicators.for_level(level).filter(|i| !i.is_categorical()) {
                if ui
                    .selectable_label(indicator.key == chosen.key, indicator.title(lang))
                    .clicked()
                {
                    picked = Some(indicator.key.clone());
                }
            }
        });
    picked
}

/// The statistics line: r, ρ, n and how many regions lack a value.
pub fn statistics_text(c: &Correlation, lang: Lang) -> String {
    let r = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format_number(v, 3, lang));
    let mut text = format!(
        "Pearson r = {} · Spearman ρ = {} · n = {}",
        r(c.pearson),
        r(c.spearman),
        c.pairs.regions.len()
    );
    if c.missing > 0 {
        text.push_str(&format!(
            " · {} {}",
            c.missing,
            lang.pick("ohne Wert", "without a value")
        ));
    }
    text
}

/// The scatter plot window's content.
pub fn scatter_ui(
    ui: &mut egui::Ui,
    state: &mut ScatterView,
    indicators: &IndicatorSet,
    level: Level,
    mapped: Option<&str>,
    selection: &mut Selection,
    lang: Lang,
) {
    let x = pick(
        indicators,
        level,
        state.x_key.as_deref(),
        &["foreign_share_pct", "density"],
    );
    let y = pick(
        indicators,
        level,
        state.y_key.as_deref().or(mapped),
        &["migration_background_pct", "population"],
    );
    let (Some(x), Some(y)) = (x, y) else {
        ui.label(lang.pick(
            "Keine Merkmale auf dieser Ebene",
            "No indicators at this level",
        ));
        return;
    };
    if let Some(key) = axis_choice(ui, "x", x, indicators, level, lang) {
        state.x_key = Some(key);
    }
    if let Some(key) = axis_choice(ui, "y", y, indicators, level, lang) {
        state.y_key = Some(key);
    }
    let stats = correlate(&x.numeric(), &y.numeric());
    ui.label(statistics_text(&stats, lang));
    let response = plot_ui(ui, state, &stats, selection, x, y, lang);
    brush(ui, state, &response, &stats, selection);
}

fn plot_ui(
    ui: &mut egui::Ui,
    state: &ScatterView,
    stats: &Correlation,
    selection: &Selection,
    x: &Indicator,
    y: &Indicator,
    lang: Lang,
) -> egui_plot::PlotResponse<()> {
    let pairs = &stats.pairs;
    let (mut plain, mut chosen) = (Vec::new(), Vec::new());
    for (k, &region) in pairs.regions.iter().enumerate() {
        let point = [pairs.x[k], pairs.y[k]];
        if selection.contains(region) {
            chosen.push(point);
        } else {
            plain.push(point);
        }
    }
    let line = stats.line.map(|line| {
        let lo = pairs.x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pairs.x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        vec![[lo, line.at(lo)], [hi, line.at(hi)]]
    });
    let brush = state
        .brush
        .map(|(a, b)| vec![[a[0], a[1]], [b[0], a[1]], [b[0], b[1]], [a[0], b[1]]]);
    let regression = lang.pick("Regressionsgerade", "Regression line");
    let response = Plot::new("scatter_plot")
        .height(300.0)
        .x_axis_label(x.title(lang))
        .y_axis_label(y.title(lang))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show(ui, move |plot| {
            plot.points(
                Points::new("Regionen", plain)
                    .radius(3.0)
                    .color(Color32::from_rgb(70, 110, 160)),
            );
            plot.points(
                Points::new("Auswahl", chosen)
                    .radius(4.5)
                    .color(Color32::from_rgb(213, 94, 0)),
            );
            if let Some(line) = line {
                plot.line(Line::new(regression, line).color(Color32::from_gray(40)));
            }
            if let Some(corners) = brush {
                plot.polygon(
                    Polygon::new("Rechteck", corners)
                        .fill_color(Color32::from_rgba_unmultiplied(213, 94, 0, 30))
                        .stroke(egui::Stroke::new(1.5, Color32::from_rgb(213, 94, 0))),
                );
            }
        });
    response.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Canvas, true, "Streudiagramm")
    });
    response
}

/// The rectangle brush: drawn while dragging, and on release it selects the points inside.
fn brush(
    ui: &egui::Ui,
    state: &mut ScatterView,
    response: &egui_plot::PlotResponse<()>,
    stats: &Correlation,
    selection: &mut Selection,
) {
    let plot = &response.response;
    let value = |pos: egui::Pos2| {
        let PlotPoint { x, y } = response.transform.value_from_position(pos);
        [x, y]
    };
    if plot.drag_started_by(PointerButton::Primary)
        && let Some(pos) = ui.input(|i| i.pointer.press_origin())
    {
        state.brush = Some((value(pos), value(pos)));
    }
    let Some((start, mut end)) = state.brush else {
        return;
    };
    if let Some(pos) = plot.interact_pointer_pos() {
        end = value(pos);
        state.brush = Some((start, end));
    }
    if plot.drag_stopped() || !ui.input(|i| i.pointer.any_down()) {
        state.brush = None;
        // The plot was drawn with the rectangle: draw it once more without.
        ui.ctx().request_repaint();
        let rect = [
            start[0].min(end[0]),
            start[1].min(end[1]),
            start[0].max(end[0]),
            start[1].max(end[1]),
        ];
        state.last_brush = Some(rect);
        let pairs = &stats.pairs;
        let inside = (0..pairs.regions.len())
            .filter(|&k| {
                (rect[0]..=rect[2]).contains(&pairs.x[k])
                    && (rect[1]..=rect[3]).contains(&pairs.y[k])
            })
            .map(|k| pairs.regions[k]);
        selection.choose(inside, ui.input(|i| i.modifiers.shift));
    }
}
