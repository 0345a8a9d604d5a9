//! The user's data folder of the atlas (`$INTEGRATIONSATLAS_HOME`, else
//! `$XDG_DATA_HOME/integrationsatlas`, else `~/.local/share/integrationsatlas`): the list of
//! recent projects and the autosave of unsaved work, written atomically every few seconds
//! while the state changes and removed when the window closes normally — so an autosave found
//! at start means the last session ended by a crash or a kill, and the window offers it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Project;

/// Overrides the user's data folder (tests, portable installs).
pub const HOME_ENV: &str = "INTEGRATIONSATLAS_HOME";
/// The autosave's file name in the user's data folder.
pub const AUTOSAVE_FILE: &str = "autosave.atlas.json";
/// The recent projects' file name in the user's data folder.
pub const RECENT_FILE: &str = "recent.json";
/// How many recent projects are kept.
pub const RECENT_MAX: usize = 10;
/// How often unsaved state is written at most.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

/// The user's data folder of the atlas (not created here).
pub fn user_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var(HOME_ENV)
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("integrationsatlas")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/integrationsatlas")))
}

/// The recent projects, newest first, in a user data folder.
pub fn recent(dir: &Path) -> Vec<PathBuf> {
    std::fs::read(dir.join(RECENT_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<PathBuf>>(&b).ok())
        .unwrap_or_default()
}

/// Puts `project` first in the recent list (at most [`RECENT_MAX`]).
pub fn remember(dir: &Path, project: &Path) -> std::io::Result<()> {
    let project = std::path::absolute(project).unwrap_or_else(|_| project.to_owned());
    let mut list = recent(dir);
    list.retain(|p| p != &project);
    list.insert(0, project);
    list.truncate(RECENT_MAX);
    std::fs::create_dir_all(dir)?;
    let text = serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?;
    crate::atomic::write_atomically(&dir.join(RECENT_FILE), text.as_bytes())
}

/// The autosave left by a session that ended with unsaved work (a crash, a kill, or closing
/// without saving), if any, and whether it parses.
pub fn leftover_autosave(dir: &Path) -> Option<Result<super::Opened, super::ProjectError>> {
    let path = dir.join(AUTOSAVE_FILE);
    path.is_file().then(|| Project::open(&path))
}

/// Writes unsaved state now and then: at most every [`AUTOSAVE_EVERY`], and only when it
/// changed since the last write.
#[derive(Debug)]
pub struct Autosaver {
    path: PathBuf,
    every: Duration,
    written: Option<String>,
    last: Option<Instant>,
}

impl Autosaver {
    /// An autosaver writing `dir/autosave.atlas.json`.
    pub fn new(dir: &Path) -> Autosaver {
        Autosaver::every(dir, AUTOSAVE_EVERY)
    }

    /// An autosaver with its own interval.
    pub fn every(dir: &Path, every: Duration) -> Autosaver {
        Autosaver {
            path: dir.join(AUTOSAVE_FILE),
            every,
            written: None,
            last: None,
        }
    }

    /// The autosave file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the project if it changed and the interval has passed; `Ok(true)` when written.
    pub fn tick(&mut self, now: Instant, project: &Project) -> std::io::Result<bool> {
        if self
            .last
            .is_some_and(|last| now.duration_since(last) < self.every)
        {
            return Ok(false);
        }
        let text = project.to_json();
        if self.written.as_ref() == Some(&text) {
            return Ok(false);
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::atomic::write_atomically(&self.path, text.as_bytes())?;
        self.written = Some(text);
        self.last = Some(now);
        Ok(true)
    }

    /// The state was saved by the user or the window closes normally: the autosave goes.
    pub fn discard(&mut self) -> std::io::Result<()> {
        self.written = None;
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_autosave_is_written_on_change_at_most_every_interval() {
        let dir = tempfile::tempdir().unwrap();
        let mut saver = Autosaver::every(dir.path(), Duration::from_secs(3));
        let t0 = Instant::now();
        let mut project = Project::default();
        assert!(saver.tick(t0, &project).unwrap());
        project.level = "kreis".to_owned();
        assert!(
            !saver.tick(t0 + Duration::from_secs(1), &project).unwrap(),
            "too soon"
        );
        assert!(saver.tick(t0 + Duration::from_secs(4), &project).unwrap());
        assert!(
            !saver.tick(t0 + Duration::from_secs(9), &project).unwrap(),
            "unchanged"
        );
        let left = leftover_autosave(dir.path()).unwrap().unwrap();
        assert_eq!(left.project.level, "kreis");
        saver.discard().unwrap();
        assert!(leftover_autosave(dir.path()).is_none());
    }

    #[test]
    fn recent_projects_are_newest_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a", "b", "a"] {
            remember(dir.path(), &dir.path().join(format!("{name}.atlas.json"))).unwrap();
        }
        let list = recent(dir.path());
        assert_eq!(list.len(), 2);
        assert!(list[0].ends_with("a.atlas.json"));
    }
}
