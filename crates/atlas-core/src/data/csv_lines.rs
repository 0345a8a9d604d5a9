//! CSV errors with true line numbers.
//!
//! The csv crate's record positions are one line early in files with CRLF line endings (the
//! position points at the `\n` of the previous line's `\r\n`). Line numbers shown to people are
//! therefore counted from the byte offset, on the error path only.

use std::io::Read as _;
use std::path::Path;

use crate::error::LoadError;

/// The 1-based line of the byte at `byte` in `bytes`. A record position may point at the `\n` of
/// a CRLF line end (see the module doc); counting that `\n` too gives the record's own line.
pub fn line_at(bytes: &[u8], byte: usize) -> u64 {
    let end = byte.saturating_add(1).min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64
}

/// The number of line ends in `bytes`: each `\n`, each `\r\n` and each `\r` alone counts once,
/// so LF, CRLF, CR-only and mixed files number their lines alike. A `\r` at the very end counts
/// as a line end of its own: callers split only where no `\n` can follow it.
pub fn count_line_ends(bytes: &[u8]) -> u64 {
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    if !bytes.contains(&b'\r') {
        return lf as u64;
    }
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

/// The 1-based line of the record starting at `position` in the file at `path`.
pub fn line_of(path: &Path, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else {
        return 0;
    };
    let Ok(file) = std::fs::File::open(path) else {
        return position.line();
    };
    let mut prefix = Vec::new();
    let _ = file
        .take(position.byte().saturating_add(1))
        .read_to_end(&mut prefix);
    // The prefix ends at the record's byte (or earlier, at the end of a shorter file): its last
    // byte is the one to count up to, so the u64 offset need not fit in usize.
    line_at(&prefix, prefix.len().saturating_sub(1))
}

impl LoadError {
    /// Sets the line of a [`LoadError::BadCsv`] that has none yet.
    pub fn at_line(self, line: u64) -> LoadError {
        match self {
            LoadError::BadCsv {
                path,
                line: 0,
                detail,
            } => LoadError::BadCsv { path, line, detail },
            other => other,
        }
    }
}

/// Turns a csv error into a [`LoadError::BadCsv`] naming the line, the column (by its header
/// when `headers` are given) and the fix.
pub fn csv_error(path: &Path, error: csv::Error, headers: Option<&csv::StringRecord>) -> LoadError {
    let line = line_of(path, error.position());
    let detail = match error.kind() {
        csv::ErrorKind::Io(e) => {
            return LoadError::io(path, std::io::Error::new(e.kind(), e.to_string()));
        }
        csv::ErrorKind::Utf8 { .. } => {
            "text is not UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)".to_owned()
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "{len} fields where the header has {expected_len}; check the separators and quotes"
            )
        }
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err.field().map_or(String::new(), |i| {
                let name = headers
                    .zip(usize::try_from(i).ok())
                    .and_then(|(h, i)| h.get(i))
                    .unwrap_or_default();
                format!(" in column {} {name}", i + 1)
            });
            format!(
                "bad value{column}: {}; correct the value or remove the row",
                err.kind()
            )
        }
        _ => error.to_string(),
    };
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_of_every_style_count_once() {
        assert_eq!(count_line_ends(b""), 0);
        assert_eq!(count_line_ends(b"a\nb\n"), 2);
        assert_eq!(count_line_ends(b"a\r\nb\r\n"), 2);
        assert_eq!(count_line_ends(b"a\rb\r"), 2);
        assert_eq!(count_line_ends(b"a\r\nb\rc\n\n\r"), 5);
    }

    #[test]
    fn line_at_counts_a_crlf_record_start_as_its_own_line() {
        let bytes = b"h\r\na\r\nb";
        assert_eq!(line_at(bytes, 0), 1);
        assert_eq!(line_at(bytes, 4), 2);
    }
}
