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
    let corners = grid.all_corners();
    for i in [0, 100, 34_092] {
        assert_eq!(corners[i], PopulationGrid::cell_corners(&grid.cells[i]));
        // The 1 km square in UTM: edges of 1 km ± 0.1 %.
        let [a, b, ..] = corners[i];
        assert!(((b[0] - a[0]).hypot(b[1] - a[1]) - 1000.0).abs() < 1.0);
    }
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
fn a_grid_cut_off_at_a_line_end_says_which_gemeinden_have_no_cell() {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("grid.csv");
    let full = std::fs::read_to_string(bundled_grid_path(&common::bundled_dir())).unwrap();
    let cut: String = full
        .lines()
        .take(15_000)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, cut).unwrap();
    let grid = load_population_grid(&path, &common::atlas()).unwrap();
    assert!(grid.einwohner() < 17_523_493);
    let warning = grid
        .warnings
        .iter()
        .find(|w| w.contains("Gemeinden have no cell"))
        .expect("a warning on the missing Gemeinden");
    assert!(warning.contains("of 396 Gemeinden"), "{warning}");
    assert!(warning.contains("looks cut off"), "{warning}");
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

mod analyses {
    use super::*;
    use integrationsatlas::analysis::access::{AccessSpec, Decay, access_by_area, two_step};
    use integrationsatlas::analysis::catchments::{catchments, outlines};
    use integrationsatlas::analysis::grid_coverage::{coverage_by_area, nearest_sites};
    use integrationsatlas::sites::{SiteSet, SiteType};

    fn registry() -> SiteSet {
        integrationsatlas::sites::registry::load_registry_for(
            &common::atlas(),
            &common::bundled_dir(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn raising_s_never_raises_the_population_beyond() {
        let (atlas, grid, sites) = (common::atlas(), grid(), registry());
        let distances = nearest_sites(&grid, &sites, &SiteType::Abh).unwrap();
        let mut previous: Option<Vec<u64>> = None;
        for s in [1.0, 5.0, 10.0, 14.999, 15.0, 20.0, 30.0, 60.0] {
            let rows = coverage_by_area(&atlas, &grid, &distances, Level::Gemeinde, s).unwrap();
            let beyond: Vec<u64> = rows.iter().map(|r| r.einwohner_beyond).collect();
            if let Some(before) = &previous {
                assert!(
                    beyond.iter().zip(before).all(|(now, b)| now <= b),
                    "S = {s}"
                );
            }
            previous = Some(beyond);
        }
        assert!(
            previous.unwrap().iter().all(|&b| b == 0),
            "nobody lives 60 km from an ABH"
        );
    }

    #[test]
    fn the_levels_add_up_and_nrw_has_its_figures() {
        let (atlas, grid, sites) = (common::atlas(), grid(), registry());
        let distances = nearest_sites(&grid, &sites, &SiteType::Abh).unwrap();
        let land = coverage_by_area(&atlas, &grid, &distances, Level::Land, 15.0).unwrap();
        let kreise = coverage_by_area(&atlas, &grid, &distances, Level::Kreis, 15.0).unwrap();
        let gemeinden = coverage_by_area(&atlas, &grid, &distances, Level::Gemeinde, 15.0).unwrap();
        let nrw = &land[0];
        assert_eq!(nrw.einwohner, 17_523_493);
        // Cross-checked with pyproj + shapely + scipy's cKDTree (tests/crosscheck/).
        assert_eq!(nrw.einwohner_beyond, 1_576_514);
        assert_eq!(nrw.auslaender.round(), 1_598_369.0);
        assert_eq!(nrw.auslaender_beyond.round(), 79_064.0);
        assert_eq!(nrw.auslaender_unknown_einwohner, 39_967);
        assert_eq!(nrw.withheld_cells, 6_334);
        assert_eq!(
            kreise.iter().map(|k| k.einwohner_beyond).sum::<u64>(),
            nrw.einwohner_beyond
        );
        assert_eq!(
            gemeinden.iter().map(|g| g.einwohner_beyond).sum::<u64>(),
            nrw.einwohner_beyond
        );
        // Hochsauerlandkreis: large Gemeinden, many inhabitants far from the ABH.
        let hsk = kreise.iter().find(|k| k.ags.as_str() == "05958").unwrap();
        assert!(
            hsk.einwohner_beyond > 0 && hsk.p90_km.unwrap() > 15.0,
            "{hsk:?}"
        );
        let koeln = kreise.iter().find(|k| k.ags.as_str() == "05315").unwrap();
        assert_eq!(koeln.einwohner_beyond, 0);
        assert!(koeln.mean_km.unwrap() < koeln.p90_km.unwrap());
        assert!(coverage_by_area(&atlas, &grid, &distances, Level::Kreis, 0.0).is_err());
    }

    #[test]
    fn catchments_share_out_every_inhabitant_and_have_closed_outlines() {
        let (grid, sites) = (grid(), registry());
        let distances = nearest_sites(&grid, &sites, &SiteType::Abh).unwrap();
        let list = catchments(&grid, &distances, &sites);
        assert_eq!(list.len(), 81);
        assert_eq!(list.iter().map(|c| c.einwohner).sum::<u64>(), 17_523_493);
        assert_eq!(list[0].site_id, "ABH-05315", "Köln serves the most");
        assert!(list.windows(2).all(|w| w[0].einwohner >= w[1].einwohner));
        let mut group = vec![None; grid.cells.len()];
        for (g, c) in list.iter().enumerate() {
            for &i in &c.cells {
                group[i] = Some(g);
            }
        }
        let rings = outlines(&grid, &group, list.len());
        assert_eq!(rings.len(), 81);
        for (c, rings) in list.iter().zip(&rings) {
            assert_eq!(rings.is_empty(), c.cells.is_empty(), "{}", c.site_id);
            assert!(
                rings
                    .iter()
                    .all(|r| r.len() >= 4 && r.iter().all(|p| p[0].is_finite()))
            );
        }
    }

    #[test]
    fn two_step_hands_out_every_capacity_once() {
        let (atlas, grid, sites) = (common::atlas(), grid(), registry());
        for decay in [Decay::None, Decay::Gaussian { sigma_km: 7.5 }] {
            for (site_type, d0) in [
                (SiteType::Abh, 15.0),
                (SiteType::Ki, 10.0),
                (SiteType::Ja, 5.0),
            ] {
                let spec = AccessSpec {
                    site_type: site_type.clone(),
                    catchment_km: d0,
                    decay,
                };
                let capacity = |s: &integrationsatlas::sites::Site| {
                    if s.id.ends_with('1') { 3.0 } else { 1.0 }
                };
                let result = two_step(&grid, &sites, &spec, &capacity).unwrap();
                let handed_out: f64 = result
                    .per_cell
                    .iter()
                    .zip(&grid.cells)
                    .map(|(a, c)| a * f64::from(c.einwohner))
                    .sum();
                let capacity_served: f64 = result
                    .sites
                    .iter()
                    .filter(|s| s.ratio.is_some())
                    .map(|s| s.capacity)
                    .sum();
                assert!(
                    (handed_out - capacity_served).abs() < 1e-9 * capacity_served,
                    "{site_type} {decay:?}: {handed_out} vs {capacity_served}"
                );
                // The Land's weighted value is then the capacity served per 100,000 inhabitants.
                let land = access_by_area(&atlas, &grid, &result, Level::Land);
                let expected = capacity_served / 17_523_493.0 * 100_000.0;
                assert!((land[0].value.unwrap() - expected).abs() < 1e-9);
            }
        }
        let bad = AccessSpec {
            site_type: SiteType::Abh,
            catchment_km: -1.0,
            decay: Decay::None,
        };
        assert!(two_step(&grid, &sites, &bad, &|_| 1.0).is_err());
    }
}

mod cli {
    use std::process::Command;

    use super::common;

    fn run(args: &[&str]) -> (i32, String, String) {
        let out = Command::new(common::bin()).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[test]
    fn the_commands_print_the_documented_columns() {
        let (code, out, err) = run(&[
            "grid-coverage",
            "--type",
            "ABH",
            "--threshold-km",
            "15",
            "--level",
            "land",
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out,
            "ags,name,einwohner,einwohner_beyond,einwohner_beyond_pct,auslaender,auslaender_beyond,auslaender_unknown_einwohner,unter18_beyond,ab65_beyond,mean_km,p90_km,withheld_cells\n05,Nordrhein-Westfalen,17523493,1576514,9.0,1598369,79064,39967,294947,301994,6.964,14.355,6334\n"
        );
        assert!(
            err.contains("© Statistische Ämter des Bundes und der Länder, Zensus 2011"),
            "{err}"
        );
        let (code, out, _) = run(&["catchments", "--type", "ABH"]);
        assert_eq!(code, 0);
        assert!(
            out.starts_with(
                "site_id,name,einwohner,auslaender,max_km\nABH-05315,Ausländerbehörde Köln,"
            ),
            "{out}"
        );
        assert_eq!(out.lines().count(), 82);
        let (code, out, _) = run(&[
            "access",
            "--type",
            "ABH",
            "--catchment-km",
            "15",
            "--level",
            "land",
        ]);
        assert_eq!(code, 0);
        assert_eq!(out, "ags,name,value\n05,Nordrhein-Westfalen,0.4622\n");
        let (code, out, _) = run(&[
            "access",
            "--type",
            "ABH",
            "--catchment-km",
            "15",
            "--decay",
            "gaussian",
            "--level",
            "gemeinde",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0);
        let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 396);
    }

    #[test]
    fn bad_input_gets_one_clear_message_and_exit_2() {
        for (args, wanted) in [
            (
                vec![
                    "grid-coverage",
                    "--type",
                    "ABH",
                    "--threshold-km",
                    "0",
                    "--level",
                    "kreis",
                ],
                "--threshold-km 0 is not a positive number of kilometres",
            ),
            (
                vec![
                    "grid-coverage",
                    "--type",
                    "XYZ",
                    "--threshold-km",
                    "15",
                    "--level",
                    "kreis",
                ],
                "unknown site type \"XYZ\"",
            ),
            (
                vec![
                    "grid-coverage",
                    "--type",
                    "ABH",
                    "--threshold-km",
                    "15",
                    "--level",
                    "county",
                ],
                "invalid value 'county' for '--level <LEVEL>'",
            ),
            (
                vec![
                    "access",
                    "--type",
                    "ABH",
                    "--catchment-km",
                    "-3",
                    "--level",
                    "kreis",
                ],
                "--catchment-km -3 is not a positive number of kilometres",
            ),
            (
                vec!["catchments", "--type", "IA"],
                "unknown site type \"IA\"",
            ),
        ] {
            let (code, out, err) = run(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(out.is_empty());
            assert!(err.contains(wanted), "{args:?}: {err}");
        }
    }

    #[test]
    fn a_capacity_column_must_be_numeric() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("beratung.csv");
        std::fs::write(
            &file,
            "name;type;ags;personal\nBeratung Olpe;BER;05966024;3,5\nBeratung Attendorn;BER;05966004;viele\n",
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let (code, _, err) = run(&[
            "access",
            "--type",
            "BER",
            "--import",
            path,
            "--capacity-column",
            "personal",
            "--catchment-km",
            "15",
            "--level",
            "kreis",
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!("--capacity-column personal: {path}: line 3: column personal: \"viele\" is not a number")),
            "{err}"
        );
        std::fs::write(
            &file,
            "name;type;ags;personal\nBeratung Olpe;BER;05966024;3,5\nBeratung Attendorn;BER;05966004;1\n",
        )
        .unwrap();
        let (code, out, err) = run(&[
            "access",
            "--type",
            "BER",
            "--import",
            path,
            "--capacity-column",
            "personal",
            "--catchment-km",
            "15",
            "--level",
            "kreis",
        ]);
        assert_eq!(code, 0, "{err}");
        let olpe = out.lines().find(|l| l.starts_with("05966,")).unwrap();
        assert!(olpe.starts_with("05966,Olpe,"), "{olpe}");
        let (code, _, err) = run(&[
            "access",
            "--type",
            "BER",
            "--import",
            path,
            "--capacity-column",
            "staff",
            "--catchment-km",
            "15",
            "--level",
            "kreis",
        ]);
        assert_eq!(code, 2);
        assert!(
            err.contains("line 1: no column \"staff\"; the columns are name, type, ags, personal"),
            "{err}"
        );
    }
}

mod window {
    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use integrationsatlas::ui::AtlasApp;

    use super::common;

    fn wait_for(harness: &mut Harness<'_, AtlasApp>, title_part: &str) -> String {
        for _ in 0..1500 {
            harness.step();
            let state = harness.state();
            if !state.grid_layer.is_running()
                && let Some(title) = state.grid_layer.title()
                && title.contains(title_part)
            {
                return title.to_owned();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!(
            "the grid layer did not finish: {:?}",
            harness.state().grid_layer.error
        );
    }

    #[test]
    fn the_grid_layer_arrives_from_the_worker_with_its_legend() {
        let atlas = common::atlas();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1400.0, 1000.0))
            .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
        harness.run();
        harness.get_by_label("Raster zeigen").click();
        let title = wait_for(&mut harness, "Entfernung");
        assert_eq!(title, "Entfernung · ABH · S = 15,0 km");
        harness.run();
        harness.get_by_label("0 – 5 km");
        harness.get_by_label("> 30 km");
        harness.get_by_label("Einzugsbereich").click();
        wait_for(&mut harness, "Einzugsbereich");
        harness.run();
        harness.get_by_label("Ausländerbehörde Köln: 884.642 EW");
    }
}
