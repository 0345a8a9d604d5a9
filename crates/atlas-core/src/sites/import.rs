//! Importing a planner's own sites: CSV (lon/lat in WGS84, x/y in EPSG:25832, or only an AGS or a
//! Kommune name, placed at its seat; the same columns in a spreadsheet), a GeoJSON FeatureCollection of points, or a point shapefile
//! (Point, PointZ, PointM or one-point MultiPoint) with .prj. Rows, features or records that fail
//! are listed with their number and what is wrong; good ones load. Every message exists in German
//! and English ([`ImportReport::lines`]).

mod from_csv;
mod from_geojson;
mod from_sheet;
mod from_shp;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::analysis::search::fold_plain;
use crate::data::postcodes::{Postcodes, normalise_plz};
use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32, ToWgs84};
use crate::i18n::{Lang, Text};
use crate::model::{Ags, Atlas, Level};
use crate::sites::details::{DetailsById, SiteDetails};
use crate::sites::{PRECISION_COORDINATES, PRECISION_KOMMUNE_SEAT, PRECISION_PLZ, Site, SiteType};

/// How many record or line numbers a report line lists before it says "and N more".
pub const LISTED_NUMBERS: usize = 10;

/// What is counted in a file: CSV lines, GeoJSON features (1-based) or shapefile records (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// A 1-based line of a CSV file (the header is line 1).
    #[default]
    Line,
    /// A 1-based feature of a GeoJSON FeatureCollection (the first feature is 1).
    Feature,
    /// A 1-based shapefile record (the first record is 1).
    Record,
}

impl Unit {
    fn one(self, lang: Lang) -> &'static str {
        match self {
            Unit::Line => lang.pick("Zeile", "line"),
            Unit::Feature => "Feature",
            Unit::Record => lang.pick("Datensatz", "record"),
        }
    }

    fn many(self, lang: Lang) -> &'static str {
        match self {
            Unit::Line => lang.pick("Zeilen", "lines"),
            Unit::Feature => lang.pick("Features", "features"),
            Unit::Record => lang.pick("Datensätze", "records"),
        }
    }
}

/// The kind of problem a rejected row, feature or record has; the report groups by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The position lies outside North Rhine-Westphalia.
    OutsideNrw,
    /// A coordinate field is not a number.
    NotANumber,
    /// The coordinates are no valid position (NaN, infinite, too few, out of range).
    BadPosition,
    /// The AGS or Kommune name names no (single) Gemeinde or Kreis in NRW.
    UnknownPlace,
    /// No coordinates, AGS, Kommune or geometry at all.
    NoPosition,
    /// A geometry other than a point.
    WrongGeometry,
    /// A name or type property that is not text.
    NotText,
    /// A GeoJSON entry that is no Feature object.
    BadFeature,
    /// A CSV line whose number of fields differs from the header's.
    FieldCount,
    /// A shapefile record that cannot be read.
    BrokenRecord,
    /// A DBF record (the attributes) that cannot be read.
    BrokenAttributes,
    /// A record not read because an earlier one is broken and there is no usable .shx index.
    NotRead,
    /// An address whose PLZ is unknown (or no PLZ) and whose Ort names no Gemeinde of NRW.
    UnknownAddress,
}

impl Kind {
    /// The summary label of this kind.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::OutsideNrw => lang.pick("außerhalb von NRW", "outside NRW"),
            Kind::NotANumber => lang.pick("keine Zahl", "not a number"),
            Kind::BadPosition => lang.pick("ungültige Position", "invalid position"),
            Kind::UnknownPlace => lang.pick(
                "AGS oder Kommune nicht gefunden",
                "AGS or Kommune not found",
            ),
            Kind::NoPosition => lang.pick("ohne Position", "no position"),
            Kind::WrongGeometry => lang.pick("keine Punktgeometrie", "not a point geometry"),
            Kind::NotText => lang.pick("Name oder Typ ist kein Text", "name or type is not text"),
            Kind::BadFeature => lang.pick("kein gültiges Feature", "not a valid feature"),
            Kind::FieldCount => lang.pick("falsche Anzahl Felder", "wrong number of fields"),
            Kind::BrokenRecord => lang.pick("defekter Datensatz (.shp)", "broken record (.shp)"),
            Kind::BrokenAttributes => {
                lang.pick("defekte Attribute (.dbf)", "broken attributes (.dbf)")
            }
            Kind::NotRead => lang.pick(
                "nicht gelesen (ohne gültigen .shx-Index)",
                "not read (no valid .shx index)",
            ),
            Kind::UnknownAddress => lang.pick(
                "Adresse nicht zuzuordnen (PLZ und Ort unbekannt)",
                "address not placeable (PLZ and Ort unknown)",
            ),
        }
    }
}

/// Why one row, feature or record was not taken over.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The kind (for the summary).
    pub kind: Kind,
    /// What exactly is wrong, in both languages.
    pub detail: Text,
}

impl Problem {
    /// A problem of `kind` with its German and English detail.
    pub fn new(kind: Kind, de: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            kind,
            detail: Text::new(de, en),
        }
    }
}

/// One row, feature or record that was not taken over.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// Line (CSV), feature (GeoJSON, 1-based) or record (shapefile, 1-based) number.
    pub number: u64,
    /// The feature's id and/or name where the file gives them, e.g. `id "b", "KI Olpe"`.
    pub label: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// The file format read, e.g. "CSV (UTF-8, Semikolon)".
    pub format: Text,
    /// What [`Failure::number`] counts.
    pub unit: Unit,
    /// Sites loaded.
    pub loaded: usize,
    /// Of those, placed at a Kommune's seat (no coordinates in the file).
    pub placed_at_seat: usize,
    /// Rows, features or records that failed.
    pub failures: Vec<Failure>,
    /// Remarks about the whole file (e.g. a missing .shx index, skipped deleted records).
    pub notes: Vec<Text>,
    /// Sites loaded per precision (`coordinates`, `plz`, `kommune_seat`, …).
    pub by_precision: BTreeMap<String, usize>,
}

impl ImportReport {
    /// True when nothing was rejected and nothing is remarked.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty() && self.notes.is_empty()
    }

    /// The numbers of the failures of one kind, in file order.
    pub fn numbers_of(&self, kind: Kind) -> Vec<u64> {
        self.failures
            .iter()
            .filter(|f| f.problem.kind == kind)
            .map(|f| f.number)
            .collect()
    }

    /// The report as lines for people: a summary, the notes, then one line per kind of problem
    /// listing the first [`LISTED_NUMBERS`] numbers and the first case's detail.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![format!(
            "{}: {} {}, {} {}, {} {}",
            self.format.get(lang),
            self.loaded,
            lang.pick("Standorte geladen", "sites loaded"),
            self.placed_at_seat,
            lang.pick(
                "davon am Sitz der Kommune platziert",
                "of them placed at the Kommune's seat"
            ),
            self.failures.len(),
            lang.pick("nicht übernommen", "rejected"),
        )];
        out.extend(
            self.notes
                .iter()
                .map(|n| format!("{}: {}", lang.pick("Hinweis", "Note"), n.get(lang))),
        );
        let mut kinds: Vec<Kind> = Vec::new();
        for f in &self.failures {
            if !kinds.contains(&f.problem.kind) {
                kinds.push(f.problem.kind);
            }
        }
        out.extend(kinds.into_iter().map(|k| self.kind_line(k, lang)));
        // The summary already counts seats; the breakdown is shown once other precisions occur.
        let beyond_summary = self
            .by_precision
            .keys()
            .any(|p| p != PRECISION_COORDINATES && p != PRECISION_KOMMUNE_SEAT);
        if beyond_summary {
            let counts: Vec<String> = self
                .by_precision
                .iter()
                .map(|(precision, n)| format!("{precision} {n}"))
                .collect();
            out.push(format!(
                "{}: {}",
                lang.pick("Standorte nach Genauigkeit", "sites by precision"),
                counts.join(", ")
            ));
        }
        out
    }

    fn kind_line(&self, kind: Kind, lang: Lang) -> String {
        let of_kind: Vec<&Failure> = self
            .failures
            .iter()
            .filter(|f| f.problem.kind == kind)
            .collect();
        let numbered = |f: &Failure| match &f.label {
            Some(label) => format!("{} ({label})", f.number),
            None => f.number.to_string(),
        };
        let listed: Vec<String> = of_kind
            .iter()
            .take(LISTED_NUMBERS)
            .map(|f| numbered(f))
            .collect();
        let more = of_kind.len().saturating_sub(LISTED_NUMBERS);
        let more = if more > 0 {
            format!(
                " {} {more} {}",
                lang.pick("und", "and"),
                lang.pick("weitere", "more")
            )
        } else {
            String::new()
        };
        let first = of_kind[0];
        format!(
            "{}: {} – {} {}{more}; {} {} {}: {}",
            kind.label(lang),
            of_kind.len(),
            self.unit.many(lang),
            listed.join(", "),
            lang.pick("z. B.", "e.g."),
            self.unit.one(lang),
            numbered(first),
            first.problem.detail.get(lang),
        )
    }
}

/// A position found for an imported site.
struct Placed {
    lon: f64,
    lat: f64,
    x: f64,
    y: f64,
    kommune: Ags,
    precision: &'static str,
}

/// Places sites by coordinates, AGS or Kommune name, checking that they lie in NRW.
pub struct Placer<'a> {
    atlas: &'a Atlas,
    seats: HashMap<Ags, (f64, f64)>,
    kreis_seats: HashMap<Ags, Ags>,
    /// Gemeinden by folded name (see [`fold_plain`]), for placing by name in constant time.
    by_name: HashMap<String, Vec<(String, Ags)>>,
    from_wgs84: ToUtm32,
    to_wgs84: ToWgs84,
    /// The postcode areas of the data folder's `plz/`, if it has them.
    postcodes: Option<Postcodes>,
}

impl<'a> Placer<'a> {
    /// Reads the Gemeinde points and Kreis seats of the data folder.
    pub fn new(atlas: &'a Atlas, dir: &Path) -> Result<Placer<'a>, LoadError> {
        let seats = crate::data::places::gemeinde_points(dir)?
            .into_iter()
            .map(|(a, p)| (a, (p.lon, p.lat)))
            .collect();
        let kreis_seats = crate::data::places::kreis_seats(dir)?;
        let mut by_name: HashMap<String, Vec<(String, Ags)>> = HashMap::new();
        for g in atlas.regions(Level::Gemeinde) {
            by_name
                .entry(fold_plain(&g.name))
                .or_default()
                .push((g.name.clone(), g.ags.clone()));
        }
        Ok(Placer {
            atlas,
            seats,
            kreis_seats,
            by_name,
            from_wgs84: ToUtm32::from(Crs::Wgs84),
            to_wgs84: ToWgs84::default(),
            postcodes: Postcodes::load(dir)?,
        })
    }

    /// True when the data folder has postcode areas to place addresses by.
    pub fn has_postcodes(&self) -> bool {
        self.postcodes.is_some()
    }

    /// Places an address: at the centroid of its PLZ (precision `plz`; for a PLZ spanning
    /// several Gemeinden the Ort decides the Gemeinde, else the one holding the centroid), or,
    /// for an unknown or missing PLZ, at the seat of the Gemeinde the Ort names (precision
    /// `kommune_seat`); otherwise the row is rejected with what was tried.
    fn by_address(&self, plz: Option<&str>, ort: Option<&str>) -> Result<Placed, Problem> {
        let code = plz.and_then(normalise_plz);
        if let (Some(code), Some(postcodes)) = (&code, &self.postcodes)
            && let Some((lon, lat)) = postcodes.centroid(code)
        {
            return self.at_postcode(postcodes, code, lon, lat, ort);
        }
        let why_de = match (plz, &code, &self.postcodes) {
            (None, _, _) => "ohne PLZ".to_owned(),
            (Some(p), None, _) => format!("{p:?} ist keine fünfstellige PLZ"),
            (Some(_), Some(_), None) => "keine PLZ-Daten (plz/) im Datenordner".to_owned(),
            (Some(_), Some(c), Some(_)) => format!("PLZ {c} gibt es in NRW nicht"),
        };
        let why_en = match (plz, &code, &self.postcodes) {
            (None, _, _) => "no PLZ".to_owned(),
            (Some(p), None, _) => format!("{p:?} is no 5-digit PLZ"),
            (Some(_), Some(_), None) => "no postcode data (plz/) in the data folder".to_owned(),
            (Some(_), Some(c), Some(_)) => format!("PLZ {c} does not exist in NRW"),
        };
        match ort {
            Some(ort) => self.by_name(ort).map_err(|p| {
                Problem::new(
                    Kind::UnknownAddress,
                    format!("{why_de}, und Ort {ort:?}: {}", p.detail.get(Lang::De)),
                    format!("{why_en}, and Ort {ort:?}: {}", p.detail.get(Lang::En)),
                )
            }),
            None => Err(Problem::new(
                Kind::UnknownAddress,
                format!("{why_de} und kein Ort; PLZ prüfen oder Ort angeben"),
                format!("{why_en} and no Ort; check the PLZ or give the Ort"),
            )),
        }
    }

    /// The position of a known PLZ's centroid and the Gemeinde it belongs to.
    fn at_postcode(
        &self,
        postcodes: &Postcodes,
        code: &str,
        lon: f64,
        lat: f64,
        ort: Option<&str>,
    ) -> Result<Placed, Problem> {
        let bad = || {
            Problem::new(
                Kind::BadPosition,
                format!("PLZ {code}: Schwerpunkt {lon} {lat} nicht umrechenbar"),
                format!("PLZ {code}: centroid {lon} {lat} cannot be converted"),
            )
        };
        let (x, y) = self.from_wgs84.convert(lon, lat).ok_or_else(bad)?;
        let candidates = postcodes.gemeinden(code);
        let by_ort = ort.map(fold_plain).and_then(|wanted| {
            candidates.iter().find(|g| {
                fold_plain(&g.ort) == wanted
                    || self
                        .atlas
                        .get(&g.ags)
                        .is_some_and(|r| fold_plain(&r.name) == wanted)
            })
        });
        let located = self.atlas.locate(x, y).map(|l| l.gemeinde.ags.clone());
        let kommune = match (by_ort, candidates) {
            (Some(g), _) => g.ags.clone(),
            (None, [only]) => only.ags.clone(),
            (None, _) => match located
                .clone()
                .filter(|a| candidates.is_empty() || candidates.iter().any(|g| &g.ags == a))
                .or_else(|| candidates.first().map(|g| g.ags.clone()))
            {
                Some(ags) => ags,
                None => {
                    return Err(Problem::new(
                        Kind::OutsideNrw,
                        format!("PLZ {code} liegt außerhalb von NRW"),
                        format!("PLZ {code} lies outside NRW"),
                    ));
                }
            },
        };
        Ok(Placed {
            lon,
            lat,
            x,
            y,
            kommune,
            precision: PRECISION_PLZ,
        })
    }

    fn in_nrw(&self, x: f64, y: f64, lon: f64, lat: f64) -> Result<Placed, Problem> {
        let location = self.atlas.locate(x, y).ok_or_else(|| {
            Problem::new(
                Kind::OutsideNrw,
                format!("außerhalb von NRW ({lon:.5} E, {lat:.5} N)"),
                format!("outside NRW ({lon:.5} E, {lat:.5} N)"),
            )
        })?;
        Ok(Placed {
            lon,
            lat,
            x,
            y,
            kommune: location.gemeinde.ags.clone(),
            precision: PRECISION_COORDINATES,
        })
    }

    fn by_lonlat(&self, lon: f64, lat: f64) -> Result<Placed, Problem> {
        let bad = || {
            Problem::new(
                Kind::BadPosition,
                format!("{lon} {lat} ist keine WGS84-Position (Länge, Breite in Grad)"),
                format!("{lon} {lat} is no WGS84 position (longitude, latitude in degrees)"),
            )
        };
        if !(lon.is_finite() && lat.is_finite()) {
            return Err(bad());
        }
        let (x, y) = self.from_wgs84.convert(lon, lat).ok_or_else(bad)?;
        self.in_nrw(x, y, lon, lat)
    }

    fn by_xy(&self, x: f64, y: f64) -> Result<Placed, Problem> {
        let bad = || {
            Problem::new(
                Kind::BadPosition,
                format!("{x} {y} ist keine EPSG:25832-Position"),
                format!("{x} {y} is no EPSG:25832 position"),
            )
        };
        if !(x.is_finite() && y.is_finite()) {
            return Err(bad());
        }
        let (lon, lat) = self
            .to_wgs84
            .convert(x, y)
            .filter(|(lon, lat)| lon.is_finite() && lat.is_finite())
            .ok_or_else(bad)?;
        self.in_nrw(x, y, lon, lat)
    }

    fn by_ags(&self, text: &str) -> Result<Placed, Problem> {
        let unknown = |de: String, en: String| Problem::new(Kind::UnknownPlace, de, en);
        let ags = Ags::parse(text).ok_or_else(|| {
            unknown(
                format!("AGS {text:?} ist kein Gemeinde- oder Kreisschlüssel"),
                format!("AGS {text:?} is no Gemeinde or Kreis key"),
            )
        })?;
        let gemeinde = match ags.level() {
            Level::Gemeinde => ags,
            Level::Kreis => self.kreis_seats.get(&ags).cloned().ok_or_else(|| {
                unknown(
                    format!("AGS {text} ist kein Kreis in NRW"),
                    format!("AGS {text} is no Kreis in NRW"),
                )
            })?,
            _ => {
                return Err(unknown(
                    format!("AGS {text}: bitte Gemeinde (8 Stellen) oder Kreis (5 Stellen)"),
                    format!("AGS {text}: give a Gemeinde (8 digits) or Kreis (5 digits)"),
                ));
            }
        };
        self.seat_of(&gemeinde).ok_or_else(|| {
            unknown(
                format!("AGS {text} ist keine Gemeinde in NRW"),
                format!("AGS {text} is no Gemeinde in NRW"),
            )
        })
    }

    fn by_name(&self, name: &str) -> Result<Placed, Problem> {
        let wanted = fold_plain(
            name.trim_start_matches("Stadt ")
                .trim_start_matches("Gemeinde "),
        );
        let matches = self.by_name.get(&wanted).map_or(&[][..], Vec::as_slice);
        match matches {
            [(found, ags)] => self.seat_of(ags).ok_or_else(|| {
                Problem::new(
                    Kind::UnknownPlace,
                    format!("kein Sitzpunkt für {found}"),
                    format!("no seat point for {found}"),
                )
            }),
            [] => Err(Problem::new(
                Kind::UnknownPlace,
                format!("Kommune {name:?} unbekannt; AGS angeben"),
                format!("Kommune {name:?} unknown; give the AGS"),
            )),
            many => {
                let list = many
                    .iter()
                    .map(|(n, a)| format!("{n} ({a})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(Problem::new(
                    Kind::UnknownPlace,
                    format!("Kommune {name:?} mehrdeutig: {list}; AGS angeben"),
                    format!("Kommune {name:?} is ambiguous: {list}; give the AGS"),
                ))
            }
        }
    }

    /// The seat point (EPSG:25832) of a Gemeinde, or of a Kreis (its seat town).
    pub fn seat_xy(&self, ags: &Ags) -> Option<(f64, f64)> {
        let gemeinde = match ags.level() {
            Level::Kreis => self.kreis_seats.get(ags)?.clone(),
            _ => ags.clone(),
        };
        self.seat_of(&gemeinde).map(|p| (p.x, p.y))
    }

    fn seat_of(&self, gemeinde: &Ags) -> Option<Placed> {
        let &(lon, lat) = self.seats.get(gemeinde)?;
        let (x, y) = self.from_wgs84.convert(lon, lat)?;
        Some(Placed {
            lon,
            lat,
            x,
            y,
            kommune: gemeinde.clone(),
            precision: PRECISION_KOMMUNE_SEAT,
        })
    }
}

/// Reads sites from a CSV, GeoJSON or shapefile (by the file's extension; anything other than
/// `.geojson`, `.json` and `.shp` is read as CSV). `default_type` applies where the file names none.
pub fn import_sites(
    path: &Path,
    placer: &Placer,
    default_type: &SiteType,
) -> Result<(Vec<Site>, ImportReport), LoadError> {
    let imported = import_sites_with(path, placer, default_type, &AddressColumns::default())?;
    Ok((imported.sites, imported.report))
}

/// The columns of a CSV file chosen by the user (by header name) where the automatic
/// recognition is unclear; `None` keeps the recognised column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressColumns {
    /// The street column.
    pub street: Option<String>,
    /// The house number column.
    pub house_number: Option<String>,
    /// The PLZ column.
    pub postcode: Option<String>,
    /// The Ort column.
    pub city: Option<String>,
    /// For a spreadsheet (`.xlsx`, `.ods`, …): the sheet to read (default: the first).
    pub sheet: Option<String>,
}

/// What an import gives: the sites, their addresses and capacities (by site id), the report.
#[derive(Clone, Debug, Default)]
pub struct ImportedSites {
    /// The sites loaded.
    pub sites: Vec<Site>,
    /// Address and capacity of the sites whose file gives them.
    pub details: DetailsById,
    /// What was loaded and what was rejected.
    pub report: ImportReport,
}

/// Reads sites as [`import_sites`] does, with the user's choice of address columns, keeping
/// the addresses and capacities.
pub fn import_sites_with(
    path: &Path,
    placer: &Placer,
    default_type: &SiteType,
    columns: &AddressColumns,
) -> Result<ImportedSites, LoadError> {
    if extension(path) == "shp" {
        let mut sink = Sink::new(path, default_type, Unit::Record);
        from_shp::import(path, placer, &mut sink)?;
        return Ok(sink.finish());
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    import_bytes_with(path, &bytes, placer, default_type, columns)
}

/// The header names of a CSV file's or a spreadsheet's (first sheet's) bytes (for choosing
/// columns), `None` for other formats.
pub fn csv_headers(path: &Path, bytes: &[u8]) -> Option<Vec<String>> {
    if crate::data::own_csv::sheet::is_sheet(path) {
        return from_sheet::headers(path, bytes);
    }
    matches!(extension(path).as_str(), "geojson" | "json" | "shp")
        .then_some(())
        .map_or_else(|| from_csv::headers(bytes), |()| None)
}

/// Reads sites from the bytes of a CSV or GeoJSON file; `path` picks the format by its extension
/// and names the file in messages. Shapefiles need their sibling files: use [`import_sites`].
pub fn import_bytes(
    path: &Path,
    bytes: &[u8],
    placer: &Placer,
    default_type: &SiteType,
) -> Result<(Vec<Site>, ImportReport), LoadError> {
    let imported = import_bytes_with(
        path,
        bytes,
        placer,
        default_type,
        &AddressColumns::default(),
    )?;
    Ok((imported.sites, imported.report))
}

/// [`import_bytes`] with the user's choice of address columns, keeping addresses and capacities.
pub fn import_bytes_with(
    path: &Path,
    bytes: &[u8],
    placer: &Placer,
    default_type: &SiteType,
    columns: &AddressColumns,
) -> Result<ImportedSites, LoadError> {
    match extension(path).as_str() {
        "geojson" | "json" => {
            let mut sink = Sink::new(path, default_type, Unit::Feature);
            from_geojson::import(path, bytes, placer, &mut sink)?;
            Ok(sink.finish())
        }
        "shp" => Err(LoadError::BadRecord {
            path: path.to_owned(),
            record: 0,
            detail: "a shapefile is read from its files (.shp, .shx, .dbf, .prj)".to_owned(),
        }),
        _ if crate::data::own_csv::sheet::is_sheet(path) => {
            let mut sink = Sink::new(path, default_type, Unit::Line);
            let sheet = columns.sheet.as_deref();
            from_sheet::import(path, bytes, sheet, placer, columns, &mut sink)?;
            Ok(sink.finish())
        }
        _ => {
            let mut sink = Sink::new(path, default_type, Unit::Line);
            from_csv::import(path, bytes, placer, columns, &mut sink)?;
            Ok(sink.finish())
        }
    }
}

/// The numbers of a column of an imported CSV site file, by site id (`EIGEN-<line>`, as
/// [`import_sites`] names the sites of a CSV file): e.g. a capacity or staff column. Errors name
/// the file, the line and the column; other formats than CSV are refused.
pub fn numeric_column_by_site(
    path: &Path,
    column: &str,
) -> Result<HashMap<String, f64>, LoadError> {
    if matches!(extension(path).as_str(), "geojson" | "json" | "shp")
        || crate::data::own_csv::sheet::is_sheet(path)
    {
        return Err(LoadError::BadRecord {
            path: path.to_owned(),
            record: 0,
            detail: format!(
                "a column such as {column:?} can be read from a CSV site file only; save the layer as CSV"
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    let values = from_csv::numeric_column(path, &bytes, column)?;
    Ok(values
        .into_iter()
        .map(|(line, v)| (format!("EIGEN-{line}"), v))
        .collect())
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Collects sites and failures.
struct Sink<'a> {
    sites: Vec<Site>,
    details: DetailsById,
    report: ImportReport,
    default_type: &'a SiteType,
    source: String,
}

impl<'a> Sink<'a> {
    fn new(path: &Path, default_type: &'a SiteType, unit: Unit) -> Sink<'a> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Sink {
            sites: Vec::new(),
            details: DetailsById::new(),
            report: ImportReport {
                unit,
                ..ImportReport::default()
            },
            default_type,
            source: format!("eigene Datei {name}"),
        }
    }

    /// Records a row, feature or record that was not taken over.
    fn fail(&mut self, number: u64, label: Option<String>, problem: Problem) {
        self.report.failures.push(Failure {
            number,
            label,
            problem,
        });
    }

    /// What was collected.
    fn finish(self) -> ImportedSites {
        ImportedSites {
            sites: self.sites,
            details: self.details,
            report: self.report,
        }
    }

    /// Takes over a placed site, or records why it could not be placed.
    fn push(
        &mut self,
        number: u64,
        label: Option<String>,
        placed: Result<Placed, Problem>,
        name: Option<&str>,
        site_type: Option<&str>,
    ) {
        self.push_with(
            number,
            label,
            placed,
            name,
            site_type,
            SiteDetails::default(),
        );
    }

    /// [`Sink::push`] with the site's address and capacity.
    fn push_with(
        &mut self,
        number: u64,
        label: Option<String>,
        placed: Result<Placed, Problem>,
        name: Option<&str>,
        site_type: Option<&str>,
        details: SiteDetails,
    ) {
        let p = match placed {
            Ok(p) => p,
            Err(problem) => return self.fail(number, label, problem),
        };
        if p.precision == PRECISION_KOMMUNE_SEAT {
            self.report.placed_at_seat += 1;
        }
        self.report.loaded += 1;
        *self
            .report
            .by_precision
            .entry(p.precision.to_owned())
            .or_default() += 1;
        if details != SiteDetails::default() {
            self.details.insert(format!("EIGEN-{number}"), details);
        }
        let site_type = site_type
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map_or_else(|| self.default_type.clone(), SiteType::parse);
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| format!("{} {number}", site_type.code()), str::to_owned);
        self.sites.push(Site {
            id: format!("EIGEN-{number}"),
            name,
            site_type,
            kommune_ags: p.kommune,
            lon: p.lon,
            lat: p.lat,
            precision: p.precision.to_owned(),
            source: format!("{}, Nr./Zeile {number}", self.source),
            stand: String::new(),
            x: p.x,
            y: p.y,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(number: u64, kind: Kind) -> Failure {
        Failure {
            number,
            label: None,
            problem: Problem::new(kind, format!("Fall {number}"), format!("case {number}")),
        }
    }

    #[test]
    fn report_lists_one_line_per_kind_and_at_most_ten_numbers() {
        let mut report = ImportReport {
            format: Text::new("CSV", "CSV"),
            loaded: 3,
            ..ImportReport::default()
        };
        report.failures = (2..=14).map(|n| failure(n, Kind::OutsideNrw)).collect();
        report.failures.push(failure(20, Kind::NotANumber));
        let de = report.lines(Lang::De);
        assert_eq!(de.len(), 3, "{de:?}");
        assert_eq!(
            de[1],
            "außerhalb von NRW: 13 – Zeilen 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 und 3 weitere; z. B. Zeile 2: Fall 2"
        );
        assert_eq!(
            report.lines(Lang::En)[2],
            "not a number: 1 – lines 20; e.g. line 20: case 20"
        );
        assert!(de[0].contains("3 Standorte geladen") && de[0].contains("14 nicht übernommen"));
    }
}
