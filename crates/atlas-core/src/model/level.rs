//! The four administrative levels of NRW. Its own module so that geometry (the border network)
//! can name levels without depending on the [`Atlas`](crate::model::Atlas) that holds it.

use std::fmt;
use std::str::FromStr;

/// An administrative level of NRW, from the whole Land down to the Gemeinden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The Land NRW (AGS with 2 digits).
    Land,
    /// The 5 Regierungsbezirke (3 digits).
    Bezirk,
    /// The 53 Kreise and kreisfreie Städte (5 digits).
    Kreis,
    /// The 396 Gemeinden (8 digits).
    Gemeinde,
}

impl Level {
    /// All levels, from the top down.
    pub const ALL: [Level; 4] = [Level::Land, Level::Bezirk, Level::Kreis, Level::Gemeinde];

    /// The number of AGS digits that identify a region of this level.
    pub fn ags_len(self) -> usize {
        match self {
            Level::Land => 2,
            Level::Bezirk => 3,
            Level::Kreis => 5,
            Level::Gemeinde => 8,
        }
    }

    /// The level one step up, if any.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::Land => None,
            Level::Bezirk => Some(Level::Land),
            Level::Kreis => Some(Level::Bezirk),
            Level::Gemeinde => Some(Level::Kreis),
        }
    }

    /// The identifier used on the command line and in output files.
    pub fn key(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Bezirk => "bezirk",
            Level::Kreis => "kreis",
            Level::Gemeinde => "gemeinde",
        }
    }

    /// The position of the level in [`Level::ALL`] (Land 0 … Gemeinde 3).
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|level| level.key() == s.to_ascii_lowercase())
            .ok_or_else(|| format!("unknown level {s:?}; use land, bezirk, kreis or gemeinde"))
    }
}

impl Level {
    /// The level one step down, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Land => Some(Level::Bezirk),
            Level::Bezirk => Some(Level::Kreis),
            Level::Kreis => Some(Level::Gemeinde),
            Level::Gemeinde => None,
        }
    }
}
