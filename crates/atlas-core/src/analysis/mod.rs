//! What the atlas computes from the model: indicators per region, their classification into
//! classes, name search, coverage of sites around a region, and point-in-polygon lookup of
//! coordinate tables; on the Zensus population grid: coverage, catchments and 2SFCA supply
//! ratios; for the linked views, histograms, correlation and regression, and the region table.

pub mod access;
pub mod catchments;
pub mod classify;
pub mod correlation;
pub mod coverage;
pub mod extremes;
pub mod grid_coverage;
pub mod histogram;
pub mod indicator_search;
pub mod indicators;
pub mod pip;
pub mod region_table;
pub mod search;
pub mod site_selection;
