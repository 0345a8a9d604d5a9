//! The bundled site registry: derived once from the expert report's facts (KI in every Kreis and
//! kreisfreie Stadt plus Stadt Aachen; ABH per Tabelle 6; the 186 Jugendämter of Anhang B; one
//! Jobcenter per Kreis and kreisfreie Stadt), placed at the seat of the Kommune, written to
//! `geodata/sites/*.csv`, and read from there at run time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::search::fold_plain;
use crate::data::table::check_count;
use crate::data::thematic::read_rows;
use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32};
use crate::model::{Ags, Atlas, Level};
use crate::sites::{PRECISION_KOMMUNE_SEAT, Site, SiteSet, SiteType};

/// The registry files, by type, relative to the data folder.
pub const REGISTRY_FILES: [(&str, SiteType); 4] = [
    ("sites/ki.csv", SiteType::Ki),
    ("sites/abh.csv", SiteType::Abh),
    ("sites/ja.csv", SiteType::Ja),
    ("sites/jc.csv", SiteType::Jc),
];

const REPORT: &str = "Gutachten Bogumil/Hafner 2020";
const SEAT_NOTE: &str = "Punkt = Gemeindepunkt (VG250 PK) des Sitzes, keine Adresse";

#[derive(serde::Deserialize)]
struct StatusRow {
    ags: String,
    name: String,
    kreis_ags5: String,
    status: String,
}

#[derive(serde::Deserialize)]
struct AbhRow {
    ags_kreis_external: String,
    kreis_canonical: String,
    abh: usize,
    row_type: String,
    source_line: String,
}

#[derive(serde::Deserialize)]
struct JugendamtRow {
    nr_anhang_b: u32,
    name_printed: String,
    kind: String,
    gebietsstatus: String,
    ags_kreis_or_kfs_external: String,
    source_line: String,
}

/// What the derivation needs besides the atlas.
struct Inputs {
    seats: HashMap<Ags, Ags>,
    status: Vec<(Ags, StatusRow)>,
    points: HashMap<Ags, (f64, f64)>,
}

impl Inputs {
    fn read(dir: &Path) -> Result<Inputs, LoadError> {
        let ags = |text: &str, path: &Path, line: u64| {
            Ags::parse(text).ok_or_else(|| LoadError::BadCsv {
                path: path.to_owned(),
                line,
                detail: format!("{text:?} is not an AGS"),
            })
        };
        let seats = crate::data::places::kreis_seats(dir)?;
        let path = dir.join("status/gemeinden_status_nrw.csv");
        let mut status = Vec::new();
        for (line, row) in read_rows::<StatusRow>(&path)? {
            status.push((ags(&row.ags, &path, line)?, row));
        }
        let points = crate::data::places::gemeinde_points(dir)?
            .into_iter()
            .map(|(a, p)| (a, (p.lon, p.lat)))
            .collect();
        Ok(Inputs {
            seats,
            status,
            points,
        })
    }

    fn seat_of(&self, kreis: &Ags) -> Result<&Ags, LoadError> {
        self.seats.get(kreis).ok_or_else(|| {
            missing(format!(
                "no seat for Kreis {kreis} in status/kreise_sitz_nrw.csv"
            ))
        })
    }
}

fn missing(detail: String) -> LoadError {
    LoadError::JoinMismatch {
        path: PathBuf::from("geodata"),
        detail,
    }
}

/// Builds a site at the seat point of Gemeinde `ags`.
fn site_at(
    inputs: &Inputs,
    id: String,
    site_type: SiteType,
    name: String,
    ags: &Ags,
    source: String,
    stand: &str,
) -> Result<Site, LoadError> {
    let &(lon, lat) = inputs.points.get(ags).ok_or_else(|| {
        missing(format!(
            "no point for Gemeinde {ags} in places/gemeinden_nrw_punkte.csv"
        ))
    })?;
    Ok(Site {
        id,
        site_type,
        name,
        kommune_ags: ags.clone(),
        lon,
        lat,
        precision: PRECISION_KOMMUNE_SEAT.to_owned(),
        source: format!("{source}; {SEAT_NOTE}"),
        stand: stand.to_owned(),
        x: 0.0,
        y: 0.0,
    })
}

/// The derived registry, one list per type.
#[derive(Debug, Default, PartialEq)]
pub struct Registry {
    /// Sites per registry file (see [`REGISTRY_FILES`]).
    pub files: Vec<(String, Vec<Site>)>,
}

/// Derives the registry from the report's facts in `dir` (seed/, status/, places/).
pub fn derive_registry(atlas: &Atlas, dir: &Path) -> Result<Registry, LoadError> {
    let inputs = Inputs::read(dir)?;
    let files = vec![
        ("sites/ki.csv".to_owned(), derive_ki(atlas, &inputs)?),
        ("sites/abh.csv".to_owned(), derive_abh(atlas, &inputs, dir)?),
        ("sites/ja.csv".to_owned(), derive_ja(atlas, &inputs, dir)?),
        ("sites/jc.csv".to_owned(), derive_jc(atlas, &inputs)?),
    ];
    Ok(Registry { files })
}

fn derive_ki(atlas: &Atlas, inputs: &Inputs) -> Result<Vec<Site>, LoadError> {
    let source = format!(
        "{REPORT}, Kap. 3.1: 54 KI (53 Kreise/kreisfreie Städte + Stadt Aachen, Fn. 4); Sitz: status/kreise_sitz_nrw.csv"
    );
    let mut sites = Vec::new();
    for kreis in atlas.regions(Level::Kreis) {
        let seat = inputs.seat_of(&kreis.ags)?;
        let name = format!("KI {}", kreis_label(kreis));
        sites.push(site_at(
            inputs,
            format!("KI-{}", kreis.ags),
            SiteType::Ki,
            name,
            seat,
            source.clone(),
            "2019-01-03",
        )?);
    }
    let aachen = Ags::parse("05334002").unwrap_or_else(|| unreachable!());
    sites.push(site_at(
        inputs,
        "KI-05334002".to_owned(),
        SiteType::Ki,
        "KI Stadt Aachen".to_owned(),
        &aachen,
        format!("{REPORT}, Fn. 4: die regionsangehörige Stadt Aachen hat ein eigenes KI"),
        "2019-01-03",
    )?);
    Ok(sites)
}

/// "Kreis Olpe", "Köln", "StädteRegion Aachen": the Kreis-level name used in site names.
fn kreis_label(kreis: &crate::Region) -> String {
    if kreis.kreisfrei {
        kreis.name.clone()
    } else {
        kreis.display_name().replace("Städteregion", "StädteRegion")
    }
}

fn derive_abh(atlas: &Atlas, inputs: &Inputs, dir: &Path) -> Result<Vec<Site>, LoadError> {
    let path = dir.join("seed/tabelle6_kreise.csv");
    let counts: HashMap<Ags, AbhRow> = read_rows::<AbhRow>(&path)?
        .into_iter()
        .filter(|(_, r)| r.row_type == "kreis")
        .filter_map(|(_, r)| Some((Ags::parse(&r.ags_kreis_external)?, r)))
        .collect();
    let abh_at = |id: String, name: String, ags: &Ags, source: String| {
        site_at(inputs, id, SiteType::Abh, name, ags, source, "2019-01-03")
    };
    let mut sites = Vec::new();
    for kreis in atlas.regions(Level::Kreis) {
        let seat = inputs.seat_of(&kreis.ags)?;
        let (kreis_source, towns) = match counts.get(&kreis.ags) {
            // Kreisfreie Städte are not in Tabelle 6: one ABH each (81 = 53 + 28).
            None => (
                format!("{REPORT}, Kap. 3.1: je kreisfreie Stadt eine ABH (81 = 53 + 28)"),
                Vec::new(),
            ),
            Some(row) => abh_in_kreis(inputs, &kreis.ags, seat, row),
        };
        let name = format!("Ausländerbehörde {}", kreis_label(kreis));
        sites.push(abh_at(
            format!("ABH-{}", kreis.ags),
            name,
            seat,
            kreis_source,
        )?);
        for (ags, town, source) in towns {
            sites.push(abh_at(
                format!("ABH-{ags}"),
                format!("Ausländerbehörde Stadt {town}"),
                ags,
                source,
            )?);
        }
    }
    Ok(sites)
}

/// The ABH of a Kreis beyond its own, per Tabelle 6: the source line of the Kreis ABH, and each
/// town's (AGS, name, source). Non-seat große kreisangehörige Städte come first; then the seat
/// town itself, whose own ABH Tabelle 6 counts beside the Kreis's (e.g. Kreis Viersen: 2 ABH, only
/// Viersen is a GKS). Candidates beyond the count are named in the Kreis ABH's source.
fn abh_in_kreis<'a>(
    inputs: &'a Inputs,
    kreis: &Ags,
    seat: &Ags,
    row: &AbhRow,
) -> (String, Vec<(&'a Ags, &'a str, String)>) {
    let extra = row.abh.saturating_sub(1);
    let gks: Vec<&(Ags, StatusRow)> = inputs
        .status
        .iter()
        .filter(|(_, s)| {
            s.kreis_ags5 == kreis.as_str() && s.status == "grosse_kreisangehoerige_stadt"
        })
        .collect();
    let mut candidates: Vec<&(Ags, StatusRow)> =
        gks.iter().copied().filter(|(a, _)| a != seat).collect();
    candidates.extend(gks.iter().copied().filter(|(a, _)| a == seat));
    let chosen = &candidates[..extra.min(candidates.len())];
    let left_out: Vec<&str> = candidates
        .iter()
        .skip(extra)
        .map(|(_, s)| s.name.as_str())
        .collect();
    let table = format!(
        "{REPORT}, Tabelle 6 (Z. {}): {} zählt {} ABH",
        row.source_line, row.kreis_canonical, row.abh
    );
    let mut kreis_source = format!("{table}; Kreis-ABH am Kreissitz");
    if !left_out.is_empty() {
        kreis_source.push_str(&format!(
            "; große kreisangehörige Städte ohne eigene ABH in Tabelle 6: {}",
            left_out.join(", ")
        ));
    }
    if chosen.len() < extra {
        kreis_source.push_str(&format!(
            "; {} ABH ohne Kandidat nicht verortet",
            extra - chosen.len()
        ));
    }
    let towns = chosen
        .iter()
        .map(|(ags, status)| {
            let role = if ags == seat {
                "Kreissitz mit eigener städtischer ABH neben der Kreis-ABH"
            } else {
                "große kreisangehörige Stadt"
            };
            let source = format!(
                "{table}; {} ({role}, status/gemeinden_status_nrw.csv)",
                status.name
            );
            (ags, status.name.as_str(), source)
        })
        .collect();
    (kreis_source, towns)
}

fn derive_ja(atlas: &Atlas, inputs: &Inputs, dir: &Path) -> Result<Vec<Site>, LoadError> {
    let path = dir.join("seed/jugendaemter.csv");
    let mut sites = Vec::new();
    for (line, row) in read_rows::<JugendamtRow>(&path)? {
        let kreis =
            Ags::parse(&row.ags_kreis_or_kfs_external).ok_or_else(|| LoadError::BadCsv {
                path: path.clone(),
                line,
                detail: format!("{:?} is not a Kreis key", row.ags_kreis_or_kfs_external),
            })?;
        let place = match row.gebietsstatus.as_str() {
            "kreis" | "kreisfreie_stadt" => inputs.seat_of(&kreis)?.clone(),
            _ => town_in_kreis(atlas, &kreis, &row.name_printed).ok_or_else(|| {
                LoadError::BadCsv {
                    path: path.clone(),
                    line,
                    detail: format!(
                        "no Gemeinde named like {:?} in Kreis {kreis}",
                        row.name_printed
                    ),
                }
            })?,
        };
        let joint = if row.gebietsstatus == "gemeinsames_JA_kreisangehoeriger_staedte" {
            "; gemeinsames Jugendamt, Punkt am Sitz der erstgenannten Stadt"
        } else {
            ""
        };
        let source = format!(
            "{REPORT}, Anhang B Nr. {} (Z. {}), {}{joint}",
            row.nr_anhang_b, row.source_line, row.kind
        );
        sites.push(site_at(
            inputs,
            format!("JA-{:03}", row.nr_anhang_b),
            SiteType::Ja,
            format!("Jugendamt {}", row.name_printed),
            &place,
            source,
            "2020-08-24",
        )?);
    }
    Ok(sites)
}

/// The Gemeinde of a Kreis named like "Stadt Ennepetal" or "Stadt Langenfeld" (first name if joint).
fn town_in_kreis(atlas: &Atlas, kreis: &Ags, printed: &str) -> Option<Ags> {
    let first = printed.split('/').next().unwrap_or(printed);
    let wanted = fold_plain(
        first
            .trim()
            .trim_start_matches("Stadt ")
            .trim_start_matches("Gemeinde "),
    );
    let towns = atlas.children(kreis);
    let exact = towns.iter().find(|g| fold_plain(&g.name) == wanted);
    let prefixed = || {
        let matches: Vec<_> = towns
            .iter()
            .filter(|g| fold_plain(&g.name).starts_with(&format!("{wanted} ")))
            .collect();
        (matches.len() == 1).then(|| matches[0])
    };
    exact.or_else(prefixed).map(|g| g.ags.clone())
}

fn derive_jc(atlas: &Atlas, inputs: &Inputs) -> Result<Vec<Site>, LoadError> {
    let source = format!(
        "{REPORT}, Kap. 3.1: 53 Jobcenter (je Kreis und kreisfreie Stadt); Standort im Gutachten nicht genannt, hier Kreissitz"
    );
    atlas
        .regions(Level::Kreis)
        .iter()
        .map(|kreis| {
            let seat = inputs.seat_of(&kreis.ags)?;
            site_at(
                inputs,
                format!("JC-{}", kreis.ags),
                SiteType::Jc,
                format!("Jobcenter {}", kreis_label(kreis)),
                seat,
                source.clone(),
                "2019-03-04",
            )
        })
        .collect()
}

/// The columns of a registry file.
pub const COLUMNS: [&str; 9] = [
    "id",
    "type",
    "name",
    "kommune_ags",
    "lon",
    "lat",
    "precision",
    "source",
    "stand",
];

/// Writes the registry files into `dir` (atomically: temporary file, then rename).
pub fn write_registry(registry: &Registry, dir: &Path) -> Result<(), LoadError> {
    for (file, sites) in &registry.files {
        let path = dir.join(file);
        let mut writer = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| LoadError::io(&path, std::io::Error::other(e.to_string()));
        writer.write_record(COLUMNS).map_err(io)?;
        for site in sites {
            writer
                .write_record([
                    site.id.as_str(),
                    site.site_type.code(),
                    &site.name,
                    site.kommune_ags.as_str(),
                    &format!("{:.6}", site.lon),
                    &format!("{:.6}", site.lat),
                    &site.precision,
                    &site.source,
                    &site.stand,
                ])
                .map_err(io)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| LoadError::io(&path, std::io::Error::other(e.to_string())))?;
        crate::atomic::write_atomically(&path, &bytes).map_err(|e| LoadError::io(&path, e))?;
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct SiteRow {
    id: String,
    #[serde(rename = "type")]
    site_type: String,
    name: String,
    kommune_ags: String,
    lon: f64,
    lat: f64,
    precision: String,
    source: String,
    stand: String,
}

/// How many sites each registry file holds per the report, in the order of [`REGISTRY_FILES`]:
/// 54 KI, 81 ABH, the 186 Jugendämter of Anhang B, 53 Jobcenter.
pub const EXPECTED_SITES: [usize; 4] = [54, 81, 186, 53];

/// The extent of NRW in WGS84 degrees with a small margin: west, east, south, north.
pub const NRW_LON_LAT: [f64; 4] = [5.8, 9.5, 50.3, 52.6];

/// Reads the registry files of the data folder (see [`load_registry_within`]), with sites
/// checked against [`NRW_LON_LAT`].
pub fn load_registry(dir: &Path) -> Result<(SiteSet, Vec<String>), LoadError> {
    load_registry_within(dir, None)
}

/// Reads the registry files, with sites also checked against the extent of the atlas's Land.
pub fn load_registry_for(atlas: &Atlas, dir: &Path) -> Result<(SiteSet, Vec<String>), LoadError> {
    load_registry_within(dir, Some(atlas.bounds()))
}

/// Reads the registry files of the data folder. A file that is missing or damaged (empty,
/// header only, cut off, a needed column renamed, a row that does not parse, an empty field, a
/// row of another type, an AGS that is not a Gemeinde's, a position outside NRW or outside
/// `bounds` (EPSG:25832), an id used twice, far fewer sites than [`EXPECTED_SITES`]) shows none of
/// its sites: one warning, and the type is listed in [`SiteSet::unavailable`] with the reason. A
/// few sites fewer than expected is a warning only.
pub fn load_registry_within(
    dir: &Path,
    bounds: Option<geo::Rect<f64>>,
) -> Result<(SiteSet, Vec<String>), LoadError> {
    let mut sites = Vec::new();
    let mut warnings = Vec::new();
    let mut unavailable = Vec::new();
    let mut ids: HashMap<String, (PathBuf, u64)> = HashMap::new();
    for ((file, site_type), expected) in REGISTRY_FILES.into_iter().zip(EXPECTED_SITES) {
        let path = dir.join(file);
        if !path.is_file() {
            let why = format!("{}: not found", path.display());
            warnings.push(format!("{why}; these sites are not shown"));
            unavailable.push((site_type, why));
            continue;
        }
        match read_registry_file(&path, &site_type, bounds, &ids) {
            Ok(list) => {
                match check_count(&path, list.len(), expected, "sites the report names") {
                    Ok(shortfall) => warnings.extend(shortfall.map(|m| {
                        format!(
                            "{}: only {m}; distances to {site_type} may name a farther site",
                            path.display()
                        )
                    })),
                    Err(e) => {
                        warnings.push(format!("{e}; these sites are not shown"));
                        unavailable.push((site_type, e.to_string()));
                        continue;
                    }
                }
                for (line, site) in list {
                    ids.insert(site.id.clone(), (path.clone(), line));
                    sites.push(site);
                }
            }
            Err(e) => {
                warnings.push(format!("{e}; these sites are not shown"));
                unavailable.push((site_type, e.to_string()));
            }
        }
    }
    let mut set = SiteSet::new(sites);
    set.unavailable = unavailable;
    Ok((set, warnings))
}

/// Reads one registry file of `site_type`, refusing it at its first bad row (see
/// [`load_registry_within`]); `ids` are the ids of the files read before.
fn read_registry_file(
    path: &Path,
    site_type: &SiteType,
    bounds: Option<geo::Rect<f64>>,
    ids: &HashMap<String, (PathBuf, u64)>,
) -> Result<Vec<(u64, Site)>, LoadError> {
    let to_utm = ToUtm32::from(Crs::Wgs84);
    let mut own_ids: HashMap<String, u64> = HashMap::new();
    let mut sites = Vec::new();
    for (line, row) in read_rows::<SiteRow>(path)? {
        let bad = |detail: String| LoadError::BadCsv {
            path: path.to_owned(),
            line,
            detail,
        };
        let texts = [
            ("id", &row.id),
            ("type", &row.site_type),
            ("name", &row.name),
            ("kommune_ags", &row.kommune_ags),
            ("precision", &row.precision),
            ("source", &row.source),
            ("stand", &row.stand),
        ];
        if let Some((column, _)) = texts.iter().find(|(_, v)| v.trim().is_empty()) {
            return Err(bad(format!(
                "{column} is empty; every field of a site is needed"
            )));
        }
        if SiteType::parse(&row.site_type) != *site_type {
            return Err(bad(format!(
                "type {:?} in the file of {site_type} sites",
                row.site_type
            )));
        }
        if let Some(first) = own_ids.insert(row.id.clone(), line) {
            return Err(bad(format!(
                "id {} repeats the site of line {first}; ids must be unique",
                row.id
            )));
        }
        if let Some((other, first)) = ids.get(&row.id) {
            return Err(bad(format!(
                "id {} is already used in {} line {first}; ids must be unique",
                row.id,
                other.display()
            )));
        }
        let kommune_ags = Ags::parse(&row.kommune_ags)
            .filter(|a| a.level() == Level::Gemeinde)
            .ok_or_else(|| {
                bad(format!(
                    "kommune_ags {:?} is not an 8-digit AGS",
                    row.kommune_ags
                ))
            })?;
        let [west, east, south, north] = NRW_LON_LAT;
        let inside = (west..=east).contains(&row.lon) && (south..=north).contains(&row.lat);
        let position = || format!("lon/lat {} {} of {}", row.lon, row.lat, row.id);
        let (x, y) = to_utm
            .convert(row.lon, row.lat)
            .filter(|_| inside)
            .ok_or_else(|| {
                bad(format!(
                    "{} lies outside NRW ({west}–{east} E, {south}–{north} N); correct the position",
                    position()
                ))
            })?;
        if let Some(rect) = bounds {
            let (min, max) = (rect.min(), rect.max());
            if !(min.x..=max.x).contains(&x) || !(min.y..=max.y).contains(&y) {
                return Err(bad(format!(
                    "{} lies outside the extent of the boundaries (EPSG:25832 {:.0}–{:.0} E, {:.0}–{:.0} N); correct the position",
                    position(),
                    min.x,
                    max.x,
                    min.y,
                    max.y
                )));
            }
        }
        sites.push((
            line,
            Site {
                id: row.id,
                site_type: site_type.clone(),
                name: row.name,
                kommune_ags,
                lon: row.lon,
                lat: row.lat,
                precision: row.precision,
                source: row.source,
                stand: row.stand,
                x,
                y,
            },
        ));
    }
    Ok(sites)
}
