//! The indicator picker of the "Thema" panel: type words, see the matching indicators grouped by
//! theme (INKAR's `bereich`), each with its description, level(s), unit and years, the recently
//! used first; a click maps it (switching the level if it exists only at the other one).
//!
//! The search is the core's [`IndicatorIndex`], built once per indicator set and kept in the
//! panel's memory; a keystroke only runs a query (see `benches/inkar.rs`).

use eframe::egui::{self, RichText};

use atlas_core::analysis::indicator_search::{IndicatorIndex, PickerEntry};
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::i18n::Lang;
use atlas_core::model::Level;

use crate::thematic_panel::{ThematicAction, ThematicState};

/// How many indicators the recently-used list keeps.
const RECENT: usize = 6;

/// How many hits of one theme are listed before "… more".
const SHOWN_PER_THEME: usize = 25;

/// The picker's state between frames: the query, the recently used keys and the index.
#[derive(Default)]
pub struct PickerState {
    /// The words typed.
    pub query: String,
    /// Keys chosen in the picker, most recent first.
    pub recent: Vec<String>,
    /// Whether the list is open.
    pub open: bool,
    index: Option<(usize, Lang, IndicatorIndex)>,
}

impl PickerState {
    /// The index of `set`, rebuilt when the set grew or shrank (INKAR loaded, own data added) or
    /// the language changed.
    fn index(&mut self, set: &IndicatorSet, lang: Lang) -> &IndicatorIndex {
        let stale =
            !matches!(&self.index, Some((n, l, _)) if *n == set.indicators.len() && *l == lang);
        if stale {
            self.index = Some((set.indicators.len(), lang, IndicatorIndex::new(set, lang)));
        }
        match &self.index {
            Some((_, _, index)) => index,
            None => unreachable!("the index was just built"),
        }
    }

    /// Remembers `key` as the most recently used.
    pub fn used(&mut self, key: &str) {
        self.recent.retain(|k| k != key);
        self.recent.insert(0, key.to_owned());
        self.recent.truncate(RECENT);
    }
}

/// The picker: a search field and, while it is open, the grouped hits. Choosing one sets the
/// panel's field (and asks for the other level where the indicator exists only there).
pub fn picker_ui(
    ui: &mut egui::Ui,
    picker: &mut PickerState,
    state: &mut ThematicState,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
    actions: &mut Vec<ThematicAction>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Merkmal suchen", "Find a field"));
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut picker.query)
                    .hint_text(lang.pick("z. B. asyl, ärzte, pendler", "e.g. asyl, ärzte, pendler"))
                    .desired_width(150.0),
            )
            .labelled_by(label.id);
        if response.changed() || response.gained_focus() {
            picker.open = true;
        }
        if picker.open
            && ui
                .small_button("×")
                .on_hover_text(lang.pick("Liste schließen", "Close the list"))
                .clicked()
        {
            picker.open = false;
        }
    });
    if !picker.open {
        return;
    }
    let query = picker.query.clone();
    let recent = picker.recent.clone();
    let index = picker.index(indicators, lang);
    let groups = index.search(&query, &recent, None);
    let mut chosen: Option<(String, Vec<Level>)> = None;
    if groups.is_empty() {
        ui.small(lang.pick(
            "Kein Merkmal passt; weniger oder kürzere Wörter versuchen.",
            "No field matches; try fewer or shorter words.",
        ));
    }
    egui::ScrollArea::vertical()
        .id_salt("picker_hits")
        .max_height(320.0)
        .show(ui, |ui| {
            for group in groups {
                let title = group
                    .theme
                    .unwrap_or_else(|| lang.pick("Zuletzt verwendet", "Recently used"));
                ui.label(RichText::new(format!("{title} ({})", group.entries.len())).strong());
                for entry in group.entries.iter().take(SHOWN_PER_THEME) {
                    if entry_ui(ui, entry, state.field.as_deref(), level, lang) {
                        chosen = Some((entry.key.clone(), entry.levels.clone()));
                    }
                }
                if group.entries.len() > SHOWN_PER_THEME {
                    ui.small(format!(
                        "… {} {}",
                        group.entries.len() - SHOWN_PER_THEME,
                        lang.pick("weitere: genauer suchen", "more: refine the search")
                    ));
                }
            }
        });
    if let Some((key, levels)) = chosen {
        if !levels.contains(&level)
            && let Some(&other) = levels.first()
        {
            actions.push(ThematicAction::SetLevel(other));
        }
        state.field = Some(key.clone());
        state.time = Default::default();
        picker.used(&key);
        picker.open = false;
    }
}

/// One hit: its name (a click chooses it), levels, unit and years, and the description's start
/// (the whole description and formula on hover). True when clicked.
fn entry_ui(
    ui: &mut egui::Ui,
    entry: &PickerEntry,
    current: Option<&str>,
    level: Level,
    lang: Lang,
) -> bool {
    let levels: Vec<&str> = entry
        .levels
        .iter()
        .map(|l| match l {
            Level::Gemeinde => lang.pick("Gemeinden", "municipalities"),
            _ => lang.pick("Kreise", "districts"),
        })
        .collect();
    let here = entry.levels.contains(&level);
    let name = if here {
        RichText::new(&entry.name)
    } else {
        RichText::new(&entry.name).italics()
    };
    let selected = current == Some(entry.key.as_str());
    let mut hover = entry.long_name.clone();
    if !entry.description.is_empty() {
        if !hover.is_empty() {
            hover.push_str("\n\n");
        }
        hover.push_str(&entry.description);
    }
    let clicked = ui
        .selectable_label(selected, name)
        .on_hover_text(hover)
        .clicked();
    let mut facts = levels.join(", ");
    if !entry.unit.is_empty() {
        facts.push_str(" · ");
        facts.push_str(&entry.unit);
    }
    if !entry.years.is_empty() {
        facts.push_str(" · ");
        facts.push_str(&entry.years);
    }
    ui.small(facts);
    let short: String = entry.description.chars().take(110).collect();
    if !short.is_empty() {
        let ellipsis = if entry.description.chars().count() > 110 {
            " …"
        } else {
            ""
        };
        ui.small(RichText::new(format!("{short}{ellipsis}")).weak());
    }
    ui.add_space(3.0);
    clicked
}
