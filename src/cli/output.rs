//! Output helpers shared by the subcommands: warnings on stderr, tables as CSV or JSON.

use std::io::Write;

use super::args::TableFormat;

/// The prefix of every warning line on stderr.
pub const WARNING_PREFIX: &str = "integrationsatlas: warning: ";

/// How many warning lines of one group are printed before a summary line counts the rest.
const WARNINGS_SHOWN: usize = 10;

/// Prints warnings on stderr, one line each, the first `WARNINGS_SHOWN` of the group and a
/// summary line for the rest.
pub fn print_warnings(group: &str, warnings: &[String]) {
    for warning in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("{WARNING_PREFIX}{}", warning.replace(['\n', '\r'], " "));
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "{WARNING_PREFIX}… and {} more warnings about {group} (the window lists all)",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

/// Writes serializable rows as CSV (header from the field names) or as a JSON array.
pub(crate) fn write_table<T: serde::Serialize>(
    rows: &[T],
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in rows {
                writer.serialize(row)?;
            }
            writer.flush()?;
        }
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

pub(crate) fn hex(rgba: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgba[0], rgba[1], rgba[2])
}
