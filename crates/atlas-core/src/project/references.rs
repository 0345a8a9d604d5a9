//! The input files a project names (own data, imported sites): found relative to the project
//! file or as given, and checked against the SHA-256 saved with the project, so that a moved
//! or changed input is said, never silently used.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

/// The SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What is wrong with an input a project names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceProblem {
    /// The file is not there (neither as given nor beside the project).
    #[error(
        "{path}: not found (looked as given and beside the project file); copy it back or choose it again"
    )]
    Missing {
        /// The path as saved.
        path: String,
    },
    /// The file's content differs from when the project was saved.
    #[error(
        "{path}: changed since the project was saved (SHA-256 {found}, saved {expected}); its figures may differ: check it or choose it again"
    )]
    Changed {
        /// The path as found.
        path: String,
        /// The saved SHA-256.
        expected: String,
        /// The file's SHA-256 now.
        found: String,
    },
}

/// Where a saved path points: as given if it exists, else relative to the project's folder.
pub fn resolve(saved: &str, project_file: Option<&Path>) -> Option<PathBuf> {
    let given = PathBuf::from(saved);
    if given.is_file() {
        return Some(given);
    }
    let beside = project_file?.parent()?.join(&given);
    if beside.is_file() {
        return Some(beside);
    }
    let name = given.file_name()?;
    let by_name = project_file?.parent()?.join(name);
    by_name.is_file().then_some(by_name)
}

/// Finds and reads a saved input, checking its checksum (an empty saved checksum is not
/// checked). Returns the path found and the bytes.
pub fn read_checked(
    saved: &str,
    sha256: &str,
    project_file: Option<&Path>,
) -> Result<(PathBuf, Vec<u8>), ReferenceProblem> {
    let missing = || ReferenceProblem::Missing {
        path: saved.to_owned(),
    };
    let path = resolve(saved, project_file).ok_or_else(missing)?;
    let bytes = std::fs::read(&path).map_err(|_| missing())?;
    let found = sha256_hex(&bytes);
    if !sha256.is_empty() && !found.eq_ignore_ascii_case(sha256) {
        return Err(ReferenceProblem::Changed {
            path: path.display().to_string(),
            expected: sha256.to_owned(),
            found,
        });
    }
    Ok((path, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_changed_input_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.atlas.json");
        let data = dir.path().join("daten.csv");
        std::fs::write(&data, "ags;wert\n").unwrap();
        let sum = sha256_hex(b"ags;wert\n");
        let (found, bytes) = read_checked("daten.csv", &sum, Some(&project)).unwrap();
        assert_eq!((found, bytes.len()), (data.clone(), 9));
        std::fs::write(&data, "ags;wert\n1;2\n").unwrap();
        let changed = read_checked("daten.csv", &sum, Some(&project)).unwrap_err();
        assert!(
            changed
                .to_string()
                .contains("changed since the project was saved"),
            "{changed}"
        );
        let missing = read_checked("/gone/x.csv", &sum, Some(&project)).unwrap_err();
        assert_eq!(
            missing,
            ReferenceProblem::Missing {
                path: "/gone/x.csv".to_owned()
            }
        );
    }
}
