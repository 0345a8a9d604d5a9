//! What the panels hand to the app: the [`Action`]s the user asked for and the search box's
//! state. Its own module so that the panels and the app both use it without importing each
//! other.

use atlas_core::i18n::Lang;
use atlas_core::model::{Level, RegionId};

/// Something the user asked for; applied after the panels are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show another level.
    SetLevel(Level),
    /// Select a region (and zoom to it when `zoom` is set), or clear the selection.
    Select {
        /// The region, or `None` to clear the selection.
        id: Option<RegionId>,
        /// Whether to zoom to it.
        zoom: bool,
    },
    /// Show all of NRW.
    FitAll,
    /// Switch the interface language.
    SetLang(Lang),
    /// Load the data again (after an error).
    Reload,
    /// Open the export dialog.
    OpenExport,
    /// Write the profile (Steckbrief) of a Gemeinde or Kreis as PDF.
    WriteProfile(atlas_core::model::Ags),
}

/// The search box's text and its current hits.
#[derive(Debug, Default)]
pub struct SearchState {
    /// What the user typed.
    pub text: String,
    /// The best matches of `text`.
    pub hits: Vec<RegionId>,
    /// The text `hits` were found for (the search runs again only when `text` differs).
    pub(crate) searched: String,
}

impl SearchState {
    /// Shows the chosen region's name in the box, without searching for it again.
    pub fn show_chosen(&mut self, name: String) {
        self.searched.clone_from(&name);
        self.text = name;
        self.hits.clear();
    }
}
