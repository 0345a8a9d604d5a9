//! Thematic maps on the bundled data: indicators, classes, legends, presets and own CSV files.

mod common;

use integrationsatlas::Ags;
use integrationsatlas::analysis::classify::{Method, classify};
use integrationsatlas::analysis::indicators::{IndicatorSet, Values};
use integrationsatlas::cartography::choropleth::{ChoroplethSpec, build};
use integrationsatlas::cartography::presets::preset;
use integrationsatlas::data::own_csv::{join_own, read_own_csv};
use integrationsatlas::data::thematic::load_indicators;
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;

fn indicators() -> IndicatorSet {
    let atlas = common::atlas();
    load_indicators(&atlas, &common::bundled_dir()).unwrap()
}

fn numeric(set: &IndicatorSet, level: Level, key: &str) -> Vec<Option<f64>> {
    match &set.get(level, key).unwrap().values {
        Values::Numeric(v) => v.clone(),
        Values::Categorical { .. } => panic!("{key} is categorical"),
    }
}

#[test]
fn jenks_on_kreis_population_matches_jenkspy() {
    // jenkspy.jenks_breaks(pop_total_2019 of the 53 Kreise, n_classes=5).
    let set = indicators();
    let classes = classify(
        &numeric(&set, Level::Kreis, "population"),
        &Method::Jenks,
        5,
    )
    .unwrap();
    assert_eq!(
        classes.breaks,
        vec![
            111_338.0,
            227_417.0,
            371_339.0,
            498_686.0,
            621_877.0,
            1_087_863.0
        ]
    );
    assert_eq!(classes.counts, vec![14, 24, 8, 6, 1]);
}

#[test]
fn quantiles_of_gemeinde_population_hold_99_each() {
    let set = indicators();
    let classes = classify(
        &numeric(&set, Level::Gemeinde, "population"),
        &Method::Quantile,
        4,
    )
    .unwrap();
    assert_eq!(classes.counts, vec![99, 99, 99, 99]);
    assert_eq!(classes.nodata, 0);
}

#[test]
fn kreis_migration_share_is_the_population_weighted_mean() {
    // geodata/stats/migration_kreise_nrw.csv carries the same weighted mean, rounded to 0.1.
    let set = indicators();
    let atlas = common::atlas();
    let values = numeric(&set, Level::Kreis, "migration_background_pct");
    let olpe = atlas.id_of(&Ags::parse("05966").unwrap()).unwrap().index;
    let koeln = atlas.id_of(&Ags::parse("05315").unwrap()).unwrap().index;
    // Köln is kreisfrei: its Kreis value is its Gemeinde value, 27.8 % (geodata/stats).
    assert!(
        (values[koeln].unwrap() - 27.8).abs() < 1e-9,
        "{:?}",
        values[koeln]
    );
    let file =
        std::fs::read_to_string(common::bundled_dir().join("stats/migration_kreise_nrw.csv"))
            .unwrap();
    let olpe_row = file.lines().find(|l| l.starts_with("05966,")).unwrap();
    let derived: f64 = olpe_row.rsplit(',').next().unwrap().trim().parse().unwrap();
    assert!(
        (values[olpe].unwrap() - derived).abs() < 0.051,
        "{:?} vs {derived}",
        values[olpe]
    );
}

#[test]
fn tabelle6_counts_join_31_kreise_and_sum_to_the_report() {
    let set = indicators();
    let abh = numeric(&set, Level::Kreis, "count_abh");
    assert_eq!(abh.iter().flatten().count(), 31);
    assert_eq!(abh.iter().flatten().sum::<f64>(), 59.0);
    let jc = numeric(&set, Level::Kreis, "count_jc_gs");
    assert_eq!(jc.iter().flatten().sum::<f64>(), 255.0);
}

#[test]
fn rurality_legend_counts_12_13_6_and_22_without_data() {
    let atlas = common::atlas();
    let spec = ChoroplethSpec {
        field: "rurality".into(),
        ..ChoroplethSpec::default()
    };
    let map = build(&atlas, &indicators(), &spec, Lang::De).unwrap();
    let counts: Vec<usize> = map.legend.entries.iter().map(|e| e.count).collect();
    assert_eq!(counts, vec![12, 13, 6]);
    assert_eq!(map.legend.entries[2].label, "sehr ländlich");
    assert_eq!(map.legend.nodata.as_ref().unwrap().count, 22);
    let note = |lang| {
        build(&atlas, &indicators(), &spec, lang)
            .unwrap()
            .legend
            .note
            .unwrap()
    };
    assert_eq!(note(Lang::De), "nur Kreise; kreisfreie Städte ohne Angabe");
    assert_eq!(
        note(Lang::En),
        "districts only; district-free cities have no data"
    );
}

#[test]
fn presets_14_15_16_build_with_five_classes() {
    let atlas = common::atlas();
    let set = indicators();
    for key in ["abb14", "abb15", "abb16"] {
        let preset = preset(key).unwrap();
        let map = build(&atlas, &set, preset.spec.as_ref().unwrap(), Lang::De).unwrap();
        assert_eq!(map.legend.entries.len(), 5, "{key}");
        assert_eq!(
            map.legend.entries.iter().map(|e| e.count).sum::<usize>(),
            53,
            "{key}"
        );
        assert!(map.legend.nodata.is_none(), "{key}");
    }
    let abb14 = build(
        &atlas,
        &set,
        &preset("abb14").unwrap().spec.unwrap(),
        Lang::De,
    )
    .unwrap();
    assert_eq!(abb14.legend.title, "Fläche (ha)");
    // Largest unit: Hochsauerlandkreis, about 196,000 ha (report text), 195,860 ha from DVG2.
    let top = abb14.classes.unwrap().breaks[5];
    assert!((top - 195_860.0).abs() < 100.0, "{top}");
}

#[test]
fn legend_labels_use_german_number_format() {
    let atlas = common::atlas();
    let spec = ChoroplethSpec::default();
    let map = build(&atlas, &indicators(), &spec, Lang::De).unwrap();
    assert_eq!(map.legend.entries[4].label, "621.877 – 1.087.863");
    let english = build(&atlas, &indicators(), &spec, Lang::En).unwrap();
    assert_eq!(english.legend.entries[4].label, "621,877 – 1,087,863");
}

#[test]
fn own_csv_with_semicolons_decimal_comma_and_bad_rows_is_reported() {
    let atlas = common::atlas();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eigene.csv");
    // Windows-1252 text, semicolons, decimal comma, AGS without leading zero, and four bad rows.
    let text = "Schlüssel;Name;Quote\n\
                5966;Kreis Olpe;12,5\n\
                05315;Köln;1.234,75\n\
                99999;Nirgendwo;3,0\n\
                05566;Steinfurt;viel\n\
                5966;Olpe doppelt;13,0\n\
                05958;Hochsauerland;\n";
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(&path, &latin1).unwrap();
    let table = read_own_csv(&path).unwrap();
    assert_eq!(table.encoding, "Windows-1252");
    assert_eq!(table.headers[0], "Schlüssel");
    assert!(table.decimal_comma);
    let (indicator, report) = join_own(&atlas, &table, "Schlüssel", "Quote", Level::Kreis).unwrap();
    assert_eq!(report.joined, 2);
    assert_eq!(report.unknown_keys, vec![(4, "99999".to_owned())]);
    assert_eq!(report.bad_values, vec![(5, "viel".to_owned())]);
    assert_eq!(report.duplicates, vec![(6, "5966".to_owned())]);
    assert_eq!(report.empty_values, vec![(7, "05958".to_owned())]);
    assert_eq!(report.regions_without_row, 53 - 4);
    let Values::Numeric(values) = &indicator.values else {
        panic!()
    };
    let koeln = atlas.id_of(&Ags::parse("05315").unwrap()).unwrap().index;
    assert_eq!(values[koeln], Some(1234.75));
}

#[test]
fn programme_memberships_match_the_reports_lists() {
    let atlas = common::atlas();
    let set = indicators();
    let counts = |key: &str, level: Level| {
        let spec = ChoroplethSpec {
            level,
            field: key.into(),
            ..ChoroplethSpec::default()
        };
        let map = build(&atlas, &set, &spec, Lang::De).unwrap();
        map.legend
            .entries
            .iter()
            .map(|e| e.count)
            .collect::<Vec<_>>()
    };
    // Einwanderung gestalten NRW: 12 Kommunen = 7 kreisfreie Städte + 2 Kreise + 3 kreisangehörige Städte.
    assert_eq!(
        counts("prog_einwanderung_gestalten", Level::Kreis),
        vec![9, 3, 41]
    );
    assert_eq!(
        counts("prog_einwanderung_gestalten", Level::Gemeinde),
        vec![10, 24, 362]
    );
    // Zuwanderung aus Südosteuropa: 10 in 2017–2019, 18 from 2020.
    assert_eq!(counts("prog_suedosteuropa_2017", Level::Kreis)[0], 10);
    assert_eq!(counts("prog_suedosteuropa_2020", Level::Kreis)[0], 18);
}
