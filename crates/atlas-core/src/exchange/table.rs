//! The feature table both exchange writers take: named, typed fields and features holding one
//! value per field and a geometry in EPSG:25832 metres.

use geo::MultiPolygon;

/// The type of an attribute column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text (SQLite `TEXT`, JSON string).
    Text,
    /// A whole number (SQLite `INTEGER`, JSON number).
    Integer,
    /// A real number (SQLite `DOUBLE`, JSON number).
    Real,
}

impl FieldKind {
    /// The GeoPackage column type.
    pub fn sql_type(self) -> &'static str {
        match self {
            FieldKind::Text => "TEXT",
            FieldKind::Integer => "INTEGER",
            FieldKind::Real => "DOUBLE",
        }
    }
}

/// One attribute column.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The column name, e.g. `ags`, `population`, `migration_background_pct`.
    pub name: String,
    /// Its type.
    pub kind: FieldKind,
}

impl Field {
    /// A column of `kind` named `name`.
    pub fn new(name: impl Into<String>, kind: FieldKind) -> Field {
        Field {
            name: name.into(),
            kind,
        }
    }
}

/// One attribute value; `Null` where there is no data.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No data.
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A real number.
    Real(f64),
}

impl Value {
    /// Text, or `Null` for an empty string.
    pub fn text_or_null(text: &str) -> Value {
        if text.is_empty() {
            Value::Null
        } else {
            Value::Text(text.to_owned())
        }
    }

    /// A real number, or `Null` for `None` or a non-finite one.
    pub fn real_or_null(value: Option<f64>) -> Value {
        value
            .filter(|v| v.is_finite())
            .map_or(Value::Null, Value::Real)
    }
}

/// The geometry of a feature, EPSG:25832 metres.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A point (a site).
    Point {
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// An area (a region).
    MultiPolygon(MultiPolygon<f64>),
}

impl Shape {
    /// The bounding box `[min_x, max_x, min_y, max_y]` (the GeoPackage envelope order).
    pub fn envelope(&self) -> [f64; 4] {
        match self {
            Shape::Point { x, y } => [*x, *x, *y, *y],
            Shape::MultiPolygon(mp) => {
                use geo::BoundingRect as _;
                mp.bounding_rect()
                    .map_or([0.0; 4], |r| [r.min().x, r.max().x, r.min().y, r.max().y])
            }
        }
    }
}

/// The kind of geometry all features of a table share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeometryKind {
    /// Points.
    Point,
    /// Multipolygons.
    MultiPolygon,
}

impl GeometryKind {
    /// The OGC geometry type name of `gpkg_geometry_columns`.
    pub fn ogc_name(self) -> &'static str {
        match self {
            GeometryKind::Point => "POINT",
            GeometryKind::MultiPolygon => "MULTIPOLYGON",
        }
    }
}

/// One feature: its geometry and one value per field of its table.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The geometry.
    pub shape: Shape,
    /// The values, in the order of [`FeatureTable::fields`].
    pub values: Vec<Value>,
}

/// A layer to export: a name, typed fields and features.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureTable {
    /// The layer (table) name, e.g. `regions_kreis`, `sites`.
    pub name: String,
    /// A human-readable description (GeoPackage `description`).
    pub description: String,
    /// The licences' attribution line of the data in the table (GeoPackage description, GeoJSON
    /// `attribution` member).
    pub attribution: String,
    /// The kind of every feature's geometry.
    pub geometry: GeometryKind,
    /// The attribute columns.
    pub fields: Vec<Field>,
    /// The features.
    pub features: Vec<Feature>,
}

impl FeatureTable {
    /// The bounding box of all features, `[min_x, max_x, min_y, max_y]`; zeros when empty.
    pub fn envelope(&self) -> [f64; 4] {
        let mut boxes = self.features.iter().map(|f| f.shape.envelope());
        let Some(first) = boxes.next() else {
            return [0.0; 4];
        };
        boxes.fold(first, |a, b| {
            [
                a[0].min(b[0]),
                a[1].max(b[1]),
                a[2].min(b[2]),
                a[3].max(b[3]),
            ]
        })
    }
}
