//! Point location: which Gemeinde, Kreis and Bezirk hold a point, and border determinism.

mod common;

use integrationsatlas::geometry::projection::{Crs, ToUtm32};
use integrationsatlas::model::Level;

fn locate_wgs84(lon: f64, lat: f64) -> Option<(String, String, String)> {
    let atlas = common::atlas();
    let (x, y) = ToUtm32::from(Crs::Wgs84).convert(lon, lat).unwrap();
    atlas.locate(x, y).map(|l| {
        (
            l.gemeinde.ags.to_string(),
            l.kreis.ags.to_string(),
            l.bezirk.ags.to_string(),
        )
    })
}

#[test]
fn koelner_dom_lies_in_koeln_05315000() {
    let found = locate_wgs84(6.9583, 50.9413).unwrap();
    assert_eq!(found, ("05315000".into(), "05315".into(), "053".into()));
}

#[test]
fn olpe_town_centre_lies_in_kreis_olpe() {
    // Olpe's VG250 centre point (geodata/places).
    let found = locate_wgs84(7.843584, 51.027560).unwrap();
    assert_eq!(found, ("05966024".into(), "05966".into(), "059".into()));
}

#[test]
fn amsterdam_and_frankfurt_are_outside_nrw() {
    assert_eq!(locate_wgs84(4.9041, 52.3676), None);
    assert_eq!(locate_wgs84(8.6821, 50.1109), None);
}

#[test]
fn shared_border_vertex_goes_to_the_lower_ags() {
    let atlas = common::atlas();
    let gemeinden = atlas.regions(Level::Gemeinde);
    // A vertex of Köln's outline that is also on another Gemeinde's outline.
    let koeln = gemeinden
        .iter()
        .position(|g| g.ags.as_str() == "05315000")
        .unwrap();
    let mut checked = 0;
    for polygon in &gemeinden[koeln].geometry {
        for c in polygon.exterior().coords().step_by(25) {
            let holders: Vec<usize> = atlas
                .layer(Level::Gemeinde)
                .index
                .candidates(c.x, c.y)
                .into_iter()
                .filter(|&i| {
                    geo::Intersects::intersects(&gemeinden[i].geometry, &geo::Point::new(c.x, c.y))
                })
                .collect();
            let found = atlas.locate_in(Level::Gemeinde, c.x, c.y).unwrap().index;
            assert_eq!(Some(&found), holders.iter().min());
            // Repeatable: the same answer every time.
            assert_eq!(
                atlas.locate_in(Level::Gemeinde, c.x, c.y).unwrap().index,
                found
            );
            checked += usize::from(holders.len() > 1);
        }
    }
    assert!(checked > 3, "only {checked} shared vertices checked");
}
