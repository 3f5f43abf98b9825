//! What `serve` keeps of one search index to write the next one cheaply. Each document's
//! counted terms and snippet are kept by site path, so only the documents `serve` reports
//! changed are read and counted again. When the documents keep their numbers (no date moved,
//! none added or removed), the last index is patched in place of a new one: the changed
//! documents' postings are taken out and put back, only the stems they touch are encoded again
//! (all of them when the rounded mean length moves), and a shard or document-store file whose
//! content cannot have changed keeps its bytes. Otherwise the index is assembled again from the
//! kept terms. Either way the files are the ones a build from nothing writes.

use super::build;
use super::docs::{self, Entry};
use super::index::{DocTerms, Index};
use super::{encode, group_file, shards, GROUP};
use crate::analysis::Analysis;
use crate::config::Config;
use crate::model::Library;
use crate::sink::Sink;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The last index and what went into it; empty until the first build.
#[derive(Default)]
pub struct IndexCache {
    /// Site paths of documents changed since the last build.
    dirty: HashSet<String>,
    last: Option<Last>,
}

impl IndexCache {
    /// Marks the document whose page is at `site_path` (`incidents/x/`) as changed.
    pub fn forget(&mut self, site_path: &str) {
        self.dirty.insert(site_path.to_string());
    }

    /// Forgets everything (the registry or the config changed: every document may read
    /// differently).
    pub fn clear(&mut self) {
        *self = IndexCache::default();
    }
}

/// One document as counted.
struct IndexedDoc {
    terms: DocTerms,
    sentences: Vec<String>,
}

/// One shard file as written: its key range, and its bytes.
struct ShardFile {
    first: String,
    last: String,
    keys: usize,
    bytes: Arc<[u8]>,
}

/// The last build's index.
struct Last {
    paths: Vec<String>,
    docs: Vec<Arc<IndexedDoc>>,
    index: Index,
    /// How many documents use each word of `index.words`.
    word_uses: HashMap<String, u32>,
    encoded: BTreeMap<String, String>,
    shards: Vec<ShardFile>,
    groups: Vec<Arc<[u8]>>,
}

/// Keys that may have changed since the last index.
enum Touched {
    All,
    Keys(BTreeSet<String>),
}

impl Touched {
    fn any_in(&self, first: &str, last: &str) -> bool {
        match self {
            Touched::All => true,
            Touched::Keys(keys) => {
                use std::ops::Bound::Included;
                keys.range::<str, _>((Included(first), Included(last))).next().is_some()
            }
        }
    }
}

/// Writes every index file through `sink`, as [`fn@super::write`] does, from what `cache` holds.
pub(super) fn write(
    config: &Config,
    lib: &Library,
    an: &Analysis,
    sink: &dyn Sink,
    cache: &mut IndexCache,
) -> Result<()> {
    let mut lap = laps();
    let mut entries = docs::gather(lib, an);
    lap("gather");
    // Taken out, so that a failed write leaves nothing half-updated behind.
    let last = cache.last.take();
    let dirty = std::mem::take(&mut cache.dirty);
    let paths: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let same = last.as_ref().is_some_and(|l| l.paths == paths);
    let counted = count(lib, an, &mut entries, last.as_ref(), same, &dirty);
    let mut prev = last;
    lap("count");
    let changed: Vec<bool> = match &prev {
        Some(l) if same => l.docs.iter().zip(&counted).map(|(a, b)| !Arc::ptr_eq(a, b)).collect(),
        _ => vec![true; counted.len()],
    };
    lap("changed");
    let old_mean = prev.as_ref().map(|l| l.index.mean_length());
    let (index, word_uses, mut touched, stems) = match prev.as_mut().filter(|_| same) {
        Some(l) => patch(l, &counted),
        None => assemble(&counted),
    };
    lap("patch");
    let old_encoded = prev.as_mut().filter(|_| same && old_mean == Some(index.mean_length()));
    let encoded = match (old_encoded.map(|l| std::mem::take(&mut l.encoded)), &mut touched) {
        (Some(enc), Touched::Keys(keys)) => encode_again(&index, enc, &stems, keys),
        _ => {
            touched = Touched::All;
            shards::encode_all(&index)
        }
    };
    lap("encode");
    let old_shards = prev.as_ref().map_or(&[][..], |l| &l.shards[..]);
    let shard_files = write_shards(&index, &encoded, old_shards, &touched);
    lap("shards");
    let old_groups = prev.as_ref().map_or(&[][..], |l| &l.groups[..]);
    let groups: Vec<Arc<[u8]>> = entries
        .par_chunks(GROUP)
        .enumerate()
        .map(|(g, chunk)| match old_groups.get(g) {
            Some(bytes) if !changed[g * GROUP..g * GROUP + chunk.len()].contains(&true) => bytes.clone(),
            _ => {
                let counted = &counted[g * GROUP..g * GROUP + chunk.len()];
                let rows = chunk.iter().zip(counted).map(|(e, c)| (e, &c.sentences[..]));
                Arc::from(group_file(&format!("d/{g}"), rows))
            }
        })
        .collect();
    lap("groups");
    drop(prev);
    lap("drop");
    shard_files.par_iter().enumerate().try_for_each(|(i, s)| sink.put_shared(&format!("search/s/{i}.js"), &s.bytes))?;
    groups.par_iter().enumerate().try_for_each(|(g, bytes)| sink.put_shared(&format!("search/d/{g}.js"), bytes))?;
    let firsts: Vec<&str> =
        shard_files.iter().enumerate().map(|(i, s)| if i == 0 { "" } else { &s.first[..] }).collect();
    lap("put");
    super::finish(config, lib, an, &entries, &firsts, sink)?;
    lap("finish");
    cache.last = Some(Last { paths, docs: counted, index, word_uses, encoded, shards: shard_files, groups });
    Ok(())
}

/// With `CASEBOOK_SEARCH_TIMINGS` set, a function that prints the time since its last call
/// under a stage's name (for benchmarks); otherwise one that does nothing.
fn laps() -> impl FnMut(&str) {
    let on = crate::switches::Switches::get().search_timings;
    let mut since = std::time::Instant::now();
    move |stage| {
        if on {
            eprintln!("search patch {stage}: {:.1} ms", since.elapsed().as_secs_f64() * 1e3);
            since = std::time::Instant::now();
        }
    }
}

/// The last encoded postings with `stems` encoded again. Most of a changed document's stems
/// keep their weight bytes (they are coarse): only a stem whose postings print differently is
/// added to `touched`.
fn encode_again(
    index: &Index,
    mut encoded: BTreeMap<String, String>,
    stems: &BTreeSet<String>,
    touched: &mut BTreeSet<String>,
) -> BTreeMap<String, String> {
    let fresh: Vec<(&String, Option<String>)> = stems
        .par_iter()
        .map(|k| (k, index.postings.get(k).map(|list| encode::postings(index.weights(list), index.documents()))))
        .collect();
    for (key, value) in fresh {
        if encoded.get(key) != value.as_ref() {
            touched.insert(key.clone());
        }
        match value {
            Some(v) => encoded.insert(key.clone(), v),
            None => encoded.remove(key),
        };
    }
    encoded
}

/// Each document counted, the kept count when it did not change (the snippet sentences are
/// read from the counts, so a kept document's are not copied into `entries`). When the documents kept their numbers (`same`), each is found at its
/// number, else by path.
fn count(
    lib: &Library,
    an: &Analysis,
    entries: &mut [Entry],
    last: Option<&Last>,
    same: bool,
    dirty: &HashSet<String>,
) -> Vec<Arc<IndexedDoc>> {
    let before: HashMap<&str, &Arc<IndexedDoc>> = match last {
        Some(l) if !same => l.paths.iter().map(String::as_str).zip(&l.docs).collect(),
        _ => HashMap::new(),
    };
    let at = |i: usize, path: &str| match last {
        Some(l) if same => l.docs.get(i),
        _ => before.get(path).copied(),
    };
    entries
        .par_iter_mut()
        .enumerate()
        .map(|(i, e)| {
            if let Some(c) = at(i, &e.path).filter(|_| !dirty.contains(&e.path)) {
                return Arc::clone(c);
            }
            let texts = docs::read(lib, an, e);
            Arc::new(IndexedDoc { terms: build::document_terms(&texts), sentences: std::mem::take(&mut e.sentences) })
        })
        .collect()
}

/// A new index from the counted documents.
fn assemble(counted: &[Arc<IndexedDoc>]) -> (Index, HashMap<String, u32>, Touched, BTreeSet<String>) {
    let index = Index::assemble(counted.iter().map(|c| &c.terms));
    let mut uses: HashMap<String, u32> = HashMap::new();
    for c in counted {
        for (word, _) in &c.terms.words {
            *uses.entry(word.clone()).or_default() += 1;
        }
    }
    (index, uses, Touched::All, BTreeSet::new())
}

/// The last index with the changed documents taken out and put back in; the words that came or
/// went, and the stems of the changed documents.
fn patch(last: &mut Last, counted: &[Arc<IndexedDoc>]) -> (Index, HashMap<String, u32>, Touched, BTreeSet<String>) {
    let mut index = std::mem::take(&mut last.index);
    let mut uses = std::mem::take(&mut last.word_uses);
    let mut touched = BTreeSet::new();
    let mut stems = BTreeSet::new();
    for (doc, (old, new)) in last.docs.iter().zip(counted).enumerate() {
        if Arc::ptr_eq(old, new) {
            continue;
        }
        let (old, new) = (&old.terms, &new.terms);
        index.remove(doc as u32, old);
        index.insert(doc as u32, new);
        stems.extend(old.terms.iter().chain(&new.terms).map(|(stem, _, _)| stem.clone()));
        // New words first, so that a word the document keeps is never counted out and in.
        for (word, stem) in &new.words {
            let n = uses.entry(word.clone()).or_default();
            *n += 1;
            if *n == 1 {
                index.words.insert(word.clone(), stem.clone());
                touched.insert(word.clone());
            }
        }
        for (word, _) in &old.words {
            if let Some(n) = uses.get_mut(word) {
                *n -= 1;
                if *n == 0 {
                    uses.remove(word);
                    index.words.remove(word);
                    touched.insert(word.clone());
                }
            }
        }
    }
    (index, uses, Touched::Keys(touched), stems)
}

/// The shard files: a shard that holds the same keys as the last one of its number, none of
/// them touched, keeps its bytes.
fn write_shards(
    index: &Index,
    encoded: &BTreeMap<String, String>,
    old: &[ShardFile],
    touched: &Touched,
) -> Vec<ShardFile> {
    let keys = shards::keys(&index.words, encoded);
    let plan = shards::plan(&keys, shards::TARGET_BYTES);
    plan.into_par_iter()
        .enumerate()
        .map(|(i, range)| {
            let ks = &keys[range];
            let first = ks.first().map_or("", |k| k.key);
            let last = ks.last().map_or("", |k| k.key);
            let bytes = match old.get(i) {
                Some(o) if o.first == first && o.last == last && o.keys == ks.len() && !touched.any_in(first, last) => {
                    o.bytes.clone()
                }
                _ => Arc::from(encode::wrap(&format!("s/{i}"), &shards::json(ks))),
            };
            ShardFile { first: first.to_string(), last: last.to_string(), keys: ks.len(), bytes }
        })
        .collect()
}
