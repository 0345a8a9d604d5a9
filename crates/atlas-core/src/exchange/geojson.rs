//! Writing a [`FeatureTable`] as RFC 7946 GeoJSON: a FeatureCollection in WGS84 longitude /
//! latitude (7 decimals, about 1 cm), polygon rings by the right-hand rule (outer rings
//! counter-clockwise, holes clockwise), every field a property (`null` for no data), with the
//! layer's `name` and `attribution` as foreign members. Written atomically.

use std::path::Path;

use geo::orient::{Direction, Orient as _};
use geo::{Coord, MultiPolygon};
use geojson::{Feature, FeatureCollection, GeoJson, Geometry, JsonObject, JsonValue};

use super::ExchangeError;
use super::table::{FeatureTable, Shape, Value};
use crate::geometry::projection::ToWgs84;

/// The GeoJSON text of a table.
pub fn to_string(table: &FeatureTable) -> Result<String, ExchangeError> {
    let to_wgs84 = ToWgs84::default();
    let features = table
        .features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let geometry = geometry(&feature.shape, &to_wgs84).ok_or_else(|| {
                let [x, _, y, _] = feature.shape.envelope();
                ExchangeError::Projection {
                    layer: table.name.clone(),
                    feature: i + 1,
                    x,
                    y,
                }
            })?;
            let properties: JsonObject = table
                .fields
                .iter()
                .zip(&feature.values)
                .map(|(field, value)| (field.name.clone(), json(value)))
                .collect();
            Ok(Feature {
                bbox: None,
                geometry: Some(geometry),
                id: None,
                properties: Some(properties),
                foreign_members: None,
            })
        })
        .collect::<Result<Vec<_>, ExchangeError>>()?;
    let mut members = JsonObject::new();
    members.insert("name".to_owned(), JsonValue::String(table.name.clone()));
    if !table.attribution.is_empty() {
        members.insert(
            "attribution".to_owned(),
            JsonValue::String(table.attribution.clone()),
        );
    }
    let collection = FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    };
    Ok(GeoJson::from(collection).to_string())
}

/// Writes a table as GeoJSON to `path`, atomically.
pub fn write(path: &Path, table: &FeatureTable) -> Result<(), ExchangeError> {
    let mut text = to_string(table)?;
    text.push('\n');
    crate::atomic::write_atomically(path, text.as_bytes()).map_err(|e| ExchangeError::Write {
        path: path.to_owned(),
        detail: e.to_string(),
    })
}

fn json(value: &Value) -> JsonValue {
    match value {
        Value::Null => JsonValue::Null,
        Value::Text(t) => JsonValue::String(t.clone()),
        Value::Integer(i) => JsonValue::from(*i),
        Value::Real(r) => {
            serde_json::Number::from_f64(*r).map_or(JsonValue::Null, JsonValue::Number)
        }
    }
}

/// Rounds degrees to 7 decimals (about 1 cm).
fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

fn lonlat(to_wgs84: &ToWgs84, c: Coord<f64>) -> Option<Vec<f64>> {
    let (lon, lat) = to_wgs84.convert(c.x, c.y)?;
    (lon.is_finite() && lat.is_finite()).then(|| vec![round7(lon), round7(lat)])
}

fn geometry(shape: &Shape, to_wgs84: &ToWgs84) -> Option<Geometry> {
    match shape {
        Shape::Point { x, y } => {
            let p = lonlat(to_wgs84, Coord { x: *x, y: *y })?;
            Some(Geometry::new(geojson::Value::Point(p)))
        }
        Shape::MultiPolygon(mp) => multipolygon(mp, to_wgs84),
    }
}

/// A multipolygon in WGS84 with right-hand-rule rings. The orientation is fixed in EPSG:25832
/// (a conformal projection keeps it) before the conversion.
fn multipolygon(mp: &MultiPolygon<f64>, to_wgs84: &ToWgs84) -> Option<Geometry> {
    let oriented = mp.orient(Direction::Default);
    let polygons = oriented
        .0
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring.coords().map(|c| lonlat(to_wgs84, *c)).collect())
                .collect::<Option<Vec<Vec<Vec<f64>>>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Geometry::new(geojson::Value::MultiPolygon(polygons)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::table::{Feature as Row, Field, FieldKind, GeometryKind};

    #[test]
    fn rings_follow_the_right_hand_rule_and_nulls_stay_null() {
        // A clockwise square in EPSG:25832 near Köln.
        use geo::polygon;
        let cw = polygon![
            (x: 356_000.0, y: 5_645_000.0),
            (x: 356_000.0, y: 5_646_000.0),
            (x: 357_000.0, y: 5_646_000.0),
            (x: 357_000.0, y: 5_645_000.0),
            (x: 356_000.0, y: 5_645_000.0),
        ];
        let table = FeatureTable {
            name: "t".to_owned(),
            description: String::new(),
            attribution: "© test".to_owned(),
            geometry: GeometryKind::MultiPolygon,
            fields: vec![Field::new("v", FieldKind::Real)],
            features: vec![Row {
                shape: Shape::MultiPolygon(MultiPolygon(vec![cw])),
                values: vec![Value::Null],
            }],
        };
        let text = to_string(&table).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["attribution"], "© test");
        let feature = &json["features"][0];
        assert!(feature["properties"]["v"].is_null());
        let ring = feature["geometry"]["coordinates"][0][0].as_array().unwrap();
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let twice_area: f64 = pts
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(twice_area > 0.0, "outer ring counter-clockwise: {pts:?}");
        assert!((pts[0].0 - 6.94).abs() < 0.05 && (pts[0].1 - 50.93).abs() < 0.05);
    }
}
