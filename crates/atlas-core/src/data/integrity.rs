//! Checks that make the boundary data check itself on load, so that a damaged or mismatched file
//! is an error or a warning naming the file and record — never a silently different answer.
//!
//! - [`Checksums`]: the files read are compared with the `SHA256SUMS` of the data folder, whenever
//!   the folder has one (the bundled `geodata/` does); a difference is a warning.
//! - [`check_index`]: each `.shx` entry points at the `.shp` record of its number and length.
//! - [`check_rings`]: every coordinate is finite, every ring has at least 4 points, every record
//!   has an area.
//! - [`dbf_text_evidence`]: which DBF records hold multi-byte UTF-8 text, to catch a `.cpg` that
//!   contradicts the bytes.
//! - [`check_extents`] and [`check_nesting`]: the layers cover the same area, and each region's
//!   representative point lies in the regions its key names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::{Area as _, Coord, MultiPolygon, Rect};
use sha2::{Digest as _, Sha256};
use shapefile::PolygonRing;
use shapefile::record::traits::HasXY;

use crate::error::LoadError;
use crate::model::{Atlas, Level, Region};

/// The name of the checksum file in a data folder (`sha256sum` format).
pub const SUMS_FILE: &str = "SHA256SUMS";

/// The SHA-256 digests a data folder's `SHA256SUMS` lists, by path relative to the folder.
#[derive(Clone, Debug)]
pub struct Checksums {
    file: PathBuf,
    dir: PathBuf,
    digests: HashMap<String, [u8; 32]>,
}

impl Checksums {
    /// Reads `dir/SHA256SUMS`, or `None` when the folder has none. Lines that are not
    /// `<64 hex digits>  <path>` become warnings naming the line.
    pub fn read(dir: &Path, warnings: &mut Vec<String>) -> Result<Option<Checksums>, LoadError> {
        let file = dir.join(SUMS_FILE);
        if !file.is_file() {
            return Ok(None);
        }
        let bytes = std::fs::read(&file).map_err(|e| LoadError::io(&file, e))?;
        let text = String::from_utf8_lossy(&bytes);
        Ok(Some(Checksums::parse(file, dir, &text, warnings)))
    }

    /// Parses the text of a `SHA256SUMS` file (`file` names it in warnings; paths in it are
    /// relative to `dir`).
    pub fn parse(file: PathBuf, dir: &Path, text: &str, warnings: &mut Vec<String>) -> Checksums {
        let mut digests = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parsed = line.split_once(' ').and_then(|(hex, name)| {
                let name = name.trim_start_matches(' ').trim_start_matches('*');
                Some((parse_hex(hex)?, name)).filter(|(_, name)| !name.is_empty())
            });
            match parsed {
                Some((digest, name)) => {
                    digests.insert(name.replace('\\', "/"), digest);
                }
                None => warnings.push(format!(
                    "{}: line {}: not a checksum line (`<64 hex digits>  <path>`); the line is ignored",
                    file.display(),
                    i + 1
                )),
            }
        }
        Checksums {
            file,
            dir: dir.to_owned(),
            digests,
        }
    }

    /// The path of `path` relative to the data folder, with `/` separators, if it is inside it.
    fn key_of(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(&self.dir).ok()?;
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Some(parts.join("/"))
    }

    /// True if the file at `path` is listed.
    pub fn lists(&self, path: &Path) -> bool {
        self.key_of(path)
            .is_some_and(|key| self.digests.contains_key(&key))
    }

    /// A warning if `bytes` (the content of the file at `path`) differ from the listed digest,
    /// or if the file is not listed; `None` when it matches.
    pub fn verify(&self, path: &Path, bytes: &[u8]) -> Option<String> {
        let key = self.key_of(path)?;
        let Some(expected) = self.digests.get(&key) else {
            return Some(format!(
                "{}: not listed in {}, so it cannot be verified; add its line (sha256sum {key}) or remove {SUMS_FILE}",
                path.display(),
                self.file.display()
            ));
        };
        let found = Sha256::digest(bytes);
        (found[..] != expected[..]).then(|| {
            format!(
                "{}: content differs from {} (SHA-256 {} expected, {} found): the file was changed or damaged; restore the original, or if the change is intended, update its line in {SUMS_FILE}",
                path.display(),
                self.file.display(),
                short_hex(expected),
                short_hex(&found)
            )
        })
    }

    /// A warning for a listed file that is absent (e.g. an optional `.cpg`).
    pub fn missing(&self, path: &Path) -> Option<String> {
        self.lists(path).then(|| {
            format!(
                "{}: listed in {} but missing; restore it",
                path.display(),
                self.file.display()
            )
        })
    }
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

fn short_hex(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{hex}…")
}

fn be_i32(bytes: &[u8], at: usize) -> Option<i32> {
    let slice = bytes.get(at..at + 4)?;
    Some(i32::from_be_bytes(slice.try_into().ok()?))
}

/// Checks that the `.shx` index and the `.shp` agree: the index's length fits its header, and
/// entry *i* (1-based) points inside the `.shp` at a record header carrying number *i* and the
/// same content length. A disagreement is a [`LoadError::BrokenShapefile`] naming the `.shx` and
/// the entry: the shapefile crate follows the offsets without looking, so swapped entries would
/// silently give regions each other's geometry.
pub fn check_index(
    shp_path: &Path,
    shp: &[u8],
    shx_path: &Path,
    shx: &[u8],
) -> Result<(), LoadError> {
    let broken = |record: usize, detail: String| LoadError::BrokenShapefile {
        path: shx_path.to_owned(),
        record,
        detail,
    };
    if shx.len() < 100 || be_i32(shx, 0) != Some(9994) {
        return Err(broken(
            0,
            "not a shapefile index (header missing or wrong file code)".to_owned(),
        ));
    }
    let declared = be_i32(shx, 24).map(|words| i64::from(words) * 2);
    if declared != Some(shx.len() as i64) || !(shx.len() - 100).is_multiple_of(8) {
        return Err(broken(
            0,
            format!(
                "the header says {} bytes but the file has {}; the index is truncated or padded",
                declared.unwrap_or(0),
                shx.len()
            ),
        ));
    }
    for (i, entry) in shx[100..].chunks_exact(8).enumerate() {
        let number = i + 1;
        let offset = be_i32(entry, 0).unwrap_or(-1);
        let length = be_i32(entry, 4).unwrap_or(-1);
        let start = usize::try_from(offset)
            .ok()
            .map(|o| o * 2)
            .filter(|&s| s >= 100);
        let Some(start) = start else {
            return Err(broken(
                number,
                format!(
                    "entry {number} points at byte {}, before the first record",
                    i64::from(offset) * 2
                ),
            ));
        };
        if start + 8 > shp.len() {
            return Err(LoadError::BrokenShapefile {
                path: shp_path.to_owned(),
                record: number,
                detail: format!(
                    "{} puts the record at byte {start}, but the file ends at byte {}; the .shp is truncated",
                    shx_path.display(),
                    shp.len()
                ),
            });
        }
        let found = be_i32(shp, start).unwrap_or(-1);
        if usize::try_from(found).ok() != Some(number) {
            return Err(broken(
                number,
                format!(
                    "entry {number} points at byte {start} of {}, where record {found} starts; the .shx entries are out of order or belong to another .shp (rebuild the index, e.g. `ogr2ogr` or QGIS)",
                    shp_path.display()
                ),
            ));
        }
        let content = be_i32(shp, start + 4).unwrap_or(-1);
        if content != length {
            return Err(broken(
                number,
                format!(
                    "entry {number} gives {} bytes of content, record {number} of {} says {} (file has {} bytes); the .shx does not belong to this .shp",
                    i64::from(length) * 2,
                    shp_path.display(),
                    i64::from(content) * 2,
                    shp.len()
                ),
            ));
        }
        let end = usize::try_from(content).map_or(usize::MAX, |c| start + 8 + c * 2);
        if end > shp.len() {
            return Err(LoadError::BrokenShapefile {
                path: shp_path.to_owned(),
                record: number,
                detail: format!(
                    "the record runs to byte {end}, but the file ends at byte {}; the .shp is truncated",
                    shp.len()
                ),
            });
        }
    }
    Ok(())
}

/// Checks one polygon record's rings before they become geometry: every x and y finite, every
/// ring at least 4 points, the record's area positive. Unclosed and zero-area rings are kept
/// (they change no area) with a warning.
pub fn check_rings<P: HasXY>(
    rings: &[PolygonRing<P>],
    shp: &Path,
    record: usize,
    warnings: &mut Vec<String>,
) -> Result<(), LoadError> {
    let invalid = |detail: String| LoadError::InvalidGeometry {
        path: shp.to_owned(),
        record,
        detail,
    };
    if rings.is_empty() {
        return Err(invalid(
            "the polygon has no rings (0 points), so no area".to_owned(),
        ));
    }
    let mut total = 0.0;
    for (j, ring) in rings.iter().enumerate() {
        let part = j + 1;
        let points = ring.points();
        if let Some(k) = points
            .iter()
            .position(|p| !(p.x().is_finite() && p.y().is_finite()))
        {
            let p = &points[k];
            return Err(invalid(format!(
                "point {} of part {part} has coordinates ({}, {}), not finite numbers",
                k + 1,
                p.x(),
                p.y()
            )));
        }
        if points.len() < 4 {
            return Err(invalid(format!(
                "part {part} has {} points; a polygon ring needs at least 4 (closed)",
                points.len()
            )));
        }
        let (first, last) = (&points[0], &points[points.len() - 1]);
        if first.x() != last.x() || first.y() != last.y() {
            warnings.push(format!(
                "{}: record {record}: part {part} is not closed; it was closed by joining its last point to its first",
                shp.display()
            ));
        }
        let area = ring_area(points);
        if area == 0.0 {
            warnings.push(format!(
                "{}: record {record}: part {part} has zero area; it adds nothing to the region",
                shp.display()
            ));
        }
        total += area;
    }
    if !total.is_finite() {
        return Err(invalid(
            "the polygon's area overflows: its coordinates are far outside any map".to_owned(),
        ));
    }
    if total <= 0.0 {
        return Err(invalid("the polygon has no area".to_owned()));
    }
    Ok(())
}

/// Unsigned shoelace area of a ring, in the file's units.
fn ring_area<P: HasXY>(points: &[P]) -> f64 {
    let (x0, y0) = (points[0].x(), points[0].y());
    let twice: f64 = points
        .windows(2)
        .map(|w| (w[0].x() - x0) * (w[1].y() - y0) - (w[1].x() - x0) * (w[0].y() - y0))
        .sum();
    (twice / 2.0).abs()
}

/// Which records of a DBF hold non-ASCII text, by whether their bytes are valid UTF-8.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextEvidence {
    /// 1-based records whose bytes are valid UTF-8 with at least one multi-byte sequence.
    pub utf8_records: Vec<usize>,
    /// 1-based records with non-ASCII bytes that are not valid UTF-8 (a single-byte code page).
    pub other_records: Vec<usize>,
    /// The first non-ASCII word of the first UTF-8 record, as raw bytes.
    pub sample: Vec<u8>,
}

/// Classifies the records of a DBF's bytes (header: record count at 4, header length at 8,
/// record length at 10). A header too short to read gives no evidence; the DBF reader reports it.
pub fn dbf_text_evidence(dbf: &[u8]) -> TextEvidence {
    let mut evidence = TextEvidence::default();
    let le16 = |at: usize| {
        dbf.get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (Some(count), Some(start), Some(len)) = (
        dbf.get(4..8)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize),
        le16(8),
        le16(10),
    ) else {
        return evidence;
    };
    if len < 2 {
        return evidence;
    }
    for i in 0..count {
        let Some(bytes) = dbf.get(start + i * len + 1..start + (i + 1) * len) else {
            break;
        };
        if bytes.is_ascii() {
            continue;
        }
        if std::str::from_utf8(bytes).is_ok() {
            if evidence.utf8_records.is_empty() {
                evidence.sample = first_non_ascii_word(bytes).to_vec();
            }
            evidence.utf8_records.push(i + 1);
        } else {
            evidence.other_records.push(i + 1);
        }
    }
    evidence
}

fn first_non_ascii_word(bytes: &[u8]) -> &[u8] {
    let at = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b' ' || b == 0)
        .map_or(0, |p| p + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b' ' || b == 0)
        .map_or(bytes.len(), |p| at + p);
    &bytes[start..end]
}

/// "1, 5, 9" or "1, 5, … 62 more" for record lists in messages.
pub fn list_records(records: &[usize]) -> String {
    let shown: Vec<String> = records.iter().take(8).map(usize::to_string).collect();
    match records.len() {
        0..=8 => shown.join(", "),
        n => format!("{}, … {} more", shown.join(", "), n - 8),
    }
}

/// A point strictly inside a region (for the nesting check): on the horizontal line through the
/// middle of the largest polygon's bounding box, the midpoint of the widest stretch inside it.
/// Linear in the number of vertices; `None` for an empty geometry.
pub fn representative_point(geometry: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    let largest = geometry
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let rect = geo::BoundingRect::bounding_rect(largest)?;
    let rings = || std::iter::once(largest.exterior()).chain(largest.interiors());
    let mut y = (rect.min().y + rect.max().y) / 2.0;
    // Move the scan line off any vertex, so that every crossing is a clean one.
    let mut step = (rect.height() * 1e-7).max(1e-6);
    while rings().any(|r| r.0.iter().any(|c| c.y == y)) {
        y += step;
        step *= 2.0;
    }
    let mut xs: Vec<f64> = rings()
        .flat_map(|r| r.lines())
        .filter(|l| (l.start.y < y) != (l.end.y < y))
        .map(|l| l.start.x + (y - l.start.y) * (l.end.x - l.start.x) / (l.end.y - l.start.y))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map(|pair| Coord {
            x: (pair[0] + pair[1]) / 2.0,
            y,
        })
}

/// Where each level came from: its `.shp` and the record number of each region.
pub struct LayerSources<'a> {
    /// The `.shp` of each level, in [`Level::ALL`] order.
    pub shp: [&'a Path; 4],
    /// The 1-based record of each region, by level and AGS.
    pub records: &'a [HashMap<crate::model::Ags, usize>; 4],
}

impl LayerSources<'_> {
    fn record_of(&self, region: &Region) -> usize {
        self.records[region.level.index()]
            .get(&region.ags)
            .copied()
            .unwrap_or(0)
    }
}

fn layer_extent(regions: &[Region]) -> Option<Rect<f64>> {
    regions.iter().map(|r| r.bbox).reduce(|a, b| {
        Rect::new(
            (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
            (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
        )
    })
}

fn overlaps(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

fn describe(rect: &Rect<f64>) -> String {
    format!(
        "x {:.0}…{:.0}, y {:.0}…{:.0}",
        rect.min().x,
        rect.max().x,
        rect.min().y,
        rect.max().y
    )
}

/// The edge difference between two layers' extents, in metres, above which a warning is given.
pub const EXTENT_TOLERANCE_M: f64 = 100.0;

/// Checks that the four layers, after reprojection, cover the same area. A layer whose extent
/// overlaps none of the others (a wrong `.prj`, e.g. UTM 33N on UTM 32N data, shifts it by about
/// 400 km) is a [`LoadError::Inconsistent`] naming its `.prj`; extents that overlap but differ
/// by more than [`EXTENT_TOLERANCE_M`] give a warning.
pub fn check_extents(
    levels: &[Vec<Region>; 4],
    sources: &LayerSources<'_>,
    warnings: &mut Vec<String>,
) -> Result<(), LoadError> {
    let extents: Vec<Option<Rect<f64>>> = levels.iter().map(|r| layer_extent(r)).collect();
    let overlapping = |i: usize| {
        (0..4)
            .filter(|&j| j != i)
            .filter(|&j| matches!((&extents[i], &extents[j]), (Some(a), Some(b)) if overlaps(a, b)))
            .count()
    };
    let counts: Vec<usize> = (0..4).map(overlapping).collect();
    let best = counts.iter().copied().max().unwrap_or(0);
    if let Some(off) = (0..4).find(|&i| counts[i] < 3 && counts[i] < best.max(1)) {
        let reference = (0..4).find(|&j| counts[j] == best && j != off).unwrap_or(0);
        let (Some(a), Some(b)) = (&extents[off], &extents[reference]) else {
            return Ok(());
        };
        return Err(LoadError::Inconsistent {
            path: sources.shp[off].with_extension("prj"),
            record: 0,
            detail: format!(
                "the layer covers {} (EPSG:25832 after reprojection) but {} covers {}; they do not overlap, so this layer's .prj names the wrong coordinate reference system — give it the CRS its coordinates are in",
                describe(a),
                sources.shp[reference].display(),
                describe(b)
            ),
        });
    }
    if let Some(land) = &extents[0] {
        for (level, extent) in Level::ALL.iter().zip(&extents).skip(1) {
            let Some(e) = extent else { continue };
            let gap = [
                (e.min().x - land.min().x).abs(),
                (e.min().y - land.min().y).abs(),
                (e.max().x - land.max().x).abs(),
                (e.max().y - land.max().y).abs(),
            ]
            .into_iter()
            .fold(0.0, f64::max);
            if gap > EXTENT_TOLERANCE_M {
                warnings.push(format!(
                    "{}: the {level} layer covers {} but the Land layer {}: edges differ by up to {gap:.0} m; check that the layers have the same CRS and Gebietsstand",
                    sources.shp[level.index()].display(),
                    describe(e),
                    describe(land)
                ));
            }
        }
    }
    Ok(())
}

/// Checks that each Bezirk, Kreis and Gemeinde lies in the regions its AGS names: its
/// representative point must be inside its parent and (for Gemeinden) its Bezirk. A region that
/// is elsewhere — records of two layers swapped, a wrong key — is a [`LoadError::Inconsistent`]
/// naming the file, the record and the region its point is actually in.
pub fn check_nesting(atlas: &Atlas, sources: &LayerSources<'_>) -> Result<(), LoadError> {
    use rayon::prelude::*;
    let regions: Vec<&Region> = [Level::Bezirk, Level::Kreis, Level::Gemeinde]
        .iter()
        .flat_map(|&level| atlas.regions(level))
        .collect();
    // In parallel, reporting the first failing region in level and AGS order.
    match regions
        .par_iter()
        .find_map_first(|region| check_region_nesting(atlas, sources, region).err())
    {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

fn check_region_nesting(
    atlas: &Atlas,
    sources: &LayerSources<'_>,
    region: &Region,
) -> Result<(), LoadError> {
    let inconsistent = |detail: String| LoadError::Inconsistent {
        path: sources.shp[region.level.index()].to_owned(),
        record: sources.record_of(region),
        detail,
    };
    let Some(point) = representative_point(&region.geometry) else {
        return Err(inconsistent(format!(
            "{} has no interior point",
            region.ags
        )));
    };
    let mut ancestor = region.parent.clone();
    while let Some(ags) = ancestor {
        if ags.level() == Level::Land && region.level == Level::Gemeinde {
            break;
        }
        let Some(expected) = atlas.get(&ags) else {
            return Err(inconsistent(format!(
                "{} {} ({}) names {} {ags}, which the {} layer does not have",
                region.level,
                region.name,
                region.ags,
                ags.level(),
                ags.level()
            )));
        };
        if !geometry_holds(expected, point) {
            let actual = atlas
                .locate_in(ags.level(), point.x, point.y)
                .map(|id| atlas.region(id))
                .map_or("outside every region of that layer".to_owned(), |r| {
                    format!("in {} ({})", r.name, r.ags)
                });
            return Err(inconsistent(format!(
                "{} {} ({}) lies {actual}, not in {} ({ags}) as its key says (point {:.0}, {:.0} checked against {}); the geometry and the attributes of this layer, or of {}, do not belong together",
                region.level,
                region.name,
                region.ags,
                expected.name,
                point.x,
                point.y,
                sources.shp[ags.level().index()].display(),
                sources.shp[ags.level().index()].display()
            )));
        }
        ancestor = ags.parent();
    }
    Ok(())
}

fn geometry_holds(region: &Region, point: Coord<f64>) -> bool {
    let inside_box = region.bbox.min().x <= point.x
        && point.x <= region.bbox.max().x
        && region.bbox.min().y <= point.y
        && point.y <= region.bbox.max().y;
    inside_box && crossing_parity(&region.geometry, point)
}

/// Even-odd point-in-polygon over all rings of all polygons: a plain linear scan, several times
/// faster than the general predicate for the single points the nesting check needs.
fn crossing_parity(geometry: &MultiPolygon<f64>, p: Coord<f64>) -> bool {
    let mut inside = false;
    for polygon in geometry {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for edge in ring.0.windows(2) {
                let (a, b) = (edge[0], edge[1]);
                if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                {
                    inside = !inside;
                }
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn hex_digests_parse_and_bad_lines_warn() {
        let mut warnings = Vec::new();
        let text = format!(
            "{}  dvg2/a.shp\nnot a line\n{} *b.csv\n",
            "ab".repeat(32),
            "01".repeat(32)
        );
        let sums = Checksums::parse(
            PathBuf::from("/d/SHA256SUMS"),
            Path::new("/d"),
            &text,
            &mut warnings,
        );
        assert!(sums.lists(Path::new("/d/dvg2/a.shp")));
        assert!(sums.lists(Path::new("/d/b.csv")));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("line 2"), "{}", warnings[0]);
        let mismatch = sums.verify(Path::new("/d/b.csv"), b"x").unwrap();
        assert!(
            mismatch.contains("/d/b.csv") && mismatch.contains("differs"),
            "{mismatch}"
        );
        assert!(
            sums.verify(Path::new("/d/c.csv"), b"x")
                .unwrap()
                .contains("not listed")
        );
    }

    #[test]
    fn representative_point_of_a_u_shape_is_inside() {
        let u = polygon![
            (x: 0.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 3.0), (x: 2.0, y: 3.0),
            (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 3.0), (x: 0.0, y: 3.0)
        ];
        let multi = MultiPolygon::new(vec![u]);
        let p = representative_point(&multi).unwrap();
        assert!(crossing_parity(&multi, p));
        assert!(geo::Intersects::intersects(&multi, &geo::Point::from(p)));
        assert!(!(1.0..=2.0).contains(&p.x) || p.y < 1.0, "{p:?}");
    }

    #[test]
    fn utf8_and_latin1_records_are_told_apart() {
        // Header: 2 records of 6 bytes starting at byte 33.
        let mut dbf = vec![0u8; 33];
        dbf[4] = 2;
        dbf[8] = 33;
        dbf[10] = 6;
        dbf.extend_from_slice(b" K\xC3\xB6ln");
        dbf.extend_from_slice(b" K\xF6ln ");
        let evidence = dbf_text_evidence(&dbf);
        assert_eq!(evidence.utf8_records, vec![1]);
        assert_eq!(evidence.other_records, vec![2]);
        assert_eq!(evidence.sample, "Köln".as_bytes());
    }
}
