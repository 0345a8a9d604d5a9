//! The Zensus 2011 population grid and the analyses on it: loading (real data, damaged rows),
//! grid coverage, catchments, 2SFCA, and their subcommands.

mod common;

use std::sync::{Arc, OnceLock};

use integrationsatlas::Level;
use integrationsatlas::data::zensus::{PopulationGrid, bundled_grid_path, load_population_grid};

/// The bundled grid, loaded once.
fn grid() -> Arc<PopulationGrid> {
    static GRID: OnceLock<Arc<PopulationGrid>> = OnceLock::new();
    GRID.get_or_init(|| {
        let path = bundled_grid_path(&common::bundled_dir());
        Arc::new(load_population_grid(&path, &common::atlas()).expect("bundled grid loads"))
    })
    .clone()
}

#[test]
fn the_cells_with_their_centre_in_nrw_hold_17_523_493_inhabitants() {
    let grid = grid();
    assert_eq!(grid.einwohner(), 17_523_493);
    assert_eq!(grid.cells.len() + grid.outside_nrw, 37_147);
    assert_eq!(grid.cells.len(), 34_093);
    assert!(grid.warnings.is_empty(), "{:?}", grid.warnings);
    assert!(grid.withheld_cells > 0 && grid.withheld_cells < 7_422);
    assert!(grid.cells.iter().all(|c| !c.withheld || c.einwohner == 0));
    assert!(
        grid.cells
            .iter()
            .filter(|c| c.withheld)
            .all(|c| c.auslaender.is_none() && c.unter18.is_none() && c.ab65.is_none())
    );
}

#[test]
fn every_gemeinde_s_cells_sum_to_nrw() {
    let atlas = common::atlas();
    let grid = grid();
    let gemeinden = atlas.regions(Level::Gemeinde);
    let per_gemeinde = grid.einwohner_per_gemeinde(gemeinden.len());
    assert_eq!(per_gemeinde.iter().sum::<u64>(), 17_523_493);
    // Every Gemeinde has inhabited cells, and each cell's centre lies in its Gemeinde.
    assert!(per_gemeinde.iter().all(|&n| n > 0));
    for cell in grid.cells.iter().step_by(97) {
        let found = atlas.locate(cell.x, cell.y).expect("centre in NRW");
        assert_eq!(found.gemeinde.ags, gemeinden[cell.gemeinde].ags);
    }
    // Köln: 2011 cells near its 2011 census population (1.01 M).
    let koeln = gemeinden
        .iter()
        .position(|g| g.ags.as_str() == "05315000")
        .unwrap();
    assert!((950_000..1_100_000).contains(&per_gemeinde[koeln]));
    // Kreis Olpe: its 7 Gemeinden's cells.
    let olpe: u64 = gemeinden
        .iter()
        .enumerate()
        .filter(|(_, g)| g.ags.as_str().starts_with("05966"))
        .map(|(i, _)| per_gemeinde[i])
        .sum();
    assert!((130_000..145_000).contains(&olpe), "{olpe}");
}

#[test]
fn foreign_residents_are_inhabitants_times_the_share() {
    let grid = grid();
    let known: f64 = grid.cells.iter().filter_map(|c| c.auslaender).sum();
    let unknown: u64 = grid
        .cells
        .iter()
        .filter(|c| c.auslaender.is_none())
        .map(|c| u64::from(c.einwohner))
        .sum();
    // NRW 2011: about 1.8 M foreign nationals (≈ 10 %).
    assert!((1_500_000.0..2_000_000.0).contains(&known), "{known}");
    assert!(unknown > 0 && unknown < 200_000, "{unknown}");
}

fn damaged(row: &str) -> String {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("grid.csv");
    let text = format!(
        "x_mp_3035,y_mp_3035,einwohner,auslaender_pct,unter18_pct,ab65_pct,frauen_pct,alter_mittel\n4100500,3100500,43,0.0,-9.0,12.0,51.0,37.0\n{row}\n"
    );
    std::fs::write(&path, text).unwrap();
    load_population_grid(&path, &common::atlas())
        .unwrap_err()
        .to_string()
        .replace(&temp.path().display().to_string(), "DIR")
}

#[test]
fn a_damaged_row_is_named_by_file_line_and_column() {
    assert_eq!(
        damaged("4101500,3100500,-2,0.0,1.0,12.0,51.0,37.0"),
        "DIR/grid.csv: line 3: column einwohner: \"-2\" is not a count; expected a whole number ≥ 0, or -1 for a withheld count"
    );
    assert_eq!(
        damaged("4101500,3100500,12,abc,1.0,12.0,51.0,37.0"),
        "DIR/grid.csv: line 3: column auslaender_pct: \"abc\" is not a share; expected a percentage 0–100, or -1/-9 for unknown"
    );
    assert_eq!(
        damaged("4101500,,12,1.0,1.0,12.0,51.0,37.0"),
        "DIR/grid.csv: line 3: column y_mp_3035: \"\" is not a coordinate; expected EPSG:3035 metres such as 4063500"
    );
    assert_eq!(
        damaged("4101500,3100500,12"),
        "DIR/grid.csv: line 3: 3 fields where the header has 8; check the separators and quotes"
    );
}

#[test]
fn a_grid_file_without_the_columns_lists_them() {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("grid.csv");
    std::fs::write(&path, "x,y,einwohner\n1,2,3\n").unwrap();
    let err = load_population_grid(&path, &common::atlas())
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1: no column \"x_mp_3035\""), "{err}");
    assert!(err.ends_with("its columns are x, y, einwohner"), "{err}");
    let missing = load_population_grid(&temp.path().join("none.csv"), &common::atlas())
        .unwrap_err()
        .to_string();
    assert!(missing.contains("Zensus 2011 population grid"), "{missing}");
}
