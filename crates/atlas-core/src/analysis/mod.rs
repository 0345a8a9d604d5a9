//! What the atlas computes from the model: indicators per region, their classification into
//! classes, name search, coverage of sites around a region, and point-in-polygon lookup of
//! coordinate tables.

pub mod classify;
pub mod coverage;
pub mod extremes;
pub mod indicator_search;
pub mod indicators;
pub mod pip;
pub mod search;
