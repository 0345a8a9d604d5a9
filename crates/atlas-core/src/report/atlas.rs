//! The atlas: one map page per Kreis or Gemeinde, each focused on its region (extent = its
//! bounding box with a margin), the other regions greyed, the title naming it. The thematic
//! layer is classified once over all regions of its level, so every page has the same classes
//! and pages compare. Written as one PDF (a contents page with links, a bookmark per page) or
//! as a folder of PNG/SVG images named `<AGS>_<name>`. Pages are drawn in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cartography::choropleth::Choropleth;
use crate::cartography::request::MapRequest;
use crate::cartography::scene::Scene;
use crate::i18n::Lang;
use crate::model::{Ags, Atlas, Level, Region};
use crate::render::pdf::{self, Page, Paper, PdfOptions};
use crate::render::{ExportError, ExportJob, svg};
use crate::sites::SiteSet;

/// What an atlas shows.
pub struct AtlasSpec<'a> {
    /// The atlas the regions come from.
    pub atlas: &'a Atlas,
    /// The sites.
    pub sites: &'a SiteSet,
    /// The map of every page (thematic layer, sites, language, title, size); its focus and
    /// extent are set per page.
    pub request: MapRequest,
    /// The thematic layer, classified once over all regions of its level.
    pub map: Option<&'a Choropleth>,
    /// One page per region of this level.
    pub level: Level,
    /// Only regions inside this one (a Bezirk or Kreis); `None`: all NRW.
    pub within: Option<Ags>,
    /// The export date (YYYY-MM-DD).
    pub date: String,
}

/// The regions of `level` inside `within` (all of NRW without), in AGS order.
pub fn regions_in<'a>(atlas: &'a Atlas, level: Level, within: Option<&Ags>) -> Vec<&'a Region> {
    atlas
        .regions(level)
        .iter()
        .filter(|r| within.is_none_or(|w| r.ags.as_str().starts_with(w.as_str())))
        .collect()
}

/// A file name for a region: `<AGS>_<name>` with characters that are unsafe in file names
/// (path separators, `:*?"<>|`, control characters) and spaces as `_`.
pub fn file_stem(region: &Region) -> String {
    let name: String = region
        .name
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{}_{name}", region.ags)
}

impl AtlasSpec<'_> {
    /// The regions the atlas pages through.
    pub fn regions(&self) -> Vec<&Region> {
        regions_in(self.atlas, self.level, self.within.as_ref())
    }

    /// The title of the map shown on every page (the request's title, the preset's, the
    /// legend's), if any.
    pub fn map_title(&self) -> Option<String> {
        let scene = self.request.scene(self.atlas, self.map);
        scene
            .title
            .or_else(|| scene.legend.map(|legend| legend.title))
    }

    /// The scene of the page of `region`: the common scene, greyed outside the region,
    /// titled with the region's name.
    fn page_scene(&self, base: &Scene, region: &Region, map_title: Option<&str>) -> Scene {
        let mut scene = base.clone();
        scene.grey_outside(self.atlas, &region.ags);
        let name = region.display_name();
        scene.title = Some(match map_title {
            Some(title) => format!("{name} ({}) · {title}", region.ags),
            None => format!("{name} ({})", region.ags),
        });
        scene
    }

    /// The SVG documents of every page, in region order, drawn in parallel.
    pub fn page_svgs(&self) -> Result<Vec<(&Region, String)>, ExportError> {
        let base = self.request.scene(self.atlas, self.map);
        let map_title = self.map_title();
        self.regions()
            .into_par_iter()
            .map(|region| {
                let scene = self.page_scene(&base, region, map_title.as_deref());
                let job = self.job(&scene, region);
                Ok((region, job.svg()?))
            })
            .collect()
    }

    fn job<'s>(&'s self, scene: &'s Scene, region: &Region) -> ExportJob<'s> {
        let mut job = ExportJob::of_request(
            &self.request,
            self.atlas,
            scene,
            self.sites,
            self.date.clone(),
        );
        job.focus = Some(region.ags.clone());
        job.extent = None;
        job
    }

    /// The atlas as one PDF on `paper`: contents page(s) with links, then one page per region,
    /// each with its bookmark.
    pub fn pdf(&self, paper: Paper, pdfa: bool) -> Result<AtlasPdf, ExportError> {
        let maps = self.page_svgs()?;
        let (w, h) = (self.request.width, self.request.height);
        let entries: Vec<(String, String)> = maps
            .iter()
            .map(|(r, _)| (r.ags.to_string(), r.display_name()))
            .collect();
        let title = self.document_title();
        let mut pages = contents_pages(&title, &entries, paper, self.request.lang, &self.date);
        let first_map = pages.len();
        for (link_page, page) in pages.iter_mut().enumerate() {
            for link in &mut page.links {
                link.page += first_map;
            }
            if link_page == 0 {
                page.bookmark = Some(self.request.lang.pick("Inhalt", "Contents").to_owned());
            }
        }
        let maps_count = maps.len();
        for (region, svg) in maps {
            let mut page = Page::of_picture(svg, w, h, Some(paper));
            page.bookmark = Some(format!("{} ({})", region.display_name(), region.ags));
            pages.push(page);
        }
        let bytes = pdf::document(
            &pages,
            &PdfOptions {
                paper: Some(paper),
                pdfa,
                title: Some(title),
                lang: self.request.lang,
            },
        )?;
        Ok(AtlasPdf {
            bytes,
            contents_pages: first_map,
            map_pages: maps_count,
        })
    }

    /// The document title: "Atlas der Kreise: <map title>".
    pub fn document_title(&self) -> String {
        let lang = self.request.lang;
        let what = match self.level {
            Level::Gemeinde => lang.pick("Atlas der Gemeinden", "Atlas of the Gemeinden"),
            _ => lang.pick("Atlas der Kreise", "Atlas of the Kreise"),
        };
        let within = self
            .within
            .as_ref()
            .and_then(|a| self.atlas.get(a))
            .map(|r| format!(" {} {}", lang.pick("in", "in"), r.display_name()))
            .unwrap_or_default();
        match self.map_title() {
            Some(title) => format!("{what}{within}: {title}"),
            None => format!("{what}{within}"),
        }
    }

    /// Writes one image per region into `dir` (created if missing), `.png` or `.svg`; returns
    /// the files written.
    pub fn write_images(&self, dir: &Path, svg_files: bool) -> Result<Vec<PathBuf>, ExportError> {
        std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
            path: dir.to_owned(),
            source,
        })?;
        let base = self.request.scene(self.atlas, self.map);
        let map_title = self.map_title();
        self.regions()
            .into_par_iter()
            .map(|region| {
                let scene = self.page_scene(&base, region, map_title.as_deref());
                let job = self.job(&scene, region);
                let ext = if svg_files { "svg" } else { "png" };
                let path = dir.join(format!("{}.{ext}", file_stem(region)));
                job.write(&path)?;
                Ok(path)
            })
            .collect()
    }
}

/// An atlas PDF and how its pages divide.
#[derive(Clone, Debug)]
pub struct AtlasPdf {
    /// The PDF file's bytes.
    pub bytes: Vec<u8>,
    /// The contents pages at the start.
    pub contents_pages: usize,
    /// The map pages after them, one per region.
    pub map_pages: usize,
}

/// Entries a contents page holds per column.
const ROWS: usize = 36;

/// The contents pages: the atlas's title and date, then one line per map page ("AGS Name …
/// page") linked to its page. `entries` are (AGS, name) in page order; the link targets count
/// from the first map page (the caller shifts them).
fn contents_pages(
    title: &str,
    entries: &[(String, String)],
    paper: Paper,
    lang: Lang,
    date: &str,
) -> Vec<Page> {
    let (w, h) = paper.content_px();
    let columns = if w > h { 3 } else { 2 };
    let per_page = ROWS * columns;
    let sheets = entries.len().div_ceil(per_page).max(1);
    let column_w = f64::from(w) / columns as f64;
    let mut pages = Vec::new();
    for sheet in 0..sheets {
        let mut out = String::new();
        let mut links = Vec::new();
        out.push_str(&format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{}, sans-serif">"##,
            crate::render::FONT_FAMILY
        ));
        let mut y = 30.0;
        for line in crate::render::wrap(title, f64::from(w) / 1.1, 22.0) {
            out.push_str(&svg_text(0.0, y, 22.0, "bold", &line));
            y += 27.0;
        }
        let subtitle = format!(
            "{} · {} {} · {} {date}",
            lang.pick("Inhalt", "Contents"),
            entries.len(),
            lang.pick("Kartenseiten", "map pages"),
            lang.pick("Stand", "As of"),
        );
        out.push_str(&svg_text(0.0, y, 13.0, "normal", &subtitle));
        let top = y + 30.0;
        let row_h = ((f64::from(h) - top - 10.0) / ROWS as f64).min(22.0);
        for (i, (ags, name)) in entries
            .iter()
            .enumerate()
            .skip(sheet * per_page)
            .take(per_page)
        {
            let k = i - sheet * per_page;
            let (col, row) = (k / ROWS, k % ROWS);
            let x = col as f64 * column_w;
            let y = top + row as f64 * row_h;
            let page_no = format!("{}", sheets + i + 1);
            out.push_str(&svg_text(x, y, 12.0, "normal", ags));
            let name = crate::render::text::fit_line(name, column_w - 110.0, 13.0);
            out.push_str(&svg_text(x + 62.0, y, 13.0, "normal", &name));
            out.push_str(&format!(
                r##"<text x="{:.1}" y="{y:.1}" font-size="12" text-anchor="end" fill="#1a1a1a">{page_no}</text>"##,
                x + column_w - 14.0
            ));
            links.push((x, y - row_h * 0.75, column_w - 10.0, row_h, i));
        }
        out.push_str("</svg>\n");
        let mut page = Page::of_picture(out, w, h, Some(paper));
        let piece = &page.pieces[0];
        let k = piece.width / f64::from(w);
        let (ox, oy) = (piece.x, piece.y);
        page.links = links
            .into_iter()
            .map(|(x, y, lw, lh, target)| pdf::Link {
                rect: [ox + x * k, oy + y * k, lw * k, lh * k],
                page: target,
            })
            .collect();
        pages.push(page);
    }
    pages
}

/// One line of SVG text, cleaned and escaped.
pub(crate) fn svg_text(x: f64, y: f64, size: f64, weight: &str, content: &str) -> String {
    format!(
        r##"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" fill="#1a1a1a">{}</text>
"##,
        svg::esc(&crate::render::text::clean(content))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        let region = Region::new(
            Ags::parse("05966").unwrap(),
            "Olpe / Sauerland: a?".to_owned(),
            geo::MultiPolygon::new(vec![]),
        );
        assert_eq!(file_stem(&region), "05966_Olpe___Sauerland__a_");
    }
}
