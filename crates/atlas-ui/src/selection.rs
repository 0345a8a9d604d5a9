//! The one selection shared by the linked views (map, histogram, table, scatter plot): a set of
//! regions of the shown level. Every view reads it to highlight and edits it through the same
//! operations; it can be cleared, inverted, zoomed to and written as a list (CSV, atomically, on
//! a worker thread).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use atlas_core::i18n::Lang;
use atlas_core::model::{Atlas, Level};

/// Selected regions of one level (indices into [`Atlas::regions`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    level: Level,
    regions: BTreeSet<usize>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection::empty(Level::Gemeinde)
    }
}

impl Selection {
    /// Nothing selected at `level`.
    pub fn empty(level: Level) -> Selection {
        Selection {
            level,
            regions: BTreeSet::new(),
        }
    }

    /// The level of the selected regions.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Starts over at another level (a selection never mixes levels).
    pub fn follow_level(&mut self, level: Level) {
        if self.level != level {
            *self = Selection::empty(level);
        }
    }

    /// Selects exactly these regions.
    pub fn set(&mut self, regions: impl IntoIterator<Item = usize>) {
        self.regions = regions.into_iter().collect();
    }

    /// Adds these regions.
    pub fn add(&mut self, regions: impl IntoIterator<Item = usize>) {
        self.regions.extend(regions);
    }

    /// Selects `region` if it was not, else deselects it.
    pub fn toggle(&mut self, region: usize) {
        if !self.regions.remove(&region) {
            self.regions.insert(region);
        }
    }

    /// Sets (`extend` false) or extends (`extend` true, as with Shift) the selection.
    pub fn choose(&mut self, regions: impl IntoIterator<Item = usize>, extend: bool) {
        if extend {
            self.add(regions);
        } else {
            self.set(regions);
        }
    }

    /// Deselects everything.
    pub fn clear(&mut self) {
        self.regions.clear();
    }

    /// Selects what was not selected among `count` regions, and deselects the rest.
    pub fn invert(&mut self, count: usize) {
        self.regions = (0..count).filter(|i| !self.regions.contains(i)).collect();
    }

    /// Whether `region` is selected.
    pub fn contains(&self, region: usize) -> bool {
        self.regions.contains(&region)
    }

    /// How many regions are selected.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The selected regions, ascending.
    pub fn indices(&self) -> Vec<usize> {
        self.regions.iter().copied().collect()
    }

    /// The box around the selected regions (EPSG:25832), to zoom to.
    pub fn bounds(&self, atlas: &Atlas) -> Option<geo::Rect<f64>> {
        let regions = atlas.regions(self.level);
        let boxes = self
            .regions
            .iter()
            .filter_map(|&i| regions.get(i))
            .map(|r| r.bbox);
        boxes.reduce(|a, b| {
            geo::Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
    }
}

/// Writing the selection (or the table) as CSV: the path typed, the worker and its outcome.
#[derive(Debug, Default)]
pub struct CsvExport {
    /// The file typed by the user.
    pub path_text: String,
    /// The last outcome, for the panel.
    pub message: Option<String>,
    running: Option<Receiver<Result<String, String>>>,
}

impl CsvExport {
    /// Whether a write is under way.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Writes `rows` of `level` with `columns` (indicator keys) as CSV to the typed path on a
    /// worker thread (atomically: the file is complete or untouched).
    pub fn start(
        &mut self,
        atlas: &Arc<Atlas>,
        indicators: Vec<atlas_core::analysis::indicators::Indicator>,
        level: Level,
        rows: Vec<usize>,
        lang: Lang,
    ) {
        let path = PathBuf::from(self.path_text.trim());
        if path.as_os_str().is_empty() {
            self.message = Some(
                lang.pick(
                    "Bitte einen Dateinamen eingeben, z. B. auswahl.csv",
                    "Please type a file name, e.g. selection.csv",
                )
                .to_owned(),
            );
            return;
        }
        let (sender, receiver) = channel();
        let atlas = Arc::clone(atlas);
        std::thread::spawn(move || {
            let refs: Vec<&_> = indicators.iter().collect();
            let text = atlas_core::analysis::region_table::csv(&atlas, level, &rows, &refs);
            let result = atlas_core::atomic::write_atomically(&path, text.as_bytes())
                .map(|()| {
                    lang.pick(
                        &format!("{} Zeilen in {} geschrieben", rows.len(), path.display()),
                        &format!("{} rows written to {}", rows.len(), path.display()),
                    )
                    .to_owned()
                })
                .map_err(|e| {
                    format!(
                        "{}: {}",
                        path.display(),
                        atlas_core::atomic::write_problem(&path, &e)
                    )
                });
            let _ = sender.send(result);
        });
        self.running = Some(receiver);
        self.message = None;
    }

    /// Collects the worker's outcome when it is done.
    pub fn poll(&mut self) {
        if let Some(receiver) = &self.running {
            match receiver.try_recv() {
                Ok(result) => {
                    self.message = Some(result.unwrap_or_else(|e| e));
                    self.running = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.message = Some("the CSV writer stopped unexpectedly".to_owned());
                    self.running = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_toggle_invert_and_follow_level() {
        let mut s = Selection::empty(Level::Kreis);
        s.set([3, 1]);
        s.toggle(1);
        s.toggle(7);
        assert_eq!(s.indices(), [3, 7]);
        s.choose([2], true);
        assert_eq!(s.indices(), [2, 3, 7]);
        s.invert(5);
        assert_eq!(s.indices(), [0, 1, 4]);
        s.follow_level(Level::Kreis);
        assert_eq!(s.len(), 3);
        s.follow_level(Level::Gemeinde);
        assert!(s.is_empty() && s.level() == Level::Gemeinde);
    }
}
