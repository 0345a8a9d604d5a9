//! Thematic figures beside the boundaries: Zensus 2022 migration figures per Gemeinde, INKAR
//! foreigners' share per Kreis (also as a series 2015–2022), population 2019/2021 as a series,
//! and the expert report's Tabellen 2 (typology), 6 (institutions per
//! Kreis) and 7 (rurality). Each becomes [`Indicator`]s; a missing file becomes a warning.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::indicators::{Indicator, IndicatorSet, Values, base_indicators};
use crate::data::table::{Findings, Range, check_count, checked};
use crate::error::LoadError;
use crate::i18n::Text;
use crate::model::{Ags, Atlas, Level};

const ZENSUS_SOURCE: &str =
    "Zensus 2022 (Stichtag 15.05.2022), Statistische Ämter des Bundes und der Länder, dl-de/by-2-0";
const INKAR_SOURCE: &str =
    "INKAR, Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR) Bonn, dl-de/by-2-0";
const REPORT_SOURCE: &str = "Gutachten Bogumil/Hafner 2020";

/// Reads every row of a CSV file as `T`, with its line number (see [`crate::data::table`]).
pub use crate::data::table::read_rows;

/// How many rows the report's Tabelle 2 has (47 sites of the KI typology).
pub const TABELLE2_ROWS: usize = 47;

/// Loads one thematic file into `set`; an error makes the file's indicators unavailable.
type Loader = fn(&Atlas, &Path, &mut IndicatorSet) -> Result<(), LoadError>;

/// The thematic files, relative to the data folder, with their loaders.
const THEMATIC_FILES: [(&str, Loader); 7] = [
    ("stats/migration_gemeinden_nrw_zensus2022.csv", zensus),
    ("stats/gemeinden_nrw_2021.csv", population_2021),
    ("stats/migration_kreise_nrw.csv", inkar),
    ("seed/tabelle6_kreise.csv", tabelle6),
    ("seed/tabelle2_typologie.csv", tabelle2),
    ("seed/tabelle7_laendlichkeit.csv", tabelle7),
    ("seed/programmes.csv", programmes),
];

/// All indicators of the atlas: its own (area, population, density) and the thematic files'.
///
/// A thematic file that is missing or damaged (empty, header only, cut off, a needed column
/// renamed, a row that does not parse, a key repeated, far fewer rows than expected) offers none
/// of its indicators and gives one warning naming the file and line; the atlas still loads. In a
/// usable file, a value out of its range (shares 0–100, counts ≥ 0, NaN, infinity) or an empty
/// cell is no data, keys that match no region are not used, and regions without a row have no
/// data — each kind reported as one warning line naming the first lines.
pub fn load_indicators(atlas: &Atlas, dir: &Path) -> Result<IndicatorSet, LoadError> {
    let mut set = IndicatorSet {
        indicators: base_indicators(atlas),
        warnings: Vec::new(),
    };
    for (file, load) in THEMATIC_FILES {
        let path = dir.join(file);
        if !path.is_file() {
            set.warnings.push(format!(
                "{}: not found; its indicators are not offered (copy it from the bundled geodata/)",
                path.display()
            ));
            continue;
        }
        let mut own = IndicatorSet::default();
        match load(atlas, &path, &mut own) {
            Ok(()) => {
                for indicator in own.indicators {
                    set.upsert(indicator);
                }
                set.warnings.extend(own.warnings);
            }
            Err(e) => set
                .warnings
                .push(format!("{e}; its indicators are not offered")),
        }
    }
    Ok(set)
}

fn bad(path: &Path, line: u64, detail: String) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    }
}

/// The plural of a level's regions, for messages.
fn regions_word(level: Level) -> &'static str {
    match level {
        Level::Gemeinde => "Gemeinden",
        Level::Kreis => "Kreise",
        Level::Bezirk => "Regierungsbezirke",
        Level::Land => "Länder",
    }
}

/// Joins each row's key to a region of `level`: the region's index per row, `None` where the
/// key matches none. A key that repeats an earlier row's is an error naming both lines.
fn join<R>(
    atlas: &Atlas,
    level: Level,
    path: &Path,
    rows: &[(u64, R)],
    key: impl Fn(&R) -> &str,
) -> Result<Vec<Option<usize>>, LoadError> {
    let positions = positions(atlas, level);
    let mut first_line: HashMap<String, u64> = HashMap::new();
    rows.iter()
        .map(|(line, row)| {
            let text = key(row).trim();
            let ags = Ags::parse(text);
            let normalized = ags.as_ref().map_or(text.to_owned(), |a| a.to_string());
            if let Some(first) = first_line.insert(normalized.clone(), *line) {
                return Err(bad(
                    path,
                    *line,
                    format!(
                        "key {normalized} repeats the row of line {first}; keep one row per key"
                    ),
                ));
            }
            Ok(ags.and_then(|a| positions.get(&a).copied()))
        })
        .collect()
}

/// The rows whose key matched no region (`joined` from [`join`]): their line and description.
fn unjoined_rows<R>(
    rows: &[(u64, R)],
    joined: &[Option<usize>],
    describe: impl Fn(&R) -> String,
) -> Vec<(u64, String)> {
    rows.iter()
        .zip(joined)
        .filter(|(_, index)| index.is_none())
        .map(|((line, row), _)| (*line, describe(row)))
        .collect()
}

/// Warns of the rows whose key matched no region (from [`unjoined_rows`]).
fn unjoined_warning(path: &Path, level: Level, unjoined: &[(u64, String)]) -> Option<String> {
    let mut findings = Findings::new(format!(
        "keys match no {} of the boundaries (rows not used)",
        level.key()
    ));
    for (line, described) in unjoined {
        findings.push(format!("line {line}: {described}"));
    }
    findings.line(path)
}

/// Checks that every region of `level` passing `wanted` has a row (`covered`): far fewer rows is
/// an error (the file looks cut off), a few missing a warning naming them.
fn coverage_warning(
    atlas: &Atlas,
    level: Level,
    path: &Path,
    covered: &[bool],
    wanted: impl Fn(&crate::Region) -> bool,
) -> Result<Option<String>, LoadError> {
    let regions = atlas.regions(level);
    let expected: Vec<usize> = (0..regions.len())
        .filter(|&i| wanted(&regions[i]))
        .collect();
    let missing: Vec<usize> = expected.iter().copied().filter(|&i| !covered[i]).collect();
    let word = regions_word(level);
    check_count(
        path,
        expected.len() - missing.len(),
        expected.len(),
        &format!("{word} have a row"),
    )?;
    let mut findings = Findings::new(format!(
        "of {} {word} have no row (shown as no data)",
        expected.len()
    ));
    for i in missing {
        findings.push(format!("{} {}", regions[i].ags, regions[i].name));
    }
    Ok(findings.line(path))
}

/// Out-of-range values and empty cells of one file.
struct ValueChecks {
    out_of_range: Findings,
    empty: Findings,
}

impl ValueChecks {
    fn new() -> ValueChecks {
        ValueChecks {
            out_of_range: Findings::new("values out of range (read as no data)"),
            empty: Findings::new("empty cells (no data)"),
        }
    }

    /// `value` if admissible, else no data with a finding.
    fn check(&mut self, value: Option<f64>, range: Range, line: u64, column: &str) -> Option<f64> {
        checked(
            value,
            range,
            line,
            column,
            &mut self.out_of_range,
            &mut self.empty,
        )
    }

    /// The warning lines.
    fn lines(&self, path: &Path) -> impl Iterator<Item = String> {
        [self.out_of_range.line(path), self.empty.line(path)]
            .into_iter()
            .flatten()
    }
}

/// Position of each region of a level by AGS.
fn positions(atlas: &Atlas, level: Level) -> HashMap<&Ags, usize> {
    atlas
        .regions(level)
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.ags, i))
        .collect()
}

/// Keys of a file that match no region of `level`, as a sentence for a note.
fn unjoined_note(file: &Path, unjoined: &[(u64, String)]) -> Option<Text> {
    if unjoined.is_empty() {
        return None;
    }
    let list = |line_word: &str| {
        unjoined
            .iter()
            .map(|(line, what)| format!("{line_word} {line}: {what}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(Text::new(
        format!("nicht zugeordnet ({name}): {}", list("Zeile")),
        format!("not joined ({name}): {}", list("line")),
    ))
}

#[derive(serde::Deserialize)]
struct ZensusRow {
    ags: String,
    pop_zensus2022: f64,
    auslaenderanteil_pct_zensus2022: Option<f64>,
    migrationshintergrund_pct_zensus2022: Option<f64>,
}

fn zensus(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, ZensusRow)> = read_rows(path)?;
    let joined = join(atlas, Level::Gemeinde, path, &rows, |r| &r.ags)?;
    let n = atlas.regions(Level::Gemeinde).len();
    let (mut migration, mut foreign, mut weight) = (vec![None; n], vec![None; n], vec![0.0; n]);
    let mut covered = vec![false; n];
    let mut checks = ValueChecks::new();
    for ((line, row), index) in rows.iter().zip(&joined) {
        let Some(i) = *index else { continue };
        covered[i] = true;
        let line = *line;
        let pop = checks.check(
            Some(row.pop_zensus2022),
            Range::Count,
            line,
            "pop_zensus2022",
        );
        let m = checks.check(
            row.migrationshintergrund_pct_zensus2022,
            Range::Share,
            line,
            "migrationshintergrund_pct_zensus2022",
        );
        let f = checks.check(
            row.auslaenderanteil_pct_zensus2022,
            Range::Share,
            line,
            "auslaenderanteil_pct_zensus2022",
        );
        // Without a usable population the shares cannot be weighted: the row is no data.
        if let Some(pop) = pop {
            migration[i] = m;
            foreign[i] = f;
            weight[i] = pop;
        }
    }
    let unjoined = unjoined_rows(&rows, &joined, |r| format!("AGS {}", r.ags));
    set.warnings.extend(
        [
            unjoined_warning(path, Level::Gemeinde, &unjoined),
            coverage_warning(atlas, Level::Gemeinde, path, &covered, |_| true)?,
        ]
        .into_iter()
        .flatten()
        .chain(checks.lines(path)),
    );
    let note = |level: Level| {
        let base = Text::new(
            "Zensus-2022-Konzept, nicht Mikrozensus; Gemeindewerte auf 0,1 % gerundet",
            "Census 2022 concept, not Mikrozensus; municipal values rounded to 0.1 %",
        );
        let kreis = (level == Level::Kreis).then(|| {
            Text::new(
                "Kreiswert = bevölkerungsgewichtetes Mittel der Gemeinden (±0,05 Prozentpunkte)",
                "district value = population-weighted mean of the municipalities (±0.05 percentage points)",
            )
        });
        base.and(kreis).and(unjoined_note(path, &unjoined))
    };
    let specs = [
        (
            "migration_background_pct",
            "Anteil mit Migrationshintergrund (Zensus 2022)",
            "Share with migration background (Census 2022)",
            &migration,
        ),
        (
            "foreign_share_pct",
            "Ausländeranteil (Zensus 2022)",
            "Share of foreign nationals (Census 2022)",
            &foreign,
        ),
    ];
    for (key, de, en, values) in specs {
        for level in [Level::Gemeinde, Level::Kreis] {
            let values = match level {
                Level::Gemeinde => values.clone(),
                _ => weighted_means_by_kreis(atlas, values, &weight),
            };
            set.upsert(
                Indicator::define(
                    key,
                    Text::new(de, en),
                    "%",
                    format!("{ZENSUS_SOURCE}; über GERDA (Heddesheimer et al. 2025)"),
                )
                .note(Some(note(level)))
                .decimals(1)
                .values(level, Values::Numeric(values)),
            );
        }
    }
    Ok(())
}

/// Population-weighted mean of Gemeinde values per Kreis; `None` where a Gemeinde lacks a value.
pub fn weighted_means_by_kreis(
    atlas: &Atlas,
    values: &[Option<f64>],
    weights: &[f64],
) -> Vec<Option<f64>> {
    let kreise = positions(atlas, Level::Kreis);
    let mut sums: Vec<Option<(f64, f64)>> =
        vec![Some((0.0, 0.0)); atlas.regions(Level::Kreis).len()];
    for (i, gemeinde) in atlas.regions(Level::Gemeinde).iter().enumerate() {
        let Some(k) = gemeinde
            .parent
            .as_ref()
            .and_then(|p| kreise.get(p).copied())
        else {
            continue;
        };
        sums[k] = match (sums[k], values[i]) {
            (Some((sum, w)), Some(v)) => Some((sum + v * weights[i], w + weights[i])),
            _ => None,
        };
    }
    sums.into_iter()
        .map(|s| s.filter(|&(_, w)| w > 0.0).map(|(sum, w)| sum / w))
        .collect()
}

#[derive(serde::Deserialize)]
struct Population2021Row {
    ags: String,
    pop_total_2021: f64,
}

/// Population 31.12.2019 (the atlas's) and 31.12.2021 (this file) as one time series per
/// Gemeinde and per Kreis (the sum of its Gemeinden; no data where one of them lacks a value).
fn population_2021(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, Population2021Row)> = read_rows(path)?;
    let joined = join(atlas, Level::Gemeinde, path, &rows, |r| &r.ags)?;
    let gemeinden = atlas.regions(Level::Gemeinde);
    let mut y2021 = vec![None; gemeinden.len()];
    let mut covered = vec![false; gemeinden.len()];
    let mut checks = ValueChecks::new();
    for ((line, row), index) in rows.iter().zip(&joined) {
        let Some(i) = *index else { continue };
        covered[i] = true;
        y2021[i] = checks.check(
            Some(row.pop_total_2021),
            Range::WholeCount,
            *line,
            "pop_total_2021",
        );
    }
    set.warnings.extend(
        [
            unjoined_warning(
                path,
                Level::Gemeinde,
                &unjoined_rows(&rows, &joined, |r| format!("AGS {}", r.ags)),
            ),
            coverage_warning(atlas, Level::Gemeinde, path, &covered, |_| true)?,
        ]
        .into_iter()
        .flatten()
        .chain(checks.lines(path)),
    );
    let y2019: Vec<Option<f64>> = gemeinden
        .iter()
        .map(|g| Some(g.population as f64))
        .collect();
    let kreis_sum = |values: &[Option<f64>]| -> Vec<Option<f64>> {
        let kreise = positions(atlas, Level::Kreis);
        let mut sums: Vec<Option<f64>> = vec![Some(0.0); kreise.len()];
        for (g, value) in gemeinden.iter().zip(values) {
            if let Some(k) = g.parent.as_ref().and_then(|p| kreise.get(p).copied()) {
                sums[k] = match (sums[k], value) {
                    (Some(sum), Some(v)) => Some(sum + v),
                    _ => None,
                };
            }
        }
        sums
    };
    let attribution = Text::new(
        "Einwohner 31.12.2021: Statistisches Bundesamt (Destatis), dl-de/by-2-0",
        "Population 31 Dec 2021: Federal Statistical Office (Destatis), dl-de/by-2-0",
    );
    for level in [Level::Gemeinde, Level::Kreis] {
        let (a, b) = match level {
            Level::Gemeinde => (y2019.clone(), y2021.clone()),
            _ => (kreis_sum(&y2019), kreis_sum(&y2021)),
        };
        let note = (level == Level::Kreis).then(|| {
            Text::new(
                "Kreiswert = Summe der Gemeinden",
                "district value = sum of its municipalities",
            )
        });
        set.upsert(
            Indicator::define(
                "population_series",
                Text::new("Einwohner (31.12.)", "Population (31 Dec)"),
                "",
                "Statistisches Bundesamt (Destatis), GV-ISys: Bevölkerung 31.12.2019 und 31.12.2021, dl-de/by-2-0",
            )
            .note(note)
            .attribution(attribution.clone())
            .series(
                level,
                crate::analysis::indicators::Series {
                    years: vec!["2019".to_owned(), "2021".to_owned()],
                    values: vec![a, b],
                },
            ),
        );
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct InkarRow {
    ags5: String,
    auslaenderanteil_pct_2015_inkar: Option<f64>,
    auslaenderanteil_pct_2016_inkar: Option<f64>,
    auslaenderanteil_pct_2017_inkar: Option<f64>,
    auslaenderanteil_pct_2018_inkar: Option<f64>,
    auslaenderanteil_pct_2019_inkar: Option<f64>,
    auslaenderanteil_pct_2020_inkar: Option<f64>,
    auslaenderanteil_pct_2021_inkar: Option<f64>,
    auslaenderanteil_pct_2022_inkar: Option<f64>,
}

impl InkarRow {
    /// The shares of the years 2015–2022 with their columns.
    fn years(&self) -> [(u16, Option<f64>, &'static str); 8] {
        [
            (
                2015,
                self.auslaenderanteil_pct_2015_inkar,
                "auslaenderanteil_pct_2015_inkar",
            ),
            (
                2016,
                self.auslaenderanteil_pct_2016_inkar,
                "auslaenderanteil_pct_2016_inkar",
            ),
            (
                2017,
                self.auslaenderanteil_pct_2017_inkar,
                "auslaenderanteil_pct_2017_inkar",
            ),
            (
                2018,
                self.auslaenderanteil_pct_2018_inkar,
                "auslaenderanteil_pct_2018_inkar",
            ),
            (
                2019,
                self.auslaenderanteil_pct_2019_inkar,
                "auslaenderanteil_pct_2019_inkar",
            ),
            (
                2020,
                self.auslaenderanteil_pct_2020_inkar,
                "auslaenderanteil_pct_2020_inkar",
            ),
            (
                2021,
                self.auslaenderanteil_pct_2021_inkar,
                "auslaenderanteil_pct_2021_inkar",
            ),
            (
                2022,
                self.auslaenderanteil_pct_2022_inkar,
                "auslaenderanteil_pct_2022_inkar",
            ),
        ]
    }
}

fn inkar(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, InkarRow)> = read_rows(path)?;
    let joined = join(atlas, Level::Kreis, path, &rows, |r| &r.ags5)?;
    let n = atlas.regions(Level::Kreis).len();
    let mut by_year = vec![vec![None; n]; 8];
    let mut covered = vec![false; n];
    let mut checks = ValueChecks::new();
    for ((line, row), index) in rows.iter().zip(&joined) {
        let Some(i) = *index else { continue };
        covered[i] = true;
        for (y, (_, value, column)) in row.years().into_iter().enumerate() {
            by_year[y][i] = checks.check(value, Range::Share, *line, column);
        }
    }
    let (y2019, y2022) = (by_year[4].clone(), by_year[7].clone());
    let unjoined = unjoined_rows(&rows, &joined, |r| format!("AGS {}", r.ags5));
    set.warnings.extend(
        [
            unjoined_warning(path, Level::Kreis, &unjoined),
            coverage_warning(atlas, Level::Kreis, path, &covered, |_| true)?,
        ]
        .into_iter()
        .flatten()
        .chain(checks.lines(path)),
    );
    let note = Text::new(
        "Staatsangehörigkeit (nicht Migrationshintergrund)",
        "citizenship (not migration background)",
    )
    .and(unjoined_note(path, &unjoined));
    // The same figures as one time series (the window's year slider, `--year`).
    set.upsert(
        Indicator::define(
            "foreign_share_inkar",
            Text::new(
                "Ausländeranteil (INKAR)",
                "Share of foreign nationals (INKAR)",
            ),
            "%",
            INKAR_SOURCE,
        )
        .note(Some(note.clone()))
        .decimals(2)
        .attribution(crate::attribution::inkar(None))
        .series(
            Level::Kreis,
            crate::analysis::indicators::Series {
                years: (2015..=2022).map(|y: u16| y.to_string()).collect(),
                values: by_year,
            },
        ),
    );
    for (year, values) in [(2019, y2019), (2022, y2022)] {
        set.upsert(
            Indicator::define(
                format!("foreign_share_inkar_{year}"),
                Text::new(
                    format!("Ausländeranteil {year} (INKAR)"),
                    format!("Share of foreign nationals {year} (INKAR)"),
                ),
                "%",
                INKAR_SOURCE,
            )
            .note(Some(note.clone()))
            .decimals(1)
            .values(Level::Kreis, Values::Numeric(values)),
        );
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct Tabelle6Row {
    ags_kreis_external: String,
    kreis_canonical: String,
    abh: f64,
    jugendaemter: f64,
    ia: f64,
    jmd: f64,
    mbe: f64,
    jc_geschaeftsstellen: f64,
    row_type: String,
}

/// The institution types counted per Kreis in Tabelle 6: key, German and English label.
pub const TABELLE6_TYPES: [(&str, &str, &str); 6] = [
    ("abh", "Ausländerbehörden", "Foreigners' authorities"),
    ("ja", "Jugendämter", "Youth welfare offices"),
    ("ia", "Integrationsagenturen", "Integration agencies"),
    ("jmd", "Jugendmigrationsdienste", "Youth migration services"),
    (
        "mbe",
        "Migrationsberatung für Erwachsene",
        "Migration counselling for adults",
    ),
    (
        "jc_gs",
        "Jobcenter-Geschäftsstellen",
        "Jobcentre branch offices",
    ),
];

/// The `row_type` of Tabelle 6's rows per Kreis and of its computed total.
const TABELLE6_ROW_TYPES: [&str; 2] = ["kreis", "total_computed"];

fn tabelle6(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, Tabelle6Row)> = read_rows(path)?;
    if let Some((line, row)) = rows
        .iter()
        .find(|(_, r)| !TABELLE6_ROW_TYPES.contains(&r.row_type.as_str()))
    {
        return Err(bad(
            path,
            *line,
            format!(
                "row_type {:?} is none of {}",
                row.row_type,
                TABELLE6_ROW_TYPES.join(", ")
            ),
        ));
    }
    let rows: Vec<(u64, Tabelle6Row)> = rows
        .into_iter()
        .filter(|(_, r)| r.row_type == "kreis")
        .collect();
    let joined = join(atlas, Level::Kreis, path, &rows, |r| &r.ags_kreis_external)?;
    let regions = atlas.regions(Level::Kreis);
    let mut counts = vec![vec![None; regions.len()]; TABELLE6_TYPES.len()];
    let mut covered = vec![false; regions.len()];
    let mut checks = ValueChecks::new();
    let mut unjoined = Vec::new();
    for ((line, row), index) in rows.iter().zip(&joined) {
        let Some(i) = *index else {
            unjoined.push((
                *line,
                format!("{} ({})", row.kreis_canonical, row.ags_kreis_external),
            ));
            continue;
        };
        covered[i] = true;
        let values = [
            ("abh", row.abh),
            ("jugendaemter", row.jugendaemter),
            ("ia", row.ia),
            ("jmd", row.jmd),
            ("mbe", row.mbe),
            ("jc_geschaeftsstellen", row.jc_geschaeftsstellen),
        ];
        for (t, (column, v)) in values.into_iter().enumerate() {
            counts[t][i] = checks.check(Some(v), Range::WholeCount, *line, column);
        }
    }
    set.warnings.extend(
        [
            unjoined_warning(path, Level::Kreis, &unjoined),
            coverage_warning(atlas, Level::Kreis, path, &covered, |k| !k.kreisfrei)?,
        ]
        .into_iter()
        .flatten()
        .chain(checks.lines(path)),
    );
    let note = Text::new(
        "nur Kreise; kreisfreie Städte sind in Tabelle 6 nicht aufgeführt (ohne Angabe)",
        "districts only; Table 6 does not list the district-free cities (no data)",
    )
    .and(unjoined_note(path, &unjoined));
    for ((key, de, en), values) in TABELLE6_TYPES.into_iter().zip(counts) {
        let per_100k = values
            .iter()
            .zip(regions)
            .map(|(v, r)| {
                v.filter(|_| r.population > 0)
                    .map(|v| v * 100_000.0 / r.population as f64)
            })
            .collect();
        let source = format!("{REPORT_SOURCE}, Tabelle 6 (Kap. 3.2.6)");
        set.upsert(
            Indicator::define(
                format!("count_{key}"),
                Text::new(format!("{de} (Anzahl)"), format!("{en} (count)")),
                "",
                source.clone(),
            )
            .note(Some(note.clone()))
            .values(Level::Kreis, Values::Numeric(values)),
        );
        set.upsert(
            Indicator::define(
                format!("{key}_per_100k"),
                Text::new(
                    format!("{de} je 100.000 EW"),
                    format!("{en} per 100,000 inhabitants"),
                ),
                "",
                format!("{source}; Einwohner 31.12.2019: Destatis, dl-de/by-2-0"),
            )
            .note(Some(note.clone()))
            .decimals(2)
            .values(Level::Kreis, Values::Numeric(per_100k)),
        );
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct Tabelle2Row {
    typ: usize,
    merkmale: String,
    standort_canonical: String,
    ags_external: String,
}

fn tabelle2(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, Tabelle2Row)> = read_rows(path)?;
    let joined = join(atlas, Level::Kreis, path, &rows, |r| &r.ags_external)?;
    let mut codes = vec![None; atlas.regions(Level::Kreis).len()];
    let mut categories: Vec<String> = Vec::new();
    let mut unjoined = Vec::new();
    let mut unknown =
        Findings::new("keys match no Kreis or Gemeinde of the boundaries (rows not used)");
    for ((line, row), index) in rows.iter().zip(&joined) {
        let line = *line;
        if row.typ == 0 || row.typ > 9 {
            return Err(bad(
                path,
                line,
                format!("typ {} is not a type from 1 to 9", row.typ),
            ));
        }
        while categories.len() < row.typ {
            categories.push(format!("Typ {}", categories.len() + 1));
        }
        let short = row
            .merkmale
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .trim_end_matches('.');
        categories[row.typ - 1] = format!("Typ {}: {short}", row.typ);
        match index {
            Some(i) => codes[*i] = Some(row.typ - 1),
            None => {
                let described = format!(
                    "{} ({}, Typ {})",
                    row.standort_canonical, row.ags_external, row.typ
                );
                if Ags::parse(&row.ags_external).is_some_and(|a| atlas.get(&a).is_some()) {
                    unjoined.push((line, described));
                } else {
                    unknown.push(format!("line {line}: {described}"));
                }
            }
        }
    }
    let shortfall = check_count(
        path,
        rows.len(),
        TABELLE2_ROWS,
        "rows of the report's Tabelle 2",
    )?
    .map(|m| format!("{}: {m} (missing sites have no data)", path.display()));
    set.warnings
        .extend([unknown.line(path), shortfall].into_iter().flatten());
    let not_at_kreis_level = unjoined_note(path, &unjoined).map(|extra| {
        Text::new(
            format!("{} (Gemeinde, auf Kreisebene nicht darstellbar)", extra.de),
            format!(
                "{} (municipality, cannot be shown at district level)",
                extra.en
            ),
        )
    });
    let note = Text::new(
        "Typologie nach Ulusoy et al. (2016), Stand 2013/14; nicht enthaltene Kreise ohne Angabe",
        "typology after Ulusoy et al. (2016), as of 2013/14; districts not listed have no data",
    )
    .and(not_at_kreis_level);
    set.upsert(
        Indicator::define(
            "typology",
            Text::new(
                "KI-Standorttypologie (Tabelle 2)",
                "KI site typology (Table 2)",
            ),
            "",
            format!("{REPORT_SOURCE}, Tabelle 2 (nach Ulusoy et al. 2016)"),
        )
        .note(Some(note))
        .values(Level::Kreis, Values::Categorical { codes, categories }),
    );
    Ok(())
}

#[derive(serde::Deserialize)]
struct Tabelle7Row {
    laendlichkeit_thuenen: String,
    kreis_canonical: String,
    ags_kreis_external: String,
}

/// The rurality classes of Tabelle 7, in legend order.
pub const RURALITY_CLASSES: [&str; 3] = ["nicht-ländlich", "eher ländlich", "sehr ländlich"];

fn tabelle7(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, Tabelle7Row)> = read_rows(path)?;
    let joined = join(atlas, Level::Kreis, path, &rows, |r| &r.ags_kreis_external)?;
    let n = atlas.regions(Level::Kreis).len();
    let mut codes = vec![None; n];
    let mut covered = vec![false; n];
    let mut unjoined = Vec::new();
    for ((line, row), index) in rows.iter().zip(&joined) {
        let class = RURALITY_CLASSES
            .iter()
            .position(|c| *c == row.laendlichkeit_thuenen)
            .ok_or_else(|| {
                bad(
                    path,
                    *line,
                    format!(
                        "laendlichkeit_thuenen {:?} is none of {}",
                        row.laendlichkeit_thuenen,
                        RURALITY_CLASSES.join(", ")
                    ),
                )
            })?;
        match index {
            Some(i) => {
                codes[*i] = Some(class);
                covered[*i] = true;
            }
            None => unjoined.push((
                *line,
                format!("{} ({})", row.kreis_canonical, row.ags_kreis_external),
            )),
        }
    }
    set.warnings.extend(
        [
            unjoined_warning(path, Level::Kreis, &unjoined),
            coverage_warning(atlas, Level::Kreis, path, &covered, |k| !k.kreisfrei)?,
        ]
        .into_iter()
        .flatten(),
    );
    let note = Text::new(
        "nur Kreise; kreisfreie Städte ohne Angabe",
        "districts only; district-free cities have no data",
    )
    .and(unjoined_note(path, &unjoined));
    set.upsert(
        Indicator::define(
            "rurality",
            Text::new(
                "Ländlichkeit (Thünen, Tabelle 7)",
                "Rurality (Thünen, Table 7)",
            ),
            "",
            format!("{REPORT_SOURCE}, Tabelle 7 (Thünen-Landatlas)"),
        )
        .note(Some(note))
        .values(
            Level::Kreis,
            Values::Categorical {
                codes,
                categories: RURALITY_CLASSES.iter().map(|c| c.to_string()).collect(),
            },
        ),
    );
    Ok(())
}

#[derive(serde::Deserialize)]
struct ProgrammeRow {
    programme: String,
    period: String,
    kommune_canonical: String,
    kommune_type: String,
    parent_kreis: String,
    count_stated_in_text: String,
    source_line: String,
}

/// The programmes with complete member lists in the report: (key, programme, period prefix, labels).
const PROGRAMMES: [(&str, &str, &str, &str, &str); 3] = [
    (
        "prog_einwanderung_gestalten",
        "Einwanderung gestalten NRW",
        "",
        "Einwanderung gestalten NRW (2017/18–2020)",
        "Einwanderung gestalten NRW (2017/18–2020)",
    ),
    (
        "prog_suedosteuropa_2017",
        "Zuwanderung aus Südosteuropa",
        "Phase 1",
        "Zuwanderung aus Südosteuropa 2017–2019",
        "Immigration from South-East Europe 2017–2019",
    ),
    (
        "prog_suedosteuropa_2020",
        "Zuwanderung aus Südosteuropa",
        "Phase 2",
        "Zuwanderung aus Südosteuropa ab 2020",
        "Immigration from South-East Europe from 2020",
    ),
];

/// The region a programme row names: a Kreis by its name, a city by its Gemeinde name.
fn programme_member(atlas: &Atlas, row: &ProgrammeRow) -> Option<Ags> {
    let wanted = crate::analysis::search::fold_plain(&row.kommune_canonical);
    match row.kommune_type.as_str() {
        "kreis" => atlas
            .regions(Level::Kreis)
            .iter()
            .find(|k| crate::analysis::search::fold_plain(&k.display_name()) == wanted)
            .map(|k| k.ags.clone()),
        _ => {
            let parent = (!row.parent_kreis.is_empty())
                .then(|| crate::analysis::search::fold_plain(&row.parent_kreis));
            atlas
                .regions(Level::Gemeinde)
                .iter()
                .filter(|g| crate::analysis::search::fold_plain(&g.name) == wanted)
                .find(|g| {
                    let kreis = g.parent.as_ref().and_then(|p| atlas.get(p));
                    match (&parent, kreis) {
                        (Some(parent), Some(kreis)) => {
                            crate::analysis::search::fold_plain(&kreis.display_name()) == *parent
                        }
                        (None, _) => g.kreisfrei,
                        _ => false,
                    }
                })
                .map(|g| g.ags.clone())
        }
    }
}

/// The members of a programme as regions, or why the list cannot be trusted: a member that
/// matches no Kommune, a member listed twice, or a count other than the report's.
fn programme_members(
    atlas: &Atlas,
    path: &Path,
    members: &[&(u64, ProgrammeRow)],
) -> Result<Vec<Ags>, String> {
    let mut found: Vec<(Ags, u64)> = Vec::new();
    let mut unknown = Findings::new("members match no Kommune");
    for (line, row) in members {
        match programme_member(atlas, row) {
            Some(ags) => {
                if let Some((_, first)) = found.iter().find(|(a, _)| *a == ags) {
                    return Err(format!(
                        "line {line}: {} repeats the member of line {first}",
                        row.kommune_canonical
                    ));
                }
                found.push((ags, *line));
            }
            None => unknown.push(format!("line {line}: {:?}", row.kommune_canonical)),
        }
    }
    if let Some(line) = unknown.line(path) {
        return Err(line);
    }
    let stated: Vec<&str> = members
        .iter()
        .map(|(_, r)| r.count_stated_in_text.trim())
        .collect();
    let count = stated.first().and_then(|c| c.parse::<usize>().ok());
    if count != Some(members.len()) || stated.iter().any(|c| Some(*c) != stated.first().copied()) {
        return Err(format!(
            "{} members listed where count_stated_in_text says {:?}; the list is incomplete or the count damaged",
            members.len(),
            stated.first().copied().unwrap_or_default()
        ));
    }
    Ok(found.into_iter().map(|(a, _)| a).collect())
}

fn programmes(atlas: &Atlas, path: &Path, set: &mut IndicatorSet) -> Result<(), LoadError> {
    let rows: Vec<(u64, ProgrammeRow)> = read_rows(path)?;
    for (key, programme, phase, de, en) in PROGRAMMES {
        let members: Vec<&(u64, ProgrammeRow)> = rows
            .iter()
            .filter(|(_, r)| r.programme == programme && r.period.starts_with(phase))
            .collect();
        let member_ags = match programme_members(atlas, path, &members) {
            Ok(found) => found,
            Err(why) => {
                set.warnings.push(format!(
                    "{}: programme {en}: {why}; this programme is not offered",
                    path.display()
                ));
                continue;
            }
        };
        let lines: Vec<&str> = members
            .iter()
            .map(|(_, r)| r.source_line.as_str())
            .collect();
        let note = Text::new(
            format!(
                "{} Teilnehmende laut Gutachten; Liste vollständig, übrige nicht beteiligt",
                members.len()
            ),
            format!(
                "{} participants according to the report; the list is complete, all others did not take part",
                members.len()
            ),
        );
        let source = format!(
            "{REPORT_SOURCE}, Kap. 3.3 (Z. {})",
            lines.first().copied().unwrap_or_default()
        );
        let definition = Indicator::define(
            key,
            Text::new(format!("Programm: {de}"), format!("Programme: {en}")),
            "",
            source,
        )
        .note(Some(note));
        let kreis_of = |ags: &Ags| {
            if ags.level() == Level::Gemeinde {
                ags.parent()
            } else {
                Some(ags.clone())
            }
        };
        for level in [Level::Gemeinde, Level::Kreis] {
            let categories = match level {
                Level::Gemeinde => vec![
                    "selbst beteiligt",
                    "über den Kreis beteiligt",
                    "nicht beteiligt",
                ],
                _ => vec![
                    "Kreis / kreisfreie Stadt beteiligt",
                    "kreisangehörige Stadt beteiligt",
                    "nicht beteiligt",
                ],
            };
            let codes = atlas
                .regions(level)
                .iter()
                .map(|region| {
                    let direct = member_ags.iter().any(|m| {
                        *m == region.ags
                            || (level == Level::Kreis
                                && region.kreisfrei
                                && m.parent().as_ref() == Some(&region.ags))
                    });
                    let indirect = member_ags.iter().any(|m| match level {
                        Level::Gemeinde => region.parent.as_ref() == Some(m),
                        _ => {
                            m.level() == Level::Gemeinde
                                && kreis_of(m).as_ref() == Some(&region.ags)
                        }
                    });
                    Some(if direct {
                        0
                    } else if indirect {
                        1
                    } else {
                        2
                    })
                })
                .collect();
            set.upsert(definition.clone().values(
                level,
                Values::Categorical {
                    codes,
                    categories: categories.into_iter().map(str::to_owned).collect(),
                },
            ));
        }
    }
    Ok(())
}
