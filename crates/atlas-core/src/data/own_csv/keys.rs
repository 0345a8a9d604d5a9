//! Region keys as planners and statistical offices write them: AGS with or without the leading
//! zero, the 12-digit Regionalschlüssel (ARS), Kreis keys written with 8 digits (`05111000`) and
//! keys a spreadsheet turned into numbers (`5111.0`).

use crate::model::{Ags, Level};

/// Ways a key was rewritten to an AGS (bit set), so the report can say so.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyForms(pub u8);

impl KeyForms {
    /// A spreadsheet number: `5111.0` → `5111`.
    pub const SPREADSHEET: KeyForms = KeyForms(1);
    /// The leading zero was missing: `5111` → `05111`.
    pub const LEADING_ZERO: KeyForms = KeyForms(2);
    /// A 12-digit ARS: first 5 and last 3 digits.
    pub const ARS: KeyForms = KeyForms(4);
    /// A Kreis written with 8 digits: `05111000` → `05111`.
    pub const KREIS_8: KeyForms = KeyForms(8);

    /// Every form, in report order.
    pub const ALL: [KeyForms; 4] = [
        KeyForms::SPREADSHEET,
        KeyForms::LEADING_ZERO,
        KeyForms::ARS,
        KeyForms::KREIS_8,
    ];

    /// True when `form` is set.
    pub fn contains(self, form: KeyForms) -> bool {
        self.0 & form.0 != 0
    }

    /// The rewriting for people.
    pub fn describe(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            KeyForms::SPREADSHEET => lang.pick(
                "Tabellenkalkulations-Zahl (5111.0 → 5111)",
                "spreadsheet number (5111.0 → 5111)",
            ),
            KeyForms::LEADING_ZERO => lang.pick("führende Null ergänzt", "leading zero added"),
            KeyForms::ARS => lang.pick(
                "12-stelliger Regionalschlüssel (ARS) → AGS",
                "12-digit regional key (ARS) → AGS",
            ),
            _ => lang.pick(
                "8-stelliger Kreisschlüssel → 5 Stellen",
                "8-digit district key → 5 digits",
            ),
        }
    }
}

/// A key read for a level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// A key of the level, with how it was rewritten.
    Found(Ags, KeyForms),
    /// A valid key of another level (e.g. the Land or a Regierungsbezirk in an official table).
    OtherLevel(Ags),
    /// Not a key.
    Unknown,
}

/// Removes a spreadsheet's `.0` (or `,0`) from an all-digit key.
fn strip_spreadsheet(text: &str) -> (&str, bool) {
    if let Some(pos) = text.find(['.', ',']) {
        let (head, tail) = text.split_at(pos);
        let zeros = &tail[1..];
        if !head.is_empty()
            && head.bytes().all(|b| b.is_ascii_digit())
            && !zeros.is_empty()
            && zeros.bytes().all(|b| b == b'0')
        {
            return (head, true);
        }
    }
    (text, false)
}

/// True when the text looks like a region key (1 to 12 digits, perhaps with a spreadsheet `.0`).
pub fn looks_like_key(text: &str) -> bool {
    let (digits, _) = strip_spreadsheet(text.trim());
    (1..=12).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a key for `level`.
pub fn read_key(text: &str, level: Level) -> Key {
    let (digits, spreadsheet) = strip_spreadsheet(text.trim());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Key::Unknown;
    }
    let mut forms = KeyForms::default();
    if spreadsheet {
        forms.0 |= KeyForms::SPREADSHEET.0;
    }
    let mut key = match digits.len() {
        1 | 4 | 7 | 11 => {
            forms.0 |= KeyForms::LEADING_ZERO.0;
            format!("0{digits}")
        }
        _ => digits.to_owned(),
    };
    if key.len() == 12 {
        forms.0 |= KeyForms::ARS.0;
        key = format!("{}{}", &key[..5], &key[9..]);
    }
    if level == Level::Kreis && key.len() == 8 && key.ends_with("000") {
        forms.0 |= KeyForms::KREIS_8.0;
        key.truncate(5);
    }
    match Ags::parse(&key) {
        Some(ags) if ags.level() == level => Key::Found(ags, forms),
        Some(ags) => Key::OtherLevel(ags),
        None => Key::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, level: Level) -> (String, KeyForms) {
        match read_key(text, level) {
            Key::Found(a, f) => (a.as_str().to_owned(), f),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn keys_in_every_written_form() {
        assert_eq!(found("05111", Level::Kreis), ("05111".into(), KeyForms(0)));
        assert_eq!(found("5111", Level::Kreis).0, "05111");
        assert_eq!(found("5111.0", Level::Kreis).0, "05111");
        assert_eq!(found("05111000", Level::Kreis).0, "05111");
        assert_eq!(found("5111000.0", Level::Gemeinde).0, "05111000");
        assert_eq!(found("051110000000", Level::Gemeinde).0, "05111000");
        assert_eq!(found("051110000000", Level::Kreis).0, "05111");
        assert_eq!(found("059660024024", Level::Gemeinde).0, "05966024");
        assert_eq!(found("59660024024", Level::Gemeinde).0, "05966024");
        assert!(
            found("59660024024", Level::Gemeinde)
                .1
                .contains(KeyForms::ARS)
        );
        assert_eq!(
            read_key("05966024", Level::Kreis),
            Key::OtherLevel(Ags::parse("05966024").unwrap())
        );
        assert_eq!(
            read_key("05", Level::Kreis),
            Key::OtherLevel(Ags::parse("05").unwrap())
        );
        assert_eq!(read_key("Köln", Level::Kreis), Key::Unknown);
        assert_eq!(read_key("5111.5", Level::Kreis), Key::Unknown);
    }
}
