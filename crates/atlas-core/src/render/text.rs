//! Text for exports: cleaning user text (titles, own column names) so it is safe in SVG, and
//! wrapping it to a measured width and a maximum number of lines, with an ellipsis (…) where
//! it had to be cut.

use crate::render::font;

/// The most lines a title may take above the map.
pub const TITLE_LINES: usize = 3;

/// The ellipsis that ends a shortened last line.
pub const ELLIPSIS: char = '…';

/// Text made fit for a picture: the lines, and what was changed on the way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fitted {
    /// The lines to draw (none for empty text).
    pub lines: Vec<String>,
    /// Control and other characters XML cannot hold that were removed, each once.
    pub removed: Vec<char>,
    /// Whether the text was longer than the lines allow and the last line ends in `…`.
    pub truncated: bool,
}

/// Whether `c` cannot stand in an SVG text: control characters (line breaks and tabs become
/// spaces instead, see [`clean`]) and the non-characters U+FFFE and U+FFFF, which XML forbids.
fn is_unprintable(c: char) -> bool {
    c.is_control() || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Whether `c` is a control character that separates words: tab, line and page breaks.
fn is_breaking_control(c: char) -> bool {
    c.is_control() && c.is_whitespace()
}

/// `text` without control characters: tabs and line breaks become spaces, the rest (and the
/// non-characters XML forbids) are dropped. Everything else is kept as it is.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if is_breaking_control(c) {
                Some(' ')
            } else if is_unprintable(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

/// The characters [`clean`] drops from `text` (not counting breaks turned into spaces), each once.
pub fn removed_chars(text: &str) -> Vec<char> {
    let mut removed: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_unprintable(c) && !is_breaking_control(c) && !removed.contains(&c) {
            removed.push(c);
        }
    }
    removed
}

/// Cleans `text` and wraps it into at most `max_lines` lines no wider than `max_width` px at
/// `size` px of the bundled font. A word wider than a line is broken between characters; text
/// that does not fit ends with `…` on the last line.
pub fn fit(text: &str, max_width: f64, size: f64, max_lines: usize) -> Fitted {
    let (lines, truncated) = wrap_measured(&clean(text), max_width, size, max_lines.max(1));
    Fitted {
        lines,
        removed: removed_chars(text),
        truncated,
    }
}

/// One line of at most `max_width` px: `text` cleaned, shortened with `…` if needed.
pub fn fit_line(text: &str, max_width: f64, size: f64) -> String {
    fit(text, max_width, size, 1)
        .lines
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Greedy wrapping by measured width; returns the lines and whether text was left over.
fn wrap_measured(text: &str, max_width: f64, size: f64, max_lines: usize) -> (Vec<String>, bool) {
    let max_width = if max_width.is_finite() {
        max_width.max(0.0)
    } else {
        0.0
    };
    let space = font::text_width(" ", size);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    let mut truncated = false;
    'words: for word in text.split_whitespace() {
        let word_width = font::text_width(word, size);
        if !line.is_empty() && line_width + space + word_width <= max_width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
            if lines.len() == max_lines {
                truncated = true;
                break;
            }
        }
        if word_width <= max_width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // Wider than a whole line: break between characters (at least one a line).
        let mut buffer = [0u8; 4];
        for c in word.chars() {
            let width = font::text_width(c.encode_utf8(&mut buffer), size);
            if !line.is_empty() && line_width + width > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
                if lines.len() == max_lines {
                    truncated = true;
                    break 'words;
                }
            }
            line.push(c);
            line_width += width;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if truncated && let Some(last) = lines.last_mut() {
        *last = with_ellipsis(last, max_width, size);
    }
    (lines, truncated)
}

/// `line` shortened so that it and a trailing `…` fit into `max_width` (the `…` always stays).
fn with_ellipsis(line: &str, max_width: f64, size: f64) -> String {
    let mut kept: Vec<char> = line.trim_end().chars().collect();
    let ellipsis = font::text_width("…", size);
    let mut width = font::text_width(&kept.iter().collect::<String>(), size);
    while !kept.is_empty() && width + ellipsis > max_width {
        if let Some(c) = kept.pop() {
            let mut buffer = [0u8; 4];
            width -= font::text_width(c.encode_utf8(&mut buffer), size);
        }
    }
    while kept.last().is_some_and(|c| c.is_whitespace()) {
        kept.pop();
    }
    let mut shortened: String = kept.into_iter().collect();
    shortened.push(ELLIPSIS);
    shortened
}

/// A short list of characters for a message: each with its code point, at most `max` of them.
pub fn describe_chars(chars: &[char], max: usize) -> String {
    let mut parts: Vec<String> = chars
        .iter()
        .take(max)
        .map(|&c| {
            if is_unprintable(c) || c.is_whitespace() {
                format!("U+{:04X}", u32::from(c))
            } else {
                format!("{c} (U+{:04X})", u32::from(c))
            }
        })
        .collect();
    if chars.len() > max {
        parts.push(format!("and {} more", chars.len() - max));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_breaks_become_spaces() {
        assert_eq!(clean("A\u{1}B\u{7}C\tD\nE\u{ffff}"), "ABC D E");
        assert_eq!(removed_chars("A\u{1}B\u{7}\u{1}\n"), vec!['\u{1}', '\u{7}']);
        assert_eq!(clean("Köln <&> \"Düsseldorf\""), "Köln <&> \"Düsseldorf\"");
    }

    #[test]
    fn short_text_is_one_line_unchanged() {
        let fitted = fit("Abb. 15: Bevölkerung", 1000.0, 24.0, 3);
        assert_eq!(fitted.lines, ["Abb. 15: Bevölkerung"]);
        assert!(!fitted.truncated && fitted.removed.is_empty());
    }

    #[test]
    fn long_text_wraps_into_three_lines_ending_in_an_ellipsis() {
        let text = "Integration ".repeat(1000);
        let fitted = fit(&text, 600.0, 24.0, 3);
        assert_eq!(fitted.lines.len(), 3);
        assert!(fitted.truncated);
        assert!(fitted.lines[2].ends_with('…'), "{:?}", fitted.lines);
        for line in &fitted.lines {
            assert!(font::text_width(line, 24.0) <= 600.0, "{line}");
        }
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken() {
        let fitted = fit(&"W".repeat(10_000), 500.0, 24.0, 3);
        assert_eq!(fitted.lines.len(), 3);
        assert!(
            fitted
                .lines
                .iter()
                .all(|l| font::text_width(l, 24.0) <= 500.0)
        );
        assert!(fitted.lines[2].ends_with('…'));
    }

    #[test]
    fn legend_wrapping_measures_glyphs_and_keeps_every_word() {
        let text = "Quelle: Bundesagentur für Arbeit, Statistik der Arbeitsmarktintegration \
                    nach Kreisen und kreisfreien Städten in Nordrhein-Westfalen, 2023";
        let lines = crate::render::wrap(text, 280.0, 10.5);
        assert!(lines.len() >= 2, "{lines:?}");
        for line in &lines {
            assert!(font::text_width(line, 10.5) <= 280.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        // Narrow letters fit more to a line than wide ones: no fixed width per character.
        let narrow = crate::render::wrap(&"il ".repeat(60), 200.0, 12.0);
        let wide = crate::render::wrap(&"WM ".repeat(60), 200.0, 12.0);
        assert!(
            narrow.len() * 2 < wide.len(),
            "{} {}",
            narrow.len(),
            wide.len()
        );
        assert!(crate::render::wrap("", 200.0, 12.0).is_empty());
    }

    #[test]
    fn characters_are_described_with_code_points() {
        assert_eq!(
            describe_chars(&['م', '\u{1}', 'ر'], 2),
            "م (U+0645), U+0001, and 1 more"
        );
    }
}
