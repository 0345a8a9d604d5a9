//! Coverage around a Kommune on the bundled data.

mod common;

use integrationsatlas::analysis::coverage::{
    CoverageError, CoverageReport, CoverageSpec, Distance, analyse,
};
use integrationsatlas::analysis::search::resolve_kommune;
use integrationsatlas::data::places::gemeinde_points;
use integrationsatlas::data::thematic::load_indicators;
use integrationsatlas::sites::SiteType;
use integrationsatlas::sites::registry::load_registry;

fn report(
    kommune: &str,
    radius_km: f64,
    threshold_km: f64,
) -> Result<CoverageReport, CoverageError> {
    let atlas = common::atlas();
    let dir = common::bundled_dir();
    let (sites, _) = load_registry(&dir).unwrap();
    let indicators = load_indicators(&atlas, &dir).unwrap();
    let points = gemeinde_points(&dir).unwrap();
    let spec = CoverageSpec {
        kommune: resolve_kommune(&atlas, kommune).unwrap(),
        radius_km,
        threshold_km,
        types: vec![SiteType::Ki, SiteType::Abh, SiteType::Ja, SiteType::Jc],
    };
    analyse(&atlas, &sites, &indicators, &points, &spec)
}

#[test]
fn kreis_olpe_lists_its_7_gemeinden_and_their_population_adds_up() {
    let report = report("Kreis Olpe", 25.0, 15.0).unwrap();
    let own: Vec<&str> = report
        .gemeinden
        .iter()
        .filter(|g| g.in_kommune)
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(
        own,
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
    let total: u64 = report
        .gemeinden
        .iter()
        .filter(|g| g.in_kommune)
        .map(|g| g.population)
        .sum();
    assert_eq!(total, report.kommune_population);
    assert_eq!(total, 133_955);
    assert!(
        report
            .gemeinden
            .iter()
            .filter(|g| !g.in_kommune)
            .all(|g| g.distance_to_kommune_km <= 25.0)
    );
}

#[test]
fn a_kommune_with_its_own_ki_has_distance_zero() {
    let report = report("Lüdenscheid", 25.0, 15.0).unwrap();
    let own = report.gemeinden.iter().find(|g| g.in_kommune).unwrap();
    let ki = own.nearest.iter().find(|n| n.site_type == "KI").unwrap();
    assert_eq!(ki.distance_km, Some(0.0));
    assert!(!ki.gap);
}

#[test]
fn raising_the_threshold_never_adds_gaps() {
    let mut previous = usize::MAX;
    for threshold in [2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0] {
        let report = report("Hochsauerlandkreis", 40.0, threshold).unwrap();
        let gaps: usize = report.gaps.iter().map(|g| g.gemeinden.len()).sum();
        assert!(gaps <= previous, "{threshold} km: {gaps} > {previous}");
        previous = gaps;
    }
    assert_eq!(previous, 0);
}

#[test]
fn json_parses_and_matches_the_markdown() {
    let report = report("Kreis Olpe", 25.0, 15.0).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    let ki_gap = &json["gaps"][0];
    assert_eq!(ki_gap["type"], "KI");
    // Finnentrop, Kirchhundem and Lennestadt lie over 15 km from the KI in Olpe.
    let beyond = ki_gap["population_beyond"].as_u64().unwrap();
    assert_eq!(beyond, 16_955 + 11_485 + 25_308);
    let markdown = report.markdown();
    assert!(
        markdown.contains("Das betrifft 53.748 Einwohner (40,1 % der Kommune)"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Kreis Olpe | 1 | 133.955 | 0,75 |"),
        "{markdown}"
    );
}

#[test]
fn bad_radius_and_threshold_are_refused() {
    assert!(matches!(
        report("Kreis Olpe", 0.0, 15.0),
        Err(CoverageError::NotPositive {
            what: Distance::Radius,
            ..
        })
    ));
    assert!(matches!(
        report("Kreis Olpe", 25.0, f64::NAN),
        Err(CoverageError::NotPositive {
            what: Distance::Threshold,
            ..
        })
    ));
}

#[test]
fn ambiguous_and_unknown_kommunen_list_the_candidates() {
    let atlas = common::atlas();
    for (name, expected) in [
        ("Olpe", "Kreis Olpe (05966)"),
        ("Kleve", "Kreis Kleve (05154)"),
        ("Aachen", "Städteregion Aachen (05334)"),
    ] {
        let err = resolve_kommune(&atlas, name).unwrap_err();
        assert!(err.contains("ambiguous") && err.contains(expected), "{err}");
    }
    let err = resolve_kommune(&atlas, "Lüdensch").unwrap_err();
    assert!(err.contains("closest names: Lüdenscheid"), "{err}");
    assert_eq!(
        resolve_kommune(&atlas, "Köln").unwrap().as_str(),
        "05315000"
    );
}
