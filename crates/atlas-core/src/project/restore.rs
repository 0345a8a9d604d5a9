//! Opening what a project names: its own data table (by reference with its checksum, or from
//! the copy inside the project), its imported site files and its site edits, on top of the
//! registry. What cannot be opened is listed, everything else opens — the window and the
//! command line's `export --project` both go through here.

use std::path::Path;

use crate::analysis::indicators::Indicator;
use crate::model::Atlas;
use crate::sites::details::DetailsById;
use crate::sites::import::{AddressColumns, Placer, import_bytes_with};
use crate::sites::{Site, SiteSet, SiteType};

use super::references::{ReferenceProblem, read_checked};
use super::{OwnDataState, Project, level_of};

/// The inputs of a project, opened.
#[derive(Clone, Debug, Default)]
pub struct Restored {
    /// Registry and imported sites, before the edits.
    pub base_sites: Vec<Site>,
    /// Addresses and capacities of the imported sites.
    pub details: DetailsById,
    /// The sites with the project's edits applied (what maps and analyses use).
    pub sites: SiteSet,
    /// The own data joined to the theme's level, if the project has one that opened.
    pub own: Option<Indicator>,
    /// One line per input that could not be opened as saved, and why.
    pub problems: Vec<String>,
}

/// Opens the inputs of `project` (saved at `project_file`, whose folder relative paths start
/// from) over the `registry`.
pub fn restore(
    project: &Project,
    project_file: Option<&Path>,
    atlas: &Atlas,
    registry: &SiteSet,
    placer: &Placer,
) -> Restored {
    let mut restored = Restored {
        base_sites: registry.sites.clone(),
        ..Restored::default()
    };
    for import in &project.sites.imports {
        let bytes = match checked_bytes(
            &import.path,
            &import.sha256,
            project_file,
            &mut restored.problems,
        ) {
            Some(b) => b,
            None => continue,
        };
        let default_type = if import.default_type.is_empty() {
            SiteType::parse(crate::sites::OWN_SITES)
        } else {
            SiteType::parse(&import.default_type)
        };
        match import_bytes_with(
            Path::new(&import.path),
            &bytes,
            placer,
            &default_type,
            &AddressColumns::default(),
        ) {
            Ok(imported) => {
                restored.base_sites.extend(imported.sites);
                restored.details.extend(imported.details);
            }
            Err(e) => restored
                .problems
                .push(format!("site import {}: {e}", import.path)),
        }
    }
    let edited = project.sites.edits.apply_to(&restored.base_sites);
    let mut sites = SiteSet::new(edited);
    sites.unavailable.clone_from(&registry.unavailable);
    restored.sites = sites;
    if let Some(own) = &project.own_data {
        restored.own = own_data(project, own, project_file, atlas, &mut restored.problems);
    }
    restored
}

/// The bytes of a saved input; a missing one is listed and skipped, a changed one listed and used.
fn checked_bytes(
    saved: &str,
    sha256: &str,
    project_file: Option<&Path>,
    problems: &mut Vec<String>,
) -> Option<Vec<u8>> {
    match read_checked(saved, sha256, project_file) {
        Ok((_, bytes)) => Some(bytes),
        Err(problem @ ReferenceProblem::Missing { .. }) => {
            problems.push(format!("{problem}; skipped"));
            None
        }
        Err(problem @ ReferenceProblem::Changed { .. }) => {
            let path = super::references::resolve(saved, project_file)?;
            problems.push(format!("{problem}; opened as it is now"));
            std::fs::read(path).ok()
        }
    }
}

fn own_data(
    project: &Project,
    own: &OwnDataState,
    project_file: Option<&Path>,
    atlas: &Atlas,
    problems: &mut Vec<String>,
) -> Option<Indicator> {
    let level = project
        .theme
        .as_ref()
        .and_then(|t| level_of(&t.level))
        .or_else(|| project.level())?;
    let found = super::references::resolve(&own.path, project_file);
    let temp;
    let path = match (&found, &own.copy) {
        (Some(path), _) => {
            if let Err(problem) = read_checked(&own.path, &own.sha256, project_file) {
                problems.push(format!("own data: {problem}; opened as it is now"));
            }
            path.as_path()
        }
        (None, Some(copy)) => {
            let name = Path::new(&own.path)
                .file_name()
                .map_or_else(|| "eigene.csv".into(), |n| n.to_string_lossy().into_owned());
            temp = tempfile::Builder::new()
                .suffix(&format!("-{name}"))
                .tempfile()
                .ok()?;
            std::fs::write(temp.path(), copy).ok()?;
            temp.path()
        }
        (None, None) => {
            problems.push(format!(
                "own data: {}; skipped",
                ReferenceProblem::Missing {
                    path: own.path.clone()
                }
            ));
            return None;
        }
    };
    let table = match crate::data::own_csv::read_own_table(path, own.sheet.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("own data: {e}; skipped"));
            return None;
        }
    };
    match crate::data::own_csv::join_own(atlas, &table, &own.key_column, &own.value_column, level) {
        Ok((indicator, _)) => Some(indicator),
        Err(e) => {
            problems.push(format!("own data: {e}; skipped"));
            None
        }
    }
}
