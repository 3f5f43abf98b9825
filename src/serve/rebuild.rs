//! Builds the site into memory, first in full, then again after each batch of changes, through
//! the same pipeline as `build` (`site::analyse`, `site::write_site`) with one
//! [`site::Cache`] kept between builds. Changed documents are forgotten in it, so only they are
//! read and modelled again; when only existing documents changed, the last listing of the
//! source folder is taken again and only the pages in the edit's dependency set
//! ([`super::affected`]) are rendered, over a copy of the last good site. Anything else (the
//! config, the registry, the theme, an asset, a document added or removed) renders in full.
//!
//! An edit can move the similar incidents and recurring problems of incidents nobody edited.
//! Their pages are left to a second render ([`Rebuilder::follow_up`]), from the same analysis,
//! so that the edited page is shown first (docs/serve.md); when another edit comes before that
//! second render, they join that edit's.

use super::affected::{self, Side};
use super::store::{Files, MemorySink, OverlayError};
use crate::config::Config;
use crate::diagnostic::{Level, Report};
use crate::progress::Progress;
use crate::render::Selection;
use crate::site::{self, Cache, Checked, Options};
use anyhow::Result;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What one rebuild did.
#[derive(Default)]
pub(crate) struct Rebuilt {
    /// Nothing that the site is built from changed (a temporary file came and went).
    pub(crate) unchanged: bool,
    /// The new site, when the build succeeded.
    pub(crate) files: Option<Arc<Files>>,
    /// Every diagnostic.
    pub(crate) report: Report,
    /// The files of this batch, relative to the library root.
    pub(crate) saved: Vec<String>,
    /// Whether only some pages were rendered, and how many files were written.
    pub(crate) partial: bool,
    /// The pages selected for rendering.
    pub(crate) selection: Selection,
    /// Files rendered (all of them for a full build).
    pub(crate) written: usize,
    /// (incidents, notes, pages, patterns), as `build` counts them.
    pub(crate) counts: (usize, usize, usize, usize),
    /// Milliseconds from start to a site ready to swap in.
    pub(crate) ms: u128,
    /// Open pages must reload in full: the config, the theme or an asset changed
    /// ([`affected::reloads_in_full`]); otherwise they may swap in their new `<main>`.
    pub(crate) reload_in_full: bool,
    /// The HTML pages (site paths) whose bytes this build changed, added or removed; `None`
    /// after a full build, when any page may have changed.
    pub(crate) pages: Option<Vec<String>>,
    /// This is an edit's second render: the pages whose similar incidents or recurring
    /// problem moved ([`Rebuilder::follow_up`]).
    pub(crate) second: bool,
}

impl Rebuilt {
    /// The errors, as the overlay shows them: those in the files just saved first, since an
    /// error in one file often breaks links in many others.
    pub(crate) fn problems(&self) -> Vec<OverlayError> {
        let mut errors: Vec<_> = self.report.items().iter().filter(|d| d.level == Level::Error).collect();
        errors.sort_by_key(|d| !self.saved.contains(&d.path));
        errors.into_iter().map(|d| OverlayError { headline: d.headline(), help: d.help.clone() }).collect()
    }
}

/// Rebuilds one library again and again.
pub(crate) struct Rebuilder {
    root: PathBuf,
    opts: Options,
    /// What the pipeline keeps between builds; its last good build is the one the next is
    /// diffed against.
    cache: Cache,
    /// The site of the last good build.
    files: Option<Arc<Files>>,
    /// Paths changed since the last good build (a failed build in between keeps them).
    pending: BTreeSet<PathBuf>,
    /// Incidents whose similar list or recurring problem moved in a good build and whose pages
    /// still show it as before: the second render's pages.
    later: BTreeSet<String>,
}

impl Rebuilder {
    /// A rebuilder for the library at `root`; nothing is read yet.
    pub(crate) fn new(root: &Path, opts: Options) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            opts,
            cache: Cache::default(),
            files: None,
            pending: BTreeSet::new(),
            later: BTreeSet::new(),
        }
    }

    /// The config of the last good build.
    pub(crate) fn config(&self) -> Option<&Config> {
        self.cache.previous.as_ref().map(|a| &a.config)
    }

    /// Builds after `changed` (absolute paths; empty for the first build).
    pub(crate) fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        let started = Instant::now();
        self.pending.extend(changed.iter().cloned());
        let reread = self.rereadable();
        if reread.as_ref().is_some_and(Vec::is_empty) {
            self.pending.clear();
            return Ok(Rebuilt { unchanged: true, ..Rebuilt::default() });
        }
        let reload_in_full = match (&self.cache.previous, &self.cache.listing) {
            (Some(good), Some(listing)) => {
                let assets: Vec<&Path> = listing.assets.iter().map(|a| a.abs.as_path()).collect();
                affected::reloads_in_full(&good.config, &assets, &self.pending)
            }
            _ => true,
        };
        self.forget_pending(reread.is_some());
        let a = site::analyse(&self.root, self.opts, Some(&mut self.cache), &Progress::hidden())?;
        let counts = (a.lib.incidents.len(), a.lib.notes.len(), a.lib.pages.len(), a.an.patterns.len());
        if !a.writable(self.opts) {
            let saved = changed.iter().map(|p| rel_path(&self.root, p)).collect();
            return Ok(Rebuilt { report: a.report, counts, saved, ..Rebuilt::default() });
        }
        let t = Instant::now();
        let (sel, theme) = match (&self.cache.previous, &self.cache.theme, &reread) {
            (Some(good), Some(theme), Some(docs)) => {
                let rel: Vec<String> = docs.iter().map(|p| rel_path(&self.root, p)).collect();
                let old = Side { lib: &good.lib, an: &good.an };
                (affected::selection(old, Side { lib: &a.lib, an: &a.an }, &rel), theme.clone())
            }
            _ => (Selection::everything(), site::load_theme(&a.config)?),
        };
        // A full render leaves nothing for later.
        let mut later = BTreeSet::new();
        if sel.all {
            self.cache.forget_outputs();
        } else {
            let old = self.cache.previous.as_ref();
            let mut forgotten = changed_incidents(&a, old, &self.pending, &self.root);
            if let Some(old) = old {
                later = self.later.clone();
                later.extend(affected::similar_moved(
                    Side { lib: &old.lib, an: &old.an },
                    Side { lib: &a.lib, an: &a.an },
                ));
                // Those this render selects anyway are rendered now, their exported item too.
                forgotten.extend(later.iter().filter(|id| sel.docs.contains(*id)).cloned());
                later.retain(|id| !sel.docs.contains(id));
            }
            for id in forgotten {
                self.cache.json_items.forget(&id);
            }
            for page in changed_pages(&a, old, &self.pending, &self.root) {
                self.cache.search.forget(&page);
            }
        }
        site::timing("selection", t);
        let sink = MemorySink::default();
        site::write_site(&a, &theme, &sink, &sel, Some(&mut self.cache), &Progress::hidden(), false)?;
        let t = Instant::now();
        let fresh = sink.into_files();
        let written = fresh.len();
        let (files, pages) = match (&self.files, sel.all) {
            (Some(last), false) => {
                let (files, pages) = merge(last, fresh, &sel);
                (files, (!reload_in_full).then_some(pages))
            }
            _ => (fresh, None),
        };
        // Taken, not cloned: at 10,000 incidents it holds some 10,000 notes, and the kept
        // analysis never reads it again.
        let mut a = a;
        let report = std::mem::take(&mut a.report);
        let files = Arc::new(files);
        site::timing("merge", t);
        self.files = Some(files.clone());
        self.cache.theme = Some(theme);
        let old = self.cache.previous.replace(a);
        // Freeing a big library takes tens of milliseconds; the browser need not wait for it.
        std::thread::spawn(move || drop(old));
        self.pending.clear();
        self.later = later;
        let ms = started.elapsed().as_millis();
        let partial = !sel.all;
        let selection = sel;
        Ok(Rebuilt {
            files: Some(files),
            report,
            partial,
            selection,
            written,
            counts,
            ms,
            reload_in_full,
            pages,
            ..Default::default()
        })
    }

    /// An edit's second render: the pages of the incidents whose similar incidents or recurring
    /// problem the last good build moved, from its analysis, over its site. `None` when there
    /// are none, or when the last build failed (they wait for the fix, which renders them).
    pub(crate) fn follow_up(&mut self) -> Result<Option<Rebuilt>> {
        let built = self.cache.previous.is_some() && self.cache.theme.is_some();
        if self.later.is_empty() || !self.pending.is_empty() || !built {
            return Ok(None);
        }
        let Some(last) = self.files.clone() else { return Ok(None) };
        // Taken out of the cache while it renders with the cache's leftovers; put back below.
        let (Some(a), Some(theme)) = (self.cache.previous.take(), self.cache.theme.take()) else {
            return Ok(None);
        };
        let started = Instant::now();
        for id in &self.later {
            self.cache.json_items.forget(id);
        }
        // The lists show the same documents as after the first render: none of their pages.
        let sel =
            Selection { docs: std::mem::take(&mut self.later), rows: Some(BTreeSet::new()), ..Selection::default() };
        let sink = MemorySink::default();
        let done = site::write_site(&a, &theme, &sink, &sel, Some(&mut self.cache), &Progress::hidden(), false);
        let counts = (a.lib.incidents.len(), a.lib.notes.len(), a.lib.pages.len(), a.an.patterns.len());
        self.cache.previous = Some(a);
        self.cache.theme = Some(theme);
        if let Err(e) = done {
            self.later = sel.docs;
            return Err(e);
        }
        let fresh = sink.into_files();
        let written = fresh.len();
        let (files, pages) = merge(&last, fresh, &sel);
        let files = Arc::new(files);
        self.files = Some(files.clone());
        let ms = started.elapsed().as_millis();
        let (files, pages) = (Some(files), Some(pages));
        Ok(Some(Rebuilt {
            files,
            partial: true,
            selection: sel,
            written,
            counts,
            ms,
            pages,
            second: true,
            ..Default::default()
        }))
    }

    /// Forgets what the pending changes make stale in the cache: the changed documents, every
    /// document when the config changed (modelling depends on the config besides the file), and
    /// the listing unless only documents it lists changed (`rereadable`).
    fn forget_pending(&mut self, rereadable: bool) {
        if !rereadable {
            self.cache.listing = None;
        }
        let src = self.cache.previous.as_ref().map(|a| a.config.src_dir());
        match src.filter(|_| !self.pending.contains(&self.root.join("book.toml"))) {
            Some(src) => {
                for p in self.pending.iter().filter(|p| p.starts_with(&src)) {
                    self.cache.parsed.forget(&rel_path(&src, p));
                }
            }
            // Without a good build, what the cache holds may be of another config.
            None => self.cache.parsed = crate::model::ParseCache::default(),
        }
    }

    /// The changed documents, when every changed path is a document the last build read and
    /// still there, or a file that came and went (an editor's or `sed -i`'s temporary file):
    /// then only those documents need reading again. `None` means read everything.
    fn rereadable(&self) -> Option<Vec<PathBuf>> {
        let (good, listing) = (self.cache.previous.as_ref()?, self.cache.listing.as_ref()?);
        let src = good.config.src_dir();
        let known: HashSet<&Path> = listing.documents.iter().map(|(abs, _)| abs.as_path()).collect();
        let assets: HashSet<&Path> = listing.assets.iter().map(|a| a.abs.as_path()).collect();
        let mut docs = Vec::new();
        for p in &self.pending {
            let is_known = known.contains(p.as_path());
            if !p.exists() && !is_known && !assets.contains(p.as_path()) {
                continue;
            }
            let src_rel = p.strip_prefix(&src).ok()?.to_string_lossy().replace('\\', "/");
            if !crate::content::is_document(&src_rel) || !p.is_file() || !is_known {
                return None;
            }
            docs.push(p.clone());
        }
        Some(docs)
    }
}

/// The `last` site with the `fresh` files of a partial render of `sel` laid over it, and the
/// HTML pages whose bytes differ between the two (changed, added or removed).
fn merge(last: &Files, fresh: Files, sel: &Selection) -> (Files, Vec<String>) {
    let mut files = last.clone();
    // A group or a pattern whose members changed may now have fewer pages (all of their pages
    // are rendered again).
    let groups = sel.groups.iter().map(|(s, g)| format!("{s}/{g}/page/"));
    let stale: Vec<String> = groups.chain(sel.patterns.iter().map(|p| format!("patterns/{p}/page/"))).collect();
    let mut touched: Vec<String> = Vec::new();
    // The search index is written whole (most of it as the bytes kept from the last build), and
    // may now have fewer shards.
    files.retain(|k, _| {
        let keep = !k.starts_with("search/") && !stale.iter().any(|p| k.starts_with(p.as_str()));
        if !keep && k.ends_with(".html") {
            touched.push(k.clone());
        }
        keep
    });
    touched.extend(fresh.keys().filter(|k| k.ends_with(".html")).cloned());
    files.extend(fresh);
    touched.retain(|k| last.get(k) != files.get(k));
    touched.sort();
    touched.dedup();
    (files, touched)
}

/// Ids of the incidents at the changed paths, before and after.
fn changed_incidents(new: &Checked, old: Option<&Checked>, changed: &BTreeSet<PathBuf>, root: &Path) -> Vec<String> {
    let paths: BTreeSet<String> = changed.iter().map(|p| rel_path(root, p)).collect();
    let libs = std::iter::once(&new.lib).chain(old.map(|o| &o.lib));
    libs.flat_map(|l| l.incidents.iter()).filter(|i| paths.contains(&i.doc.path)).map(|i| i.doc.id.clone()).collect()
}

/// Site paths of the searchable pages (incidents, notes, pattern pages with a text) whose
/// source is at one of the changed paths, before and after.
fn changed_pages(new: &Checked, old: Option<&Checked>, changed: &BTreeSet<PathBuf>, root: &Path) -> Vec<String> {
    let paths: BTreeSet<String> = changed.iter().map(|p| rel_path(root, p)).collect();
    let mut pages = Vec::new();
    for lib in std::iter::once(&new.lib).chain(old.map(|o| &o.lib)) {
        let incidents = lib.incidents.iter().map(|i| ("incidents", &i.doc.id, &i.doc));
        let notes = lib.notes.iter().map(|n| ("notes", &n.doc.id, &n.doc));
        let patterns = lib.pattern_texts.iter().map(|(id, d)| ("patterns", id, d));
        for (section, id, doc) in incidents.chain(notes).chain(patterns) {
            if paths.contains(&doc.path) {
                pages.push(crate::urls::Urls::page(section, id));
            }
        }
    }
    pages
}

/// A path relative to the library root, `/`-separated, as diagnostics and documents name it.
fn rel_path(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests;
