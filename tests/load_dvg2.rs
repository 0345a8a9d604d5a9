//! The bundled DVG2 boundaries and statistics load into the expected regions and figures.

mod common;

use integrationsatlas::model::{Ags, Level};

fn ags(text: &str) -> Ags {
    Ags::parse(text).unwrap()
}

#[test]
fn each_level_has_the_official_number_of_regions() {
    let atlas = common::atlas();
    let counts: Vec<usize> = Level::ALL.iter().map(|&l| atlas.regions(l).len()).collect();
    assert_eq!(counts, vec![1, 5, 53, 396]);
}

#[test]
fn koeln_muelheim_luedenscheid_read_with_umlauts() {
    let atlas = common::atlas();
    assert_eq!(atlas.get(&ags("05315000")).unwrap().name, "Köln");
    assert_eq!(
        atlas.get(&ags("05117000")).unwrap().name,
        "Mülheim an der Ruhr"
    );
    assert_eq!(atlas.get(&ags("05962032")).unwrap().name, "Lüdenscheid");
    assert_eq!(
        atlas.get(&ags("053")).unwrap().display_name(),
        "Regierungsbezirk Köln"
    );
}

#[test]
fn kreis_olpe_has_7_gemeinden_and_steinfurt_24() {
    let atlas = common::atlas();
    let olpe: Vec<&str> = atlas
        .children(&ags("05966"))
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(
        olpe,
        [
            "Attendorn",
            "Drolshagen",
            "Finnentrop",
            "Kirchhundem",
            "Lennestadt",
            "Olpe",
            "Wenden"
        ]
    );
    assert_eq!(atlas.children(&ags("05566")).len(), 24);
    assert_eq!(
        atlas.get(&ags("05966")).unwrap().display_name(),
        "Kreis Olpe"
    );
}

#[test]
fn total_area_is_within_half_a_percent_of_34112_km2() {
    let atlas = common::atlas();
    let land = atlas.get(&ags("05")).unwrap().area_km2;
    let gemeinden: f64 = atlas
        .regions(Level::Gemeinde)
        .iter()
        .map(|g| g.area_km2)
        .sum();
    for total in [land, gemeinden] {
        assert!(
            (total - 34_112.0).abs() / 34_112.0 < 0.005,
            "total area {total}"
        );
    }
    // geodata/README: the DVG2 polygons sum to 34,096.5 km².
    assert!((gemeinden - 34_096.5).abs() < 1.0, "{gemeinden}");
}

#[test]
fn koeln_area_and_population_match_the_sources() {
    let atlas = common::atlas();
    let koeln = atlas.get(&ags("05315000")).unwrap();
    assert_eq!(koeln.population, 1_087_863);
    // geodata/README: Köln's DVG2 polygon is 404.94 km² (official 405.01).
    assert!((koeln.area_km2 - 404.94).abs() < 0.01, "{}", koeln.area_km2);
    assert!(koeln.kreisfrei);
    let hsk = atlas.get(&ags("05958")).unwrap();
    assert!((hsk.area_km2 - 1958.6).abs() < 0.1, "{}", hsk.area_km2);
}

#[test]
fn population_totals_equal_the_statistics_sum() {
    let atlas = common::atlas();
    let mut reader =
        csv::Reader::from_path(common::bundled_dir().join("stats/gemeinden_nrw_2019.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = headers.iter().position(|h| h == "pop_total_2019").unwrap();
    let csv_sum: u64 = reader
        .records()
        .map(|r| r.unwrap()[column].parse::<u64>().unwrap())
        .sum();
    assert_eq!(csv_sum, 17_947_221);
    for level in Level::ALL {
        let sum: u64 = atlas.regions(level).iter().map(|r| r.population).sum();
        assert_eq!(sum, csv_sum, "{level}");
    }
}

#[test]
fn every_region_nests_in_an_existing_parent() {
    let atlas = common::atlas();
    for level in [Level::Bezirk, Level::Kreis, Level::Gemeinde] {
        for region in atlas.regions(level) {
            let parent = region.parent.as_ref().and_then(|p| atlas.get(p));
            assert!(parent.is_some(), "{} has no parent", region.ags);
        }
    }
    let kreisfrei = atlas
        .regions(Level::Kreis)
        .iter()
        .filter(|k| k.kreisfrei)
        .count();
    assert_eq!(kreisfrei, 22);
}
