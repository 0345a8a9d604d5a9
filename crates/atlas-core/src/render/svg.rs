//! The SVG document of an export: one `<path>` per region (class `region`, id = AGS), parent
//! borders, focus outline, site symbols, region names (if shown), title, legend, scale bar, north arrow, attribution.
#![allow(
    clippy::cast_possible_truncation,
    reason = "pixel coordinates: map metres become f32 pixels, bounded by the picture's size"
)]

use std::fmt::Write as _;

use crate::cartography::palette::Rgba;
use crate::cartography::scene::scale_bar;
use crate::cartography::symbols::site_symbol;
use crate::numfmt::format_count;
use crate::render::map_layers::{MapLayers, Ring, SYMBOL_EDGE, Symbol};
use crate::render::text::{clean, fit, fit_line};
use crate::render::{ATTRIBUTION_PX, BOLD_WIDTH, ExportJob, FONT_FAMILY, Layout, TITLE_PX, wrap};

fn hex(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Escapes text for XML: the five special characters become entities; control characters
/// (which XML 1.0 cannot hold even as entities) must be gone already (see [`clean`]).
pub fn esc(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends the path data of lines, closing each if `closed` (0.1 px precision).
fn path_data(out: &mut String, lines: &[Ring], closed: bool) {
    for line in lines {
        for (i, [x, y]) in line.iter().enumerate() {
            let command = if i == 0 { 'M' } else { 'L' };
            let _ = write!(out, "{command}{x:.1} {y:.1}");
        }
        if closed {
            out.push('Z');
        }
    }
}

/// One line of text; whatever it holds is cleaned and escaped, so no text can break the XML.
fn text(out: &mut String, x: f64, y: f64, size: f64, weight: &str, anchor: &str, content: &str) {
    let _ = writeln!(
        out,
        r##"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" text-anchor="{anchor}" fill="#1a1a1a">{}</text>"##,
        esc(&clean(content))
    );
}

fn symbol(out: &mut String, symbol: &Symbol) {
    let fill = hex(symbol.fill);
    let stroke = format!(
        r##"stroke="{}" stroke-width="{}""##,
        hex(SYMBOL_EDGE.color),
        SYMBOL_EDGE.width
    );
    let Some(corners) = symbol.corners() else {
        let _ = writeln!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="{fill}" {stroke}/>"##,
            symbol.x, symbol.y, symbol.r
        );
        return;
    };
    out.push_str("<path d=\"");
    path_data(out, &[corners], true);
    let _ = writeln!(out, r##"" fill="{fill}" {stroke}/>"##);
}

fn header(out: &mut String, job: &ExportJob) {
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{FONT_FAMILY}, sans-serif">"##,
        job.width, job.height, job.width, job.height
    );
}

/// The whole document: white page, map layers clipped to the map frame, furniture.
pub fn document(job: &ExportJob) -> String {
    let layout = job.layout();
    let layers = MapLayers::new(job, &layout);
    let mut out = String::with_capacity(2_000_000);
    header(&mut out, job);
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    map(&mut out, &layers);
    furniture(&mut out, job, &layout);
    out.push_str("</svg>\n");
    out
}

/// A document holding only the furniture (title, legend, scale bar, north arrow, attribution)
/// on a transparent page: the PNG painter draws the map itself and lays this over it.
pub fn furniture_document(job: &ExportJob, layout: &Layout) -> String {
    let mut out = String::with_capacity(16_000);
    header(&mut out, job);
    furniture(&mut out, job, layout);
    out.push_str("</svg>\n");
    out
}

fn map(out: &mut String, layers: &MapLayers) {
    let [mx, my, mw, mh] = layers.frame;
    let _ = writeln!(
        out,
        r##"<clipPath id="map"><rect x="{mx}" y="{my}" width="{mw}" height="{mh}"/></clipPath>"##
    );
    let _ = writeln!(
        out,
        r##"<rect x="{mx}" y="{my}" width="{mw}" height="{mh}" fill="{}"/>"##,
        hex(layers.background)
    );
    out.push_str(r##"<g clip-path="url(#map)">"##);
    out.push('\n');
    regions(out, layers);
    for outline in &layers.outlines {
        let _ = write!(
            out,
            r##"<path id="{}" fill="none" stroke="{}" stroke-width="{:.2}" stroke-linejoin="bevel" d=""##,
            outline.id,
            hex(outline.pen.color),
            outline.pen.width
        );
        path_data(out, &outline.lines, outline.closed);
        out.push_str("\"/>\n");
    }
    sites(out, layers);
    out.push_str("</g>\n");
}

fn regions(out: &mut String, layers: &MapLayers) {
    out.push_str(r##"<g id="regions">"##);
    out.push('\n');
    for region in &layers.regions {
        let _ = write!(
            out,
            r##"<path class="region" id="r{}" fill="{}" fill-rule="evenodd" d=""##,
            esc(&clean(region.ags.as_str())),
            hex(region.fill),
        );
        path_data(out, &region.rings, true);
        out.push_str("\"/>\n");
    }
    out.push_str("</g>\n");
}

fn sites(out: &mut String, layers: &MapLayers) {
    out.push_str("<g id=\"sites\">\n");
    for leader in &layers.leaders {
        let ([x1, y1], [x2, y2]) = (leader.from, leader.to);
        let _ = writeln!(
            out,
            r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{:.2}"/>"##,
            hex(layers.leader_pen.color),
            layers.leader_pen.width
        );
    }
    for s in &layers.symbols {
        symbol(out, s);
    }
    out.push_str("</g>\n");
}

/// The placed region names: text with a white halo (a stroke painted under the fill). Nothing
/// at all is written when the scene shows no names.
fn labels(out: &mut String, job: &ExportJob, layout: &Layout) {
    let Some(layer) = &job.scene.labels else {
        return;
    };
    let placed = layer.place(&layout.screen_frame(), layout.scale);
    out.push_str("<g id=\"labels\">\n");
    for label in placed {
        let _ = writeln!(
            out,
            r##"<text class="label" x="{:.1}" y="{:.1}" font-size="{:.1}" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-opacity="0.9" stroke-width="{:.1}" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            label.x,
            label.baseline,
            label.size,
            2.0 * label.halo,
            esc(&label.text)
        );
    }
    out.push_str("</g>\n");
}

fn furniture(out: &mut String, job: &ExportJob, layout: &Layout) {
    labels(out, job, layout);
    let scale = layout.scale;
    let lang = job.lang;
    let [mx, my, mw, mh] = layout.map;
    let (title_size, title_line) = (TITLE_PX.0 * scale, TITLE_PX.1 * scale);
    let title_top = my - layout.title.len() as f64 * title_line;
    for (i, line) in layout.title.iter().enumerate() {
        let baseline = title_top + (i + 1) as f64 * title_line - 0.5 * title_size;
        text(out, mx, baseline, title_size, "bold", "start", line);
    }
    // North arrow, top right of the map.
    let (nx, ny) = (mx + mw - 30.0 * scale, my + 20.0 * scale);
    let _ = writeln!(
        out,
        r##"<path d="M{nx:.1} {ny:.1}L{:.1} {:.1}L{nx:.1} {:.1}L{:.1} {:.1}Z" fill="#1a1a1a"/>"##,
        nx + 10.0 * scale,
        ny + 32.0 * scale,
        ny + 25.0 * scale,
        nx - 10.0 * scale,
        ny + 32.0 * scale
    );
    text(
        out,
        nx,
        ny + 50.0 * scale,
        16.0 * scale,
        "bold",
        "middle",
        "N",
    );
    // Scale bar, bottom left of the map.
    let (km, px) = scale_bar(layout.px_per_m, mw.min(mh) * 0.3);
    let (sx, sy) = (mx + 16.0 * scale, my + mh - 18.0 * scale);
    let _ = writeln!(
        out,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.85"/>"##,
        sx - 8.0 * scale,
        sy - 26.0 * scale,
        px + 16.0 * scale,
        34.0 * scale
    );
    let _ = writeln!(
        out,
        r##"<path d="M{sx:.1} {:.1}V{sy:.1}H{:.1}V{:.1}" fill="none" stroke="#1a1a1a" stroke-width="{:.1}"/>"##,
        sy - 6.0 * scale,
        sx + px,
        sy - 6.0 * scale,
        2.0 * scale
    );
    let label = if km >= 1.0 {
        format!("{km} km")
    } else {
        format!("{} m", km * 1000.0)
    };
    text(
        out,
        sx + px / 2.0,
        sy - 10.0 * scale,
        13.0 * scale,
        "normal",
        "middle",
        &label,
    );
    legend(out, job, layout);
    // Attribution and export date under the map.
    let (size, line_height) = (ATTRIBUTION_PX.0 * scale, ATTRIBUTION_PX.1 * scale);
    let mut y = my + mh + 4.0 * scale + line_height;
    for line in &layout.attribution {
        text(out, mx, y, size, "normal", "start", line);
        y += line_height;
    }
    let exported = format!(
        "{} {} · Integrationsatlas NRW",
        lang.pick("Export:", "Exported:"),
        job.date
    );
    text(out, mx, y, size, "normal", "start", &exported);
}

fn legend(out: &mut String, job: &ExportJob, layout: &Layout) {
    let scale = layout.scale;
    let lang = job.lang;
    let x = layout.legend_x;
    let width = job.width as f64 - x - 14.0;
    let mut y = layout.map[1] + 10.0 * scale;
    if let Some(legend) = &job.scene.legend {
        let title_size = 17.0 * scale;
        for line in fit(&legend.title, width / BOLD_WIDTH, title_size, 3).lines {
            text(out, x, y, title_size, "bold", "start", &line);
            y += 21.0 * scale;
        }
        if let Some(method) = &legend.method {
            let method = fit_line(method, width, 12.0 * scale);
            text(out, x, y, 12.0 * scale, "normal", "start", &method);
            y += 20.0 * scale;
        }
        for entry in legend.entries.iter().chain(legend.nodata.iter()) {
            let count = format!("({})", entry.count);
            let room = width
                - 34.0 * scale
                - crate::render::font::text_width(&count, 13.0 * scale)
                - 8.0 * scale;
            let label = fit_line(&entry.label, room, 14.0 * scale);
            let _ = writeln!(
                out,
                r##"<rect class="legend-swatch" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="#777777" stroke-width="0.5"/>"##,
                y - 13.0 * scale,
                26.0 * scale,
                16.0 * scale,
                hex(entry.color)
            );
            text(
                out,
                x + 34.0 * scale,
                y,
                14.0 * scale,
                "normal",
                "start",
                &label,
            );
            text(out, x + width, y, 13.0 * scale, "normal", "end", &count);
            y += 22.0 * scale;
        }
        y += 6.0 * scale;
    }
    let types: Vec<_> = job
        .sites
        .types()
        .into_iter()
        .filter(|t| job.site_types.contains(t))
        .collect();
    if !types.is_empty() {
        let heading = lang.pick(
            "Einrichtungen (am Sitz der Kommune)",
            "Institutions (at the Kommune's seat)",
        );
        for line in wrap(heading, width / BOLD_WIDTH, 15.0 * scale) {
            text(out, x, y, 15.0 * scale, "bold", "start", &line);
            y += 20.0 * scale;
        }
        y += 2.0 * scale;
        for t in types {
            let (fill, shape) = site_symbol(&t);
            let swatch = Symbol {
                x: (x + 10.0 * scale) as f32,
                y: (y - 5.0 * scale) as f32,
                r: (6.0 * scale) as f32,
                shape,
                fill,
            };
            symbol(out, &swatch);
            let count = job.sites.of_type(&t).count();
            let label = format!(
                "{} – {} ({})",
                t.code(),
                t.name(lang),
                format_count(count as u64, lang)
            );
            for line in wrap(&label, width - 28.0 * scale, 13.0 * scale) {
                text(
                    out,
                    x + 28.0 * scale,
                    y,
                    13.0 * scale,
                    "normal",
                    "start",
                    &line,
                );
                y += 16.0 * scale;
            }
            y += 4.0 * scale;
        }
        y += 6.0 * scale;
    }
    if let Some(legend) = &job.scene.legend {
        let source = format!("{}: {}", lang.pick("Quelle", "Source"), legend.source);
        for paragraph in std::iter::once(&source).chain(legend.note.iter()) {
            for line in wrap(paragraph, width, 10.5 * scale) {
                text(out, x, y, 10.5 * scale, "normal", "start", &line);
                y += 13.0 * scale;
            }
            y += 4.0 * scale;
        }
    }
}
