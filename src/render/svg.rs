//! The SVG document of an export: one `<path>` per region (class `region`, id = AGS), parent
//! borders, focus outline, site symbols, title, legend, scale bar, north arrow, attribution.

use std::fmt::Write as _;

use crate::numfmt::format_count;
use crate::render::{ExportJob, FONT_FAMILY, Layout};
use crate::scene::{Rgba, Shape, scale_bar, site_symbol};

fn hex(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Escapes text for XML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Points closer than this to the previous one are left out of a path: they are invisible at the
/// export's resolution and only cost parsing and rasterising time.
const MIN_STEP_PX: f64 = 0.4;

/// Appends the path data of a multipolygon in pixels (0.1 px precision).
fn path_data(out: &mut String, layout: &Layout, geometry: &geo::MultiPolygon<f64>) {
    for polygon in geometry {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut last: Option<(f64, f64)> = None;
            for c in ring.coords() {
                let (x, y) = layout.px(c.x, c.y);
                if let Some((lx, ly)) = last
                    && (x - lx).hypot(y - ly) < MIN_STEP_PX
                {
                    continue;
                }
                let command = if last.is_none() { 'M' } else { 'L' };
                let _ = write!(out, "{command}{:.1} {:.1}", x, y);
                last = Some((x, y));
            }
            out.push('Z');
        }
    }
}

/// Wraps text into lines of about `chars` characters.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + word.chars().count() + 1 > chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn text(out: &mut String, x: f64, y: f64, size: f64, weight: &str, anchor: &str, content: &str) {
    let _ = writeln!(
        out,
        r##"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" text-anchor="{anchor}" fill="#1a1a1a">{}</text>"##,
        esc(content)
    );
}

fn symbol(out: &mut String, x: f64, y: f64, r: f64, shape: Shape, fill: Rgba) {
    let fill = hex(fill);
    let stroke = r##"stroke="#ffffff" stroke-width="1""##;
    let _ = match shape {
        Shape::Circle => writeln!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" {stroke}/>"##
        ),
        Shape::Square => writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" {stroke}/>"##,
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        Shape::Triangle => writeln!(
            out,
            r##"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{fill}" {stroke}/>"##,
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        Shape::Diamond => writeln!(
            out,
            r##"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="{fill}" {stroke}/>"##,
            y - r * 1.3,
            x + r * 1.3,
            y + r * 1.3,
            x - r * 1.3
        ),
    };
}

/// The whole document.
pub fn document(job: &ExportJob) -> String {
    let layout = job.layout();
    let (w, h) = (job.width as f64, job.height as f64);
    let scale = (w.min(h) / 1000.0).max(0.6);
    let style = &job.scene.style;
    let mut out = String::with_capacity(2_000_000);
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{FONT_FAMILY}, sans-serif">"##,
        job.width, job.height, job.width, job.height
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let [mx, my, mw, mh] = layout.map;
    let _ = writeln!(
        out,
        r##"<clipPath id="map"><rect x="{mx}" y="{my}" width="{mw}" height="{mh}"/></clipPath>"##
    );
    let _ = writeln!(
        out,
        r##"<rect x="{mx}" y="{my}" width="{mw}" height="{mh}" fill="{}"/>"##,
        hex(style.background)
    );
    out.push_str(r##"<g clip-path="url(#map)">"##);
    out.push('\n');
    regions(&mut out, job, &layout, scale);
    sites(&mut out, job, &layout, scale);
    out.push_str("</g>\n");
    furniture(&mut out, job, &layout, scale);
    out.push_str("</svg>\n");
    out
}

fn regions(out: &mut String, job: &ExportJob, layout: &Layout, scale: f64) {
    let style = &job.scene.style;
    let atlas = job.atlas;
    out.push_str(r##"<g id="regions" stroke-linejoin="bevel">"##);
    out.push('\n');
    for (region, fill) in atlas.regions(job.scene.level).iter().zip(&job.scene.fills) {
        let _ = write!(
            out,
            r##"<path class="region" id="r{}" fill="{}" stroke="{}" stroke-width="{:.2}" fill-rule="evenodd" d=""##,
            region.ags,
            hex(*fill),
            hex(style.outline),
            style.outline_px as f64 * scale
        );
        path_data(out, layout, &region.geometry);
        out.push_str("\"/>\n");
    }
    out.push_str("</g>\n");
    if let Some(parent) = job.scene.parent_level {
        let _ = write!(
            out,
            r##"<path id="parent-borders" fill="none" stroke="{}" stroke-width="{:.2}" d=""##,
            hex(style.parent_outline),
            style.parent_outline_px as f64 * scale
        );
        for region in atlas.regions(parent) {
            path_data(out, layout, &region.geometry);
        }
        out.push_str("\"/>\n");
    }
    if let Some(region) = job.focus.as_ref().and_then(|a| atlas.get(a)) {
        let _ = write!(
            out,
            r##"<path id="focus" fill="none" stroke="{}" stroke-width="{:.2}" d=""##,
            hex(style.selection),
            3.0 * scale
        );
        path_data(out, layout, &region.geometry);
        out.push_str("\"/>\n");
    }
}

fn sites(out: &mut String, job: &ExportJob, layout: &Layout, scale: f64) {
    let mut groups: std::collections::BTreeMap<(i64, i64), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, site) in job.sites.sites.iter().enumerate() {
        if job.site_types.contains(&site.site_type) {
            groups
                .entry((site.x.round() as i64, site.y.round() as i64))
                .or_default()
                .push(i);
        }
    }
    let r = 5.0 * scale;
    out.push_str("<g id=\"sites\">\n");
    for members in groups.values() {
        let first = &job.sites.sites[members[0]];
        let (ax, ay) = layout.px(first.x, first.y);
        let ring = if members.len() > 1 {
            r * 1.7 + members.len() as f64 * scale
        } else {
            0.0
        };
        for (k, &i) in members.iter().enumerate() {
            let angle = std::f64::consts::TAU * k as f64 / members.len() as f64
                - std::f64::consts::FRAC_PI_2;
            let (x, y) = (ax + ring * angle.cos(), ay + ring * angle.sin());
            if ring > 0.0 {
                let _ = writeln!(
                    out,
                    r##"<line x1="{ax:.1}" y1="{ay:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#3c3c3c" stroke-width="{:.2}"/>"##,
                    0.8 * scale
                );
            }
            let (fill, shape) = site_symbol(&job.sites.sites[i].site_type);
            symbol(out, x, y, r, shape, fill);
        }
    }
    out.push_str("</g>\n");
}

fn furniture(out: &mut String, job: &ExportJob, layout: &Layout, scale: f64) {
    let lang = job.lang;
    let [mx, my, mw, mh] = layout.map;
    if let Some(title) = &job.scene.title {
        text(
            out,
            mx,
            my - 12.0 * scale,
            24.0 * scale,
            "bold",
            "start",
            title,
        );
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
    let (km, px) = scale_bar(layout.px_per_m, mw * 0.25);
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
    legend(out, job, layout, scale);
    // Attribution and export date under the map.
    let mut y = my + mh + 18.0 * scale;
    for line in wrap(&job.scene.attribution, (mw / (6.2 * scale)) as usize) {
        text(out, mx, y, 11.0 * scale, "normal", "start", &line);
        y += 14.0 * scale;
    }
    let exported = format!(
        "{} {} · Integrationsatlas NRW",
        lang.pick("Export:", "Exported:"),
        job.date
    );
    text(out, mx, y, 11.0 * scale, "normal", "start", &exported);
}

fn legend(out: &mut String, job: &ExportJob, layout: &Layout, scale: f64) {
    let lang = job.lang;
    let x = layout.legend_x;
    let width = job.width as f64 - x - 14.0;
    let chars = (width / (7.0 * scale)) as usize;
    let mut y = layout.map[1] + 10.0 * scale;
    if let Some(legend) = &job.scene.legend {
        for line in wrap(&legend.title, chars.saturating_sub(4)) {
            text(out, x, y, 17.0 * scale, "bold", "start", &line);
            y += 21.0 * scale;
        }
        if let Some(method) = &legend.method {
            text(out, x, y, 12.0 * scale, "normal", "start", method);
            y += 20.0 * scale;
        }
        for entry in legend.entries.iter().chain(legend.nodata.iter()) {
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
                &entry.label,
            );
            text(
                out,
                x + width,
                y,
                13.0 * scale,
                "normal",
                "end",
                &format!("({})", entry.count),
            );
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
        text(
            out,
            x,
            y,
            15.0 * scale,
            "bold",
            "start",
            lang.pick(
                "Einrichtungen (am Sitz der Kommune)",
                "Institutions (at the Kommune's seat)",
            ),
        );
        y += 22.0 * scale;
        for t in types {
            let (fill, shape) = site_symbol(&t);
            symbol(
                out,
                x + 10.0 * scale,
                y - 5.0 * scale,
                6.0 * scale,
                shape,
                fill,
            );
            let count = job.sites.of_type(&t).count();
            text(
                out,
                x + 28.0 * scale,
                y,
                13.0 * scale,
                "normal",
                "start",
                &format!(
                    "{} – {} ({})",
                    t.code(),
                    t.name_de(),
                    format_count(count as u64, lang)
                ),
            );
            y += 20.0 * scale;
        }
        y += 6.0 * scale;
    }
    if let Some(legend) = &job.scene.legend {
        let source = format!("{}: {}", lang.pick("Quelle", "Source"), legend.source);
        for paragraph in std::iter::once(&source).chain(legend.note.iter()) {
            for line in wrap(paragraph, chars + 6) {
                text(out, x, y, 10.5 * scale, "normal", "start", &line);
                y += 13.0 * scale;
            }
            y += 4.0 * scale;
        }
    }
}
