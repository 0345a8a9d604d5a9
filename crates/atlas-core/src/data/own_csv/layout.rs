//! Where the table is in a file: official exports (GENESIS, Landesdatenbank NRW,
//! Regionalstatistik) put title and metadata lines before the header and footnotes after the data.
//!
//! The header is the first record when it has at least two fields; below metadata lines it is
//! the first record with at least two fields whose next record has as many (in a sheet: the first
//! row with two filled cells). If its first field is empty
//! (`;;Stichtag`), records right below it whose first field is empty
//! are further header rows (`;;31.12.2022`). The data run until a footnote (`__________`,
//! `Stand: …`, `© IT.NRW`): a record with another field count whose first field is no key and
//! begins like a note (a letter, `_`, `©`, `*`, `(` or `1)`). A data
//! record with another field count, or a data-looking record after the footnotes, is an error.

use csv::StringRecord;

use super::keys::looks_like_key;

/// What was found, as indices into the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The header rows (first..last, inclusive).
    pub header: (usize, usize),
    /// The data records (indices), blank records left out.
    pub data: Vec<usize>,
    /// The first footnote record, if any.
    pub footer: Option<usize>,
    /// Records in the data part with no filled field.
    pub blank: usize,
    /// The number of columns.
    pub width: usize,
}

/// A problem at a record (index) with its description.
pub type LayoutError = (usize, String);

fn filled(rec: &StringRecord) -> usize {
    rec.iter().filter(|f| !f.is_empty()).count()
}

/// The field count; in a sheet, up to the last filled cell.
fn count(rec: &StringRecord, sheet: bool) -> usize {
    if sheet {
        (0..rec.len())
            .rev()
            .find(|&i| !rec[i].is_empty())
            .map_or(0, |p| p + 1)
    } else {
        rec.len()
    }
}

/// True when a key is followed by another filled field, i.e. the record looks like data.
fn looks_like_data(rec: &StringRecord) -> bool {
    let mut fields = rec.iter().skip_while(|f| !looks_like_key(f));
    fields.next().is_some() && fields.any(|f| !f.is_empty())
}

fn is_footnote(rec: &StringRecord, width: usize, sheet: bool) -> bool {
    let first = rec.get(0).unwrap_or_default();
    let odd = if sheet {
        filled(rec) <= 1
    } else {
        rec.len() != width
    };
    (odd && !looks_like_key(first) && opens_note(first))
        || first.starts_with("__")
        || first.starts_with('©')
}

/// True when a text can begin a footnote: a letter, `_`, `©`, `*`, `(`, or a note number `1)`.
fn opens_note(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text.chars().next() {
        Some(c) if c.is_alphabetic() || matches!(c, '_' | '©' | '*' | '(') => true,
        Some(_) => digits > 0 && text[digits..].starts_with(')'),
        None => false,
    }
}

/// Finds header, data and footnotes in `records` (trimmed). `delimiter` only shapes messages.
pub fn locate(records: &[StringRecord], sheet: bool, delimiter: u8) -> Result<Layout, LayoutError> {
    let wide = |i: usize| count(&records[i], sheet) >= 2;
    let first = (0..records.len()).find(|&i| wide(i));
    let top = match first {
        Some(0) => Some(0),
        _ if sheet => first,
        _ => (0..records.len()).find(|&i| {
            wide(i)
                && records
                    .get(i + 1)
                    .is_none_or(|next| next.len() == records[i].len())
        }),
    };
    let Some(top) = top else {
        return Err((
            0,
            "no header row with at least two columns; put the column names in one line, separated by ; or , (e.g. AGS;Wert)".to_owned(),
        ));
    };
    let mut width = count(&records[top], sheet);
    let mut end = top;
    let stacked = records[top].get(0).is_none_or(str::is_empty);
    while let Some(next) = records.get(end + 1).filter(|_| stacked) {
        let sub = next.get(0).is_none_or(str::is_empty) && filled(next) > 0;
        let fits = if sheet {
            count(next, true) >= 2
        } else {
            next.len() == width
        };
        if !(sub && fits) {
            break;
        }
        end += 1;
        width = width.max(count(next, sheet));
    }
    let mut layout = Layout {
        header: (top, end),
        data: Vec::new(),
        footer: None,
        blank: 0,
        width,
    };
    for (i, rec) in records.iter().enumerate().skip(end + 1) {
        if filled(rec) == 0 {
            layout.blank += 1;
            continue;
        }
        if is_footnote(rec, width, sheet) {
            layout.footer = Some(i);
            break;
        }
        let n = count(rec, sheet);
        if n != width && !(sheet && n < width) {
            let quote = if delimiter == b',' {
                "; a decimal comma in a comma-separated file must be quoted (\"20,72\") or the file saved with ; between fields"
            } else {
                ""
            };
            return Err((
                i,
                format!(
                    "{n} fields where the header has {width}; check the separators and quotes{quote}"
                ),
            ));
        }
        layout.data.push(i);
    }
    if let Some(footer) = layout.footer
        && let Some(late) = (footer..records.len()).find(|&i| looks_like_data(&records[i]))
    {
        return Err((
            late,
            format!(
                "looks like a data row but comes after the end of the table (record {} was read as the start of the footnotes); remove or repair the lines in between",
                footer + 1
            ),
        ));
    }
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(rows: &[&[&str]]) -> Vec<StringRecord> {
        rows.iter()
            .map(|r| StringRecord::from(r.to_vec()))
            .collect()
    }

    #[test]
    fn genesis_shape() {
        let r = recs(&[
            &["Tabelle: 12411-01i"],
            &["Bevölkerungsstand"],
            &["", "", "Stichtag"],
            &["", "", "31.12.2022"],
            &["05111", "Düsseldorf, krfr. Stadt", "629047"],
            &["05112", "Duisburg, krfr. Stadt", "502211"],
            &["__________"],
            &["Stand: 15.04.2024"],
            &["© IT.NRW, Düsseldorf, 2024"],
        ]);
        let l = locate(&r, false, b';').unwrap();
        assert_eq!(l.header, (2, 3));
        assert_eq!(l.data, vec![4, 5]);
        assert_eq!(l.footer, Some(6));
    }

    #[test]
    fn wrong_field_count_is_an_error() {
        let r = recs(&[&["AGS", "Quote"], &["05111", "20", "72"], &["05112", "3"]]);
        let (at, why) = locate(&r, false, b',').unwrap_err();
        assert_eq!(at, 1);
        assert!(why.contains("3 fields where the header has 2"), "{why}");
    }

    #[test]
    fn data_after_footnotes_is_an_error() {
        let r = recs(&[
            &["AGS", "Quote"],
            &["05111", "20"],
            &["", "05112", "3"],
            &["05113", "4"],
        ]);
        assert_eq!(locate(&r, false, b';').unwrap_err().0, 2);
    }
}
