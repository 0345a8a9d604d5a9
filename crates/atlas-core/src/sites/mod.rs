//! Institution sites as points: the [`Site`] model, the [`SiteSet`] with an rstar index per type,
//! and nearest / within-radius queries (straight-line distance in EPSG:25832, "Luftlinie").

pub mod details;
pub mod edits;
pub mod import;
pub mod registry;

use std::collections::BTreeMap;
use std::fmt;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::model::Ags;

/// The kind of institution.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteType {
    /// Kommunales Integrationszentrum.
    Ki,
    /// Ausländerbehörde.
    Abh,
    /// Jugendamt.
    Ja,
    /// Jobcenter.
    Jc,
    /// Jobcenter-Geschäftsstelle.
    JcGs,
    /// Integrationsagentur.
    Ia,
    /// Jugendmigrationsdienst.
    Jmd,
    /// Migrationsberatung für Erwachsene.
    Mbe,
    /// Any other type, e.g. from an imported file.
    Other(String),
}

impl SiteType {
    /// The types of the bundled registry and of Tabelle 6, in legend order.
    pub const KNOWN: [SiteType; 8] = [
        SiteType::Ki,
        SiteType::Abh,
        SiteType::Ja,
        SiteType::Jc,
        SiteType::JcGs,
        SiteType::Ia,
        SiteType::Jmd,
        SiteType::Mbe,
    ];

    /// The code used in files and on the command line: KI, ABH, JA, JC, JC-GS, IA, JMD, MBE.
    pub fn code(&self) -> &str {
        match self {
            SiteType::Ki => "KI",
            SiteType::Abh => "ABH",
            SiteType::Ja => "JA",
            SiteType::Jc => "JC",
            SiteType::JcGs => "JC-GS",
            SiteType::Ia => "IA",
            SiteType::Jmd => "JMD",
            SiteType::Mbe => "MBE",
            SiteType::Other(code) => code,
        }
    }

    /// Parses a code (case-insensitive); unknown codes become [`SiteType::Other`].
    pub fn parse(code: &str) -> SiteType {
        let upper = code.trim().to_uppercase();
        SiteType::KNOWN
            .into_iter()
            .find(|t| t.code() == upper)
            .unwrap_or(SiteType::Other(code.trim().to_owned()))
    }

    /// The German name.
    pub fn name_de(&self) -> &str {
        match self {
            SiteType::Ki => "Kommunales Integrationszentrum",
            SiteType::Abh => "Ausländerbehörde",
            SiteType::Ja => "Jugendamt",
            SiteType::Jc => "Jobcenter",
            SiteType::JcGs => "Jobcenter-Geschäftsstelle",
            SiteType::Ia => "Integrationsagentur",
            SiteType::Jmd => "Jugendmigrationsdienst",
            SiteType::Mbe => "Migrationsberatung für Erwachsene",
            SiteType::Other(code) if code == OWN_SITES => "eigene Standorte",
            SiteType::Other(code) => code,
        }
    }
}

impl SiteType {
    /// The name in English.
    pub fn name_en(&self) -> &str {
        match self {
            SiteType::Ki => "Municipal integration centre",
            SiteType::Abh => "Foreigners' authority",
            SiteType::Ja => "Youth welfare office",
            SiteType::Jc => "Jobcentre",
            SiteType::JcGs => "Jobcentre branch office",
            SiteType::Ia => "Integration agency",
            SiteType::Jmd => "Youth migration service",
            SiteType::Mbe => "Migration counselling for adults",
            SiteType::Other(code) if code == OWN_SITES => "own sites",
            SiteType::Other(code) => code,
        }
    }

    /// The name in a language.
    pub fn name(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::De => self.name_de(),
            crate::i18n::Lang::En => self.name_en(),
        }
    }
}

/// The type code of imported sites whose file gives no type.
pub const OWN_SITES: &str = "EIGEN";

impl fmt::Display for SiteType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How exactly a site's position is known: at the seat point of its Kommune (no address).
pub const PRECISION_KOMMUNE_SEAT: &str = "kommune_seat";
/// Position given as coordinates in the imported file.
pub const PRECISION_COORDINATES: &str = "coordinates";
/// Placed at the centroid of its postcode area (an address without coordinates; ODbL data).
pub const PRECISION_PLZ: &str = "plz";
/// Placed or moved by hand in the window's site editor.
pub const PRECISION_MANUAL: &str = "manual";

/// One institution site.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Site {
    /// Identifier, unique within its registry, e.g. `KI-05966`.
    pub id: String,
    /// The kind of institution.
    #[serde(rename = "type", serialize_with = "serialize_type")]
    pub site_type: SiteType,
    /// Name, e.g. "KI Kreis Olpe".
    pub name: String,
    /// The Gemeinde whose seat the point marks (8 digits).
    pub kommune_ags: Ags,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// `kommune_seat` for registry sites placed at the Kommune's seat point; what the file said for imports.
    pub precision: String,
    /// Where the site and its position come from.
    pub source: String,
    /// The date of the source.
    pub stand: String,
    /// Easting, EPSG:25832 metres (computed at load).
    #[serde(skip)]
    pub x: f64,
    /// Northing, EPSG:25832 metres (computed at load).
    #[serde(skip)]
    pub y: f64,
}

fn serialize_type<S: serde::Serializer>(t: &SiteType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.code())
}

type SitePoint = GeomWithData<[f64; 2], usize>;

/// Sorts hits by distance, ties by site id, so equal distances come out the same every time.
fn nearest_first(mut hits: Vec<Hit<'_>>) -> Vec<Hit<'_>> {
    hits.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then_with(|| a.site.id.cmp(&b.site.id))
    });
    hits
}

/// Sites with one point index per type.
#[derive(Clone, Debug, Default)]
pub struct SiteSet {
    /// All sites, in registry order.
    pub sites: Vec<Site>,
    trees: BTreeMap<SiteType, RTree<SitePoint>>,
    /// Registry types whose file could not be used, with the reason (see
    /// [`registry::load_registry_within`]): asked for such a type, say why it has no sites.
    pub unavailable: Vec<(SiteType, String)>,
}

/// A site found by a query, with its straight-line distance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit<'a> {
    /// The site.
    pub site: &'a Site,
    /// Straight-line ("Luftlinie") distance in km, in EPSG:25832.
    pub distance_km: f64,
}

impl SiteSet {
    /// Indexes the sites by type.
    pub fn new(sites: Vec<Site>) -> SiteSet {
        let mut by_type: BTreeMap<SiteType, Vec<SitePoint>> = BTreeMap::new();
        for (i, site) in sites.iter().enumerate() {
            by_type
                .entry(site.site_type.clone())
                .or_default()
                .push(SitePoint::new([site.x, site.y], i));
        }
        let trees = by_type
            .into_iter()
            .map(|(t, points)| (t, RTree::bulk_load(points)))
            .collect();
        SiteSet {
            sites,
            trees,
            unavailable: Vec::new(),
        }
    }

    /// Adds sites (e.g. imported ones) and re-indexes.
    pub fn add(&mut self, more: Vec<Site>) {
        let mut sites = std::mem::take(&mut self.sites);
        sites.extend(more);
        let unavailable = std::mem::take(&mut self.unavailable);
        *self = SiteSet::new(sites);
        self.unavailable = unavailable;
    }

    /// The types present, in legend order.
    pub fn types(&self) -> Vec<SiteType> {
        self.trees.keys().cloned().collect()
    }

    /// The sites of the given types grouped by point (to the metre): each group holds the
    /// indices of the sites sharing one seat, groups ordered west to east, then south to north.
    /// Painters spread a group's symbols around its seat.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "seat keys: EPSG:25832 metres rounded, far inside i64"
    )]
    pub fn seat_groups(&self, visible: impl Fn(&SiteType) -> bool) -> Vec<Vec<usize>> {
        let mut groups: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
        for (i, site) in self.sites.iter().enumerate() {
            if visible(&site.site_type) {
                groups
                    .entry((site.x.round() as i64, site.y.round() as i64))
                    .or_default()
                    .push(i);
            }
        }
        groups.into_values().collect()
    }

    /// The sites of one type.
    pub fn of_type<'a>(&'a self, site_type: &'a SiteType) -> impl Iterator<Item = &'a Site> + 'a {
        self.sites.iter().filter(move |s| &s.site_type == site_type)
    }

    /// The `k` sites of a type nearest to a point (EPSG:25832), nearest first; ties by id.
    pub fn nearest(&self, site_type: &SiteType, x: f64, y: f64, k: usize) -> Vec<Hit<'_>> {
        let Some(tree) = self.trees.get(site_type) else {
            return Vec::new();
        };
        let hits: Vec<Hit> = tree
            .nearest_neighbor_iter_with_distance_2(&[x, y])
            .take(k)
            .map(|(p, d2)| Hit {
                site: &self.sites[p.data],
                distance_km: d2.sqrt() / 1000.0,
            })
            .collect();
        nearest_first(hits)
    }

    /// The single nearest site of a type.
    pub fn nearest_one(&self, site_type: &SiteType, x: f64, y: f64) -> Option<Hit<'_>> {
        let tree = self.trees.get(site_type)?;
        let (p, d2) = tree.nearest_neighbor_iter_with_distance_2(&[x, y]).next()?;
        Some(Hit {
            site: &self.sites[p.data],
            distance_km: d2.sqrt() / 1000.0,
        })
    }

    /// The sites of a type within `radius_km` of a point, nearest first.
    pub fn within(&self, site_type: &SiteType, x: f64, y: f64, radius_km: f64) -> Vec<Hit<'_>> {
        let Some(tree) = self.trees.get(site_type) else {
            return Vec::new();
        };
        let r = radius_km * 1000.0;
        let hits: Vec<Hit> = tree
            .locate_within_distance([x, y], r * r)
            .map(|p| {
                let site = &self.sites[p.data];
                Hit {
                    site,
                    distance_km: (site.x - x).hypot(site.y - y) / 1000.0,
                }
            })
            .collect();
        nearest_first(hits)
    }
}
