//! Finding a Kommune by name prefix or AGS, tolerant of umlaut spellings ("Koln", "Muelheim").

use crate::model::{Atlas, Level, RegionId};

/// Lower-cases and drops diacritics: "Köln" → "koln", "Gießen" → "giessen".
pub fn fold_plain(text: &str) -> String {
    fold(text, false)
}

/// Lower-cases and writes umlauts as digraphs: "Köln" → "koeln", "Mülheim" → "muelheim".
pub fn fold_digraph(text: &str) -> String {
    fold(text, true)
}

fn fold(text: &str, digraphs: bool) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'ö' | 'ü' if digraphs => {
                out.push(match c {
                    'ä' => 'a',
                    'ö' => 'o',
                    _ => 'u',
                });
                out.push('e');
            }
            'ä' | 'à' | 'á' | 'â' => out.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' => out.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ß' => out.push_str("ss"),
            '-' | '_' | '/' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// How well a name matched; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    Exact,
    Prefix,
    WordPrefix,
}

fn match_name(name: &str, plain_query: &str, digraph_query: &str) -> Option<MatchKind> {
    let plain = fold_plain(name);
    let digraph = fold_digraph(name);
    if plain == plain_query || digraph == digraph_query || digraph == plain_query {
        return Some(MatchKind::Exact);
    }
    let starts = |hay: &str| hay.starts_with(plain_query) || hay.starts_with(digraph_query);
    if starts(&plain) || starts(&digraph) {
        return Some(MatchKind::Prefix);
    }
    let word_starts = |hay: &str| hay.split([' ', '.', '(']).skip(1).any(starts);
    (word_starts(&plain) || word_starts(&digraph)).then_some(MatchKind::WordPrefix)
}

/// Regions whose name starts with `query` (folded), or whose AGS starts with it when it is all
/// digits; best first: exact names, then regions of `preferred` level, then by population.
pub fn search(atlas: &Atlas, query: &str, preferred: Level, limit: usize) -> Vec<RegionId> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let plain_query = fold_plain(query);
    let digraph_query = fold_digraph(query);
    let by_ags = query.bytes().all(|b| b.is_ascii_digit());
    let mut hits: Vec<(MatchKind, bool, u64, RegionId)> = Vec::new();
    for level in [Level::Gemeinde, Level::Kreis, Level::Bezirk, Level::Land] {
        for (index, region) in atlas.regions(level).iter().enumerate() {
            let kind = if by_ags {
                let ags = region.ags.as_str();
                if ags == query {
                    Some(MatchKind::Exact)
                } else {
                    ags.starts_with(query).then_some(MatchKind::Prefix)
                }
            } else {
                match_name(&region.name, &plain_query, &digraph_query)
            };
            if let Some(kind) = kind {
                let id = RegionId { level, index };
                hits.push((kind, level != preferred, u64::MAX - region.population, id));
            }
        }
    }
    hits.sort_by_key(|&(kind, other_level, pop, id)| (kind, other_level, pop, id.level, id.index));
    hits.into_iter().take(limit).map(|h| h.3).collect()
}

/// The one Gemeinde or Kreis that a name ("Lüdenscheid", "Kreis Olpe") or an AGS means. A
/// kreisfreie Stadt is one Kommune at both levels and resolves to its Gemeinde. The error lists
/// the candidates of an ambiguous name ("Olpe": the Stadt and the Kreis) or the closest names.
pub fn resolve_kommune(atlas: &Atlas, name: &str) -> Result<crate::Ags, String> {
    let folded = fold_plain(name);
    let matches: Vec<&crate::Region> = [Level::Gemeinde, Level::Kreis]
        .into_iter()
        .flat_map(|level| atlas.regions(level))
        .filter(|r| {
            let own_name = fold_plain(&r.name);
            r.ags.as_str() == name.trim()
                || own_name == folded
                || fold_plain(&r.display_name()) == folded
                // "Aachen" also names the StädteRegion Aachen.
                || (r.level == Level::Kreis && own_name.ends_with(&format!(" {folded}")))
        })
        .collect();
    let matches: Vec<&crate::Region> = matches
        .iter()
        .copied()
        .filter(|r| {
            !(r.level == Level::Kreis
                && r.kreisfrei
                && matches.iter().any(|g| g.parent.as_ref() == Some(&r.ags)))
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.ags.clone()),
        [] => {
            let close: Vec<String> = search(atlas, name, Level::Gemeinde, 6)
                .into_iter()
                .map(|id| atlas.region(id).display_name())
                .collect();
            let close = if close.is_empty() {
                "none".to_owned()
            } else {
                close.join(", ")
            };
            Err(format!("no Kommune {name:?}; closest names: {close}"))
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|r| format!("{} ({})", r.display_name(), r.ags))
                .collect();
            Err(format!(
                "{name:?} is ambiguous: {}; give the AGS",
                list.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_fold_both_ways() {
        assert_eq!(fold_plain("Köln"), "koln");
        assert_eq!(fold_digraph("Mülheim an der Ruhr"), "muelheim an der ruhr");
        assert_eq!(fold_plain("Lüdenscheid"), "ludenscheid");
        assert_eq!(fold_digraph("Gießen"), "giessen");
    }

    #[test]
    fn spellings_match_names() {
        assert_eq!(
            match_name("Köln", &fold_plain("Koln"), &fold_digraph("Koln")),
            Some(MatchKind::Exact)
        );
        assert_eq!(
            match_name("Köln", &fold_plain("koeln"), &fold_digraph("koeln")),
            Some(MatchKind::Exact)
        );
        assert_eq!(
            match_name(
                "Mülheim an der Ruhr",
                &fold_plain("Muelheim"),
                &fold_digraph("Muelheim")
            ),
            Some(MatchKind::Prefix)
        );
        assert_eq!(
            match_name(
                "Bad Lippspringe",
                &fold_plain("lipp"),
                &fold_digraph("lipp")
            ),
            Some(MatchKind::WordPrefix)
        );
        assert_eq!(
            match_name("Bonn", &fold_plain("Köln"), &fold_digraph("Köln")),
            None
        );
    }
}
