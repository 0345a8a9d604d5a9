//! The DVG2 boundary layers of NRW (Land, Regierungsbezirke, Kreise, Gemeinden) joined with the
//! Gemeinde statistics into an [`Atlas`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::data::integrity::{self, Checksums, LayerSources};
use crate::data::shp::{LayerRead, PolygonFeature, read_polygons};
use crate::data::stats::read_gemeinde_stats;
use crate::error::LoadError;
use crate::model::{Ags, Atlas, Level, Provenance, Region};

/// The shapefile of each level, relative to the data folder.
pub fn layer_path(dir: &Path, level: Level) -> PathBuf {
    let name = match level {
        Level::Land => "dvg2bld_nw.shp",
        Level::Bezirk => "dvg2rbz_nw.shp",
        Level::Kreis => "dvg2krs_nw.shp",
        Level::Gemeinde => "dvg2gem_nw.shp",
    };
    dir.join("dvg2").join(name)
}

/// The Gemeinde statistics file, relative to the data folder.
pub fn stats_path(dir: &Path) -> PathBuf {
    dir.join("stats").join("gemeinden_nrw_2019.csv")
}

/// The `ART` code DVG2 gives each level.
fn art_code(level: Level) -> &'static str {
    match level {
        Level::Land => "L",
        Level::Bezirk => "R",
        Level::Kreis => "K",
        Level::Gemeinde => "G",
    }
}

/// Reads all four layers and the statistics from `dir` and joins them, checking the data on the
/// way (see [`crate::data::integrity`]): a contradiction is an error, a doubt a warning in
/// [`Provenance::warnings`]. When `dir` has a `SHA256SUMS`, every file read is compared with it.
///
/// ```
/// use atlas_core::Level;
/// let atlas = atlas_core::data::load_atlas(&atlas_core::data::bundled_data_dir())?;
/// assert_eq!(atlas.regions(Level::Kreis).len(), 53);
/// let olpe = atlas.get(&atlas_core::Ags::parse("05966").expect("a Kreis key")).expect("Kreis Olpe");
/// assert_eq!(olpe.name, "Olpe");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_atlas(dir: &Path) -> Result<Atlas, LoadError> {
    if dir.is_file() {
        return Err(LoadError::DataDirIsFile(dir.to_owned()));
    }
    if !dir.is_dir() {
        return Err(LoadError::MissingDataDir(dir.to_owned()));
    }
    let mut warnings = Vec::new();
    let sums = Checksums::read(dir, &mut warnings)?;
    let mut stand = String::new();
    let mut levels: [Vec<Region>; 4] = Default::default();
    let mut records: [HashMap<Ags, usize>; 4] = Default::default();
    let paths = Level::ALL.map(|level| layer_path(dir, level));
    // The four layers are independent: read them side by side, then join in level order.
    let layers: Vec<Result<LayerRead, LoadError>> = paths
        .par_iter()
        .map(|path| read_polygons(path, sums.as_ref()))
        .collect();
    for (((slot, level), path), layer) in levels.iter_mut().zip(Level::ALL).zip(&paths).zip(layers)
    {
        let layer = layer?;
        warnings.extend(layer.warnings);
        *slot = layer
            .features
            .iter()
            .map(|f| region_of(f, level, path, &mut stand))
            .collect::<Result<_, _>>()?;
        records[level.index()] = slot
            .iter()
            .zip(&layer.features)
            .map(|(region, feature)| (region.ags.clone(), feature.record))
            .collect();
    }
    let sources = LayerSources {
        shp: [&paths[0], &paths[1], &paths[2], &paths[3]],
        records: &records,
    };
    integrity::check_extents(&levels, &sources, &mut warnings)?;
    let stats = stats_path(dir);
    if let Some(sums) = &sums
        && let Ok(bytes) = std::fs::read(&stats)
    {
        warnings.extend(sums.verify(&stats, &bytes));
    }
    join_statistics(&mut levels, &stats)?;
    let provenance = Provenance {
        data_dir: dir.to_owned(),
        boundaries_stand: stand,
        warnings,
    };
    let atlas = Atlas::new(levels, provenance);
    integrity::check_nesting(&atlas, &sources)?;
    Ok(atlas)
}

fn region_of(
    feature: &PolygonFeature,
    level: Level,
    path: &Path,
    stand: &mut String,
) -> Result<Region, LoadError> {
    let bad = |detail: String| LoadError::BadRecord {
        path: path.to_owned(),
        record: feature.record,
        detail,
    };
    let art = feature.field(path, "ART")?;
    if art != art_code(level) {
        return Err(bad(format!(
            "ART is {art:?} where the {level} layer has {:?}; the file names may be swapped",
            art_code(level)
        )));
    }
    let kn = feature.field(path, "KN")?;
    let ags = Ags::from_dvg2_key(kn, level)
        .ok_or_else(|| bad(format!("KN {kn:?} is not an 8-digit key such as 05315000")))?;
    let name = feature.field(path, "GN")?.to_owned();
    if let Some(s) = feature.fields.get("STAND") {
        s.clone_into(stand);
    }
    Ok(Region::new(ags, name, feature.geometry.clone()))
}

/// Joins population onto the Gemeinden, marks kreisfreie Städte, and sums population upward.
/// Every Gemeinde must have a row and every row a Gemeinde; otherwise the keys are reported.
fn join_statistics(levels: &mut [Vec<Region>; 4], path: &Path) -> Result<(), LoadError> {
    let stats = read_gemeinde_stats(path)?;
    let [land, bezirke, kreise, gemeinden] = levels;

    let missing: Vec<&str> = gemeinden
        .iter()
        .filter(|g| !stats.contains_key(&g.ags))
        .map(|g| g.ags.as_str())
        .collect();
    let mut extra: Vec<&str> = stats
        .keys()
        .filter(|ags| !gemeinden.iter().any(|g| &g.ags == *ags))
        .map(Ags::as_str)
        .collect();
    extra.sort_unstable();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(LoadError::JoinMismatch {
            path: path.to_owned(),
            detail: format!(
                "{} Gemeinden have no statistics row ({}) and {} rows match no Gemeinde ({}); use statistics of the same Gebietsstand as the boundaries",
                missing.len(),
                abbreviate(&missing),
                extra.len(),
                abbreviate(&extra)
            ),
        });
    }

    let mut sums: HashMap<Ags, u64> = HashMap::new();
    for gemeinde in gemeinden.iter_mut() {
        let row = &stats[&gemeinde.ags];
        gemeinde.population = row.population;
        gemeinde.kreisfrei = row.gemeindetyp == "kreisfreie Stadt";
        let mut key = gemeinde.parent.clone();
        while let Some(ags) = key {
            *sums.entry(ags.clone()).or_default() += row.population;
            key = ags.parent();
        }
    }
    for region in land
        .iter_mut()
        .chain(bezirke.iter_mut())
        .chain(kreise.iter_mut())
    {
        region.population = sums.get(&region.ags).copied().unwrap_or(0);
    }
    for kreis in kreise.iter_mut() {
        kreis.kreisfrei = gemeinden
            .iter()
            .any(|g| g.kreisfrei && g.parent.as_ref() == Some(&kreis.ags));
    }
    Ok(())
}

fn abbreviate(keys: &[&str]) -> String {
    match keys.len() {
        0 => "none".to_owned(),
        1..=10 => keys.join(", "),
        n => format!("{}, … {} more", keys[..10].join(", "), n - 10),
    }
}
