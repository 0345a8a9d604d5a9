//! What the atlas computes from the model: indicators per region, their classification into
//! classes, name search, coverage of sites around a region, and point-in-polygon lookup of
//! coordinate tables.

pub mod classify;
pub mod coverage;
pub mod indicators;
// TODO(#12): line numbers as u64 → usize; bound them in the module itself.
#[allow(
    clippy::cast_possible_truncation,
    reason = "line numbers of a file held in memory fit in usize"
)]
pub mod pip;
pub mod search;
