//! casebook turns a git repository of incident postmortems and reading notes into a static
//! website, and gathers every contributing factor into a pattern page so that causes that keep
//! coming back show up as trends.
//!
//! Data flows one way: [`config`] reads `book.toml`; [`content`] reads the source folder into raw
//! documents; [`model`] turns them into valid incidents, notes and factors; [`analysis`] computes
//! patterns, trends, links and backlinks from the model alone; [`markdown`] and [`render`] turn
//! the model into pages, and [`search`] writes the search index beside them; [`output`] writes
//! them to a staging folder and swaps it in. [`site`] runs the stages in order; [`serve`] runs
//! the same stages on change, handing in the one cache it keeps between builds, and serves the
//! site from memory. [`diagnostic`] (problems with a location),
//! [`fs`] (I/O that names its path) and [`text`] (words and stems) are leaves every stage may
//! use; [`progress`] draws a long build's stages on a terminal.

#![warn(missing_docs)]

pub mod analysis;
pub mod authoring;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod fs;
pub mod lookalike;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod ranking;
pub mod render;
pub mod search;
pub mod serve;
pub mod sink;
pub mod site;
pub mod switches;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
pub mod theme;
pub mod url_scheme;
pub mod urls;
