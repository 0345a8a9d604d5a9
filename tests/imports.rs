//! Importing own sites from damaged files: every broken shapefile record, GeoJSON feature and
//! CSV line is listed with its number and what is wrong, and the rest loads.

mod common;

use std::convert::TryInto as _;
use std::path::{Path, PathBuf};

use integrationsatlas::LoadError;
use integrationsatlas::i18n::Lang;
use integrationsatlas::sites::import::{ImportReport, Kind, Placer, import_sites};
use integrationsatlas::sites::{Site, SiteType};
use shapefile::dbase::{self, FieldValue, Record, TableWriterBuilder};

fn import(path: &Path) -> Result<(Vec<Site>, ImportReport), LoadError> {
    let atlas = common::atlas();
    let placer = Placer::new(&atlas, &common::bundled_dir()).unwrap();
    import_sites(path, &placer, &SiteType::Mbe)
}

/// The point `i` of a row of points through Köln (EPSG:25832), 100 m apart.
fn koeln(i: usize) -> (f64, f64) {
    (351_000.0 + 100.0 * i as f64, 5_644_929.5)
}

fn record(name: &str) -> Record {
    let mut record = Record::default();
    record.insert("name".into(), FieldValue::Character(Some(name.to_owned())));
    record
}

fn utf8_table() -> TableWriterBuilder {
    TableWriterBuilder::with_encoding(dbase::encoding::Unicode)
        .add_character_field("name".try_into().unwrap(), 40)
}

fn add_prj(shp: &Path) {
    std::fs::copy(
        common::bundled_dir().join("dvg2/dvg2gem_nw.prj"),
        shp.with_extension("prj"),
    )
    .unwrap();
}

/// A point shapefile of `n` points through Köln named "Punkt 1" … with .prj.
fn point_shapefile(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("punkte.shp");
    let mut writer = shapefile::Writer::from_path(&path, utf8_table()).unwrap();
    for i in 0..n {
        let (x, y) = koeln(i);
        writer
            .write_shape_and_record(
                &shapefile::Point::new(x, y),
                &record(&format!("Punkt {}", i + 1)),
            )
            .unwrap();
    }
    drop(writer);
    add_prj(&path);
    path
}

/// Overwrites the shape type of record `number` (1-based) with an invalid code, finding the
/// record through the .shx index.
fn corrupt_record(shp: &Path, number: usize) {
    let shx = std::fs::read(shp.with_extension("shx")).unwrap();
    let entry = 100 + 8 * (number - 1);
    let offset = 2 * i32::from_be_bytes(shx[entry..entry + 4].try_into().unwrap()) as usize;
    let mut bytes = std::fs::read(shp).unwrap();
    bytes[offset + 8..offset + 12].copy_from_slice(&0x7f7f_7f7f_i32.to_le_bytes());
    std::fs::write(shp, bytes).unwrap();
}

#[test]
fn a_broken_shapefile_record_is_listed_and_the_other_99_load() {
    let dir = tempfile::tempdir().unwrap();
    let shp = point_shapefile(dir.path(), 100);
    corrupt_record(&shp, 50);
    let (sites, report) = import(&shp).unwrap();
    assert_eq!(report.loaded, 99, "{:?}", report.lines(Lang::En));
    assert_eq!(sites.len(), 99);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].number, 50);
    assert_eq!(report.failures[0].problem.kind, Kind::BrokenRecord);
    assert_eq!(report.failures[0].label.as_deref(), Some("\"Punkt 50\""));
    assert_eq!(sites[48].name, "Punkt 49");
    assert_eq!(sites[49].name, "Punkt 51");
    assert!(sites.iter().all(|s| s.kommune_ags.as_str() == "05315000"));
    assert!(sites.iter().all(|s| s.site_type == SiteType::Mbe));
    let en = report.lines(Lang::En);
    assert!(
        en[1].starts_with("broken record (.shp): 1 – records 50 (\"Punkt 50\")"),
        "{en:?}"
    );
}

#[test]
fn without_shx_reading_stops_at_the_broken_record_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let shp = point_shapefile(dir.path(), 100);
    corrupt_record(&shp, 50);
    std::fs::remove_file(shp.with_extension("shx")).unwrap();
    let (sites, report) = import(&shp).unwrap();
    assert_eq!(sites.len(), 49);
    assert_eq!(report.numbers_of(Kind::BrokenRecord), vec![50]);
    assert_eq!(
        report.numbers_of(Kind::NotRead),
        (51..=100).collect::<Vec<u64>>()
    );
    let de = report.lines(Lang::De);
    assert!(de[1].contains("punkte.shx fehlt"), "{de:?}");
    let not_read = de.iter().find(|l| l.starts_with("nicht gelesen")).unwrap();
    assert!(
        not_read.contains("50 – Datensätze 51, 52, 53, 54, 55, 56, 57, 58, 59, 60 und 40 weitere"),
        "{not_read}"
    );
}

#[test]
fn a_broken_shx_is_reported_and_the_records_read_in_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let shp = point_shapefile(dir.path(), 10);
    std::fs::write(shp.with_extension("shx"), b"kaputt").unwrap();
    let (sites, report) = import(&shp).unwrap();
    assert_eq!(sites.len(), 10);
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].en.contains("broken"), "{:?}", report.notes);
}

#[test]
fn pointz_pointm_and_single_point_multipoints_load_with_z_and_m_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("z.shp");
    let mut writer = shapefile::Writer::from_path(&z, utf8_table()).unwrap();
    for i in 0..3 {
        let (x, y) = koeln(i);
        let point = shapefile::PointZ::new(x, y, 55.0, 0.0);
        writer.write_shape_and_record(&point, &record("Z")).unwrap();
    }
    drop(writer);
    add_prj(&z);
    let (sites, report) = import(&z).unwrap();
    assert_eq!(report.loaded, 3, "{report:?}");
    assert!(report.is_clean());
    assert_eq!((sites[1].x, sites[1].y), koeln(1));

    let m = dir.path().join("m.shp");
    let mut writer = shapefile::Writer::from_path(&m, utf8_table()).unwrap();
    let (x, y) = koeln(0);
    writer
        .write_shape_and_record(&shapefile::PointM::new(x, y, 7.0), &record("M"))
        .unwrap();
    drop(writer);
    add_prj(&m);
    assert_eq!(import(&m).unwrap().1.loaded, 1);

    let multi = dir.path().join("multi.shp");
    let mut writer = shapefile::Writer::from_path(&multi, utf8_table()).unwrap();
    let one = shapefile::Multipoint::new(vec![shapefile::Point::new(x, y)]);
    let two = shapefile::Multipoint::new(vec![
        shapefile::Point::new(x, y),
        shapefile::Point::new(x + 10.0, y),
    ]);
    writer
        .write_shape_and_record(&one, &record("eins"))
        .unwrap();
    writer
        .write_shape_and_record(&two, &record("zwei"))
        .unwrap();
    drop(writer);
    add_prj(&multi);
    let (sites, report) = import(&multi).unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].name, "eins");
    assert_eq!(report.numbers_of(Kind::WrongGeometry), vec![2]);
    assert!(report.failures[0].problem.detail.de.contains("2 Punkten"));
}

#[test]
fn each_missing_part_of_a_shapefile_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = import(&dir.path().join("fehlt.shp"))
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("fehlt.shp") && missing.contains("(.shp)"),
        "{missing}"
    );

    let shp = point_shapefile(dir.path(), 3);
    std::fs::remove_file(shp.with_extension("prj")).unwrap();
    let prj = import(&shp).unwrap_err().to_string();
    assert!(
        prj.contains("punkte.prj") && prj.contains("(.prj)"),
        "{prj}"
    );

    add_prj(&shp);
    std::fs::remove_file(shp.with_extension("dbf")).unwrap();
    let dbf = import(&shp).unwrap_err().to_string();
    assert!(
        dbf.contains("punkte.dbf") && dbf.contains("(.dbf)"),
        "{dbf}"
    );
}

/// A one-point shapefile whose DBF is written in Windows-1252, with `cpg` as its .cpg.
fn windows_1252_shapefile(dir: &Path, cpg: Option<&str>) -> PathBuf {
    let path = dir.join("ansi.shp");
    let table = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(
        encoding_rs::WINDOWS_1252,
    ))
    .add_character_field("name".try_into().unwrap(), 40);
    let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
    let (x, y) = koeln(0);
    writer
        .write_shape_and_record(
            &shapefile::Point::new(x, y),
            &record("Beratung Köln-Mülheim"),
        )
        .unwrap();
    drop(writer);
    add_prj(&path);
    let cpg_path = path.with_extension("cpg");
    let _ = std::fs::remove_file(&cpg_path);
    if let Some(cpg) = cpg {
        std::fs::write(&cpg_path, cpg).unwrap();
    }
    path
}

#[test]
fn the_cpg_decides_how_dbf_text_is_read() {
    for cpg in ["1252", "ANSI 1252", "Windows-1252", "ISO-8859-1"] {
        let dir = tempfile::tempdir().unwrap();
        let shp = windows_1252_shapefile(dir.path(), Some(cpg));
        let (sites, report) = import(&shp).unwrap();
        assert_eq!(sites[0].name, "Beratung Köln-Mülheim", "{cpg}: {report:?}");
        assert!(report.format.en.contains(cpg), "{:?}", report.format);
    }
    let dir = tempfile::tempdir().unwrap();
    let shp = windows_1252_shapefile(dir.path(), Some("UTF-8"));
    let (sites, report) = import(&shp).unwrap();
    assert!(
        sites.is_empty(),
        "1252 bytes read as UTF-8 must not load mangled"
    );
    assert_eq!(report.numbers_of(Kind::BrokenAttributes), vec![1]);

    let shp = windows_1252_shapefile(dir.path(), Some("KOI8-R"));
    let err = import(&shp).unwrap_err().to_string();
    assert!(
        err.contains("ansi.cpg") && err.contains("\"KOI8-R\""),
        "{err}"
    );
}

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn geojson_with_a_utf8_bom_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend_from_slice(
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"KI Olpe","type":"KI"},"geometry":{"type":"Point","coordinates":[7.8436,51.0276]}}]}"#,
    );
    let (sites, report) = import(&write(dir.path(), "bom.geojson", &text)).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(sites[0].site_type, SiteType::Ki);
    assert_eq!(sites[0].kommune_ags.as_str(), "05966024");
}

const GOOD: &str = r#"{"type":"Feature","id":"a","properties":{"name":"KI Olpe","type":"KI"},"geometry":{"type":"Point","coordinates":[7.8436,51.0276]}}"#;

fn collection(features: &[&str]) -> Vec<u8> {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
    .into_bytes()
}

#[test]
fn a_bad_third_feature_is_named_by_number_and_id_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let bad = r#"{"type":"Feature","id":"c","properties":{"name":"Kaputt"},"geometry":{"type":"Point","coordinates":["7.1",51.2]}}"#;
    let text = collection(&[GOOD, GOOD, bad, GOOD]);
    let (sites, report) = import(&write(dir.path(), "drei.geojson", &text)).unwrap();
    assert_eq!(sites.len(), 3);
    assert_eq!(report.failures.len(), 1);
    let failure = &report.failures[0];
    assert_eq!(failure.number, 3, "features count from 1");
    assert_eq!(failure.label.as_deref(), Some(r#"id "c", "Kaputt""#));
    assert_eq!(failure.problem.kind, Kind::BadPosition);
    let en = report.lines(Lang::En);
    assert!(
        en[1].starts_with(r#"invalid position: 1 – features 3 (id "c", "Kaputt")"#),
        "{en:?}"
    );
}

#[test]
fn nan_missing_and_wrong_geometries_are_each_reported() {
    let dir = tempfile::tempdir().unwrap();
    let nan = r#"{"type":"Feature","id":7,"properties":{},"geometry":{"type":"Point","coordinates":[NaN,51.2]}}"#;
    let none = r#"{"type":"Feature","properties":{"name":"ohne"},"geometry":null}"#;
    let line = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7,51],[7.1,51]]}}"#;
    let short =
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[7.1]}}"#;
    let text = collection(&[nan, GOOD, none, line, short, "42"]);
    let (sites, report) = import(&write(dir.path(), "mix.geojson", &text)).unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(report.numbers_of(Kind::BadPosition), vec![1, 5]);
    assert_eq!(report.failures[0].label.as_deref(), Some("id 7"));
    assert_eq!(report.numbers_of(Kind::NoPosition), vec![3]);
    assert_eq!(report.numbers_of(Kind::WrongGeometry), vec![4]);
    assert_eq!(report.numbers_of(Kind::BadFeature), vec![6]);
    assert!(report.notes[0].en.contains("NaN"), "{:?}", report.notes);
}

#[test]
fn a_type_that_is_not_text_is_reported_not_stringified() {
    let dir = tempfile::tempdir().unwrap();
    let list = r#"{"type":"Feature","id":"x","properties":{"name":"Liste","type":["KI"]},"geometry":{"type":"Point","coordinates":[7.8436,51.0276]}}"#;
    let number = r#"{"type":"Feature","properties":{"name":42},"geometry":{"type":"Point","coordinates":[7.8436,51.0276]}}"#;
    let text = collection(&[GOOD, list, number]);
    let (sites, report) = import(&write(dir.path(), "typ.geojson", &text)).unwrap();
    assert_eq!(sites.len(), 1);
    assert!(sites.iter().all(|s| s.site_type == SiteType::Ki));
    assert_eq!(report.numbers_of(Kind::NotText), vec![2, 3]);
    assert_eq!(
        report.failures[0].label.as_deref(),
        Some(r#"id "x", "Liste""#)
    );
    assert!(
        report.failures[0]
            .problem
            .detail
            .en
            .contains(r#"property "type" is not text but ["KI"]"#),
        "{:?}",
        report.failures[0]
    );
}

#[test]
fn geojson_in_utm_by_its_crs_member() {
    let dir = tempfile::tempdir().unwrap();
    let text = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[356463.9,5644929.5]}}]}"#;
    let (sites, _) = import(&write(dir.path(), "utm.geojson", text)).unwrap();
    assert_eq!(sites[0].kommune_ags.as_str(), "05315000");
    let text = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3035"}},"features":[]}"#;
    let err = import(&write(dir.path(), "laea.geojson", text))
        .unwrap_err()
        .to_string();
    assert!(err.contains("EPSG:3035"), "{err}");
}

#[test]
fn an_unclosed_csv_quote_is_an_error_at_the_line_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name;lon;lat\nA;6,95;50,94\n\"B;6,95;50,94\nC;6,95;50,94\n";
    let err = import(&write(dir.path(), "quote.csv", text.as_bytes()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("quote.csv: line 3:") && err.contains("never closed"),
        "{err}"
    );
}

#[test]
fn csv_lines_with_another_field_count_are_rejected_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "name,lon,lat\r\nA,6.95,50.94\r\nMüller, Beratung,6.95,50.94\r\nC,6.95\r\nD,6.95,50.94\r\n";
    let (sites, report) = import(&write(dir.path(), "count.csv", text.as_bytes())).unwrap();
    assert_eq!(
        sites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["A", "D"]
    );
    assert_eq!(report.numbers_of(Kind::FieldCount), vec![3, 4]);
    assert_eq!(
        report.failures[0].problem.detail.en,
        "4 fields where the header has 3; check the separators and quotes"
    );
}

#[test]
fn a_csv_report_has_one_line_per_kind_and_ten_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("name;lon;lat\n");
    for i in 0..30 {
        text.push_str(&format!("Paris {i};2,35;48,85\n"));
    }
    text.push_str("Köln;6,9583;50,9413\nkaputt;x;50\n");
    let (sites, report) = import(&write(dir.path(), "viele.csv", text.as_bytes())).unwrap();
    assert_eq!(sites.len(), 1);
    let de = report.lines(Lang::De);
    assert_eq!(de.len(), 3, "{de:?}");
    assert!(
        de[1].starts_with(
            "außerhalb von NRW: 30 – Zeilen 2 (\"Paris 0\"), 3 (\"Paris 1\"), 4 (\"Paris 2\")"
        ) && de[1].contains("11 (\"Paris 9\") und 20 weitere; z. B. Zeile 2"),
        "{}",
        de[1]
    );
    assert!(de[2].starts_with("keine Zahl: 1 – Zeilen 33"), "{}", de[2]);
    let en = report.lines(Lang::En);
    assert!(
        en[0].contains("1 sites loaded") && en[0].contains("31 rejected"),
        "{en:?}"
    );
}

#[test]
fn shapefile_byte_damage_never_panics_and_loads_only_placed_sites() {
    use rand::{Rng as _, SeedableRng as _};
    let dir = tempfile::tempdir().unwrap();
    let shp = point_shapefile(dir.path(), 20);
    let originals: Vec<(PathBuf, Vec<u8>)> = ["shp", "shx", "dbf"]
        .iter()
        .map(|e| {
            let p = shp.with_extension(e);
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let atlas = common::atlas();
    let placer = Placer::new(&atlas, &common::bundled_dir()).unwrap();
    for _ in 0..300 {
        for (path, bytes) in &originals {
            std::fs::write(path, bytes).unwrap();
        }
        let (path, bytes) = &originals[rng.random_range(0..originals.len())];
        let mut damaged = bytes.clone();
        for _ in 0..rng.random_range(1..6) {
            let i = rng.random_range(0..damaged.len());
            damaged[i] = rng.random();
        }
        if rng.random_bool(0.2) {
            damaged.truncate(rng.random_range(0..damaged.len()));
        }
        std::fs::write(path, &damaged).unwrap();
        if let Ok((sites, _)) = import_sites(&shp, &placer, &SiteType::Mbe) {
            for s in &sites {
                let here = atlas.locate(s.x, s.y).map(|l| l.gemeinde.ags.clone());
                assert_eq!(here.as_ref(), Some(&s.kommune_ags), "{s:?}");
            }
        }
    }
}

#[test]
fn cli_sites_import_lists_the_broken_record_in_english_and_prints_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let shp = point_shapefile(dir.path(), 100);
    corrupt_record(&shp, 50);
    let output = std::process::Command::new(common::bin())
        .args(["--lang", "en", "sites", "--import"])
        .arg(&shp)
        .env_remove("INTEGRATIONSATLAS_DATA")
        .output()
        .expect("binary runs");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1 + 99, "header and 99 sites");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("99 sites loaded") && stderr.contains("1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken record (.shp): 1 – records 50 (\"Punkt 50\"); e.g. record 50"),
        "{stderr}"
    );
}
