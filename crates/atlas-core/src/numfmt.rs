//! Number formatting for people: German (1.234,5) or English (1,234.5) grouping.

use crate::i18n::Lang;

/// Formats `value` with `decimals` decimals and thousands grouping in the language's style.
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + int_part.len() / 3 + 1);
    if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        grouped.push('-');
    }
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    if !frac_part.is_empty() {
        grouped.push(point);
        grouped.push_str(frac_part);
    }
    grouped
}

/// Formats a count with thousands grouping.
pub fn format_count(value: u64, lang: Lang) -> String {
    format_number(value as f64, 0, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_grouping_and_decimal_comma() {
        assert_eq!(format_number(1234.5, 1, Lang::De), "1.234,5");
        assert_eq!(format_number(1_087_863.0, 0, Lang::De), "1.087.863");
        assert_eq!(format_number(-0.04, 1, Lang::De), "0,0");
        assert_eq!(format_number(-12345.678, 2, Lang::De), "-12.345,68");
    }

    #[test]
    fn english_grouping() {
        assert_eq!(format_number(34112.3, 1, Lang::En), "34,112.3");
        assert_eq!(format_count(999, Lang::En), "999");
    }
}
