//! Editing sites in the window: with "Standorte bearbeiten" on, drag a site to move it
//! (no snapping), click the map to add one of the chosen type, select a site to edit its name,
//! type, capacity and address or to delete it; Ctrl+Z undoes, Ctrl+Shift+Z redoes every edit.
//! The edits are a layer of their own ([`atlas_core::sites::edits`]) over the registry and the
//! imports: the map, nearest sites and coverage use the edited positions, and the layer is
//! saved as GeoJSON on a worker thread.

use std::sync::mpsc::{Receiver, channel};

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, Pos2};

use atlas_core::i18n::Lang;
use atlas_core::model::Atlas;
use atlas_core::sites::details::{DetailsById, SiteDetails};
use atlas_core::sites::edits::{Edit, EditLayer, EditSession};
use atlas_core::sites::{Site, SiteSet, SiteType};

/// The fields of the edit form of the selected site.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteForm {
    /// The site's id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Type code.
    pub site_type: String,
    /// Capacity as typed.
    pub capacity: String,
    /// Address and capacity as saved.
    pub details: SiteDetails,
}

/// The editor's state.
#[derive(Default)]
pub struct SiteEditor {
    /// Editing is on (drag, click to add).
    pub enabled: bool,
    /// The edits and their history.
    pub session: EditSession,
    /// The type of sites added by clicking.
    pub add_type: String,
    /// Clicking the map adds a site.
    pub adding: bool,
    /// The form of the selected site.
    pub form: Option<SiteForm>,
    /// The site being dragged, where the drag started and where it is now (screen).
    pub dragging: Option<(String, Pos2, Pos2)>,
    /// The last refused edit, in the user's language.
    pub error: Option<String>,
    /// Where the edit layer is saved.
    pub save_path: String,
    /// The last save's outcome.
    pub save_message: Option<String>,
    saving: Option<Receiver<String>>,
    /// Registry and imported sites the edits apply to (taken over on first use).
    base: Option<Vec<Site>>,
    /// Addresses and capacities of the base sites.
    pub base_details: DetailsById,
    /// The number of sites in the set the editor last produced (imports append to it).
    produced: usize,
}

impl SiteEditor {
    /// Starts from a saved layer over `base` (a project being opened).
    pub fn restore(&mut self, layer: EditLayer, base: Vec<Site>, details: DetailsById) {
        self.session = EditSession::with_layer(layer);
        self.base = Some(base);
        self.base_details = details;
        self.produced = usize::MAX;
    }

    /// Keeps the window's site set equal to base + edits: takes the registry as base on first
    /// use, adds sites imported since, and rebuilds after an edit.
    pub fn sync(&mut self, sites: &mut SiteSet) {
        match &mut self.base {
            None => {
                self.base = Some(sites.sites.clone());
                self.produced = sites.sites.len();
                if !self.session.layer.is_empty() {
                    self.rebuild(sites);
                }
            }
            Some(_) if self.produced == usize::MAX => self.rebuild(sites),
            Some(base) if sites.sites.len() > self.produced => {
                base.extend(sites.sites[self.produced..].iter().cloned());
                self.rebuild(sites);
            }
            Some(_) => {}
        }
    }

    fn rebuild(&mut self, sites: &mut SiteSet) {
        let Some(base) = &self.base else { return };
        let unavailable = std::mem::take(&mut sites.unavailable);
        *sites = SiteSet::new(self.session.layer.apply_to(base));
        sites.unavailable = unavailable;
        self.produced = sites.sites.len();
    }

    /// Applies an edit; a refused one is shown. Returns the edited site's id.
    pub fn apply(
        &mut self,
        edit: Edit,
        sites: &mut SiteSet,
        atlas: &Atlas,
        lang: Lang,
    ) -> Option<String> {
        self.sync(sites);
        let base = self.base.as_deref().unwrap_or_default();
        match self.session.apply(edit, base, &self.base_details, atlas) {
            Ok(id) => {
                self.error = None;
                self.rebuild(sites);
                Some(id)
            }
            Err(e) => {
                self.error = Some(e.text(lang));
                None
            }
        }
    }

    /// Undo (`redo` false) or redo; rebuilds the sites.
    pub fn step(&mut self, redo: bool, sites: &mut SiteSet) -> bool {
        let done = if redo {
            self.session.redo()
        } else {
            self.session.undo()
        };
        if done {
            self.rebuild(sites);
            self.form = None;
        }
        done
    }

    /// The form of a site, filled from its current state.
    pub fn form_of(&self, id: &str) -> Option<SiteForm> {
        let base = self.base.as_deref().unwrap_or_default();
        let site = self.session.current(id, base, &self.base_details)?;
        Some(SiteForm {
            id: site.id,
            name: site.name,
            site_type: site.site_type,
            capacity: site
                .details
                .capacity
                .map(|c| c.to_string())
                .unwrap_or_default(),
            details: site.details,
        })
    }

    /// Handles Ctrl+Z and Ctrl+Shift+Z (Cmd on macOS).
    pub fn shortcuts(&mut self, ctx: &egui::Context, sites: &mut SiteSet) {
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        if ctx.input_mut(|i| i.consume_shortcut(&redo)) {
            self.step(true, sites);
        } else if ctx.input_mut(|i| i.consume_shortcut(&undo)) {
            self.step(false, sites);
        }
    }

    /// Picks up a finished save.
    fn poll_save(&mut self) {
        if let Some(rx) = &self.saving
            && let Ok(message) = rx.try_recv()
        {
            self.save_message = Some(message);
            self.saving = None;
        }
    }

    fn start_save(&mut self, ctx: &egui::Context, lang: Lang) {
        let path = std::path::PathBuf::from(self.save_path.trim());
        let layer = self.session.layer.clone();
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let message = match layer.save(&path) {
                Ok(()) => format!("{} {}", lang.pick("Gespeichert:", "Saved:"), path.display()),
                Err(e) => format!("{}: {e}", path.display()),
            };
            let _ = tx.send(message);
            ctx.request_repaint();
        });
        self.saving = Some(rx);
    }
}

/// The editor's controls (in the sites section of the left panel).
pub fn editor_controls_ui(
    ui: &mut egui::Ui,
    editor: &mut SiteEditor,
    sites: &mut SiteSet,
    lang: Lang,
) {
    editor.poll_save();
    ui.checkbox(
        &mut editor.enabled,
        lang.pick("Standorte bearbeiten", "Edit sites"),
    );
    if !editor.enabled {
        return;
    }
    ui.horizontal(|ui| {
        let check = ui.checkbox(
            &mut editor.adding,
            lang.pick("Klick fügt hinzu:", "Click adds:"),
        );
        if editor.add_type.is_empty() {
            editor.add_type = SiteType::Abh.code().to_owned();
        }
        egui::ComboBox::from_id_salt("add_type")
            .selected_text(editor.add_type.clone())
            .show_ui(ui, |ui| {
                for t in SiteType::KNOWN {
                    ui.selectable_value(&mut editor.add_type, t.code().to_owned(), t.name(lang));
                }
            })
            .response
            .labelled_by(check.id);
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                editor.session.can_undo(),
                egui::Button::new(lang.pick("Rückgängig", "Undo")),
            )
            .on_hover_text("Ctrl+Z")
            .clicked()
        {
            editor.step(false, sites);
        }
        if ui
            .add_enabled(
                editor.session.can_redo(),
                egui::Button::new(lang.pick("Wiederholen", "Redo")),
            )
            .on_hover_text("Ctrl+Shift+Z")
            .clicked()
        {
            editor.step(true, sites);
        }
    });
    let layer = &editor.session.layer;
    ui.small(format!(
        "{} {}, {} {}",
        layer.sites.len(),
        lang.pick("geändert/neu", "changed/new"),
        layer.deleted.len(),
        lang.pick("gelöscht", "deleted")
    ));
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut editor.save_path)
                .hint_text("bearbeitungen.geojson")
                .desired_width(150.0),
        );
        let can = !editor.save_path.trim().is_empty() && editor.saving.is_none();
        if ui
            .add_enabled(can, egui::Button::new(lang.pick("Speichern", "Save")))
            .clicked()
        {
            editor.start_save(ui.ctx(), lang);
        }
        if editor.saving.is_some() {
            ui.spinner();
        }
    });
    if let Some(message) = &editor.save_message {
        ui.small(message.as_str());
    }
    if let Some(error) = &editor.error {
        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
    }
}

/// The form of the selected site (right panel). Returns true when the panel should close.
pub fn site_form_ui(
    ui: &mut egui::Ui,
    editor: &mut SiteEditor,
    sites: &mut SiteSet,
    atlas: &Atlas,
    lang: Lang,
) -> bool {
    let Some(mut form) = editor.form.clone() else {
        return false;
    };
    let mut close = false;
    ui.heading(lang.pick("Standort bearbeiten", "Edit site"));
    egui::Grid::new("site_form").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.pick("Name", "Name"));
        ui.text_edit_singleline(&mut form.name)
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("Typ", "Type"));
        egui::ComboBox::from_id_salt("form_type")
            .selected_text(form.site_type.clone())
            .show_ui(ui, |ui| {
                for t in SiteType::KNOWN {
                    ui.selectable_value(&mut form.site_type, t.code().to_owned(), t.name(lang));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("Kapazität", "Capacity"));
        ui.text_edit_singleline(&mut form.capacity)
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("Straße", "Street"));
        ui.text_edit_singleline(&mut form.details.address.street)
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("Hausnummer", "House number"));
        ui.text_edit_singleline(&mut form.details.address.house_number)
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("PLZ", "Postcode"));
        ui.text_edit_singleline(&mut form.details.address.postcode)
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.pick("Ort", "City"));
        ui.text_edit_singleline(&mut form.details.address.city)
            .labelled_by(label.id);
        ui.end_row();
    });
    ui.horizontal(|ui| {
        if ui.button(lang.pick("Übernehmen", "Apply")).clicked() {
            let capacity = form.capacity.trim().replace(',', ".");
            let parsed = if capacity.is_empty() {
                Ok(None)
            } else {
                capacity.parse::<f64>().map(Some)
            };
            match parsed {
                Ok(capacity) => {
                    let details = SiteDetails {
                        capacity,
                        ..form.details.clone()
                    };
                    let edit = Edit::Change {
                        id: form.id.clone(),
                        name: form.name.clone(),
                        site_type: SiteType::parse(&form.site_type),
                        details,
                    };
                    editor.apply(edit, sites, atlas, lang);
                }
                Err(_) => {
                    editor.error = Some(format!(
                        "{} {:?}",
                        lang.pick("Kapazität ist keine Zahl:", "capacity is not a number:"),
                        form.capacity
                    ));
                }
            }
        }
        if ui.button(lang.pick("Löschen", "Delete")).clicked() {
            editor.apply(
                Edit::Delete {
                    id: form.id.clone(),
                },
                sites,
                atlas,
                lang,
            );
            close = true;
        }
        if ui.button(lang.pick("Schließen", "Close")).clicked() {
            close = true;
        }
    });
    if let Some(error) = &editor.error {
        ui.colored_label(ui.visuals().error_fg_color, error.as_str());
    }
    editor.form = if close { None } else { Some(form) };
    close
}

/// What the map did with the pointer while editing.
pub struct MapEdit {
    /// A drag on a site is going on: the view must not pan.
    pub holds_view: bool,
    /// A site was clicked: select it (its index in the set).
    pub select: Option<usize>,
}

/// Drag, drop and click-to-add on the map canvas. `drawn` are the site symbols drawn this
/// frame (index, screen position), `to_map` turns a screen position into EPSG:25832.
pub fn map_edit(
    ui: &egui::Ui,
    editor: &mut SiteEditor,
    sites: &mut SiteSet,
    atlas: &Atlas,
    drawn: &[(usize, Pos2)],
    to_map: impl Fn(Pos2) -> [f64; 2],
    lang: Lang,
) -> MapEdit {
    let mut out = MapEdit {
        holds_view: false,
        select: None,
    };
    if !editor.enabled {
        return out;
    }
    let (pressed, down, released, pos, origin) = ui.input(|i| {
        (
            i.pointer.primary_pressed(),
            i.pointer.primary_down(),
            i.pointer.primary_released(),
            i.pointer.interact_pos(),
            i.pointer.press_origin(),
        )
    });
    let under = |p: Pos2| crate::sites_layer::site_under(drawn, p);
    if pressed && let Some(i) = origin.and_then(under) {
        let start = origin.unwrap_or_default();
        editor.dragging = Some((sites.sites[i].id.clone(), start, start));
    }
    if let Some((id, start, at)) = editor.dragging.clone() {
        out.holds_view = true;
        if down && let Some(p) = pos {
            editor.dragging = Some((id, start, p));
            ui.painter().circle_stroke(
                p,
                9.0,
                egui::Stroke::new(2.0, egui::Color32::from_rgb(200, 30, 30)),
            );
        } else if released || !down {
            editor.dragging = None;
            let moved = start.distance(at) > 3.0;
            if moved {
                let [x, y] = to_map(at);
                if let Some(id) = editor.apply(
                    Edit::Move {
                        id: id.clone(),
                        x,
                        y,
                    },
                    sites,
                    atlas,
                    lang,
                ) {
                    out.select = sites.sites.iter().position(|s| s.id == id);
                }
            } else {
                out.select = sites.sites.iter().position(|s| s.id == id);
            }
            if let Some(i) = out.select {
                editor.form = editor.form_of(&sites.sites[i].id);
            }
        }
        return out;
    }
    if editor.adding
        && released
        && let (Some(p), Some(o)) = (pos, origin)
        && p.distance(o) < 3.0
        && under(p).is_none()
        && ui.rect_contains_pointer(ui.max_rect())
    {
        let [x, y] = to_map(p);
        let name = lang.pick("Neuer Standort", "New site").to_owned();
        let edit = Edit::Add {
            site_type: SiteType::parse(&editor.add_type),
            name,
            x,
            y,
        };
        if let Some(id) = editor.apply(edit, sites, atlas, lang) {
            out.select = sites.sites.iter().position(|s| s.id == id);
            editor.form = editor.form_of(&id);
        }
    }
    out
}

/// True when a visible site was placed by its postcode (its map then carries the ODbL line).
pub fn shows_postcode_sites(
    sites: &SiteSet,
    visible: &std::collections::BTreeSet<SiteType>,
) -> bool {
    sites
        .sites
        .iter()
        .any(|s| s.precision == atlas_core::sites::PRECISION_PLZ && visible.contains(&s.site_type))
}

/// Once per frame while editing: keeps the sites equal to base + edits and handles Ctrl+Z /
/// Ctrl+Shift+Z (unless a text field has the keyboard, which has its own undo).
pub fn frame(app: &mut crate::app::AtlasApp, ctx: &egui::Context) {
    let crate::app::LoadState::Ready(loaded) = &mut app.state else {
        return;
    };
    let editor = &mut app.site_editor;
    editor
        .base_details
        .extend(std::mem::take(&mut app.site_layers.imported_details));
    if !editor.enabled && editor.session.layer.is_empty() {
        return;
    }
    editor.sync(&mut loaded.sites);
    if editor.enabled && !ctx.egui_wants_keyboard_input() {
        let before = (
            editor.session.can_undo(),
            editor.session.can_redo(),
            loaded.sites.sites.len(),
        );
        editor.shortcuts(ctx, &mut loaded.sites);
        if before
            != (
                editor.session.can_undo(),
                editor.session.can_redo(),
                loaded.sites.sites.len(),
            )
        {
            app.site_layers.selected = None;
            app.site_layers.invalidate_groups();
        }
    }
}

impl crate::app::AtlasApp {
    /// Applies a site edit as the editor does (for tests and scripting): `Err` holds the
    /// refusal in the window's language.
    pub fn apply_site_edit(&mut self, edit: Edit) -> Result<String, String> {
        let crate::app::LoadState::Ready(loaded) = &mut self.state else {
            return Err("the atlas is not loaded yet".to_owned());
        };
        let atlas = std::sync::Arc::clone(&loaded.atlas);
        let id = self
            .site_editor
            .apply(edit, &mut loaded.sites, &atlas, self.lang);
        self.site_layers.selected = None;
        self.site_layers.invalidate_groups();
        id.ok_or_else(|| self.site_editor.error.clone().unwrap_or_default())
    }

    /// The sites the map and the analyses use (registry, imports and edits), once loaded.
    pub fn current_sites(&self) -> Option<&SiteSet> {
        match &self.state {
            crate::app::LoadState::Ready(loaded) => Some(&loaded.sites),
            _ => None,
        }
    }
}
