//! The table of the shown level: regions × chosen indicators, filtered by name or AGS, sorted
//! by a click on a column head, the selected regions highlighted. A click on a row selects its
//! region, Shift+click adds or removes it. The rows as shown can be written as CSV (on a worker).
//! Order and CSV come from [`atlas_core::analysis::region_table`].

use std::sync::Arc;

use eframe::egui::{self, Align, Layout, RichText};

use crate::selection::{CsvExport, Selection};
use atlas_core::analysis::indicators::{Indicator, IndicatorSet};
use atlas_core::analysis::region_table::{Column, Sort, rows};
use atlas_core::i18n::Lang;
use atlas_core::model::{Atlas, Level};

/// Width of the name column, of the AGS column and of each value column, in points.
const WIDTHS: (f32, f32, f32) = (190.0, 72.0, 120.0);

/// The table window's state.
#[derive(Debug, Default)]
pub struct TableView {
    /// Text the rows' name or AGS must contain.
    pub filter: String,
    /// The order of the rows.
    pub sort: Sort,
    /// The indicator columns chosen (keys); `None` shows the mapped indicator, population and
    /// density.
    pub columns: Option<Vec<String>>,
    /// Writing the table as CSV.
    pub export: CsvExport,
    /// The regions of the rows drawn highlighted in the last frame, in table order (all rows of
    /// the table, also those scrolled out of sight).
    pub highlighted: Vec<usize>,
}

/// The indicator columns: the chosen keys, or the mapped one with population and density.
fn columns<'a>(
    state: &TableView,
    indicators: &'a IndicatorSet,
    level: Level,
    mapped: Option<&str>,
) -> Vec<&'a Indicator> {
    let defaults: Vec<String> = mapped
        .into_iter()
        .chain(["population", "density"])
        .map(str::to_owned)
        .collect();
    let mut keys = state.columns.clone().unwrap_or(defaults);
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    keys.iter()
        .filter_map(|k| indicators.get(level, k))
        .collect()
}

/// The table window's content.
#[allow(
    clippy::too_many_arguments,
    reason = "the shared pieces of the linked views"
)]
pub fn table_ui(
    ui: &mut egui::Ui,
    state: &mut TableView,
    atlas: &Arc<Atlas>,
    indicators: &IndicatorSet,
    level: Level,
    mapped: Option<&str>,
    selection: &mut Selection,
    lang: Lang,
) {
    state.export.poll();
    let shown = columns(state, indicators, level, mapped);
    toolbar_ui(ui, state, &shown, indicators, level, lang);
    let order = rows(atlas, level, &shown, &state.filter, state.sort);
    state.highlighted = order
        .iter()
        .copied()
        .filter(|&r| selection.contains(r))
        .collect();
    export_ui(ui, state, atlas, &shown, level, &order, lang);
    header_ui(ui, state, &shown, lang);
    ui.separator();
    let regions = atlas.regions(level);
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, order.len(), |ui, range| {
            for &row in &order[range] {
                ui.horizontal(|ui| {
                    let region = &regions[row];
                    let response = ui
                        .allocate_ui_with_layout(
                            egui::vec2(WIDTHS.0, row_height),
                            Layout::left_to_right(Align::Center),
                            |ui| {
                                ui.set_min_width(WIDTHS.0);
                                ui.selectable_label(selection.contains(row), &region.name)
                            },
                        )
                        .inner;
                    if response.clicked() {
                        if ui.input(|i| i.modifiers.shift) {
                            selection.toggle(row);
                        } else {
                            selection.set([row]);
                        }
                    }
                    ui.add_sized(
                        [WIDTHS.1, row_height],
                        egui::Label::new(region.ags.as_str()),
                    );
                    for indicator in &shown {
                        ui.allocate_ui_with_layout(
                            egui::vec2(WIDTHS.2, row_height),
                            Layout::right_to_left(Align::Center),
                            |ui| {
                                ui.set_min_width(WIDTHS.2);
                                ui.label(indicator.format_value(row, lang))
                            },
                        );
                    }
                });
            }
        });
}

/// Filter field and the choice of a further column.
fn toolbar_ui(
    ui: &mut egui::Ui,
    state: &mut TableView,
    shown: &[&Indicator],
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Filter", "Filter"));
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text(lang.pick("Name oder AGS", "Name or AGS"))
                .desired_width(160.0),
        )
        .labelled_by(label.id);
        let mut added = None;
        egui::ComboBox::from_label(lang.pick("Spalte", "column"))
            .selected_text(lang.pick("hinzufügen …", "add …"))
            .width(240.0)
            .show_ui(ui, |ui| {
                for indicator in indicators.for_level(level) {
                    let present = shown.iter().any(|s| s.key == indicator.key);
                    if !present && ui.selectable_label(false, indicator.title(lang)).clicked() {
                        added = Some(indicator.key.clone());
                    }
                }
            });
        if let Some(key) = added {
            let mut keys: Vec<String> = shown.iter().map(|i| i.key.clone()).collect();
            keys.push(key);
            state.columns = Some(keys);
        }
    });
}

/// The CSV export of the rows as shown.
fn export_ui(
    ui: &mut egui::Ui,
    state: &mut TableView,
    atlas: &Arc<Atlas>,
    shown: &[&Indicator],
    level: Level,
    order: &[usize],
    lang: Lang,
) {
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut state.export.path_text)
                .hint_text("tabelle.csv")
                .desired_width(200.0),
        );
        let running = state.export.is_running();
        if ui
            .add_enabled(
                !running,
                egui::Button::new(lang.pick("CSV exportieren", "Export CSV")),
            )
            .clicked()
        {
            let columns = shown.iter().map(|&i| i.clone()).collect();
            state
                .export
                .start(atlas, columns, level, order.to_vec(), lang);
        }
        if running {
            ui.spinner();
        }
        if let Some(message) = &state.export.message {
            ui.label(message);
        }
    });
}

/// Column heads: a click sorts by the column (^ ascending; again: v descending); × removes a
/// column.
fn header_ui(ui: &mut egui::Ui, state: &mut TableView, shown: &[&Indicator], lang: Lang) {
    let arrow = |column: Column, sort: Sort| match (sort.column == column, sort.descending) {
        (false, _) => "",
        (true, false) => " ^",
        (true, true) => " v",
    };
    let mut clicked = None;
    let mut removed = None;
    ui.horizontal(|ui| {
        let heads = [
            (Column::Name, lang.pick("Name", "Name").to_owned(), WIDTHS.0),
            (Column::Ags, "AGS".to_owned(), WIDTHS.1),
        ];
        for (column, title, width) in heads {
            let text = RichText::new(format!("{title}{}", arrow(column, state.sort))).strong();
            if ui
                .add_sized([width, 18.0], egui::Button::new(text).frame(false))
                .clicked()
            {
                clicked = Some(column);
            }
        }
        for (n, indicator) in shown.iter().enumerate() {
            let column = Column::Indicator(n);
            let text = format!("{}{}", indicator.title(lang), arrow(column, state.sort));
            ui.allocate_ui_with_layout(
                egui::vec2(WIDTHS.2, 18.0),
                Layout::right_to_left(Align::Center),
                |ui| {
                    ui.set_min_width(WIDTHS.2);
                    if ui.small_button("×").clicked() {
                        removed = Some(n);
                    }
                    let head = egui::Button::new(RichText::new(text).strong())
                        .frame(false)
                        .truncate();
                    if ui.add(head).on_hover_text(indicator.title(lang)).clicked() {
                        clicked = Some(column);
                    }
                },
            );
        }
    });
    if let Some(column) = clicked {
        state.sort = Sort {
            column,
            descending: state.sort.column == column && !state.sort.descending,
        };
    }
    if let Some(n) = removed {
        let mut keys: Vec<String> = shown.iter().map(|i| i.key.clone()).collect();
        keys.remove(n);
        state.columns = Some(keys);
        state.sort = Sort::default();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sort_arrows_and_the_remove_mark_are_in_the_window_font() {
        // egui's own default font is the same Ubuntu Light as the bundled export font.
        for c in ['^', 'v', '×', 'ρ', '…'] {
            assert!(atlas_core::render::font::has_glyph(c), "{c}");
        }
    }
}
