//! The planner's own corrections to the sites: a layer of edits on top of the registry and the
//! imports (which stay as they are), and an undo/redo history of every edit. A site is moved,
//! added, deleted or changed (name, type, capacity, address); a moved or added site gets
//! precision [`PRECISION_MANUAL`](super::PRECISION_MANUAL). [`EditLayer::apply_to`] gives the
//! sites the analysis uses. The layer is saved atomically as RFC 7946 GeoJSON with all
//! attributes (which the site import also reads) and loaded back exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::details::{DetailsById, SiteDetails};
use super::{PRECISION_MANUAL, Site, SiteType};
use crate::geometry::projection::{Crs, ToUtm32, ToWgs84};
use crate::model::{Ags, Atlas};

/// The `format` member of a saved edit layer.
pub const EDITS_FORMAT: &str = "integrationsatlas-site-edits";

/// A site as the edit layer holds it: every attribute, position in both systems.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditedSite {
    /// The id (the registry's for a changed site, `MANUELL-n` for an added one).
    pub id: String,
    /// The type code.
    #[serde(rename = "type")]
    pub site_type: String,
    /// The name (never empty).
    pub name: String,
    /// The Gemeinde the point lies in.
    pub kommune_ags: String,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Easting, EPSG:25832.
    pub x: f64,
    /// Northing, EPSG:25832.
    pub y: f64,
    /// How the position is known (`manual` once moved or added).
    pub precision: String,
    /// Where the site comes from.
    pub source: String,
    /// The date of the source.
    pub stand: String,
    /// Address and capacity.
    pub details: SiteDetails,
}

impl EditedSite {
    fn of(site: &Site, details: Option<&SiteDetails>) -> EditedSite {
        EditedSite {
            id: site.id.clone(),
            site_type: site.site_type.code().to_owned(),
            name: site.name.clone(),
            kommune_ags: site.kommune_ags.as_str().to_owned(),
            lon: site.lon,
            lat: site.lat,
            x: site.x,
            y: site.y,
            precision: site.precision.clone(),
            source: site.source.clone(),
            stand: site.stand.clone(),
            details: details.cloned().unwrap_or_default(),
        }
    }

    /// The site (`None` when its Kommune is no AGS, e.g. in a hand-edited file).
    pub fn site(&self) -> Option<Site> {
        Some(Site {
            id: self.id.clone(),
            site_type: SiteType::parse(&self.site_type),
            name: self.name.clone(),
            kommune_ags: Ags::parse(&self.kommune_ags)?,
            lon: self.lon,
            lat: self.lat,
            precision: self.precision.clone(),
            source: self.source.clone(),
            stand: self.stand.clone(),
            x: self.x,
            y: self.y,
        })
    }
}

/// The edits: changed or added sites by id, and the ids of deleted ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditLayer {
    /// Sites changed (registry or imported id) or added (`MANUELL-n`), by id.
    pub sites: BTreeMap<String, EditedSite>,
    /// Ids of registry or imported sites deleted.
    pub deleted: BTreeSet<String>,
    /// The number of the next added site.
    pub next_number: u64,
}

/// One edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Move a site to a point (EPSG:25832).
    Move {
        /// The site.
        id: String,
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// Add a site at a point.
    Add {
        /// Its type.
        site_type: SiteType,
        /// Its name.
        name: String,
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// Delete a site.
    Delete {
        /// The site.
        id: String,
    },
    /// Change name, type, address and capacity.
    Change {
        /// The site.
        id: String,
        /// The new name.
        name: String,
        /// The new type.
        site_type: SiteType,
        /// The new address and capacity.
        details: SiteDetails,
    },
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    /// A site needs a name.
    #[error("a site needs a name: type one")]
    EmptyName,
    /// No site has this id (any more).
    #[error("no site {0:?} (deleted or never there)")]
    UnknownSite(String),
    /// The point lies outside NRW.
    #[error("the point ({x:.0}, {y:.0}) lies outside NRW: place the site inside")]
    OutsideNrw {
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// A capacity that is no finite, non-negative number.
    #[error("capacity {0} is no number of places: give 0 or more")]
    BadCapacity(f64),
}

impl EditError {
    /// The message in a language.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (EditError::EmptyName, Lang::De) => {
                "Ein Standort braucht einen Namen: bitte eingeben".to_owned()
            }
            (EditError::UnknownSite(id), Lang::De) => {
                format!("kein Standort {id:?} (gelöscht oder nie vorhanden)")
            }
            (EditError::OutsideNrw { x, y }, Lang::De) => {
                format!(
                    "der Punkt ({x:.0}, {y:.0}) liegt außerhalb von NRW: bitte innerhalb platzieren"
                )
            }
            (EditError::BadCapacity(c), Lang::De) => {
                format!("Kapazität {c} ist keine Platzzahl: 0 oder mehr angeben")
            }
        }
    }
}

/// The state of one id in the layer, before or after an edit.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    site: Option<EditedSite>,
    deleted: bool,
}

/// One step of the history: the entry of `id` before and after.
#[derive(Clone, Debug, PartialEq)]
struct Step {
    id: String,
    before: Entry,
    after: Entry,
    next_number: (u64, u64),
}

/// An edit layer with its undo and redo history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EditSession {
    /// The edits so far.
    pub layer: EditLayer,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl EditSession {
    /// A session continuing a saved layer (with an empty history).
    pub fn with_layer(layer: EditLayer) -> EditSession {
        EditSession {
            layer,
            ..EditSession::default()
        }
    }

    /// True when there is an edit to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit to the sites `base` (registry and imports, with their `details`) in the
    /// `atlas`; returns the id of the site edited.
    pub fn apply(
        &mut self,
        edit: Edit,
        base: &[Site],
        details: &DetailsById,
        atlas: &Atlas,
    ) -> Result<String, EditError> {
        let (id, after, next_number) = self.edited(edit, base, details, atlas)?;
        let before = self.entry(&id);
        let step = Step {
            id: id.clone(),
            before,
            after,
            next_number: (self.layer.next_number, next_number),
        };
        self.set(&step.id, &step.after, step.next_number.1);
        self.undo.push(step);
        self.redo.clear();
        Ok(id)
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(step) = self.undo.pop() else {
            return false;
        };
        self.set(&step.id, &step.before, step.next_number.0);
        self.redo.push(step);
        true
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(step) = self.redo.pop() else {
            return false;
        };
        self.set(&step.id, &step.after, step.next_number.1);
        self.undo.push(step);
        true
    }

    fn entry(&self, id: &str) -> Entry {
        Entry {
            site: self.layer.sites.get(id).cloned(),
            deleted: self.layer.deleted.contains(id),
        }
    }

    fn set(&mut self, id: &str, entry: &Entry, next_number: u64) {
        match &entry.site {
            Some(site) => self.layer.sites.insert(id.to_owned(), site.clone()),
            None => self.layer.sites.remove(id),
        };
        if entry.deleted {
            self.layer.deleted.insert(id.to_owned());
        } else {
            self.layer.deleted.remove(id);
        }
        self.layer.next_number = next_number;
    }

    /// The current state of a site: edited, or as in `base`.
    pub fn current(&self, id: &str, base: &[Site], details: &DetailsById) -> Option<EditedSite> {
        if self.layer.deleted.contains(id) {
            return None;
        }
        self.layer.sites.get(id).cloned().or_else(|| {
            base.iter()
                .find(|s| s.id == id)
                .map(|s| EditedSite::of(s, details.get(id)))
        })
    }

    fn edited(
        &self,
        edit: Edit,
        base: &[Site],
        details: &DetailsById,
        atlas: &Atlas,
    ) -> Result<(String, Entry, u64), EditError> {
        let next = self.layer.next_number;
        let existing = |id: &str| {
            self.current(id, base, details)
                .ok_or_else(|| EditError::UnknownSite(id.to_owned()))
        };
        let kept = |site: EditedSite| Entry {
            site: Some(site),
            deleted: false,
        };
        match edit {
            Edit::Move { id, x, y } => {
                let mut site = existing(&id)?;
                place(&mut site, x, y, atlas)?;
                Ok((id, kept(site), next))
            }
            Edit::Add {
                site_type,
                name,
                x,
                y,
            } => {
                let name = named(&name)?;
                let number = next + 1;
                let mut site = EditedSite {
                    id: format!("MANUELL-{number}"),
                    site_type: site_type.code().to_owned(),
                    name,
                    source: "eigene Bearbeitung".to_owned(),
                    ..EditedSite::default()
                };
                place(&mut site, x, y, atlas)?;
                Ok((site.id.clone(), kept(site), number))
            }
            Edit::Delete { id } => {
                existing(&id)?;
                let in_base = base.iter().any(|s| s.id == id);
                Ok((
                    id,
                    Entry {
                        site: None,
                        deleted: in_base,
                    },
                    next,
                ))
            }
            Edit::Change {
                id,
                name,
                site_type,
                details: new_details,
            } => {
                let mut site = existing(&id)?;
                site.name = named(&name)?;
                site.site_type = site_type.code().to_owned();
                if let Some(c) = new_details.capacity
                    && !(c.is_finite() && c >= 0.0)
                {
                    return Err(EditError::BadCapacity(c));
                }
                site.details = new_details;
                Ok((id, kept(site), next))
            }
        }
    }
}

fn named(name: &str) -> Result<String, EditError> {
    let name = name.trim();
    if name.is_empty() {
        Err(EditError::EmptyName)
    } else {
        Ok(name.to_owned())
    }
}

/// Puts a site at (x, y): WGS84 position, Gemeinde, precision `manual`.
fn place(site: &mut EditedSite, x: f64, y: f64, atlas: &Atlas) -> Result<(), EditError> {
    let outside = EditError::OutsideNrw { x, y };
    if !(x.is_finite() && y.is_finite()) {
        return Err(outside);
    }
    let location = atlas.locate(x, y).ok_or(outside.clone())?;
    let (lon, lat) = ToWgs84::default().convert(x, y).ok_or(outside)?;
    site.x = x;
    site.y = y;
    site.lon = lon;
    site.lat = lat;
    site.kommune_ags = location.gemeinde.ags.as_str().to_owned();
    site.precision = PRECISION_MANUAL.to_owned();
    Ok(())
}

impl EditLayer {
    /// True when nothing was edited.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty() && self.deleted.is_empty()
    }

    /// The sites with the edits applied: `base` in its order with changed sites replaced and
    /// deleted ones left out, then the added sites.
    pub fn apply_to(&self, base: &[Site]) -> Vec<Site> {
        let mut out: Vec<Site> = base
            .iter()
            .filter(|s| !self.deleted.contains(&s.id))
            .map(|s| {
                self.sites
                    .get(&s.id)
                    .and_then(EditedSite::site)
                    .unwrap_or_else(|| s.clone())
            })
            .collect();
        let known: BTreeSet<&str> = base.iter().map(|s| s.id.as_str()).collect();
        out.extend(
            self.sites
                .values()
                .filter(|s| !known.contains(s.id.as_str()))
                .filter_map(EditedSite::site),
        );
        out
    }

    /// `details` with the edited sites' address and capacity.
    pub fn details_over(&self, details: &DetailsById) -> DetailsById {
        let mut out = details.clone();
        for (id, site) in &self.sites {
            out.insert(id.clone(), site.details.clone());
        }
        out
    }

    /// The layer as RFC 7946 GeoJSON: a point feature with all attributes per edited or added
    /// site, the deleted ids in the member `deleted`.
    pub fn to_geojson(&self) -> String {
        let features: Vec<serde_json::Value> = self
            .sites
            .values()
            .map(|s| {
                serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        "id": s.id, "type": s.site_type, "name": s.name,
                        "kommune_ags": s.kommune_ags, "precision": s.precision,
                        "source": s.source, "stand": s.stand,
                        "street": s.details.address.street,
                        "house_number": s.details.address.house_number,
                        "postcode": s.details.address.postcode,
                        "city": s.details.address.city,
                        "capacity": s.details.capacity,
                        "x_25832": s.x, "y_25832": s.y,
                    }
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "type": "FeatureCollection",
            "format": EDITS_FORMAT,
            "next_number": self.next_number,
            "deleted": self.deleted,
            "features": features,
        }))
        .unwrap_or_default();
        text + "\n"
    }

    /// Saves the layer as GeoJSON, atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::atomic::write_atomically(path, self.to_geojson().as_bytes())
    }

    /// Reads a layer written by [`EditLayer::to_geojson`]; the error names the feature.
    pub fn from_geojson(bytes: &[u8]) -> Result<EditLayer, String> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("no JSON: {e}"))?;
        if value["format"] != EDITS_FORMAT {
            return Err(format!(
                "not a site edit layer (no \"format\": {EDITS_FORMAT:?})"
            ));
        }
        let deleted: BTreeSet<String> =
            serde_json::from_value(value["deleted"].clone()).unwrap_or_default();
        let to_utm = ToUtm32::from(Crs::Wgs84);
        let mut sites = BTreeMap::new();
        let features = value["features"].as_array().cloned().unwrap_or_default();
        for (i, f) in features.iter().enumerate() {
            let p = &f["properties"];
            let c = &f["geometry"]["coordinates"];
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            let (Some(lon), Some(lat)) = (c[0].as_f64(), c[1].as_f64()) else {
                return Err(format!("feature {}: no point coordinates", i + 1));
            };
            let (x, y) = match (p["x_25832"].as_f64(), p["y_25832"].as_f64()) {
                (Some(x), Some(y)) => (x, y),
                _ => to_utm
                    .convert(lon, lat)
                    .ok_or_else(|| format!("feature {}: {lon} {lat} is no position", i + 1))?,
            };
            let site = EditedSite {
                id: text("id"),
                site_type: text("type"),
                name: text("name"),
                kommune_ags: text("kommune_ags"),
                lon,
                lat,
                x,
                y,
                precision: text("precision"),
                source: text("source"),
                stand: text("stand"),
                details: SiteDetails {
                    address: super::details::Address {
                        street: text("street"),
                        house_number: text("house_number"),
                        postcode: text("postcode"),
                        city: text("city"),
                    },
                    capacity: p["capacity"].as_f64(),
                },
            };
            if site.id.is_empty() || site.name.trim().is_empty() {
                return Err(format!("feature {}: a site needs an id and a name", i + 1));
            }
            sites.insert(site.id.clone(), site);
        }
        Ok(EditLayer {
            sites,
            deleted,
            next_number: value["next_number"].as_u64().unwrap_or(0),
        })
    }

    /// Loads a saved layer.
    pub fn load(path: &Path) -> Result<EditLayer, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        EditLayer::from_geojson(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::PRECISION_KOMMUNE_SEAT;

    fn atlas() -> &'static Atlas {
        static ATLAS: std::sync::OnceLock<Atlas> = std::sync::OnceLock::new();
        ATLAS.get_or_init(|| crate::data::load_atlas(&crate::data::bundled_data_dir()).unwrap())
    }

    fn base() -> Vec<Site> {
        let (set, _) =
            crate::sites::registry::load_registry_for(atlas(), &crate::data::bundled_data_dir())
                .unwrap();
        set.sites
            .into_iter()
            .filter(|s| s.kommune_ags.as_str().starts_with("05966"))
            .collect()
    }

    #[test]
    fn move_add_delete_change_and_undo_redo_each() {
        let base = base();
        let abh = base
            .iter()
            .find(|s| s.id.starts_with("ABH"))
            .unwrap()
            .clone();
        assert_eq!(abh.precision, PRECISION_KOMMUNE_SEAT);
        let mut session = EditSession::default();
        let details = DetailsById::new();
        let (x, y) = (abh.x + 800.0, abh.y - 300.0);
        session
            .apply(
                Edit::Move {
                    id: abh.id.clone(),
                    x,
                    y,
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        let moved = session.layer.apply_to(&base);
        let m = moved.iter().find(|s| s.id == abh.id).unwrap();
        assert_eq!((m.x, m.y, m.precision.as_str()), (x, y, "manual"));
        assert_eq!(m.kommune_ags.as_str(), "05966024", "still in Olpe");

        let added = session
            .apply(
                Edit::Add {
                    site_type: SiteType::Abh,
                    name: "Außenstelle".into(),
                    x: abh.x,
                    y: abh.y + 5_000.0,
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        assert_eq!(added, "MANUELL-1");
        session
            .apply(
                Edit::Delete {
                    id: base[0].id.clone(),
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        assert_eq!(session.layer.apply_to(&base).len(), base.len());

        let err = session
            .apply(
                Edit::Change {
                    id: added.clone(),
                    name: "  ".into(),
                    site_type: SiteType::Abh,
                    details: SiteDetails::default(),
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap_err();
        assert_eq!(err, EditError::EmptyName);
        assert!(
            err.text(crate::i18n::Lang::De)
                .contains("braucht einen Namen")
        );

        assert!(session.undo()); // delete
        assert_eq!(session.layer.apply_to(&base).len(), base.len() + 1);
        assert!(session.undo()); // add
        assert!(!session.layer.sites.contains_key("MANUELL-1"));
        assert!(session.redo());
        assert!(session.layer.sites.contains_key("MANUELL-1"));
        assert!(session.undo() && session.undo()); // add, move
        assert!(session.layer.is_empty(), "{:?}", session.layer);
        assert!(!session.undo());
        let err = session
            .apply(
                Edit::Move {
                    id: abh.id.clone(),
                    x: 0.0,
                    y: 0.0,
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap_err();
        assert!(matches!(err, EditError::OutsideNrw { .. }));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
        ))]

        #[test]
        fn arbitrary_or_cut_edit_files_never_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            cut in 0usize..600,
        ) {
            let _ = EditLayer::from_geojson(&bytes);
            let mut layer = EditLayer::default();
            layer.sites.insert("MANUELL-1".into(), EditedSite {
                id: "MANUELL-1".into(), name: "x".into(), lon: 7.8, lat: 51.0, ..EditedSite::default()
            });
            let text = layer.to_geojson();
            let cut = cut.min(text.len());
            let _ = EditLayer::from_geojson(&text.as_bytes()[..cut]);
        }
    }

    #[test]
    fn a_saved_layer_loads_back_equal() {
        let base = base();
        let mut session = EditSession::default();
        let details = DetailsById::new();
        let id = base[0].id.clone();
        session
            .apply(
                Edit::Move {
                    id: id.clone(),
                    x: base[0].x + 100.0,
                    y: base[0].y,
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        let mut d = SiteDetails::default();
        d.address.street = "Franziskanerstraße".into();
        d.capacity = Some(4.0);
        session
            .apply(
                Edit::Change {
                    id,
                    name: "ABH Olpe (Kreishaus)".into(),
                    site_type: SiteType::Abh,
                    details: d,
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        session
            .apply(
                Edit::Delete {
                    id: base[1].id.clone(),
                },
                &base,
                &details,
                atlas(),
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("edits.geojson");
        session.layer.save(&path).unwrap();
        assert_eq!(EditLayer::load(&path).unwrap(), session.layer);
        assert!(
            EditLayer::from_geojson(b"{\"type\": \"FeatureCollection\"}")
                .unwrap_err()
                .contains("not a site edit layer")
        );
    }
}
