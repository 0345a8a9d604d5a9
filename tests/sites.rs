//! The site registry and spatial lookups on the bundled data.

mod common;

use integrationsatlas::geometry::projection::{Crs, ToUtm32};
use integrationsatlas::model::Level;
use integrationsatlas::sites::registry::{derive_registry, load_registry, write_registry};
use integrationsatlas::sites::{PRECISION_KOMMUNE_SEAT, SiteType};
use rand::{Rng as _, SeedableRng as _};

#[test]
fn registry_counts_match_the_report() {
    let (set, warnings) = load_registry(&common::bundled_dir()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let count = |t: SiteType| set.of_type(&t).count();
    // Gutachten Kap. 3.1: 54 KI (53 Kreise/kreisfreie Städte + Stadt Aachen, Fn. 4).
    assert_eq!(count(SiteType::Ki), 54);
    // 81 ABH = 53 + 28; the 28 follow Tabelle 6's ABH column per Kreis (59 − 31 = 28).
    assert_eq!(count(SiteType::Abh), 81);
    // Anhang B lists 186 Jugendämter (the text's 132 kreisangehörige ones disagree with the list: 138).
    assert_eq!(count(SiteType::Ja), 186);
    // 53 Jobcenter, one per Kreis and kreisfreie Stadt.
    assert_eq!(count(SiteType::Jc), 53);
    assert!(
        set.sites
            .iter()
            .all(|s| s.precision == PRECISION_KOMMUNE_SEAT)
    );
    assert!(set.sites.iter().all(|s| s.source.contains("Gutachten")));
}

#[test]
fn abh_per_kreis_follow_tabelle6() {
    let (set, _) = load_registry(&common::bundled_dir()).unwrap();
    let in_kreis = |kreis: &str| {
        set.of_type(&SiteType::Abh)
            .filter(|s| s.kommune_ags.as_str().starts_with(kreis))
            .count()
    };
    assert_eq!(in_kreis("05562"), 7, "Kreis Recklinghausen");
    assert_eq!(
        in_kreis("05158"),
        1,
        "Kreis Mettmann: Ratingen and Velbert left out"
    );
    assert_eq!(
        in_kreis("05166"),
        2,
        "Kreis Viersen: Kreis and Stadt Viersen"
    );
    let mettmann = set.sites.iter().find(|s| s.id == "ABH-05158").unwrap();
    assert!(
        mettmann.source.contains("Ratingen, Velbert"),
        "{}",
        mettmann.source
    );
}

#[test]
fn committed_registry_equals_a_fresh_derivation() {
    let atlas = common::atlas();
    let registry = derive_registry(&atlas, &common::bundled_dir()).unwrap();
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(temp.path().join("sites")).unwrap();
    write_registry(&registry, temp.path()).unwrap();
    for (file, _) in &registry.files {
        let fresh = std::fs::read(temp.path().join(file)).unwrap();
        let committed = std::fs::read(common::bundled_dir().join(file)).unwrap();
        assert!(
            fresh == committed,
            "{file} differs from its derivation; run `integrationsatlas derive-sites`"
        );
    }
}

#[test]
fn nearest_ki_to_a_point_in_olpe_is_kreis_olpes() {
    let (set, _) = load_registry(&common::bundled_dir()).unwrap();
    // A point in Lennestadt (Kreis Olpe), 7.95 E 51.05 N.
    let (x, y) = ToUtm32::from(Crs::Wgs84).convert(7.95, 51.05).unwrap();
    let hits = set.nearest(&SiteType::Ki, x, y, 3);
    assert_eq!(hits[0].site.id, "KI-05966");
    assert!(
        (hits[0].distance_km - 7.868).abs() < 0.01,
        "{}",
        hits[0].distance_km
    );
    assert!(
        hits.windows(2)
            .all(|w| w[0].distance_km <= w[1].distance_km)
    );
    let within = set.within(&SiteType::Ki, x, y, 20.0);
    assert_eq!(within.len(), 1);
}

#[test]
fn a_kommune_with_its_own_ki_has_distance_zero() {
    let (set, _) = load_registry(&common::bundled_dir()).unwrap();
    let koeln = set.sites.iter().find(|s| s.id == "KI-05315").unwrap();
    let hit = set.nearest_one(&SiteType::Ki, koeln.x, koeln.y).unwrap();
    assert_eq!(hit.distance_km, 0.0);
}

#[test]
fn grid_location_agrees_with_brute_force_on_10000_points() {
    let atlas = common::atlas();
    let gemeinden = atlas.regions(Level::Gemeinde);
    let brute = |x: f64, y: f64| {
        let p = geo::Point::new(x, y);
        // Every Gemeinde in AGS order; the bounding-box check only skips certain misses.
        gemeinden.iter().position(|g| {
            let b = g.bbox;
            (b.min().x..=b.max().x).contains(&x)
                && (b.min().y..=b.max().y).contains(&y)
                && geo::Intersects::intersects(&g.geometry, &p)
        })
    };
    let bounds = atlas.bounds();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let mut points: Vec<(f64, f64)> = (0..7_000)
        .map(|_| {
            (
                rng.random_range(bounds.min().x - 5_000.0..bounds.max().x + 5_000.0),
                rng.random_range(bounds.min().y - 5_000.0..bounds.max().y + 5_000.0),
            )
        })
        .collect();
    // Points on borders: vertices and edge midpoints of random Gemeinden.
    while points.len() < 10_000 {
        let g = &gemeinden[rng.random_range(0..gemeinden.len())];
        let ring = g.geometry.0[0].exterior();
        let i = rng.random_range(0..ring.0.len() - 1);
        let (a, b) = (ring.0[i], ring.0[i + 1]);
        points.push((a.x, a.y));
        points.push(((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
    }
    let mut mismatches = Vec::new();
    for &(x, y) in &points {
        let fast = atlas.locate_gemeinde_fast(x, y).map(|id| id.index);
        if fast != brute(x, y) {
            mismatches.push((x, y, fast, brute(x, y)));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, e.g. {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)]
    );
    let outside = points
        .iter()
        .filter(|&&(x, y)| brute(x, y).is_none())
        .count();
    assert!(outside > 1_000, "{outside} points outside NRW");
}
