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

/// A text in both interface languages (e.g. a caveat under a legend).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its German and English wording.
    pub fn new(de: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            de: de.into(),
            en: en.into(),
        }
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.de, &self.en)
    }

    /// This text followed by `more`, separated by "; " in both languages.
    pub fn and(self, more: Option<Text>) -> Text {
        match more {
            Some(more) => Text::new(
                format!("{}; {}", self.de, more.de),
                format!("{}; {}", self.en, more.en),
            ),
            None => self,
        }
    }
}

/// A message shown in the user's language. The core's errors implement it: the window renders
/// them with [`Localized::localized`], the command line keeps their English `Display`.
pub trait Localized {
    /// The message in `lang`.
    fn localized(&self, lang: Lang) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_joins_in_both_languages() {
        let text = Text::new("nur Kreise", "districts only")
            .and(Some(Text::new("Zeile 3", "line 3")))
            .and(None);
        assert_eq!(text.get(Lang::De), "nur Kreise; Zeile 3");
        assert_eq!(text.get(Lang::En), "districts only; line 3");
    }
}
