//! Importing own sites: every good row loads, every bad row is reported with its number.

mod common;

use std::convert::TryInto as _;

use integrationsatlas::LoadError;
use integrationsatlas::sites::SiteType;
use integrationsatlas::sites::import::{Placer, import_sites};

fn import(
    path: &std::path::Path,
) -> Result<
    (
        Vec<integrationsatlas::sites::Site>,
        integrationsatlas::sites::import::ImportReport,
    ),
    LoadError,
> {
    let atlas = common::atlas();
    let placer = Placer::new(&atlas, &common::bundled_dir()).unwrap();
    import_sites(path, &placer, &SiteType::Other("EIGEN".into()))
}

#[test]
fn csv_rows_by_coordinates_ags_and_name_with_failures_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("beratung.csv");
    std::fs::write(
        &path,
        "name;typ;lon;lat;ags;kommune\n\
         Beratung Dom;MBE;6,9583;50,9413;;\n\
         Beratung Olpe;;;;05966024;\n\
         Beratung Kreis Steinfurt;JMD;;;05566;\n\
         Beratung Lüdenscheid;;;;;Lüdenscheid\n\
         Beratung Amsterdam;;4,9041;52,3676;;\n\
         Beratung kaputt;;sieben;51;;\n\
         Beratung unbekannt;;;;;Atlantis\n\
         Beratung AGS falsch;;;;05999999;\n",
    )
    .unwrap();
    let (sites, report) = import(&path).unwrap();
    assert_eq!(report.loaded, 4);
    assert_eq!(sites[0].kommune_ags.as_str(), "05315000");
    assert_eq!(sites[0].site_type, SiteType::Mbe);
    assert_eq!(sites[0].precision, "coordinates");
    assert_eq!(sites[1].kommune_ags.as_str(), "05966024");
    assert_eq!(sites[1].precision, "kommune_seat");
    assert_eq!(
        sites[2].kommune_ags.as_str(),
        "05566084",
        "Kreis Steinfurt's seat"
    );
    assert_eq!(sites[3].kommune_ags.as_str(), "05962032");
    assert_eq!(report.placed_at_seat, 3);
    let lines: Vec<u64> = report.failures.iter().map(|f| f.number).collect();
    assert_eq!(lines, vec![6, 7, 8, 9]);
    assert!(
        report.failures[0]
            .problem
            .detail
            .de
            .contains("außerhalb von NRW"),
        "{:?}",
        report.failures
    );
    assert!(
        report.failures[1].problem.detail.de.contains("keine Zahl"),
        "{:?}",
        report.failures
    );
    assert!(
        report.failures[2].problem.detail.de.contains("unbekannt"),
        "{:?}",
        report.failures
    );
}

#[test]
fn geojson_points_load_and_polygons_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("standorte.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"KI Olpe","type":"KI"},"geometry":{"type":"Point","coordinates":[7.8436,51.0276]}},
            {"type":"Feature","properties":{"name":"Fläche"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[7.1,51],[7.1,51.1],[7,51]]]}},
            {"type":"Feature","properties":{"name":"Paris"},"geometry":{"type":"Point","coordinates":[2.35,48.85]}}
        ]}"#,
    )
    .unwrap();
    let (sites, report) = import(&path).unwrap();
    assert_eq!(report.loaded, 1);
    assert_eq!(sites[0].site_type, SiteType::Ki);
    assert_eq!(sites[0].kommune_ags.as_str(), "05966024");
    assert_eq!(report.failures.len(), 2);
    assert_eq!(report.failures[0].number, 2);
    assert!(
        report.failures[0].problem.detail.de.contains("Polygon"),
        "{:?}",
        report.failures
    );
}

#[test]
fn malformed_geojson_is_a_clear_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaputt.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
    )
    .unwrap();
    let err = import(&path).unwrap_err().to_string();
    assert!(
        err.contains("kaputt.geojson") && err.contains("not valid GeoJSON"),
        "{err}"
    );
}

#[test]
fn csv_without_position_columns_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ohne.csv");
    std::fs::write(&path, "name,telefon\nA,123\n").unwrap();
    let err = import(&path).unwrap_err().to_string();
    assert!(
        err.contains("lon+lat") && err.contains("name, telefon"),
        "{err}"
    );
}

#[test]
fn point_shapefile_in_utm_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("punkte.shp");
    let table =
        shapefile::dbase::TableWriterBuilder::with_encoding(shapefile::dbase::encoding::Unicode)
            .add_character_field("name".try_into().unwrap(), 40);
    let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
    for (x, y, name) in [
        (356_463.9, 5_644_929.5, "Köln"),
        (100.0, 100.0, "Nirgendwo"),
    ] {
        let mut record = shapefile::dbase::Record::default();
        record.insert(
            "name".into(),
            shapefile::dbase::FieldValue::Character(Some(name.into())),
        );
        writer
            .write_shape_and_record(&shapefile::Point::new(x, y), &record)
            .unwrap();
    }
    drop(writer);
    std::fs::copy(
        common::bundled_dir().join("dvg2/dvg2gem_nw.prj"),
        path.with_extension("prj"),
    )
    .unwrap();
    let (sites, report) = import(&path).unwrap();
    assert_eq!(report.loaded, 1, "{report:?}");
    assert_eq!(sites[0].name, "Köln");
    assert_eq!(sites[0].kommune_ags.as_str(), "05315000");
    assert_eq!(report.failures.len(), 1);
}
