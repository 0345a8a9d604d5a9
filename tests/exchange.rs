//! GIS exchange: `regions`/`sites --format gpkg|geojson --out FILE` read back through an
//! independent reader (rusqlite and a WKB parser written here), through GDAL's `ogrinfo` where
//! installed (`.ci/run` installs gdal-bin), and compared with the CSV output; addresses placed
//! by their PLZ; the errors of a bad `--out`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::bin;

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A little-endian reader over a byte slice.
struct Bytes<'a>(&'a [u8], usize);

impl Bytes<'_> {
    fn u32(&mut self) -> u32 {
        let v = u32::from_le_bytes(self.0[self.1..self.1 + 4].try_into().unwrap());
        self.1 += 4;
        v
    }
    fn f64(&mut self) -> f64 {
        let v = f64::from_le_bytes(self.0[self.1..self.1 + 8].try_into().unwrap());
        self.1 += 8;
        v
    }
    fn u8(&mut self) -> u8 {
        self.1 += 1;
        self.0[self.1 - 1]
    }
}

/// Parses a GeoPackage geometry blob: checks the header and returns the srs id, the envelope
/// (if any) and the polygons' rings of a MULTIPOLYGON (or one ring of one point for a POINT).
/// Polygons as rings of (x, y).
type Polygons = Vec<Vec<Vec<(f64, f64)>>>;

fn parse_gpkg(blob: &[u8]) -> (i32, Option<[f64; 4]>, Polygons) {
    assert_eq!(&blob[..2], b"GP", "magic");
    assert_eq!(blob[2], 0, "version 1");
    let flags = blob[3];
    assert_eq!(flags & 1, 1, "little endian header");
    let srs = i32::from_le_bytes(blob[4..8].try_into().unwrap());
    let mut r = Bytes(blob, 8);
    let envelope = match (flags >> 1) & 7 {
        0 => None,
        1 => Some([r.f64(), r.f64(), r.f64(), r.f64()]),
        other => panic!("unexpected envelope code {other}"),
    };
    assert_eq!(r.u8(), 1, "WKB little endian");
    let polygons = match r.u32() {
        1 => vec![vec![vec![(r.f64(), r.f64())]]],
        6 => (0..r.u32())
            .map(|_| {
                assert_eq!(r.u8(), 1);
                assert_eq!(r.u32(), 3, "POLYGON inside MULTIPOLYGON");
                (0..r.u32())
                    .map(|_| (0..r.u32()).map(|_| (r.f64(), r.f64())).collect())
                    .collect()
            })
            .collect(),
        other => panic!("unexpected WKB type {other}"),
    };
    assert_eq!(r.1, blob.len(), "no trailing bytes");
    (srs, envelope, polygons)
}

fn ring_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

fn sql_text(value: rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => serde_json::json!(r).to_string(),
        Value::Text(t) => t,
        Value::Blob(_) => "<blob>".to_owned(),
    }
}

#[test]
fn the_kreis_geopackage_holds_53_regions_in_epsg_25832_with_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kreise.gpkg");
    ok(&[
        "regions",
        "--level",
        "kreis",
        "--format",
        "gpkg",
        "--out",
        path.to_str().unwrap(),
    ]);
    let csv_text = ok(&["regions", "--level", "kreis"]);
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 53);

    let db = rusqlite::Connection::open(&path).unwrap();
    let app: i32 = db
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x4750_4B47, "application_id 'GPKG'");
    let version: i32 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10300);
    let (kind, srs): (String, i32) = db
        .query_row(
            "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'regions_kreis'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), srs), ("MULTIPOLYGON", 25832));
    let (org, code, wkt): (String, i32, String) = db
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = 25832",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((org.as_str(), code), ("EPSG", 25832));
    assert!(wkt.starts_with("PROJCS[\"ETRS89 / UTM zone 32N\""));
    let (data_type, contents_srs): (String, i32) = db
        .query_row(
            "SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'regions_kreis'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((data_type.as_str(), contents_srs), ("features", 25832));

    let columns = header
        .iter()
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = db
        .prepare(&format!(
            "SELECT geom, {columns} FROM regions_kreis ORDER BY fid"
        ))
        .unwrap();
    let mut features = stmt.query([]).unwrap();
    let mut n = 0;
    while let Some(feature) = features.next().unwrap() {
        let row = &rows[n];
        for (i, name) in header.iter().enumerate() {
            let value: rusqlite::types::Value = feature.get(i + 1).unwrap();
            let (got, want) = (sql_text(value), &row[i]);
            match (got.parse::<f64>(), want.parse::<f64>()) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{} {name}", &row[0]),
                _ => assert_eq!(&got, want, "{} {name}", &row[0]),
            }
        }
        let blob: Vec<u8> = feature.get(0).unwrap();
        let (srs, envelope, polygons) = parse_gpkg(&blob);
        assert_eq!(srs, 25832);
        let [min_x, max_x, min_y, max_y] = envelope.expect("an envelope for areas");
        assert!(
            min_x > 250_000.0 && max_x < 560_000.0 && min_y > 5_560_000.0 && max_y < 5_840_000.0
        );
        let area_km2: f64 = polygons
            .iter()
            .map(|rings| {
                ring_area(&rings[0]).abs()
                    - rings[1..].iter().map(|r| ring_area(r).abs()).sum::<f64>()
            })
            .sum::<f64>()
            / 1e6;
        let expected: f64 = row[4].parse().unwrap();
        assert!(
            (area_km2 - expected).abs() < 0.01,
            "{}: {area_km2} vs {expected}",
            &row[0]
        );
        if &row[0] == "05966" {
            assert_eq!(&row[1], "Olpe");
            assert_eq!(&row[5], "133955");
        }
        n += 1;
    }
    assert_eq!(n, 53);
}

/// `ogrinfo`, if GDAL is installed.
fn ogrinfo(args: &[&str]) -> Option<String> {
    let out = Command::new("ogrinfo").args(args).output().ok()?;
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn gdal_opens_the_geopackages_with_counts_crs_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let regions = dir.path().join("gemeinden.gpkg");
    let sites = dir.path().join("sites.gpkg");
    ok(&[
        "regions",
        "--level",
        "gemeinde",
        "--format",
        "gpkg",
        "--out",
        regions.to_str().unwrap(),
    ]);
    ok(&[
        "sites",
        "--format",
        "gpkg",
        "--out",
        sites.to_str().unwrap(),
    ]);
    let Some(summary) = ogrinfo(&["-so", regions.to_str().unwrap(), "regions_gemeinde"]) else {
        eprintln!("SKIPPED: ogrinfo (gdal-bin) is not installed; .ci/run installs it");
        return;
    };
    assert!(summary.contains("Feature Count: 396"), "{summary}");
    assert!(summary.contains("Geometry: Multi Polygon"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",25832]"), "{summary}");
    let koeln = ogrinfo(&[
        "-q",
        regions.to_str().unwrap(),
        "regions_gemeinde",
        "-where",
        "ags = '05315000'",
        "-geom=NO",
    ])
    .unwrap();
    let csv_text = ok(&["regions", "--level", "gemeinde"]);
    let csv_koeln = csv_text
        .lines()
        .find(|l| l.starts_with("05315000,"))
        .unwrap();
    let population = csv_koeln.split(',').nth(5).unwrap();
    assert_eq!(population, "1087863");
    assert!(koeln.contains("name (String) = Köln"), "{koeln}");
    assert!(
        koeln.contains(&format!("population (Integer64) = {population}")),
        "{koeln}"
    );
    let site_summary = ogrinfo(&["-so", sites.to_str().unwrap(), "sites"]).unwrap();
    let csv_sites = ok(&["sites"]).lines().count() - 1;
    assert!(
        site_summary.contains(&format!("Feature Count: {csv_sites}")),
        "{site_summary}"
    );
    assert!(site_summary.contains("Geometry: Point"), "{site_summary}");
    assert!(site_summary.contains("precision: String"), "{site_summary}");
}

#[test]
fn the_gemeinde_geojson_is_wgs84_with_right_hand_rings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gemeinden.geojson");
    ok(&[
        "regions",
        "--level",
        "gemeinde",
        "--format",
        "geojson",
        "--out",
        path.to_str().unwrap(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["type"], "FeatureCollection");
    assert!(json.get("crs").is_none(), "RFC 7946: no crs member");
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 396);
    let koeln = features
        .iter()
        .find(|f| f["properties"]["ags"] == "05315000")
        .unwrap();
    assert_eq!(koeln["properties"]["name"], "Köln");
    assert_eq!(koeln["properties"]["population"], 1_087_863);
    for feature in features {
        for polygon in feature["geometry"]["coordinates"].as_array().unwrap() {
            let rings: Vec<Vec<(f64, f64)>> = polygon
                .as_array()
                .unwrap()
                .iter()
                .map(|ring| {
                    ring.as_array()
                        .unwrap()
                        .iter()
                        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                        .collect()
                })
                .collect();
            assert!(
                rings[0]
                    .iter()
                    .all(|&(lon, lat)| (5.8..9.5).contains(&lon) && (50.3..52.6).contains(&lat))
            );
            assert!(ring_area(&rings[0]) > 0.0, "outer ring counter-clockwise");
            assert!(
                rings[1..].iter().all(|r| ring_area(r) < 0.0),
                "holes clockwise"
            );
        }
    }
}

const ADDRESSES: &str = "Name;Straße;Hausnummer;PLZ;Ort;Kapazität\n\
Ausländerbehörde Köln;Blumenthalstraße;33;50670;Köln;40\n\
Büro Selfkant;Am Rathaus;13;52538;Selfkant;\n\
Büro Olpe;Franziskanerstraße;6;99999;Olpe;3\n\
Unbekannt;Irgendwo;1;12345;;\n";

#[test]
fn addresses_are_placed_by_plz_then_ort_and_the_rest_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("buero.csv");
    std::fs::write(&file, ADDRESSES).unwrap();
    let out = run(&["--lang", "en", "sites", "--import", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows.len(), 4, "{stdout}\n{stderr}");
    assert!(
        rows[1].contains("Ausländerbehörde Köln")
            && rows[1].contains(",05315000,")
            && rows[1].contains(",plz,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(",05370024,") && rows[2].contains(",plz,"),
        "Selfkant, not Gangelt: {}",
        rows[2]
    );
    assert!(
        rows[3].contains(",05966024,") && rows[3].contains(",kommune_seat,"),
        "{}",
        rows[3]
    );
    assert!(
        stderr.contains("3 sites loaded") && stderr.contains("1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sites by precision: kommune_seat 1, plz 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 5") && stderr.contains("PLZ 12345 does not exist in NRW and no Ort"),
        "{stderr}"
    );

    let gpkg = dir.path().join("buero.gpkg");
    ok(&[
        "sites",
        "--import",
        file.to_str().unwrap(),
        "--format",
        "gpkg",
        "--out",
        gpkg.to_str().unwrap(),
    ]);
    let db = rusqlite::Connection::open(&gpkg).unwrap();
    let (street, number, plz, city, capacity): (String, String, String, String, Option<f64>) = db
        .query_row(
            "SELECT street, house_number, postcode, city, capacity FROM sites WHERE name = 'Ausländerbehörde Köln'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (
            street.as_str(),
            number.as_str(),
            plz.as_str(),
            city.as_str()
        ),
        ("Blumenthalstraße", "33", "50670", "Köln")
    );
    assert_eq!(capacity, Some(40.0));
    let description: String = db
        .query_row(
            "SELECT description FROM gpkg_contents WHERE table_name = 'sites'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        description.contains("© OpenStreetMap contributors, ODbL"),
        "{description}"
    );
    let geojson = dir.path().join("buero.geojson");
    ok(&[
        "sites",
        "--import",
        file.to_str().unwrap(),
        "--format",
        "geojson",
        "--out",
        geojson.to_str().unwrap(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    assert!(
        json["attribution"]
            .as_str()
            .unwrap()
            .contains("OpenStreetMap")
    );
    assert_eq!(
        json["features"][1]["properties"]["capacity"],
        serde_json::Value::Null
    );
}

#[test]
fn a_geopackage_needs_out_and_a_writable_folder() {
    let out = run(&["regions", "--level", "kreis", "--format", "gpkg"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--format gpkg writes a file: add --out FILE.gpkg"),
        "{stderr}"
    );
    let out = run(&["sites", "--format", "gpkg", "--out", "/no/such/dir/s.gpkg"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/no/such/dir/s.gpkg: cannot write: folder /no/such/dir not found"),
        "{stderr}"
    );
    assert!(!Path::new("/no/such/dir").exists());
}

#[test]
fn a_table_with_out_is_written_atomically_and_equals_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kreise.csv");
    let stdout = ok(&[
        "regions",
        "--level",
        "kreis",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        ok(&["regions", "--level", "kreis"])
    );
}

#[test]
fn address_columns_named_by_the_user_place_rows_the_headers_leave_unclear() {
    use integrationsatlas::sites::SiteType;
    use integrationsatlas::sites::import::{AddressColumns, Placer, import_bytes_with};
    let atlas = common::atlas();
    let placer = Placer::new(&atlas, &common::bundled_dir()).unwrap();
    let text =
        "Einrichtung;Post-Leitzahl;Wo\nBüro Attendorn;57439;Attendorn\nBüro X;00000;Nirgendwo\n";
    let path = Path::new("eigene.csv");
    let own = SiteType::parse("EIGEN");
    let err = import_bytes_with(
        path,
        text.as_bytes(),
        &placer,
        &own,
        &AddressColumns::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("The columns are Einrichtung, Post-Leitzahl, Wo"),
        "{err}"
    );
    let columns = AddressColumns {
        postcode: Some("Post-Leitzahl".to_owned()),
        city: Some("Wo".to_owned()),
        ..AddressColumns::default()
    };
    let imported = import_bytes_with(path, text.as_bytes(), &placer, &own, &columns).unwrap();
    assert_eq!(imported.sites.len(), 1);
    assert_eq!(
        imported.sites[0].kommune_ags.as_str(),
        "05966004",
        "Attendorn"
    );
    assert_eq!(imported.sites[0].precision, "plz");
    assert_eq!(imported.details["EIGEN-2"].address.postcode, "57439");
    assert_eq!(imported.report.failures.len(), 1);
    assert_eq!(imported.report.failures[0].number, 3, "line 3 listed");
    assert_eq!(imported.report.by_precision.get("plz"), Some(&1));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
    ))]

    /// Any PLZ and Ort text is placed, or rejected with its line; never a panic, and a placed
    /// row's precision says how.
    #[test]
    fn any_address_row_is_placed_or_listed(plz in "[0-9D -]{0,7}", ort in "[A-Za-zÄÖÜäöüß -]{0,12}") {
        use integrationsatlas::sites::import::{AddressColumns, Placer, import_bytes_with};
        static PLACER: std::sync::OnceLock<std::sync::Arc<integrationsatlas::Atlas>> = std::sync::OnceLock::new();
        let atlas = PLACER.get_or_init(common::atlas);
        let placer = Placer::new(atlas, &common::bundled_dir()).unwrap();
        let text = format!("name;plz;ort\nx;{plz};{ort}\n");
        let own = integrationsatlas::sites::SiteType::parse("EIGEN");
        let imported = import_bytes_with(Path::new("a.csv"), text.as_bytes(), &placer, &own, &AddressColumns::default()).unwrap();
        proptest::prop_assert_eq!(imported.sites.len() + imported.report.failures.len(), 1);
        if let Some(site) = imported.sites.first() {
            proptest::prop_assert!(site.precision == "plz" || site.precision == "kommune_seat");
        } else {
            proptest::prop_assert_eq!(imported.report.failures[0].number, 2);
        }
    }
}

/// `tests/data/standorte.xlsx` (made with openpyxl): sheet `Standorte` holds three address
/// rows (PLZ as numbers and as text), `Schlüssel` AGS stored as numbers (leading zero lost),
/// `Koordinaten` lon/lat as float cells.
fn sheet_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/standorte.xlsx")
}

/// Imports `bytes` as `name` with the sheet `sheet`.
fn import_own(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> integrationsatlas::sites::import::ImportedSites {
    use integrationsatlas::sites::import::{AddressColumns, Placer, import_bytes_with};
    static ATLAS: std::sync::OnceLock<std::sync::Arc<integrationsatlas::Atlas>> =
        std::sync::OnceLock::new();
    let atlas = ATLAS.get_or_init(common::atlas);
    let placer = Placer::new(atlas, &common::bundled_dir()).unwrap();
    let columns = AddressColumns {
        sheet: sheet.map(str::to_owned),
        ..AddressColumns::default()
    };
    let own = integrationsatlas::sites::SiteType::parse("EIGEN");
    import_bytes_with(Path::new(name), bytes, &placer, &own, &columns).unwrap()
}

/// The sites of an import as (id, name, Gemeinde, precision, lon, lat).
fn placed(
    imported: &integrationsatlas::sites::import::ImportedSites,
) -> Vec<(String, String, String, String, f64, f64)> {
    imported
        .sites
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.name.clone(),
                s.kommune_ags.as_str().to_owned(),
                s.precision.clone(),
                s.lon,
                s.lat,
            )
        })
        .collect()
}

#[test]
fn an_xlsx_site_file_is_placed_exactly_as_the_csv_with_the_same_rows() {
    let xlsx = std::fs::read(sheet_fixture()).unwrap();
    let from_sheet = import_own("standorte.xlsx", &xlsx, None);
    let csv = "name;strasse;hausnummer;plz;ort\n\
               Ausländerbehörde Köln;Blumenberger Straße;1;50667;Köln\n\
               Amt Düsseldorf;Willi-Becker-Allee;7;40227;Düsseldorf\n\
               Büro Attendorn;Kölner Str.;12a;57439;Attendorn\n";
    let from_csv = import_own("standorte.csv", csv.as_bytes(), None);
    assert_eq!(from_sheet.sites.len(), 3, "{:?}", from_sheet.report);
    assert_eq!(placed(&from_sheet), placed(&from_csv));
    let gemeinden: Vec<_> = placed(&from_sheet).into_iter().map(|p| p.2).collect();
    assert_eq!(gemeinden, ["05315000", "05111000", "05966004"]);
    assert!(from_sheet.sites.iter().all(|s| s.precision == "plz"));
    assert_eq!(from_sheet.report.by_precision.get("plz"), Some(&3));
    assert_eq!(from_sheet.details, from_csv.details);
    assert_eq!(from_sheet.details["EIGEN-2"].address.house_number, "1");
    assert_eq!(from_sheet.details["EIGEN-4"].address.house_number, "12a");
    assert!(from_sheet.report.failures.is_empty());
}

#[test]
fn keys_stored_as_numbers_get_their_leading_zero_back_with_a_note() {
    let xlsx = std::fs::read(sheet_fixture()).unwrap();
    let from_sheet = import_own("standorte.xlsx", &xlsx, Some("Schlüssel"));
    let csv = "name;ags\nKöln;05315000\nKreis Olpe;05966\nDüsseldorf;05111000\n";
    let from_csv = import_own("keys.csv", csv.as_bytes(), None);
    assert_eq!(from_sheet.sites.len(), 3, "{:?}", from_sheet.report);
    assert_eq!(placed(&from_sheet), placed(&from_csv));
    assert_eq!(from_sheet.sites[0].kommune_ags.as_str(), "05315000");
    assert_eq!(
        from_sheet.sites[1].kommune_ags.as_str(),
        "05966024",
        "Olpe, the Kreis seat"
    );
    let notes: Vec<_> = from_sheet
        .report
        .notes
        .iter()
        .map(|n| n.get(integrationsatlas::i18n::Lang::En).to_owned())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("AGS stored as a number, leading zero restored (rows 2)")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(
            |n| n.starts_with("AGS (Kreis) stored as a number, leading zero restored (rows 3)")
        ),
        "{notes:?}"
    );
}

#[test]
fn float_coordinate_cells_read_as_their_exact_value() {
    let xlsx = std::fs::read(sheet_fixture()).unwrap();
    let from_sheet = import_own("standorte.xlsx", &xlsx, Some("koordinaten"));
    let csv = "name;lon;lat\nDom;6,9583;50,9413\nRheinturm;6,7735;51,2277\n";
    let from_csv = import_own("pos.csv", csv.as_bytes(), None);
    assert_eq!(placed(&from_sheet), placed(&from_csv));
    assert_eq!(
        (from_sheet.sites[0].lon, from_sheet.sites[0].lat),
        (6.9583, 50.9413)
    );
    assert_eq!(from_sheet.sites[1].kommune_ags.as_str(), "05111000");
}

#[test]
fn a_missing_sheet_is_named_with_the_sheets_there_are() {
    use integrationsatlas::sites::import::{AddressColumns, Placer, import_bytes_with};
    let atlas = common::atlas();
    let placer = Placer::new(&atlas, &common::bundled_dir()).unwrap();
    let xlsx = std::fs::read(sheet_fixture()).unwrap();
    let columns = AddressColumns {
        sheet: Some("Tabelle9".to_owned()),
        ..AddressColumns::default()
    };
    let own = integrationsatlas::sites::SiteType::parse("EIGEN");
    let err = import_bytes_with(Path::new("s.xlsx"), &xlsx, &placer, &own, &columns).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("s.xlsx") && text.contains("no sheet \"Tabelle9\""),
        "{text}"
    );
    assert!(text.contains("Standorte, Schlüssel, Koordinaten"), "{text}");
    let err =
        import_bytes_with(Path::new("s.xlsx"), b"not a zip", &placer, &own, &columns).unwrap_err();
    assert!(
        err.to_string().contains("cannot open the spreadsheet"),
        "{err}"
    );
}

#[test]
fn the_cli_imports_a_site_sheet() {
    let fixture = sheet_fixture();
    let out = ok(&["sites", "--import", fixture.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(out.contains("Büro Attendorn"), "{out}");
    assert!(out.contains("05966004"), "{out}");
}

/// The CSV of a grid command as (ags → column → text).
fn grid_csv(args: &[&str]) -> std::collections::HashMap<String, Vec<(String, String)>> {
    let text = ok(args);
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    csv.records()
        .map(|r| {
            let r = r.unwrap();
            let pairs = header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.clone(), v.to_owned()))
                .collect();
            (r[0].to_owned(), pairs)
        })
        .collect()
}

#[test]
fn the_kreis_geopackage_carries_the_grid_coverage_and_access_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kreise.gpkg");
    ok(&[
        "regions",
        "--level",
        "kreis",
        "--format",
        "gpkg",
        "--out",
        path.to_str().unwrap(),
        "--grid-coverage",
        "ABH",
        "--threshold-km",
        "15",
        "--access",
        "ABH",
        "--catchment-km",
        "7.5",
    ]);
    let coverage = grid_csv(&[
        "grid-coverage",
        "--type",
        "ABH",
        "--threshold-km",
        "15",
        "--level",
        "kreis",
    ]);
    let access = grid_csv(&[
        "access",
        "--type",
        "ABH",
        "--catchment-km",
        "7.5",
        "--level",
        "kreis",
    ]);
    assert_eq!(coverage.len(), 53);
    let db = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = db
        .prepare("SELECT * FROM regions_kreis ORDER BY fid")
        .unwrap();
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    assert!(
        names.contains(&"abh_15km_einwohner_beyond".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"abh_access_7_5km".to_owned()), "{names:?}");
    let mut features = stmt.query([]).unwrap();
    let mut n = 0;
    let mut checked = 0;
    while let Some(feature) = features.next().unwrap() {
        let get = |column: &str| -> String {
            let i = names.iter().position(|n| n == column).unwrap();
            sql_text(feature.get(i).unwrap())
        };
        let ags = get("ags");
        for (column, want) in &coverage[&ags] {
            if column == "ags" || column == "name" {
                continue;
            }
            let got = get(&format!("abh_15km_{column}"));
            match (got.parse::<f64>(), want.parse::<f64>()) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{ags} {column}"),
                _ => assert_eq!(&got, want, "{ags} {column}"),
            }
            checked += 1;
        }
        let want = &access[&ags].iter().find(|(c, _)| c == "value").unwrap().1;
        let got = get("abh_access_7_5km");
        assert_eq!(
            got.parse::<f64>().ok(),
            want.parse::<f64>().ok(),
            "{ags} access"
        );
        n += 1;
    }
    assert_eq!(n, 53);
    assert_eq!(checked, 53 * 11);
    let olpe = &coverage["05966"];
    assert!(
        olpe.iter()
            .any(|(c, v)| c == "einwohner" && v.parse::<u64>().unwrap() > 100_000)
    );
}

#[test]
fn grid_columns_need_a_gis_layer() {
    let out = run(&[
        "regions",
        "--level",
        "kreis",
        "--grid-coverage",
        "ABH",
        "--threshold-km",
        "15",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format gpkg|geojson"));
}

#[test]
fn the_catchment_geopackage_holds_the_outlines_with_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abh.gpkg");
    let out = run(&[
        "catchments",
        "--type",
        "ABH",
        "--format",
        "gpkg",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cells: f64 = stderr
        .split(" cells with their centre in NRW")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    let csv_text = ok(&["catchments", "--type", "ABH"]);
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let db = rusqlite::Connection::open(&path).unwrap();
    let (kind, srs): (String, i32) = db
        .query_row(
            "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'catchments'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), srs), ("MULTIPOLYGON", 25832));
    let mut stmt = db
        .prepare("SELECT geom, site_id, name, einwohner, auslaender, max_km FROM catchments ORDER BY fid")
        .unwrap();
    let mut features = stmt.query([]).unwrap();
    let (mut n, mut area) = (0, 0.0);
    while let Some(feature) = features.next().unwrap() {
        for (i, want) in rows[n].iter().enumerate() {
            let got = sql_text(feature.get(i + 1).unwrap());
            match (got.parse::<f64>(), want.parse::<f64>()) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "row {n} column {i}"),
                _ => assert_eq!(&got, want, "row {n} column {i}"),
            }
        }
        let blob: Vec<u8> = feature.get(0).unwrap();
        let (srs, _, polygons) = parse_gpkg(&blob);
        assert_eq!(srs, 25832);
        for polygon in &polygons {
            let (outer, holes) = polygon.split_first().unwrap();
            area += ring_area(outer).abs() - holes.iter().map(|h| ring_area(h).abs()).sum::<f64>();
        }
        n += 1;
    }
    assert_eq!(n, rows.len());
    assert!(n > 40, "one catchment per Ausländerbehörde: {n}");
    let km2 = area / 1e6;
    assert!(
        (km2 - cells).abs() < cells * 0.005,
        "{km2} km² of outlines for {cells} cells"
    );
}
