//! Panels around the map: the top bar (level, search, language), the info panel of the selected
//! region, the hover tooltip and the load-error dialog. Each borrows what it shows and pushes
//! [`Action`]s; none changes the app state directly.

use std::path::Path;

use eframe::egui::{self, RichText};

use crate::actions::{Action, SearchState};
use atlas_core::i18n::Lang;
use atlas_core::model::{Atlas, Level, Region, RegionId};
use atlas_core::numfmt::{format_count, format_number};

/// The levels offered in the level switch, finest first.
const SWITCHABLE_LEVELS: [Level; 3] = [Level::Gemeinde, Level::Kreis, Level::Bezirk];

/// The top bar: title, level switch, search box, "fit to NRW" and the language.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    level: Level,
    lang: Lang,
    search: &mut SearchState,
    atlas: Option<&Atlas>,
    actions: &mut Vec<Action>,
) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("Integrationsatlas NRW");
            ui.separator();
            for candidate in SWITCHABLE_LEVELS {
                let label = lang.level_plural(candidate);
                if ui.selectable_label(level == candidate, label).clicked() && level != candidate {
                    actions.push(Action::SetLevel(candidate));
                }
            }
            ui.separator();
            search_ui(ui, lang, search, atlas, actions);
            if ui.button(lang.pick("Exportieren …", "Export …")).clicked() {
                actions.push(Action::OpenExport);
            }
            if ui
                .button(lang.pick("Ganz NRW", "Fit to NRW"))
                .on_hover_text(lang.pick("Ganz NRW zeigen", "Show all of NRW"))
                .clicked()
            {
                actions.push(Action::FitAll);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = match lang {
                    Lang::De => Lang::En,
                    Lang::En => Lang::De,
                };
                let label = lang.pick("English", "Deutsch");
                if ui.button(label).clicked() {
                    actions.push(Action::SetLang(other));
                }
            });
        });
    });
}

fn search_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    search: &mut SearchState,
    atlas: Option<&Atlas>,
    actions: &mut Vec<Action>,
) {
    let label = ui.label(lang.pick("Suche", "Search"));
    let edit = egui::TextEdit::singleline(&mut search.text)
        .hint_text(lang.pick("Kommune oder AGS", "Municipality or AGS"))
        .desired_width(220.0);
    let response = ui.add(edit).labelled_by(label.id);
    let Some(atlas) = atlas else {
        return;
    };
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && let Some(&first) = search.hits.first() {
        choose_hit(search, atlas, first, actions);
        return;
    }
    if search.hits.is_empty() || search.text.trim().is_empty() {
        return;
    }
    let mut chosen = None;
    egui::Area::new(egui::Id::unique("search_hits"))
        .order(egui::Order::Foreground)
        .fixed_pos(response.rect.left_bottom() + egui::vec2(0.0, 2.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_min_width(response.rect.width());
                for &id in &search.hits {
                    let region = atlas.region(id);
                    let text = format!("{} · {}", region.display_name(), region.ags);
                    if ui.selectable_label(false, text).clicked() {
                        chosen = Some(id);
                    }
                }
            });
        });
    if let Some(id) = chosen {
        choose_hit(search, atlas, id, actions);
    }
}

fn choose_hit(search: &mut SearchState, atlas: &Atlas, id: RegionId, actions: &mut Vec<Action>) {
    search.show_chosen(atlas.region(id).display_name());
    if id.level != Level::Land {
        actions.push(Action::SetLevel(id.level));
    }
    actions.push(Action::Select {
        id: Some(id),
        zoom: true,
    });
}

/// The tooltip for the region under the pointer: name, AGS, Kreis, population, area.
pub fn region_tooltip_ui(ui: &mut egui::Ui, atlas: &Atlas, region: &Region, lang: Lang) {
    ui.label(RichText::new(region.display_name()).strong());
    egui::Grid::new("tooltip_grid")
        .num_columns(2)
        .show(ui, |ui| {
            facts_rows_ui(ui, atlas, region, lang);
        });
}

fn facts_rows_ui(ui: &mut egui::Ui, atlas: &Atlas, region: &Region, lang: Lang) {
    ui.label("AGS");
    ui.label(region.ags.as_str());
    ui.end_row();
    let parent = region.parent.as_ref().and_then(|p| atlas.get(p));
    if let Some(parent) = parent.filter(|p| p.level != Level::Land) {
        ui.label(parent_label(parent.level, lang));
        ui.label(parent.display_name());
        ui.end_row();
    }
    ui.label(lang.pick("Einwohner (31.12.2019)", "Population (31 Dec 2019)"));
    ui.label(format_count(region.population, lang));
    ui.end_row();
    ui.label(lang.pick("Fläche", "Area"));
    ui.label(format!("{} km²", format_number(region.area_km2, 1, lang)));
    ui.end_row();
    ui.label(lang.pick("Dichte", "Density"));
    ui.label(format!(
        "{} {}",
        format_number(region.density(), 0, lang),
        lang.pick("EW/km²", "inh./km²")
    ));
    ui.end_row();
}

fn parent_label(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::Kreis => lang.pick("Kreis", "District"),
        Level::Bezirk => lang.pick("Reg.-Bezirk", "Gov. region"),
        _ => lang.pick("Land", "State"),
    }
}

/// The side panel of the selected region, with its facts and its sub-regions.
pub fn info_panel_ui(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    id: RegionId,
    nearest: Option<&[(String, String, f64)]>,
    lang: Lang,
    actions: &mut Vec<Action>,
    extra: &mut dyn FnMut(&mut egui::Ui),
) {
    let region = atlas.region(id);
    egui::Panel::right("info_panel")
        .default_size(300.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(region.display_name());
                if ui.small_button("×").on_hover_text(lang.pick("Schließen", "Close")).clicked() {
                    actions.push(Action::Select {
                        id: None,
                        zoom: false,
                    });
                }
            });
            egui::Grid::new("info_grid").num_columns(2).striped(true).show(ui, |ui| {
                facts_rows_ui(ui, atlas, region, lang);
            });
            extra(ui);
            if ui.button(lang.pick("Heranzoomen", "Zoom to")).clicked() {
                actions.push(Action::Select {
                    id: Some(id),
                    zoom: true,
                });
            }
            if matches!(region.level, Level::Gemeinde | Level::Kreis)
                && ui.button(lang.pick("Steckbrief (PDF)", "Profile (PDF)")).clicked()
            {
                actions.push(Action::WriteProfile(region.ags.clone()));
            }
            if let Some(nearest) = nearest.filter(|n| !n.is_empty()) {
                ui.separator();
                ui.label(RichText::new(lang.pick("Nächste Einrichtungen vom Klickpunkt (Luftlinie)", "Nearest institutions from the clicked point (straight line)")).strong());
                egui::Grid::new("nearest_grid").num_columns(3).show(ui, |ui| {
                    for (code, name, km) in nearest {
                        ui.label(code.as_str());
                        ui.label(name.as_str());
                        ui.label(format!("{} km", format_number(*km, 1, lang)));
                        ui.end_row();
                    }
                });
            }
            let children = atlas.children(&region.ags);
            if !children.is_empty() {
                ui.separator();
                let title = format!("{} ({})", lang.level_plural(children[0].level), children.len());
                ui.label(RichText::new(title).strong());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for child in children {
                        if ui.link(child.display_name()).clicked() {
                            let child_id = atlas.id_of(&child.ags);
                            actions.push(Action::SetLevel(child.level));
                            actions.push(Action::Select {
                                id: child_id,
                                zoom: true,
                            });
                        }
                    }
                });
            }
            ui.separator();
            ui.small(lang.pick(
                "Fläche aus der DVG2-Geometrie berechnet (generalisiert, ≈ −0,05 % zur amtlichen Fläche).",
                "Area computed from the DVG2 geometry (generalised, ≈ −0.05 % against the official area).",
            ));
        });
}

/// The dialog shown when the data folder cannot be loaded.
pub fn error_dialog_ui(
    ui: &mut egui::Ui,
    message: &str,
    data_dir: &Path,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    egui::Modal::new(egui::Id::unique("load_error")).show(ui.ctx(), |ui| {
        ui.set_max_width(560.0);
        ui.heading(lang.pick(
            "Daten konnten nicht geladen werden",
            "Data could not be loaded",
        ));
        ui.label(format!(
            "{}: {}",
            lang.pick("Datenordner", "Data folder"),
            data_dir.display()
        ));
        ui.add_space(6.0);
        ui.label(RichText::new(message).monospace());
        ui.add_space(6.0);
        ui.label(lang.pick(
            "Prüfen Sie den Ordner oder starten Sie mit --data ORDNER bzw. INTEGRATIONSATLAS_DATA.",
            "Check the folder, or start with --data DIR or INTEGRATIONSATLAS_DATA.",
        ));
        if ui.button(lang.pick("Erneut laden", "Reload")).clicked() {
            actions.push(Action::Reload);
        }
    });
}
