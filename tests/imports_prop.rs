//! Property tests of the site CSV and GeoJSON import: no input panics, every loaded site lies in
//! NRW in its Kommune, and an import that loads other sites than the clean file (the same rows
//! without the damaged ones) always carries a report entry. Cases: `PROPTEST_CASES` (256 unless set).

mod common;

use std::path::Path;
use std::sync::OnceLock;

use integrationsatlas::sites::import::{ImportReport, Placer, import_bytes};
use integrationsatlas::sites::{Site, SiteType};
use proptest::prelude::*;
use serde_json::{Value, json};

fn placer() -> &'static Placer<'static> {
    static PLACER: OnceLock<Placer<'static>> = OnceLock::new();
    PLACER.get_or_init(|| {
        let atlas: &'static integrationsatlas::Atlas = Box::leak(Box::new(common::atlas()));
        Placer::new(atlas, &common::bundled_dir()).unwrap()
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

/// Points well inside NRW (lon, lat): Köln, Düsseldorf, Dortmund, Münster, Olpe, Bielefeld, Essen.
const INSIDE: [(f64, f64); 7] = [
    (6.9583, 50.9413),
    (6.7735, 51.2277),
    (7.4653, 51.5136),
    (7.6261, 51.9607),
    (7.8436, 51.0276),
    (8.5325, 52.0302),
    (7.0116, 51.4556),
];

/// What decides whether two imports loaded the same sites (ids and sources carry row numbers).
type Essence = (String, String, String, i64, i64);

fn essence(sites: &[Site]) -> Vec<Essence> {
    sites
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.site_type.code().to_owned(),
                s.kommune_ags.as_str().to_owned(),
                (s.lon * 1e7).round() as i64,
                (s.lat * 1e7).round() as i64,
            )
        })
        .collect()
}

/// Every loaded site lies in the Kommune it names.
fn sites_are_placed(sites: &[Site]) -> Result<(), TestCaseError> {
    let atlas = common::atlas();
    for s in sites {
        let here = atlas.locate(s.x, s.y).map(|l| l.gemeinde.ags.clone());
        let seat = s.precision == "kommune_seat";
        prop_assert!(
            seat || here.as_ref() == Some(&s.kommune_ags),
            "{s:?} lies in {here:?}"
        );
        prop_assert!(s.lon.is_finite() && s.lat.is_finite() && s.x.is_finite());
    }
    Ok(())
}

fn import(name: &str, bytes: &[u8]) -> Result<(Vec<Site>, ImportReport), String> {
    import_bytes(Path::new(name), bytes, placer(), &SiteType::Mbe).map_err(|e| e.to_string())
}

fn good_point() -> impl Strategy<Value = (f64, f64)> {
    (0..INSIDE.len(), -0.004f64..0.004, -0.004f64..0.004)
        .prop_map(|(i, dx, dy)| (INSIDE[i].0 + dx, INSIDE[i].1 + dy))
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß ;,\"'0-9-]{0,14}"
}

fn site_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec!["KI", "JMD", "mbe", "Beratung"]))
}

/// One CSV data row: a good one, or one damaged in a way the import must report.
#[derive(Clone, Debug)]
enum CsvRow {
    Good(String, Option<&'static str>, (f64, f64)),
    NotANumber(String),
    Outside(String),
    NoPosition(String),
    TooFew(String),
    TooMany(String),
    UnknownAgs(String),
}

fn csv_row() -> impl Strategy<Value = CsvRow> {
    prop_oneof![
        4 => (name(), site_type(), good_point()).prop_map(|(n, t, p)| CsvRow::Good(n, t, p)),
        1 => name().prop_map(CsvRow::NotANumber),
        1 => name().prop_map(CsvRow::Outside),
        1 => name().prop_map(CsvRow::NoPosition),
        1 => name().prop_map(CsvRow::TooFew),
        1 => name().prop_map(CsvRow::TooMany),
        1 => name().prop_map(CsvRow::UnknownAgs),
    ]
}

/// Writes rows as CSV with the csv crate: `name;typ;lon;lat;ags` (or comma and decimal point).
fn render_csv(rows: &[CsvRow], semicolon: bool, crlf: bool, bom: bool) -> Vec<u8> {
    let number = |v: f64| {
        let text = format!("{v:.6}");
        if semicolon {
            text.replace('.', ",")
        } else {
            text
        }
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .flexible(true)
        .from_writer(Vec::new());
    writer
        .write_record(["name", "typ", "lon", "lat", "ags"])
        .unwrap();
    for row in rows {
        let fields: Vec<String> = match row {
            CsvRow::Good(n, t, (lon, lat)) => {
                vec![
                    n.clone(),
                    t.unwrap_or("").into(),
                    number(*lon),
                    number(*lat),
                    String::new(),
                ]
            }
            CsvRow::NotANumber(n) => vec![
                n.clone(),
                "".into(),
                "sieben".into(),
                number(51.0),
                "".into(),
            ],
            CsvRow::Outside(n) => {
                vec![n.clone(), "".into(), number(2.35), number(48.85), "".into()]
            }
            CsvRow::NoPosition(n) => vec![n.clone(), "KI".into(), "".into(), "".into(), "".into()],
            CsvRow::TooFew(n) => vec![n.clone(), "".into(), number(7.0)],
            CsvRow::TooMany(n) => {
                vec![
                    n.clone(),
                    "".into(),
                    number(7.0),
                    number(51.0),
                    "".into(),
                    "x".into(),
                ]
            }
            CsvRow::UnknownAgs(n) => vec![
                n.clone(),
                "".into(),
                "".into(),
                "".into(),
                "05999999".into(),
            ],
        };
        writer.write_record(&fields).unwrap();
    }
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(writer.into_inner().unwrap());
    bytes
}

/// A byte-level damage: replace, insert or delete at a position (taken modulo the length).
#[derive(Clone, Debug)]
enum Damage {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let byte = prop_oneof![
        Just(b'"'),
        Just(b';'),
        Just(b','),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'['),
        Just(b'{'),
        Just(b'}'),
        Just(0xff),
        Just(b'N'),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Damage::Replace(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Damage::Insert(i, b)),
        any::<usize>().prop_map(Damage::Delete),
    ]
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let n = bytes.len().max(1);
        match *d {
            Damage::Replace(i, b) if !bytes.is_empty() => bytes[i % n] = b,
            Damage::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Damage::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % n);
            }
            _ => {}
        }
    }
    bytes
}

/// One GeoJSON feature: a good one, or one damaged in a way the import must report.
#[derive(Clone, Debug)]
enum Feature {
    Good(String, Option<&'static str>, (f64, f64), u8),
    NaN(String),
    StringCoordinate(String),
    NoGeometry(String),
    LineString(String),
    TypeNotText(String),
    NameNotText,
    NoObject,
    TwoPoints(String),
    Outside(String),
}

fn feature() -> impl Strategy<Value = Feature> {
    prop_oneof![
        5 => (name(), site_type(), good_point(), 0u8..3)
            .prop_map(|(n, t, p, g)| Feature::Good(n, t, p, g)),
        1 => name().prop_map(Feature::NaN),
        1 => name().prop_map(Feature::StringCoordinate),
        1 => name().prop_map(Feature::NoGeometry),
        1 => name().prop_map(Feature::LineString),
        1 => name().prop_map(Feature::TypeNotText),
        1 => Just(Feature::NameNotText),
        1 => Just(Feature::NoObject),
        1 => name().prop_map(Feature::TwoPoints),
        1 => name().prop_map(Feature::Outside),
    ]
}

fn point_feature(name: Value, site_type: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"name": name, "type": site_type}, "geometry": geometry})
}

fn render_feature(f: &Feature) -> Value {
    let point = |c: Value| json!({"type": "Point", "coordinates": c});
    match f {
        Feature::Good(n, t, (lon, lat), g) => {
            let geometry = match g {
                0 => point(json!([lon, lat])),
                1 => point(json!([lon, lat, 120.5])),
                _ => json!({"type": "MultiPoint", "coordinates": [[lon, lat]]}),
            };
            point_feature(json!(n), json!(t), geometry)
        }
        Feature::NaN(n) => point_feature(json!(n), Value::Null, point(json!(["__NAN__", 51.0]))),
        Feature::StringCoordinate(n) => {
            point_feature(json!(n), Value::Null, point(json!(["7.1", 51.0])))
        }
        Feature::NoGeometry(n) => point_feature(json!(n), Value::Null, Value::Null),
        Feature::LineString(n) => point_feature(
            json!(n),
            Value::Null,
            json!({"type": "LineString", "coordinates": [[7.0, 51.0], [7.1, 51.1]]}),
        ),
        Feature::TypeNotText(n) => {
            point_feature(json!(n), json!(["KI"]), point(json!([7.0, 51.0])))
        }
        Feature::NameNotText => point_feature(json!(42), Value::Null, point(json!([7.0, 51.0]))),
        Feature::NoObject => json!(17),
        Feature::TwoPoints(n) => point_feature(
            json!(n),
            Value::Null,
            json!({"type": "MultiPoint", "coordinates": [[7.0, 51.0], [7.1, 51.1]]}),
        ),
        Feature::Outside(n) => point_feature(json!(n), Value::Null, point(json!([2.35, 48.85]))),
    }
}

fn render_geojson(features: &[Feature], bom: bool) -> Vec<u8> {
    let all: Vec<Value> = features.iter().map(render_feature).collect();
    let text = json!({"type": "FeatureCollection", "features": all})
        .to_string()
        .replace("\"__NAN__\"", "NaN");
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(text.into_bytes());
    bytes
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_damaged_rows_are_reported_and_good_rows_load_as_in_the_clean_file(
        rows in prop::collection::vec(csv_row(), 0..12),
        semicolon: bool, crlf: bool, bom: bool,
    ) {
        let clean: Vec<CsvRow> = rows.iter().filter(|r| matches!(r, CsvRow::Good(..))).cloned().collect();
        let (clean_sites, clean_report) =
            import("clean.csv", &render_csv(&clean, semicolon, crlf, bom)).unwrap();
        prop_assert!(clean_report.is_clean(), "{:?}", clean_report);
        prop_assert_eq!(clean_sites.len(), clean.len());
        let (sites, report) = import("mixed.csv", &render_csv(&rows, semicolon, crlf, bom)).unwrap();
        sites_are_placed(&sites)?;
        let same = essence(&sites) == essence(&clean_sites);
        prop_assert!(same || !report.is_clean(), "different sites without a report entry");
        prop_assert!(same, "{:?}", report.lines(integrationsatlas::i18n::Lang::En));
        prop_assert_eq!(report.failures.len(), rows.len() - clean.len());
    }

    #[test]
    fn csv_byte_damage_never_panics_and_places_every_site_it_loads(
        rows in prop::collection::vec(csv_row(), 0..8),
        damages in prop::collection::vec(damage(), 1..6),
        semicolon: bool, crlf: bool,
    ) {
        let clean = render_csv(&rows, semicolon, crlf, false);
        if let Ok((sites, report)) = import("damaged.csv", &apply(clean, &damages)) {
            sites_are_placed(&sites)?;
            let _ = report.lines(integrationsatlas::i18n::Lang::De);
        }
    }

    #[test]
    fn geojson_damaged_features_are_reported_and_good_ones_load_as_in_the_clean_file(
        features in prop::collection::vec(feature(), 0..12),
        bom: bool,
    ) {
        let clean: Vec<Feature> =
            features.iter().filter(|f| matches!(f, Feature::Good(..))).cloned().collect();
        let (clean_sites, clean_report) = import("clean.geojson", &render_geojson(&clean, bom)).unwrap();
        prop_assert!(clean_report.is_clean(), "{:?}", clean_report);
        prop_assert_eq!(clean_sites.len(), clean.len());
        let (sites, report) = import("mixed.geojson", &render_geojson(&features, bom)).unwrap();
        sites_are_placed(&sites)?;
        let same = essence(&sites) == essence(&clean_sites);
        prop_assert!(same || !report.is_clean(), "different sites without a report entry");
        prop_assert!(same, "{:?}", report.lines(integrationsatlas::i18n::Lang::En));
        prop_assert_eq!(report.failures.len(), features.len() - clean.len());
    }

    #[test]
    fn geojson_byte_damage_never_panics_and_places_every_site_it_loads(
        features in prop::collection::vec(feature(), 0..8),
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let clean = render_geojson(&features, false);
        if let Ok((sites, report)) = import("damaged.geojson", &apply(clean, &damages)) {
            sites_are_placed(&sites)?;
            let _ = report.lines(integrationsatlas::i18n::Lang::En);
        }
    }
}
