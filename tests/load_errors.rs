//! Broken data folders, made by the tests themselves, give clear errors naming file and record.

mod common;

use std::fs;

use integrationsatlas::LoadError;
use integrationsatlas::data::load_atlas;

fn error_of(dir: &std::path::Path) -> (LoadError, String) {
    let err = load_atlas(dir).expect_err("loading must fail");
    let message = err.to_string();
    (err, message)
}

#[test]
fn missing_folder_is_named() {
    let (err, message) = error_of(std::path::Path::new("/no/such/folder"));
    assert!(matches!(err, LoadError::MissingDataDir(_)));
    assert!(message.contains("/no/such/folder"));
}

#[test]
fn missing_shx_and_dbf_parts_are_named() {
    for ext in ["shx", "dbf", "shp", "prj"] {
        let temp = common::copy_of_bundled();
        let part = temp.path().join(format!("dvg2/dvg2krs_nw.{ext}"));
        fs::remove_file(&part).unwrap();
        let (err, message) = error_of(temp.path());
        assert!(
            matches!(err, LoadError::MissingFile { .. }),
            "{ext}: {message}"
        );
        assert!(message.contains(&format!("dvg2krs_nw.{ext}")), "{message}");
    }
}

#[test]
fn foreign_crs_is_refused_with_advice() {
    let temp = common::copy_of_bundled();
    let prj = temp.path().join("dvg2/dvg2gem_nw.prj");
    fs::write(
        &prj,
        r#"PROJCS["RGF93 / Lambert-93",AUTHORITY["EPSG","2154"]]"#,
    )
    .unwrap();
    let (err, message) = error_of(temp.path());
    assert!(matches!(err, LoadError::UnsupportedCrs { .. }), "{message}");
    assert!(
        message.contains("dvg2gem_nw.prj") && message.contains("EPSG:25832"),
        "{message}"
    );
}

#[test]
fn truncated_shapefile_names_the_record() {
    let temp = common::copy_of_bundled();
    let shp = temp.path().join("dvg2/dvg2gem_nw.shp");
    let bytes = fs::read(&shp).unwrap();
    fs::write(&shp, &bytes[..bytes.len() / 2]).unwrap();
    let (err, message) = error_of(temp.path());
    match err {
        LoadError::BrokenShapefile { record, .. } => assert!(record > 1, "{message}"),
        other => panic!("unexpected {other}"),
    }
    assert!(message.contains("dvg2gem_nw.shp"), "{message}");
}

#[test]
fn garbage_shapefile_header_is_broken_not_a_panic() {
    let temp = common::copy_of_bundled();
    let shp = temp.path().join("dvg2/dvg2rbz_nw.shp");
    let mut bytes = fs::read(&shp).unwrap();
    bytes[..100].fill(0xAB);
    fs::write(&shp, &bytes).unwrap();
    let (err, message) = error_of(temp.path());
    assert!(
        matches!(err, LoadError::BrokenShapefile { record: 0, .. }),
        "{message}"
    );
}

/// The DBF with "Köln" (UTF-8 `4B C3 B6 6C 6E`) rewritten as Latin-1 `4B F6 6C 6E` plus a pad space.
fn latin1_koeln(bytes: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(5)
        .position(|w| w == "Köln".as_bytes())
        .unwrap();
    let mut latin = bytes.to_vec();
    latin[at + 1..at + 5].copy_from_slice(&[0xF6, b'l', b'n', b' ']);
    latin
}

#[test]
fn latin1_text_in_a_utf8_dbf_is_a_wrong_encoding() {
    let temp = common::copy_of_bundled();
    let dbf = temp.path().join("dvg2/dvg2krs_nw.dbf");
    let bytes = fs::read(&dbf).unwrap();
    fs::write(&dbf, latin1_koeln(&bytes)).unwrap();
    let (err, message) = error_of(temp.path());
    assert!(matches!(err, LoadError::WrongEncoding { .. }), "{message}");
    assert!(message.contains(".cpg"), "{message}");
}

#[test]
fn latin1_dbf_reads_when_the_cpg_says_1252() {
    let temp = common::copy_of_bundled();
    let dbf = temp.path().join("dvg2/dvg2krs_nw.dbf");
    let bytes = fs::read(&dbf).unwrap();
    fs::write(&dbf, latin1_koeln(&bytes)).unwrap();
    // The other names stay UTF-8 (and read as mojibake under 1252); this record shows the switch.
    fs::write(temp.path().join("dvg2/dvg2krs_nw.cpg"), "1252").unwrap();
    match load_atlas(temp.path()) {
        Ok(atlas) => {
            let koeln = atlas
                .get(&integrationsatlas::Ags::parse("05315").unwrap())
                .unwrap();
            assert_eq!(koeln.name, "Köln");
            // The other names are UTF-8 and read as mojibake under 1252: a warning says so.
            let warnings = &atlas.provenance.warnings;
            let mixed = warnings
                .iter()
                .find(|w| w.contains("hold UTF-8 text although the .cpg declares \"1252\""))
                .unwrap_or_else(|| panic!("{warnings:#?}"));
            assert!(
                mixed.contains("dvg2krs_nw.dbf: records ") && mixed.contains("as \"KÃ¶ln\"")
                    || mixed.contains("Ã"),
                "{mixed}"
            );
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn statistics_row_with_a_bad_number_names_the_line() {
    let temp = common::copy_of_bundled();
    let csv = temp.path().join("stats/gemeinden_nrw_2019.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let broken = text.replacen(",1087863,", ",1.087.863x,", 1);
    assert_ne!(broken, text);
    fs::write(&csv, broken).unwrap();
    let (err, message) = error_of(temp.path());
    let line = text
        .lines()
        .position(|l| l.starts_with("05315000"))
        .unwrap()
        + 1;
    match err {
        LoadError::BadCsv { line: found, .. } => assert_eq!(found as usize, line, "{message}"),
        other => panic!("unexpected {other}"),
    }
    assert!(message.contains("gemeinden_nrw_2019.csv"), "{message}");
}

#[test]
fn statistics_missing_a_gemeinde_reports_the_key() {
    let temp = common::copy_of_bundled();
    let csv = temp.path().join("stats/gemeinden_nrw_2019.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("05966024"))
        .collect();
    fs::write(&csv, kept.join("\n") + "\n").unwrap();
    let (err, message) = error_of(temp.path());
    assert!(matches!(err, LoadError::JoinMismatch { .. }), "{message}");
    assert!(message.contains("05966024"), "{message}");
}
