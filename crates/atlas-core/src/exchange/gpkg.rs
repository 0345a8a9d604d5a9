//! Writing an OGC GeoPackage 1.3 (an SQLite file, through rusqlite with bundled SQLite): the
//! required `gpkg_spatial_ref_sys` (with the -1, 0 and 4326 rows and EPSG:25832),
//! `gpkg_contents` and `gpkg_geometry_columns`, one feature table per [`FeatureTable`] with a
//! `fid` primary key, a `geom` column of GeoPackage binary geometry and one column per field.
//! `application_id` is `GPKG`, `user_version` 10300. The file is written atomically.

use std::path::Path;

use rusqlite::{Connection, params, types::ToSqlOutput};

use super::ExchangeError;
use super::table::{FeatureTable, Value};
use super::wkb::gpkg_geometry;

/// The spatial reference system of every feature table: ETRS89 / UTM zone 32N.
pub const SRS_ID: i32 = 25832;

/// `PRAGMA application_id` of a GeoPackage: "GPKG" as a big-endian 32-bit integer.
pub const APPLICATION_ID: i32 = 0x4750_4B47;

/// `PRAGMA user_version` of GeoPackage 1.3.0.
pub const USER_VERSION: i32 = 10300;

/// The OGC WKT 1 of EPSG:25832 (as the EPSG registry and GDAL give it).
pub const EPSG_25832_WKT: &str = r#"PROJCS["ETRS89 / UTM zone 32N",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6258"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4258"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","25832"]]"#;

const EPSG_4326_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
";

/// Writes the tables into a new GeoPackage at `path` (replacing the file atomically).
/// `last_change` is the ISO 8601 time stamp of `gpkg_contents` (e.g. `2026-12-01T00:00:00.000Z`).
pub fn write(path: &Path, tables: &[FeatureTable], last_change: &str) -> Result<(), ExchangeError> {
    crate::atomic::write_atomically_via(path, |tmp| {
        // The temporary file exists (empty): SQLite turns an empty file into a new database.
        fill(tmp, tables, last_change).map_err(std::io::Error::other)
    })
    .map_err(|e| ExchangeError::Write {
        path: path.to_owned(),
        detail: e.to_string(),
    })
}

fn fill(path: &Path, tables: &[FeatureTable], last_change: &str) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    db.pragma_update(None, "application_id", APPLICATION_ID)?;
    db.pragma_update(None, "user_version", USER_VERSION)?;
    let tx = db.transaction()?;
    tx.execute_batch(SCHEMA)?;
    spatial_ref_sys(&tx)?;
    for table in tables {
        feature_table(&tx, table, last_change)?;
    }
    tx.commit()?;
    db.close().map_err(|(_, e)| e)
}

fn spatial_ref_sys(db: &Connection) -> rusqlite::Result<()> {
    let mut insert = db.prepare(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    insert.execute(params![
        "Undefined cartesian SRS",
        -1,
        "NONE",
        -1,
        "undefined",
        "undefined cartesian coordinate reference system"
    ])?;
    insert.execute(params![
        "Undefined geographic SRS",
        0,
        "NONE",
        0,
        "undefined",
        "undefined geographic coordinate reference system"
    ])?;
    insert.execute(params![
        "WGS 84 geodetic",
        4326,
        "EPSG",
        4326,
        EPSG_4326_WKT,
        "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
    ])?;
    insert.execute(params![
        "ETRS89 / UTM zone 32N",
        SRS_ID,
        "EPSG",
        SRS_ID,
        EPSG_25832_WKT,
        "ETRS89 / UTM zone 32N, metres (the coordinates of the Integrationsatlas NRW)"
    ])?;
    Ok(())
}

/// An SQL identifier in double quotes (inner quotes doubled).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::ValueRef;
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Integer(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*r)),
        })
    }
}

/// The description of `gpkg_contents`: the table's description and its attribution.
fn described(table: &FeatureTable) -> String {
    if table.attribution.is_empty() {
        table.description.clone()
    } else {
        format!("{} — {}", table.description, table.attribution)
    }
}

fn feature_table(db: &Connection, table: &FeatureTable, last_change: &str) -> rusqlite::Result<()> {
    let name = quoted(&table.name);
    let columns: Vec<String> = table
        .fields
        .iter()
        .map(|f| format!("{} {}", quoted(&f.name), f.kind.sql_type()))
        .collect();
    let mut create = format!(
        "CREATE TABLE {name} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {}",
        table.geometry.ogc_name()
    );
    for column in &columns {
        create.push_str(", ");
        create.push_str(column);
    }
    create.push(')');
    db.execute(&create, [])?;
    let [min_x, max_x, min_y, max_y] = table.envelope();
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![table.name, described(table), last_change, min_x, min_y, max_x, max_y, SRS_ID],
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![table.name, table.geometry.ogc_name(), SRS_ID],
    )?;
    let names: Vec<String> = std::iter::once("geom".to_owned())
        .chain(table.fields.iter().map(|f| quoted(&f.name)))
        .collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let mut insert = db.prepare(&format!(
        "INSERT INTO {name} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    ))?;
    for feature in &table.features {
        let geometry = gpkg_geometry(&feature.shape, SRS_ID);
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![&geometry];
        values.extend(feature.values.iter().map(|v| v as &dyn rusqlite::ToSql));
        insert.execute(values.as_slice())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::table::{Feature, Field, FieldKind, GeometryKind, Shape};

    fn sample() -> FeatureTable {
        FeatureTable {
            name: "sites".to_owned(),
            description: "test".to_owned(),
            attribution: String::new(),
            geometry: GeometryKind::Point,
            fields: vec![
                Field::new("name", FieldKind::Text),
                Field::new("capacity", FieldKind::Real),
            ],
            features: vec![
                Feature {
                    shape: Shape::Point {
                        x: 356_000.0,
                        y: 5_645_000.0,
                    },
                    values: vec![Value::Text("A \"quoted\" name".to_owned()), Value::Null],
                },
                Feature {
                    shape: Shape::Point {
                        x: 357_000.0,
                        y: 5_646_000.0,
                    },
                    values: vec![Value::Text("B".to_owned()), Value::Real(12.5)],
                },
            ],
        }
    }

    #[test]
    fn a_written_geopackage_has_the_pragmas_srs_contents_and_features() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gpkg");
        write(&path, &[sample()], "2026-01-01T00:00:00.000Z").unwrap();
        let db = Connection::open(&path).unwrap();
        let app: i32 = db
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        let version: i32 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!((app, version), (APPLICATION_ID, USER_VERSION));
        let srs: Vec<i32> = db
            .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(srs, vec![-1, 0, 4326, 25832]);
        let (kind, srs_id): (String, i32) = db
            .query_row(
                "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'sites'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), srs_id), ("POINT", 25832));
        let rows: Vec<(String, Option<f64>)> = db
            .prepare("SELECT name, capacity FROM sites ORDER BY fid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0], ("A \"quoted\" name".to_owned(), None));
        assert_eq!(rows[1], ("B".to_owned(), Some(12.5)));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_missing_folder_is_a_clear_error_and_leaves_nothing() {
        let err = write(Path::new("/no/such/dir/x.gpkg"), &[sample()], "x").unwrap_err();
        assert!(
            err.to_string().contains("folder /no/such/dir not found"),
            "{err}"
        );
    }
}
