//! `regions`: the regions of a level with their indicators.

use std::io::Write;

use std::borrow::Cow;

use atlas_core::analysis::indicators::{Indicator, IndicatorSet, Values};
use atlas_core::cartography::choropleth::TimeView;
use atlas_core::model::{Level, Region};

use super::layer_output;
use crate::cli::args::*;
use crate::cli::{Context, Outcome};

/// One row of `regions`.
#[derive(Debug, serde::Serialize)]
pub struct RegionRow<'a> {
    /// The key.
    pub ags: &'a str,
    /// The DVG2 name.
    pub name: &'a str,
    /// The level.
    pub level: Level,
    /// The enclosing region's key (empty for the Land).
    pub parent_ags: &'a str,
    /// Area from the geometry, km², rounded to 3 decimals.
    pub area_km2: f64,
    /// Inhabitants 31.12.2019.
    pub population: u64,
}

impl<'a> From<&'a Region> for RegionRow<'a> {
    fn from(region: &'a Region) -> Self {
        RegionRow {
            ags: region.ags.as_str(),
            name: &region.name,
            level: region.level,
            parent_ags: region.parent.as_ref().map_or("", |p| p.as_str()),
            area_km2: (region.area_km2 * 1000.0).round() / 1000.0,
            population: region.population,
        }
    }
}

/// The extra columns of `regions`: every indicator of the level but area, population and the
/// time series (those with values per year are listed by `indicators` and mapped with `--year`).
fn extra_indicators(indicators: &IndicatorSet, level: Level) -> Vec<Cow<'_, Indicator>> {
    indicators
        .for_level(level)
        .filter(|i| i.key != "area_km2" && i.key != "population" && i.series.is_none())
        .map(Cow::Borrowed)
        .collect()
}

/// The indicators asked for with `--field`, at `--year` (an unknown year names the years there
/// are).
fn asked_indicators<'a>(
    indicators: &'a IndicatorSet,
    level: Level,
    args: &RegionsArgs,
) -> anyhow::Result<Vec<Cow<'a, Indicator>>> {
    let time = TimeView {
        year: args.year.clone(),
        ..TimeView::default()
    };
    args.field
        .iter()
        .map(|field| {
            super::check_field(indicators, level, field)?;
            let indicator =
                atlas_core::cartography::choropleth::indicator(indicators, level, field)?;
            if time.year.is_some() && indicator.series.is_none() {
                return Ok(Cow::Borrowed(indicator));
            }
            Ok(time.apply(indicator)?)
        })
        .collect()
}

/// An indicator's value for machine-readable output: rounded to 4 decimals, or the category.
fn machine_value(indicator: &Indicator, index: usize) -> serde_json::Value {
    match &indicator.values {
        Values::Numeric(values) => values[index]
            .map(|v| serde_json::json!((v * 10_000.0).round() / 10_000.0))
            .unwrap_or(serde_json::Value::Null),
        Values::Categorical { codes, categories } => codes[index]
            .map(|c| serde_json::Value::String(categories[c].clone()))
            .unwrap_or(serde_json::Value::Null),
    }
}

pub(crate) fn regions(
    ctx: &Context,
    args: &RegionsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (atlas, indicators) = (&ctx.atlas, &ctx.indicators);
    let level: Level = args.level.into();
    let mut extra = extra_indicators(indicators, level);
    extra.extend(asked_indicators(indicators, level, args)?);
    let Some(format) = args.format.table() else {
        let table = atlas_core::exchange::layers::regions_table(atlas, indicators, level, ctx.lang);
        layer_output::write_layer(&table, args.format, args.out.as_deref(), out)?;
        return Ok(Outcome::Found);
    };
    layer_output::table_output(args.out.as_deref(), out, |out| {
        region_table(atlas, level, &extra, format, out)
    })?;
    Ok(Outcome::Found)
}

/// The regions of a level as a CSV or JSON table.
fn region_table(
    atlas: &atlas_core::Atlas,
    level: Level,
    extra: &[Cow<'_, Indicator>],
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rows: Vec<RegionRow> = atlas.regions(level).iter().map(RegionRow::from).collect();
    match format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            let mut header = vec![
                "ags",
                "name",
                "level",
                "parent_ags",
                "area_km2",
                "population",
            ];
            header.extend(extra.iter().map(|i| i.key.as_str()));
            writer.write_record(&header)?;
            for (index, row) in rows.iter().enumerate() {
                let mut record = vec![
                    row.ags.to_owned(),
                    row.name.to_owned(),
                    row.level.key().to_owned(),
                    row.parent_ags.to_owned(),
                    format!("{:.3}", row.area_km2),
                    row.population.to_string(),
                ];
                record.extend(extra.iter().map(|i| match machine_value(i, index) {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }));
                writer.write_record(&record)?;
            }
            writer.flush()?;
        }
        TableFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let mut object = serde_json::to_value(row).unwrap_or_default();
                    if let Some(map) = object.as_object_mut() {
                        for indicator in extra {
                            map.insert(indicator.key.clone(), machine_value(indicator, index));
                        }
                    }
                    object
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &objects)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
