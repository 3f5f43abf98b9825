//! Integration tests: build fixture libraries in temp dirs and check what comes out.

mod actions;
mod authoring;
mod authoring_schema;
mod browser;
mod build_pages;
mod config;
mod diagnostics;
mod factor_check;
mod fixtures;
mod formats;
mod infer;
mod json_export;
mod links;
mod pattern_pages;
mod patterns;
mod patterns_cmd;
mod protective;
mod safety;
mod search;
mod search_browser;
mod serve;
mod serve_browser;
mod suggest;
mod support;
mod trends;
mod urls;
