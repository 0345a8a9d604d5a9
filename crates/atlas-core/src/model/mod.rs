//! The region model: [`Ags`] keys, the four administrative [`Level`]s, [`Region`]s and the [`Atlas`]
//! that holds them with one spatial index per level.
//!
//! Geometry is in EPSG:25832 metres; it was projected once, when the files were read.

use std::collections::HashMap;
use std::fmt;

use geo::{BoundingRect as _, MultiPolygon, Rect};

use crate::geometry::spatial::RegionIndex;

pub mod level;
pub use level::Level;

/// The Amtlicher Gemeindeschlüssel, cut to the digits of its level: `05` (Land), `053`
/// (Regierungsbezirk Köln), `05315` (Kreis level Köln), `05315000` (Gemeinde Köln).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Ags(String);

impl Ags {
    /// Parses an AGS of 2, 3, 5 or 8 ASCII digits. A 7-digit key (a spreadsheet dropped the
    /// leading zero) is padded back to 8 digits, a 4-digit key to 5.
    pub fn parse(text: &str) -> Option<Ags> {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match text.len() {
            2 | 3 | 5 | 8 => Some(Ags(text.to_owned())),
            4 | 7 => Some(Ags(format!("0{text}"))),
            _ => None,
        }
    }

    /// Builds the AGS of `level` from an 8-digit DVG2 key (`KN`), e.g. `05958000` → `05958`.
    pub fn from_dvg2_key(kn: &str, level: Level) -> Option<Ags> {
        let kn = kn.trim();
        (kn.len() == 8 && kn.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Ags(kn[..level.ags_len()].to_owned()))
    }

    /// The level this key identifies.
    pub fn level(&self) -> Level {
        match self.0.len() {
            2 => Level::Land,
            3 => Level::Bezirk,
            5 => Level::Kreis,
            _ => Level::Gemeinde,
        }
    }

    /// The key of the enclosing region one level up (`05966024` → `05966`).
    pub fn parent(&self) -> Option<Ags> {
        let parent = self.level().parent()?;
        Some(Ags(self.0[..parent.ags_len()].to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One administrative region with its geometry and joined figures.
#[derive(Clone, Debug)]
pub struct Region {
    /// The key.
    pub ags: Ags,
    /// The name as in DVG2 (`GN`), e.g. "Köln", "Olpe".
    pub name: String,
    /// The level.
    pub level: Level,
    /// The key of the enclosing region; `None` for the Land.
    pub parent: Option<Ags>,
    /// True for a kreisfreie Stadt (at Gemeinde and Kreis level).
    pub kreisfrei: bool,
    /// Outline in EPSG:25832 metres.
    pub geometry: MultiPolygon<f64>,
    /// Bounding box of `geometry`.
    pub bbox: Rect<f64>,
    /// Area computed from `geometry`, in km².
    pub area_km2: f64,
    /// Inhabitants on 31.12.2019 (Destatis); summed from the Gemeinden above Gemeinde level.
    pub population: u64,
}

impl Region {
    /// Builds a region, computing its bounding box and area from the geometry.
    pub fn new(ags: Ags, name: String, geometry: MultiPolygon<f64>) -> Region {
        use geo::Area as _;
        let level = ags.level();
        let bbox = geometry
            .bounding_rect()
            .unwrap_or_else(|| Rect::new((0.0, 0.0), (0.0, 0.0)));
        Region {
            parent: ags.parent(),
            area_km2: geometry.unsigned_area() / 1.0e6,
            ags,
            name,
            level,
            kreisfrei: false,
            geometry,
            bbox,
            population: 0,
        }
    }

    /// Inhabitants per km².
    pub fn density(&self) -> f64 {
        if self.area_km2 > 0.0 {
            self.population as f64 / self.area_km2
        } else {
            0.0
        }
    }

    /// A name for people: "Kreis Olpe", "Köln (kreisfreie Stadt)", "Regierungsbezirk Köln".
    pub fn display_name(&self) -> String {
        match self.level {
            Level::Land | Level::Gemeinde => self.name.clone(),
            Level::Bezirk => format!("Regierungsbezirk {}", self.name),
            Level::Kreis if self.kreisfrei => format!("{} (kreisfreie Stadt)", self.name),
            Level::Kreis if self.name.to_lowercase().contains("kreis") => self.name.clone(),
            Level::Kreis if self.name.starts_with("Städteregion") => self.name.clone(),
            Level::Kreis => format!("Kreis {}", self.name),
        }
    }
}

/// Handle of a region inside an [`Atlas`]: its level and its position in that level's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RegionId {
    /// The level.
    pub level: Level,
    /// Index into [`Atlas::regions`] of that level.
    pub index: usize,
}

/// The regions of one level with their spatial index.
#[derive(Debug)]
pub struct Layer {
    /// Regions sorted by AGS.
    pub regions: Vec<Region>,
    /// Bounding-box index over `regions` for point location.
    pub index: RegionIndex,
}

/// What the atlas was built from, for attribution lines and reports.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// The folder the data was read from.
    pub data_dir: std::path::PathBuf,
    /// `STAND` of the boundaries (e.g. "2021-03-17").
    pub boundaries_stand: String,
    /// Problems found while loading that did not stop it (a file differing from `SHA256SUMS`, a
    /// `.cpg` that contradicts the bytes, …): one formatted line each, naming the file and record.
    pub warnings: Vec<String>,
}

/// The name candidates of one level, computed on first use.
type LabelCache = std::sync::OnceLock<std::sync::Arc<[crate::cartography::labels::LabelCandidate]>>;

/// All regions of NRW at the four levels, indexed by AGS and by location.
#[derive(Debug)]
pub struct Atlas {
    layers: [Layer; 4],
    by_ags: HashMap<Ags, RegionId>,
    gemeinde_grid: std::sync::OnceLock<crate::geometry::grid::GridIndex>,
    borders: std::sync::OnceLock<crate::geometry::borders::BorderNetwork>,
    label_candidates: [LabelCache; 4],
    /// Sources of the data.
    pub provenance: Provenance,
}

/// The regions found at a point, from the Gemeinde up.
#[derive(Clone, Debug)]
pub struct Location<'a> {
    /// The Gemeinde containing the point.
    pub gemeinde: &'a Region,
    /// Its Kreis or kreisfreie Stadt.
    pub kreis: &'a Region,
    /// Its Regierungsbezirk.
    pub bezirk: &'a Region,
}

impl Atlas {
    /// Assembles an atlas from the regions of each level (in any order).
    pub fn new(levels: [Vec<Region>; 4], provenance: Provenance) -> Atlas {
        let layers = levels.map(|mut regions| {
            regions.sort_by(|a, b| a.ags.cmp(&b.ags));
            let index = RegionIndex::build(regions.iter().map(|r| &r.geometry));
            Layer { regions, index }
        });
        let by_ags = layers
            .iter()
            .flat_map(|layer| layer.regions.iter().enumerate())
            .map(|(index, region)| {
                let id = RegionId {
                    level: region.level,
                    index,
                };
                (region.ags.clone(), id)
            })
            .collect();
        Atlas {
            layers,
            by_ags,
            gemeinde_grid: std::sync::OnceLock::new(),
            borders: std::sync::OnceLock::new(),
            label_candidates: Default::default(),
            provenance,
        }
    }

    /// The regions of one level, sorted by AGS.
    pub fn regions(&self, level: Level) -> &[Region] {
        &self.layers[level.index()].regions
    }

    /// The layer (regions and index) of one level.
    pub fn layer(&self, level: Level) -> &Layer {
        &self.layers[level.index()]
    }

    /// The region with this handle.
    pub fn region(&self, id: RegionId) -> &Region {
        &self.layers[id.level.index()].regions[id.index]
    }

    /// The handle of the region with this key.
    pub fn id_of(&self, ags: &Ags) -> Option<RegionId> {
        self.by_ags.get(ags).copied()
    }

    /// The region with this key.
    pub fn get(&self, ags: &Ags) -> Option<&Region> {
        self.id_of(ags).map(|id| self.region(id))
    }

    /// The regions one level below `ags` (the Gemeinden of a Kreis), sorted by AGS.
    pub fn children(&self, ags: &Ags) -> Vec<&Region> {
        let Some(level) = ags.level().child() else {
            return Vec::new();
        };
        self.regions(level)
            .iter()
            .filter(|r| r.parent.as_ref() == Some(ags))
            .collect()
    }

    /// The region of `level` containing a point in EPSG:25832 metres. A point on a shared border
    /// belongs to the region with the lowest AGS among those whose closed outline holds it.
    pub fn locate_in(&self, level: Level, x: f64, y: f64) -> Option<RegionId> {
        let layer = self.layer(level);
        let regions = &layer.regions;
        layer
            .index
            .locate(x, y, |i| &regions[i].geometry)
            .map(|index| RegionId { level, index })
    }

    /// The Gemeinde, Kreis and Regierungsbezirk containing a point in EPSG:25832 metres, or `None`
    /// outside NRW. Kreis and Bezirk follow from the Gemeinde's key, so the three always nest.
    ///
    /// ```
    /// use atlas_core::geometry::projection::{Crs, ToUtm32};
    /// let atlas = atlas_core::data::load_atlas(&atlas_core::data::bundled_data_dir())?;
    /// let (x, y) = ToUtm32::from(Crs::Wgs84).convert(6.9583, 50.9413).expect("in range");
    /// let cathedral = atlas.locate(x, y).expect("Köln is in NRW");
    /// assert_eq!(cathedral.gemeinde.ags.as_str(), "05315000");
    /// assert!(atlas.locate(500_000.0, 6_000_000.0).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate(&self, x: f64, y: f64) -> Option<Location<'_>> {
        let gemeinde = self.region(self.locate_in(Level::Gemeinde, x, y)?);
        let kreis = self.get(gemeinde.parent.as_ref()?)?;
        let bezirk = self.get(kreis.parent.as_ref()?)?;
        Some(Location {
            gemeinde,
            kreis,
            bezirk,
        })
    }

    /// The name candidates of a level with their anchors (poles of inaccessibility), computed on
    /// first use and then shared (see [`crate::cartography::labels`]).
    pub fn label_candidates(
        &self,
        level: Level,
    ) -> std::sync::Arc<[crate::cartography::labels::LabelCandidate]> {
        self.label_candidates[level.index()]
            .get_or_init(|| crate::cartography::labels::candidates_of(self.regions(level)).into())
            .clone()
    }

    /// The border network of all levels (each border once), built on first use.
    pub fn borders(&self) -> &crate::geometry::borders::BorderNetwork {
        self.borders.get_or_init(|| {
            crate::geometry::borders::BorderNetwork::build(
                Level::ALL.map(|level| self.regions(level).iter().map(|r| &r.geometry).collect()),
            )
        })
    }

    /// The Gemeinde holding a point, through a 500 m grid built on first use: the same answer as
    /// [`Atlas::locate_in`] for [`Level::Gemeinde`], many times faster for long point lists.
    pub fn locate_gemeinde_fast(&self, x: f64, y: f64) -> Option<RegionId> {
        let layer = self.layer(Level::Gemeinde);
        let grid = self.gemeinde_grid.get_or_init(|| {
            let polygons: Vec<&MultiPolygon<f64>> =
                layer.regions.iter().map(|r| &r.geometry).collect();
            crate::geometry::grid::GridIndex::build(&polygons, &layer.index)
        });
        grid.locate(x, y).map(|index| RegionId {
            level: Level::Gemeinde,
            index,
        })
    }

    /// The bounding box of all of NRW.
    pub fn bounds(&self) -> Rect<f64> {
        self.regions(Level::Land)
            .first()
            .map(|land| land.bbox)
            .unwrap_or_else(|| Rect::new((280_000.0, 5_570_000.0), (532_000.0, 5_821_000.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ags_parent_chain_of_olpe() {
        let olpe = Ags::parse("05966024").unwrap();
        assert_eq!(olpe.level(), Level::Gemeinde);
        let kreis = olpe.parent().unwrap();
        assert_eq!(kreis.as_str(), "05966");
        let bezirk = kreis.parent().unwrap();
        assert_eq!(bezirk.as_str(), "059");
        assert_eq!(bezirk.parent().unwrap().as_str(), "05");
        assert_eq!(bezirk.parent().unwrap().parent(), None);
    }

    #[test]
    fn ags_without_leading_zero_is_padded() {
        assert_eq!(Ags::parse("5315000").unwrap().as_str(), "05315000");
        assert_eq!(Ags::parse("5966").unwrap().as_str(), "05966");
        assert_eq!(Ags::parse("05x15000"), None);
        assert_eq!(Ags::parse("123456"), None);
    }

    #[test]
    fn dvg2_keys_cut_to_level() {
        assert_eq!(
            Ags::from_dvg2_key("05958000", Level::Kreis)
                .unwrap()
                .as_str(),
            "05958"
        );
        assert_eq!(
            Ags::from_dvg2_key("05300000", Level::Bezirk)
                .unwrap()
                .as_str(),
            "053"
        );
        assert_eq!(Ags::from_dvg2_key("0530000", Level::Bezirk), None);
    }

    #[test]
    fn level_parses_from_cli_words() {
        assert_eq!("Kreis".parse::<Level>().unwrap(), Level::Kreis);
        assert!("county".parse::<Level>().is_err());
    }
}
