//! Builds the site into memory, first in full, then again after each batch of changes: when
//! only existing documents changed, only those files are read again (the raw documents of the
//! last build are kept by path) and only the pages in the edit's dependency set
//! ([`super::affected`]) are rendered, over a copy of the last good site. Anything else (the
//! config, the registry, the theme, an asset, a document added or removed) rebuilds in full.

use super::affected::{self, Side};
use super::store::{Files, MemorySink, Problem};
use crate::config::Config;
use crate::content::Source;
use crate::diagnostic::{Level, Report};
use crate::render::Selection;
use crate::site::{self, Analysed, Options};
use crate::theme::Theme;
use anyhow::Result;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The last good build, kept to diff the next one against.
struct Good {
    analysed: Analysed,
    theme: Theme,
    files: Arc<Files>,
}

/// What one rebuild did.
#[derive(Default)]
pub(crate) struct Rebuilt {
    /// Nothing that the site is built from changed (a temporary file came and went).
    pub(crate) unchanged: bool,
    /// The new site, when the build succeeded.
    pub(crate) files: Option<Files>,
    /// Every diagnostic.
    pub(crate) report: Report,
    /// Whether only some pages were rendered, and how many files were written.
    pub(crate) partial: bool,
    /// Files rendered (all of them for a full build).
    pub(crate) written: usize,
    /// (incidents, notes, pages, patterns), as `build` counts them.
    pub(crate) counts: (usize, usize, usize, usize),
    /// Milliseconds from start to a site ready to swap in.
    pub(crate) ms: u128,
}

impl Rebuilt {
    /// The errors, as the overlay shows them.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        self.report
            .items()
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| Problem { headline: d.headline(), help: d.help.clone() })
            .collect()
    }
}

/// Rebuilds one library again and again.
pub(crate) struct Rebuilder {
    root: PathBuf,
    opts: Options,
    /// The raw documents as last read (even by a failed build), by path.
    source: Option<Source>,
    good: Option<Good>,
    /// Paths changed since the last good build (a failed build in between keeps them).
    pending: BTreeSet<PathBuf>,
}

impl Rebuilder {
    /// A rebuilder for the library at `root`; nothing is read yet.
    pub(crate) fn new(root: &Path, opts: Options) -> Rebuilder {
        Rebuilder { root: root.to_path_buf(), opts, source: None, good: None, pending: BTreeSet::new() }
    }

    /// The config of the last good build.
    pub(crate) fn config(&self) -> Option<&Config> {
        self.good.as_ref().map(|g| &g.analysed.config)
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
        let cache = self.source.take();
        let mut read: Option<Source> = None;
        let analysed = site::analyse_with(&self.root, self.opts, &mut |config| {
            let source = match (&reread, &cache) {
                (Some(paths), Some(old)) => reread_changed(config, old, paths),
                _ => crate::content::load(config)?,
            };
            read = Some(source.clone());
            Ok(source)
        });
        self.source = read.or(cache);
        let a = analysed?;
        let counts = (a.lib.incidents.len(), a.lib.notes.len(), a.lib.pages.len(), a.an.patterns.len());
        if !a.writable(self.opts) {
            return Ok(Rebuilt { report: a.report, counts, ..Rebuilt::default() });
        }
        let (sel, theme) = match (&self.good, &reread) {
            (Some(good), Some(docs)) => {
                let rel: Vec<String> = docs.iter().map(|p| rel_path(&self.root, p)).collect();
                let old = Side { lib: &good.analysed.lib, an: &good.analysed.an };
                (affected::selection(old, Side { lib: &a.lib, an: &a.an }, &rel), good.theme.clone())
            }
            _ => (Selection::everything(), site::load_theme(&a.config)?),
        };
        let sink = MemorySink::default();
        site::write_site(&a, &theme, &sink, &sel)?;
        let fresh = sink.into_files();
        let written = fresh.len();
        let files = match (&self.good, sel.all) {
            (Some(good), false) => {
                let mut files = (*good.files).clone();
                files.extend(fresh);
                files
            }
            _ => fresh,
        };
        let report = a.report.clone();
        self.good = Some(Good { analysed: a, theme, files: Arc::new(files.clone()) });
        self.pending.clear();
        let ms = started.elapsed().as_millis();
        Ok(Rebuilt { files: Some(files), report, partial: !sel.all, written, counts, ms, unchanged: false })
    }

    /// The changed documents, when every changed path is a document the last build read and
    /// still there, or a file that came and went (an editor's or `sed -i`'s temporary file):
    /// then only those documents need reading again. `None` means read everything.
    fn rereadable(&self) -> Option<Vec<PathBuf>> {
        let (good, source) = (self.good.as_ref()?, self.source.as_ref()?);
        let src = good.analysed.config.src_dir();
        let known: BTreeSet<&str> = source
            .documents
            .iter()
            .map(|d| d.path.as_str())
            .chain(source.rejected.iter().map(String::as_str))
            .collect();
        let assets: BTreeSet<&Path> = source.assets.iter().map(|a| a.abs.as_path()).collect();
        let mut docs = Vec::new();
        for p in &self.pending {
            let is_known = known.contains(rel_path(&self.root, p).as_str());
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

/// The last read source with the documents at `paths` read again.
fn reread_changed(config: &Config, old: &Source, paths: &[PathBuf]) -> Source {
    let mut source = old.clone();
    for abs in paths {
        let rel = rel_path(&config.root, abs);
        // In place, so the documents stay in the order the walk gave them.
        let at = source.documents.iter().position(|d| d.path == rel);
        source.diagnostics.retain(|d| d.path != rel);
        source.rejected.retain(|r| *r != rel);
        match (crate::content::reload(config, abs), at) {
            (Ok(doc), Some(i)) => source.documents[i] = doc,
            (Ok(doc), None) => {
                // The walk visits each folder's entries sorted by name: component by component.
                let key = |p: &str| p.split('/').map(str::to_string).collect::<Vec<_>>();
                let at = source.documents.partition_point(|d| key(&d.path) < key(&doc.path));
                source.documents.insert(at, doc);
            }
            (Err(d), at) => {
                if let Some(i) = at {
                    source.documents.remove(i);
                }
                source.rejected.push(rel);
                source.diagnostics.push(*d);
            }
        }
    }
    source
}

/// A path relative to the library root, `/`-separated, as diagnostics and documents name it.
fn rel_path(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
