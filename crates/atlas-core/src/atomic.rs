//! Writing files atomically: into a temporary file beside the target (tempfile's
//! [`NamedTempFile`](tempfile::NamedTempFile)), then persisted over it, so a reader never sees
//! half a file and a failed write leaves nothing behind.

use std::io::{ErrorKind, Write as _};
use std::path::Path;

/// Writes `bytes` to `path` atomically. The folder must exist.
///
/// A failure keeps its [`ErrorKind`], and its text says what is wrong and what to do, once
/// (see [`write_problem`]); the caller adds the file's path.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let fail = |e: std::io::Error| std::io::Error::new(e.kind(), write_problem(path, &e));
    let result = (|| {
        // The temporary file is removed when it is dropped, so a failed write leaves nothing.
        let mut file = temporary_beside(path)?;
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        file.persist(path).map(drop).map_err(|e| e.error)
    })();
    result.map_err(fail)
}

/// Writes `path` atomically through a file-filling function: `fill` gets the path of a fresh
/// temporary file beside the target (for writers that open a path themselves, such as SQLite)
/// and the file is renamed over `path` only when `fill` succeeds; otherwise it is removed.
pub fn write_atomically_via(
    path: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let fail = |e: std::io::Error| std::io::Error::new(e.kind(), write_problem(path, &e));
    let result = (|| {
        let file = temporary_beside(path)?;
        fill(file.path())?;
        std::fs::File::open(file.path())?.sync_all()?;
        file.persist(path).map(drop).map_err(|e| e.error)
    })();
    result.map_err(fail)
}

/// A fresh temporary file in the folder of `path` (`.<name>.XXXX.tmp`), removed when dropped;
/// `path` must not be a folder and its folder must exist.
fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = folder_of(path);
    if path.is_dir() {
        return Err(ErrorKind::IsADirectory.into());
    }
    if !dir.is_dir() {
        let kind = if dir.exists() {
            ErrorKind::NotADirectory
        } else {
            ErrorKind::NotFound
        };
        return Err(kind.into());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // As `File::create` does: read-write for all, narrowed by the umask (tempfile's
        // default, 0600, would hide a map from the other users of a shared folder).
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// The folder a file is written into (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// What a failed write of `path` means and what to do, in one phrase without the file's own
/// path (the caller names it): "is a directory: give a file name", "folder … not found:
/// create it or choose an existing folder", "permission denied: choose a writable folder", …
/// Other errors give the operating system's text.
pub fn write_problem(path: &Path, err: &std::io::Error) -> String {
    let dir = folder_of(path).display();
    match err.kind() {
        ErrorKind::IsADirectory => "is a directory: give a file name".to_owned(),
        ErrorKind::NotFound => {
            format!("folder {dir} not found: create it or choose an existing folder")
        }
        ErrorKind::NotADirectory => {
            format!("{dir} is not a folder: choose an existing folder")
        }
        ErrorKind::PermissionDenied => "permission denied: choose a writable folder".to_owned(),
        ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only: choose a writable folder".to_owned()
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full: free some space or choose another disk".to_owned()
        }
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomically(&path, b"a").unwrap();
        write_atomically(&path, b"b").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"b");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_folder_is_a_clear_error() {
        let err = write_atomically(Path::new("/no/such/dir/out.csv"), b"x").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(
            err.to_string(),
            "folder /no/such/dir not found: create it or choose an existing folder"
        );
    }

    #[test]
    fn every_kind_of_failure_has_its_hint_and_others_keep_the_os_text() {
        let path = Path::new("/data/out/karte.png");
        let problem = |kind: ErrorKind| write_problem(path, &kind.into());
        assert_eq!(
            problem(ErrorKind::PermissionDenied),
            "permission denied: choose a writable folder"
        );
        assert_eq!(
            problem(ErrorKind::NotFound),
            "folder /data/out not found: create it or choose an existing folder"
        );
        assert_eq!(
            problem(ErrorKind::StorageFull),
            "the disk is full: free some space or choose another disk"
        );
        assert_eq!(
            problem(ErrorKind::ReadOnlyFilesystem),
            "the file system is read-only: choose a writable folder"
        );
        let os = std::io::Error::from_raw_os_error(5);
        assert_eq!(write_problem(path, &os), os.to_string());
    }

    #[test]
    fn a_directory_as_target_asks_for_a_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(dir.path(), b"x").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::IsADirectory);
        assert_eq!(err.to_string(), "is a directory: give a file name");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_file_as_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain.txt");
        std::fs::write(&file, "x").unwrap();
        let err = write_atomically(&file.join("out.csv"), b"x").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("plain.txt is not a folder: choose an existing folder"),
            "{err}"
        );
    }
}
