//! Project files (`.atlas.json`): the whole working state — level, view, theme and
//! classification, own data (referenced with its SHA-256 or copied in), site layers with their
//! imports and edits, coverage settings, language — as versioned, pretty JSON
//! (`"format": "integrationsatlas-project", "version": 1`). Every field has a default, so a
//! file missing fields opens; a file from a newer version opens with all it can, and what
//! could not be read is listed ([`Opened::skipped`]). [`references`] checks the inputs a
//! project names; [`store`] keeps the recent projects and the autosave in the user's data
//! folder.

pub mod references;
pub mod restore;
pub mod store;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::classify::Method;
use crate::cartography::choropleth::ChoroplethSpec;
use crate::cartography::request::MapRequest;
use crate::i18n::Lang;
use crate::model::{Ags, Level};
use crate::sites::SiteType;
use crate::sites::edits::EditLayer;

/// The `format` member of every project file.
pub const FORMAT: &str = "integrationsatlas-project";
/// The version this program writes and fully reads.
pub const VERSION: u32 = 1;
/// The file name ending of project files.
pub const EXTENSION: &str = ".atlas.json";

/// The thematic layer: an indicator of a level and how it is classified and coloured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeState {
    /// The level of the regions (`gemeinde`, `kreis`, …).
    pub level: String,
    /// The indicator key, e.g. `density`.
    pub field: String,
    /// `quantile`, `equal`, `jenks`, `stddev` or `manual`.
    pub method: String,
    /// Number of classes.
    pub classes: usize,
    /// The inner breaks of `manual`.
    pub breaks: Vec<f64>,
    /// The ColorBrewer palette; none picks the default.
    pub palette: Option<String>,
    /// Dark to light.
    pub reverse: bool,
    /// The year of a time series shown; none is its latest.
    pub year: Option<String>,
    /// Show the change from this year to `year` instead.
    pub change_from: Option<String>,
    /// The change in percent of the earlier value instead of absolute.
    pub change_percent: bool,
    /// Breaks fixed over all years.
    pub fixed_breaks: bool,
}

/// The own data table of the thematic panel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwnDataState {
    /// The file, as chosen (absolute, or relative to the project file).
    pub path: String,
    /// Its SHA-256 (hex) when the project was saved.
    pub sha256: String,
    /// The key column (name or 1-based number).
    pub key_column: String,
    /// The value column.
    pub value_column: String,
    /// The sheet of a spreadsheet.
    pub sheet: Option<String>,
    /// The file's text copied into the project (CSV only), so it opens without the file.
    pub copy: Option<String>,
}

/// A site file imported into the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteImportState {
    /// The file, as chosen.
    pub path: String,
    /// Its SHA-256 (hex) when the project was saved.
    pub sha256: String,
    /// The type of rows that name none.
    pub default_type: String,
}

/// The site layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SitesState {
    /// The visible types (codes: KI, ABH, …).
    pub visible: Vec<String>,
    /// Imported site files.
    pub imports: Vec<SiteImportState>,
    /// The planner's edits on top of the registry and the imports.
    pub edits: EditLayer,
}

/// The coverage panel's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoverageSettings {
    /// The Kommune analysed (name or AGS), if any.
    pub kommune: Option<String>,
    /// Radius around the Kommune, km.
    pub radius_km: f64,
    /// Gap threshold, km.
    pub threshold_km: f64,
    /// Site types analysed.
    pub types: Vec<String>,
}

impl Default for CoverageSettings {
    fn default() -> Self {
        CoverageSettings {
            kommune: None,
            radius_km: 25.0,
            threshold_km: 15.0,
            types: ["KI", "ABH", "JA", "JC"].map(str::to_owned).to_vec(),
        }
    }
}

/// The grid layer's settings (the Zensus cells coloured by distance, beyond S, catchment or
/// access).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GridSettings {
    /// Whether the layer is shown.
    pub enabled: bool,
    /// `distance`, `beyond`, `catchment` or `access`.
    pub mode: String,
    /// The site type (code), if any.
    pub site_type: Option<String>,
    /// The distance S, km.
    pub threshold_km: f64,
}

/// The site suggestion's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestSettings {
    /// The site type (code).
    pub site_type: String,
    /// The distance S, km.
    pub radius_km: f64,
    /// Suggest until `target_pct` is reached instead of `new_sites` sites.
    pub by_target: bool,
    /// The number of new sites p.
    pub new_sites: usize,
    /// The share of the weight to reach, %.
    pub target_pct: f64,
    /// The weight: `einwohner`, `auslaender` or `unter18`.
    pub weight: String,
    /// Candidates are grid cells (else Gemeinde seats).
    pub cells: bool,
    /// The fewest inhabitants of a candidate cell.
    pub min_einwohner: u32,
    /// The area the suggestion is limited to (name or AGS), as typed.
    pub area: String,
}

/// The map view: its extent in EPSG:25832 metres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// `[min_x, min_y, max_x, max_y]`; none fits NRW.
    pub extent: Option<[f64; 4]>,
}

/// The whole working state, as saved in a project file. Every field has a default, so fields
/// added later (years, labels, grid and suggestion settings) do not break older files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version of the program's file format that wrote the file.
    pub version: u32,
    /// `de` or `en`.
    pub language: String,
    /// The level shown (`land`, `bezirk`, `kreis`, `gemeinde`).
    pub level: String,
    /// The map view.
    pub view: ViewState,
    /// A report figure (`abb5`, …) the map reproduces, if any.
    pub preset: Option<String>,
    /// The thematic layer, if any.
    pub theme: Option<ThemeState>,
    /// The own data table, if any.
    pub own_data: Option<OwnDataState>,
    /// The selected region (AGS), if any.
    pub selection: Option<String>,
    /// The map title of exports, if any.
    pub title: Option<String>,
    /// The site layers.
    pub sites: SitesState,
    /// The coverage settings.
    pub coverage: CoverageSettings,
    /// The region names on the map, by level key (`kreis`: true), where switched.
    pub labels: BTreeMap<String, bool>,
    /// The grid layer's settings, if recorded.
    pub grid: Option<GridSettings>,
    /// The site suggestion's settings, if recorded.
    pub suggest: Option<SuggestSettings>,
    /// Members this version does not know (from a newer version), kept to be listed.
    #[serde(flatten, skip_serializing)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            format: FORMAT.to_owned(),
            version: VERSION,
            language: "de".to_owned(),
            level: Level::Gemeinde.key().to_owned(),
            view: ViewState::default(),
            preset: None,
            theme: None,
            own_data: None,
            selection: None,
            title: None,
            sites: SitesState {
                visible: vec!["KI".to_owned()],
                ..SitesState::default()
            },
            coverage: CoverageSettings::default(),
            labels: BTreeMap::new(),
            grid: None,
            suggest: None,
            unknown: BTreeMap::new(),
        }
    }
}

/// Why a file could not be opened as a project.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProjectError {
    /// The file cannot be read.
    #[error("{}: cannot read: {detail}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        detail: String,
    },
    /// The file ends in the middle of the JSON text.
    #[error("{}: the project file is truncated (it ends at line {line}, column {column} in the middle of the JSON text); open its autosave or an older copy", .path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Where the text ends.
        line: usize,
        /// The column there.
        column: usize,
    },
    /// The file is no JSON, or JSON of something else.
    #[error("{}: not an Integrationsatlas project file: {detail}; open a file saved by the atlas (*.atlas.json)", .path.display())]
    NotAProject {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
}

/// A project as opened: the project and what of it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// The project (defaults where the file had nothing readable).
    pub project: Project,
    /// One line per member skipped, e.g. `"labels": written by version 2, not known to version 1`.
    pub skipped: Vec<String>,
}

impl Project {
    /// The pretty JSON of the project.
    #[allow(
        clippy::expect_used,
        reason = "a struct of strings, numbers and maps always serialises"
    )]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a project serialises");
        text.push('\n');
        text
    }

    /// Writes the project to `path` atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::atomic::write_atomically(path, self.to_json().as_bytes())
    }

    /// Reads a project file.
    pub fn open(path: &Path) -> Result<Opened, ProjectError> {
        let bytes = std::fs::read(path).map_err(|e| ProjectError::Read {
            path: path.to_owned(),
            detail: crate::error::read_problem(&e),
        })?;
        Project::parse(path, &bytes)
    }

    /// Parses a project file's bytes; `path` names the file in errors. Each member that does
    /// not fit (an unknown one, or one of the wrong shape) is skipped and listed, the rest is
    /// read.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Opened, ProjectError> {
        let not_a_project = |detail: String| ProjectError::NotAProject {
            path: path.to_owned(),
            detail,
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_eof() {
                ProjectError::Truncated {
                    path: path.to_owned(),
                    line: e.line(),
                    column: e.column(),
                }
            } else {
                not_a_project(format!("no JSON ({e})"))
            }
        })?;
        let serde_json::Value::Object(members) = value else {
            return Err(not_a_project("the JSON text is no object".to_owned()));
        };
        match members.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(not_a_project(format!(
                    "its \"format\" is {other:?}, not {FORMAT:?}"
                )));
            }
            None => return Err(not_a_project(format!("it has no \"format\": {FORMAT:?}"))),
        }
        let version = members.get("version").and_then(serde_json::Value::as_u64);
        let Some(version) = version.filter(|v| *v >= 1) else {
            return Err(not_a_project(
                "it has no \"version\" (a whole number from 1)".to_owned(),
            ));
        };
        Ok(read_members(members, version))
    }

    /// The level, if the file names a known one.
    pub fn level(&self) -> Option<Level> {
        level_of(&self.level)
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        if self.language == "en" {
            Lang::En
        } else {
            Lang::De
        }
    }

    /// The thematic layer as a map specification; `Err` says why it cannot be used.
    pub fn theme_spec(&self) -> Option<Result<ChoroplethSpec, String>> {
        let theme = self.theme.as_ref()?;
        let Some(level) = level_of(&theme.level) else {
            return Some(Err(format!("theme: unknown level {:?}", theme.level)));
        };
        let method = match theme.method.as_str() {
            "quantile" => Method::Quantile,
            "equal" => Method::EqualInterval,
            "jenks" | "" => Method::Jenks,
            "stddev" => Method::StdDev,
            "manual" => Method::Manual(theme.breaks.clone()),
            "boxmap" => Method::BoxMap(crate::analysis::classify::Hinge::OneAndHalf),
            "boxmap3" => Method::BoxMap(crate::analysis::classify::Hinge::Three),
            "percentile" => Method::Percentile,
            other => return Some(Err(format!("theme: unknown method {other:?}"))),
        };
        Some(Ok(ChoroplethSpec {
            level,
            field: theme.field.clone(),
            method,
            classes: if theme.classes == 0 { 5 } else { theme.classes },
            scheme: theme.palette.clone(),
            reverse: theme.reverse,
            time: crate::cartography::choropleth::TimeView {
                year: theme.year.clone(),
                change_from: theme.change_from.clone(),
                change: if theme.change_percent {
                    crate::analysis::indicators::ChangeKind::Percent
                } else {
                    crate::analysis::indicators::ChangeKind::Absolute
                },
                fixed_breaks: theme.fixed_breaks,
            },
        }))
    }

    /// The project's theme from a map specification.
    pub fn set_theme(&mut self, spec: Option<&ChoroplethSpec>) {
        self.theme = spec.map(|spec| ThemeState {
            level: spec.level.key().to_owned(),
            field: spec.field.clone(),
            method: spec.method.key().to_owned(),
            classes: spec.classes,
            breaks: match &spec.method {
                Method::Manual(b) => b.clone(),
                _ => Vec::new(),
            },
            palette: spec.scheme.clone(),
            reverse: spec.reverse,
            year: spec.time.year.clone(),
            change_from: spec.time.change_from.clone(),
            change_percent: spec.time.change == crate::analysis::indicators::ChangeKind::Percent,
            fixed_breaks: spec.time.fixed_breaks,
        });
    }

    /// The map this project shows, as a request of the one composition point, and what of the
    /// project could not be used (an unknown level, preset or method).
    pub fn map_request(&self) -> (MapRequest, Vec<String>) {
        let mut problems = Vec::new();
        let level = self.level().unwrap_or_else(|| {
            problems.push(format!("unknown level {:?}; showing gemeinde", self.level));
            Level::Gemeinde
        });
        let lang = self.lang();
        let mut request = match &self.preset {
            Some(key) => match crate::cartography::presets::preset(key) {
                Some(preset) => MapRequest::preset(&preset, lang),
                None => {
                    problems.push(format!("unknown preset {key:?} skipped"));
                    MapRequest::new(level, lang)
                }
            },
            None => MapRequest::new(level, lang),
        };
        if self.preset.is_none() {
            request.theme = match self.theme_spec() {
                Some(Ok(spec)) => Some(spec),
                Some(Err(why)) => {
                    problems.push(format!("{why}; the theme is skipped"));
                    None
                }
                None => None,
            };
            request.site_types = self
                .sites
                .visible
                .iter()
                .map(|t| SiteType::parse(t))
                .collect();
        }
        request.focus = self.selection.as_deref().and_then(Ags::parse);
        request.extent = self.view.extent.and_then(|[a, b, c, d]| {
            ([a, b, c, d].iter().all(|v| v.is_finite()) && a < c && b < d)
                .then(|| geo::Rect::new((a, b), (c, d)))
        });
        request.title.clone_from(&self.title);
        (request, problems)
    }
}

/// A level by its key.
pub fn level_of(key: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| l.key() == key)
}

/// Reads the members one by one: a member that does not fit the current version's shape is
/// skipped with its reason, so that all else opens.
fn read_members(members: serde_json::Map<String, serde_json::Value>, version: u64) -> Opened {
    let mut kept = serde_json::Map::new();
    let mut skipped = Vec::new();
    let newer = version > u64::from(VERSION);
    for (key, value) in members {
        let mut trial = kept.clone();
        trial.insert(key.clone(), value.clone());
        match serde_json::from_value::<Project>(serde_json::Value::Object(trial)) {
            Ok(project) if !project.unknown.contains_key(&key) => {
                kept.insert(key, value);
            }
            Ok(_) if newer => skipped.push(format!(
                "{key:?}: written by version {version}, not known to version {VERSION}"
            )),
            Ok(_) => skipped.push(format!("{key:?}: not a member of a project file")),
            Err(e) => skipped.push(format!("{key:?}: {e}")),
        }
    }
    let mut project: Project =
        serde_json::from_value(serde_json::Value::Object(kept)).unwrap_or_default();
    project.unknown.clear();
    if newer {
        skipped.insert(
            0,
            format!(
                "written by a newer version ({version}; this program reads {VERSION}): opened all it can"
            ),
        );
    }
    project.version = VERSION;
    Opened { project, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Opened, ProjectError> {
        Project::parse(Path::new("p.atlas.json"), text.as_bytes())
    }

    #[test]
    fn a_saved_project_reads_back_equal() {
        let mut project = Project {
            level: "kreis".to_owned(),
            language: "en".to_owned(),
            view: ViewState {
                extent: Some([300_000.0, 5_600_000.0, 400_000.0, 5_700_000.0]),
            },
            ..Project::default()
        };
        project.set_theme(Some(&ChoroplethSpec {
            level: Level::Kreis,
            field: "density".to_owned(),
            method: Method::Manual(vec![100.0, 500.0]),
            classes: 3,
            scheme: Some("Blues".to_owned()),
            reverse: true,
            time: crate::cartography::choropleth::TimeView {
                year: Some("2019".to_owned()),
                fixed_breaks: true,
                ..Default::default()
            },
        }));
        let text = project.to_json();
        assert!(text.contains("\"format\": \"integrationsatlas-project\""));
        let opened = parse(&text).unwrap();
        assert_eq!(opened.project, project);
        assert!(opened.skipped.is_empty(), "{:?}", opened.skipped);
        let (request, problems) = opened.project.map_request();
        assert!(problems.is_empty());
        assert_eq!(
            request.theme.unwrap().method,
            Method::Manual(vec![100.0, 500.0])
        );
        assert_eq!(request.lang, Lang::En);
    }

    #[test]
    fn a_newer_version_opens_what_it_can_and_lists_the_rest() {
        let text = r#"{"format": "integrationsatlas-project", "version": 2, "level": "kreis",
            "annotations": {"show": true}, "coverage": {"radius_km": "far"}}"#;
        let opened = parse(text).unwrap();
        assert_eq!(opened.project.level, "kreis");
        assert_eq!(opened.project.coverage, CoverageSettings::default());
        assert_eq!(opened.skipped.len(), 3, "{:?}", opened.skipped);
        assert!(opened.skipped[0].starts_with("written by a newer version (2"));
        assert!(
            opened
                .skipped
                .iter()
                .any(|s| s.starts_with("\"annotations\": written by version 2"))
        );
        assert!(
            opened
                .skipped
                .iter()
                .any(|s| s.starts_with("\"coverage\": invalid type"))
        );
    }

    #[test]
    fn not_a_project_and_truncated_are_told_apart() {
        let truncated = parse("{\"format\": \"integrationsatlas-project\", \"vers").unwrap_err();
        assert!(
            matches!(truncated, ProjectError::Truncated { line: 1, .. }),
            "{truncated}"
        );
        let other = parse("{\"type\": \"FeatureCollection\"}")
            .unwrap_err()
            .to_string();
        assert!(
            other.contains("not an Integrationsatlas project file: it has no \"format\""),
            "{other}"
        );
        let csv = parse("ags;wert\n05315000;1\n").unwrap_err().to_string();
        assert!(csv.contains("no JSON"), "{csv}");
        let foreign = parse(r#"{"format": "qgis", "version": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(foreign.contains("its \"format\" is \"qgis\""), "{foreign}");
        let no_version = parse(r#"{"format": "integrationsatlas-project"}"#)
            .unwrap_err()
            .to_string();
        assert!(no_version.contains("no \"version\""), "{no_version}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
        ))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = Project::parse(Path::new("x"), &bytes);
        }

        #[test]
        fn every_truncation_of_a_project_is_an_error_or_a_project(cut in 0usize..2000) {
            let text = Project::default().to_json();
            let cut = cut.min(text.len());
            if let Ok(opened) = Project::parse(Path::new("x"), &text.as_bytes()[..cut]) {
                proptest::prop_assert!(cut >= text.trim_end().len(), "{:?}", opened.skipped);
            }
        }
    }
}
