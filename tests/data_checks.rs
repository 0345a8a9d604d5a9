//! The boundary data checks itself on load: copies of the bundled `geodata/` damaged in the ways
//! of issue 11 (swapped `.shx` entries, NaN coordinates, empty polygons, a wrong `.cpg`, a wrong
//! `.prj`, changed bytes) give an error or a warning naming the file and record — never a
//! silently different atlas.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use integrationsatlas::data::load_atlas;
use integrationsatlas::model::Level;
use integrationsatlas::{Ags, LoadError};

const GEM_SHP: &str = "dvg2/dvg2gem_nw.shp";

/// The 1-based record of the Gemeinde called `name` in the bundled Gemeinde layer.
fn record_of(name: &str) -> usize {
    let mut reader =
        shapefile::dbase::Reader::from_path(common::bundled_dir().join("dvg2/dvg2gem_nw.dbf"))
            .unwrap();
    let records = reader.read().unwrap();
    records
        .iter()
        .position(|r| {
            matches!(r.get("GN"), Some(shapefile::dbase::FieldValue::Character(Some(n))) if n.trim() == name)
        })
        .unwrap_or_else(|| panic!("{name} not in the layer"))
        + 1
}

fn be_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Byte offset of record `n` (1-based) in the .shp, from the .shx.
fn offset_of(shx: &[u8], n: usize) -> usize {
    be_i32(shx, 100 + 8 * (n - 1)) as usize * 2
}

/// Rewrites record `n`'s content in a layer, keeping .shp and .shx consistent (offsets, lengths).
fn replace_record(shp_path: &Path, n: usize, content: Vec<u8>) {
    let shx_path = shp_path.with_extension("shx");
    let shp = fs::read(shp_path).unwrap();
    let shx = fs::read(&shx_path).unwrap();
    let count = (shx.len() - 100) / 8;
    let mut new_shp = shp[..100].to_vec();
    let mut new_shx = shx[..100].to_vec();
    for i in 1..=count {
        let at = offset_of(&shx, i);
        let len = be_i32(&shp, at + 4) as usize * 2;
        let body = if i == n {
            content.clone()
        } else {
            shp[at + 8..at + 8 + len].to_vec()
        };
        new_shx.extend_from_slice(&((new_shp.len() / 2) as i32).to_be_bytes());
        new_shx.extend_from_slice(&((body.len() / 2) as i32).to_be_bytes());
        new_shp.extend_from_slice(&(i as i32).to_be_bytes());
        new_shp.extend_from_slice(&((body.len() / 2) as i32).to_be_bytes());
        new_shp.extend_from_slice(&body);
    }
    let shp_words = (new_shp.len() / 2) as i32;
    new_shp[24..28].copy_from_slice(&shp_words.to_be_bytes());
    let shx_words = (new_shx.len() / 2) as i32;
    new_shx[24..28].copy_from_slice(&shx_words.to_be_bytes());
    fs::write(shp_path, new_shp).unwrap();
    fs::write(shx_path, new_shx).unwrap();
}

fn load_error(dir: &Path) -> (LoadError, String) {
    let err = load_atlas(dir).expect_err("loading must fail");
    let message = err.to_string();
    (err, message)
}

fn ends_with(path: &Path, tail: &str) -> bool {
    path.to_string_lossy().replace('\\', "/").ends_with(tail)
}

#[test]
fn bundled_data_loads_without_warnings() {
    let atlas = common::atlas();
    assert_eq!(atlas.provenance.warnings, Vec::<String>::new());
}

#[test]
fn swapped_shx_entries_are_an_error_naming_the_entry() {
    let (kaarst, wipperfuerth) = (record_of("Kaarst"), record_of("Wipperfürth"));
    let temp = common::copy_of_bundled();
    let shx = temp.path().join("dvg2/dvg2gem_nw.shx");
    let mut bytes = fs::read(&shx).unwrap();
    let (a, b) = (100 + 8 * (kaarst - 1), 100 + 8 * (wipperfuerth - 1));
    let entry_a: [u8; 8] = bytes[a..a + 8].try_into().unwrap();
    let entry_b: [u8; 8] = bytes[b..b + 8].try_into().unwrap();
    bytes[a..a + 8].copy_from_slice(&entry_b);
    bytes[b..b + 8].copy_from_slice(&entry_a);
    fs::write(&shx, bytes).unwrap();

    let (err, message) = load_error(temp.path());
    let first = kaarst.min(wipperfuerth);
    let other = kaarst.max(wipperfuerth);
    match &err {
        LoadError::BrokenShapefile { path, record, .. } => {
            assert!(ends_with(path, "dvg2/dvg2gem_nw.shx"), "{message}");
            assert_eq!(*record, first, "{message}");
        }
        other => panic!("unexpected {other}"),
    }
    assert!(
        message.contains(&format!("entry {first} points at byte"))
            && message.contains(&format!("where record {other} starts"))
            && message.contains("dvg2gem_nw.shp"),
        "{message}"
    );
}

#[test]
fn swapped_records_consistent_in_shp_and_shx_fail_the_nesting_check() {
    // Kaarst (Rhein-Kreis Neuss) and Wipperfürth (Oberbergischer Kreis) exchange geometry, with
    // record numbers rewritten so that .shp and .shx agree: only the nesting check can tell.
    let (kaarst, wipperfuerth) = (record_of("Kaarst"), record_of("Wipperfürth"));
    let temp = common::copy_of_bundled();
    let shp_path = temp.path().join(GEM_SHP);
    let shx_path = shp_path.with_extension("shx");
    let mut shp = fs::read(&shp_path).unwrap();
    let mut shx = fs::read(&shx_path).unwrap();
    let (at_k, at_w) = (offset_of(&shx, kaarst), offset_of(&shx, wipperfuerth));
    shp[at_k..at_k + 4].copy_from_slice(&(wipperfuerth as i32).to_be_bytes());
    shp[at_w..at_w + 4].copy_from_slice(&(kaarst as i32).to_be_bytes());
    let (a, b) = (100 + 8 * (kaarst - 1), 100 + 8 * (wipperfuerth - 1));
    let entry_a: [u8; 8] = shx[a..a + 8].try_into().unwrap();
    let entry_b: [u8; 8] = shx[b..b + 8].try_into().unwrap();
    shx[a..a + 8].copy_from_slice(&entry_b);
    shx[b..b + 8].copy_from_slice(&entry_a);
    fs::write(&shp_path, shp).unwrap();
    fs::write(&shx_path, shx).unwrap();

    let (err, message) = load_error(temp.path());
    match &err {
        LoadError::Inconsistent { path, record, .. } => {
            assert!(ends_with(path, GEM_SHP), "{message}");
            assert_eq!(*record, kaarst, "{message}");
        }
        other => panic!("unexpected {other}"),
    }
    // Kaarst (05162016) comes first by AGS; its point now lies in the Oberbergischer Kreis.
    assert!(
        message.contains("Kaarst (05162016) lies in Oberbergischer Kreis (05374)")
            && message.contains("not in Rhein-Kreis Neuss (05162)")
            && message.contains("dvg2krs_nw.shp"),
        "{message}"
    );
}

#[test]
fn nan_coordinate_is_invalid_geometry_naming_record_and_point() {
    let xanten = record_of("Xanten");
    let temp = common::copy_of_bundled();
    let shp_path = temp.path().join(GEM_SHP);
    let shx = fs::read(shp_path.with_extension("shx")).unwrap();
    let mut shp = fs::read(&shp_path).unwrap();
    let at = offset_of(&shx, xanten) + 8;
    let parts = i32::from_le_bytes(shp[at + 36..at + 40].try_into().unwrap()) as usize;
    // The x of the third point of the first part.
    let x = at + 44 + 4 * parts + 2 * 16;
    shp[x..x + 8].copy_from_slice(&f64::NAN.to_le_bytes());
    fs::write(&shp_path, shp).unwrap();

    let (err, message) = load_error(temp.path());
    match &err {
        LoadError::InvalidGeometry { path, record, .. } => {
            assert!(ends_with(path, GEM_SHP), "{message}");
            assert_eq!(*record, xanten);
        }
        other => panic!("unexpected {other}"),
    }
    assert!(
        message.contains(&format!(
            "record {xanten}: invalid geometry: point 3 of part 1"
        )) && message.contains("NaN"),
        "{message}"
    );
}

/// Polygon record content with the given rings (shape type 5, bbox, parts, points).
fn polygon_content(rings: &[Vec<(f64, f64)>]) -> Vec<u8> {
    let mut out = 5i32.to_le_bytes().to_vec();
    let all: Vec<(f64, f64)> = rings.iter().flatten().copied().collect();
    let min_x = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let min_y = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max_x = all.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let max_y = all.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    for v in [min_x, min_y, max_x, max_y] {
        out.extend_from_slice(&if v.is_finite() { v } else { 0.0 }.to_le_bytes());
    }
    out.extend_from_slice(&(rings.len() as i32).to_le_bytes());
    out.extend_from_slice(&(all.len() as i32).to_le_bytes());
    let mut start = 0i32;
    for ring in rings {
        out.extend_from_slice(&start.to_le_bytes());
        start += ring.len() as i32;
    }
    for (x, y) in all {
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
    }
    out
}

#[test]
fn polygon_with_no_points_is_invalid_geometry() {
    let weeze = record_of("Weeze");
    let temp = common::copy_of_bundled();
    replace_record(&temp.path().join(GEM_SHP), weeze, polygon_content(&[]));
    let (err, message) = load_error(temp.path());
    assert!(
        matches!(&err, LoadError::InvalidGeometry { record, .. } if *record == weeze),
        "{message}"
    );
    assert!(
        message.contains("dvg2gem_nw.shp")
            && message.contains(&format!(
                "record {weeze}: invalid geometry: the polygon has no rings (0 points)"
            )),
        "{message}"
    );
}

#[test]
fn ring_of_three_points_and_zero_area_polygon_are_invalid() {
    let weeze = record_of("Weeze");
    let triangle = vec![
        (300_000.0, 5_700_000.0),
        (301_000.0, 5_700_000.0),
        (300_000.0, 5_700_000.0),
    ];
    let flat = vec![
        (300_000.0, 5_700_000.0),
        (301_000.0, 5_700_000.0),
        (302_000.0, 5_700_000.0),
        (300_000.0, 5_700_000.0),
    ];
    for (ring, expected) in [
        (
            triangle,
            "part 1 has 3 points; a polygon ring needs at least 4",
        ),
        (flat, "the polygon has no area"),
    ] {
        let temp = common::copy_of_bundled();
        replace_record(&temp.path().join(GEM_SHP), weeze, polygon_content(&[ring]));
        let (err, message) = load_error(temp.path());
        assert!(
            matches!(&err, LoadError::InvalidGeometry { record, .. } if *record == weeze),
            "{message}"
        );
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn cpg_saying_1252_on_utf8_bytes_reads_utf8_with_a_warning() {
    let temp = common::copy_of_bundled();
    fs::write(temp.path().join("dvg2/dvg2gem_nw.cpg"), "1252").unwrap();
    let atlas = load_atlas(temp.path()).expect("loads with the right decoding");
    let name = |ags: &str| atlas.get(&Ags::parse(ags).unwrap()).unwrap().name.clone();
    assert_eq!(name("05315000"), "Köln");
    assert_eq!(name("05962032"), "Lüdenscheid");
    let clean = common::atlas();
    for (a, b) in atlas
        .regions(Level::Gemeinde)
        .iter()
        .zip(clean.regions(Level::Gemeinde))
    {
        assert_eq!(a.name, b.name);
    }
    let warnings = &atlas.provenance.warnings;
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    let cpg = warnings
        .iter()
        .find(|w| w.contains("declares code page"))
        .expect("a warning about the .cpg");
    assert!(
        cpg.contains("dvg2gem_nw.cpg: declares code page \"1252\", but")
            && cpg.contains("dvg2gem_nw.dbf is UTF-8: 64 records hold multi-byte UTF-8 text")
            && cpg.contains("read as UTF-8")
            && cpg.contains('Ã'),
        "{cpg}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("dvg2gem_nw.cpg: content differs from")),
        "{warnings:#?}"
    );
}

const UTM33_PRJ: &str = r#"PROJCS["ETRS_1989_UTM_Zone_33N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",15.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

#[test]
fn one_layer_with_a_wrong_prj_is_an_error_naming_it() {
    let temp = common::copy_of_bundled();
    fs::write(temp.path().join("dvg2/dvg2krs_nw.prj"), UTM33_PRJ).unwrap();
    let (err, message) = load_error(temp.path());
    match &err {
        LoadError::Inconsistent { path, record, .. } => {
            assert!(ends_with(path, "dvg2/dvg2krs_nw.prj"), "{message}");
            assert_eq!(*record, 0);
        }
        other => panic!("unexpected {other}"),
    }
    assert!(
        message.contains("they do not overlap")
            && message.contains("wrong coordinate reference system"),
        "{message}"
    );
}

#[test]
fn a_changed_file_is_a_warning_naming_it_while_sha256sums_is_present() {
    let temp = common::copy_of_bundled();
    let prj = temp.path().join("dvg2/dvg2rbz_nw.prj");
    let mut text = fs::read_to_string(&prj).unwrap();
    text.push('\n');
    fs::write(&prj, &text).unwrap();
    let atlas = load_atlas(temp.path()).unwrap();
    let warnings = &atlas.provenance.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("dvg2/dvg2rbz_nw.prj: content differs from")
            && warnings[0].contains("SHA256SUMS (SHA-256 2bfc323fa76e… expected"),
        "{}",
        warnings[0]
    );

    // Without a SHA256SUMS there is nothing to compare with: no warning.
    fs::remove_file(temp.path().join("SHA256SUMS")).unwrap();
    let atlas = load_atlas(temp.path()).unwrap();
    assert!(atlas.provenance.warnings.is_empty());
}

#[test]
fn a_file_missing_from_sha256sums_and_a_bad_line_are_warnings() {
    let temp = common::copy_of_bundled();
    let sums: PathBuf = temp.path().join("SHA256SUMS");
    let text = fs::read_to_string(&sums).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.ends_with("stats/gemeinden_nrw_2019.csv"))
        .chain(["garbage"])
        .collect();
    fs::write(&sums, kept.join("\n")).unwrap();
    let atlas = load_atlas(temp.path()).unwrap();
    let warnings = &atlas.provenance.warnings;
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].contains(&format!(
        "SHA256SUMS: line {}: not a checksum line",
        kept.len()
    )));
    assert!(
        warnings[1].contains("gemeinden_nrw_2019.csv: not listed in"),
        "{}",
        warnings[1]
    );
}

/// Property tests: random damage to the Bezirk layer, read from memory through the real reader.
mod mutations {
    use std::sync::OnceLock;

    use geo::Area as _;
    use integrationsatlas::data::integrity::Checksums;
    use integrationsatlas::data::shp::{LayerBytes, LayerRead, read_layer};
    use proptest::prelude::*;

    use super::common;

    /// What a reading must reproduce: name, key and area of every record.
    type Summary = Vec<(Option<String>, Option<String>, f64)>;

    struct Clean {
        layer: LayerBytes,
        sums: Checksums,
        summary: Summary,
    }

    fn clean() -> &'static Clean {
        static CLEAN: OnceLock<Clean> = OnceLock::new();
        CLEAN.get_or_init(|| {
            let dir = common::bundled_dir();
            let layer = LayerBytes::read(&dir.join("dvg2/dvg2rbz_nw.shp")).unwrap();
            let mut warnings = Vec::new();
            let sums = Checksums::read(&dir, &mut warnings).unwrap().unwrap();
            assert!(warnings.is_empty());
            let read = read_layer(&layer, Some(&sums)).unwrap();
            assert!(read.warnings.is_empty(), "{:?}", read.warnings);
            Clean {
                summary: summary(&read),
                layer,
                sums,
            }
        })
    }

    fn summary(read: &LayerRead) -> Summary {
        read.features
            .iter()
            .map(|f| {
                (
                    f.fields.get("GN").cloned(),
                    f.fields.get("KN").cloned(),
                    f.geometry.unsigned_area(),
                )
            })
            .collect()
    }

    /// One kind of damage to one part (0 .shp, 1 .shx, 2 .dbf, 3 .prj, 4 .cpg).
    #[derive(Clone, Debug)]
    enum Damage {
        /// One byte set anywhere (position taken modulo the length).
        Byte { part: usize, at: usize, value: u8 },
        /// One byte set in the first 128 (the headers).
        Header { part: usize, at: usize, value: u8 },
        /// Eight bytes of the .shp set to a float (NaN, infinity, any).
        Float { at: usize, value: f64 },
        /// The part cut to a length.
        Truncate { part: usize, len: usize },
    }

    fn damage() -> impl Strategy<Value = Damage> {
        let float = prop_oneof![Just(f64::NAN), Just(f64::INFINITY), any::<f64>()];
        prop_oneof![
            4 => (0..5usize, any::<usize>(), any::<u8>())
                .prop_map(|(part, at, value)| Damage::Byte { part, at, value }),
            3 => (0..5usize, 0..128usize, any::<u8>())
                .prop_map(|(part, at, value)| Damage::Header { part, at, value }),
            2 => (any::<usize>(), float).prop_map(|(at, value)| Damage::Float { at, value }),
            1 => (0..5usize, any::<usize>()).prop_map(|(part, len)| Damage::Truncate { part, len }),
        ]
    }

    fn part_mut(layer: &mut LayerBytes, part: usize) -> &mut Vec<u8> {
        match part {
            0 => &mut layer.shp.bytes,
            1 => &mut layer.shx.bytes,
            2 => &mut layer.dbf.bytes,
            3 => &mut layer.prj.bytes,
            _ => match &mut layer.cpg {
                Ok(cpg) => &mut cpg.bytes,
                Err(_) => &mut layer.prj.bytes,
            },
        }
    }

    fn apply(layer: &mut LayerBytes, damage: &Damage) {
        match *damage {
            Damage::Byte { part, at, value } | Damage::Header { part, at, value } => {
                let bytes = part_mut(layer, part);
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = value;
                }
            }
            Damage::Float { at, value } => {
                let bytes = &mut layer.shp.bytes;
                let at = at % (bytes.len() - 8);
                bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
            }
            Damage::Truncate { part, len } => {
                let bytes = part_mut(layer, part);
                let len = len % (bytes.len() + 1);
                bytes.truncate(len);
            }
        }
    }

    /// Cases from `PROPTEST_CASES`, 256 by default.
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        /// With the bundled SHA256SUMS: no panic, and a reading that succeeds without a warning
        /// gives exactly the clean names, keys and areas.
        #[test]
        fn damaged_layer_never_reads_differently_without_a_warning(
            damages in prop::collection::vec(damage(), 1..4)
        ) {
            let clean = clean();
            let mut layer = clean.layer.clone();
            for d in &damages {
                apply(&mut layer, d);
            }
            if let Ok(read) = read_layer(&layer, Some(&clean.sums))
                && read.warnings.is_empty()
            {
                prop_assert_eq!(summary(&read), clean.summary.clone());
            }
        }

        /// Without checksums: no panic, and whatever reads has finite coordinates and a positive
        /// area in every record.
        #[test]
        fn damaged_layer_without_checksums_reads_only_valid_geometry(
            damages in prop::collection::vec(damage(), 1..4)
        ) {
            let mut layer = clean().layer.clone();
            for d in &damages {
                apply(&mut layer, d);
            }
            if let Ok(read) = read_layer(&layer, None) {
                for f in &read.features {
                    let area = f.geometry.unsigned_area();
                    prop_assert!(area.is_finite() && area > 0.0, "record {}: area {}", f.record, area);
                    prop_assert!(
                        geo::CoordsIter::coords_iter(&f.geometry).all(|c| c.x.is_finite() && c.y.is_finite())
                    );
                }
            }
        }
    }
}

/// Timing of the load and of its checks (run with `--release -- --ignored --nocapture`).
#[test]
#[ignore]
fn timing_of_the_checks() {
    use std::time::Instant;
    let dir = common::bundled_dir();
    let best = |f: &mut dyn FnMut()| {
        (0..60)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    let load = best(&mut || {
        load_atlas(&dir).unwrap();
    });
    let files: Vec<Vec<u8>> = ["bld", "rbz", "krs", "gem"]
        .iter()
        .flat_map(|l| ["shp", "shx", "dbf", "prj", "cpg"].map(|e| format!("dvg2/dvg2{l}_nw.{e}")))
        .chain(["stats/gemeinden_nrw_2019.csv".to_owned()])
        .map(|p| fs::read(dir.join(p)).unwrap())
        .collect();
    let sha = best(&mut || {
        use sha2::Digest as _;
        for f in &files {
            std::hint::black_box(sha2::Sha256::digest(f));
        }
    });
    let atlas = common::atlas();
    let paths = Level::ALL.map(|l| integrationsatlas::data::dvg2::layer_path(&dir, l));
    let records: [std::collections::HashMap<Ags, usize>; 4] = Default::default();
    let sources = integrationsatlas::data::integrity::LayerSources {
        shp: [&paths[0], &paths[1], &paths[2], &paths[3]],
        records: &records,
    };
    let nesting = best(&mut || {
        integrationsatlas::data::integrity::check_nesting(&atlas, &sources).unwrap();
    });
    println!(
        "load_atlas {load:.2} ms, SHA-256 of the files read {sha:.2} ms, nesting {nesting:.2} ms"
    );
}
