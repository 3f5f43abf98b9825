//! The search index, written with the site as JavaScript data files under `search/` that the
//! browser loads with `<script>` tags, so search works from any static host, under a sub-path
//! and from `file://` (docs/search.md):
//!
//! - `search/index.js`, the manifest: document count, each shard's first key, the year ranges,
//!   the filter fields and the stop words; its size does not grow with the library's;
//! - `search/s/N.js`, shards of the term index by key range (`shards`);
//! - `search/d/N.js`, the document store in small groups of [`GROUP`] documents (kind, path,
//!   title, date, severity, summary, snippet sentences), fetched only for results shown;
//! - `search/f/NAME.js`, one file per filter field (kind, severity, factor, service), its values
//!   as compact sets of document numbers (`facets`); the manifest lists the fields, and the
//!   search page fetches the large ones (factor, service) only when it needs them.
//!
//! Documents are numbered in date order (`docs`), words folded and stemmed at build time
//! (`crate::text`), and each posting carries its ranking bits and BM25 part (`index`). `serve`
//! keeps the last index ([`IndexCache`]) and patches it after an edit, writing the same files.

mod build;
mod cache;
mod docs;
mod encode;
mod facets;
mod index;
mod shards;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::model::Library;
use crate::sink::Sink;
use anyhow::Result;
use rayon::prelude::*;
use serde_json::json;

pub use cache::IndexCache;

/// Documents per file of the document store.
pub const GROUP: usize = 8;
/// The format version the browser checks.
const VERSION: u32 = 1;

/// Writes every index file through `sink`.
pub fn write(config: &Config, lib: &Library, an: &Analysis, sink: &dyn Sink) -> Result<()> {
    // Read by benches/search.sh to measure what the index adds to a build; unlike
    // CASEBOOK_TIMINGS (whose stage time `site` prints), CASEBOOK_SEARCH_TIMINGS leaves the
    // rest of the build as it is, and adds the index's memory.
    let timed = crate::switches::Switches::get().search_timings;
    let started = std::time::Instant::now();
    let rss_before = if timed { resident_mb() } else { 0 };
    let mut rss_most = 0;
    write_files(config, lib, an, sink, &mut || {
        if timed {
            rss_most = resident_mb();
        }
    })?;
    if timed {
        let ms = started.elapsed().as_millis();
        eprintln!("search index: {ms} ms, resident memory {rss_before} MB before, {rss_most} MB at its largest");
    }
    Ok(())
}

/// Writes every index file through `sink`, as [`fn@write`] does, reusing what `cache` holds of the
/// last build and keeping this one's for the next (`serve`).
pub fn write_cached(
    config: &Config,
    lib: &Library,
    an: &Analysis,
    sink: &dyn Sink,
    cache: &mut IndexCache,
) -> Result<()> {
    cache::write(config, lib, an, sink, cache)
}

/// The process's resident memory in MB (Linux; 0 elsewhere), for the benchmark's figures.
fn resident_mb() -> u64 {
    crate::fs::memory_mb("VmRSS:")
}

/// `at_largest` is called when the most is held: the entries, the index and its shards.
fn write_files(
    config: &Config,
    lib: &Library,
    an: &Analysis,
    sink: &dyn Sink,
    at_largest: &mut dyn FnMut(),
) -> Result<()> {
    let mut entries = docs::gather(lib, an);
    let mut index = build::index(&mut entries, |e| docs::read_counted(lib, an, e));
    let encoded = shards::encode_all(&index);
    // The postings are in `encoded` now; the shards need only the words beside them.
    index.postings = Default::default();
    let keys = shards::keys(&index.words, &encoded);
    let plan = shards::plan(&keys, shards::TARGET_BYTES);
    at_largest();
    plan.par_iter().enumerate().try_for_each(|(i, r)| {
        let name = format!("s/{i}");
        sink.put(&format!("search/{name}.js"), &encode::wrap(&name, &shards::json(&keys[r.clone()])))
    })?;
    let firsts: Vec<&str> = plan
        .iter()
        .enumerate()
        .map(|(i, r)| if i == 0 { "" } else { keys.get(r.start).map_or("", |k| k.key) })
        .collect();
    entries.par_chunks(GROUP).enumerate().try_for_each(|(g, chunk)| {
        let name = format!("d/{g}");
        let rows = chunk.iter().map(|e| (e, &e.sentences[..]));
        sink.put(&format!("search/{name}.js"), &group_file(&name, rows))
    })?;
    finish(config, lib, an, &entries, &firsts, sink)
}

/// The files written last: the facets and the manifest (`firsts`: each shard's first key).
fn finish(
    config: &Config,
    lib: &Library,
    an: &Analysis,
    entries: &[docs::Entry],
    firsts: &[&str],
    sink: &dyn Sink,
) -> Result<()> {
    let severities = crate::render::severities(config, lib);
    let fields = facets::write(entries, lib, an, &severities, sink)?;
    let manifest = json!({
        "v": VERSION,
        "n": entries.len(),
        "pretty": config.pretty_urls,
        "group": GROUP,
        "shards": firsts,
        "years": facets::years(entries),
        "facets": fields,
        "stop": crate::text::STOP_WORDS,
    });
    sink.put("search/index.js", &encode::data_file("index", &manifest))
}

/// A file of the document store: its documents' rows as a JSON array, written straight
/// from the entries.
fn group_file<'a>(name: &str, rows: impl Iterator<Item = (&'a docs::Entry, &'a [String])>) -> Vec<u8> {
    let mut json = vec![b'['];
    for (i, (e, sentences)) in rows.enumerate() {
        if i > 0 {
            json.push(b',');
        }
        doc_row(&mut json, e, sentences);
    }
    json.push(b']');
    encode::wrap(name, &json)
}

/// One row of the document store: `[kind, path, title, date, severity, summary, sentences]`.
fn doc_row(out: &mut Vec<u8>, e: &docs::Entry, sentences: &[String]) {
    let date = e.date.map(|d| d.to_string()).unwrap_or_default();
    let fields = [docs::KINDS[e.kind], &e.path, &e.title, &date];
    let rest = [e.severity.as_deref(), e.summary.as_deref()].map(Option::unwrap_or_default);
    out.push(b'[');
    for f in fields.into_iter().chain(rest) {
        encode::json_string(out, f);
        out.push(b',');
    }
    out.push(b'[');
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        encode::json_string(out, s);
    }
    out.extend_from_slice(b"]]");
}
