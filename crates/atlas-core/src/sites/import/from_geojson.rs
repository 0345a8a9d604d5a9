//! Own sites from GeoJSON: a FeatureCollection (or a single Feature) of Points, or MultiPoints
//! holding one point, in WGS84 (RFC 7946) or, by a legacy `crs` member, in EPSG:25832. A UTF-8
//! BOM is accepted, and bare `NaN`/`Infinity` tokens (as Python's json module writes them) are
//! read as "no number" so that only their feature is rejected. Features are numbered from 1;
//! a rejected one is named by that number and its `id` and `name`.

use std::path::Path;

use serde_json::Value;

use super::{Kind, Placer, Problem, Sink};
use crate::error::LoadError;
use crate::i18n::Text;

/// The coordinate system of the file's positions.
#[derive(Clone, Copy, PartialEq)]
enum Positions {
    Wgs84,
    Utm32,
}

/// Replaces the tokens `NaN`, `Infinity`, `-Infinity`, `+Infinity` and `-NaN` outside strings by
/// `null`. Returns the text and whether anything was replaced.
fn nonfinite_to_null(text: &str) -> (std::borrow::Cow<'_, str>, bool) {
    const TOKENS: [&str; 5] = ["-Infinity", "+Infinity", "Infinity", "-NaN", "NaN"];
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let found = TOKENS
            .iter()
            .find(|t| boundary && bytes[i..].starts_with(t.as_bytes()));
        match found {
            Some(token) => {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                o.push_str(&text[copied..i]);
                o.push_str("null");
                i += token.len();
                copied = i;
            }
            None => i += 1,
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            (o.into(), true)
        }
        None => (text.into(), false),
    }
}

fn bad_file(path: &Path, detail: String) -> LoadError {
    LoadError::BadRecord {
        path: path.to_owned(),
        record: 0,
        detail,
    }
}

/// The coordinate system named by a legacy `crs` member; WGS84 without one.
fn positions(path: &Path, root: &Value) -> Result<Positions, LoadError> {
    let Some(crs) = root.get("crs").filter(|c| !c.is_null()) else {
        return Ok(Positions::Wgs84);
    };
    let name = crs
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let compact: String = name.to_ascii_uppercase().replace("::", ":");
    if compact.ends_with("CRS84") || compact.ends_with(":4326") {
        Ok(Positions::Wgs84)
    } else if compact.ends_with(":25832") {
        Ok(Positions::Utm32)
    } else {
        Err(bad_file(
            path,
            format!(
                "unsupported \"crs\" {crs}; export the layer in WGS84 (EPSG:4326, RFC 7946) or EPSG:25832"
            ),
        ))
    }
}

/// Reads the sites of a GeoJSON file's bytes into `sink`.
pub(super) fn import(
    path: &Path,
    bytes: &[u8],
    placer: &Placer,
    sink: &mut Sink,
) -> Result<(), LoadError> {
    sink.report.format = Text::new("GeoJSON", "GeoJSON");
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        bad_file(
            path,
            format!("not UTF-8 text ({e}); GeoJSON must be saved as UTF-8"),
        )
    })?;
    let (text, had_nonfinite) = nonfinite_to_null(text);
    let root: Value = serde_json::from_str(&text).map_err(|e| {
        bad_file(
            path,
            format!(
                "not valid GeoJSON: {e}; export a FeatureCollection of points (RFC 7946, WGS84)"
            ),
        )
    })?;
    if had_nonfinite {
        sink.report.notes.push(Text::new(
            "NaN/Infinity in der Datei als „keine Zahl“ gelesen",
            "NaN/Infinity in the file read as \"no number\"",
        ));
    }
    let positions = positions(path, &root)?;
    let features: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => root
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                bad_file(
                    path,
                    "a FeatureCollection without a \"features\" array".to_owned(),
                )
            })?
            .iter()
            .collect(),
        Some("Feature") => vec![&root],
        Some(other) => {
            return Err(bad_file(
                path,
                format!("a bare {other:?}; expected a FeatureCollection of points"),
            ));
        }
        None => {
            return Err(bad_file(
                path,
                "no GeoJSON \"type\"; expected a FeatureCollection of points".to_owned(),
            ));
        }
    };
    for (i, feature) in features.into_iter().enumerate() {
        read_feature(i as u64 + 1, feature, positions, placer, sink);
    }
    Ok(())
}

/// The feature's id and name for messages, e.g. `id "b", "KI Olpe"`.
fn label(feature: &Value) -> Option<String> {
    let id = feature
        .get("id")
        .filter(|v| !v.is_null())
        .map(|v| format!("id {v}"));
    let name = ["name", "bezeichnung"]
        .iter()
        .find_map(|k| feature.pointer(&format!("/properties/{k}"))?.as_str())
        .map(|n| format!("{n:?}"));
    match (id, name) {
        (None, None) => None,
        (a, b) => Some(a.into_iter().chain(b).collect::<Vec<_>>().join(", ")),
    }
}

/// A text property (the first of `keys` present and not null); a non-text value is a problem.
fn text_property<'v>(feature: &'v Value, keys: &[&str]) -> Result<Option<&'v str>, Problem> {
    let Some((key, value)) = keys.iter().find_map(|k| {
        feature
            .get("properties")?
            .get(*k)
            .filter(|v| !v.is_null())
            .map(|v| (*k, v))
    }) else {
        return Ok(None);
    };
    value.as_str().map(Some).ok_or_else(|| {
        Problem::new(
            Kind::NotText,
            format!(
                "Eigenschaft {key:?} ist kein Text, sondern {value}; als \"{key}\": \"…\" angeben"
            ),
            format!("property {key:?} is not text but {value}; write it as \"{key}\": \"…\""),
        )
    })
}

fn read_feature(
    number: u64,
    feature: &Value,
    positions: Positions,
    placer: &Placer,
    sink: &mut Sink,
) {
    let label = label(feature);
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        let problem = Problem::new(
            Kind::BadFeature,
            "kein Objekt mit \"type\": \"Feature\"",
            "no object with \"type\": \"Feature\"",
        );
        return sink.fail(number, label, problem);
    }
    let properties = text_property(feature, &["name", "bezeichnung"]).and_then(|name| {
        text_property(feature, &["type", "typ", "art"]).map(|site_type| (name, site_type))
    });
    let (name, site_type) = match properties {
        Ok(pair) => pair,
        Err(problem) => return sink.fail(number, label, problem),
    };
    let placed = point(feature.get("geometry")).and_then(|(a, b)| match positions {
        Positions::Wgs84 => placer.by_lonlat(a, b),
        Positions::Utm32 => placer.by_xy(a, b),
    });
    sink.push(number, label, placed, name, site_type);
}

/// The one position of a Point or single-point MultiPoint geometry.
fn point(geometry: Option<&Value>) -> Result<(f64, f64), Problem> {
    let Some(geometry) = geometry.filter(|g| !g.is_null()) else {
        return Err(Problem::new(
            Kind::NoPosition,
            "ohne Geometrie",
            "no geometry",
        ));
    };
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("?");
    let coordinates = geometry.get("coordinates");
    match (kind, coordinates) {
        ("Point", Some(c)) => position(c),
        ("MultiPoint", Some(Value::Array(points))) if points.len() == 1 => position(&points[0]),
        ("MultiPoint", Some(Value::Array(points))) => Err(Problem::new(
            Kind::WrongGeometry,
            format!("MultiPoint mit {} Punkten statt eines Punkts", points.len()),
            format!(
                "MultiPoint with {} points instead of one point",
                points.len()
            ),
        )),
        ("Point" | "MultiPoint", _) => Err(Problem::new(
            Kind::BadPosition,
            format!("{kind} ohne \"coordinates\""),
            format!("{kind} without \"coordinates\""),
        )),
        (other, _) => Err(Problem::new(
            Kind::WrongGeometry,
            format!("Geometrie {other} statt Point"),
            format!("geometry {other} instead of Point"),
        )),
    }
}

/// A GeoJSON position: an array of at least two finite numbers (a third, the height, is dropped).
fn position(value: &Value) -> Result<(f64, f64), Problem> {
    let numbers: Option<Vec<f64>> = value
        .as_array()
        .map(|a| a.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>())
        .unwrap_or(None);
    match numbers.as_deref() {
        Some([a, b, ..]) if a.is_finite() && b.is_finite() => Ok((*a, *b)),
        _ => Err(Problem::new(
            Kind::BadPosition,
            format!("Position {value} ist kein Paar endlicher Zahlen [Länge, Breite]"),
            format!("position {value} is no pair of finite numbers [longitude, latitude]"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_infinity_outside_strings_become_null() {
        let (text, found) = nonfinite_to_null(r#"{"a":[NaN,-Infinity],"b":"NaN","c":Infinity}"#);
        assert!(found);
        assert_eq!(text, r#"{"a":[null,null],"b":"NaN","c":null}"#);
        let (text, found) = nonfinite_to_null(r#"{"s":"a\"NaN"}"#);
        assert!(!found);
        assert_eq!(text, r#"{"s":"a\"NaN"}"#);
    }
}
