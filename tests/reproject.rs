//! A boundary layer in another supported CRS (here WGS84) is reprojected on load to EPSG:25832.

mod common;

use std::convert::TryInto as _;

use geo::MapCoords as _;
use integrationsatlas::Ags;
use integrationsatlas::data::load_atlas;
use integrationsatlas::geometry::projection::ToWgs84;
use integrationsatlas::model::Level;
use shapefile::dbase::{self, FieldValue};

const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

#[test]
fn kreis_layer_in_wgs84_loads_with_the_same_areas() {
    let original = common::atlas();
    let temp = common::copy_of_bundled();
    let shp = temp.path().join("dvg2/dvg2krs_nw.shp");
    let to_wgs84 = ToWgs84::default();

    let table = dbase::TableWriterBuilder::with_encoding(dbase::encoding::Unicode)
        .add_character_field("ART".try_into().unwrap(), 40)
        .add_character_field("GN".try_into().unwrap(), 40)
        .add_character_field("KN".try_into().unwrap(), 40);
    let mut writer = shapefile::Writer::from_path(&shp, table).unwrap();
    for kreis in original.regions(Level::Kreis) {
        let lonlat = kreis.geometry.map_coords(|c| {
            let (lon, lat) = to_wgs84.convert(c.x, c.y).unwrap();
            geo::coord! { x: lon, y: lat }
        });
        let shape = shapefile::Polygon::from(lonlat);
        let mut record = dbase::Record::default();
        record.insert("ART".into(), FieldValue::Character(Some("K".into())));
        record.insert("GN".into(), FieldValue::Character(Some(kreis.name.clone())));
        record.insert(
            "KN".into(),
            FieldValue::Character(Some(format!("{}000", kreis.ags))),
        );
        writer.write_shape_and_record(&shape, &record).unwrap();
    }
    drop(writer);
    std::fs::write(shp.with_extension("prj"), WGS84_PRJ).unwrap();

    let reprojected = load_atlas(temp.path()).expect("WGS84 layer loads");
    for ags in ["05966", "05315", "05958"] {
        let ags = Ags::parse(ags).unwrap();
        let before = original.get(&ags).unwrap();
        let after = reprojected.get(&ags).unwrap();
        assert_eq!(after.name, before.name);
        let relative = (after.area_km2 - before.area_km2).abs() / before.area_km2;
        assert!(
            relative < 1e-6,
            "{}: {} vs {}",
            before.name,
            after.area_km2,
            before.area_km2
        );
    }
}
