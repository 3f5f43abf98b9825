//! Integration tests: build fixture libraries in temp dirs and check what comes out.

mod authoring;
mod authoring_schema;
mod browser;
mod build_pages;
mod config;
mod diagnostics;
mod fixtures;
mod formats;
mod json_export;
mod links;
mod patterns;
mod progress;
mod safety;
mod search;
mod search_browser;
mod serve;
mod serve_browser;
mod support;
mod urls;
