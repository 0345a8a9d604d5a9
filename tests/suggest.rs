//! `suggest` on the bundled data: the proven best new sites of a type on the Zensus 1 km grid
//! (maximal covering), the fewest sites for a target share (set covering), the area
//! restriction, and precise errors for bad input. Coverage is recomputed here independently
//! from the grid, the registry and the Gemeinde points.

mod common;

use std::process::Command;
use std::sync::{Arc, OnceLock};

use integrationsatlas::data::zensus::{PopulationGrid, bundled_grid_path, load_population_grid};
use integrationsatlas::sites::{SiteSet, SiteType};
use serde_json::Value;

fn grid() -> Arc<PopulationGrid> {
    static GRID: OnceLock<Arc<PopulationGrid>> = OnceLock::new();
    GRID.get_or_init(|| {
        let path = bundled_grid_path(&common::bundled_dir());
        Arc::new(load_population_grid(&path, &common::atlas()).expect("bundled grid loads"))
    })
    .clone()
}

fn registry() -> SiteSet {
    integrationsatlas::sites::registry::load_registry_for(&common::atlas(), &common::bundled_dir())
        .expect("registry loads")
        .0
}

/// Runs `suggest` with `args` and the bundled data; (exit code, stdout, stderr).
fn suggest(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(common::bin())
        .arg("--data")
        .arg(common::bundled_dir())
        .arg("suggest")
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn suggest_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = suggest(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

/// Inhabitants of the cells within `km` of an ABH of the registry or one of `extra` points.
fn covered_independently(extra: &[(f64, f64)], km: f64) -> u64 {
    let sites = registry();
    let abh: Vec<(f64, f64)> = sites.of_type(&SiteType::Abh).map(|s| (s.x, s.y)).collect();
    grid()
        .cells
        .iter()
        .filter(|c| {
            abh.iter()
                .chain(extra)
                .any(|&(x, y)| ((c.x - x).powi(2) + (c.y - y).powi(2)).sqrt() / 1000.0 <= km)
        })
        .map(|c| u64::from(c.einwohner))
        .sum()
}

fn check_consistent(v: &Value) {
    let before = v["covered_before"].as_f64().unwrap();
    let after = v["covered_after"].as_f64().unwrap();
    assert!(after >= before);
    let gains: f64 = v["new_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["gain"].as_f64().unwrap())
        .sum();
    assert!(
        (before + gains - after).abs() < 1e-6,
        "gains sum to the difference"
    );
    let ranks: Vec<u64> = v["new_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
}

#[test]
fn three_new_abh_in_nrw_are_proven_optimal_and_add_up() {
    let v = suggest_json(&["--type", "ABH", "--radius-km", "15", "--new", "3"]);
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["total"], 17_523_493);
    assert_eq!(v["candidate_count"], 396);
    assert_eq!(
        v["covered_before"].as_u64(),
        Some(covered_independently(&[], 15.0))
    );
    let sites = v["new_sites"].as_array().unwrap();
    assert_eq!(sites.len(), 3);
    for key in ["rank", "ags", "name", "lon", "lat", "gain"] {
        assert!(sites.iter().all(|s| !s[key].is_null()), "{key}");
    }
    check_consistent(&v);
    // The after figure agrees with an independent count around the suggested points.
    let points = integrationsatlas::data::places::gemeinde_points(&common::bundled_dir()).unwrap();
    let extra: Vec<(f64, f64)> = sites
        .iter()
        .map(|s| {
            let ags = integrationsatlas::Ags::parse(s["ags"].as_str().unwrap()).unwrap();
            (points[&ags].x, points[&ags].y)
        })
        .collect();
    assert_eq!(
        v["covered_after"].as_u64(),
        Some(covered_independently(&extra, 15.0))
    );
    // Gains never rise with the rank (greedy order of a submodular choice).
    let gains: Vec<f64> = sites.iter().map(|s| s["gain"].as_f64().unwrap()).collect();
    assert!(gains.windows(2).all(|g| g[0] >= g[1]));
}

#[test]
fn within_kreis_olpe_the_optimiser_equals_exhaustive_search() {
    let v = suggest_json(&["--type", "ABH", "--new", "2", "--within", "Kreis Olpe"]);
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["candidate_count"], 7);
    let atlas = common::atlas();
    let points = integrationsatlas::data::places::gemeinde_points(&common::bundled_dir()).unwrap();
    let olpe: Vec<(f64, f64)> = atlas
        .children(&integrationsatlas::Ags::parse("05966").unwrap())
        .iter()
        .map(|g| (points[&g.ags].x, points[&g.ags].y))
        .collect();
    assert_eq!(olpe.len(), 7);
    let mut best = 0;
    for a in 0..olpe.len() {
        for b in a + 1..olpe.len() {
            best = best.max(covered_independently(&[olpe[a], olpe[b]], 15.0));
        }
    }
    assert_eq!(v["covered_after"].as_u64(), Some(best));
    check_consistent(&v);
}

#[test]
fn within_the_hochsauerlandkreis_all_sites_lie_inside() {
    let v = suggest_json(&[
        "--type",
        "ABH",
        "--new",
        "3",
        "--within",
        "Hochsauerlandkreis",
    ]);
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["within"]["ags"], "05958");
    let sites = v["new_sites"].as_array().unwrap();
    assert!(!sites.is_empty());
    assert!(
        sites
            .iter()
            .all(|s| s["ags"].as_str().unwrap().starts_with("05958"))
    );
    check_consistent(&v);
    let area = &v["within"];
    assert!(area["covered_after"].as_f64() >= area["covered_before"].as_f64());
    assert!(area["covered_after"].as_f64() <= area["total"].as_f64());
    // The same by AGS.
    let by_ags = suggest_json(&["--type", "ABH", "--new", "3", "--within", "05958"]);
    assert_eq!(by_ags["new_sites"], v["new_sites"]);
}

#[test]
fn the_fewest_sites_for_a_target_share_are_minimal() {
    let v = suggest_json(&["--type", "ABH", "--target-pct", "95"]);
    assert_eq!(v["status"], "optimal");
    assert!(v["covered_after_pct"].as_f64().unwrap() >= 95.0);
    let k = v["new_sites"].as_array().unwrap().len();
    assert!(k >= 2, "91 % today");
    let fewer = suggest_json(&["--type", "ABH", "--new", &(k - 1).to_string()]);
    assert_eq!(fewer["status"], "optimal");
    assert!(fewer["covered_after_pct"].as_f64().unwrap() < 95.0);
    check_consistent(&v);
}

#[test]
fn foreign_residents_say_how_many_inhabitants_have_an_unknown_share() {
    let v = suggest_json(&["--type", "ABH", "--new", "2", "--weight", "auslaender"]);
    assert_eq!(v["weight"], "auslaender");
    assert!(v["unknown_share_einwohner"].as_u64().unwrap() > 0);
    assert!(v["total"].as_f64().unwrap() < 17_523_493.0);
    check_consistent(&v);
    let (code, md, _) = suggest(&["--type", "ABH", "--new", "2", "--weight", "auslaender"]);
    assert_eq!(code, 0);
    assert!(md.contains("unbekanntem Anteil"), "{md}");
    assert!(md.contains("beweisbar optimal"));
    assert!(md.contains("Zensus 2011"));
}

#[test]
fn csv_lists_the_new_sites() {
    let (code, csv, stderr) = suggest(&["--type", "KI", "--new", "2", "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("rank,ags,name,lon,lat,gain,covered_after,candidate")
    );
    assert_eq!(lines.count(), 2);
}

#[test]
fn cell_candidates_inside_a_kreis() {
    let v = suggest_json(&[
        "--type",
        "ABH",
        "--new",
        "2",
        "--candidates",
        "cells:500",
        "--within",
        "05958",
    ]);
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["candidates"], "cells:500");
    let sites = v["new_sites"].as_array().unwrap();
    assert!(sites.iter().all(|s| s["candidate"] == "cell"));
    check_consistent(&v);
}

#[test]
fn bad_input_gets_a_precise_error() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--type", "ABH", "--radius-km", "0", "--new", "3"],
            "--radius-km 0 is not a positive",
        ),
        (
            &["--type", "ABH", "--radius-km", "-5", "--new", "3"],
            "--radius-km -5 is not a positive",
        ),
        (&["--type", "ABH", "--new", "0"], "--new 0 is outside 1–10"),
        (
            &["--type", "ABH", "--new", "11"],
            "--new 11 is outside 1–10",
        ),
        (
            &["--type", "ABH", "--new", "8", "--within", "05966"],
            "--new 8 but only 7 candidate points in Kreis Olpe",
        ),
        (
            &["--type", "XYZ", "--new", "3"],
            "unknown site type \"XYZ\"",
        ),
        (
            &["--type", "ABH", "--new", "3", "--within", "Atlantis"],
            "--within: no Kreis or Regierungsbezirk \"Atlantis\"",
        ),
        (
            &["--type", "ABH", "--new", "3", "--within", "Köln"],
            "is ambiguous",
        ),
        (
            &["--type", "ABH", "--target-pct", "0"],
            "--target-pct 0 is not a share",
        ),
        (
            &["--type", "ABH", "--target-pct", "101"],
            "--target-pct 101 is not a share",
        ),
        (
            &["--type", "ABH", "--target-pct", "100", "--within", "05966"],
            "--target-pct 100 is unreachable: even with all 7 candidates in Kreis Olpe",
        ),
        (
            &["--type", "ABH", "--new", "3", "--candidates", "cells:x"],
            "--candidates: \"x\"",
        ),
        (
            &["--type", "ABH", "--new", "3", "--candidates", "hexagons"],
            "use gemeinden or cells:MIN",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = suggest(args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stdout.is_empty());
    }
}

#[test]
fn a_hit_search_limit_is_said_with_a_bound_not_pretended_optimal() {
    let args = [
        "--type",
        "KI",
        "--radius-km",
        "10",
        "--new",
        "10",
        "--candidates",
        "cells:500",
        "--search-limit",
        "1000",
    ];
    let v = suggest_json(&args);
    assert_eq!(v["status"], "limit_reached");
    let bound = v["upper_bound"].as_f64().unwrap();
    assert!(bound >= v["covered_after"].as_f64().unwrap());
    check_consistent(&v);
    let (code, md, _) = suggest(&args);
    assert_eq!(code, 0);
    assert!(md.contains("Suchgrenze erreicht"), "{md}");
    assert!(!md.contains("beweisbar optimal"));
}

mod window {
    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use integrationsatlas::sites::SiteType;
    use integrationsatlas::ui::AtlasApp;

    use super::common;

    #[test]
    fn the_panel_suggests_on_a_worker_and_keeps_the_sites_as_a_layer() {
        let atlas = common::atlas();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1400.0, 1000.0))
            .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
        harness.run();
        harness.get_by_label("Standortvorschlag").click();
        harness.run();
        harness.get_by_label("Berechnen").click();
        for _ in 0..1500 {
            harness.step();
            let state = &harness.state().suggest;
            if !state.is_running() && (state.result.is_some() || state.error.is_some()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let result = harness
            .state()
            .suggest
            .result
            .clone()
            .expect("a suggestion");
        assert_eq!(result.site_type, "ABH");
        let names: Vec<&str> = result.new_sites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Tecklenburg", "Geldern", "Ahaus"]);
        harness.run();
        harness.get_by_label("beweisbar optimal");
        harness.get_by_label("1. Tecklenburg (+133.291)");
        harness.get_by_label("Als Ebene behalten").click();
        harness.run();
        let layer = SiteType::Other("VORSCHLAG-1".to_owned());
        assert!(harness.state().site_layers.visible.contains(&layer));
        assert_eq!(harness.state().suggest.kept.len(), 1);
        assert!(harness.state().suggest.result.is_none());
    }
}
