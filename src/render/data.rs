//! Machine-readable output: the JSON export (docs/export.md), and the files written beside it
//! (the Atom feed and the sitemap, printed by `feed`; the generated code-highlighting
//! stylesheet), each made on its own thread.

use super::{Renderer, Sink};
use crate::analysis::Pattern;
use crate::model::{Incident, Library, Note};
use crate::urls::Urls;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The items of `api/incidents.json` as printed, by incident id, kept by `serve` between
/// rebuilds: an item depends on its incident and the URL scheme alone, and printing all of
/// them was the largest part of a rebuild after a one-file edit at 10,000 incidents.
/// The last file printed is kept too, with its items: when every item is the same again (a
/// body edit changes none), the file is the last one, not 16 MB joined and copied once more.
///
/// It keeps `api/notes.json` and `sitemap.xml` too, with what they were made from (the very
/// notes, by address; the site paths), to be the last files while those stay the same. A
/// full rebuild starts afresh, so the config and the URL scheme are the same throughout.
#[derive(Default)]
pub struct JsonItems {
    items: Mutex<HashMap<String, Arc<[u8]>>>,
    last: Mutex<Option<Printed>>,
    notes: KeptFile<Vec<Arc<Note>>>,
    sitemap: KeptFile<Vec<String>>,
}

/// A file kept with what it was made from.
type KeptFile<K> = Mutex<Option<(K, Arc<[u8]>)>>;

/// The items of a file and the file they were joined into.
type Printed = (Vec<Arc<[u8]>>, Arc<[u8]>);

impl JsonItems {
    /// Forgets the item of this incident, so that it is printed again.
    pub fn forget(&self, id: &str) {
        self.items.lock().unwrap_or_else(PoisonError::into_inner).remove(id);
    }

    fn get(&self, id: &str) -> Option<Arc<[u8]>> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner).get(id).cloned()
    }

    fn put(&self, id: &str, item: Arc<[u8]>) {
        self.items.lock().unwrap_or_else(PoisonError::into_inner).insert(id.to_string(), item);
    }

    /// The file of these items: the last one when they are the same items, else joined anew
    /// (and kept).
    fn file(&self, items: Vec<Arc<[u8]>>) -> Arc<[u8]> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let same = |(a, b): (&Arc<[u8]>, &Arc<[u8]>)| Arc::ptr_eq(a, b) || a[..] == b[..];
        match last.as_ref() {
            Some((was, file)) if was.len() == items.len() && was.iter().zip(&items).all(same) => file.clone(),
            _ => {
                let file = pretty_array(&items);
                *last = Some((items, file.clone()));
                file
            }
        }
    }

    /// The file kept in `slot` when it was made from `key`, else `make`'s (then kept).
    fn kept<K: Clone>(
        slot: &KeptFile<K>,
        key: &K,
        same: impl Fn(&K, &K) -> bool,
        make: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Arc<[u8]>> {
        let mut last = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, file)) = last.as_ref().filter(|(k, _)| same(k, key)) {
            return Ok(file.clone());
        }
        let file: Arc<[u8]> = Arc::from(make()?);
        *last = Some((key.clone(), file.clone()));
        Ok(file)
    }
}

/// One data file, made and stored.
type Job<'s> = &'s (dyn Fn() -> Result<()> + Sync);

impl Renderer<'_> {
    /// Each file is made on its own, in parallel: a one-file edit at 10,000 incidents spent
    /// most of its render time here, one file after another.
    pub(super) fn data_files(&self, sink: &dyn Sink) -> Result<()> {
        use rayon::prelude::*;
        let files: [Job; 7] = [
            &|| self.put_incidents_json(sink),
            &|| sink.put("api/recurring.json", &pretty(self.recurring_json())?),
            &|| self.put_notes_json(sink),
            &|| sink.put("api/patterns.json", &pretty(self.patterns_json())?),
            &|| sink.put("feed.xml", self.feed().as_bytes()),
            &|| self.put_sitemap(sink),
            &|| sink.put("syntax.css", syntax_css().as_bytes()),
        ];
        files.par_iter().try_for_each(|f| f())
    }

    /// Stores `api/incidents.json`, shared with the kept items' last file when there is one.
    fn put_incidents_json(&self, sink: &dyn Sink) -> Result<()> {
        let items = self.incidents_json()?;
        match self.json_items {
            Some(kept) => sink.put_shared("api/incidents.json", &kept.file(items)),
            None => sink.put("api/incidents.json", &pretty_array(&items)),
        }
    }

    /// Stores `api/notes.json`: with kept files, the last one while the notes are the very same.
    fn put_notes_json(&self, sink: &dyn Sink) -> Result<()> {
        let make = || pretty(self.notes_json());
        let Some(kept) = self.json_items else { return sink.put("api/notes.json", &make()?) };
        let same = |a: &Vec<Arc<Note>>, b: &Vec<Arc<Note>>| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
        };
        sink.put_shared("api/notes.json", &JsonItems::kept(&kept.notes, &self.b.lib.notes, same, make)?)
    }

    /// Stores `sitemap.xml`: with kept files, the last one while the site's pages are the same.
    fn put_sitemap(&self, sink: &dyn Sink) -> Result<()> {
        let paths = self.sitemap_paths();
        let make = || Ok(self.sitemap(&paths).into_bytes());
        let Some(kept) = self.json_items else { return sink.put("sitemap.xml", &make()?) };
        sink.put_shared("sitemap.xml", &JsonItems::kept(&kept.sitemap, &paths, |a, b| a == b, make)?)
    }

    /// The items of `api/incidents.json`: each incident is built and printed in parallel (at
    /// 10,000 incidents one thread spent ~280 ms here); they are then joined as one pretty array.
    fn incidents_json(&self) -> Result<Vec<Arc<[u8]>>> {
        use rayon::prelude::*;
        let urls = self.b.urls;
        let lib = self.b.lib;
        let mut all: Vec<(usize, &Incident)> = lib.incidents.iter().map(|i| &**i).enumerate().collect();
        all.sort_by(|a, b| a.1.doc.id.cmp(&b.1.doc.id));
        let items: Vec<Arc<[u8]>> = all
            .into_par_iter()
            .map(|(k, i)| {
                if let Some(item) = self.json_items.and_then(|c| c.get(&i.doc.id)) {
                    return Ok(item);
                }
                let url = urls.public(&Urls::page("incidents", &i.doc.id));
                let similar =
                    self.b.an.similar.lists[k].iter().map(|s| super::export::SimilarItem::new(lib, s)).collect();
                let item = super::export::IncidentItem::new(i, url, similar)?;
                let item: Arc<[u8]> = Arc::from(pretty_item(&item)?);
                if let Some(c) = self.json_items {
                    c.put(&i.doc.id, item.clone());
                }
                Ok(item)
            })
            .collect::<Result<_>>()?;
        Ok(items)
    }

    /// `api/recurring.json`: the recurring problems, by id (docs/export.md).
    fn recurring_json(&self) -> Value {
        let (lib, urls) = (self.b.lib, self.b.urls);
        let mut all: Vec<&crate::analysis::Problem> = self.b.an.problems.iter().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Value::Array(
            all.into_iter()
                .map(|p| {
                    json!({
                        "id": p.id,
                        "url": format!("{}#{}", urls.public("recurring/"), p.id),
                        "label": p.label,
                        "words": p.words,
                        "incidents": p.incidents.iter().map(|&i| lib.incidents[i].doc.id.as_str()).collect::<Vec<_>>(),
                        "first_seen": p.first_seen,
                        "last_seen": p.last_seen,
                        "services": p.services,
                    })
                })
                .collect(),
        )
    }

    fn notes_json(&self) -> Value {
        let urls = self.b.urls;
        let mut all: Vec<_> = self.b.lib.notes.iter().collect();
        all.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
        Value::Array(
            all.into_iter()
                .map(|n| {
                    json!({
                        "id": n.doc.id,
                        "url": urls.public(&Urls::page("notes", &n.doc.id)),
                        "title": n.doc.title,
                        "kind": n.kind,
                        "date": n.doc.date,
                        "authors": n.doc.authors,
                        "source_url": n.url,
                        "factors": n.factors.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
                        "incidents": n.incidents.iter().map(|(id, _)| crate::model::slugify(id)).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        )
    }

    fn patterns_json(&self) -> Value {
        let mut all: Vec<&Pattern> = self.b.an.patterns.iter().collect();
        all.sort_by(|x, y| x.id.cmp(&y.id));
        Value::Array(all.into_iter().map(|p| pattern_json(self.b.lib, self.b.urls, p)).collect())
    }
}

/// One object of `api/patterns.json` (docs/export.md); `casebook patterns --format json` prints the
/// same objects.
pub fn pattern_json(lib: &Library, urls: &Urls, p: &Pattern) -> Value {
    let f = lib.factors.all.get(&p.id);
    let mut incidents: Vec<&str> = p.incidents.iter().map(|o| lib.incidents[o.incident].doc.id.as_str()).collect();
    incidents.sort_unstable();
    let mut notes: Vec<&str> = p.notes.iter().map(|&n| lib.notes[n].doc.id.as_str()).collect();
    notes.sort_unstable();
    json!({
        "id": p.id,
        "url": urls.public(&Urls::page("patterns", &p.id)),
        "title": f.map_or(p.id.as_str(), |f| f.title.as_str()),
        "category": f.and_then(|f| f.category.clone()),
        "aliases": f.map(|f| f.aliases.clone()).unwrap_or_default(),
        "incident_count": p.count(),
        "note_count": p.notes.len(),
        "incidents": incidents,
        "notes": notes,
        "first_seen": p.first_seen,
        "last_seen": p.last_seen,
        "recurring": p.recurring,
        "trend": p.trend.as_str(),
        "co_occurring": p.co_occurring,
    })
}

/// The code-highlighting stylesheet, made once per process: it depends on nothing but the
/// embedded highlighting themes.
fn syntax_css() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(crate::markdown::stylesheet)
}

/// One element of a pretty array, indented as `serde_json` indents array elements (JSON
/// strings hold no raw newlines, so every newline is a line break of the layout).
fn pretty_item(v: &impl serde::Serialize) -> Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(v)?;
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (k, line) in text.split(|&b| b == b'\n').enumerate() {
        if k > 0 {
            out.extend_from_slice(b"\n  ");
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

/// Pretty-printed elements joined into the array `serde_json::to_vec_pretty` would print,
/// with a final newline.
fn pretty_array(items: &[Arc<[u8]>]) -> Arc<[u8]> {
    if items.is_empty() {
        return Arc::from(&b"[]\n"[..]);
    }
    // Made in place, in one allocation of the exact size: a 16 MB array grown by doubling, or
    // made as a `Vec` and copied into an `Arc`, was copied and faulted in twice as much.
    let len = items.iter().map(|i| i.len()).sum::<usize>() + 4 * items.len() + 3;
    let mut file: Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    if let Some(out) = Arc::get_mut(&mut file) {
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(b"[\n");
        for (k, item) in items.iter().enumerate() {
            put(if k == 0 { b"  " } else { b",\n  " });
            put(item);
        }
        put(b"\n]\n");
    }
    file
}

fn pretty(v: Value) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&v)?;
    out.push(b'\n');
    Ok(out)
}
