//! Map snapshots: the scene drawn as SVG (vector) and PNG (raster). Both painters draw the same
//! pixel-space map layers ([`map_layers`]) and the same SVG furniture with one bundled font.
//! Layout: title on top, map on the left, legend on the right, scale bar, north arrow,
//! attribution and export date at the bottom. All text is cleaned of control characters and
//! measured in the bundled font ([`text`], [`font`]); the title takes at most three lines.
#![allow(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates: map metres become f32 pixels, bounded by the picture's size"
)]

pub mod font;
pub mod map_layers;
pub mod pdf;
pub mod raster;
pub mod svg;
pub mod svg_font;
pub mod text;

use std::path::Path;

use crate::cartography::scene::Scene;
use crate::model::Atlas;
use crate::sites::{SiteSet, SiteType};

/// The font bundled for exports (Ubuntu Light, Ubuntu Font Licence 1.0, see assets/fonts/UFL.txt).
pub const FONT: &[u8] = include_bytes!("../../../../assets/fonts/Ubuntu-Light.ttf");
/// The font's family name as used in the SVG.
pub const FONT_FAMILY: &str = "Ubuntu";

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file ending names no supported format.
    #[error("{}: unknown format; the file name must end in .png, .svg or .pdf", .0.display())]
    UnknownFormat(std::path::PathBuf),
    /// The size is out of range.
    #[error("size {0}×{1} px is out of range; use 400 to 8000 px per side")]
    BadSize(u32, u32),
    /// Writing failed (folder missing, not writable, disk full); the cause says what to do
    /// (see [`crate::atomic::write_problem`]).
    #[error("{}: cannot write: {source}", .path.display())]
    Write {
        /// The target file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Rasterising or encoding failed.
    #[error("cannot render the PNG: {0}")]
    Render(String),
    /// Writing the PDF failed (an SVG page could not be read, PDF/A rules broken).
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

/// What to export: a scene with its sites, an extent and a size.
pub struct ExportJob<'a> {
    /// The atlas the scene belongs to.
    pub atlas: &'a Atlas,
    /// What to draw (fills, outlines, legend, title, attribution).
    pub scene: &'a Scene,
    /// The sites, and which types to draw.
    pub sites: &'a SiteSet,
    /// The visible site types.
    pub site_types: Vec<SiteType>,
    /// Region to outline; the map fits it unless `extent` is given (else all NRW).
    pub focus: Option<crate::Ags>,
    /// The map extent in EPSG:25832 (e.g. the window's current view); overrides the focus fit.
    pub extent: Option<geo::Rect<f64>>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Interface language of the furniture.
    pub lang: crate::i18n::Lang,
    /// The export date (YYYY-MM-DD) printed under the map.
    pub date: String,
}

/// Where the map lies in the picture and how map metres become pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Map area: left, top, width, height in px.
    pub map: [f64; 4],
    /// Legend column: left x in px.
    pub legend_x: f64,
    /// Pixels per map metre.
    pub px_per_m: f64,
    /// Map metres at the centre of the map area.
    pub center: [f64; 2],
    /// How much text, symbols and line widths grow with the picture: 1 at 1,000 px, at least 0.6.
    pub scale: f64,
    /// The title wrapped to the picture's width (empty without a title).
    pub title: Vec<String>,
    /// The attribution wrapped to the map's width.
    pub attribution: Vec<String>,
}

/// Title font size and line height at scale 1, in px.
pub(crate) const TITLE_PX: (f64, f64) = (24.0, 28.0);
/// Attribution font size and line height at scale 1, in px.
pub(crate) const ATTRIBUTION_PX: (f64, f64) = (11.0, 14.0);

/// The title's font size at scale 1 is that of a bold face; the bundled face is light, and a
/// viewer's bold "Ubuntu" or sans-serif is wider: bold lines are measured this much wider.
pub(crate) const BOLD_WIDTH: f64 = 1.1;

/// The title of a `width` px picture at `scale`: cleaned, wrapped into at most
/// [`text::TITLE_LINES`] lines that fit between the side margins.
pub fn fit_title(title: &str, width: u32, scale: f64) -> text::Fitted {
    let size = TITLE_PX.0 * scale;
    text::fit(
        title,
        (f64::from(width) - 40.0) / BOLD_WIDTH,
        size,
        text::TITLE_LINES,
    )
}

/// How much text, symbols and line widths grow with a `width`×`height` picture.
fn scale_of(width: u32, height: u32) -> f64 {
    (f64::from(width.min(height)) / 1000.0).max(0.6)
}

/// Wraps text into lines no wider than `width` px at `size` px of the bundled font, measured by
/// its glyph advances (at least one word a line; a word wider than a line is broken between
/// characters). Control characters become spaces or are dropped, as in [`text::clean`].
pub fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    text::fit(text, width, size, usize::MAX).lines
}

impl Layout {
    /// Fits `bounds` (EPSG:25832) into the map area of a `width`×`height` picture, below the
    /// title and above the attribution lines and the export date.
    pub fn new(
        width: u32,
        height: u32,
        bounds: geo::Rect<f64>,
        title: Option<&str>,
        attribution: &str,
    ) -> Layout {
        let (w, h) = (width as f64, height as f64);
        let scale = scale_of(width, height);
        let legend_w = (300.0 * scale).max(240.0).min(w * 0.4);
        let map_w = w - legend_w - 40.0;
        let title = title.map_or_else(Vec::new, |t| fit_title(t, width, scale).lines);
        let attribution = wrap(attribution, map_w, ATTRIBUTION_PX.0 * scale);
        let top = 20.0 + title.len() as f64 * TITLE_PX.1 * scale;
        // Attribution lines, the export date line and margins.
        let bottom =
            (attribution.len() + 1) as f64 * ATTRIBUTION_PX.1 * scale + 10.0 * scale + 16.0;
        let map = [20.0, top, map_w, (h - top - bottom).max(1.0)];
        let sx = map[2] / bounds.width().max(1.0);
        let sy = map[3] / bounds.height().max(1.0);
        let c = bounds.center();
        Layout {
            map,
            legend_x: w - legend_w - 10.0,
            px_per_m: sx.min(sy) * 0.96,
            center: [c.x, c.y],
            scale,
            title,
            attribution,
        }
    }

    /// The map frame as the label placement sees it ([`crate::cartography::labels::place`]).
    pub fn screen_frame(&self) -> crate::cartography::labels::ScreenFrame {
        crate::cartography::labels::ScreenFrame {
            center: self.center,
            px_per_m: self.px_per_m,
            frame: self.map,
        }
    }

    /// The pixel of a map point.
    pub fn px(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.map[0] + self.map[2] / 2.0 + (x - self.center[0]) * self.px_per_m,
            self.map[1] + self.map[3] / 2.0 - (y - self.center[1]) * self.px_per_m,
        )
    }
}

impl<'a> ExportJob<'a> {
    /// The export of `scene`, built from `request` by
    /// [`MapRequest::scene`](crate::cartography::request::MapRequest::scene), with the request's
    /// site layers, focus, extent and size, dated `date` (YYYY-MM-DD).
    pub fn of_request(
        request: &crate::cartography::request::MapRequest,
        atlas: &'a Atlas,
        scene: &'a Scene,
        sites: &'a SiteSet,
        date: String,
    ) -> ExportJob<'a> {
        ExportJob {
            atlas,
            scene,
            sites,
            site_types: request.site_types.clone(),
            focus: request.focus.clone(),
            extent: request.extent,
            width: request.width,
            height: request.height,
            lang: request.lang,
            date,
        }
    }
}

impl ExportJob<'_> {
    /// The extent to show: the focus region with a margin, or all of NRW.
    pub fn bounds(&self) -> geo::Rect<f64> {
        if let Some(extent) = self.extent {
            return extent;
        }
        let rect = self
            .focus
            .as_ref()
            .and_then(|a| self.atlas.get(a))
            .map_or_else(|| self.atlas.bounds(), |r| r.bbox);
        let m = (rect.width().max(rect.height()) * 0.04).max(1_000.0);
        geo::Rect::new(
            (rect.min().x - m, rect.min().y - m),
            (rect.max().x + m, rect.max().y + m),
        )
    }

    /// The layout of this job.
    pub fn layout(&self) -> Layout {
        Layout::new(
            self.width,
            self.height,
            self.bounds(),
            self.scene.title.as_deref(),
            &self.scene.attribution,
        )
    }

    /// What the export cannot show as given, one sentence each, in `lang`: control characters
    /// removed from the title or legend, a title shortened to three lines, and characters the
    /// bundled font lacks (they would appear as empty boxes).
    pub fn warnings(&self, lang: crate::i18n::Lang) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(title) = &self.scene.title {
            let fitted = fit_title(title, self.width, scale_of(self.width, self.height));
            if fitted.truncated {
                warnings.push(match lang {
                    crate::i18n::Lang::De => format!(
                        "Der Titel ist für drei Zeilen bei {} px Breite zu lang und wurde mit … gekürzt",
                        self.width
                    ),
                    crate::i18n::Lang::En => format!(
                        "the title is too long for three lines at {} px width and was shortened with …",
                        self.width
                    ),
                });
            }
            warnings.extend(text_warnings(&[title.as_str()], Part::Title, lang));
        }
        if let Some(legend) = &self.scene.legend {
            let mut texts = vec![legend.title.as_str(), legend.source.as_str()];
            texts.extend(legend.method.as_deref());
            texts.extend(legend.note.as_deref());
            texts.extend(
                legend
                    .entries
                    .iter()
                    .chain(&legend.nodata)
                    .map(|e| e.label.as_str()),
            );
            warnings.extend(text_warnings(&texts, Part::Legend, lang));
        }
        warnings
    }

    fn check_size(&self) -> Result<(), ExportError> {
        let ok = |v: u32| (400..=8000).contains(&v);
        if ok(self.width) && ok(self.height) {
            Ok(())
        } else {
            Err(ExportError::BadSize(self.width, self.height))
        }
    }

    /// The map as an SVG document.
    pub fn svg(&self) -> Result<String, ExportError> {
        self.check_size()?;
        Ok(svg::document(self))
    }

    /// The map as a PNG file's bytes.
    pub fn png(&self) -> Result<Vec<u8>, ExportError> {
        self.check_size()?;
        raster::png(self)
    }

    /// The map as a PDF file's bytes: the SVG document drawn as vector paths and text, on a
    /// page of the picture's size or on the options' paper.
    pub fn pdf(&self, options: &pdf::PdfOptions) -> Result<Vec<u8>, ExportError> {
        self.check_size()?;
        let mut timer = crate::timing::StageTimer::new();
        let document = svg::document(self);
        timer.stage("svg document");
        let page = pdf::Page::of_picture(document, self.width, self.height, options.paper);
        let options = pdf::PdfOptions {
            title: options.title.clone().or_else(|| self.scene.title.clone()),
            ..options.clone()
        };
        pdf::document(&[page], &options)
    }

    /// Writes the map to `path` (.png, .svg or .pdf on a page of the picture's size),
    /// atomically.
    pub fn write(&self, path: &Path) -> Result<(), ExportError> {
        self.write_with(
            path,
            &pdf::PdfOptions {
                lang: self.lang,
                ..pdf::PdfOptions::default()
            },
        )
    }

    /// Writes the map to `path` (.png, .svg or .pdf), atomically; a PDF as `options` say.
    pub fn write_with(&self, path: &Path, options: &pdf::PdfOptions) -> Result<(), ExportError> {
        if path.is_dir() {
            return Err(ExportError::Write {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    crate::atomic::write_problem(path, &std::io::ErrorKind::IsADirectory.into()),
                ),
            });
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let bytes = match ext.as_deref() {
            Some("svg") => self.svg()?.into_bytes(),
            Some("png") => self.png()?,
            Some("pdf") => self.pdf(options)?,
            _ => return Err(ExportError::UnknownFormat(path.to_owned())),
        };
        crate::atomic::write_atomically(path, &bytes).map_err(|source| ExportError::Write {
            path: path.to_owned(),
            source,
        })
    }
}

/// Which part of the picture a text belongs to, for warnings.
#[derive(Clone, Copy)]
enum Part {
    Title,
    Legend,
}

/// Warnings about `texts` of one part: control characters removed, characters without glyph.
fn text_warnings(texts: &[&str], part: Part, lang: crate::i18n::Lang) -> Vec<String> {
    use crate::i18n::Lang;
    let mut removed: Vec<char> = Vec::new();
    let mut missing: Vec<char> = Vec::new();
    for t in texts {
        for c in text::removed_chars(t) {
            if !removed.contains(&c) {
                removed.push(c);
            }
        }
        for c in font::missing_glyphs(&text::clean(t)) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
    }
    let name = match (part, lang) {
        (Part::Title, Lang::De) => "Der Titel",
        (Part::Title, Lang::En) => "title",
        (Part::Legend, Lang::De) => "Die Legende",
        (Part::Legend, Lang::En) => "legend",
    };
    let mut warnings = Vec::new();
    if !removed.is_empty() {
        let list = text::describe_chars(&removed, 10);
        warnings.push(match lang {
            Lang::De => format!("{name} enthielt Steuerzeichen ({list}); sie wurden entfernt"),
            Lang::En => format!("{name} contained control characters ({list}); they were removed"),
        });
    }
    if !missing.is_empty() {
        let list = text::describe_chars(&missing, 12);
        warnings.push(match lang {
            Lang::De => format!(
                "{name} enthält Zeichen, die die Kartenschrift nicht darstellen kann: {list}; sie erscheinen als leere Kästchen"
            ),
            Lang::En => format!(
                "{name} contains characters the map font cannot show: {list}; they appear as empty boxes"
            ),
        });
    }
    warnings
}

/// Today's local date (the system's time zone) as YYYY-MM-DD, or, when `SOURCE_DATE_EPOCH`
/// (seconds since 1970) is set, the UTC date of that moment, for reproducible exports.
pub fn today() -> String {
    date_for(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

/// The date [`today`] gives for the `SOURCE_DATE_EPOCH` value `epoch`. A value that is no number
/// of seconds jiff can represent (about the years -9999 to 9999) is ignored, as an unset one is.
fn date_for(epoch: Option<&str>) -> String {
    let fixed = epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    let date = match fixed {
        Some(moment) => moment.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
        None => jiff::ZonedDateTime::now().date(),
    };
    date.strftime("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::date_for;

    #[test]
    fn a_source_date_epoch_is_a_utc_date() {
        // The golden tests' epoch: 2024-01-01 00:00:00 UTC (still 2024-01-01 01:00 in Köln).
        assert_eq!(date_for(Some("1704067200")), "2024-01-01");
        assert_eq!(date_for(Some(" 1704067199\n")), "2023-12-31");
        assert_eq!(date_for(Some("0")), "1970-01-01");
        assert_eq!(date_for(Some("951782400")), "2000-02-29");
    }

    #[test]
    fn without_an_epoch_the_date_is_the_local_one() {
        let local = jiff::ZonedDateTime::now().date().to_string();
        for epoch in [None, Some(""), Some("soon"), Some("99999999999999999")] {
            let date = date_for(epoch);
            // The test may straddle midnight: then the date is the next day's.
            let next = jiff::ZonedDateTime::now().date().to_string();
            assert!(date == local || date == next, "{epoch:?}: {date}");
            assert_eq!(date.len(), 10, "{date}");
        }
    }
}
