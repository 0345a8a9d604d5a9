//! `indicators`: the indicators a map can show — INKAR's and the atlas's own — with level, unit,
//! years and source, optionally only those of a level or matching words (the window's picker
//! search). Also decides which subcommands need the INKAR files loaded.

use std::io::Write;

use atlas_core::analysis::indicator_search::IndicatorIndex;
use atlas_core::model::Level;

use crate::cli::args::{Command, IndicatorsArgs, TableFormat};
use crate::cli::{Context, Outcome};

/// One row of `indicators`.
#[derive(serde::Serialize)]
struct IndicatorRow<'a> {
    id: &'a str,
    level: Level,
    name: &'a str,
    unit: &'a str,
    years: String,
    source: &'a str,
    theme: &'a str,
    attribution: String,
}

/// Whether a subcommand needs the INKAR indicators: `indicators`, and `classify`/`export` of a
/// field that is an INKAR id (`inkar…`).
pub(crate) fn wants_inkar(command: &Command) -> bool {
    let inkar = |field: Option<&String>| field.is_some_and(|f| f.starts_with("inkar"));
    match command {
        Command::Indicators(_) | Command::Profile(_) => true,
        Command::Classify(args) => inkar(args.field.as_ref()),
        Command::Export(args) => inkar(args.field.as_ref()),
        Command::Regions(args) => args.field.iter().any(|f| inkar(Some(f))),
        _ => false,
    }
}

pub(crate) fn indicators(
    ctx: &Context,
    args: &IndicatorsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let level = args.level.map(Level::from);
    let wanted: Option<Vec<String>> = args.search.as_ref().map(|query| {
        let index = IndicatorIndex::new(&ctx.indicators, ctx.lang);
        index
            .search(query, &[], level)
            .into_iter()
            .flat_map(|g| g.entries)
            .map(|e| e.key.clone())
            .collect()
    });
    let mut rows: Vec<(usize, IndicatorRow)> = ctx
        .indicators
        .indicators
        .iter()
        .filter(|i| matches!(i.level, Level::Gemeinde | Level::Kreis))
        .filter(|i| level.is_none_or(|l| i.level == l))
        .filter_map(|i| {
            let rank = match &wanted {
                Some(keys) => keys.iter().position(|k| *k == i.key)?,
                None => 0,
            };
            Some((
                rank,
                IndicatorRow {
                    id: &i.key,
                    level: i.level,
                    name: i.label(ctx.lang),
                    unit: &i.unit,
                    years: i.years().join(";"),
                    source: &i.source,
                    theme: i.about.as_ref().map_or("", |a| a.theme.as_str()),
                    attribution: i
                        .attribution
                        .as_ref()
                        .map(|a| a.get(ctx.lang).to_owned())
                        .unwrap_or_default(),
                },
            ))
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    let rows: Vec<IndicatorRow> = rows.into_iter().map(|(_, row)| row).collect();
    if rows.is_empty() {
        eprintln!("integrationsatlas: no indicator matches; try fewer or shorter words");
        return Ok(Outcome::NothingFound);
    }
    match args.format {
        TableFormat::Csv => crate::cli::output::write_table(&rows, TableFormat::Csv, out)?,
        TableFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let Some(map) = v.as_object_mut() {
                        let years: Vec<&str> =
                            r.years.split(';').filter(|y| !y.is_empty()).collect();
                        map.insert("years".to_owned(), serde_json::json!(years));
                    }
                    v
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &objects)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Found)
}
