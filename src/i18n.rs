//! User-interface language: German by default, English switchable.

/// A user-interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Deutsch (default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Picks the German or the English text.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    /// The name of a level in this language, e.g. "Kreise" / "Districts".
    pub fn level_plural(self, level: crate::Level) -> &'static str {
        use crate::Level::*;
        match (self, level) {
            (Lang::De, Land) => "Land",
            (Lang::De, Bezirk) => "Regierungsbezirke",
            (Lang::De, Kreis) => "Kreise",
            (Lang::De, Gemeinde) => "Gemeinden",
            (Lang::En, Land) => "State",
            (Lang::En, Bezirk) => "Government regions",
            (Lang::En, Kreis) => "Districts",
            (Lang::En, Gemeinde) => "Municipalities",
        }
    }
}
