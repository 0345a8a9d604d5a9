//! Time in the window: for an indicator with values per year, a year slider with play/pause,
//! breaks fixed over all years, and the change between two years (absolute or in percent) as a
//! map of its own — all edits of the panel's [`TimeView`]. Also the selected region's series as a
//! small line chart in the info panel, beside its Kreis's, and the map build that keeps the
//! classes over all years while the slider moves (only the year's values are recounted).

use std::time::Duration;

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use atlas_core::analysis::classify::Classes;
use atlas_core::analysis::indicators::{ChangeKind, IndicatorSet, Series};
use atlas_core::cartography::choropleth::{
    Choropleth, ChoroplethError, ChoroplethSpec, TimeView, build_with, pooled_classes,
};
use atlas_core::i18n::Lang;
use atlas_core::model::{Atlas, Level, RegionId};
use atlas_core::numfmt::format_number;

use crate::thematic_panel::ThematicState;

/// How long the player shows each year.
const STEP: Duration = Duration::from_millis(900);

/// The classes over all years of the last map with fixed breaks, kept while only the year
/// changes.
#[derive(Default)]
pub struct PooledCache {
    cached: Option<(ChoroplethSpec, Option<Classes>)>,
}

/// Builds the thematic map of `spec`; with fixed breaks, the classes over all years come from
/// (and go to) `cache`, so moving the year slider only recounts one year.
pub fn build_map(
    cache: &mut PooledCache,
    atlas: &Atlas,
    set: &IndicatorSet,
    spec: &ChoroplethSpec,
    lang: Lang,
) -> Result<Choropleth, ChoroplethError> {
    if !spec.time.fixed_breaks || spec.time.change_from.is_some() {
        return build_with(atlas, set, spec, lang, None);
    }
    let key = ChoroplethSpec {
        time: TimeView {
            year: None,
            ..spec.time.clone()
        },
        scheme: None,
        reverse: false,
        ..spec.clone()
    };
    let fresh = matches!(&cache.cached, Some((k, _)) if *k == key);
    if !fresh {
        cache.cached = Some((key, pooled_classes(set, spec)?));
    }
    let pooled = cache.cached.as_ref().and_then(|(_, c)| c.as_ref());
    build_with(atlas, set, spec, lang, pooled)
}

/// Whether the player runs, kept in the panel's memory.
#[derive(Clone, Copy, Default)]
struct Player {
    playing: bool,
    last_step: f64,
}

/// The time controls for the panel's indicator, if it has values for more than one year; for
/// one dated year only that year is named.
pub fn year_ui(
    ui: &mut egui::Ui,
    state: &mut ThematicState,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
) {
    let Some(indicator) = state.field.as_ref().and_then(|f| indicators.get(level, f)) else {
        return;
    };
    let Some(series) = indicator.series.as_deref() else {
        // Another field without years: forget the year, change and fixed breaks of the last.
        if state.time != TimeView::default() {
            state.time = TimeView::default();
        }
        return;
    };
    // Years the field lacks (chosen for another field or level) fall back to its latest.
    let known =
        |year: &Option<String>| year.as_deref().is_none_or(|y| series.index_of(y).is_some());
    if !known(&state.time.year) {
        state.time.year = None;
    }
    if !known(&state.time.change_from) {
        state.time.change_from = None;
    }
    let years = &series.years;
    if years.len() < 2 {
        if let Some(year) = years.first() {
            ui.small(format!("{} {year}", lang.pick("Stand:", "Year:")));
        }
        return;
    }
    ui.separator();
    ui.label(RichText::new(lang.pick("Zeit", "Time")).strong());
    let last = years.len() - 1;
    let mut index = state
        .time
        .year
        .as_deref()
        .and_then(|y| series.index_of(y))
        .unwrap_or(last);
    let id = egui::Id::unique("year_player");
    let mut player: Player = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let now = ui.input(|i| i.time);
    ui.horizontal(|ui| {
        let play = if player.playing {
            lang.pick("Anhalten", "Pause")
        } else {
            lang.pick("Abspielen", "Play")
        };
        if ui.button(play).clicked() {
            player.playing = !player.playing;
            player.last_step = now;
            if player.playing && index == last {
                index = 0;
            }
        }
        let label = ui.label(lang.pick("Jahr", "Year"));
        ui.add(
            egui::Slider::new(&mut index, 0..=last)
                .show_value(false)
                .step_by(1.0),
        )
        .labelled_by(label.id);
        ui.label(RichText::new(&years[index]).strong());
    });
    if player.playing {
        if now - player.last_step >= STEP.as_secs_f64() {
            player.last_step = now;
            if index < last {
                index += 1;
            }
            if index == last {
                player.playing = false;
            }
        }
        ui.ctx().request_repaint_after(Duration::from_millis(100));
    }
    ui.data_mut(|d| d.insert_temp(id, player));
    let chosen = (index != last || state.time.year.is_some()).then(|| years[index].clone());
    if state.time.year != chosen {
        state.time.year = chosen;
    }
    ui.checkbox(
        &mut state.time.fixed_breaks,
        lang.pick(
            "Klassengrenzen über alle Jahre fest",
            "Fix class breaks over all years",
        ),
    );
    change_ui(ui, state, series, index, lang);
}

/// "Veränderung seit …": the change from an earlier year to the slider's, absolute or in %.
fn change_ui(
    ui: &mut egui::Ui,
    state: &mut ThematicState,
    series: &Series,
    index: usize,
    lang: Lang,
) {
    let mut on = state.time.change_from.is_some();
    ui.horizontal(|ui| {
        let label = ui
            .checkbox(&mut on, lang.pick("Veränderung seit", "Change since"))
            .id;
        let earlier = &series.years[..index];
        if on && earlier.is_empty() {
            ui.small(lang.pick("(ein späteres Jahr wählen)", "(choose a later year)"));
            return;
        }
        let mut from = state
            .time
            .change_from
            .clone()
            .filter(|f| earlier.contains(f))
            .or_else(|| earlier.first().cloned());
        ui.add_enabled_ui(on, |ui| {
            egui::ComboBox::from_id_salt("change_from")
                .selected_text(from.clone().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for year in earlier {
                        ui.selectable_value(&mut from, Some(year.clone()), year.as_str());
                    }
                })
                .response
                .labelled_by(label);
        });
        let wanted = if on { from } else { None };
        if state.time.change_from != wanted {
            state.time.change_from = wanted;
        }
    });
    if state.time.change_from.is_some() {
        ui.horizontal(|ui| {
            ui.radio_value(
                &mut state.time.change,
                ChangeKind::Absolute,
                lang.pick("absolut", "absolute"),
            );
            ui.radio_value(
                &mut state.time.change,
                ChangeKind::Percent,
                lang.pick("in %", "in %"),
            );
        });
    }
}

/// The selected region's series of the panel's indicator as a small line chart, beside its
/// Kreis's (INKAR's own Kreis values); NRW is not drawn, since INKAR's files hold no Land
/// values and a mean of the Kreise would need each year's population, which the atlas lacks.
pub fn series_chart_ui(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    indicators: &IndicatorSet,
    field: Option<&str>,
    id: RegionId,
    lang: Lang,
) {
    let Some(field) = field else { return };
    let Some(indicator) = indicators.get(id.level, field) else {
        return;
    };
    let Some(series) = indicator.series.as_deref().filter(|s| s.years.len() > 1) else {
        return;
    };
    let region = atlas.region(id);
    let kreis = region
        .parent
        .as_ref()
        .filter(|_| id.level == Level::Gemeinde)
        .and_then(|ags| atlas.id_of(ags))
        .and_then(|kid| {
            let other = indicators.get(Level::Kreis, field)?;
            Some((atlas.region(kid).display_name(), other, kid.index))
        });
    ui.separator();
    let title = if indicator.unit.is_empty() {
        indicator.label(lang).to_owned()
    } else {
        format!("{} ({})", indicator.label(lang), indicator.unit)
    };
    ui.label(RichText::new(title).strong());
    let own = points(series.of_region(id.index));
    let mut lines = vec![(region.display_name(), own, Color32::from_rgb(213, 94, 0))];
    if let Some((name, other, index)) = &kreis
        && let Some(other_series) = other.series.as_deref()
    {
        let values = other_series.of_region(*index);
        let aligned: Vec<(&str, Option<f64>)> = series
            .years
            .iter()
            .map(|y| {
                let v = values.iter().find(|(oy, _)| oy == y).and_then(|(_, v)| *v);
                (y.as_str(), v)
            })
            .collect();
        lines.push((
            name.clone(),
            points(aligned),
            Color32::from_rgb(0, 114, 178),
        ));
    }
    let years = series.years.clone();
    Plot::new(("series_chart", field))
        .height(150.0)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a non-negative whole axis mark"
            )]
            let i = i as usize;
            years.get(i).cloned().unwrap_or_default()
        })
        .show(ui, |plot| {
            for (name, segments, color) in lines {
                for segment in segments.iter().filter(|s| s.len() > 1) {
                    plot.line(
                        Line::new(name.clone(), PlotPoints::from(segment.clone())).color(color),
                    );
                }
                let all: Vec<[f64; 2]> = segments.into_iter().flatten().collect();
                plot.points(
                    Points::new(name, PlotPoints::from(all))
                        .color(color)
                        .radius(2.5),
                );
            }
        });
    let missing = series
        .of_region(id.index)
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(y, _)| *y)
        .collect::<Vec<_>>();
    if !missing.is_empty() {
        ui.small(format!(
            "{}: {}",
            lang.pick("keine Angabe", "no data"),
            missing.join(", ")
        ));
    }
    if let Some((_, value)) = series
        .of_region(id.index)
        .into_iter()
        .rev()
        .find(|(_, v)| v.is_some())
    {
        ui.small(format!(
            "{} {}: {}",
            lang.pick("Letzter Wert", "Latest value"),
            series
                .of_region(id.index)
                .iter()
                .rev()
                .find(|(_, v)| v.is_some())
                .map_or("", |(y, _)| *y),
            value.map_or_else(String::new, |v| format_number(v, indicator.decimals, lang))
        ));
    }
    ui.small(lang.pick(
        "NRW nicht gezeigt: Die INKAR-Dateien enthalten keinen Landeswert, und ein Mittel der Kreise bräuchte die Einwohnerzahl jedes Jahres.",
        "NRW not shown: the INKAR files hold no Land value, and a mean of the districts would need each year's population.",
    ));
    if let Some(line) = &indicator.attribution {
        ui.small(line.get(lang));
    }
}

/// The chart points of one region's values, split where a year has no value (a gap, not 0).
fn points(values: Vec<(&str, Option<f64>)>) -> Vec<Vec<[f64; 2]>> {
    let mut segments: Vec<Vec<[f64; 2]>> = vec![Vec::new()];
    for (i, (_, value)) in values.into_iter().enumerate() {
        match value {
            Some(v) => {
                if let Some(last) = segments.last_mut() {
                    last.push([i as f64, v]);
                }
            }
            None => segments.push(Vec::new()),
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}
