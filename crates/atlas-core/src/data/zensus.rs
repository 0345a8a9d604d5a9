//! The Zensus 2011 population on the 1 km INSPIRE grid (`grid/zensus2011_1km_nrw.csv`).
//!
//! A cell is its centre: read in EPSG:3035 (ETRS89-LAEA), converted to EPSG:25832 with
//! [`crate::geometry::projection`], and assigned to the Gemeinde whose polygon holds the centre
//! (the rule of [`Atlas::locate`]: on a shared border the lowest AGS). Cells in no Gemeinde are
//! outside NRW: they are counted in [`PopulationGrid::outside_nrw`] and take no part.
//!
//! Special values, as the data's README says: `einwohner = -1` is a withheld count (counted as 0
//! inhabitants, flagged [`GridCell::withheld`], counted in [`PopulationGrid::withheld_cells`]);
//! a share of `-1` or `-9` is unknown ([`None`]), never a number. Any other negative value, a
//! share above 100 or a text that is no number is a damaged row: a [`LoadError::BadCsv`] naming
//! the file, the line and the column.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32};
use crate::model::{Atlas, Level};

/// The grid file's path inside a data folder.
pub const GRID_FILE: &str = "grid/zensus2011_1km_nrw.csv";

/// The edge of a grid cell in EPSG:3035 metres.
pub const CELL_EDGE_M: f64 = 1000.0;

/// The grid file of a data folder (`<dir>/grid/zensus2011_1km_nrw.csv`).
pub fn bundled_grid_path(data_dir: &Path) -> PathBuf {
    data_dir.join(GRID_FILE)
}

/// One inhabited 1 km cell whose centre lies in NRW.
#[derive(Clone, Debug, PartialEq)]
pub struct GridCell {
    /// Easting of the cell centre, EPSG:25832 metres.
    pub x: f64,
    /// Northing of the cell centre, EPSG:25832 metres.
    pub y: f64,
    /// Index into `atlas.regions(Level::Gemeinde)` of the Gemeinde holding the centre.
    pub gemeinde: usize,
    /// Inhabitants (Zensus 2011); 0 when withheld.
    pub einwohner: u32,
    /// The count is withheld in the source (`einwohner = -1`, about 2 people).
    pub withheld: bool,
    /// Foreign residents = einwohner × share / 100; `None` when the share is unknown (-1/-9).
    pub auslaender: Option<f64>,
    /// Inhabitants under 18 (einwohner × share / 100), `None` when unknown.
    pub unter18: Option<f64>,
    /// Inhabitants 65 and over (einwohner × share / 100), `None` when unknown.
    pub ab65: Option<f64>,
    /// Column of the cell in the EPSG:3035 km grid: the cell spans `col·1000 … (col+1)·1000` m.
    pub col: i32,
    /// Row of the cell in the EPSG:3035 km grid: the cell spans `row·1000 … (row+1)·1000` m.
    pub row: i32,
}

/// The cells of the grid file with their centre in NRW.
#[derive(Clone, Debug, Default)]
pub struct PopulationGrid {
    /// The cells in NRW, in file order.
    pub cells: Vec<GridCell>,
    /// Cells in NRW whose count is withheld (`einwohner = -1`).
    pub withheld_cells: usize,
    /// Rows of the file whose centre lies in no Gemeinde (outside NRW).
    pub outside_nrw: usize,
    /// The file read.
    pub path: PathBuf,
    /// Problems that did not stop the load (the file differs from the data folder's
    /// `SHA256SUMS`), one line each.
    pub warnings: Vec<String>,
}

impl PopulationGrid {
    /// The inhabitants of all cells (withheld cells count 0).
    pub fn einwohner(&self) -> u64 {
        self.cells.iter().map(|c| u64::from(c.einwohner)).sum()
    }

    /// The inhabitants of the cells of each Gemeinde (positions as in `atlas.regions(Gemeinde)`).
    pub fn einwohner_per_gemeinde(&self, gemeinden: usize) -> Vec<u64> {
        let mut sums = vec![0u64; gemeinden];
        for cell in &self.cells {
            if let Some(sum) = sums.get_mut(cell.gemeinde) {
                *sum += u64::from(cell.einwohner);
            }
        }
        sums
    }

    /// The corners of every cell (as [`PopulationGrid::cell_corners`]), each lattice point
    /// converted once, in parallel.
    pub fn all_corners(&self) -> Vec<[[f64; 2]; 4]> {
        let to_utm = ToUtm32::from(Crs::Epsg3035);
        let mut points: Vec<(i32, i32)> = self
            .cells
            .iter()
            .flat_map(|c| {
                [
                    (c.col, c.row),
                    (c.col + 1, c.row),
                    (c.col + 1, c.row + 1),
                    (c.col, c.row + 1),
                ]
            })
            .collect();
        points.sort_unstable();
        points.dedup();
        let converted: Vec<[f64; 2]> = points
            .par_iter()
            .map(|&(c, r)| lattice_point(&to_utm, c, r))
            .collect();
        let at = |c: i32, r: i32| {
            points
                .binary_search(&(c, r))
                .map_or([f64::NAN, f64::NAN], |i| converted[i])
        };
        self.cells
            .iter()
            .map(|c| {
                [
                    at(c.col, c.row),
                    at(c.col + 1, c.row),
                    at(c.col + 1, c.row + 1),
                    at(c.col, c.row + 1),
                ]
            })
            .collect()
    }

    /// The four corners of a cell's 1 km square in EPSG:25832 (counter-clockwise from the
    /// south-west), converted from its EPSG:3035 corners: the square is slightly turned in UTM.
    pub fn cell_corners(cell: &GridCell) -> [[f64; 2]; 4] {
        let to_utm = ToUtm32::from(Crs::Epsg3035);
        let corner = |c: i32, r: i32| lattice_point(&to_utm, c, r);
        [
            corner(cell.col, cell.row),
            corner(cell.col + 1, cell.row),
            corner(cell.col + 1, cell.row + 1),
            corner(cell.col, cell.row + 1),
        ]
    }
}

/// A corner of the EPSG:3035 km lattice (`col·1000`, `row·1000`) in EPSG:25832 metres.
pub fn lattice_point(to_utm: &ToUtm32, col: i32, row: i32) -> [f64; 2] {
    let (x, y) = to_utm
        .convert(f64::from(col) * CELL_EDGE_M, f64::from(row) * CELL_EDGE_M)
        .unwrap_or((f64::NAN, f64::NAN));
    [x, y]
}

/// The columns read, by their header names.
const COLUMNS: [&str; 6] = [
    "x_mp_3035",
    "y_mp_3035",
    "einwohner",
    "auslaender_pct",
    "unter18_pct",
    "ab65_pct",
];

/// One parsed row, before projection and location.
struct RawRow {
    x3035: f64,
    y3035: f64,
    einwohner: Option<u32>,
    shares: [Option<f64>; 3],
}

/// Reads the grid file and keeps the cells whose centre lies in a Gemeinde of `atlas`.
///
/// ```
/// let dir = atlas_core::data::bundled_data_dir();
/// let atlas = atlas_core::data::load_atlas(&dir)?;
/// let grid = atlas_core::data::zensus::load_population_grid(
///     &atlas_core::data::zensus::bundled_grid_path(&dir),
///     &atlas,
/// )?;
/// assert_eq!(grid.einwohner(), 17_523_493);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_population_grid(path: &Path, atlas: &Atlas) -> Result<PopulationGrid, LoadError> {
    let mut timer = crate::timing::StageTimer::new();
    let bytes = std::fs::read(path).map_err(|e| read_error(path, e))?;
    let warnings = checksum_warnings(path, &bytes);
    timer.stage("grid: read and verify");
    let rows = parse_rows(path, &bytes)?;
    timer.stage("grid: parse");
    let to_utm = ToUtm32::from(Crs::Epsg3035);
    let centres: Vec<Option<(f64, f64)>> = rows
        .par_iter()
        .map(|row| to_utm.convert(row.x3035, row.y3035))
        .collect();
    timer.stage("grid: project");
    // Build the atlas's Gemeinde grid (once per atlas) before the parallel loop, so that its
    // own parallel build is not run by one blocked worker.
    let _ = atlas.locate_gemeinde_fast(0.0, 0.0);
    timer.stage("grid: Gemeinde index");
    let placed: Vec<Option<GridCell>> = rows
        .par_iter()
        .zip(&centres)
        .map(|(row, centre)| place(row, *centre, atlas))
        .collect();
    timer.stage("grid: locate");
    let outside_nrw = placed.iter().filter(|c| c.is_none()).count();
    let cells: Vec<GridCell> = placed.into_iter().flatten().collect();
    let withheld_cells = cells.iter().filter(|c| c.withheld).count();
    let mut warnings = warnings;
    warnings.extend(gemeinden_without_cells(path, atlas, &cells));
    Ok(PopulationGrid {
        cells,
        withheld_cells,
        outside_nrw,
        path: path.to_owned(),
        warnings,
    })
}

/// A warning naming the Gemeinden without any cell (every Gemeinde of NRW has cells in the
/// Zensus grid): a file cut off at a line end, or of another area, would otherwise give smaller
/// figures without a word.
fn gemeinden_without_cells(path: &Path, atlas: &Atlas, cells: &[GridCell]) -> Option<String> {
    let gemeinden = atlas.regions(Level::Gemeinde);
    let mut has_cell = vec![false; gemeinden.len()];
    for cell in cells {
        if let Some(flag) = has_cell.get_mut(cell.gemeinde) {
            *flag = true;
        }
    }
    let missing: Vec<&str> = gemeinden
        .iter()
        .zip(&has_cell)
        .filter(|(_, has)| !**has)
        .map(|(g, _)| g.name.as_str())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let shown: Vec<&str> = missing.iter().take(10).copied().collect();
    Some(format!(
        "{}: {} of {} Gemeinden have no cell ({}{}): the file looks cut off or covers another area; their inhabitants count 0 in every grid figure; restore the bundled file",
        path.display(),
        missing.len(),
        gemeinden.len(),
        shown.join(", "),
        if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    ))
}

/// A warning when the data folder (two levels up) lists the file in `SHA256SUMS` with another
/// digest; nothing when it is not listed or matches.
fn checksum_warnings(path: &Path, bytes: &[u8]) -> Vec<String> {
    let mut warnings = Vec::new();
    let Some(dir) = path.parent().and_then(Path::parent) else {
        return warnings;
    };
    if let Ok(Some(sums)) = crate::data::integrity::Checksums::read(dir, &mut warnings)
        && sums.lists(path)
    {
        warnings.extend(sums.verify(path, bytes));
    }
    warnings
}

/// A missing grid file says where it belongs.
fn read_error(path: &Path, err: std::io::Error) -> LoadError {
    if err.kind() == std::io::ErrorKind::NotFound {
        LoadError::MissingFile {
            path: path.to_owned(),
            what: "Zensus 2011 population grid",
            fix: "copy grid/zensus2011_1km_nrw.csv of the bundled geodata/ into the data folder, or use the bundled data",
        }
    } else {
        LoadError::io(path, err)
    }
}

/// Parses every data row (header checked), with errors naming line and column.
fn parse_rows(path: &Path, bytes: &[u8]) -> Result<Vec<RawRow>, LoadError> {
    let bad = |line: u64, detail: String| LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| bad(1, e.to_string()))?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned()
        })
        .collect();
    let mut position = [0usize; 6];
    for (slot, wanted) in position.iter_mut().zip(COLUMNS) {
        *slot = names.iter().position(|n| n == wanted).ok_or_else(|| {
            bad(
                1,
                format!(
                    "no column {wanted:?}; the grid file needs {}; its columns are {}",
                    COLUMNS.join(", "),
                    names.join(", ")
                ),
            )
        })?;
    }
    let mut records = Vec::with_capacity(bytes.len() / 40);
    loop {
        let line = reader.position().line();
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => records.push(record),
            Err(e) => return Err(bad(csv_error_line(&e, line), csv_error_detail(&e))),
        }
    }
    let parsed: Vec<Result<RawRow, LoadError>> = records
        .par_iter()
        .map(|record| parse_record(record, &position, &bad))
        .collect();
    // The first damaged row in file order is reported.
    let rows: Vec<RawRow> = parsed.into_iter().collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Parses one data record (positions of [`COLUMNS`] in `position`).
fn parse_record(
    record: &csv::ByteRecord,
    position: &[usize; 6],
    bad: &(dyn Fn(u64, String) -> LoadError + Sync),
) -> Result<RawRow, LoadError> {
    let line = record.position().map_or(0, |p| p.line());
    let field = |i: usize| -> Result<&str, LoadError> {
        let raw = record.get(position[i]).unwrap_or_default();
        std::str::from_utf8(raw)
            .map(str::trim)
            .map_err(|_| bad(line, format!("column {}: not UTF-8 text", COLUMNS[i])))
    };
    let coordinate = |i: usize| -> Result<f64, LoadError> {
        let text = field(i)?;
        // Cell centres are whole metres: an integer parse first, a decimal one if need be.
        text.parse::<i64>()
            .map(|v| v as f64)
            .ok()
            .or_else(|| text.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                bad(
                    line,
                    format!(
                        "column {}: {text:?} is not a coordinate; expected EPSG:3035 metres such as 4063500",
                        COLUMNS[i]
                    ),
                )
            })
    };
    let x3035 = coordinate(0)?;
    let y3035 = coordinate(1)?;
    let einwohner = parse_count(field(2)?).map_err(|d| bad(line, d))?;
    let mut shares = [None; 3];
    for (k, share) in shares.iter_mut().enumerate() {
        *share = parse_share(COLUMNS[3 + k], field(3 + k)?).map_err(|d| bad(line, d))?;
    }
    Ok(RawRow {
        x3035,
        y3035,
        einwohner,
        shares,
    })
}

/// The line a csv error happened on (or the line being read).
fn csv_error_line(err: &csv::Error, fallback: u64) -> u64 {
    err.position().map_or(fallback, |p| p.line())
}

/// A csv error's text without its own position (the error names the line).
fn csv_error_detail(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} fields where the header has {expected_len}; check the separators and quotes"
        ),
        _ => err.to_string(),
    }
}

/// `einwohner`: a count ≥ 0, or -1 for withheld (`None`).
fn parse_count(text: &str) -> Result<Option<u32>, String> {
    match text.parse::<i64>() {
        Ok(-1) => Ok(None),
        Ok(n) if n >= 0 => u32::try_from(n)
            .map(Some)
            .map_err(|_| format!("column einwohner: {n} is too large for a 1 km cell")),
        _ => Err(format!(
            "column einwohner: {text:?} is not a count; expected a whole number ≥ 0, or -1 for a withheld count"
        )),
    }
}

/// A share in %: 0–100, or -1/-9 for unknown (`None`).
fn parse_share(column: &str, text: &str) -> Result<Option<f64>, String> {
    match text.parse::<f64>() {
        Ok(v) if v == -1.0 || v == -9.0 => Ok(None),
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v)),
        _ => Err(format!(
            "column {column}: {text:?} is not a share; expected a percentage 0–100, or -1/-9 for unknown"
        )),
    }
}

/// Projects a row's centre and finds its Gemeinde; `None` outside NRW.
#[allow(
    clippy::cast_possible_truncation,
    reason = "grid indices of EPSG:3035 metres / 1000, far inside i32"
)]
fn place(row: &RawRow, centre: Option<(f64, f64)>, atlas: &Atlas) -> Option<GridCell> {
    let (x, y) = centre?;
    let gemeinde = atlas.locate_gemeinde_fast(x, y)?;
    debug_assert_eq!(gemeinde.level, Level::Gemeinde);
    let einwohner = row.einwohner.unwrap_or(0);
    let persons = |share: Option<f64>| {
        share
            .filter(|_| row.einwohner.is_some())
            .map(|pct| f64::from(einwohner) * pct / 100.0)
    };
    Some(GridCell {
        x,
        y,
        gemeinde: gemeinde.index,
        einwohner,
        withheld: row.einwohner.is_none(),
        auslaender: persons(row.shares[0]),
        unter18: persons(row.shares[1]),
        ab65: persons(row.shares[2]),
        col: (row.x3035 / CELL_EDGE_M).floor() as i32,
        row: (row.y3035 / CELL_EDGE_M).floor() as i32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values_are_not_numbers() {
        assert_eq!(parse_count("-1"), Ok(None));
        assert_eq!(parse_count("43"), Ok(Some(43)));
        assert!(parse_count("-2").unwrap_err().contains("\"-2\""));
        assert!(parse_count("4.5").is_err());
        assert_eq!(parse_share("auslaender_pct", "-9.0"), Ok(None));
        assert_eq!(parse_share("auslaender_pct", "-1.0"), Ok(None));
        assert_eq!(parse_share("ab65_pct", "12.5"), Ok(Some(12.5)));
        let err = parse_share("ab65_pct", "-5").unwrap_err();
        assert!(err.starts_with("column ab65_pct: \"-5\""), "{err}");
        assert!(parse_share("ab65_pct", "100.5").is_err());
    }

    #[test]
    fn a_centre_converts_to_utm_like_pyproj() {
        // pyproj 3.7.2: EPSG:3035 → EPSG:25832, always_xy.
        let to_utm = ToUtm32::from(Crs::Epsg3035);
        for ((e, n), (x_ref, y_ref)) in [
            ((4_063_500.0, 3_027_500.0), (313_731.070, 5_575_531.281)),
            ((4_100_000.0, 3_100_000.0), (349_238.676, 5_648_523.491)),
        ] {
            let (x, y) = to_utm.convert(e, n).unwrap();
            assert!((x - x_ref).hypot(y - y_ref) < 0.01, "{x} {y}");
        }
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn share() -> impl Strategy<Value = f64> {
            prop_oneof![
                Just(-1.0),
                Just(-9.0),
                (0u32..=10_000).prop_map(|v| f64::from(v) / 100.0)
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::default())]

            #[test]
            fn rows_read_back_as_written(
                rows in proptest::collection::vec((-1i64..20_000, share(), share(), share()), 1..40)
            ) {
                let mut text = String::from("x_mp_3035,y_mp_3035,einwohner,auslaender_pct,unter18_pct,ab65_pct,frauen_pct,alter_mittel\n");
                for (i, (n, a, u, o)) in rows.iter().enumerate() {
                    text.push_str(&format!("{},3100500,{n},{a},{u},{o},50.0,40.0\n", 4_000_500 + 1000 * i));
                }
                let parsed = parse_rows(Path::new("g.csv"), text.as_bytes()).unwrap();
                prop_assert_eq!(parsed.len(), rows.len());
                for (row, (n, a, u, o)) in parsed.iter().zip(&rows) {
                    prop_assert_eq!(row.einwohner, u32::try_from(*n).ok());
                    for (got, want) in row.shares.iter().zip([a, u, o]) {
                        prop_assert_eq!(*got, (*want >= 0.0).then_some(*want));
                    }
                }
            }

            #[test]
            fn a_damaged_field_names_its_line(field in "[^,\n\r\"]{0,8}", at in 0usize..6, row in 0usize..5) {
                let mut text = String::from("x_mp_3035,y_mp_3035,einwohner,auslaender_pct,unter18_pct,ab65_pct,frauen_pct,alter_mittel\n");
                for i in 0..5 {
                    let mut fields = ["4000500".to_owned(), "3100500".into(), "12".into(), "1.5".into(), "-9.0".into(), "20.0".into(), "50".into(), "40".into()];
                    if i == row {
                        fields[at] = field.clone();
                    }
                    text.push_str(&fields.join(","));
                    text.push('\n');
                }
                match parse_rows(Path::new("g.csv"), text.as_bytes()) {
                    Ok(rows) => prop_assert_eq!(rows.len(), 5),
                    Err(e) => {
                        let message = e.to_string();
                        let expected = format!("g.csv: line {}: column {}", row + 2, COLUMNS[at]);
                        prop_assert!(message.starts_with(&expected), "{}", message);
                    }
                }
            }
        }
    }
}
