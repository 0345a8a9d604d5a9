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
    let wants_grid = args.grid_coverage.is_some() || args.access.is_some();
    if wants_grid && args.format.table().is_some() {
        anyhow::bail!(
            "--grid-coverage and --access add columns to a GIS layer: add --format gpkg|geojson --out FILE (for a table, run `grid-coverage` or `access`)"
        );
    }
    let Some(format) = args.format.table() else {
        let mut table =
            atlas_core::exchange::layers::regions_table(atlas, indicators, level, ctx.lang);
        add_grid_columns(ctx, args, level, &mut table)?;
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

/// Adds the `grid-coverage` and `access` columns asked for to the regions layer, joined by AGS;
/// names and values are those of the commands' CSV columns, prefixed by type and distance.
fn add_grid_columns(
    ctx: &Context,
    args: &RegionsArgs,
    level: Level,
    table: &mut atlas_core::exchange::FeatureTable,
) -> anyhow::Result<()> {
    if let (Some(site_type), Some(threshold_km)) = (&args.grid_coverage, args.threshold_km) {
        let sites = grid_sites(site_type);
        let (rows, notes) = super::grid_coverage::coverage_rows(ctx, &sites, threshold_km, level)?;
        let prefix = format!("{}_{}km_", site_type.to_lowercase(), km_name(threshold_km));
        join_rows(table, &serde_json::to_value(&rows)?, |column| {
            Some(format!("{prefix}{column}"))
        });
        super::grid_coverage::print_notes(&notes);
    }
    if let (Some(site_type), Some(catchment_km)) = (&args.access, args.catchment_km) {
        let access = AccessArgs {
            sites: grid_sites(site_type),
            catchment_km,
            decay: DecayArg::None,
            sigma_km: None,
            capacity_column: None,
            level: args.level,
            format: TableFormat::Csv,
        };
        let (rows, notes) = super::access::access_rows(ctx, &access)?;
        let name = format!(
            "{}_access_{}km",
            site_type.to_lowercase(),
            km_name(catchment_km)
        );
        join_rows(table, &serde_json::to_value(&rows)?, |column| {
            (column == "value").then(|| name.clone())
        });
        super::grid_coverage::print_notes(&notes);
    }
    Ok(())
}

/// The registry's sites of a type, as the grid commands' flags give them.
fn grid_sites(site_type: &str) -> GridSitesArgs {
    GridSitesArgs {
        site_type: site_type.to_owned(),
        import: None,
        import_type: atlas_core::sites::OWN_SITES.to_owned(),
    }
}

/// A distance for a column name: `15` → `15`, `7.5` → `7_5`.
fn km_name(km: f64) -> String {
    km.to_string().replace(['.', '-'], "_")
}

/// Appends the columns of `rows` (JSON objects with an `ags`) that `rename` names to the
/// features of `table`, matched by their `ags`; a region without a row gets NULL.
fn join_rows(
    table: &mut atlas_core::exchange::FeatureTable,
    rows: &serde_json::Value,
    rename: impl Fn(&str) -> Option<String>,
) {
    use atlas_core::exchange::{Field, FieldKind, Value};
    let objects: Vec<&serde_json::Map<String, serde_json::Value>> = rows
        .as_array()
        .map(|a| a.iter().filter_map(|r| r.as_object()).collect())
        .unwrap_or_default();
    let by_ags: std::collections::HashMap<&str, _> = objects
        .iter()
        .filter_map(|o| Some((o.get("ags")?.as_str()?, *o)))
        .collect();
    let Some(first) = objects.first() else { return };
    let ags_index = table.fields.iter().position(|f| f.name == "ags");
    for (column, _) in first.iter() {
        let Some(name) = rename(column) else { continue };
        let values: Vec<Value> = table
            .features
            .iter()
            .map(|feature| {
                let ags = ags_index.and_then(|i| match &feature.values[i] {
                    Value::Text(a) => Some(a.as_str()),
                    _ => None,
                });
                ags.and_then(|a| by_ags.get(a))
                    .and_then(|o| o.get(column))
                    .map_or(Value::Null, json_value)
            })
            .collect();
        let kind = match values.iter().find(|v| **v != Value::Null) {
            Some(Value::Integer(_)) => FieldKind::Integer,
            Some(Value::Text(_)) => FieldKind::Text,
            _ => FieldKind::Real,
        };
        table.fields.push(Field::new(name, kind));
        for (feature, value) in table.features.iter_mut().zip(values) {
            feature.values.push(value);
        }
    }
}

/// A JSON value of the grid tables as an attribute value.
fn json_value(value: &serde_json::Value) -> atlas_core::exchange::Value {
    use atlas_core::exchange::Value;
    match value {
        serde_json::Value::Number(n) if !n.is_f64() => {
            n.as_i64().map_or(Value::Null, Value::Integer)
        }
        serde_json::Value::Number(n) => Value::real_or_null(n.as_f64()),
        serde_json::Value::String(s) => Value::Text(s.clone()),
        _ => Value::Null,
    }
}
