//! A text page writer for report pages: headings, paragraphs and tables set in the bundled
//! font, measured and wrapped, flowing onto as many SVG pages as they need. The pages go into a
//! PDF through [`crate::render::pdf`] like the maps do.

use std::fmt::Write as _;

use crate::render::svg::esc;
use crate::render::text::{clean, fit_line};
use crate::render::{FONT_FAMILY, wrap};

/// A table column: its title, its share of the width and whether it is right-aligned.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// The heading.
    pub title: &'a str,
    /// The share of the table's width (the shares add up to 1).
    pub share: f64,
    /// Numbers are right-aligned.
    pub right: bool,
}

/// Writes text onto pages of `width` × `height` CSS px.
pub struct Sheet {
    width: f64,
    height: f64,
    full_height: f64,
    first_height: f64,
    y: f64,
    body: String,
    pages: Vec<String>,
}

const BODY: f64 = 12.0;
const LINE: f64 = 16.0;

impl Sheet {
    /// An empty sheet of `width` × `height` px pages; the first page is only `first_height`
    /// px high (the rest of it holds something else) and its text starts at `top` px.
    pub fn new(width: u32, height: u32, first_height: u32, top: f64) -> Sheet {
        Sheet {
            width: f64::from(width),
            height: f64::from(first_height),
            full_height: f64::from(height),
            first_height: f64::from(first_height),
            y: top,
            body: String::new(),
            pages: Vec::new(),
        }
    }

    /// Starts a new page unless `needed` px still fit on this one.
    fn room(&mut self, needed: f64) {
        if self.y + needed > self.height - 8.0 && !self.body.is_empty() {
            self.pages.push(std::mem::take(&mut self.body));
            self.height = self.full_height;
            self.y = 24.0;
        }
    }

    fn line(&mut self, x: f64, size: f64, weight: &str, anchor: &str, content: &str) {
        let _ = writeln!(
            self.body,
            r##"<text x="{x:.1}" y="{:.1}" font-size="{size:.1}" font-weight="{weight}" text-anchor="{anchor}" fill="#1a1a1a">{}</text>"##,
            self.y,
            esc(&clean(content))
        );
    }

    /// A heading of `size` px (bold), with space above.
    pub fn heading(&mut self, text: &str, size: f64) {
        let lines = wrap(text, self.width / 1.1, size);
        self.room(size * 1.4 * lines.len() as f64 + 2.0 * LINE);
        self.y += size * 0.6;
        for line in lines {
            self.y += size * 1.25;
            self.line(0.0, size, "bold", "start", &line);
        }
        self.y += size * 0.5;
    }

    /// A paragraph of `size` px, wrapped to the page's width.
    pub fn paragraph(&mut self, text: &str, size: f64) {
        self.list_item(text, size);
        self.y += size * 0.4;
    }

    /// An item of a list: a paragraph without the space after it, so a long list stays compact.
    pub fn list_item(&mut self, text: &str, size: f64) {
        for line in wrap(text, self.width, size) {
            self.room(size * 1.35);
            self.y += size * 1.35;
            self.line(0.0, size, "normal", "start", &line);
        }
    }

    /// A table: a bold heading row and a thin rule, then one line per row (cells shortened
    /// with … to their column). The heading repeats on a new page.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let xs: Vec<(f64, f64)> = columns
            .iter()
            .scan(0.0, |x, c| {
                let w = c.share * self.width;
                let start = *x;
                *x += w;
                Some((start, w))
            })
            .collect();
        let header = |sheet: &mut Sheet| {
            sheet.y += LINE;
            for (c, (x, w)) in columns.iter().zip(&xs) {
                let title = fit_line(c.title, (w - 14.0) / 1.1, BODY * 0.95);
                let (x, anchor) = if c.right {
                    (x + w - 4.0, "end")
                } else {
                    (*x, "start")
                };
                sheet.line(x, BODY * 0.95, "bold", anchor, &title);
            }
            let _ = writeln!(
                sheet.body,
                r##"<path d="M0 {:.1}H{:.1}" stroke="#777777" stroke-width="0.6"/>"##,
                sheet.y + 4.0,
                sheet.width
            );
            sheet.y += 4.0;
        };
        self.room(3.0 * LINE);
        header(self);
        for row in rows {
            if self.y + LINE > self.height - 8.0 {
                self.room(f64::INFINITY);
                header(self);
            }
            self.y += LINE;
            for ((c, (x, w)), cell) in columns.iter().zip(&xs).zip(row) {
                let cell = fit_line(cell, w - 6.0, BODY);
                let (x, anchor) = if c.right {
                    (x + w - 4.0, "end")
                } else {
                    (*x, "start")
                };
                self.line(x, BODY, "normal", anchor, &cell);
            }
        }
        self.y += LINE * 0.6;
    }

    /// The pages as SVG documents; the first is `first_height` px high, the others `height`.
    pub fn finish(mut self) -> Vec<String> {
        if !self.body.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.body));
        }
        let w = self.width;
        let first = self.pages.len().min(1);
        let heights = std::iter::repeat_n(self.first_height, first)
            .chain(std::iter::repeat(self.full_height));
        self.pages
            .into_iter()
            .zip(heights)
            .map(|(body, h)| {
                format!(
                    r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}, sans-serif">
{body}</svg>
"##
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tables_flow_onto_more_pages_with_their_heading() {
        let mut sheet = Sheet::new(700, 400, 300, 20.0);
        sheet.heading("Einrichtungen", 16.0);
        let columns = [
            Column {
                title: "Name",
                share: 0.7,
                right: false,
            },
            Column {
                title: "Anzahl",
                share: 0.3,
                right: true,
            },
        ];
        let rows: Vec<Vec<String>> = (0..60)
            .map(|i| vec![format!("Ort {i}"), i.to_string()])
            .collect();
        sheet.table(&columns, &rows);
        let pages = sheet.finish();
        assert!(pages.len() >= 3, "{}", pages.len());
        assert!(pages.iter().all(|p| p.contains(">Anzahl</text>")));
        assert!(pages.last().unwrap().contains(">Ort 59</text>"));
    }
}
