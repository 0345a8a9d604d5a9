//! INKAR on the bundled data: values read back through the command line equal the file's, the
//! picker finds indicators by words, the change map is the difference of two years, box-map
//! fences and percentile classes equal a hand computation (GeoDa's rules), damaged files give
//! errors naming file and line, and the window's year slider recolours the legend (kittest).

mod common;

use std::collections::HashMap;
use std::process::Command;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integrationsatlas::Level;
use integrationsatlas::analysis::indicator_search::IndicatorIndex;
use integrationsatlas::analysis::indicators::{ChangeKind, IndicatorSet, Values};
use integrationsatlas::i18n::Lang;
use integrationsatlas::ui::AtlasApp;
use proptest::prelude::*;

/// `(ags, indicator, year)` → value text of one INKAR value file.
fn file_values(file: &str) -> HashMap<(String, String, String), String> {
    let path = common::bundled_dir().join("inkar").join(file);
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                (r[0].to_owned(), r[1].to_owned(), r[2].to_owned()),
                r[3].to_owned(),
            )
        })
        .collect()
}

fn run(args: &[&str]) -> (String, String, bool) {
    let output = Command::new(common::bin()).args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.success(),
    )
}

/// The column `field` of `regions --field … --year …` by AGS.
fn regions_column(level: &str, field: &str, year: &str) -> HashMap<String, String> {
    let (out, err, ok) = run(&[
        "regions", "--level", level, "--field", field, "--year", year,
    ]);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = headers.iter().position(|h| h == field).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[column].to_owned())
        })
        .collect()
}

#[test]
fn values_read_back_through_the_cli_equal_the_files() {
    let kreise = file_values("inkar_nrw_kreise.csv");
    let gemeinden = file_values("inkar_nrw_gemeinden.csv");
    let samples = [
        ("kreis", "inkar24_q_asyl_bev", "2010", &kreise),
        ("kreis", "inkar24_q_asyl_bev", "2015", &kreise),
        ("kreis", "inkar24_q_asyl_bev", "2021", &kreise),
        ("kreis", "inkar24_q_sch_a618", "2019", &kreise),
        ("kreis", "inkar24_a_betr0003_bev0003", "2020", &kreise),
        ("gemeinde", "inkar22_x337", "2020", &gemeinden),
        ("gemeinde", "inkar22_x351", "1997", &gemeinden),
        ("gemeinde", "inkar24_q_newfBGu15_bev", "2021", &gemeinden),
    ];
    let regions = [
        "05315000", "05111000", "05966", "05958", "05315", "05111", "05966004", "05958004",
    ];
    let mut compared = 0;
    for (level, field, year, file) in samples {
        let column = regions_column(level, field, year);
        for ags in regions {
            let Some(shown) = column.get(ags) else {
                continue;
            };
            let key = (ags.to_owned(), field.to_owned(), year.to_owned());
            match file.get(&key) {
                Some(value) => {
                    let (a, b): (f64, f64) = (shown.parse().unwrap(), value.parse().unwrap());
                    assert_eq!(a, b, "{field} {year} {ags}");
                    compared += 1;
                }
                // A year without a row is no data (an empty cell), never 0.
                None => assert_eq!(shown, "", "{field} {year} {ags}"),
            }
        }
    }
    assert!(compared >= 30, "{compared} values compared");
    // Köln's car minutes to the next Oberzentrum (2020), as the file has it.
    let x337 = regions_column("gemeinde", "inkar22_x337", "2020");
    let key = (
        "05315000".to_owned(),
        "inkar22_x337".to_owned(),
        "2020".to_owned(),
    );
    let file: f64 = gemeinden[&key].parse().unwrap();
    assert_eq!(x337["05315000"].parse::<f64>().unwrap(), file);
}

#[test]
fn a_missing_year_is_an_error_naming_the_years_there_are() {
    let (_, err, ok) = run(&[
        "classify",
        "--field",
        "inkar24_q_asyl_bev",
        "--year",
        "2009",
    ]);
    assert!(!ok);
    assert!(
        err.contains("inkar24_q_asyl_bev has no year \"2009\"; available years: 2010, 2011"),
        "{err}"
    );
    let (_, err, ok) = run(&["classify", "--field", "density", "--year", "2019"]);
    assert!(!ok);
    assert!(err.contains("density has no values per year"), "{err}");
}

#[test]
fn indicators_lists_ids_levels_units_years_and_sources() {
    let (out, err, ok) = run(&["indicators", "--level", "kreis", "--search", "asyl"]);
    assert!(ok, "{err}");
    let first = out.lines().nth(1).unwrap();
    assert!(
        first.starts_with(
            "inkar24_q_asyl_bev,kreis,Asylbewerber,je 1.000 Einwohner,2010;2011;2012;2013;2014;2015;2016;2017;2018;2019;2020;2021,"
        ),
        "{first}"
    );
    assert!(first.ends_with("\"Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024, dl-de/by-2-0\""));
    let (out, _, ok) = run(&["indicators", "--format", "json"]);
    assert!(ok);
    let all: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let inkar = all
        .iter()
        .filter(|v| v["id"].as_str().unwrap().starts_with("inkar"))
        .count();
    assert_eq!(inkar, 158, "48 Gemeinde and 110 Kreis indicators");
    let span = all
        .iter()
        .find(|v| {
            v["years"]
                .as_array()
                .unwrap()
                .iter()
                .any(|y| y == "2016/2017/2018")
        })
        .expect("a span is kept as a label");
    assert!(span["id"].as_str().unwrap().starts_with("inkar"));
}

fn full_set() -> IndicatorSet {
    let atlas = common::atlas();
    let dir = common::bundled_dir();
    let mut set = integrationsatlas::data::thematic::load_indicators(&atlas, &dir).unwrap();
    integrationsatlas::data::inkar::add_inkar(&atlas, &dir, &mut set);
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    set
}

#[test]
fn the_picker_finds_by_words_grouped_by_theme() {
    let set = full_set();
    let index = IndicatorIndex::new(&set, Lang::De);
    let groups = index.search("asyl", &[], None);
    assert_eq!(groups[0].theme, Some("Sozialleistungen"));
    assert_eq!(groups[0].entries[0].name, "Asylbewerber");
    assert_eq!(groups[0].entries[0].years, "2010–2021");
    assert_eq!(groups[0].entries[0].levels, vec![Level::Kreis]);
    let groups = index.search("oberzentrum", &[], None);
    assert_eq!(groups[0].theme, Some("Verkehr und Erreichbarkeit"));
    assert_eq!(groups[0].entries[0].name, "Erreichbarkeit von Oberzentren");
    assert_eq!(
        groups[0].entries[0].levels,
        vec![Level::Kreis, Level::Gemeinde]
    );
    // Umlauts either way; recently used first.
    let names = |query: &str, recent: &[String]| -> Vec<String> {
        index
            .search(query, recent, None)
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| e.name.clone()))
            .collect()
    };
    assert!(names("aerzte", &[]).contains(&"Ärzte".to_owned()));
    assert!(names("ärzte", &[]).contains(&"Ärzte".to_owned()));
    let recent = vec!["inkar24_q_kinderarzt_kinder".to_owned()];
    assert_eq!(names("arzt", &recent)[0], "Kinderärzte");
    assert_eq!(index.search("arzt", &recent, None)[0].theme, None);
    assert!(index.search("xyzzy", &[], None).is_empty());
}

#[test]
fn the_change_map_is_the_difference_of_the_two_years() {
    let set = full_set();
    let asyl = set.get(Level::Kreis, "inkar24_q_asyl_bev").unwrap();
    let series = asyl.series.as_ref().unwrap();
    let change = asyl.change("2015", "2021", ChangeKind::Absolute).unwrap();
    let percent = asyl.change("2015", "2021", ChangeKind::Percent).unwrap();
    let (Values::Numeric(diff), Values::Numeric(pct)) = (&change.values, &percent.values) else {
        panic!("numeric")
    };
    let (from, to) = (series.at("2015").unwrap(), series.at("2021").unwrap());
    for i in 0..diff.len() {
        match (from[i], to[i]) {
            (Some(a), Some(b)) => {
                assert!((diff[i].unwrap() - (b - a)).abs() < 1e-9);
                assert!((pct[i].unwrap() - (b - a) / a * 100.0).abs() < 1e-9);
            }
            _ => assert_eq!(diff[i], None, "no data stays no data"),
        }
    }
    // The CLI classifies the same differences: its outer breaks are their minimum and maximum.
    let (out, err, ok) = run(&[
        "classify",
        "--level",
        "kreis",
        "--field",
        "inkar24_q_asyl_bev",
        "--change-from",
        "2015",
        "--year",
        "2021",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let values: Vec<f64> = diff.iter().flatten().copied().collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let breaks = json["breaks"].as_array().unwrap();
    assert_eq!(breaks[0].as_f64().unwrap(), min);
    assert_eq!(breaks.last().unwrap().as_f64().unwrap(), max);
    assert_eq!(json["year"], "2015–2021");
    assert_eq!(
        json["attribution"],
        "Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024, dl-de/by-2-0"
    );
}

/// The Kreis values of one indicator and year from the file, sorted.
fn sorted_kreis_values(indicator: &str, year: &str) -> Vec<f64> {
    let mut values: Vec<f64> = file_values("inkar_nrw_kreise.csv")
        .into_iter()
        .filter(|((_, i, y), _)| i == indicator && y == year)
        .map(|(_, v)| v.parse().unwrap())
        .collect();
    values.sort_by(f64::total_cmp);
    values
}

#[test]
fn box_map_fences_equal_a_hand_computation() {
    // Asylum seekers per 1,000, 2019: 53 Kreise (odd N). GeoDa: Q1 at (N+3)/4 − 1 = 13,
    // median at (N+1)/2 − 1 = 26, Q3 at (3N+1)/4 − 1 = 39 (0-based, whole positions).
    let v = sorted_kreis_values("inkar24_q_asyl_bev", "2019");
    assert_eq!(v.len(), 53);
    let (q1, median, q3) = (v[13], v[26], v[39]);
    let iqr = q3 - q1;
    for (hinge, method) in [
        (1.5, vec!["--method", "boxmap"]),
        (3.0, vec!["--method", "boxmap", "--hinge", "3"]),
    ] {
        let mut args = vec![
            "classify",
            "--level",
            "kreis",
            "--field",
            "inkar24_q_asyl_bev",
            "--year",
            "2019",
            "--format",
            "json",
        ];
        args.extend(method);
        let (out, err, ok) = run(&args);
        assert!(ok, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let breaks: Vec<f64> = json["breaks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_f64().unwrap())
            .collect();
        let expected = [q1 - hinge * iqr, q1, median, q3, q3 + hinge * iqr];
        for (got, want) in breaks[1..6].iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{breaks:?} vs {expected:?}");
        }
        let counts: Vec<u64> = json["classes"]
            .as_array()
            .unwrap()
            .iter()
            .take(6)
            .map(|c| c["count"].as_u64().unwrap())
            .collect();
        let hand = [
            v.iter().filter(|&&x| x < expected[0]).count(),
            v.iter().filter(|&&x| x >= expected[0] && x < q1).count(),
            v.iter().filter(|&&x| x >= q1 && x < median).count(),
            v.iter().filter(|&&x| x >= median && x <= q3).count(),
            v.iter().filter(|&&x| x > q3 && x <= expected[4]).count(),
            v.iter().filter(|&&x| x > expected[4]).count(),
        ];
        assert_eq!(counts, hand.map(|c| c as u64), "hinge {hinge}");
        let label = json["classes"][5]["label"].as_str().unwrap();
        assert!(label.starts_with("Ausreißer oben: > "), "{label}");
    }
}

#[test]
fn percentile_classes_equal_a_hand_computation() {
    // GeoDa: value i (0-based) sits at 100/N·(i + 0.5) %; linear in between.
    let v = sorted_kreis_values("inkar24_q_sch_a618", "2019");
    let n = v.len() as f64;
    let percentile = |p: f64| {
        let at = p / 100.0 * n - 0.5;
        if at <= 0.0 {
            return v[0];
        }
        if at >= n - 1.0 {
            return v[v.len() - 1];
        }
        let low = at.floor() as usize;
        v[low] + (at - low as f64) * (v[low + 1] - v[low])
    };
    let cuts = [1.0, 10.0, 50.0, 90.0, 99.0].map(percentile);
    let (out, err, ok) = run(&[
        "classify",
        "--level",
        "kreis",
        "--field",
        "inkar24_q_sch_a618",
        "--year",
        "2019",
        "--method",
        "percentile",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let breaks: Vec<f64> = json["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .collect();
    for (got, want) in breaks[1..6].iter().zip(cuts) {
        assert!((got - want).abs() < 1e-9, "{breaks:?} vs {cuts:?}");
    }
    let counts: Vec<u64> = json["classes"]
        .as_array()
        .unwrap()
        .iter()
        .take(6)
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    let hand = [
        v.iter().filter(|&&x| x < cuts[0]).count(),
        v.iter().filter(|&&x| x >= cuts[0] && x < cuts[1]).count(),
        v.iter().filter(|&&x| x >= cuts[1] && x < cuts[2]).count(),
        v.iter().filter(|&&x| x >= cuts[2] && x <= cuts[3]).count(),
        v.iter().filter(|&&x| x > cuts[3] && x <= cuts[4]).count(),
        v.iter().filter(|&&x| x > cuts[4]).count(),
    ];
    assert_eq!(counts, hand.map(|c| c as u64));
}

#[test]
fn an_export_of_any_year_carries_inkars_attribution() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("asyl.svg");
    let (_, err, ok) = run(&[
        "export",
        "--level",
        "kreis",
        "--field",
        "inkar24_q_asyl_bev",
        "--year",
        "2016",
        "--fixed-breaks",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024"));
    // The legend title wraps after the unit; the year and the fixed breaks are named.
    assert!(svg.contains("Asylbewerber (je 1.000 Einwohner),"));
    assert!(svg.contains(">2016<"), "the year on its line");
    assert!(svg.contains("5 Klassen, feste Grenzen"));
}

/// A data folder with the bundled atlas and the given INKAR files.
fn folder_with(catalog: &str, kreise: &str) -> tempfile::TempDir {
    let temp = common::copy_of_bundled();
    let inkar = temp.path().join("inkar");
    std::fs::write(inkar.join("inkar_indikatoren.csv"), catalog).unwrap();
    std::fs::write(inkar.join("inkar_nrw_kreise.csv"), kreise).unwrap();
    temp
}

const CATALOG: &str = "indicator,kuerzel,kurzname,name,bereich,algorithmus,anmerkungen,statistische_grundlagen,edition,level\n\
inkar24_t,t,Testwert,Testwert je 1.000 Einwohner,Test,a,b,c,INKAR 2024,Kreise\n";

#[test]
fn damaged_files_name_file_and_line() {
    let atlas = common::atlas();
    let cases = [
        (
            "ags,indicator,year,value\n05111,inkar24_t,2019,1.5\n05111,inkar24_t,2019,1.6\n",
            "line 3: AGS 05111, indicator inkar24_t, year 2019 repeats the row of line 2",
        ),
        (
            "ags,indicator,year,value\n05111,inkar24_t,2019,1,5\n",
            "line 2",
        ),
        (
            "ags,indicator,year,value\n05111,inkar24_t,2019,abc\n",
            "line 2: value \"abc\" is not a number",
        ),
        (
            "ags,indicator,year,value\n05111,inkar24_x,2019,1\n",
            "line 2: indicator \"inkar24_x\" is not described",
        ),
    ];
    for (kreise, expected) in cases {
        let temp = folder_with(CATALOG, kreise);
        let loaded = integrationsatlas::data::inkar::load_inkar(&atlas, temp.path()).unwrap();
        assert!(
            !loaded.indicators.iter().any(|i| i.level == Level::Kreis),
            "{kreise}"
        );
        let warning = loaded.warnings.join("\n");
        assert!(warning.contains("inkar_nrw_kreise.csv"), "{warning}");
        assert!(warning.contains(expected), "{warning}");
    }
    // An AGS of no Kreis is not used, and said so; an empty value is no data.
    let temp = folder_with(
        CATALOG,
        "ags,indicator,year,value\n05111,inkar24_t,2019,1.5\n05999,inkar24_t,2019,2\n05112,inkar24_t,2019,\n",
    );
    let loaded = integrationsatlas::data::inkar::load_inkar(&atlas, temp.path()).unwrap();
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("line 3: AGS 05999")),
        "{:?}",
        loaded.warnings
    );
    let t = loaded
        .indicators
        .iter()
        .find(|i| i.key == "inkar24_t" && i.level == Level::Kreis)
        .unwrap();
    let duesseldorf = atlas
        .id_of(&integrationsatlas::Ags::parse("05111").unwrap())
        .unwrap();
    let duisburg = atlas
        .id_of(&integrationsatlas::Ags::parse("05112").unwrap())
        .unwrap();
    let series = t.series.as_ref().unwrap();
    assert_eq!(series.at("2019").unwrap()[duesseldorf.index], Some(1.5));
    assert_eq!(series.at("2019").unwrap()[duisburg.index], None);
    assert_eq!(t.unit, "je 1.000 Einwohner");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
    ))]

    /// Any values with up to two decimals, in any years, read back exactly; missing years stay
    /// no data.
    #[test]
    fn values_round_trip(values in prop::collection::vec((0usize..53, 1995u16..2023, -99_999i64..99_999), 1..40)) {
        let atlas = common::atlas();
        let kreise = atlas.regions(Level::Kreis);
        let mut seen = HashMap::new();
        let mut text = String::from("ags,indicator,year,value\n");
        for (k, year, cents) in values {
            if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry((k, year)) {
                slot.insert(cents);
                let value = cents as f64 / 100.0;
                text.push_str(&format!("{},inkar24_t,{year},{value}\n", kreise[k].ags));
            }
        }
        let temp = folder_with(CATALOG, &text);
        let loaded = integrationsatlas::data::inkar::load_inkar(&atlas, temp.path()).unwrap();
        let t = loaded.indicators.iter().find(|i| i.level == Level::Kreis).unwrap();
        let series = t.series.as_ref().unwrap();
        for ((k, year), cents) in &seen {
            prop_assert_eq!(series.at(&year.to_string()).unwrap()[*k], Some(*cents as f64 / 100.0));
        }
        for (y, year) in series.years.iter().enumerate() {
            for k in 0..kreise.len() {
                let expected = seen.get(&(k, year.parse().unwrap())).map(|c| *c as f64 / 100.0);
                prop_assert_eq!(series.values[y][k], expected);
            }
        }
    }
}

#[test]
fn moving_the_year_slider_recolours_the_legend() {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    {
        let app = harness.state_mut();
        app.level = Level::Kreis;
        app.thematic.field = Some("inkar24_q_asyl_bev".to_owned());
    }
    harness.run();
    // The legend title (and the field chooser) name the year.
    assert!(
        harness
            .query_all_by_label("Asylbewerber (je 1.000 Einwohner), 2021")
            .count()
            > 0
    );
    let slider = harness.get_by_role_and_label(egui::accesskit::Role::Slider, "Jahr");
    slider.focus();
    harness.run();
    for _ in 0..6 {
        harness.key_press(egui::Key::ArrowLeft);
        harness.run();
    }
    let scene = harness.state().canvas_scene().unwrap();
    let legend = scene.legend.unwrap();
    assert_eq!(legend.title, "Asylbewerber (je 1.000 Einwohner), 2015");
    assert!(
        harness
            .query_all_by_label("Asylbewerber (je 1.000 Einwohner), 2015")
            .count()
            > 0
    );
    assert!(
        scene
            .attribution
            .contains("Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024")
    );
    let counted: usize = legend.entries.iter().map(|e| e.count).sum::<usize>()
        + legend.nodata.map_or(0, |n| n.count);
    assert_eq!(counted, 53);
    // Fixed breaks: the legend's classes stay while the year changes.
    harness
        .get_by_label("Klassengrenzen über alle Jahre fest")
        .click();
    harness.run();
    let before = harness.state().canvas_scene().unwrap().legend.unwrap();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Jahr")
        .focus();
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let after = harness.state().canvas_scene().unwrap().legend.unwrap();
    assert_eq!(after.title, "Asylbewerber (je 1.000 Einwohner), 2016");
    let labels = |l: &integrationsatlas::cartography::choropleth::Legend| {
        l.entries
            .iter()
            .map(|e| e.label.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&before), labels(&after));
    assert!(after.method.unwrap().ends_with(", feste Grenzen"));
}
