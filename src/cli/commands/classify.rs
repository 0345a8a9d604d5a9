//! `classify`: the classes of an indicator, with breaks, counts and colours.

use std::io::Write;

use atlas_core::cartography::choropleth::ChoroplethSpec;

use super::check_field;
use crate::cli::args::*;
use crate::cli::output::{hex, write_table};
use crate::cli::{Context, Outcome};

/// One class in `classify` output.
#[derive(serde::Serialize)]
struct ClassRow {
    class: String,
    lower: Option<f64>,
    upper: Option<f64>,
    count: usize,
    color: String,
    label: String,
}

pub(crate) fn classify(
    ctx: &mut Context,
    args: &ClassifyArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (atlas, indicators, lang) = (&ctx.atlas, &mut ctx.indicators, ctx.lang);
    let mut spec = ChoroplethSpec::from(args);
    if let (Some(path), Some(key), Some(value)) = (&args.csv, &args.key, &args.value) {
        let mut table = atlas_core::data::own_csv::read_own_table(path, args.sheet.as_deref())?;
        table.choice = atlas_core::data::own_csv::numbers::NumberChoice {
            decimal: args.decimal,
            thousands: args.thousands,
        };
        let (indicator, report) =
            atlas_core::data::own_csv::join_own(atlas, &table, key, value, spec.level)?;
        for line in report.lines(lang) {
            eprintln!("{}: {line}", path.display());
        }
        spec.field = indicator.key.clone();
        indicators.upsert(indicator);
    }
    check_field(indicators, spec.level, &spec.field)?;
    let map = atlas_core::cartography::choropleth::build(atlas, indicators, &spec, lang)
        .map_err(super::choropleth_flags)?;
    let mut rows: Vec<ClassRow> = match &map.classes {
        Some(classes) => map
            .legend
            .entries
            .iter()
            .enumerate()
            .map(|(i, entry)| ClassRow {
                class: (i + 1).to_string(),
                lower: Some(classes.breaks[i]),
                upper: Some(classes.breaks[i + 1]),
                count: entry.count,
                color: hex(entry.color),
                label: entry.label.clone(),
            })
            .collect(),
        None => map
            .legend
            .entries
            .iter()
            .enumerate()
            .map(|(i, entry)| ClassRow {
                class: (i + 1).to_string(),
                lower: None,
                upper: None,
                count: entry.count,
                color: hex(entry.color),
                label: entry.label.clone(),
            })
            .collect(),
    };
    if let Some(nodata) = &map.legend.nodata {
        rows.push(ClassRow {
            class: "nodata".to_owned(),
            lower: None,
            upper: None,
            count: nodata.count,
            color: hex(nodata.color),
            label: nodata.label.clone(),
        });
    }
    if let (TableFormat::Csv, Some(line)) = (args.format, &map.legend.attribution) {
        eprintln!("{}: {line}", map.legend.title);
    }
    match args.format {
        TableFormat::Csv => write_table(&rows, TableFormat::Csv, out)?,
        TableFormat::Json => {
            let json = serde_json::json!({
                "level": spec.level,
                "field": spec.field,
                "title": map.legend.title,
                "method": spec.method.key(),
                "method_label": map.legend.method,
                "classes_requested": map.classes.as_ref().map(|c| c.requested),
                "breaks": map.classes.as_ref().map(|c| c.breaks.clone()),
                "palette": map.scheme.name,
                "classes": rows,
                "source": map.legend.source,
                "note": map.legend.note,
            });
            // Only maps of a time series or of INKAR carry these (other outputs stay as they were).
            let mut json = json;
            if let Some(object) = json.as_object_mut() {
                if let Some(year) = shown_year(indicators, &spec) {
                    object.insert("year".to_owned(), year.into());
                }
                if let Some(line) = &map.legend.attribution {
                    object.insert("attribution".to_owned(), line.clone().into());
                }
            }
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Found)
}

/// The year (or change) a map of a time series shows, for the JSON output.
fn shown_year(
    indicators: &atlas_core::analysis::indicators::IndicatorSet,
    spec: &ChoroplethSpec,
) -> Option<String> {
    let indicator = indicators.get(spec.level, &spec.field)?;
    indicator.series.as_ref()?;
    let to = spec.time.year.clone().or_else(|| indicator.year.clone())?;
    Some(match &spec.time.change_from {
        Some(from) => format!("{from}–{to}"),
        None => to,
    })
}
