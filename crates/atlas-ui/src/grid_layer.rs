//! The population-grid layer: the Zensus 2011 1 km cells coloured by the distance to the nearest
//! site of a type, by beyond/within S, by catchment (with outlines) or by the 2SFCA supply ratio;
//! its legend and the hover card of a cell (inhabitants, foreign residents, distance, nearest
//! site, Gemeinde). The grid is read and the analysis runs on a worker thread; the cells become a
//! mesh once per result and zoom, which panning only shifts (as [`crate::mesh_cache`] does).
#![allow(
    clippy::cast_possible_truncation,
    reason = "egui draws in f32 points; mesh indices are u32 and bounded by the grid"
)]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use eframe::egui::{self, Color32, Mesh, Pos2, Rect, Stroke, Vec2};
use eframe::epaint::{PathShape, TessellationOptions, Tessellator};

use crate::map_view::MapView;
use atlas_core::analysis::access::{AccessSpec, Decay, two_step};
use atlas_core::analysis::catchments::{catchments, outlines};
use atlas_core::analysis::grid_coverage::nearest_sites;
use atlas_core::data::zensus::{PopulationGrid, bundled_grid_path, load_population_grid};
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::{Atlas, Level};
use atlas_core::numfmt::{format_count, format_number};
use atlas_core::sites::{SiteSet, SiteType};

/// What the cells are coloured by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GridMode {
    /// Distance to the nearest site, in classes.
    #[default]
    Distance,
    /// Beyond S (distance > S) or within.
    Beyond,
    /// The catchment of the nearest site.
    Catchment,
    /// 2SFCA: sites per 100,000 inhabitants within S.
    Access,
}

impl GridMode {
    const ALL: [GridMode; 4] = [
        GridMode::Distance,
        GridMode::Beyond,
        GridMode::Catchment,
        GridMode::Access,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            GridMode::Distance => lang.pick("Entfernung", "Distance"),
            GridMode::Beyond => lang.pick("jenseits von S", "beyond S"),
            GridMode::Catchment => lang.pick("Einzugsbereich", "Catchment"),
            GridMode::Access => lang.pick("2SFCA-Versorgung", "2SFCA supply"),
        }
    }
}

/// The grid read once, with the corners of its cells in EPSG:25832.
type LoadedGrid = (Arc<PopulationGrid>, Arc<Vec<[[f64; 2]; 4]>>);

/// What a result was computed for.
#[derive(Clone, Debug, PartialEq)]
struct Inputs {
    mode: GridMode,
    site_type: SiteType,
    threshold_km: f64,
    sites: usize,
    lang: Lang,
}

/// One legend row.
#[derive(Clone, Debug)]
struct LegendRow {
    color: Color32,
    label: String,
}

/// A finished computation: per cell its colour and hover facts, the outlines, the legend.
struct Computed {
    inputs: Inputs,
    grid: Arc<PopulationGrid>,
    /// The four corners of every cell, EPSG:25832.
    corners: Arc<Vec<[[f64; 2]; 4]>>,
    colors: Vec<Color32>,
    km: Vec<f64>,
    nearest_name: Vec<String>,
    access: Option<Vec<f64>>,
    outlines: Vec<Vec<[f64; 2]>>,
    legend: Vec<LegendRow>,
    title: String,
    method: String,
    lookup: HashMap<(i64, i64), Vec<usize>>,
}

/// The layer's state in the window.
#[derive(Default)]
pub struct GridLayer {
    /// Shown on the map.
    pub enabled: bool,
    /// What the cells are coloured by.
    pub mode: GridMode,
    /// The site type measured to.
    pub site_type: Option<SiteType>,
    /// The threshold S (and the 2SFCA catchment d₀), km.
    pub threshold_km: f64,
    /// The last error (grid file missing, …).
    pub error: Option<String>,
    grid: Option<LoadedGrid>,
    computed: Option<Computed>,
    failed: Option<Inputs>,
    running: Option<(Inputs, Receiver<Result<Computed, String>>)>,
    cache: GridMeshCache,
}

/// The gap of Gemeinden is drawn under the cells this transparent.
const CELL_ALPHA: u8 = 200;

impl GridLayer {
    /// A hidden layer for ABH at 15 km.
    pub fn new() -> GridLayer {
        GridLayer {
            threshold_km: 15.0,
            site_type: Some(SiteType::Abh),
            ..GridLayer::default()
        }
    }

    fn inputs(&self, sites: &SiteSet, lang: Lang) -> Option<Inputs> {
        Some(Inputs {
            mode: self.mode,
            site_type: self.site_type.clone()?,
            threshold_km: self.threshold_km,
            sites: sites.sites.len(),
            lang,
        })
    }

    /// Starts a computation when the inputs changed, takes over a finished one.
    pub fn update(&mut self, ctx: &egui::Context, atlas: &Arc<Atlas>, sites: &SiteSet, lang: Lang) {
        if let Some((_, receiver)) = &self.running {
            match receiver.try_recv() {
                Ok(Ok(done)) => {
                    self.grid = Some((Arc::clone(&done.grid), Arc::clone(&done.corners)));
                    self.computed = Some(done);
                    self.cache = GridMeshCache::default();
                    self.running = None;
                    self.error = None;
                }
                Ok(Err(message)) => {
                    self.error = Some(message);
                    self.failed = self.running.take().map(|(inputs, _)| inputs);
                }
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
                Err(TryRecvError::Disconnected) => self.running = None,
            }
        }
        if !self.enabled {
            return;
        }
        let Some(inputs) = self.inputs(sites, lang) else {
            return;
        };
        let current = self.computed.as_ref().map(|c| &c.inputs);
        let pending = self.running.as_ref().map(|(i, _)| i);
        if current == Some(&inputs) || pending.is_some() || self.failed.as_ref() == Some(&inputs) {
            return;
        }
        let (sender, receiver) = channel();
        let (atlas, sites, cached) = (Arc::clone(atlas), sites.clone(), self.grid.clone());
        let job = inputs.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = sender.send(compute(&atlas, &sites, cached, job));
            ctx.request_repaint();
        });
        self.running = Some((inputs, receiver));
    }

    /// The title of the result shown ("Entfernung · ABH · S = 15,0 km"), once computed.
    pub fn title(&self) -> Option<&str> {
        self.computed.as_ref().map(|c| c.title.as_str())
    }

    /// Whether a computation is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The controls: on/off, mode, type, S; the legend below them.
    pub fn controls_ui(&mut self, ui: &mut egui::Ui, sites: &SiteSet, lang: Lang) {
        ui.label(
            egui::RichText::new(lang.pick(
                "Bevölkerungsraster (Zensus 2011, 1 km)",
                "Population grid (Zensus 2011, 1 km)",
            ))
            .strong(),
        );
        let before = (
            self.enabled,
            self.mode,
            self.site_type.clone(),
            self.threshold_km,
        );
        ui.checkbox(&mut self.enabled, lang.pick("Raster zeigen", "Show grid"));
        if !self.enabled {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            for mode in GridMode::ALL {
                ui.radio_value(&mut self.mode, mode, mode.label(lang));
            }
        });
        ui.horizontal(|ui| {
            let type_label = ui.label(lang.pick("Typ", "Type"));
            egui::ComboBox::from_id_salt("grid_site_type")
                .selected_text(self.site_type.as_ref().map_or("–", |t| t.code()).to_owned())
                .show_ui(ui, |ui| {
                    for t in sites.types() {
                        let label = format!("{} – {}", t.code(), t.name(lang));
                        ui.selectable_value(&mut self.site_type, Some(t.clone()), label);
                    }
                })
                .response
                .labelled_by(type_label.id);
            let s_label = ui.label("S");
            ui.add(
                egui::DragValue::new(&mut self.threshold_km)
                    .range(1.0..=100.0)
                    .speed(0.5)
                    .suffix(" km"),
            )
            .labelled_by(s_label.id);
        });
        if before
            != (
                self.enabled,
                self.mode,
                self.site_type.clone(),
                self.threshold_km,
            )
        {
            self.error = None;
        }
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(lang.pick("Raster wird berechnet …", "Computing the grid …"));
            });
        }
        if let Some(error) = &self.error {
            ui.colored_label(Color32::from_rgb(170, 30, 30), error);
        }
        if let Some(done) = &self.computed {
            legend_ui(ui, done, lang);
        }
    }

    /// Adds the grid's attribution to the map's line while the layer is shown.
    pub fn attribute(&self, line: &mut String, lang: Lang) {
        if self.enabled && self.computed.is_some() {
            line.push_str(atlas_core::attribution::SEPARATOR);
            line.push_str(atlas_core::attribution::zensus_grid().get(lang));
        }
    }

    /// Paints the cells (and catchment outlines) under the site symbols.
    pub fn paint(&mut self, painter: &egui::Painter, view: &MapView, canvas: Rect) {
        if !self.enabled {
            return;
        }
        let Some(done) = &self.computed else { return };
        let ppp = painter.ctx().pixels_per_point();
        let (fill, lines) = self.cache.meshes(done, view, canvas, ppp);
        painter.add(egui::Shape::Mesh(fill));
        painter.add(egui::Shape::Mesh(lines));
    }

    /// The hover card of the cell under `map` (EPSG:25832), if the layer shows one there.
    pub fn hover_ui(
        &self,
        response: &egui::Response,
        atlas: &Atlas,
        map: [f64; 2],
        lang: Lang,
    ) -> bool {
        if !self.enabled {
            return false;
        }
        let Some(done) = &self.computed else {
            return false;
        };
        let Some(i) = cell_at(done, map) else {
            return false;
        };
        let cell = &done.grid.cells[i];
        let gemeinde = &atlas.regions(Level::Gemeinde)[cell.gemeinde];
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.label(egui::RichText::new(lang.pick("Rasterzelle 1 km", "Grid cell 1 km")).strong());
            egui::Grid::new("grid_cell_card")
                .num_columns(2)
                .show(ui, |ui| {
                    let mut row = |k: &str, v: String| {
                        ui.label(k);
                        ui.label(v);
                        ui.end_row();
                    };
                    let inhabitants = if cell.withheld {
                        lang.pick("geheim gehalten (≈ 2)", "withheld (≈ 2)")
                            .to_owned()
                    } else {
                        format_count(u64::from(cell.einwohner), lang)
                    };
                    row(
                        lang.pick("Einwohner (2011)", "Inhabitants (2011)"),
                        inhabitants,
                    );
                    let foreign = cell.auslaender.map_or_else(
                        || lang.pick("unbekannt", "unknown").to_owned(),
                        |a| format_number(a, 0, lang),
                    );
                    row(lang.pick("Ausländer", "Foreign residents"), foreign);
                    row(
                        lang.pick("Entfernung", "Distance"),
                        format!("{} km", format_number(done.km[i], 1, lang)),
                    );
                    row(
                        lang.pick("Nächster Standort", "Nearest site"),
                        done.nearest_name[i].clone(),
                    );
                    if let Some(access) = &done.access {
                        row(
                            lang.pick("2SFCA je 100.000 EW", "2SFCA per 100,000"),
                            format_number(access[i] * 100_000.0, 2, lang),
                        );
                    }
                    row("Gemeinde", gemeinde.name.clone());
                });
            ui.label(
                egui::RichText::new(atlas_core::attribution::zensus_grid().get(lang)).size(9.5),
            );
        });
        true
    }
}

/// The cell holding a map point: the cell whose centre is nearest, if the point lies in its square.
fn cell_at(done: &Computed, map: [f64; 2]) -> Option<usize> {
    // Cells are ~1 km squares, turned slightly: the nearest centre within 0.75 km, then the
    // point-in-quad test.
    let index = &done.lookup;
    let key = (
        (map[0] / 1000.0).floor() as i64,
        (map[1] / 1000.0).floor() as i64,
    );
    let mut best: Option<(usize, f64)> = None;
    for dx in -1..=1 {
        for dy in -1..=1 {
            if let Some(list) = index.get(&(key.0 + dx, key.1 + dy)) {
                for &i in list {
                    let c = &done.grid.cells[i];
                    let d = (c.x - map[0]).hypot(c.y - map[1]);
                    if best.is_none_or(|(_, b)| d < b) {
                        best = Some((i, d));
                    }
                }
            }
        }
    }
    let (i, _) = best?;
    inside_quad(&done.corners[i], map).then_some(i)
}

/// Whether `p` lies in the convex quad (counter-clockwise corners).
fn inside_quad(q: &[[f64; 2]; 4], p: [f64; 2]) -> bool {
    (0..4).all(|k| {
        let a = q[k];
        let b = q[(k + 1) % 4];
        (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0.0
    })
}

/// ColorBrewer YlOrRd, 6 classes: the distance classes.
const DISTANCE_COLORS: [[u8; 3]; 6] = [
    [255, 255, 178],
    [254, 217, 118],
    [254, 178, 76],
    [253, 141, 60],
    [240, 59, 32],
    [189, 0, 38],
];
/// Upper bounds of the distance classes, km (the last class is open).
const DISTANCE_BREAKS: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];
/// ColorBrewer Set3, 12 classes: the catchments (neighbours may share a colour; the outlines part them).
const CATCHMENT_COLORS: [[u8; 3]; 12] = [
    [141, 211, 199],
    [255, 255, 179],
    [190, 186, 218],
    [251, 128, 114],
    [128, 177, 211],
    [253, 180, 98],
    [179, 222, 105],
    [252, 205, 229],
    [217, 217, 217],
    [188, 128, 189],
    [204, 235, 197],
    [255, 237, 111],
];
/// ColorBrewer YlGnBu, 5 classes: the 2SFCA quintiles.
const ACCESS_COLORS: [[u8; 3]; 5] = [
    [255, 255, 204],
    [161, 218, 180],
    [65, 182, 196],
    [44, 127, 184],
    [37, 52, 148],
];

fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], CELL_ALPHA)
}

/// Reads the grid (once) and computes the colours and facts for `inputs`.
fn compute(
    atlas: &Atlas,
    sites: &SiteSet,
    cached: Option<LoadedGrid>,
    inputs: Inputs,
) -> Result<Computed, String> {
    let lang = inputs.lang;
    let (grid, corners) = match cached {
        Some(pair) => pair,
        None => {
            let path = bundled_grid_path(&atlas.provenance.data_dir);
            let grid = load_population_grid(&path, atlas).map_err(|e| e.localized(lang))?;
            let corners = grid.all_corners();
            (Arc::new(grid), Arc::new(corners))
        }
    };
    let t = &inputs.site_type;
    let s = inputs.threshold_km;
    let distances = nearest_sites(&grid, sites, t).map_err(|e| e.to_string())?;
    let nearest_name = distances
        .site
        .iter()
        .map(|&j| {
            sites
                .sites
                .get(j)
                .map_or_else(String::new, |s| s.name.clone())
        })
        .collect();
    let km_text = |v: f64| format_number(v, 0, lang);
    let mut access = None;
    let mut outline_rings = Vec::new();
    let (colors, legend, method): (Vec<Color32>, Vec<LegendRow>, String) = match inputs.mode {
        GridMode::Distance => {
            let class = |d: f64| DISTANCE_BREAKS.iter().filter(|&&b| d > b).count();
            let colors = distances
                .km
                .iter()
                .map(|&d| rgb(DISTANCE_COLORS[class(d)]))
                .collect();
            let mut legend = Vec::new();
            let mut lower = 0.0;
            for (k, c) in DISTANCE_COLORS.iter().enumerate() {
                let label = match DISTANCE_BREAKS.get(k) {
                    Some(&upper) => format!("{} – {} km", km_text(lower), km_text(upper)),
                    None => format!("> {} km", km_text(lower)),
                };
                legend.push(LegendRow {
                    color: rgb(*c),
                    label,
                });
                lower = DISTANCE_BREAKS.get(k).copied().unwrap_or(lower);
            }
            let method = lang
                .pick(
                    "Luftlinie von der Zellmitte zum nächsten Standort",
                    "Straight line from the cell centre to the nearest site",
                )
                .to_owned();
            (colors, legend, method)
        }
        GridMode::Beyond => {
            let (within, beyond) = (rgb([171, 217, 233]), rgb([215, 25, 28]));
            let colors = distances
                .km
                .iter()
                .map(|&d| if d > s { beyond } else { within })
                .collect();
            let legend = vec![
                LegendRow {
                    color: within,
                    label: format!("≤ {} km", format_number(s, 1, lang)),
                },
                LegendRow {
                    color: beyond,
                    label: format!("> {} km", format_number(s, 1, lang)),
                },
            ];
            let method = lang
                .pick(
                    "jenseits: Zellmitte weiter als S vom nächsten Standort",
                    "beyond: cell centre farther than S from the nearest site",
                )
                .to_owned();
            (colors, legend, method)
        }
        GridMode::Catchment => {
            let list = catchments(&grid, &distances, sites);
            let mut group = vec![None; grid.cells.len()];
            let mut colors = vec![Color32::TRANSPARENT; grid.cells.len()];
            for (g, c) in list.iter().enumerate() {
                let color = rgb(CATCHMENT_COLORS[c.site % CATCHMENT_COLORS.len()]);
                for &i in &c.cells {
                    group[i] = Some(g);
                    colors[i] = color;
                }
            }
            outline_rings = outlines(&grid, &group, list.len())
                .into_iter()
                .flatten()
                .collect();
            let legend = list
                .iter()
                .take(8)
                .map(|c| LegendRow {
                    color: rgb(CATCHMENT_COLORS[c.site % CATCHMENT_COLORS.len()]),
                    label: format!("{}: {} EW", c.name, format_count(c.einwohner, lang)),
                })
                .collect();
            let method = lang
                .pick(
                    "jede Zelle beim nächsten Standort; die größten Einzugsbereiche",
                    "every cell with its nearest site; the largest catchments",
                )
                .to_owned();
            (colors, legend, method)
        }
        GridMode::Access => {
            let spec = AccessSpec {
                site_type: t.clone(),
                catchment_km: s,
                decay: Decay::None,
            };
            let result = two_step(&grid, sites, &spec, &|_| 1.0).map_err(|e| e.to_string())?;
            let mut values: Vec<f64> = result
                .per_cell
                .iter()
                .copied()
                .filter(|v| *v > 0.0)
                .collect();
            values.sort_by(f64::total_cmp);
            let breaks: Vec<f64> = (1..5)
                .map(|k| values.get(values.len() * k / 5).copied().unwrap_or(0.0))
                .collect();
            let none = Color32::from_rgba_unmultiplied(150, 150, 150, CELL_ALPHA);
            let colors = result
                .per_cell
                .iter()
                .map(|&v| {
                    if v > 0.0 {
                        rgb(ACCESS_COLORS[breaks.iter().filter(|&&b| v >= b).count()])
                    } else {
                        none
                    }
                })
                .collect();
            let mut legend = vec![LegendRow {
                color: none,
                label: lang
                    .pick("kein Standort in S", "no site within S")
                    .to_owned(),
            }];
            let per = |v: f64| format_number(v * 100_000.0, 2, lang);
            let mut lower = values.first().copied().unwrap_or(0.0);
            for (k, c) in ACCESS_COLORS.iter().enumerate() {
                let upper = breaks
                    .get(k)
                    .copied()
                    .or(values.last().copied())
                    .unwrap_or(0.0);
                legend.push(LegendRow {
                    color: rgb(*c),
                    label: format!("{} – {}", per(lower), per(upper)),
                });
                lower = upper;
            }
            access = Some(result.per_cell);
            let method = lang.pick(
                "2SFCA: Standorte je 100.000 EW in Reichweite S, Konkurrenz gezählt (Quintile)",
                "2SFCA: sites per 100,000 inhabitants within S, competition counted (quintiles)",
            ).to_owned();
            (colors, legend, method)
        }
    };
    let mut lookup: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, c) in grid.cells.iter().enumerate() {
        lookup
            .entry(((c.x / 1000.0).floor() as i64, (c.y / 1000.0).floor() as i64))
            .or_default()
            .push(i);
    }
    let title = format!(
        "{} · {} · S = {} km",
        inputs.mode.label(lang),
        t.code(),
        format_number(s, 1, lang)
    );
    Ok(Computed {
        inputs,
        grid,
        corners,
        colors,
        km: distances.km,
        nearest_name,
        access,
        outlines: outline_rings,
        legend,
        title,
        method,
        lookup,
    })
}

/// The legend of the computed layer, with the grid's attribution.
fn legend_ui(ui: &mut egui::Ui, done: &Computed, lang: Lang) {
    ui.label(egui::RichText::new(&done.title).strong());
    ui.label(egui::RichText::new(&done.method).size(10.5));
    egui::Grid::new("grid_legend")
        .num_columns(2)
        .spacing([8.0, 3.0])
        .show(ui, |ui| {
            for row in &done.legend {
                let (rect, _) = ui.allocate_exact_size(Vec2::new(22.0, 14.0), egui::Sense::hover());
                ui.painter().rect_filled(rect, 0.0, row.color);
                ui.label(&row.label);
                ui.end_row();
            }
        });
    let withheld = done.grid.withheld_cells;
    ui.label(
        egui::RichText::new(format!(
            "{} {}",
            format_count(done.grid.cells.len() as u64, lang),
            lang.pick(
                &format!("Zellen mit Mitte in NRW; {withheld} geheim gehaltene zählen 0 EW."),
                &format!("cells with their centre in NRW; {withheld} withheld cells count 0."),
            )
        ))
        .size(9.5),
    );
    ui.label(egui::RichText::new(atlas_core::attribution::zensus_grid().get(lang)).size(9.5));
}

/// What the screen meshes were built for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct MeshKey {
    pt_per_m: f64,
    pixels_per_point: f32,
}

/// The cells and outlines scaled once per result and zoom, shifted on pan.
#[derive(Default)]
struct GridMeshCache {
    key: Option<MeshKey>,
    panned: crate::mesh_cache::PannedMeshes,
}

/// The local origin of the meshes (north-west of NRW), EPSG:25832.
const ORIGIN: [f64; 2] = [280_000.0, 5_830_000.0];

impl GridMeshCache {
    fn meshes(
        &mut self,
        done: &Computed,
        view: &MapView,
        canvas: Rect,
        ppp: f32,
    ) -> (Arc<Mesh>, Arc<Mesh>) {
        let key = MeshKey {
            pt_per_m: view.pt_per_m,
            pixels_per_point: ppp,
        };
        let rebuilt = self.key != Some(key);
        if rebuilt {
            self.rebuild(done, view.pt_per_m, ppp);
            self.key = Some(key);
        }
        let c = canvas.center();
        let offset = Vec2::new(
            c.x - ((view.center[0] - ORIGIN[0]) * view.pt_per_m) as f32,
            c.y + ((view.center[1] - ORIGIN[1]) * view.pt_per_m) as f32,
        );
        self.panned.shifted(offset, rebuilt)
    }

    fn rebuild(&mut self, done: &Computed, pt_per_m: f64, ppp: f32) {
        let local = |p: [f64; 2]| {
            Pos2::new(
                ((p[0] - ORIGIN[0]) * pt_per_m) as f32,
                ((ORIGIN[1] - p[1]) * pt_per_m) as f32,
            )
        };
        let fill = &mut self.panned.scaled_fill;
        fill.clear();
        for (quad, &color) in done.corners.iter().zip(&done.colors) {
            if color == Color32::TRANSPARENT {
                continue;
            }
            let base = fill.vertices.len() as u32;
            for p in quad {
                fill.colored_vertex(local(*p), color);
            }
            fill.add_triangle(base, base + 1, base + 2);
            fill.add_triangle(base, base + 2, base + 3);
        }
        self.panned.scaled_lines.clear();
        let mut tessellator = Tessellator::new(ppp, TessellationOptions::default(), [1, 1], vec![]);
        let stroke = Stroke::new(1.2, Color32::from_gray(40));
        for ring in &done.outlines {
            let mut points: Vec<Pos2> = ring.iter().map(|p| local(*p)).collect();
            if let Some(&first) = points.first() {
                points.push(first);
            }
            tessellator.tessellate_path(
                &PathShape::line(points, stroke),
                &mut self.panned.scaled_lines,
            );
        }
    }
}

/// The coverage report with the Kommune's grid figures, when the data folder has the grid (on the
/// coverage worker thread; without the grid the report stays as it is).
pub fn with_grid_figures(
    report: atlas_core::analysis::coverage::CoverageReport,
    atlas: &Atlas,
    sites: &SiteSet,
) -> atlas_core::analysis::coverage::CoverageReport {
    let path = bundled_grid_path(&atlas.provenance.data_dir);
    match load_population_grid(&path, atlas) {
        Ok(grid) => report.with_grid(atlas, &grid, sites),
        Err(_) => report,
    }
}

/// The coverage panel's lines on the grid figures, beside the centre-point table: per type the
/// inhabitants and foreign residents beyond S and the weighted distances, with the method.
pub fn kommune_figures_ui(
    ui: &mut egui::Ui,
    figures: &[atlas_core::analysis::grid_coverage::KommuneGridFigures],
    lang: Lang,
) {
    let Some(first) = figures.first() else {
        return;
    };
    let s = format_number(first.threshold_km, 1, lang);
    ui.label(egui::RichText::new(lang.pick(
        "Auf dem Bevölkerungsraster (Zensus 2011): von jeder bewohnten 1-km-Zelle aus gemessen, nicht vom Gemeindemittelpunkt",
        "On the population grid (Zensus 2011): measured from every inhabited 1 km cell, not from the municipality's centre",
    )).size(11.0));
    for f in figures {
        let a = &f.figures;
        let kind = &f.site_type;
        let beyond = format_count(a.einwohner_beyond, lang);
        let total = format_count(a.einwohner, lang);
        let pct = format_number(a.einwohner_beyond_pct, 1, lang);
        let foreign = format_number(a.auslaender_beyond, 0, lang);
        let unknown = format_count(a.auslaender_unknown_einwohner, lang);
        let km = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format_number(v, 1, lang));
        let (mean, p90) = (km(a.mean_km), km(a.p90_km));
        let text = match lang {
            Lang::De => format!(
                "{kind}: {beyond} von {total} Einwohnern ({pct} %) wohnen weiter als {s} km entfernt, davon {foreign} Ausländer ({unknown} EW mit unbekanntem Anteil); Mittel {mean} km, 90 % innerhalb {p90} km"
            ),
            Lang::En => format!(
                "{kind}: {beyond} of {total} inhabitants ({pct} %) live farther than {s} km, {foreign} of them foreign residents ({unknown} inhabitants with unknown share); mean {mean} km, 90 % within {p90} km"
            ),
        };
        ui.label(text);
    }
    ui.label(egui::RichText::new(atlas_core::attribution::zensus_grid().get(lang)).size(9.5));
}
