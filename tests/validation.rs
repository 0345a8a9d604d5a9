//! Damaged thematic files and registry files, made by the tests in a copy of the bundled data:
//! each damage gives a warning naming file and line, and the values are absent, never wrong.
//! Property tests mutate the real files' bytes at random.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use integrationsatlas::analysis::indicators::{IndicatorSet, Values};
use integrationsatlas::data::thematic::load_indicators;
use integrationsatlas::model::Level;
use integrationsatlas::sites::SiteType;
use integrationsatlas::sites::registry::{load_registry, load_registry_for};

const ZENSUS: &str = "stats/migration_gemeinden_nrw_zensus2022.csv";
const INKAR: &str = "stats/migration_kreise_nrw.csv";
const TABELLE6: &str = "seed/tabelle6_kreise.csv";
const PROGRAMMES: &str = "seed/programmes.csv";

fn indicators(dir: &Path) -> IndicatorSet {
    load_indicators(&common::atlas(), dir).expect("indicators load")
}

/// The value of `key` at `level` for region `ags`; `None` if the indicator is absent.
fn value(set: &IndicatorSet, level: Level, key: &str, ags: &str) -> Option<Option<f64>> {
    let atlas = common::atlas();
    let index = atlas
        .regions(level)
        .iter()
        .position(|r| r.ags.as_str() == ags)
        .unwrap();
    set.get(level, key).map(|i| i.numeric()[index])
}

fn lines(dir: &Path, file: &str) -> Vec<String> {
    fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, file: &str, lines: &[String]) {
    fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
}

/// The one warning mentioning `file`.
fn warning_about<'a>(warnings: &'a [String], file: &str) -> &'a str {
    let found: Vec<&String> = warnings.iter().filter(|w| w.contains(file)).collect();
    assert_eq!(found.len(), 1, "{file}: {warnings:#?}");
    found[0]
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("--data")
        .arg(dir)
        .args(args)
        .env_remove("INTEGRATIONSATLAS_DATA")
        .output()
        .expect("binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn bundled_data_gives_no_warnings() {
    let set = indicators(&common::bundled_dir());
    assert!(set.warnings.is_empty(), "{:#?}", set.warnings);
    let (sites, warnings) = load_registry_for(&common::atlas(), &common::bundled_dir()).unwrap();
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(sites.sites.len(), 54 + 81 + 186 + 53);
    assert!(sites.unavailable.is_empty());
    let output = run(
        &common::bundled_dir(),
        &["lookup", "--lon", "6.95", "--lat", "50.94"],
    );
    assert!(output.status.success());
    assert_eq!(stderr(&output), "");
}

/// Damages the Zensus file and checks its warning and that both of its indicators are gone.
fn assert_zensus_refused(damage: impl Fn(&Path), expected: &str) {
    let temp = common::copy_of_bundled();
    damage(temp.path());
    let set = indicators(temp.path());
    let warning = warning_about(&set.warnings, ZENSUS);
    assert!(warning.contains(expected), "{warning}");
    assert!(
        warning.contains("; its indicators are not offered"),
        "{warning}"
    );
    for level in [Level::Gemeinde, Level::Kreis] {
        for key in ["migration_background_pct", "foreign_share_pct"] {
            assert!(set.get(level, key).is_none(), "{key} at {level}");
        }
    }
    // The other files are untouched.
    assert_eq!(
        value(&set, Level::Kreis, "foreign_share_inkar_2022", "05111"),
        Some(Some(22.33))
    );
}

#[test]
fn deleted_thematic_file_is_named() {
    assert_zensus_refused(
        |dir| fs::remove_file(dir.join(ZENSUS)).unwrap(),
        "migration_gemeinden_nrw_zensus2022.csv: not found",
    );
}

#[test]
fn empty_thematic_file_is_refused() {
    assert_zensus_refused(
        |dir| fs::write(dir.join(ZENSUS), "").unwrap(),
        "migration_gemeinden_nrw_zensus2022.csv: line 1: the file is empty",
    );
}

#[test]
fn header_only_thematic_file_is_refused() {
    assert_zensus_refused(
        |dir| {
            let header = lines(dir, ZENSUS)[0].clone();
            write_lines(dir, ZENSUS, &[header]);
        },
        "line 2: the file has a header but no rows",
    );
}

#[test]
fn file_cut_off_in_a_line_is_refused() {
    assert_zensus_refused(
        |dir| {
            let bytes = fs::read(dir.join(ZENSUS)).unwrap();
            fs::write(dir.join(ZENSUS), &bytes[..bytes.len() - 3]).unwrap();
        },
        "line 397: the last line has no line end: the file looks cut off (truncated)",
    );
}

#[test]
fn final_record_with_fewer_fields_is_refused() {
    assert_zensus_refused(
        |dir| {
            let mut all = lines(dir, ZENSUS);
            let last = all.pop().unwrap();
            all.push(last.rsplitn(3, ',').nth(2).unwrap().to_owned());
            write_lines(dir, ZENSUS, &all);
        },
        "line 397: 4 fields where the header has 6",
    );
}

#[test]
fn file_cut_off_at_a_line_end_says_how_many_of_how_many() {
    assert_zensus_refused(
        |dir| write_lines(dir, ZENSUS, &lines(dir, ZENSUS)[..21]),
        "only 20 of 396 Gemeinden have a row: the file looks cut off (truncated)",
    );
}

#[test]
fn renamed_column_names_expected_and_found_columns() {
    assert_zensus_refused(
        |dir| {
            let mut all = lines(dir, ZENSUS);
            all[0] = all[0].replace("migrationshintergrund_pct_zensus2022", "mh_pct");
            write_lines(dir, ZENSUS, &all);
        },
        "line 1: column migrationshintergrund_pct_zensus2022 missing from the header (expected columns: \
         ags, pop_zensus2022, auslaenderanteil_pct_zensus2022, migrationshintergrund_pct_zensus2022; \
         found: ags, name, kreis_ags5, pop_zensus2022, auslaenderanteil_pct_zensus2022, mh_pct)",
    );
}

#[test]
fn repeated_key_names_both_lines() {
    assert_zensus_refused(
        |dir| {
            let mut all = lines(dir, ZENSUS);
            all.push(all[1].replace("33.9", "99.9"));
            write_lines(dir, ZENSUS, &all);
        },
        "line 398: key 05111000 repeats the row of line 2; keep one row per key",
    );
}

#[test]
fn a_few_missing_rows_are_named_and_have_no_data() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), ZENSUS);
    let koeln = all.iter().position(|l| l.starts_with("05315000,")).unwrap();
    all.remove(koeln);
    write_lines(temp.path(), ZENSUS, &all);
    let set = indicators(temp.path());
    assert_eq!(
        warning_about(&set.warnings, ZENSUS),
        format!(
            "{}: 1 of 396 Gemeinden have no row (shown as no data): 05315000 Köln",
            temp.path().join(ZENSUS).display()
        )
    );
    let key = "migration_background_pct";
    assert_eq!(value(&set, Level::Gemeinde, key, "05315000"), Some(None));
    assert_eq!(value(&set, Level::Kreis, key, "05315"), Some(None));
    assert_eq!(
        value(&set, Level::Gemeinde, key, "05111000"),
        Some(Some(33.9))
    );
}

#[test]
fn keys_that_do_not_join_are_listed_ten_and_counted() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), ZENSUS);
    for (i, line) in all.iter_mut().enumerate().skip(1).take(12) {
        *line = format!("09{i:03}000{}", &line[8..]);
    }
    write_lines(temp.path(), ZENSUS, &all);
    let set = indicators(temp.path());
    let path = temp.path().join(ZENSUS);
    let about: Vec<&String> = set.warnings.iter().filter(|w| w.contains(ZENSUS)).collect();
    assert_eq!(about.len(), 2, "{about:#?}");
    assert_eq!(
        about[0],
        &format!(
            "{}: 12 keys match no gemeinde of the boundaries (rows not used): line 2: AGS 09001000; \
             line 3: AGS 09002000; line 4: AGS 09003000; line 5: AGS 09004000; line 6: AGS 09005000; \
             line 7: AGS 09006000; line 8: AGS 09007000; line 9: AGS 09008000; line 10: AGS 09009000; \
             line 11: AGS 09010000; … and 2 more",
            path.display()
        )
    );
    assert!(
        about[1].starts_with(&format!(
            "{}: 12 of 396 Gemeinden have no row (shown as no data): 05111000 Düsseldorf; 05112000 Duisburg;",
            path.display()
        )),
        "{}",
        about[1]
    );
    assert!(about[1].ends_with("; … and 2 more"), "{}", about[1]);
    let key = "migration_background_pct";
    assert_eq!(value(&set, Level::Gemeinde, key, "05111000"), Some(None));
    assert_eq!(
        value(&set, Level::Gemeinde, key, "05966024"),
        Some(Some(21.6))
    );
}

#[test]
fn values_out_of_range_become_no_data_naming_the_line() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), ZENSUS);
    all[1] = all[1].replace(",33.9", ",-5"); // Düsseldorf
    all[2] = all[2].replace(",30.9", ",1e20"); // Duisburg
    all[3] = all[3].replace(",17.1,", ",NaN,"); // Essen's foreign share
    write_lines(temp.path(), ZENSUS, &all);
    assert!(all[3].contains(",NaN,"), "{}", all[3]);
    let set = indicators(temp.path());
    assert_eq!(
        warning_about(&set.warnings, ZENSUS),
        format!(
            "{}: 3 values out of range (read as no data): \
             line 2: migrationshintergrund_pct_zensus2022 -5 is not a share from 0 to 100; \
             line 3: migrationshintergrund_pct_zensus2022 100000000000000000000 is not a share from 0 to 100; \
             line 4: auslaenderanteil_pct_zensus2022 NaN is not a share from 0 to 100",
            temp.path().join(ZENSUS).display()
        )
    );
    let (mh, fs_) = ("migration_background_pct", "foreign_share_pct");
    assert_eq!(value(&set, Level::Gemeinde, mh, "05111000"), Some(None));
    assert_eq!(value(&set, Level::Kreis, mh, "05111"), Some(None));
    assert_eq!(value(&set, Level::Gemeinde, mh, "05112000"), Some(None));
    assert_eq!(value(&set, Level::Gemeinde, fs_, "05113000"), Some(None));
    // The row's other share stays.
    assert_eq!(
        value(&set, Level::Gemeinde, fs_, "05111000"),
        Some(Some(22.8))
    );
}

#[test]
fn negative_count_in_tabelle6_is_no_data_for_that_type_only() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), TABELLE6);
    assert!(all[2].starts_with("Coesfeld,Kreis Coesfeld,05558,11,1,3,1,1,6,"));
    all[2] = all[2].replace("05558,11,1,3,1,1,6,", "05558,11,1,3,1,1,-6,");
    write_lines(temp.path(), TABELLE6, &all);
    let set = indicators(temp.path());
    assert!(warning_about(&set.warnings, TABELLE6).ends_with(
        "1 values out of range (read as no data): line 3: mbe -6 is not a whole number of 0 or more"
    ));
    assert_eq!(value(&set, Level::Kreis, "count_mbe", "05558"), Some(None));
    assert_eq!(
        value(&set, Level::Kreis, "mbe_per_100k", "05558"),
        Some(None)
    );
    assert_eq!(
        value(&set, Level::Kreis, "count_jmd", "05558"),
        Some(Some(1.0))
    );
}

#[test]
fn incomplete_programme_list_is_not_offered() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), PROGRAMMES);
    let dormagen = all
        .iter()
        .position(|l| l.starts_with("Einwanderung gestalten NRW,") && l.contains(",Dormagen,"))
        .unwrap();
    all.remove(dormagen);
    write_lines(temp.path(), PROGRAMMES, &all);
    let set = indicators(temp.path());
    assert_eq!(
        warning_about(&set.warnings, PROGRAMMES),
        format!(
            "{}: programme Einwanderung gestalten NRW (2017/18–2020): 11 members listed where \
             count_stated_in_text says \"12\"; the list is incomplete or the count damaged; \
             this programme is not offered",
            temp.path().join(PROGRAMMES).display()
        )
    );
    assert!(
        set.get(Level::Gemeinde, "prog_einwanderung_gestalten")
            .is_none()
    );
    assert!(set.get(Level::Kreis, "prog_suedosteuropa_2017").is_some());
}

const ABH: &str = "sites/abh.csv";
const KI: &str = "sites/ki.csv";
const JA: &str = "sites/ja.csv";

/// Damages a registry file; the type's sites are all gone and the reason is kept.
fn assert_registry_refused(
    file: &str,
    site_type: SiteType,
    damage: impl Fn(&Path),
    expected: &str,
) {
    let temp = common::copy_of_bundled();
    damage(temp.path());
    let (set, warnings) = load_registry_for(&common::atlas(), temp.path()).unwrap();
    let warning = warning_about(&warnings, file);
    assert!(warning.contains(expected), "{warning}");
    assert!(
        warning.ends_with("; these sites are not shown"),
        "{warning}"
    );
    assert_eq!(set.of_type(&site_type).count(), 0);
    let (_, why) = set
        .unavailable
        .iter()
        .find(|(t, _)| *t == site_type)
        .unwrap();
    assert!(why.contains(expected), "{why}");
    assert_eq!(set.of_type(&SiteType::Jc).count(), 53);
}

#[test]
fn header_only_registry_file_is_empty_not_an_unknown_type() {
    let damage = |dir: &Path| write_lines(dir, ABH, &lines(dir, ABH)[..1]);
    let expected = "abh.csv: line 2: the file has a header but no rows";
    assert_registry_refused(ABH, SiteType::Abh, damage, expected);
    let temp = common::copy_of_bundled();
    damage(temp.path());
    let output = run(
        temp.path(),
        &["nearest", "--type", "ABH", "--lon", "7", "--lat", "51"],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains(&format!(
            "integrationsatlas: warning: {}: line 2: the file has a header but no rows",
            temp.path().join(ABH).display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "integrationsatlas: error: no ABH sites: {}: line 2: the file has a header but no rows",
            temp.path().join(ABH).display()
        )),
        "{text}"
    );
    assert!(!text.contains("unknown site type"), "{text}");
}

#[test]
fn duplicate_site_id_names_both_lines() {
    assert_registry_refused(
        KI,
        SiteType::Ki,
        |dir| {
            let mut all = lines(dir, KI);
            all.push(all[1].clone());
            write_lines(dir, KI, &all);
        },
        "ki.csv: line 56: id KI-05111 repeats the site of line 2; ids must be unique",
    );
}

#[test]
fn site_on_the_equator_is_outside_nrw() {
    assert_registry_refused(
        KI,
        SiteType::Ki,
        |dir| {
            let mut all = lines(dir, KI);
            all[1] = all[1].replace(",51.224220,", ",0.000000,");
            write_lines(dir, KI, &all);
        },
        "ki.csv: line 2: lon/lat 6.780068 0 of KI-05111 lies outside NRW (5.8–9.5 E, 50.3–52.6 N)",
    );
}

#[test]
fn site_outside_the_land_extent_is_refused_with_the_atlas() {
    // 5.81 E 51.0 N lies in the lon/lat box but west of NRW's westernmost boundary point.
    assert_registry_refused(
        KI,
        SiteType::Ki,
        |dir| {
            let mut all = lines(dir, KI);
            all[1] = all[1].replace("6.780068,51.224220", "5.810000,51.000000");
            write_lines(dir, KI, &all);
        },
        "ki.csv: line 2: lon/lat 5.81 51 of KI-05111 lies outside the extent of the boundaries",
    );
}

#[test]
fn truncated_registry_says_how_many_of_how_many() {
    assert_registry_refused(
        JA,
        SiteType::Ja,
        |dir| write_lines(dir, JA, &lines(dir, JA)[..21]),
        "ja.csv: only 20 of 186 sites the report names: the file looks cut off (truncated)",
    );
}

#[test]
fn one_site_missing_is_a_warning_only() {
    let temp = common::copy_of_bundled();
    let mut all = lines(temp.path(), JA);
    all.remove(5);
    write_lines(temp.path(), JA, &all);
    let (set, warnings) = load_registry(temp.path()).unwrap();
    assert_eq!(
        warning_about(&warnings, JA),
        format!(
            "{}: only 185 of 186 sites the report names; distances to JA may name a farther site",
            temp.path().join(JA).display()
        )
    );
    assert_eq!(set.of_type(&SiteType::Ja).count(), 185);
}

#[test]
fn every_command_prints_the_warnings() {
    let temp = common::copy_of_bundled();
    fs::write(temp.path().join(ZENSUS), "").unwrap();
    fs::remove_file(temp.path().join(KI)).unwrap();
    let expected = [
        format!(
            "integrationsatlas: warning: {}: line 1: the file is empty; copy it again from the bundled geodata/; its indicators are not offered",
            temp.path().join(ZENSUS).display()
        ),
        format!(
            "integrationsatlas: warning: {}: not found; these sites are not shown",
            temp.path().join(KI).display()
        ),
    ];
    let commands: [&[&str]; 4] = [
        &["lookup", "--lon", "6.95", "--lat", "50.94"],
        &["regions", "--level", "gemeinde"],
        &["sites", "--type", "JA"],
        &["classify", "--field", "density"],
    ];
    for args in commands {
        let output = run(temp.path(), args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        let text = stderr(&output);
        let got: Vec<&str> = text.lines().collect();
        assert_eq!(got, expected, "{args:?}");
    }
    let output = run(temp.path(), &["regions", "--level", "gemeinde"]);
    let header = String::from_utf8(output.stdout).unwrap();
    let header = header.lines().next().unwrap();
    assert!(!header.contains("migration_background_pct"), "{header}");
    let output = run(
        temp.path(),
        &["nearest", "--type", "KI", "--kommune", "Olpe"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("integrationsatlas: error: no KI sites: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn damaged_statistics_stop_the_atlas_naming_the_line() {
    let temp = common::copy_of_bundled();
    let file = "stats/gemeinden_nrw_2019.csv";
    let bytes = fs::read(temp.path().join(file)).unwrap();
    fs::write(temp.path().join(file), &bytes[..bytes.len() - 1]).unwrap();
    let err = integrationsatlas::data::load_atlas(temp.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("gemeinden_nrw_2019.csv: line 397: the last line has no line end"),
        "{err}"
    );
}

/// Numeric and categorical values of every indicator, for comparing loads.
fn values_of(set: &IndicatorSet) -> Vec<(String, Level, Values)> {
    let mut out: Vec<_> = set
        .indicators
        .iter()
        .map(|i| (i.key.clone(), i.level, i.values.clone()))
        .collect();
    out.sort_by(|a, b| (&a.0, a.1.index()).cmp(&(&b.0, b.1.index())));
    out
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The thematic and registry files with the columns whose values the atlas checks
    /// (keys and figures); changing a free-text column is an edit, not damage.
    const FILES: [(&str, &[&str]); 10] = [
        (
            ZENSUS,
            &[
                "ags",
                "pop_zensus2022",
                "auslaenderanteil_pct_zensus2022",
                "migrationshintergrund_pct_zensus2022",
            ],
        ),
        (
            INKAR,
            &[
                "ags5",
                "auslaenderanteil_pct_2019_inkar",
                "auslaenderanteil_pct_2022_inkar",
            ],
        ),
        (
            TABELLE6,
            &[
                "ags_kreis_external",
                "abh",
                "jugendaemter",
                "ia",
                "jmd",
                "mbe",
                "jc_geschaeftsstellen",
                "row_type",
            ],
        ),
        ("seed/tabelle2_typologie.csv", &["typ", "ags_external"]),
        (
            "seed/tabelle7_laendlichkeit.csv",
            &["laendlichkeit_thuenen", "ags_kreis_external"],
        ),
        (
            PROGRAMMES,
            &[
                "programme",
                "kommune_canonical",
                "kommune_type",
                "parent_kreis",
                "count_stated_in_text",
            ],
        ),
        (KI, &["type", "kommune_ags", "lon", "lat"]),
        (ABH, &["type", "kommune_ags", "lon", "lat"]),
        (JA, &["type", "kommune_ags", "lon", "lat"]),
        ("sites/jc.csv", &["type", "kommune_ags", "lon", "lat"]),
    ];

    /// Values no checked column admits.
    const GARBAGE: [&str; 9] = [
        "", "-5", "-0.5", "NaN", "inf", "-inf", "1e400", "abc", "12x",
    ];

    /// A damage that a careful loader can always notice.
    #[derive(Clone, Debug)]
    enum Damage {
        TruncateAt(usize),
        DeleteLine(usize),
        DuplicateLine(usize),
        SwapLines(usize, usize),
        Garble {
            line: usize,
            column: usize,
            garbage: usize,
        },
        RenameColumn(usize),
        CrLf,
    }

    /// Any change of bytes: only "no panic" is checked.
    #[derive(Clone, Debug)]
    enum Edit {
        Set(usize, u8),
        Insert(usize, u8),
        Remove(usize),
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            any::<usize>().prop_map(Damage::TruncateAt),
            any::<usize>().prop_map(Damage::DeleteLine),
            any::<usize>().prop_map(Damage::DuplicateLine),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
            (any::<usize>(), any::<usize>(), 0..GARBAGE.len()).prop_map(
                |(line, column, garbage)| {
                    Damage::Garble {
                        line,
                        column,
                        garbage,
                    }
                }
            ),
            any::<usize>().prop_map(Damage::RenameColumn),
            Just(Damage::CrLf),
        ]
    }

    fn edits() -> impl Strategy<Value = Vec<Edit>> {
        prop::collection::vec(
            prop_oneof![
                (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
                (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
                any::<usize>().prop_map(Edit::Remove),
            ],
            1..6,
        )
    }

    /// A CSV line with field `column` replaced by `value`.
    fn replace_field(line: &str, column: usize, value: &str) -> String {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        let fields: Vec<&str> = (0..record.len())
            .map(|i| if i == column { value } else { &record[i] })
            .collect();
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&fields).unwrap();
        String::from_utf8(writer.into_inner().unwrap())
            .unwrap()
            .trim_end()
            .to_owned()
    }

    fn apply(clean: &[u8], checked: &[&str], damage: &Damage) -> Vec<u8> {
        let text = std::str::from_utf8(clean).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let n = lines.len();
        match *damage {
            Damage::TruncateAt(at) => return clean[..at % clean.len()].to_vec(),
            Damage::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Damage::DuplicateLine(i) => lines.insert(i % n, lines[i % n].clone()),
            Damage::SwapLines(a, b) => lines.swap(1 + a % (n - 1), 1 + b % (n - 1)),
            Damage::Garble {
                line,
                column,
                garbage,
            } => {
                let name = checked[column % checked.len()];
                let index = lines[0].split(',').position(|h| h == name).unwrap();
                let line = 1 + line % (n - 1);
                lines[line] = replace_field(&lines[line], index, GARBAGE[garbage]);
            }
            Damage::RenameColumn(c) => {
                let name = checked[c % checked.len()];
                lines[0] = lines[0].replacen(name, &format!("{name}_x"), 1);
            }
            Damage::CrLf => return (lines.join("\r\n") + "\r\n").into_bytes(),
        }
        (lines.join("\n") + "\n").into_bytes()
    }

    fn edit(clean: &[u8], edits: &[Edit]) -> Vec<u8> {
        let mut bytes = clean.to_vec();
        for e in edits {
            let len = bytes.len().max(1);
            match *e {
                Edit::Set(i, b) if !bytes.is_empty() => bytes[i % len] = b,
                Edit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                Edit::Remove(i) if !bytes.is_empty() => {
                    bytes.remove(i % len);
                }
                _ => {}
            }
        }
        bytes
    }

    /// What a load gave: comparable values and the warnings.
    struct Outcome {
        values: Vec<(String, Level, Values)>,
        sites: Vec<integrationsatlas::sites::Site>,
        warnings: Vec<String>,
    }

    /// Loads the thematic files, or the registry when `name` is a registry file.
    fn load(dir: &Path, name: &str) -> Outcome {
        let atlas = common::atlas();
        if name.starts_with("sites/") {
            let (set, warnings) = load_registry_for(&atlas, dir).unwrap();
            let mut sites = set.sites;
            sites.sort_by(|a, b| a.id.cmp(&b.id));
            return Outcome {
                values: Vec::new(),
                sites,
                warnings,
            };
        }
        let set = load_indicators(&atlas, dir).unwrap();
        Outcome {
            values: values_of(&set),
            sites: Vec::new(),
            warnings: set.warnings,
        }
    }

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256);
        ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    struct Fixture {
        dir: tempfile::TempDir,
        thematic: Outcome,
        registry: Outcome,
    }

    impl Fixture {
        fn clean(&self, name: &str) -> &Outcome {
            if name.starts_with("sites/") {
                &self.registry
            } else {
                &self.thematic
            }
        }
    }

    fn fixture() -> Fixture {
        let dir = common::copy_of_bundled();
        let thematic = load(dir.path(), ZENSUS);
        let registry = load(dir.path(), KI);
        assert!(thematic.warnings.is_empty() && registry.warnings.is_empty());
        Fixture {
            dir,
            thematic,
            registry,
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// A damage either leaves every value as it was, or is reported by a warning naming
        /// the file.
        #[test]
        fn damage_never_changes_values_silently(file in 0..FILES.len(), damage in damage()) {
            thread_local!(static FIXTURE: Fixture = fixture());
            FIXTURE.with(|fixture| {
                let (name, checked) = FILES[file];
                let path = fixture.dir.path().join(name);
                let clean = fs::read(common::bundled_dir().join(name)).unwrap();
                fs::write(&path, apply(&clean, checked, &damage)).unwrap();
                let got = load(fixture.dir.path(), name);
                fs::write(&path, &clean).unwrap();
                let before = fixture.clean(name);
                let changed = got.values != before.values || got.sites != before.sites;
                prop_assert!(
                    !changed || got.warnings.iter().any(|w| w.contains(name)),
                    "{name} {damage:?}: values changed without a warning: {:?}",
                    got.warnings
                );
                prop_assert!(got.warnings.iter().all(|w| !w.contains('\n')));
                Ok(())
            })?;
        }

        /// Any byte edit of a file: the loaders never panic, and every warning names that file
        /// (an edit of one valid value into another is an edit, not damage, and is not checked).
        #[test]
        fn byte_edits_never_panic(file in 0..FILES.len(), edits in edits()) {
            thread_local!(static FIXTURE: Fixture = fixture());
            FIXTURE.with(|fixture| {
                let (name, _) = FILES[file];
                let path = fixture.dir.path().join(name);
                let clean = fs::read(common::bundled_dir().join(name)).unwrap();
                fs::write(&path, edit(&clean, &edits)).unwrap();
                let got = load(fixture.dir.path(), name);
                fs::write(&path, &clean).unwrap();
                prop_assert!(got.warnings.iter().all(|w| w.contains(name)));
                Ok(())
            })?;
        }
    }
}
