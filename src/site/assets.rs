//! The library's other files in the site: where each one is copied, so that a document's
//! relative links to its pictures and attachments keep working from its page.

use crate::config::Config;
use crate::model::Library;
use crate::sink::Sink;
use crate::urls::Urls;
use anyhow::Result;
use std::collections::BTreeMap;

/// `static/` goes to the site root; any other file is copied beside the page of every document
/// in its folder (or, for a file in a sub-folder, of the nearest folder above it that holds
/// documents, keeping the sub-path), so relative links from those documents keep working. A
/// file with no document above it keeps its path.
pub(super) fn copy(config: &Config, lib: &Library, assets: &[String], out: &dyn Sink) -> Result<()> {
    let mut pages_in: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (kind, d) in lib.documents() {
        pages_in.entry(d.dir()).or_default().push(Urls::page(Urls::section(kind), &d.id));
    }
    let src = config.src_dir();
    for rel in assets {
        let from = src.join(rel);
        if let Some(stripped) = rel.strip_prefix("static/") {
            out.copy_to(&from, &[stripped.to_string()])?;
            continue;
        }
        match pages_above(&pages_in, rel) {
            Some((pages, sub)) => {
                let targets: Vec<String> = pages.iter().map(|p| format!("{p}{sub}")).collect();
                out.copy_to(&from, &targets)?;
            }
            None => out.copy_to(&from, std::slice::from_ref(rel))?,
        }
    }
    Ok(())
}

/// The pages of the documents in the nearest folder above `rel` that holds any, and the path
/// of `rel` below that folder.
fn pages_above<'p>(pages_in: &'p BTreeMap<&str, Vec<String>>, rel: &'p str) -> Option<(&'p [String], &'p str)> {
    let mut dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    loop {
        if let Some(pages) = pages_in.get(dir) {
            let sub = if dir.is_empty() { rel } else { &rel[dir.len() + 1..] };
            return Some((pages, sub));
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}
