//! What a planner may know about a site beyond the registry's fields: its postal address and
//! its capacity. Kept beside the [`Site`](super::Site)s (by site id), filled by an import with
//! address columns and by the site editor, and exported with the sites.

use std::collections::BTreeMap;

/// A postal address; every part may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Address {
    /// Straße, e.g. "Kaiser-Wilhelm-Ring".
    pub street: String,
    /// Hausnummer, e.g. "2-4".
    pub house_number: String,
    /// Postleitzahl, five digits, e.g. "50672".
    pub postcode: String,
    /// Ort, e.g. "Köln".
    pub city: String,
}

impl Address {
    /// True when no part is given.
    pub fn is_empty(&self) -> bool {
        self.street.is_empty()
            && self.house_number.is_empty()
            && self.postcode.is_empty()
            && self.city.is_empty()
    }

    /// One line: "Straße Nr, PLZ Ort" (missing parts left out).
    pub fn line(&self) -> String {
        let street = [self.street.as_str(), self.house_number.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let town = [self.postcode.as_str(), self.city.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [street, town]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Address and capacity of one site.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SiteDetails {
    /// The postal address, if known.
    pub address: Address,
    /// The capacity (places, staff, …) as the planner counts it; `None` when not given.
    pub capacity: Option<f64>,
}

/// Details by site id.
pub type DetailsById = BTreeMap<String, SiteDetails>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_line_leaves_out_missing_parts() {
        let a = Address {
            street: "Kaiser-Wilhelm-Ring".into(),
            house_number: "2".into(),
            postcode: "50672".into(),
            city: "Köln".into(),
        };
        assert_eq!(a.line(), "Kaiser-Wilhelm-Ring 2, 50672 Köln");
        let b = Address {
            city: "Olpe".into(),
            ..Address::default()
        };
        assert_eq!(b.line(), "Olpe");
        assert!(Address::default().is_empty());
    }
}
