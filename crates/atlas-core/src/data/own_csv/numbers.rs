//! Numbers as they are written in a planner's or a statistical office's table.
//!
//! A cell is first *lexed* (sign, percent sign, the signs of the statistical offices such as `-`,
//! `.`, `x`, `/`, `…`, `(12,5)` and the suffixes `p`, `r`, `s`), leaving a *core* of digits and
//! separators. Which separator is the decimal mark and which groups thousands is decided per column
//! from all its cores ([`ColumnEvidence`], [`decide`]): a column is never read in two ways, and a
//! column that could be read in two ways with different results is refused ([`Ambiguous`]) unless
//! the user chose ([`NumberChoice`]) or another column of the same file settles it.

use crate::i18n::Lang;

/// The decimal mark of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decimal {
    /// `12,5`
    Comma,
    /// `12.5`
    Point,
}

/// The thousands separator of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Thousands {
    /// `1.234`
    Point,
    /// `1,234`
    Comma,
    /// `1 234` (space, no-break space U+00A0 or narrow no-break space U+202F)
    Space,
    /// No grouping.
    None,
}

/// A way of writing numbers: decimal mark and thousands separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NumberStyle {
    /// The decimal mark.
    pub decimal: Decimal,
    /// The thousands separator.
    pub thousands: Thousands,
}

/// The six styles, in the order of the masks used below.
pub const STYLES: [NumberStyle; 6] = [
    NumberStyle::new(Decimal::Comma, Thousands::Point),
    NumberStyle::new(Decimal::Comma, Thousands::Space),
    NumberStyle::new(Decimal::Comma, Thousands::None),
    NumberStyle::new(Decimal::Point, Thousands::Comma),
    NumberStyle::new(Decimal::Point, Thousands::Space),
    NumberStyle::new(Decimal::Point, Thousands::None),
];

impl NumberStyle {
    /// A style from its two marks.
    pub const fn new(decimal: Decimal, thousands: Thousands) -> NumberStyle {
        NumberStyle { decimal, thousands }
    }

    /// German style `1.234,5`.
    pub const GERMAN: NumberStyle = NumberStyle::new(Decimal::Comma, Thousands::Point);
    /// English style `1,234.5`.
    pub const ENGLISH: NumberStyle = NumberStyle::new(Decimal::Point, Thousands::Comma);

    /// The role this style gives a separator.
    fn role(self, sep: Sep) -> Option<Role> {
        let decimal = matches!(
            (self.decimal, sep),
            (Decimal::Comma, Sep::Comma) | (Decimal::Point, Sep::Point)
        );
        let thousands = matches!(
            (self.thousands, sep),
            (Thousands::Comma, Sep::Comma)
                | (Thousands::Point, Sep::Point)
                | (Thousands::Space, Sep::Space)
        );
        if decimal {
            Some(Role::Decimal)
        } else if thousands {
            Some(Role::Thousands)
        } else {
            None
        }
    }
}

/// What the user chose for a column (either part may be left to the data).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NumberChoice {
    /// `--decimal , | .`
    pub decimal: Option<Decimal>,
    /// `--thousands . | , | space | none`
    pub thousands: Option<Thousands>,
}

impl NumberChoice {
    /// True when `style` is allowed by the choice.
    pub fn allows(self, style: NumberStyle) -> bool {
        self.decimal.is_none_or(|d| d == style.decimal)
            && self.thousands.is_none_or(|t| t == style.thousands)
    }

    /// True when nothing was chosen.
    pub fn is_free(self) -> bool {
        self.decimal.is_none() && self.thousands.is_none()
    }
}

/// Parses the CLI word for a decimal mark: `,` or `.` (also `comma`, `point`).
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    match text.trim() {
        "," | "comma" | "komma" => Ok(Decimal::Comma),
        "." | "point" | "punkt" | "dot" => Ok(Decimal::Point),
        other => Err(format!("{other:?}: give , or .")),
    }
}

/// Parses the CLI word for a thousands separator: `.`, `,`, `space` or `none`.
pub fn parse_thousands(text: &str) -> Result<Thousands, String> {
    match text.trim() {
        "." | "point" | "punkt" | "dot" => Ok(Thousands::Point),
        "," | "comma" | "komma" => Ok(Thousands::Comma),
        "space" | " " | "leer" => Ok(Thousands::Space),
        "none" | "" | "keine" => Ok(Thousands::None),
        other => Err(format!("{other:?}: give . , space or none")),
    }
}

/// A separator character class inside a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Point,
    Comma,
    Space,
}

impl Sep {
    fn of(c: char) -> Option<Sep> {
        match c {
            '.' => Some(Sep::Point),
            ',' => Some(Sep::Comma),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => Some(Sep::Space),
            _ => None,
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Sep::Point => 1,
            Sep::Comma => 2,
            Sep::Space => 4,
        }
    }

    const ALL: [Sep; 3] = [Sep::Point, Sep::Comma, Sep::Space];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Decimal,
    Thousands,
}

/// A sign of the statistical offices meaning "no value", with its reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// `.` — unknown or to be kept secret.
    Secret,
    /// `x` — not sensible.
    NotSensible,
    /// `/` — not reliable enough.
    NotReliable,
    /// `…` or `...` — available later.
    Later,
}

impl Mark {
    /// The sign and its meaning for people.
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Mark::Secret => lang.pick(
                "„.“ (Zahlenwert unbekannt oder geheim)",
                "\".\" (unknown or secret)",
            ),
            Mark::NotSensible => lang.pick("„x“ (Aussage nicht sinnvoll)", "\"x\" (not sensible)"),
            Mark::NotReliable => lang.pick(
                "„/“ (Zahlenwert nicht sicher genug)",
                "\"/\" (not reliable enough)",
            ),
            Mark::Later => lang.pick("„…“ (Angabe fällt später an)", "\"…\" (available later)"),
        }
    }

    /// All marks, in report order.
    pub const ALL: [Mark; 4] = [
        Mark::Secret,
        Mark::NotSensible,
        Mark::NotReliable,
        Mark::Later,
    ];
}

/// Flags that travel with a number (bit set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u8);

impl Flags {
    /// `(12,5)` — limited reliability.
    pub const UNCERTAIN: Flags = Flags(1);
    /// `12p` — provisional.
    pub const PROVISIONAL: Flags = Flags(2);
    /// `12r` — revised.
    pub const REVISED: Flags = Flags(4);
    /// `12s` — estimated.
    pub const ESTIMATED: Flags = Flags(8);
    /// `12 %` — written with a percent sign.
    pub const PERCENT: Flags = Flags(16);

    /// The flags that qualify a value (all but the percent sign).
    pub const QUALIFYING: [Flags; 4] = [
        Flags::UNCERTAIN,
        Flags::PROVISIONAL,
        Flags::REVISED,
        Flags::ESTIMATED,
    ];

    /// True when all of `other` is set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    /// True when the value is qualified (uncertain, provisional, revised or estimated).
    pub fn qualifies(self) -> bool {
        self.0 & !Flags::PERCENT.0 != 0
    }

    fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }

    /// The meaning of one flag for people.
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Flags::UNCERTAIN => lang.pick(
                "„( )“ (Aussagewert eingeschränkt)",
                "\"( )\" (limited reliability)",
            ),
            Flags::PROVISIONAL => lang.pick("„p“ (vorläufig)", "\"p\" (provisional)"),
            Flags::REVISED => lang.pick("„r“ (berichtigt)", "\"r\" (revised)"),
            Flags::ESTIMATED => lang.pick("„s“ (geschätzt)", "\"s\" (estimated)"),
            _ => lang.pick("„%“ (Prozentzeichen)", "\"%\" (percent sign)"),
        }
    }
}

/// A cell after lexing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lexed<'a> {
    /// Empty, `NA` or `n/a`.
    Empty,
    /// `-` (or `–`, `—`): nothing there, exactly 0.
    Zero,
    /// A sign meaning no value.
    Mark(Mark),
    /// A number: sign, digits with separators, flags.
    Number {
        /// A leading minus.
        negative: bool,
        /// Digits and separators, e.g. `1.234,5`.
        core: &'a str,
        /// Flags found around it.
        flags: Flags,
    },
    /// Not a number.
    Text,
}

/// Lexes one cell.
pub fn lex(text: &str) -> Lexed<'_> {
    let t = text.trim();
    match t {
        "" | "NA" | "n/a" | "N/A" | "NaN" => return Lexed::Empty,
        "-" | "–" | "—" => return Lexed::Zero,
        "." => return Lexed::Mark(Mark::Secret),
        "x" | "X" => return Lexed::Mark(Mark::NotSensible),
        "/" => return Lexed::Mark(Mark::NotReliable),
        "…" | "..." => return Lexed::Mark(Mark::Later),
        _ => {}
    }
    let mut flags = Flags::default();
    let mut s = strip_suffix_flag(t, &mut flags);
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        flags.insert(Flags::UNCERTAIN);
        s = strip_suffix_flag(inner.trim(), &mut flags);
    }
    if let Some(rest) = s.strip_suffix('%') {
        flags.insert(Flags::PERCENT);
        s = rest.trim_end();
    }
    let (negative, s) = if let Some(rest) = s.strip_prefix(['-', '−']) {
        (true, rest.trim_start())
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, s)
    };
    let plausible = !s.is_empty()
        && s.len() <= 60
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.ends_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || Sep::of(c).is_some());
    if plausible {
        Lexed::Number {
            negative,
            core: s,
            flags,
        }
    } else {
        Lexed::Text
    }
}

/// Removes a trailing `p`, `r` or `s` after a digit (or a space after a digit).
fn strip_suffix_flag<'a>(s: &'a str, flags: &mut Flags) -> &'a str {
    let flag = match s.as_bytes().last() {
        Some(b'p') => Flags::PROVISIONAL,
        Some(b'r') => Flags::REVISED,
        Some(b's') => Flags::ESTIMATED,
        _ => return s,
    };
    let rest = s[..s.len() - 1].trim_end();
    let after_number = rest.ends_with(|c: char| c.is_ascii_digit() || c == ')' || c == '%');
    if after_number {
        flags.insert(flag);
        rest
    } else {
        s
    }
}

/// The value of a core (digits and separators) in `style`, or `None` when it is not written
/// that way (a separator the style does not know, wrong digit groups, two decimal marks).
pub fn core_value(core: &str, style: NumberStyle) -> Option<f64> {
    let mut buf = [0u8; 64];
    let mut len = 0usize;
    let mut group = 0usize;
    let mut groups = 0usize;
    let mut grouped = false;
    let mut fraction = false;
    for c in core.chars() {
        if c.is_ascii_digit() {
            *buf.get_mut(len)? = c as u8;
            len += 1;
            group += 1;
            continue;
        }
        let role = style.role(Sep::of(c)?)?;
        match role {
            Role::Thousands => {
                let first_ok = groups == 0 && (1..=3).contains(&group);
                if fraction || !(first_ok || (groups > 0 && group == 3)) {
                    return None;
                }
                grouped = true;
            }
            Role::Decimal => {
                let leading = groups == 0 && group == 0;
                if fraction || (grouped && group != 3) || (group == 0 && !leading) {
                    return None;
                }
                if leading {
                    *buf.get_mut(len)? = b'0';
                    len += 1;
                }
                *buf.get_mut(len)? = b'.';
                len += 1;
                fraction = true;
            }
        }
        groups += 1;
        group = 0;
    }
    if group == 0 || (grouped && !fraction && group != 3) {
        return None;
    }
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

/// Which styles a core fits (bit i for [`STYLES`]\[i\]) and which separators it uses.
fn fits(core: &str) -> (u8, u8) {
    let mut used = 0u8;
    for c in core.chars() {
        if let Some(sep) = Sep::of(c) {
            used |= sep.bit();
        }
    }
    if used == 0 {
        return (0b11_1111, 0);
    }
    let mut mask = 0u8;
    for (i, style) in STYLES.iter().enumerate() {
        if core_value(core, *style).is_some() {
            mask |= 1 << i;
        }
    }
    (mask, used)
}

/// What the cells of one column say about how its numbers are written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnEvidence {
    /// Cells lexed as numbers (spreadsheet number cells do not count).
    pub numbers: usize,
    /// For each of [`STYLES`]: how many of those cells fit it.
    fit: [usize; 6],
    /// For each of [`STYLES`]: the separators used by the cells that fit it.
    used: [u8; 6],
    /// The first cell with a separator: (line, text), for messages.
    pub example: Option<(u64, String)>,
}

impl ColumnEvidence {
    /// Takes one cell into account.
    pub fn add(&mut self, line: u64, text: &str) {
        let Lexed::Number { core, .. } = lex(text) else {
            return;
        };
        self.numbers += 1;
        let (mask, used) = fits(core);
        if used != 0 && self.example.is_none() {
            self.example = Some((line, text.trim().to_owned()));
        }
        for i in 0..STYLES.len() {
            if mask & (1 << i) != 0 {
                self.fit[i] += 1;
                self.used[i] |= used;
            }
        }
    }
}

/// How the style of a column was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// The column's numbers have no separators at all.
    NoSeparators,
    /// The column's own values show it.
    FromValues,
    /// The user chose it.
    Chosen,
    /// The values allow two readings; the other number columns of the file settle it.
    LikeOtherColumns,
}

/// The style used for a column, how it was found and what its separators mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColumnStyle {
    /// The style numbers are read in.
    pub style: NumberStyle,
    /// How it was found.
    pub decided: Decided,
    /// The separators actually used by the column (bits: point 1, comma 2, space 4).
    used: u8,
    /// True when every reading the values allow has the same decimal mark.
    decimal_shown: bool,
}

impl ColumnStyle {
    /// The reading for people, e.g. "Dezimalkomma, Tausenderpunkt (aus den Werten)".
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        for sep in Sep::ALL {
            if self.used & sep.bit() == 0 {
                continue;
            }
            parts.push(match (sep, self.style.role(sep)) {
                (Sep::Comma, Some(Role::Decimal)) => lang.pick("Dezimalkomma", "decimal comma"),
                (Sep::Point, Some(Role::Decimal)) => lang.pick("Dezimalpunkt", "decimal point"),
                (Sep::Point, _) => {
                    lang.pick("Punkt als Tausendertrennung", "point groups thousands")
                }
                (Sep::Comma, _) => {
                    lang.pick("Komma als Tausendertrennung", "comma groups thousands")
                }
                (Sep::Space, _) => lang.pick(
                    "Leerzeichen als Tausendertrennung",
                    "space groups thousands",
                ),
            });
        }
        if parts.is_empty() {
            parts.push(lang.pick(
                "ganze Zahlen ohne Trennzeichen",
                "whole numbers without separators",
            ));
        }
        let how = match self.decided {
            Decided::NoSeparators | Decided::FromValues => {
                lang.pick("aus den Werten", "from the values")
            }
            Decided::Chosen => lang.pick("vorgegeben", "as chosen"),
            Decided::LikeOtherColumns => lang.pick(
                "wie die übrigen Zahlenspalten der Datei",
                "like the other number columns of the file",
            ),
        };
        format!("{} ({how})", parts.join(", "))
    }

    /// True when this column shows its decimal mark (a separator read as decimal or thousands),
    /// so it can settle an ambiguous column of the same file.
    pub fn shows_decimal(&self) -> bool {
        self.decimal_shown && self.decided == Decided::FromValues
    }
}

/// A column whose numbers can be read in two ways with different results.
#[derive(Clone, Debug, PartialEq)]
pub struct Ambiguous {
    /// The first such cell: (line, text).
    pub example: Option<(u64, String)>,
    /// The readings of the example in the competing styles.
    pub readings: Vec<(NumberStyle, f64)>,
}

/// Decides the style of a column. `hint` is the decimal mark shown by the file's other number
/// columns (if they agree).
pub fn decide(
    evidence: &ColumnEvidence,
    choice: NumberChoice,
    hint: Option<Decimal>,
) -> Result<ColumnStyle, Ambiguous> {
    let allowed: Vec<usize> = (0..STYLES.len())
        .filter(|&i| choice.allows(STYLES[i]))
        .collect();
    let decided_by = |used: u8| {
        if !choice.is_free() {
            Decided::Chosen
        } else if used == 0 {
            Decided::NoSeparators
        } else {
            Decided::FromValues
        }
    };
    let best = allowed.iter().map(|&i| evidence.fit[i]).max().unwrap_or(0);
    if best == 0 {
        let style = allowed.first().map_or(NumberStyle::GERMAN, |&i| STYLES[i]);
        return Ok(ColumnStyle {
            style,
            decided: decided_by(0),
            used: 0,
            decimal_shown: false,
        });
    }
    let top: Vec<usize> = allowed
        .into_iter()
        .filter(|&i| evidence.fit[i] == best)
        .collect();
    let used = top.iter().fold(0, |acc, &i| acc | evidence.used[i]);
    if let Some(i) = same_reading(&top, used) {
        let decimal_shown =
            used != 0 && top.iter().all(|&j| STYLES[j].decimal == STYLES[i].decimal);
        return Ok(ColumnStyle {
            style: STYLES[i],
            decided: decided_by(used),
            used,
            decimal_shown,
        });
    }
    if let Some(hint) = hint {
        let hinted: Vec<usize> = top
            .iter()
            .copied()
            .filter(|&i| STYLES[i].decimal == hint)
            .collect();
        if let Some(i) = same_reading(&hinted, used) {
            return Ok(ColumnStyle {
                style: STYLES[i],
                decided: Decided::LikeOtherColumns,
                used,
                decimal_shown: false,
            });
        }
    }
    let mut readings: Vec<(NumberStyle, f64)> = Vec::new();
    if let Some((_, text)) = &evidence.example
        && let Lexed::Number { core, .. } = lex(text)
    {
        for &i in &top {
            if let Some(v) = core_value(core, STYLES[i])
                && !readings.iter().any(|(_, r)| *r == v)
            {
                readings.push((STYLES[i], v));
            }
        }
    }
    Err(Ambiguous {
        example: evidence.example.clone(),
        readings,
    })
}

/// The first style of `candidates` when all give the separators in `used` the same roles.
fn same_reading(candidates: &[usize], used: u8) -> Option<usize> {
    let roles = |i: usize| Sep::ALL.map(|s| (used & s.bit() != 0).then(|| STYLES[i].role(s)));
    let first = *candidates.first()?;
    candidates
        .iter()
        .all(|&i| roles(i) == roles(first))
        .then_some(first)
}

/// A cell read in its column's style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellValue {
    /// A number with its flags (`-` gives 0 with no flags; see [`CellValue::Zero`]).
    Number(f64, Flags),
    /// `-`: nothing there, 0.
    Zero,
    /// A sign meaning no value.
    Mark(Mark),
    /// Empty.
    Empty,
    /// Not a number.
    NotANumber,
    /// Number-shaped, but not in the column's style (e.g. `1,5` in a column of `1.234,5`).
    OtherStyle,
}

/// Reads one cell in `style`.
pub fn read_cell(text: &str, style: NumberStyle) -> CellValue {
    match lex(text) {
        Lexed::Empty => CellValue::Empty,
        Lexed::Zero => CellValue::Zero,
        Lexed::Mark(m) => CellValue::Mark(m),
        Lexed::Text => CellValue::NotANumber,
        Lexed::Number {
            negative,
            core,
            flags,
        } => match core_value(core, style) {
            Some(v) if v.is_finite() => CellValue::Number(if negative { -v } else { v }, flags),
            Some(_) => CellValue::NotANumber,
            None => CellValue::OtherStyle,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[&str]) -> ColumnEvidence {
        let mut ev = ColumnEvidence::default();
        for (i, v) in values.iter().enumerate() {
            ev.add(i as u64 + 2, v);
        }
        ev
    }

    #[test]
    fn thousands_points_are_not_decimals() {
        let ev = column(&["621.877", "1.087.863", "12.500"]);
        let style = decide(&ev, NumberChoice::default(), None).unwrap();
        assert_eq!(style.style.decimal, Decimal::Comma);
        assert_eq!(core_value("621.877", style.style), Some(621_877.0));
        assert_eq!(core_value("1.087.863", style.style), Some(1_087_863.0));
        assert_eq!(core_value("12.500", style.style), Some(12_500.0));
    }

    #[test]
    fn only_three_digit_groups_are_ambiguous_unless_settled() {
        let ev = column(&["621.877", "12.500"]);
        let err = decide(&ev, NumberChoice::default(), None).unwrap_err();
        assert_eq!(err.example, Some((2, "621.877".to_owned())));
        assert_eq!(err.readings.len(), 2);
        let settled = decide(&ev, NumberChoice::default(), Some(Decimal::Comma)).unwrap();
        assert_eq!(settled.decided, Decided::LikeOtherColumns);
        let chosen = NumberChoice {
            decimal: Some(Decimal::Point),
            thousands: None,
        };
        let point = decide(&ev, chosen, None).unwrap();
        assert_eq!(core_value("621.877", point.style), Some(621.877));
    }

    #[test]
    fn signs_percent_and_spaces() {
        let g = NumberStyle::GERMAN;
        assert_eq!(
            read_cell("+3,5", g),
            CellValue::Number(3.5, Flags::default())
        );
        assert_eq!(
            read_cell("−3,5", g),
            CellValue::Number(-3.5, Flags::default())
        );
        assert_eq!(
            read_cell("12,5 %", g),
            CellValue::Number(12.5, Flags::PERCENT)
        );
        let space = NumberStyle::new(Decimal::Comma, Thousands::Space);
        assert_eq!(
            read_cell("1\u{a0}234,5", space),
            CellValue::Number(1234.5, Flags::default())
        );
        assert_eq!(
            read_cell("1\u{202f}234", space),
            CellValue::Number(1234.0, Flags::default())
        );
        assert_eq!(
            read_cell("1,5", NumberStyle::ENGLISH),
            CellValue::OtherStyle
        );
        assert_eq!(read_cell("zwölf", g), CellValue::NotANumber);
        assert_eq!(read_cell("1.2.3", g), CellValue::OtherStyle);
    }

    #[test]
    fn statistical_signs() {
        let g = NumberStyle::GERMAN;
        assert_eq!(read_cell("-", g), CellValue::Zero);
        assert_eq!(read_cell("–", g), CellValue::Zero);
        assert_eq!(read_cell(".", g), CellValue::Mark(Mark::Secret));
        assert_eq!(read_cell("x", g), CellValue::Mark(Mark::NotSensible));
        assert_eq!(read_cell("/", g), CellValue::Mark(Mark::NotReliable));
        assert_eq!(read_cell("…", g), CellValue::Mark(Mark::Later));
        assert_eq!(read_cell("...", g), CellValue::Mark(Mark::Later));
        assert_eq!(
            read_cell("(12,5)", g),
            CellValue::Number(12.5, Flags::UNCERTAIN)
        );
        assert_eq!(
            read_cell("123p", g),
            CellValue::Number(123.0, Flags::PROVISIONAL)
        );
        assert_eq!(
            read_cell("1.234 r", g),
            CellValue::Number(1234.0, Flags::REVISED)
        );
        assert_eq!(read_cell("7s", g), CellValue::Number(7.0, Flags::ESTIMATED));
        assert_eq!(read_cell("Kreis", g), CellValue::NotANumber);
    }

    #[test]
    fn mixed_column_takes_the_majority_and_reports_the_rest() {
        let ev = column(&["20,72", "217,41", "3,5", "20.72"]);
        let style = decide(&ev, NumberChoice::default(), None).unwrap();
        assert_eq!(style.style.decimal, Decimal::Comma);
        assert_eq!(
            read_cell("20,72", style.style),
            CellValue::Number(20.72, Flags::default())
        );
        // 20.72 does not fit groups of three: not silently 2072.
        assert_eq!(read_cell("20.72", style.style), CellValue::OtherStyle);
    }
}
