//! The table of a level: regions × chosen indicators, filtered by name or AGS, sorted by any
//! column, and written as CSV (also the export of a selection as a list). The window's table
//! view shows these rows; the core decides their order, so the CSV is what the table shows.

use crate::analysis::indicators::Indicator;
use crate::analysis::search::fold_plain;
use crate::model::{Atlas, Level};

/// A column to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    /// The region name.
    #[default]
    Name,
    /// The AGS.
    Ags,
    /// The n-th chosen indicator.
    Indicator(usize),
}

/// The order of the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Largest (or last) first.
    pub descending: bool,
}

/// The regions of `level` whose name or AGS contains `filter` (case and umlaut tolerant),
/// sorted by `sort`; no-data sorts last either way, ties keep AGS order.
pub fn rows(
    atlas: &Atlas,
    level: Level,
    indicators: &[&Indicator],
    filter: &str,
    sort: Sort,
) -> Vec<usize> {
    let regions = atlas.regions(level);
    let needle = fold_plain(filter);
    let mut rows: Vec<usize> = (0..regions.len())
        .filter(|&i| {
            needle.is_empty()
                || fold_plain(&regions[i].name).contains(&needle)
                || regions[i].ags.as_str().starts_with(filter.trim())
        })
        .collect();
    match sort.column {
        Column::Name => {
            rows.sort_by(|&a, &b| fold_plain(&regions[a].name).cmp(&fold_plain(&regions[b].name)))
        }
        Column::Ags => {}
        Column::Indicator(n) => {
            let Some(values) = indicators.get(n).map(|i| i.numeric()) else {
                return rows;
            };
            let value = |i: usize| values.get(i).copied().flatten().filter(|v| v.is_finite());
            rows.sort_by(|&a, &b| match (value(a), value(b)) {
                (Some(x), Some(y)) if sort.descending => y.total_cmp(&x),
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
            return rows;
        }
    }
    if sort.descending {
        rows.reverse();
    }
    rows
}

/// The rows as CSV (comma-separated, UTF-8, header line): AGS, name, then one column per
/// indicator keyed by its key, values with a decimal point and empty for no-data.
pub fn csv(atlas: &Atlas, level: Level, rows: &[usize], indicators: &[&Indicator]) -> String {
    let regions = atlas.regions(level);
    let values: Vec<Vec<Option<f64>>> = indicators.iter().map(|i| i.numeric()).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["ags".to_owned(), "name".to_owned()];
    header.extend(indicators.iter().map(|i| i.key.clone()));
    let mut records = vec![header];
    for &row in rows {
        let Some(region) = regions.get(row) else {
            continue;
        };
        let mut record = vec![region.ags.to_string(), region.name.clone()];
        record.extend(values.iter().map(|v| {
            v.get(row)
                .copied()
                .flatten()
                .filter(|v| v.is_finite())
                .map_or_else(String::new, |v| v.to_string())
        }));
        records.push(record);
    }
    for record in records {
        // Writing into memory cannot fail.
        let _ = writer.write_record(&record);
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atlas() -> Atlas {
        crate::data::load_atlas(&crate::data::bundled_data_dir()).expect("bundled data")
    }

    #[test]
    fn the_kreise_sorted_by_population_start_with_koeln() {
        let atlas = atlas();
        let base = crate::analysis::indicators::base_indicators(&atlas);
        let population = base
            .iter()
            .find(|i| i.level == Level::Kreis && i.key == "population")
            .unwrap();
        let sort = Sort {
            column: Column::Indicator(0),
            descending: true,
        };
        let rows = rows(&atlas, Level::Kreis, &[population], "", sort);
        assert_eq!(rows.len(), 53);
        assert_eq!(atlas.regions(Level::Kreis)[rows[0]].ags.as_str(), "05315");
        let olpe = super::rows(&atlas, Level::Gemeinde, &[], "olpe", Sort::default());
        let names: Vec<&str> = olpe
            .iter()
            .map(|&i| atlas.regions(Level::Gemeinde)[i].name.as_str())
            .collect();
        assert_eq!(names, ["Olpe"]);
        let text = csv(&atlas, Level::Kreis, &rows[..2], &[population]);
        assert_eq!(
            text,
            "ags,name,population\n05315,Köln,1087863\n05111,Düsseldorf,621877\n"
        );
    }
}
