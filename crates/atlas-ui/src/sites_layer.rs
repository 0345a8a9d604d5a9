//! Institution sites on the map: the layer toggles (which double as the symbol legend), the
//! symbols with an offset ring where several sites share one seat, hover and click.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use eframe::egui::{self, Color32, Pos2, Rect, Sense, Shape as EguiShape, Stroke, Vec2};

use crate::map_view::MapView;
use crate::mesh_cache::color;
use atlas_core::cartography::symbols::{self, site_symbol};
use atlas_core::i18n::{Lang, Localized as _};
use atlas_core::model::Atlas;
use atlas_core::sites::details::DetailsById;
use atlas_core::sites::import::AddressColumns;
use atlas_core::sites::{Site, SiteSet, SiteType};

/// Screen points per symbol unit: the window draws the core's symbols (see
/// [`atlas_core::cartography::symbols`]) at this scale, an export at its own.
const SCALE: f32 = 1.1;

/// What a finished site import hands back to the window: the sites, their addresses and
/// capacities, and the report lines.
type ImportOutcome = Result<(Vec<Site>, DetailsById, Vec<String>), String>;

/// Which site layers are shown and which site is selected.
#[derive(Debug, Default)]
pub struct SiteLayers {
    /// The visible types.
    pub visible: BTreeSet<SiteType>,
    /// The selected site (index into [`SiteSet::sites`]).
    pub selected: Option<usize>,
    /// The path typed into the import field.
    pub import_path: String,
    /// The last import report, as lines.
    pub import_report: Vec<String>,
    /// The address columns the user named (header names) where the recognition is unclear.
    pub address_columns: AddressColumns,
    /// Addresses and capacities of imported sites, until the site editor takes them over.
    pub imported_details: DetailsById,
    /// The import running on a worker thread (large files take a while; the window stays live).
    importing: Option<Receiver<ImportOutcome>>,
    /// The seat groups of the visible sites, with the visible types and site count they were
    /// computed for (rebuilt only when either changes, not every frame).
    groups: Option<(BTreeSet<SiteType>, usize, Vec<Vec<usize>>)>,
}

impl SiteLayers {
    /// Layers showing the given types, nothing selected.
    pub fn showing(visible: impl IntoIterator<Item = SiteType>) -> SiteLayers {
        SiteLayers {
            visible: visible.into_iter().collect(),
            ..SiteLayers::default()
        }
    }

    /// Forgets the cached seat groups (after sites moved without their number changing).
    pub fn invalidate_groups(&mut self) {
        self.groups = None;
    }

    /// The visible sites grouped by seat (see [`SiteSet::seat_groups`]), cached.
    pub fn seat_groups(&mut self, sites: &SiteSet) -> &[Vec<usize>] {
        let stale = self.groups.as_ref().is_none_or(|(visible, count, _)| {
            *visible != self.visible || *count != sites.sites.len()
        });
        if stale {
            let groups = sites.seat_groups(|t| self.visible.contains(t));
            self.groups = Some((self.visible.clone(), sites.sites.len(), groups));
        }
        self.groups.as_ref().map_or(&[], |(_, _, groups)| groups)
    }
}

/// The checkboxes of the site layers with their symbols and counts, and the import of own sites.
pub fn sites_panel_ui(
    ui: &mut egui::Ui,
    layers: &mut SiteLayers,
    sites: &mut SiteSet,
    atlas: &Arc<Atlas>,
    lang: Lang,
) {
    ui.label(
        egui::RichText::new(lang.pick(
            "Einrichtungen (am Sitz der Kommune)",
            "Institutions (at the Kommune's seat)",
        ))
        .strong(),
    );
    for site_type in sites.types() {
        let count = sites.of_type(&site_type).count();
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::hover());
            paint_symbol(ui.painter(), rect.center(), &site_type, 1.0);
            let mut on = layers.visible.contains(&site_type);
            let label = format!("{} – {} ({count})", site_type.code(), site_type.name(lang));
            if ui.checkbox(&mut on, label).changed() {
                if on {
                    layers.visible.insert(site_type.clone());
                } else {
                    layers.visible.remove(&site_type);
                }
            }
        });
    }
    ui.small(lang.pick(
        "Lage = Gemeindepunkt des Sitzes (Genauigkeit: Kommune), keine Adresse. IA, JMD, MBE und Jobcenter-Geschäftsstellen gibt es nur als Zahlen je Kreis (Thema).",
        "Position = seat point of the Kommune (precision: Kommune), not an address. IA, JMD, MBE and jobcentre branches exist only as counts per Kreis (Theme).",
    ));
    import_ui(ui, layers, sites, atlas, lang);
}

fn import_ui(
    ui: &mut egui::Ui,
    layers: &mut SiteLayers,
    sites: &mut SiteSet,
    atlas: &Arc<Atlas>,
    lang: Lang,
) {
    finish_import(ui.ctx(), layers, sites);
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut layers.import_path)
                .hint_text(lang.pick("Standorte: CSV, GeoJSON, SHP", "Sites: CSV, GeoJSON, SHP"))
                .desired_width(170.0),
        );
        if layers.importing.is_some() {
            ui.spinner();
        } else if ui.button(lang.pick("Importieren", "Import")).clicked() {
            let path = layers.import_path.trim();
            if path.is_empty() {
                layers.import_report = vec![
                    lang.pick(
                        "Bitte den Pfad einer CSV-, GeoJSON- oder Shape-Datei eingeben.",
                        "Please enter the path of a CSV, GeoJSON or shapefile.",
                    )
                    .to_owned(),
                ];
            } else {
                let path = std::path::PathBuf::from(path);
                let columns = layers.address_columns.clone();
                layers.importing = Some(start_import(
                    ui.ctx(),
                    Arc::clone(atlas),
                    path,
                    columns,
                    lang,
                ));
            }
        }
    });
    address_columns_ui(ui, &mut layers.address_columns, lang);
    for line in layers.import_report.iter().take(20) {
        ui.small(line.as_str());
    }
    if layers.import_report.len() > 20 {
        ui.small(format!("… {}", layers.import_report.len() - 20));
    }
}

/// Reads and places the sites of `path` on a worker thread.
fn start_import(
    ctx: &egui::Context,
    atlas: Arc<Atlas>,
    path: std::path::PathBuf,
    columns: AddressColumns,
    lang: Lang,
) -> Receiver<ImportOutcome> {
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let outcome = atlas_core::sites::import::Placer::new(&atlas, &atlas.provenance.data_dir)
            .and_then(|placer| {
                atlas_core::sites::import::import_sites_with(
                    &path,
                    &placer,
                    &SiteType::Other(atlas_core::sites::OWN_SITES.to_owned()),
                    &columns,
                )
            })
            .map(|i| (i.sites, i.details, i.report.lines(lang)))
            .map_err(|e| e.localized(lang));
        let _ = sender.send(outcome);
        ctx.request_repaint();
    });
    receiver
}

/// The address columns of a CSV, by header name, for files whose headers the import does not
/// recognise (e.g. "Anschrift PLZ"); empty fields keep the recognised columns.
fn address_columns_ui(ui: &mut egui::Ui, columns: &mut AddressColumns, lang: Lang) {
    egui::CollapsingHeader::new(lang.pick("Adressspalten wählen", "Choose address columns"))
        .id_salt("address_columns")
        .show(ui, |ui| {
            let field = |ui: &mut egui::Ui, label: &str, value: &mut Option<String>| {
                ui.horizontal(|ui| {
                    let label = ui.label(label);
                    let mut text = value.clone().unwrap_or_default();
                    ui.add(egui::TextEdit::singleline(&mut text).desired_width(120.0))
                        .labelled_by(label.id);
                    *value = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                });
            };
            field(ui, lang.pick("PLZ", "Postcode"), &mut columns.postcode);
            field(ui, lang.pick("Ort", "City"), &mut columns.city);
            field(ui, lang.pick("Straße", "Street"), &mut columns.street);
            field(
                ui,
                lang.pick("Hausnummer", "House number"),
                &mut columns.house_number,
            );
        });
}

/// Takes over the sites of a finished import: adds them, shows their types and the report.
fn finish_import(ctx: &egui::Context, layers: &mut SiteLayers, sites: &mut SiteSet) {
    let Some(receiver) = &layers.importing else {
        return;
    };
    match receiver.try_recv() {
        Ok(Ok((imported, details, report))) => {
            layers.imported_details.extend(details);
            layers
                .visible
                .extend(imported.iter().map(|s| s.site_type.clone()));
            layers.import_report = report;
            sites.add(imported);
            layers.importing = None;
        }
        Ok(Err(message)) => {
            layers.import_report = vec![message];
            layers.importing = None;
        }
        Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
        Err(TryRecvError::Disconnected) => layers.importing = None,
    }
}

/// Draws a symbol of a type at a screen position, `scale` times its size on the map.
pub fn paint_symbol(painter: &egui::Painter, center: Pos2, site_type: &SiteType, scale: f32) {
    let (rgba, shape) = site_symbol(site_type);
    let fill = color(rgba);
    let stroke = Stroke::new(1.0, Color32::WHITE);
    let r = symbols::radius(SCALE * scale);
    match symbols::corners(shape, center.x, center.y, r) {
        None => {
            painter.circle(center, r, fill, stroke);
        }
        Some(corners) => {
            let points = corners.into_iter().map(|[x, y]| Pos2::new(x, y)).collect();
            painter.add(EguiShape::convex_polygon(points, fill, stroke));
        }
    }
}

/// Draws the visible sites; several at one point are spread on a small ring around it, each
/// linked to the true point. Returns the screen position of every drawn site.
pub fn paint_sites(
    painter: &egui::Painter,
    view: &MapView,
    canvas: Rect,
    sites: &SiteSet,
    groups: &[Vec<usize>],
    selected: Option<usize>,
) -> Vec<(usize, Pos2)> {
    let mut drawn = Vec::new();
    let visible_area = canvas.expand(20.0);
    for members in groups {
        let first = &sites.sites[members[0]];
        let anchor = view.screen_from_map(canvas, first.x, first.y);
        if !visible_area.contains(anchor) {
            continue;
        }
        if members.len() == 1 {
            drawn.push((members[0], anchor));
            continue;
        }
        painter.circle_filled(anchor, 2.0, Color32::from_gray(40));
        let spots = symbols::spread([anchor.x, anchor.y], members.len(), SCALE);
        for (&i, [x, y]) in members.iter().zip(spots) {
            let pos = Pos2::new(x, y);
            painter.line_segment([anchor, pos], Stroke::new(0.8, Color32::from_gray(60)));
            drawn.push((i, pos));
        }
    }
    for &(i, pos) in &drawn {
        let scale = if selected == Some(i) { 1.5 } else { 1.0 };
        paint_symbol(painter, pos, &sites.sites[i].site_type, scale);
    }
    drawn
}

/// The drawn site nearest to the pointer within the symbol size.
pub fn site_under(drawn: &[(usize, Pos2)], pointer: Pos2) -> Option<usize> {
    drawn
        .iter()
        .map(|&(i, pos)| (i, pos.distance(pointer)))
        .filter(|&(_, d)| d <= symbols::radius(SCALE) * 1.6)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The tooltip and info lines of a site: name, type, Kommune, precision, source.
pub fn site_details_ui(ui: &mut egui::Ui, site: &Site, atlas: &Atlas, lang: Lang) {
    ui.label(egui::RichText::new(&site.name).strong());
    egui::Grid::new(("site_details", site.id.as_str()))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(lang.pick("Art", "Type"));
            ui.label(format!(
                "{} ({})",
                site.site_type.name(lang),
                site.site_type.code()
            ));
            ui.end_row();
            ui.label(lang.pick("Kommune", "Municipality"));
            let kommune = atlas.get(&site.kommune_ags).map_or_else(
                || site.kommune_ags.to_string(),
                |g| format!("{} ({})", g.name, g.ags),
            );
            ui.label(kommune);
            ui.end_row();
            ui.label(lang.pick("Genauigkeit", "Precision"));
            ui.label(match site.precision.as_str() {
                atlas_core::sites::PRECISION_KOMMUNE_SEAT => lang.pick(
                    "Sitz der Kommune (Gemeindepunkt), keine Adresse",
                    "seat of the Kommune (municipal point), not an address",
                ),
                atlas_core::sites::PRECISION_COORDINATES => {
                    lang.pick("Koordinaten aus der Datei", "coordinates from the file")
                }
                other => other,
            });
            ui.end_row();
            if !site.stand.is_empty() {
                ui.label(lang.pick("Stand", "As of"));
                ui.label(&site.stand);
                ui.end_row();
            }
        });
    ui.add(
        egui::Label::new(
            egui::RichText::new(format!(
                "{}: {}",
                lang.pick("Quelle", "Source"),
                site.source
            ))
            .small(),
        )
        .wrap(),
    );
}
