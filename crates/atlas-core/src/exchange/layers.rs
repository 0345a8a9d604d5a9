//! The layers the atlas exports: the regions of a level with all their indicators (the values
//! and rounding of the `regions` table: area to 3 decimals, indicators to 4, categories as
//! text, no data as NULL) and the sites with every attribute, their address and capacity.

use crate::analysis::indicators::{Indicator, IndicatorSet, Values};
use crate::attribution;
use crate::i18n::Lang;
use crate::model::{Atlas, Level};
use crate::sites::details::DetailsById;
use crate::sites::{PRECISION_PLZ, Site};

use super::table::{Feature, FeatureTable, Field, FieldKind, GeometryKind, Shape, Value};

/// The indicators exported beside the base columns: every indicator of the level but area and
/// population (which are base columns), in the order of the indicator set.
pub fn extra_indicators(indicators: &IndicatorSet, level: Level) -> Vec<&Indicator> {
    indicators
        .for_level(level)
        .filter(|i| i.key != "area_km2" && i.key != "population")
        .collect()
}

/// Rounds to `decimals` decimals as the tables do.
fn rounded(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale
}

/// An indicator's value of region `index`: rounded to 4 decimals, or its category; NULL for no data.
pub fn indicator_value(indicator: &Indicator, index: usize) -> Value {
    match &indicator.values {
        Values::Numeric(values) => Value::real_or_null(
            values
                .get(index)
                .copied()
                .flatten()
                .map(|v| rounded(v, 10_000.0)),
        ),
        Values::Categorical { codes, categories } => codes
            .get(index)
            .copied()
            .flatten()
            .and_then(|c| categories.get(c))
            .map_or(Value::Null, |c| Value::Text(c.clone())),
    }
}

/// The table name of a level's regions, e.g. `regions_kreis`.
pub fn regions_table_name(level: Level) -> String {
    format!("regions_{}", level.key())
}

/// The regions of `level` with all their indicators, for a GeoPackage or GeoJSON.
#[allow(
    clippy::cast_possible_wrap,
    reason = "population counts are far below i64::MAX"
)]
pub fn regions_table(
    atlas: &Atlas,
    indicators: &IndicatorSet,
    level: Level,
    lang: Lang,
) -> FeatureTable {
    let extra = extra_indicators(indicators, level);
    let mut fields = vec![
        Field::new("ags", FieldKind::Text),
        Field::new("name", FieldKind::Text),
        Field::new("level", FieldKind::Text),
        Field::new("parent_ags", FieldKind::Text),
        Field::new("area_km2", FieldKind::Real),
        Field::new("population", FieldKind::Integer),
    ];
    fields.extend(extra.iter().map(|i| {
        let kind = if i.is_categorical() {
            FieldKind::Text
        } else {
            FieldKind::Real
        };
        Field::new(i.key.clone(), kind)
    }));
    let features = atlas
        .regions(level)
        .iter()
        .enumerate()
        .map(|(index, region)| {
            let mut values = vec![
                Value::Text(region.ags.as_str().to_owned()),
                Value::Text(region.name.clone()),
                Value::Text(level.key().to_owned()),
                region
                    .parent
                    .as_ref()
                    .map_or(Value::Null, |p| Value::Text(p.as_str().to_owned())),
                Value::Real(rounded(region.area_km2, 1000.0)),
                Value::Integer(region.population as i64),
            ];
            values.extend(extra.iter().map(|i| indicator_value(i, index)));
            Feature {
                shape: Shape::MultiPolygon(region.geometry.clone()),
                values,
            }
        })
        .collect();
    FeatureTable {
        name: regions_table_name(level),
        description: format!(
            "Integrationsatlas NRW: {} ({})",
            level.key(),
            lang.pick("Regionen mit Indikatoren", "regions with indicators")
        ),
        attribution: attribution::for_scene(&atlas.provenance, false)
            .get(lang)
            .to_owned(),
        geometry: GeometryKind::MultiPolygon,
        fields,
        features,
    }
}

/// The sites as a point layer named `name`: id, type, name, kommune_ags, lon, lat, precision,
/// source, stand, then street, house_number, postcode, city and capacity from `details`.
pub fn sites_table(name: &str, sites: &[&Site], details: &DetailsById, lang: Lang) -> FeatureTable {
    let fields = vec![
        Field::new("id", FieldKind::Text),
        Field::new("type", FieldKind::Text),
        Field::new("name", FieldKind::Text),
        Field::new("kommune_ags", FieldKind::Text),
        Field::new("lon", FieldKind::Real),
        Field::new("lat", FieldKind::Real),
        Field::new("precision", FieldKind::Text),
        Field::new("source", FieldKind::Text),
        Field::new("stand", FieldKind::Text),
        Field::new("street", FieldKind::Text),
        Field::new("house_number", FieldKind::Text),
        Field::new("postcode", FieldKind::Text),
        Field::new("city", FieldKind::Text),
        Field::new("capacity", FieldKind::Real),
    ];
    let features = sites
        .iter()
        .map(|site| {
            let d = details.get(&site.id).cloned().unwrap_or_default();
            Feature {
                shape: Shape::Point {
                    x: site.x,
                    y: site.y,
                },
                values: vec![
                    Value::Text(site.id.clone()),
                    Value::Text(site.site_type.code().to_owned()),
                    Value::Text(site.name.clone()),
                    Value::Text(site.kommune_ags.as_str().to_owned()),
                    Value::Real(site.lon),
                    Value::Real(site.lat),
                    Value::Text(site.precision.clone()),
                    Value::text_or_null(&site.source),
                    Value::text_or_null(&site.stand),
                    Value::text_or_null(&d.address.street),
                    Value::text_or_null(&d.address.house_number),
                    Value::text_or_null(&d.address.postcode),
                    Value::text_or_null(&d.address.city),
                    Value::real_or_null(d.capacity),
                ],
            }
        })
        .collect();
    let with_postcodes = sites.iter().any(|s| s.precision == PRECISION_PLZ);
    FeatureTable {
        name: name.to_owned(),
        description: format!("Integrationsatlas NRW: {}", lang.pick("Standorte", "sites")),
        attribution: attribution::for_sites(with_postcodes).get(lang).to_owned(),
        geometry: GeometryKind::Point,
        fields,
        features,
    }
}
