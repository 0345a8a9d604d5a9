//! The histogram of the mapped indicator (or the population when none is mapped) with the map's
//! class breaks drawn on it. Dragging a break moves it and makes the classes manual with those
//! breaks; clicking a bar selects its regions (Shift adds them). The selected regions show as an
//! orange part of each bar.

use eframe::egui::{self, Color32, PointerButton};
use egui_plot::{Bar, BarChart, Plot, VLine};

use crate::selection::Selection;
use crate::thematic_panel::ThematicState;
use atlas_core::analysis::classify::{Classes, Method};
use atlas_core::analysis::histogram::{Histogram, default_bins, histogram};
use atlas_core::analysis::indicators::Indicator;
use atlas_core::i18n::Lang;

/// The colour of the class breaks: gold, visible on the dark and the light theme.
const BREAK_COLOR: Color32 = Color32::from_rgb(230, 180, 30);

/// How close (in points) the pointer must be to a break to drag it.
const GRAB_PX: f32 = 8.0;

/// The histogram window's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistogramView {
    /// Number of bins; 0 picks Sturges' rule.
    pub bins: usize,
    /// The inner break being dragged and the breaks as they are being moved.
    dragging: Option<(usize, Vec<f64>)>,
}

/// The inner breaks of numeric classes (without the minimum and maximum).
fn inner_breaks(classes: &Classes) -> Vec<f64> {
    let n = classes.breaks.len();
    if n < 3 {
        return Vec::new();
    }
    classes.breaks[1..n - 1].to_vec()
}

/// Breaks as the theme panel's manual field takes them: "12,5; 30" (decimal comma).
pub fn breaks_text(breaks: &[f64], decimals: usize) -> String {
    breaks
        .iter()
        .map(|b| format!("{b:.*}", decimals + 1).replace('.', ","))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The histogram, its breaks and the drag of a break. `classes` are the map's classes of
/// `indicator` (if it is the mapped one).
pub fn histogram_ui(
    ui: &mut egui::Ui,
    state: &mut HistogramView,
    indicator: &Indicator,
    classes: Option<&Classes>,
    selection: &mut Selection,
    thematic: &mut ThematicState,
    lang: Lang,
) {
    let values = indicator.numeric();
    let bins = if state.bins == 0 {
        default_bins(values.iter().flatten().count())
    } else {
        state.bins
    };
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(indicator.title(lang)).strong());
        let mut chosen = bins;
        ui.add(egui::Slider::new(&mut chosen, 3..=40).text(lang.pick("Balken", "bins")));
        if chosen != bins {
            state.bins = chosen;
        }
    });
    let Some(hist) = histogram(&values, bins) else {
        ui.label(lang.pick("Keine Werte", "No values"));
        return;
    };
    if hist.nodata > 0 {
        ui.label(format!(
            "{} {}",
            hist.nodata,
            lang.pick("Regionen ohne Wert", "regions without a value")
        ));
    }
    let breaks = match &state.dragging {
        Some((_, moving)) => moving.clone(),
        None => classes.map(inner_breaks).unwrap_or_default(),
    };
    let response = plot_ui(ui, &hist, &breaks, selection);
    handle_drag(ui, state, &response, &breaks, &hist, indicator, thematic);
    if response.response.clicked() && state.dragging.is_none() {
        let extend = ui.input(|i| i.modifiers.shift);
        if let Some(pos) = response.response.interact_pointer_pos() {
            let x = response.transform.value_from_position(pos).x;
            if let Some(bin) = bin_at(&hist, x) {
                selection.choose(hist.members[bin].iter().copied(), extend);
            }
        }
    }
}

/// The bin holding `x`, if any.
fn bin_at(hist: &Histogram, x: f64) -> Option<usize> {
    hist.edges
        .windows(2)
        .position(|edge| x >= edge[0] && x <= edge[1])
}

fn plot_ui(
    ui: &mut egui::Ui,
    hist: &Histogram,
    breaks: &[f64],
    selection: &Selection,
) -> egui_plot::PlotResponse<()> {
    let width = hist.edges[1] - hist.edges[0];
    let bar = |i: usize, height: usize| {
        Bar::new((hist.edges[i] + hist.edges[i + 1]) / 2.0, height as f64).width(width * 0.95)
    };
    let all: Vec<Bar> = hist
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| bar(i, m.len()))
        .collect();
    let selected: Vec<Bar> = hist
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| bar(i, m.iter().filter(|&&r| selection.contains(r)).count()))
        .collect();
    let breaks = breaks.to_vec();
    let response = Plot::new("histogram_plot")
        .height(220.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show(ui, move |plot| {
            plot.bar_chart(BarChart::new("Regionen", all).color(Color32::from_rgb(120, 150, 180)));
            plot.bar_chart(BarChart::new("Auswahl", selected).color(Color32::from_rgb(213, 94, 0)));
            for b in breaks {
                plot.vline(VLine::new("Klassengrenze", b).color(BREAK_COLOR).width(2.5));
            }
        });
    response.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Canvas, true, "Histogramm")
    });
    response
}

/// Grabs a break near the pointer, moves it between its neighbours, and on release makes the
/// classes manual with the moved breaks.
fn handle_drag(
    ui: &egui::Ui,
    state: &mut HistogramView,
    response: &egui_plot::PlotResponse<()>,
    breaks: &[f64],
    hist: &Histogram,
    indicator: &Indicator,
    thematic: &mut ThematicState,
) {
    let plot = &response.response;
    let pointer = plot.interact_pointer_pos();
    if plot.drag_started_by(PointerButton::Primary)
        && let Some(pos) = ui.input(|i| i.pointer.press_origin())
    {
        let nearest = breaks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    i,
                    (response.transform.position_from_point_x(*b) - pos.x).abs(),
                )
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, distance)) = nearest
            && distance <= GRAB_PX
        {
            state.dragging = Some((i, breaks.to_vec()));
        }
    }
    let Some((i, mut moving)) = state.dragging.take() else {
        return;
    };
    if let Some(pos) = pointer {
        let x = response.transform.value_from_position(pos).x;
        let (lo, hi) = (hist.edges[0], hist.edges[hist.edges.len() - 1]);
        let step = (hi - lo) * 1e-3;
        let lower = if i == 0 { lo } else { moving[i - 1] } + step;
        let upper = moving.get(i + 1).copied().unwrap_or(hi) - step;
        if lower < upper {
            moving[i] = x.clamp(lower, upper);
        }
    }
    if plot.drag_stopped() || !ui.input(|i| i.pointer.any_down()) {
        ui.ctx().request_repaint();
        thematic.method = Method::Manual(Vec::new());
        thematic.manual_text = breaks_text(&moving, indicator.decimals);
        if thematic.field.is_none() {
            thematic.field = Some(indicator.key.clone());
        }
        thematic.preset = None;
        thematic.classes = moving.len() + 1;
    } else {
        state.dragging = Some((i, moving));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_written_as_the_manual_field_reads_them() {
        let text = breaks_text(&[12.5, 300.0], 0);
        assert_eq!(text, "12,5; 300,0");
        assert_eq!(
            crate::thematic_panel::parse_breaks(&text).unwrap(),
            vec![12.5, 300.0]
        );
    }
}
