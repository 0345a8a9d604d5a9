//! Finding an indicator by words: the picker of the window and `integrationsatlas indicators
//! --search`. Each query word must start a word of the indicator's short name, long name, theme
//! (`bereich`), key or description, tolerant of umlaut spellings as the Kommune search is
//! ([`crate::analysis::search::fold_plain`]): "asyl" finds "Asylbewerber", "aerzte" finds "Ärzte",
//! "oberzentrum" finds "Erreichbarkeit von Oberzentren" (its name says "Oberzentrum"). A word
//! that differs from the query only in its last two letters ("Oberzentren") still matches, ranked
//! lower. Hits come grouped by theme, recently used ones first.
//!
//! The index folds every word once ([`IndicatorIndex::new`]); a query then compares short
//! strings only (well under 1 ms for the ~180 indicators, see `benches/inkar.rs`).

use crate::analysis::indicators::IndicatorSet;
use crate::analysis::search::{fold_digraph, fold_plain};
use crate::i18n::Lang;
use crate::model::Level;

/// What the picker shows of one indicator (all its levels together).
#[derive(Clone, Debug, PartialEq)]
pub struct PickerEntry {
    /// The key, e.g. `inkar24_q_asyl_bev`.
    pub key: String,
    /// The levels it exists at, in [`Level`] order (Kreis before Gemeinde).
    pub levels: Vec<Level>,
    /// The short name, e.g. "Asylbewerber".
    pub name: String,
    /// The long name (INKAR's `name`), empty for the atlas's own indicators.
    pub long_name: String,
    /// The unit.
    pub unit: String,
    /// The theme (INKAR's `bereich`; the atlas's own indicators share one).
    pub theme: String,
    /// The description (INKAR's `anmerkungen`), else the source.
    pub description: String,
    /// The years for people, e.g. "2010–2021" (empty for one figure without a year).
    pub years: String,
}

/// Where a word was found; lower ranks better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name = 0,
    LongName = 1,
    Theme = 2,
    Description = 3,
}

/// How a query word met a word of the text; lower ranks better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Exact = 0,
    Prefix = 1,
    Stem = 2,
}

struct Indexed {
    entry: PickerEntry,
    /// Folded words (plain and digraph spellings) with the field they come from.
    words: Vec<(Field, String)>,
}

/// A group of hits: a theme, or the recently used indicators (`theme` = `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Group<'a> {
    /// The theme, `None` for the recently used.
    pub theme: Option<&'a str>,
    /// The hits, best first.
    pub entries: Vec<&'a PickerEntry>,
}

/// The searchable index of an indicator set.
pub struct IndicatorIndex {
    indexed: Vec<Indexed>,
}

/// The theme of the atlas's own indicators (not INKAR's).
pub fn own_theme(lang: Lang) -> &'static str {
    lang.pick(
        "Atlas: Grunddaten, Zensus, Gutachten",
        "Atlas: base data, census, report",
    )
}

impl IndicatorIndex {
    /// Indexes every indicator of `set` at Gemeinde and Kreis level, one entry per key.
    pub fn new(set: &IndicatorSet, lang: Lang) -> IndicatorIndex {
        let mut indexed: Vec<Indexed> = Vec::new();
        for indicator in &set.indicators {
            if !matches!(indicator.level, Level::Gemeinde | Level::Kreis) {
                continue;
            }
            if let Some(known) = indexed.iter_mut().find(|e| e.entry.key == indicator.key) {
                if !known.entry.levels.contains(&indicator.level) {
                    known.entry.levels.push(indicator.level);
                    known.entry.levels.sort();
                }
                continue;
            }
            let about = indicator.about.as_deref();
            let entry = PickerEntry {
                key: indicator.key.clone(),
                levels: vec![indicator.level],
                name: indicator.label(lang).to_owned(),
                long_name: indicator
                    .note
                    .as_ref()
                    .filter(|_| about.is_some())
                    .map(|n| n.get(lang).to_owned())
                    .unwrap_or_default(),
                unit: indicator.unit.clone(),
                theme: about.map_or_else(|| own_theme(lang).to_owned(), |a| a.theme.clone()),
                description: about
                    .map_or_else(|| indicator.source.clone(), |a| a.description.clone()),
                years: indicator
                    .series
                    .as_ref()
                    .map(|s| s.years_text())
                    .unwrap_or_default(),
            };
            let mut words = Vec::new();
            add_words(&mut words, Field::Name, &entry.name);
            add_words(&mut words, Field::Name, &entry.key.replace('_', " "));
            add_words(&mut words, Field::LongName, &entry.long_name);
            add_words(&mut words, Field::Theme, &entry.theme);
            add_words(&mut words, Field::Description, &entry.description);
            words.sort();
            words.dedup();
            indexed.push(Indexed { entry, words });
        }
        IndicatorIndex { indexed }
    }

    /// All entries, in the set's order.
    pub fn entries(&self) -> impl Iterator<Item = &PickerEntry> {
        self.indexed.iter().map(|i| &i.entry)
    }

    /// The entries matching every word of `query` (all for an empty query), optionally only
    /// those at `level`: the recently used first (in `recent`'s order, most recent first), then
    /// grouped by theme, the best-matching theme first, each group best first.
    pub fn search(&self, query: &str, recent: &[String], level: Option<Level>) -> Vec<Group<'_>> {
        let words: Vec<(String, String)> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| (fold_plain(w), fold_digraph(w)))
            .collect();
        let mut hits: Vec<(usize, &Indexed)> = self
            .indexed
            .iter()
            .filter(|e| level.is_none_or(|l| e.entry.levels.contains(&l)))
            .filter_map(|e| score(e, &words).map(|s| (s, e)))
            .collect();
        hits.sort_by_key(|(s, _)| *s);
        let mut groups: Vec<Group<'_>> = Vec::new();
        let recent_hits: Vec<&PickerEntry> = recent
            .iter()
            .filter_map(|key| hits.iter().find(|(_, e)| e.entry.key == *key))
            .map(|(_, e)| &e.entry)
            .collect();
        if !recent_hits.is_empty() {
            groups.push(Group {
                theme: None,
                entries: recent_hits,
            });
        }
        for (_, e) in hits {
            if recent.contains(&e.entry.key) {
                continue;
            }
            let theme = e.entry.theme.as_str();
            match groups.iter_mut().find(|g| g.theme == Some(theme)) {
                Some(group) => group.entries.push(&e.entry),
                None => groups.push(Group {
                    theme: Some(theme),
                    entries: vec![&e.entry],
                }),
            }
        }
        groups
    }
}

/// Adds the folded words of `text` (plain and digraph spelling) to `words`.
fn add_words(words: &mut Vec<(Field, String)>, field: Field, text: &str) {
    for folded in [fold_plain(text), fold_digraph(text)] {
        for word in folded.split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                words.push((field, word.to_owned()));
            }
        }
    }
}

/// How well `word` (folded) meets `query` (folded), if at all.
fn meet(word: &str, query: &str) -> Option<Kind> {
    if word == query {
        return Some(Kind::Exact);
    }
    if word.starts_with(query) {
        return Some(Kind::Prefix);
    }
    let common = word
        .chars()
        .zip(query.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let length = query.chars().count();
    (length >= 6 && common + 2 >= length).then_some(Kind::Stem)
}

/// The rank of an entry for the query words (lower is better), `None` if a word matches nothing.
/// An empty query keeps the set's order.
fn score(entry: &Indexed, query: &[(String, String)]) -> Option<usize> {
    let mut total = 0;
    for (plain, digraph) in query {
        let best = entry
            .words
            .iter()
            .filter_map(|(field, word)| {
                let kind = [meet(word, plain), meet(word, digraph)]
                    .into_iter()
                    .flatten()
                    .min()?;
                Some(*field as usize * 3 + kind as usize)
            })
            .min()?;
        total += best;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_meet_by_prefix_and_stem() {
        assert_eq!(meet("asylbewerber", "asyl"), Some(Kind::Prefix));
        assert_eq!(meet("oberzentrum", "oberzentrum"), Some(Kind::Exact));
        assert_eq!(meet("oberzentren", "oberzentrum"), Some(Kind::Stem));
        assert_eq!(meet("schule", "schueler"), None);
        assert_eq!(meet("bahn", "bus"), None);
    }
}
