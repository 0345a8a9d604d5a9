//! The "Thema" side panel: which indicator to map, how to classify and colour it, the report's
//! presets, and importing a planner's own CSV. It edits a [`ThematicState`]; the app turns that
//! into a [`ChoroplethSpec`] and rebuilds the map only when the spec changes. Reading the own
//! table and joining it run on a worker thread with a spinner, as the site import does.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use eframe::egui::{self, RichText};

use atlas_core::analysis::classify::{CLASS_RANGE, Hinge, Method};
use atlas_core::analysis::indicators::{Indicator, IndicatorSet};
use atlas_core::cartography::choropleth::{ChoroplethSpec, TimeView};
use atlas_core::cartography::palette::{SCHEMES, SchemeKind};
use atlas_core::cartography::presets::{Preset, presets};
use atlas_core::data::own_csv::numbers::{Decimal, NumberChoice, Thousands};
use atlas_core::data::own_csv::{OwnTable, join_own, read_own_table};
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::{Atlas, Level};
use atlas_core::sites::SiteType;

/// The methods offered, in menu order.
const METHODS: [Method; 8] = [
    Method::Jenks,
    Method::Quantile,
    Method::EqualInterval,
    Method::StdDev,
    Method::BoxMap(Hinge::OneAndHalf),
    Method::BoxMap(Hinge::Three),
    Method::Percentile,
    Method::Manual(Vec::new()),
];

/// What the user chose in the panel.
#[derive(Clone, Debug, PartialEq)]
pub struct ThematicState {
    /// The indicator key; `None` shows the plain boundaries.
    pub field: Option<String>,
    /// The method (manual breaks come from `manual_text`).
    pub method: Method,
    /// Number of classes.
    pub classes: usize,
    /// Inner breaks typed by the user, e.g. "100; 200; 500".
    pub manual_text: String,
    /// Palette name; `None` is the default for the data.
    pub scheme: Option<String>,
    /// Reverse the palette.
    pub reverse: bool,
    /// The chosen report figure, cleared when the user changes the map; its title and note show
    /// only at the preset's level.
    pub preset: Option<Preset>,
    /// The year of a time series, the change between two years, fixed breaks (see
    /// [`crate::year_slider`]).
    pub time: TimeView,
}

impl Default for ThematicState {
    fn default() -> Self {
        ThematicState {
            field: None,
            method: Method::Jenks,
            classes: 5,
            manual_text: String::new(),
            scheme: None,
            reverse: false,
            preset: None,
            time: TimeView::default(),
        }
    }
}

impl ThematicState {
    /// The chosen preset, if the map at `level` is still that preset.
    pub fn preset_at(&self, level: Level) -> Option<&Preset> {
        self.preset.as_ref().filter(|p| p.level == level)
    }

    /// Chooses a report figure: its indicator and classes, or plain boundaries for a figure of
    /// sites only (the app switches to its level and site layers).
    pub fn apply_preset(&mut self, preset: &Preset) {
        match &preset.spec {
            Some(spec) => {
                self.field = Some(spec.field.clone());
                self.method = spec.method.clone();
                self.classes = spec.classes;
                self.scheme = spec.scheme.clone();
                self.reverse = spec.reverse;
            }
            None => self.field = None,
        }
        self.preset = Some(preset.clone());
    }

    /// The map to draw at `level`, or `None` for plain boundaries. Manual breaks that do not parse
    /// give an error message for the panel.
    pub fn spec(&self, level: Level) -> Option<Result<ChoroplethSpec, String>> {
        let field = self.field.clone()?;
        let method = match &self.method {
            Method::Manual(_) => match parse_breaks(&self.manual_text) {
                Ok(breaks) => Method::Manual(breaks),
                Err(e) => return Some(Err(e)),
            },
            other => other.clone(),
        };
        Some(Ok(ChoroplethSpec {
            level,
            field,
            method,
            classes: self.classes,
            scheme: self.scheme.clone(),
            reverse: self.reverse,
            time: self.time.clone(),
        }))
    }
}

/// Parses "100; 200; 500" (or with commas between integers) into ascending breaks.
pub fn parse_breaks(text: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = if text.contains(';') {
        text.split(';').collect()
    } else {
        text.split_whitespace().collect()
    };
    let breaks: Result<Vec<f64>, String> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| {
            atlas_core::data::own_csv::parse_number(p, p.contains(','))
                .ok()
                .flatten()
                .ok_or_else(|| format!("„{p}“ ist keine Zahl"))
        })
        .collect();
    let breaks = breaks?;
    if breaks.is_empty() {
        return Err("Grenzen eingeben, z. B. 100; 200; 500".to_owned());
    }
    Ok(breaks)
}

/// The import of own figures: the file, its columns and what happened.
#[derive(Debug, Default)]
pub struct OwnImport {
    /// The path typed by the user.
    pub path_text: String,
    /// The file once read.
    pub table: Option<Arc<OwnTable>>,
    /// The chosen key column.
    pub key_column: String,
    /// The chosen value column.
    pub value_column: String,
    /// The sheet of a spreadsheet typed by the user (empty: the first).
    pub sheet_text: String,
    /// How to read numbers whose column leaves it open (decimal mark, thousands separator).
    pub choice: NumberChoice,
    /// The join report or the error, as lines.
    pub report: Vec<String>,
    /// The read or join running on a worker thread (the window stays live and shows a spinner).
    running: Option<Receiver<Outcome>>,
}

impl OwnImport {
    /// Whether a read or join is running on the worker.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }
}

/// What the worker hands back: the table read, or the indicator joined with its report lines.
enum Finished {
    /// The file was read.
    Read(OwnTable),
    /// The value column was joined to the regions.
    Joined(Indicator, Vec<String>),
}

/// A finished read or join, or its error in the window's language.
type Outcome = Result<Finished, String>;

/// Something the panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ThematicAction {
    /// Show another level (presets are at Kreis level).
    SetLevel(Level),
    /// An indicator's values changed (own data imported): rebuild the map.
    DataChanged,
    /// Show exactly these site layers (a report figure of sites).
    ShowSites(Vec<SiteType>),
}

/// Draws the panel.
#[allow(clippy::too_many_arguments)]
pub fn thematic_panel_ui(
    ui: &mut egui::Ui,
    top_section: &mut dyn FnMut(&mut egui::Ui),
    state: &mut ThematicState,
    picker: &mut crate::indicator_picker::PickerState,
    import: &mut OwnImport,
    indicators: &mut IndicatorSet,
    atlas: &Arc<Atlas>,
    level: Level,
    lang: Lang,
    error: Option<&str>,
    actions: &mut Vec<ThematicAction>,
) {
    egui::Panel::left("thematic_panel")
        .default_size(270.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                warnings_ui(ui, &indicators.warnings, lang);
                top_section(ui);
                ui.separator();
                ui.heading(lang.pick("Thema", "Theme"));
                let before = state.clone();
                crate::indicator_picker::picker_ui(
                    ui, picker, state, indicators, level, lang, actions,
                );
                field_ui(ui, state, indicators, level, lang);
                crate::year_slider::year_ui(ui, state, indicators, level, lang);
                let categorical = state
                    .field
                    .as_ref()
                    .and_then(|f| indicators.get(level, f))
                    .is_some_and(|i| i.is_categorical());
                if state.field.is_some() && !categorical {
                    classification_ui(ui, state, lang);
                }
                if state.field.is_some() {
                    palette_ui(ui, state, categorical, lang);
                }
                if let Some(message) = error {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                if *state != before && state.preset == before.preset {
                    state.preset = None;
                }
                ui.separator();
                presets_ui(ui, state, lang, actions);
                ui.separator();
                own_data_ui(ui, state, import, indicators, atlas, level, lang, actions);
            });
        });
}

/// What could not be loaded (boundary problems, missing or damaged thematic and registry files,
/// keys that did not join, values out of range), so nothing is lost silently.
fn warnings_ui(ui: &mut egui::Ui, warnings: &[String], lang: Lang) {
    if warnings.is_empty() {
        return;
    }
    let title = format!(
        "⚠ {} ({})",
        lang.pick("Hinweise zu den Daten", "Data warnings"),
        warnings.len()
    );
    egui::CollapsingHeader::new(RichText::new(title).color(ui.visuals().warn_fg_color))
        .default_open(true)
        .show(ui, |ui| {
            ui.small(lang.pick(
                "Betroffene Dateien und Werte werden nicht verwendet (ohne Angabe), nicht geschätzt.",
                "Affected files and values are not used (no data), never guessed.",
            ));
            for warning in warnings {
                ui.small(format!("• {warning}"));
            }
        });
    ui.separator();
}

fn field_ui(
    ui: &mut egui::Ui,
    state: &mut ThematicState,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
) {
    let none = lang.pick("Keines (nur Grenzen)", "None (boundaries only)");
    let selected = state
        .field
        .as_ref()
        .and_then(|f| indicators.get(level, f))
        .map_or_else(|| none.to_owned(), |i| i.title(lang));
    let label = ui.label(lang.pick("Merkmal", "Field"));
    egui::ComboBox::from_id_salt("field")
        .selected_text(selected)
        .width(240.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.field, None, none);
            for indicator in indicators.for_level(level) {
                ui.selectable_value(
                    &mut state.field,
                    Some(indicator.key.clone()),
                    indicator.title(lang),
                );
            }
        })
        .response
        .labelled_by(label.id);
    if indicators.for_level(level).next().is_none() {
        ui.small(lang.pick(
            "Themenkarten gibt es für Gemeinden und Kreise.",
            "Thematic maps exist for municipalities and districts.",
        ));
    }
}

fn classification_ui(ui: &mut egui::Ui, state: &mut ThematicState, lang: Lang) {
    let label = ui.label(lang.pick("Klassifizierung", "Classification"));
    egui::ComboBox::from_id_salt("method")
        .selected_text(state.method.label(lang))
        .width(240.0)
        .show_ui(ui, |ui| {
            for method in METHODS {
                let label = method.label(lang);
                let selected = match (&state.method, &method) {
                    (Method::Manual(_), Method::Manual(_)) => true,
                    (a, b) => a == b,
                };
                if ui.selectable_label(selected, label).clicked() {
                    state.method = method;
                }
            }
        })
        .response
        .labelled_by(label.id);
    if matches!(state.method, Method::Manual(_)) {
        ui.label(lang.pick("Grenzen (mit ; getrennt)", "Breaks (separated by ;)"));
        ui.text_edit_singleline(&mut state.manual_text);
    } else if state.method.extremes().is_some() {
        ui.small(lang.pick(
            "Sechs feste Klassen nach GeoDa (Anselin 1994)",
            "Six fixed classes after GeoDa (Anselin 1994)",
        ));
    } else {
        ui.add(
            egui::Slider::new(&mut state.classes, CLASS_RANGE)
                .text(lang.pick("Klassen", "classes")),
        );
    }
}

fn palette_ui(ui: &mut egui::Ui, state: &mut ThematicState, categorical: bool, lang: Lang) {
    let label = ui.label(lang.pick("Farben (ColorBrewer)", "Colours (ColorBrewer)"));
    let default_label = lang.pick(
        "Standard (farbenblind-sicher)",
        "Default (colour-blind safe)",
    );
    let selected = state
        .scheme
        .clone()
        .unwrap_or_else(|| default_label.to_owned());
    egui::ComboBox::from_id_salt("palette")
        .selected_text(selected)
        .width(240.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.scheme, None, default_label);
            for scheme in SCHEMES {
                let fits = (scheme.kind == SchemeKind::Qualitative) == categorical;
                if !fits {
                    continue;
                }
                let kind = match scheme.kind {
                    SchemeKind::Sequential => lang.pick("sequenziell", "sequential"),
                    SchemeKind::Diverging => lang.pick("divergierend", "diverging"),
                    SchemeKind::Qualitative => lang.pick("qualitativ", "qualitative"),
                };
                let safe = if scheme.max_safe >= state.classes {
                    " ✓"
                } else {
                    ""
                };
                let text = format!("{} ({kind}){safe}", scheme.name);
                ui.selectable_value(&mut state.scheme, Some(scheme.name.to_owned()), text);
            }
        })
        .response
        .labelled_by(label.id);
    ui.checkbox(
        &mut state.reverse,
        lang.pick("Farben umkehren", "Reverse colours"),
    );
}

fn presets_ui(
    ui: &mut egui::Ui,
    state: &mut ThematicState,
    lang: Lang,
    actions: &mut Vec<ThematicAction>,
) {
    ui.label(RichText::new(lang.pick("Karten des Gutachtens", "Maps of the report")).strong());
    for preset in presets() {
        let short = preset.key.replace("abb", "Abb. ");
        if ui.button(short).on_hover_text(preset.title(lang)).clicked() {
            state.apply_preset(&preset);
            actions.push(ThematicAction::SetLevel(preset.level));
            if !preset.site_types.is_empty() {
                actions.push(ThematicAction::ShowSites(preset.site_types.clone()));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn own_data_ui(
    ui: &mut egui::Ui,
    state: &mut ThematicState,
    import: &mut OwnImport,
    indicators: &mut IndicatorSet,
    atlas: &Arc<Atlas>,
    level: Level,
    lang: Lang,
    actions: &mut Vec<ThematicAction>,
) {
    finish(ui.ctx(), import, state, indicators, lang, actions);
    ui.label(
        RichText::new(lang.pick("Eigene Daten (CSV, xlsx, ods)", "Own data (CSV, xlsx, ods)"))
            .strong(),
    );
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Tabellendatei", "Table file"));
        ui.add(
            egui::TextEdit::singleline(&mut import.path_text)
                .hint_text(lang.pick("Pfad zur CSV-Datei", "path to the CSV file"))
                .desired_width(140.0),
        )
        .labelled_by(label.id);
        if import.is_running() {
            ui.spinner();
        } else if ui.button(lang.pick("Lesen", "Read")).clicked() {
            start_read(ui.ctx(), import, lang);
        }
    });
    ui.horizontal(|ui| {
        ui.label(lang.pick("Tabellenblatt", "Sheet"));
        ui.add(
            egui::TextEdit::singleline(&mut import.sheet_text)
                .hint_text(lang.pick("erstes (xlsx, ods)", "first (xlsx, ods)"))
                .desired_width(120.0),
        );
    });
    if import.table.is_some() {
        number_choice_ui(ui, &mut import.choice, lang);
    }
    let Some(table) = &import.table else {
        report_ui(ui, &import.report);
        return;
    };
    ui.small(format!(
        "{} {}, {}, {} {}",
        table.rows.len(),
        lang.pick("Zeilen", "rows"),
        table.encoding,
        lang.pick("Kopfzeile", "header line"),
        table.layout.header_lines.0,
    ));
    let headers = table.headers.clone();
    column_combo(
        ui,
        "own_key",
        lang.pick("Schlüssel (AGS)", "Key (AGS)"),
        &headers,
        &mut import.key_column,
    );
    column_combo(
        ui,
        "own_value",
        lang.pick("Wert", "Value"),
        &headers,
        &mut import.value_column,
    );
    let show = lang.pick("Auf Karte zeigen", "Show on map");
    if import.is_running() {
        ui.add_enabled(false, egui::Button::new(show));
    } else if ui.button(show).clicked() {
        let table = Arc::clone(table);
        start_join(ui.ctx(), import, table, Arc::clone(atlas), level, lang);
    }
    report_ui(ui, &import.report);
}

/// Runs `job` on a worker thread; its outcome arrives in [`finish`].
fn spawn(
    ctx: &egui::Context,
    import: &mut OwnImport,
    job: impl FnOnce() -> Outcome + Send + 'static,
) {
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let _ = sender.send(job());
        ctx.request_repaint();
    });
    import.running = Some(receiver);
}

/// Reads the typed file (and sheet) on a worker thread.
fn start_read(ctx: &egui::Context, import: &mut OwnImport, lang: Lang) {
    let path_text = import.path_text.trim();
    if path_text.is_empty() {
        import.report = vec![
            lang.pick(
                "Bitte den Pfad einer CSV-, xlsx- oder ods-Datei eingeben.",
                "Please enter the path of a CSV, xlsx or ods file.",
            )
            .to_owned(),
        ];
        return;
    }
    let path = PathBuf::from(path_text);
    import.table = None;
    let sheet = Some(import.sheet_text.trim().to_owned()).filter(|s| !s.is_empty());
    spawn(ctx, import, move || {
        read_own_table(&path, sheet.as_deref())
            .map(Finished::Read)
            .map_err(|e| e.localized(lang))
    });
}

/// Joins the chosen columns to the regions of `level` on a worker thread, with the number
/// choice of the panel.
fn start_join(
    ctx: &egui::Context,
    import: &mut OwnImport,
    table: Arc<OwnTable>,
    atlas: Arc<Atlas>,
    level: Level,
    lang: Lang,
) {
    let (key, value, choice) = (
        import.key_column.clone(),
        import.value_column.clone(),
        import.choice,
    );
    spawn(ctx, import, move || {
        let chosen;
        let table = if table.choice == choice {
            &*table
        } else {
            let mut copy = OwnTable::clone(&table);
            copy.choice = choice;
            chosen = copy;
            &chosen
        };
        join_own(&atlas, table, &key, &value, level)
            .map(|(indicator, report)| Finished::Joined(indicator, report.lines(lang)))
            .map_err(|e| e.localized(lang))
    });
}

/// Takes over a finished read or join: the table and its guessed columns, or the joined
/// indicator shown on the map, or the error.
fn finish(
    ctx: &egui::Context,
    import: &mut OwnImport,
    state: &mut ThematicState,
    indicators: &mut IndicatorSet,
    lang: Lang,
    actions: &mut Vec<ThematicAction>,
) {
    let Some(receiver) = &import.running else {
        return;
    };
    match receiver.try_recv() {
        Ok(Ok(Finished::Read(table))) => {
            import.running = None;
            take_table(import, table, lang);
        }
        Ok(Ok(Finished::Joined(indicator, report))) => {
            import.running = None;
            import.report = report;
            state.field = Some(indicator.key.clone());
            indicators.upsert(indicator);
            actions.push(ThematicAction::DataChanged);
        }
        Ok(Err(message)) => {
            import.running = None;
            import.report = vec![message];
        }
        Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
        Err(TryRecvError::Disconnected) => import.running = None,
    }
}

/// Shows a table just read: guesses the key and value columns and asks to choose them.
fn take_table(import: &mut OwnImport, table: OwnTable, lang: Lang) {
    let guess_key = table
        .headers
        .iter()
        .find(|h| h.to_ascii_lowercase().contains("ags") || h.to_ascii_lowercase().contains("schl"))
        .or(table.headers.first())
        .cloned()
        .unwrap_or_default();
    let guess_value = table
        .headers
        .iter()
        .find(|h| **h != guess_key)
        .cloned()
        .unwrap_or_default();
    import.key_column = guess_key;
    import.value_column = guess_value;
    import.report = vec![
        lang.pick(
            "Spalten wählen, dann „Auf Karte zeigen“.",
            "Choose columns, then “Show on map”.",
        )
        .to_owned(),
    ];
    import.table = Some(Arc::new(table));
}

/// The decimal mark and thousands separator for a value column whose numbers leave them open.
fn number_choice_ui(ui: &mut egui::Ui, choice: &mut NumberChoice, lang: Lang) {
    let auto = lang.pick("automatisch", "automatic");
    let decimals = [
        (None, auto),
        (
            Some(Decimal::Comma),
            lang.pick("Komma (12,5)", "comma (12,5)"),
        ),
        (
            Some(Decimal::Point),
            lang.pick("Punkt (12.5)", "point (12.5)"),
        ),
    ];
    let thousands = [
        (None, auto),
        (
            Some(Thousands::Point),
            lang.pick("Punkt (1.234)", "point (1.234)"),
        ),
        (
            Some(Thousands::Comma),
            lang.pick("Komma (1,234)", "comma (1,234)"),
        ),
        (
            Some(Thousands::Space),
            lang.pick("Leerzeichen (1 234)", "space (1 234)"),
        ),
        (
            Some(Thousands::None),
            lang.pick("keine (1234)", "none (1234)"),
        ),
    ];
    option_combo(
        ui,
        "own_decimal",
        lang.pick("Dezimalzeichen", "Decimal mark"),
        &decimals,
        &mut choice.decimal,
    );
    option_combo(
        ui,
        "own_thousands",
        lang.pick("Tausender", "Thousands"),
        &thousands,
        &mut choice.thousands,
    );
}

fn option_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    options: &[(Option<T>, &str)],
    value: &mut Option<T>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let selected = options
            .iter()
            .find(|(v, _)| v == value)
            .map_or("", |(_, text)| *text);
        egui::ComboBox::from_id_salt(id)
            .selected_text(selected)
            .show_ui(ui, |ui| {
                for (v, text) in options {
                    ui.selectable_value(value, *v, *text);
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn column_combo(ui: &mut egui::Ui, id: &str, label: &str, headers: &[String], value: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        egui::ComboBox::from_id_salt(id)
            .selected_text(value.as_str())
            .show_ui(ui, |ui| {
                for header in headers {
                    ui.selectable_value(value, header.clone(), header.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn report_ui(ui: &mut egui::Ui, lines: &[String]) {
    for line in lines.iter().take(30) {
        ui.small(line.as_str());
    }
    if lines.len() > 30 {
        ui.small(format!("… {} weitere", lines.len() - 30));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls the worker until it is done (at most about 10 s).
    fn wait(
        ctx: &egui::Context,
        import: &mut OwnImport,
        state: &mut ThematicState,
        indicators: &mut IndicatorSet,
    ) -> Vec<ThematicAction> {
        let mut actions = Vec::new();
        for _ in 0..500 {
            finish(ctx, import, state, indicators, Lang::De, &mut actions);
            if !import.is_running() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        actions
    }

    #[test]
    fn the_thousands_choice_of_the_panel_reaches_the_worker() {
        let path = std::env::temp_dir().join(format!("atlas-ui-zahlen-{}.csv", std::process::id()));
        std::fs::write(&path, "AGS;Anzahl\n05315000;1.234\n05111000;2.500\n").unwrap();
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../geodata");
        let atlas = Arc::new(atlas_core::data::load_atlas(&data).unwrap());
        let mut indicators = IndicatorSet::default();
        let mut state = ThematicState::default();
        let ctx = egui::Context::default();
        let mut import = OwnImport {
            path_text: path.display().to_string(),
            ..OwnImport::default()
        };
        start_read(&ctx, &mut import, Lang::De);
        wait(&ctx, &mut import, &mut state, &mut indicators);
        let table = Arc::clone(import.table.as_ref().unwrap());
        import.choice.thousands = Some(Thousands::Point);
        start_join(
            &ctx,
            &mut import,
            table,
            Arc::clone(&atlas),
            Level::Gemeinde,
            Lang::De,
        );
        let actions = wait(&ctx, &mut import, &mut state, &mut indicators);
        assert_eq!(
            actions,
            vec![ThematicAction::DataChanged],
            "{:?}",
            import.report
        );
        let indicator = indicators.get(Level::Gemeinde, "own:Anzahl").unwrap();
        let koeln = atlas
            .id_of(&atlas_core::Ags::parse("05315000").unwrap())
            .unwrap();
        match &indicator.values {
            atlas_core::analysis::indicators::Values::Numeric(v) => {
                assert_eq!(v[koeln.index], Some(1234.0));
            }
            other => panic!("{other:?}"),
        }
        let _ = std::fs::remove_file(&path);
    }
}
