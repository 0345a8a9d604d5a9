//! INKAR indicators (BBSR Bonn) of the 396 Gemeinden and 53 Kreise: the catalogue
//! `inkar/inkar_indikatoren.csv` (one row per indicator and level, with INKAR's name, theme,
//! description, formula, statistical basis and edition) and the long tables
//! `inkar/inkar_nrw_gemeinden.csv` / `inkar/inkar_nrw_kreise.csv` (`ags, indicator, year, value`).
//!
//! Each (indicator, level) becomes an [`Indicator`] with its values per year ([`Series`]); year
//! labels are kept as text (`2016/2017/2018`), a region without a row for a year has no data.
//! A damaged file (a repeated `(ags, indicator, year)`, a value that is not a number, a row of an
//! indicator the catalogue does not describe at that level) is an error naming the file and line:
//! its level's indicators are not offered, the rest of the atlas loads. Keys that match no region
//! of the level are not used and reported as one warning.
#![allow(
    clippy::cast_possible_truncation,
    reason = "line numbers of the INKAR files fit in u32"
)]

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::indicators::{About, Indicator, IndicatorSet, Series};
use crate::attribution;
use crate::data::table::Findings;
use crate::error::LoadError;
use crate::i18n::Text;
use crate::model::{Atlas, Level};

/// The catalogue of the indicators, relative to the data folder.
pub const CATALOG_FILE: &str = "inkar/inkar_indikatoren.csv";
/// The values of the Gemeinden.
pub const GEMEINDEN_FILE: &str = "inkar/inkar_nrw_gemeinden.csv";
/// The values of the Kreise.
pub const KREISE_FILE: &str = "inkar/inkar_nrw_kreise.csv";

/// Most decimals shown for an INKAR value (the files have at most 2).
const MAX_DECIMALS: usize = 3;

/// One row of the catalogue.
#[derive(Clone, Debug, serde::Deserialize)]
struct CatalogRow {
    indicator: String,
    kurzname: String,
    name: String,
    bereich: String,
    algorithmus: String,
    anmerkungen: String,
    statistische_grundlagen: String,
    edition: String,
    level: String,
}

/// An indicator of the catalogue at one level, while its values are read.
struct Pending {
    row: CatalogRow,
    years: Vec<String>,
    values: Vec<Vec<Option<f64>>>,
    lines: Vec<Vec<u32>>,
    decimals: usize,
}

/// Adds the INKAR indicators to `set`. A missing INKAR folder or a damaged file becomes a warning
/// (its indicators are not offered); the other indicators stay.
pub fn add_inkar(atlas: &Atlas, dir: &Path, set: &mut IndicatorSet) {
    match load_inkar(atlas, dir) {
        Ok(loaded) => {
            for indicator in loaded.indicators {
                set.upsert(indicator);
            }
            set.warnings.extend(loaded.warnings);
        }
        Err(e) => set
            .warnings
            .push(format!("{e}; the INKAR indicators are not offered")),
    }
}

/// What [`load_inkar`] read: the indicators and the warnings.
#[derive(Clone, Debug, Default)]
pub struct InkarLoad {
    /// One indicator per (indicator, level), in catalogue order.
    pub indicators: Vec<Indicator>,
    /// Files or keys that could not be used.
    pub warnings: Vec<String>,
}

/// Reads the catalogue and both value files. A missing catalogue is an error; a value file that
/// is missing or damaged is a warning (that level offers no INKAR indicators).
pub fn load_inkar(atlas: &Atlas, dir: &Path) -> Result<InkarLoad, LoadError> {
    let catalog_path = dir.join(CATALOG_FILE);
    if !catalog_path.is_file() {
        return Err(LoadError::MissingFile {
            path: catalog_path,
            what: "INKAR catalogue",
            fix: "copy the folder inkar/ from the bundled geodata/ into the data folder",
        });
    }
    let catalog = read_catalog(&catalog_path)?;
    let levels = [
        (GEMEINDEN_FILE, Level::Gemeinde),
        (KREISE_FILE, Level::Kreis),
    ];
    // The two files are independent: read them on two threads.
    let results: Vec<Result<LevelIndicators, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = levels
            .iter()
            .map(|&(file, level)| {
                let rows: Vec<CatalogRow> = catalog
                    .iter()
                    .filter(|(_, l, _)| *l == level)
                    .map(|(_, _, r)| r.clone())
                    .collect();
                let path = dir.join(file);
                scope.spawn(move || level_file(atlas, level, &path, rows))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the INKAR reader stopped unexpectedly".to_owned()))
            })
            .collect()
    });
    let mut out = InkarLoad::default();
    for result in results {
        match result {
            Ok((indicators, warning)) => {
                out.indicators.extend(indicators);
                out.warnings.extend(warning);
            }
            Err(warning) => out.warnings.push(warning),
        }
    }
    Ok(out)
}

/// The indicators of one level's value file, with the warning about keys that did not join.
type LevelIndicators = (Vec<Indicator>, Option<String>);

/// One level's value file: its indicators and warning, or the warning that it is not used.
fn level_file(
    atlas: &Atlas,
    level: Level,
    path: &Path,
    rows: Vec<CatalogRow>,
) -> Result<LevelIndicators, String> {
    if !path.is_file() {
        return Err(format!(
            "{}: not found; the INKAR indicators of the {} are not offered (copy it from the bundled geodata/)",
            path.display(),
            level_word(level)
        ));
    }
    read_values(atlas, level, path, rows)
        .map_err(|e| format!("{e}; the INKAR indicators of this file are not offered"))
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Gemeinde => "Gemeinden",
        _ => "Kreise",
    }
}

fn bad(path: &Path, line: u64, detail: String) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    }
}

fn csv_problem(path: &Path, e: &csv::Error) -> LoadError {
    let line = e.position().map_or(0, |p| p.line());
    bad(path, line, format!("{e}"))
}

/// The catalogue rows with their line and level; a repeated (indicator, level) or an unknown
/// level is an error naming the line.
fn read_catalog(path: &Path) -> Result<Vec<(u64, Level, CatalogRow)>, LoadError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_problem(path, &e))?;
    let headers = reader.headers().map_err(|e| csv_problem(path, &e))?.clone();
    let mut seen: HashMap<(String, Level), u64> = HashMap::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_problem(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let row: CatalogRow = record
            .deserialize(Some(&headers))
            .map_err(|e| bad(path, line, format!("{e}")))?;
        rows.push((line, row));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let level = match row.level.trim() {
            "Gemeinden" => Level::Gemeinde,
            "Kreise" => Level::Kreis,
            other => {
                return Err(bad(
                    path,
                    line,
                    format!("level {other:?} is neither Gemeinden nor Kreise"),
                ));
            }
        };
        if let Some(first) = seen.insert((row.indicator.clone(), level), line) {
            return Err(bad(
                path,
                line,
                format!(
                    "indicator {} at level {} repeats the row of line {first}; keep one row per indicator and level",
                    row.indicator, row.level
                ),
            ));
        }
        out.push((line, level, row));
    }
    if out.is_empty() {
        return Err(bad(path, 1, "no indicators below the header".to_owned()));
    }
    Ok(out)
}

/// The column positions of the value files.
struct Columns {
    ags: usize,
    indicator: usize,
    year: usize,
    value: usize,
}

fn columns(path: &Path, headers: &csv::ByteRecord) -> Result<Columns, LoadError> {
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| {
                bad(
                    path,
                    1,
                    format!(
                        "column {name:?} is missing; the header must be ags,indicator,year,value"
                    ),
                )
            })
    };
    Ok(Columns {
        ags: find("ags")?,
        indicator: find("indicator")?,
        year: find("year")?,
        value: find("value")?,
    })
}

/// Reads one value file into the catalogue's indicators of `level`.
fn read_values(
    atlas: &Atlas,
    level: Level,
    path: &Path,
    catalog: Vec<CatalogRow>,
) -> Result<LevelIndicators, LoadError> {
    let regions = atlas.regions(level);
    let positions: FxHashMap<&[u8], usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.ags.as_str().as_bytes(), i))
        .collect();
    let slots: HashMap<String, usize> = catalog
        .iter()
        .enumerate()
        .map(|(i, r)| (r.indicator.clone(), i))
        .collect();
    let mut pending: Vec<Pending> = catalog
        .into_iter()
        .map(|row| Pending {
            row,
            years: Vec::new(),
            values: Vec::new(),
            lines: Vec::new(),
            decimals: 0,
        })
        .collect();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_problem(path, &e))?
        .clone();
    let cols = columns(path, &headers)?;
    let mut unknown = Findings::new(format!(
        "keys match no {} of the boundaries (rows not used)",
        level.key()
    ));
    let mut record = csv::ByteRecord::new();
    let mut last: Option<(Vec<u8>, usize)> = None;
    let mut rows = 0usize;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_problem(path, &e))?
    {
        rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        let text = |i: usize| -> Result<&str, LoadError> {
            let bytes = record.get(i).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map_err(|_| bad(path, line, "a field is not UTF-8 text".to_owned()))
        };
        let indicator = record.get(cols.indicator).unwrap_or_default();
        let slot = match &last {
            Some((name, slot)) if name.as_slice() == indicator => *slot,
            _ => {
                let name = text(cols.indicator)?;
                let slot = *slots.get(name).ok_or_else(|| {
                    bad(
                        path,
                        line,
                        format!(
                            "indicator {name:?} is not described at level {} in {CATALOG_FILE}; add its row there or remove its rows",
                            level_word(level)
                        ),
                    )
                })?;
                last = Some((indicator.to_vec(), slot));
                slot
            }
        };
        let ags = record.get(cols.ags).unwrap_or_default().trim_ascii();
        let Some(&region) = positions.get(ags) else {
            unknown.push(format!("line {line}: AGS {}", text(cols.ags)?.trim()));
            continue;
        };
        let year_bytes = record.get(cols.year).unwrap_or_default().trim_ascii();
        let raw = text(cols.value)?.trim();
        let value = parse_value(raw).ok_or_else(|| {
            bad(
                path,
                line,
                format!("value {raw:?} is not a number (use . as the decimal mark, leave it empty for no data)"),
            )
        })?;
        let entry = &mut pending[slot];
        let y = match entry.years.iter().position(|y| y.as_bytes() == year_bytes) {
            Some(y) => y,
            None => {
                let year = text(cols.year)?.trim();
                entry.years.push(year.to_owned());
                entry.values.push(vec![None; regions.len()]);
                entry.lines.push(vec![0; regions.len()]);
                entry.years.len() - 1
            }
        };
        let first = entry.lines[y][region];
        if first != 0 {
            return Err(bad(
                path,
                line,
                format!(
                    "AGS {}, indicator {}, year {} repeats the row of line {first}; keep one row per AGS, indicator and year",
                    String::from_utf8_lossy(ags),
                    entry.row.indicator,
                    entry.years[y]
                ),
            ));
        }
        entry.lines[y][region] = line as u32;
        entry.values[y][region] = value;
        if let Some(dot) = raw.find('.') {
            entry.decimals = entry.decimals.max((raw.len() - dot - 1).min(MAX_DECIMALS));
        }
    }
    if rows == 0 {
        return Err(bad(path, 1, "no rows below the header".to_owned()));
    }
    let indicators = pending
        .into_iter()
        .filter(|p| !p.years.is_empty())
        .map(|p| finish(p, level))
        .collect();
    Ok((indicators, unknown.line(path)))
}

/// A value: a finite number, or no data for an empty cell; `None` for text that is no number.
fn parse_value(raw: &str) -> Option<Option<f64>> {
    if raw.is_empty() {
        return Some(None);
    }
    raw.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some)
}

/// Sorts the years (by their first year, spans after the single year they start with) and
/// builds the indicator.
fn finish(pending: Pending, level: Level) -> Indicator {
    let Pending {
        row,
        years,
        values,
        decimals,
        ..
    } = pending;
    let mut order: Vec<usize> = (0..years.len()).collect();
    order.sort_by(|&a, &b| year_key(&years[a]).cmp(&year_key(&years[b])));
    let series = Series {
        years: order.iter().map(|&i| years[i].clone()).collect(),
        values: order.iter().map(|&i| values[i].clone()).collect(),
    };
    let unit = unit_of(&row.name);
    let about = About {
        short_name: row.kurzname.trim().to_owned(),
        theme: row.bereich.trim().to_owned(),
        description: row.anmerkungen.trim().to_owned(),
        formula: row.algorithmus.trim().to_owned(),
        basis: row.statistische_grundlagen.trim().to_owned(),
        edition: row.edition.trim().to_owned(),
    };
    let source = format!(
        "{}, BBSR Bonn; {}; dl-de/by-2-0",
        about.edition,
        about.basis.replace(['\n', '\r'], " ")
    );
    let label = Text::new(about.short_name.clone(), about.short_name.clone());
    let note = Text::new(row.name.trim(), row.name.trim());
    Indicator::define(row.indicator.trim(), label, unit, source)
        .note(Some(note))
        .decimals(decimals)
        .attribution(attribution::inkar(Some(&about.edition)))
        .about(Arc::new(about))
        .series(level, series)
}

/// Sort key of a year label: its first four-digit year, then the label (a span after the year
/// it starts with).
fn year_key(label: &str) -> (u32, usize, String) {
    let first: u32 = label
        .split(|c: char| !c.is_ascii_digit())
        .find(|p| p.len() == 4)
        .and_then(|p| p.parse().ok())
        .unwrap_or(u32::MAX);
    (first, label.len(), label.to_owned())
}

/// The unit as INKAR's long name states it: "… in %" → `%`, "… in Minuten" → `Minuten`,
/// "… in € je Bedarfsgemeinschaft" → `€ je Bedarfsgemeinschaft`, "… je 1.000 Einwohner" →
/// `je 1.000 Einwohner`; empty where the name states none (see the description).
pub fn unit_of(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.ends_with(" in %") {
        return "%".to_owned();
    }
    if name.contains(" in Minuten") {
        return "Minuten".to_owned();
    }
    if let Some(at) = name.find(" in €") {
        return name[at + 4..].trim().to_owned();
    }
    if let Some(at) = name.rfind(" je ") {
        return name[at + 1..].trim().to_owned();
    }
    String::new()
}

/// The path of a value file of `level` in `dir`, for messages.
pub fn values_path(dir: &Path, level: Level) -> PathBuf {
    dir.join(match level {
        Level::Gemeinde => GEMEINDEN_FILE,
        _ => KREISE_FILE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_from_the_name() {
        assert_eq!(
            unit_of("Anteil der Ausländer an den Studierenden in %"),
            "%"
        );
        assert_eq!(
            unit_of("Durchschn. Pkw-Fahrzeit zum nächsten Oberzentrum in Minuten"),
            "Minuten"
        );
        assert_eq!(
            unit_of(
                "Durchschnittliche monatliche Höhe von SGBII-Leistungen in € je Bedarfsgemeinschaft"
            ),
            "€ je Bedarfsgemeinschaft"
        );
        assert_eq!(
            unit_of("Empfänger von Regelleistungen nach dem Asylbewerbergesetz je 1.000 Einwohner"),
            "je 1.000 Einwohner"
        );
        assert_eq!(
            unit_of("Einwohnergewichtete Luftliniendistanz zur nächsten Apotheke"),
            ""
        );
    }

    #[test]
    fn spans_sort_after_the_year_they_start_with() {
        let mut years = vec!["2017", "2016/2017/2018", "2016", "1995"];
        years.sort_by_key(|y| year_key(y));
        assert_eq!(years, vec!["1995", "2016", "2016/2017/2018", "2017"]);
    }

    #[test]
    fn values_are_numbers_or_empty() {
        assert_eq!(parse_value("12.5"), Some(Some(12.5)));
        assert_eq!(parse_value("-0.43"), Some(Some(-0.43)));
        assert_eq!(parse_value(""), Some(None));
        assert_eq!(parse_value("1,5"), None);
        assert_eq!(parse_value("NaN"), None);
        assert_eq!(parse_value("inf"), None);
    }
}
