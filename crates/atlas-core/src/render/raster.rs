//! The PNG painter. The map layers ([`MapLayers`], the same shapes the SVG holds) are drawn
//! straight onto a tiny-skia pixmap; the furniture (region names, title, legend, scale bar,
//! north arrow, attribution) is the SVG writer's own furniture, rendered by resvg over it, so text looks the
//! same in both formats. Skipping the SVG round trip for the ~100,000 map points is what keeps a
//! 2,000 px export fast.
#![allow(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates: map metres become f32 pixels, bounded by the picture's size"
)]

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use resvg::tiny_skia::{
    Color, FillRule, LineJoin, Paint, Path, PathBuilder, Pixmap, PixmapMut, Stroke, Transform,
};
use resvg::usvg;

use crate::cartography::palette::Rgba;
use crate::render::map_layers::{MapLayers, Pen, Ring, SYMBOL_EDGE};
use crate::render::{ExportError, ExportJob, FONT, FONT_FAMILY, svg};
use crate::timing::StageTimer;

/// The PNG file's bytes of `job`.
pub fn png(job: &ExportJob) -> Result<Vec<u8>, ExportError> {
    let mut timer = StageTimer::new();
    let layout = job.layout();
    let layers = MapLayers::new(job, &layout);
    timer.stage("map layers");
    let mut pixmap = Pixmap::new(job.width, job.height)
        .ok_or_else(|| ExportError::Render("cannot allocate the image".to_owned()))?;
    // White, in parallel: the first touch of the image's fresh pages is a good part of the
    // work (what `Pixmap::fill(Color::WHITE)` writes: opaque white is 255 in every byte).
    pixmap
        .data_mut()
        .par_chunks_mut(1 << 20)
        .for_each(|chunk| chunk.fill(255));
    // The furniture's text is laid out while the map is painted (it is drawn over the map).
    let ((), furniture) = rayon::join(
        || paint_map(&mut pixmap, &layers),
        || svg_tree(&svg::furniture_document(job, &layout)),
    );
    timer.stage("paint map, furniture laid out");
    resvg::render(&furniture?, Transform::identity(), &mut pixmap.as_mut());
    timer.stage("furniture");
    let png = encode_png(pixmap.data(), job.width, job.height);
    timer.stage("encode png");
    png
}

/// Horizontal bands the map is painted in, in parallel (each band a contiguous slice of rows);
/// more bands than cores evens out bands with more lines than others.
const BANDS: usize = 4;

/// One fill of the map: a region fill, or a stroke turned into the outline it covers. A
/// stroke's outline comes in pieces, one per stroked line, so that a band fills only the pieces
/// reaching into it: the borders span the whole map, and without the cut every band would clip
/// all of their edges.
struct FillOp {
    /// The pieces, in order; together the op's path.
    pieces: Vec<Path>,
    paint: Paint<'static>,
    rule: FillRule,
}

impl FillOp {
    /// The op's path: its pieces, one after the other.
    #[cfg(test)]
    fn path(&self) -> Option<Path> {
        joined(self.pieces.iter())
    }

    /// Fills the pieces of the op that reach into the band `[top, bottom)` (picture pixels)
    /// with `to_band` into `band`: the pixels of filling the whole path, since the rasteriser
    /// drops every edge wholly above or below its clip (the pieces left out are more than a
    /// pixel away), and the edges kept are the same, in the same order.
    fn fill_band(&self, band: &mut PixmapMut, top: f32, bottom: f32, to_band: Transform) {
        let reaching =
            |p: &&Path| p.bounds().bottom() > top - 1.0 && p.bounds().top() < bottom + 1.0;
        let mut pieces = self.pieces.iter().filter(reaching);
        let path = match (pieces.next(), pieces.next()) {
            (None, _) => return,
            (Some(only), None) => std::borrow::Cow::Borrowed(only),
            (Some(first), Some(second)) => {
                let all = [first, second].into_iter().chain(pieces);
                match joined(all) {
                    Some(path) => std::borrow::Cow::Owned(path),
                    None => return,
                }
            }
        };
        band.fill_path(&path, &self.paint, self.rule, to_band, None);
    }
}

/// One path of the contours of `pieces`.
fn joined<'a>(pieces: impl Iterator<Item = &'a Path>) -> Option<Path> {
    let mut builder = PathBuilder::new();
    for piece in pieces {
        builder.push_path(piece);
    }
    builder.finish()
}

/// Draws the map layers into the map frame, in horizontal bands painted in parallel: each band
/// is painted into a band-sized scratch pixmap (tiny-skia clips to it) and copied into the
/// picture. Each thread reuses one scratch buffer for its bands, so that little fresh memory
/// is touched; the bands and their transforms are those of a frame-sized pixmap cut into
/// [`BANDS`] slices, so the pixels are too.
fn paint_map(pixmap: &mut Pixmap, layers: &MapLayers) {
    let [x, y, w, h] = layers.frame.map(|v| v.round().max(0.0) as u32);
    let (w, h) = (
        w.min(pixmap.width().saturating_sub(x)),
        h.min(pixmap.height().saturating_sub(y)),
    );
    if w == 0 || h == 0 {
        return;
    }
    let Some(background) = background_bytes(layers) else {
        return;
    };
    let ops = fill_ops(layers);
    let row_bytes = w as usize * 4;
    let band_rows = (h as usize).div_ceil(BANDS);
    let stride = pixmap.width() as usize * 4;
    let frame_rows = &mut pixmap.data_mut()[y as usize * stride..(y + h) as usize * stride];
    let threads = rayon::current_num_threads().clamp(1, BANDS);
    let mut groups: Vec<Vec<(usize, &mut [u8])>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, rows) in frame_rows.chunks_mut(stride * band_rows).enumerate() {
        groups[i % threads].push((i, rows));
    }
    groups.into_par_iter().for_each(|group| {
        let mut scratch: Vec<u8> = Vec::new();
        for (i, rows) in group {
            let height = rows.len() / stride;
            scratch.clear();
            scratch.extend(std::iter::repeat_n(background, w as usize * height).flatten());
            let Some(mut band) = PixmapMut::from_bytes(&mut scratch, w, height as u32) else {
                continue;
            };
            let top = y as usize + i * band_rows;
            let to_band = Transform::from_translate(-(x as f32), -(top as f32));
            let (band_top, band_bottom) = (top as f32, (top + height) as f32);
            for op in &ops {
                op.fill_band(&mut band, band_top, band_bottom, to_band);
            }
            for (source, target) in scratch
                .chunks_exact(row_bytes)
                .zip(rows.chunks_exact_mut(stride))
            {
                let start = x as usize * 4;
                target[start..start + row_bytes].copy_from_slice(source);
            }
        }
    });
}

/// The four bytes `Pixmap::fill` writes for the frame's background.
fn background_bytes(layers: &MapLayers) -> Option<[u8; 4]> {
    let mut one = Pixmap::new(1, 1)?;
    one.fill(color(layers.background));
    one.data().try_into().ok()
}

/// The map layers as fills in drawing order: regions, borders, focus, leader lines, symbols.
fn fill_ops(layers: &MapLayers) -> Vec<FillOp> {
    let mut ops = Vec::new();
    for region in &layers.regions {
        if let Some(path) = lines_path(&region.rings, true) {
            ops.push(FillOp {
                pieces: vec![path],
                paint: paint(region.fill),
                rule: FillRule::EvenOdd,
            });
        }
    }
    for outline in &layers.outlines {
        // One piece per line: the stroker strokes each contour on its own, so the pieces
        // together are the stroke of all lines in one path.
        let pieces: Vec<Path> = outline
            .lines
            .par_iter()
            .filter_map(|line| {
                stroke_path(
                    &lines_path(std::slice::from_ref(line), outline.closed)?,
                    outline.pen,
                )
            })
            .collect();
        if !pieces.is_empty() {
            ops.push(stroke_op(pieces, outline.pen));
        }
    }
    for leader in &layers.leaders {
        let mut line = PathBuilder::new();
        line.move_to(leader.from[0], leader.from[1]);
        line.line_to(leader.to[0], leader.to[1]);
        ops.extend(
            line.finish()
                .and_then(|path| stroked(&path, layers.leader_pen)),
        );
    }
    for symbol in &layers.symbols {
        let path = match symbol.corners() {
            Some(corners) => lines_path(&[corners], true),
            None => PathBuilder::from_circle(symbol.x, symbol.y, symbol.r),
        };
        let Some(path) = path else {
            continue;
        };
        let edge = stroked(&path, SYMBOL_EDGE);
        ops.push(FillOp {
            pieces: vec![path],
            paint: paint(symbol.fill),
            rule: FillRule::Winding,
        });
        ops.extend(edge);
    }
    ops
}

/// The area a pen covers along `path`, as a fill.
fn stroked(path: &Path, pen: Pen) -> Option<FillOp> {
    Some(stroke_op(vec![stroke_path(path, pen)?], pen))
}

/// The fill of stroke outlines.
fn stroke_op(pieces: Vec<Path>, pen: Pen) -> FillOp {
    FillOp {
        pieces,
        paint: paint(pen.color),
        rule: FillRule::Winding,
    }
}

/// The outline of the area a pen covers along `path` (bevel joins, as in the SVG).
fn stroke_path(path: &Path, pen: Pen) -> Option<Path> {
    let stroke = Stroke {
        width: pen.width,
        line_join: LineJoin::Bevel,
        ..Stroke::default()
    };
    path.stroke(&stroke, 1.0)
}

/// One path of lines, each closed if `closed`.
fn lines_path(lines: &[Ring], closed: bool) -> Option<Path> {
    let mut builder = PathBuilder::new();
    for line in lines {
        let mut points = line.iter();
        let Some(first) = points.next() else {
            continue;
        };
        builder.move_to(first[0], first[1]);
        for p in points {
            builder.line_to(p[0], p[1]);
        }
        if closed {
            builder.close();
        }
    }
    builder.finish()
}

fn color(rgba: Rgba) -> Color {
    Color::from_rgba8(rgba[0], rgba[1], rgba[2], rgba[3])
}

fn paint(rgba: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(rgba));
    paint.anti_alias = true;
    paint
}

/// The bundled font, loaded once per process.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT.to_vec());
            Arc::new(db)
        })
        .clone()
}

/// `document` with its text turned into outlines (paths in the bundled font), for an SVG that
/// looks the same without the font; the text is then no longer searchable.
pub fn text_as_paths(document: &str) -> Result<String, ExportError> {
    Ok(svg_tree(document)?.to_string(&usvg::WriteOptions {
        preserve_text: false,
        ..usvg::WriteOptions::default()
    }))
}

/// The tree of an SVG document with the bundled font, ready to render.
fn svg_tree(document: &str) -> Result<usvg::Tree, ExportError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(document, &options).map_err(|e| ExportError::Render(e.to_string()))
}

/// Encodes opaque RGBA pixels as PNG with fast compression (the slow default costs more than drawing).
fn encode_png(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .map_err(|e| ExportError::Render(e.to_string()))?;
    writer
        .write_image_data(rgba)
        .map_err(|e| ExportError::Render(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| ExportError::Render(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cartography::choropleth::{ChoroplethSpec, build};
    use crate::cartography::scene::Scene;
    use crate::i18n::Lang;
    use crate::model::Level;
    use crate::sites::SiteType;

    /// The frame painted as before the scratch bands: one frame-sized pixmap cut into
    /// [`BANDS`] slices, copied into the picture.
    fn paint_map_in_one_pixmap(pixmap: &mut Pixmap, layers: &MapLayers) {
        let [x, y, w, h] = layers.frame.map(|v| v.round().max(0.0) as u32);
        let (w, h) = (
            w.min(pixmap.width().saturating_sub(x)),
            h.min(pixmap.height().saturating_sub(y)),
        );
        let Some(mut map) = Pixmap::new(w, h) else {
            return;
        };
        map.fill(color(layers.background));
        let ops = fill_ops(layers);
        let row_bytes = w as usize * 4;
        let band_rows = (h as usize).div_ceil(BANDS);
        for (i, rows) in map.data_mut().chunks_mut(row_bytes * band_rows).enumerate() {
            let height = (rows.len() / row_bytes) as u32;
            let mut band = PixmapMut::from_bytes(rows, w, height).unwrap();
            let top = y as usize + i * band_rows;
            let to_band = Transform::from_translate(-(x as f32), -(top as f32));
            for op in &ops {
                let path = op.path().unwrap();
                band.fill_path(&path, &op.paint, op.rule, to_band, None);
            }
        }
        let stride = pixmap.width() as usize * 4;
        let target = pixmap.data_mut();
        for (row, source) in map.data().chunks_exact(row_bytes).enumerate() {
            let start = (y as usize + row) * stride + x as usize * 4;
            target[start..start + row_bytes].copy_from_slice(source);
        }
    }

    /// The scratch bands paint exactly the pixels of one frame-sized pixmap, at 2,000 px and
    /// at odd sizes, with sites and a focus.
    #[test]
    fn scratch_bands_paint_the_pixels_of_one_pixmap() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../geodata");
        let atlas = crate::data::load_atlas(&dir).unwrap();
        let indicators = crate::data::thematic::load_indicators(&atlas, &dir).unwrap();
        let (sites, _) = crate::sites::registry::load_registry(&dir).unwrap();
        let spec = ChoroplethSpec {
            level: Level::Gemeinde,
            field: "density".into(),
            ..ChoroplethSpec::default()
        };
        let map = build(&atlas, &indicators, &spec, Lang::De).unwrap();
        let scene = Scene::base(&atlas, Level::Gemeinde, Lang::De).with_choropleth(&map);
        let olpe = atlas
            .regions(Level::Kreis)
            .iter()
            .find(|k| k.ags.as_str() == "05966");
        for (width, height, focus) in [(2000, 2000, None), (1234, 777, olpe), (333, 1001, olpe)] {
            let job = ExportJob {
                atlas: &atlas,
                scene: &scene,
                sites: &sites,
                site_types: vec![SiteType::Ki, SiteType::Abh],
                focus: focus.map(|k| k.ags.clone()),
                extent: None,
                width,
                height,
                lang: Lang::De,
                date: "2026-12-01".to_owned(),
            };
            let layout = job.layout();
            let layers = MapLayers::new(&job, &layout);
            let mut fast = Pixmap::new(width, height).unwrap();
            fast.fill(Color::WHITE);
            let mut plain = fast.clone();
            paint_map(&mut fast, &layers);
            paint_map_in_one_pixmap(&mut plain, &layers);
            assert!(fast.data() == plain.data(), "{width}×{height}");
            assert!(
                fast.data().iter().any(|&b| b != 255),
                "{width}×{height}: nothing drawn"
            );
        }
    }

    /// The pieces of a stroke, one per line, are together the stroke of all lines in one path,
    /// so the bands fill what the whole outline fills.
    #[test]
    fn stroke_pieces_join_to_the_stroke_of_all_lines() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../geodata");
        let atlas = crate::data::load_atlas(&dir).unwrap();
        let indicators = crate::data::thematic::load_indicators(&atlas, &dir).unwrap();
        let sites = crate::sites::SiteSet::default();
        let spec = ChoroplethSpec {
            level: Level::Gemeinde,
            field: "density".into(),
            ..ChoroplethSpec::default()
        };
        let map = build(&atlas, &indicators, &spec, Lang::De).unwrap();
        let scene = Scene::base(&atlas, Level::Gemeinde, Lang::De).with_choropleth(&map);
        let job = ExportJob {
            atlas: &atlas,
            scene: &scene,
            sites: &sites,
            site_types: Vec::new(),
            focus: None,
            extent: None,
            width: 2000,
            height: 2000,
            lang: Lang::De,
            date: "2026-12-01".to_owned(),
        };
        let layers = MapLayers::new(&job, &job.layout());
        let ops = fill_ops(&layers);
        let strokes = &ops[layers.regions.len()..];
        assert_eq!(strokes.len(), layers.outlines.len());
        let counts: Vec<usize> = layers.outlines.iter().map(|o| o.lines.len()).collect();
        assert!(
            counts.iter().any(|&n| n > 300),
            "the Gemeinde borders in many lines: {counts:?}"
        );
        for (op, outline) in strokes.iter().zip(&layers.outlines) {
            let whole = lines_path(&outline.lines, outline.closed).unwrap();
            let stroke = stroke_path(&whole, outline.pen).unwrap();
            assert_eq!(op.pieces.len(), outline.lines.len(), "{}", outline.id);
            assert!(op.path().unwrap() == stroke, "{}", outline.id);
        }
    }
}
