//! The PDF painter: pages made of SVG documents, drawn as vector graphics by krilla-svg into a
//! krilla document. A map page is the very SVG document the SVG export writes
//! ([`super::svg::document`]), so every layer of the SVG is in the PDF too; text stays text in
//! the bundled font, which krilla embeds as a subset. Multi-page documents (atlas, profile) get
//! PDF bookmarks and links from a contents page; PDF/A-2b by option.
//!
//! Units: one SVG px is one CSS px (1/96 in), i.e. 0.75 pt, so a 1600 × 1200 px map is a
//! 1200 × 900 pt page and `pdftoppm -r 96` gives back 1600 × 1200 pixels.
#![allow(
    clippy::cast_possible_truncation,
    reason = "page sizes in points: small positive numbers"
)]

use std::sync::{Arc, OnceLock};

use krilla::configure::{Archival, ConfigurationBuilder, Validator};
use krilla::geom::{Point, Rect, Size, Transform};
use krilla::page::PageSettings;
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt as _, SvgSettings};
use rayon::prelude::*;
use usvg_pdf as usvg;

use crate::i18n::Lang;
use crate::render::{ExportError, FONT, FONT_FAMILY};

/// Points per CSS pixel (72 pt and 96 px to the inch).
pub const PT_PER_PX: f64 = 0.75;

/// The white margin around the content of a paper page, in mm.
pub const MARGIN_MM: f64 = 10.0;

/// A paper size of ISO 216.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
}

/// A sheet in an orientation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paper {
    /// The sheet.
    pub sheet: Sheet,
    /// Wider than high.
    pub landscape: bool,
}

impl Paper {
    /// Parses `A4`, `A3`, `A4-landscape`, `A3-portrait` (any case; `-quer`/`-hoch` too).
    pub fn parse(text: &str) -> Option<Paper> {
        let text = text.trim().to_ascii_lowercase();
        let (sheet, rest) = text.split_at(text.len().min(2));
        let sheet = match sheet {
            "a4" => Sheet::A4,
            "a3" => Sheet::A3,
            _ => return None,
        };
        let landscape = match rest {
            "" | "-portrait" | "-hoch" => false,
            "-landscape" | "-quer" => true,
            _ => return None,
        };
        Some(Paper { sheet, landscape })
    }

    /// Width and height in mm.
    pub fn mm(self) -> (f64, f64) {
        let (short, long) = match self.sheet {
            Sheet::A4 => (210.0, 297.0),
            Sheet::A3 => (297.0, 420.0),
        };
        if self.landscape {
            (long, short)
        } else {
            (short, long)
        }
    }

    /// Width and height in points.
    pub fn points(self) -> (f64, f64) {
        let (w, h) = self.mm();
        (mm_to_pt(w), mm_to_pt(h))
    }

    /// The sheet in pixels at `dpi` (a PNG to print at that resolution).
    pub fn pixels(self, dpi: f64) -> (u32, u32) {
        let (w, h) = self.mm();
        let px = |mm: f64| (mm / 25.4 * dpi).round().clamp(0.0, f64::from(u32::MAX)) as u32;
        (px(w), px(h))
    }

    /// The content box inside the margins, in CSS pixels: the size of the picture laid out
    /// for this sheet.
    pub fn content_px(self) -> (u32, u32) {
        let (w, h) = self.mm();
        let px = |mm: f64| ((mm - 2.0 * MARGIN_MM) / 25.4 * 96.0).round() as u32;
        (px(w), px(h))
    }
}

impl std::fmt::Display for Paper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sheet = match self.sheet {
            Sheet::A4 => "A4",
            Sheet::A3 => "A3",
        };
        let orientation = if self.landscape {
            "landscape"
        } else {
            "portrait"
        };
        write!(f, "{sheet} {orientation}")
    }
}

fn mm_to_pt(mm: f64) -> f64 {
    mm / 25.4 * 72.0
}

/// How a PDF is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PdfOptions {
    /// The sheet to print on (content inside [`MARGIN_MM`]); `None`: the page is the picture.
    pub paper: Option<Paper>,
    /// Write PDF/A-2b (archival; krilla checks the rules and refuses what breaks them).
    pub pdfa: bool,
    /// The document title (metadata).
    pub title: Option<String>,
    /// The document language (metadata).
    pub lang: Lang,
}

/// An SVG document placed on a page: its box in points from the top left corner.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The SVG document.
    pub svg: String,
    /// Left edge, pt.
    pub x: f64,
    /// Top edge, pt.
    pub y: f64,
    /// Width, pt (the SVG is scaled to it).
    pub width: f64,
    /// Height, pt.
    pub height: f64,
}

/// A link from a box on a page to the top of another page.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    /// The box: left, top, width, height in pt.
    pub rect: [f64; 4],
    /// The page it leads to (0-based).
    pub page: usize,
}

/// One page of a PDF.
#[derive(Clone, Debug)]
pub struct Page {
    /// Width in pt.
    pub width: f64,
    /// Height in pt.
    pub height: f64,
    /// What is drawn on it, in order.
    pub pieces: Vec<Piece>,
    /// The page's bookmark (outline entry), if any.
    pub bookmark: Option<String>,
    /// Links to other pages.
    pub links: Vec<Link>,
}

impl Page {
    /// A page holding one SVG picture of `width` × `height` CSS px: on `paper` inside the
    /// margins (scaled to fit, centred), else a page of the picture's own size.
    pub fn of_picture(svg: String, width: u32, height: u32, paper: Option<Paper>) -> Page {
        let (w, h) = (f64::from(width) * PT_PER_PX, f64::from(height) * PT_PER_PX);
        let Some(paper) = paper else {
            return Page {
                width: w,
                height: h,
                pieces: vec![Piece {
                    svg,
                    x: 0.0,
                    y: 0.0,
                    width: w,
                    height: h,
                }],
                bookmark: None,
                links: Vec::new(),
            };
        };
        let (pw, ph) = paper.points();
        let margin = mm_to_pt(MARGIN_MM);
        let fit = ((pw - 2.0 * margin) / w).min((ph - 2.0 * margin) / h);
        let (cw, ch) = (w * fit, h * fit);
        Page {
            width: pw,
            height: ph,
            pieces: vec![Piece {
                svg,
                x: (pw - cw) / 2.0,
                y: (ph - ch) / 2.0,
                width: cw,
                height: ch,
            }],
            bookmark: None,
            links: Vec::new(),
        }
    }
}

/// The bundled font for the PDF's SVG parser, loaded once per process.
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

/// Parses an SVG document with the bundled font.
fn parse(svg: &str) -> Result<usvg::Tree, ExportError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Pdf(e.to_string()))
}

/// The PDF file's bytes of `pages`. The SVG documents are parsed in parallel, then drawn.
pub fn document(pages: &[Page], options: &PdfOptions) -> Result<Vec<u8>, ExportError> {
    let mut timer = crate::timing::StageTimer::new();
    let trees: Vec<Vec<usvg::Tree>> = pages
        .par_iter()
        .map(|page| page.pieces.iter().map(|p| parse(&p.svg)).collect())
        .collect::<Result<_, _>>()?;
    timer.stage("pdf: parse svg");
    let mut document = Document::new_with(settings(options)?);
    let mut outline = krilla::outline::Outline::new();
    for (index, (page, trees)) in pages.iter().zip(&trees).enumerate() {
        let size = Size::from_wh(page.width as f32, page.height as f32)
            .ok_or_else(|| ExportError::Pdf(format!("page {} has no size", index + 1)))?;
        let mut pdf_page = document.start_page_with(PageSettings::new(size));
        for link in &page.links {
            let [x, y, w, h] = link.rect.map(|v| v as f32);
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                let target =
                    krilla::destination::XyzDestination::new(link.page, Point::from_xy(0.0, 0.0));
                pdf_page.add_annotation(krilla::annotation::Annotation::new_link(
                    krilla::annotation::LinkAnnotation::new(
                        rect,
                        krilla::annotation::Target::Destination(target.into()),
                    ),
                    None,
                ));
            }
        }
        let mut surface = pdf_page.surface();
        for (piece, tree) in page.pieces.iter().zip(trees) {
            let Some(size) = Size::from_wh(piece.width as f32, piece.height as f32) else {
                continue;
            };
            surface.push_transform(&Transform::from_translate(piece.x as f32, piece.y as f32));
            surface.draw_svg(
                tree,
                size,
                SvgSettings {
                    embed_text: true,
                    ..SvgSettings::default()
                },
            );
            surface.pop();
        }
        surface.finish();
        pdf_page.finish();
        if let Some(title) = &page.bookmark {
            outline.push_child(krilla::outline::OutlineNode::new(
                title.clone(),
                krilla::destination::XyzDestination::new(index, Point::from_xy(0.0, 0.0)),
            ));
        }
    }
    timer.stage("pdf: draw pages");
    document.set_outline(outline);
    document.set_metadata(metadata(options));
    let bytes = document
        .finish()
        .map_err(|e| ExportError::Pdf(describe(&e)));
    timer.stage("pdf: serialize");
    bytes
}

fn settings(options: &PdfOptions) -> Result<SerializeSettings, ExportError> {
    let mut builder = ConfigurationBuilder::new();
    if options.pdfa {
        builder = builder.set_validator(Validator::A(Archival::A2_B));
    }
    let configuration = builder
        .finish()
        .map_err(|e| ExportError::Pdf(format!("PDF/A: {e:?}")))?;
    Ok(SerializeSettings {
        configuration,
        // No tag tree is written; PDF/A-2b does not ask for one.
        enable_tagging: false,
        ..SerializeSettings::default()
    })
}

fn metadata(options: &PdfOptions) -> krilla::metadata::Metadata {
    let mut metadata = krilla::metadata::Metadata::new()
        .creator("Integrationsatlas NRW".to_owned())
        .language(options.lang.pick("de", "en").to_owned());
    if let Some(date) = creation_date(&crate::render::today()) {
        metadata = metadata.creation_date(date);
    }
    if let Some(title) = &options.title {
        metadata = metadata.title(crate::render::text::clean(title));
    }
    metadata
}

/// The export date (YYYY-MM-DD, see [`crate::render::today`]) as the document's creation date
/// (PDF/A asks for one; a date without a time keeps the file reproducible).
fn creation_date(date: &str) -> Option<krilla::metadata::DateTime> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<u16>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    Some(
        krilla::metadata::DateTime::new(year)
            .month(u8::try_from(month).ok()?)
            .day(u8::try_from(day).ok()?),
    )
}

/// A krilla error in words.
fn describe(error: &krilla::error::KrillaError) -> String {
    match error {
        krilla::error::KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            format!("the document breaks PDF/A-2b: {}", list.join("; "))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_names_parse() {
        assert_eq!(
            Paper::parse("A4"),
            Some(Paper {
                sheet: Sheet::A4,
                landscape: false
            })
        );
        assert_eq!(
            Paper::parse("a3-Landscape").map(Paper::mm),
            Some((420.0, 297.0))
        );
        assert_eq!(Paper::parse("A4-quer").map(|p| p.landscape), Some(true));
        assert_eq!(Paper::parse("A5"), None);
        assert_eq!(Paper::parse("A4-sideways"), None);
        assert_eq!(Paper::parse(""), None);
    }

    #[test]
    fn a4_sizes() {
        let a4 = Paper::parse("A4").unwrap();
        let (w, h) = a4.points();
        assert!(
            (w - 595.28).abs() < 0.01 && (h - 841.89).abs() < 0.01,
            "{w} {h}"
        );
        assert_eq!(a4.pixels(300.0), (2480, 3508));
        assert_eq!(a4.content_px(), (718, 1047));
    }

    #[test]
    fn a_picture_page_is_its_own_size_or_fits_the_paper() {
        let page = Page::of_picture(String::new(), 1600, 1200, None);
        assert_eq!((page.width, page.height), (1200.0, 900.0));
        let a4 = Paper::parse("A4-landscape");
        let page = Page::of_picture(String::new(), 1047, 718, a4);
        let piece = &page.pieces[0];
        assert!((piece.x - mm_to_pt(MARGIN_MM)).abs() < 0.5, "{}", piece.x);
        assert!(piece.width <= page.width - 2.0 * mm_to_pt(MARGIN_MM) + 1e-6);
    }
}
