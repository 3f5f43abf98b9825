//! The pipeline, top to bottom: config → content → model → analysis → render → output.
//! `build` writes the site; `check` stops before rendering and writes nothing; `serve` runs the
//! same stages through the same functions, handing in the one `Cache` it keeps between builds.

mod assets;
mod cache;

pub(crate) use cache::Cache;

use crate::analysis::{self, Analysis};
use crate::config::Config;
use crate::diagnostic::{Level, Report};
use crate::model::{self, Library};
use crate::output::Staging;
use crate::progress::Progress;
use crate::render::{Renderer, Selection};
use crate::sink::Sink;
use crate::theme::Theme;
use crate::urls::Urls;
use anyhow::Result;
use std::path::Path;

mod claim;

/// What a build or check was asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write the site from the valid documents even when some are rejected.
    pub keep_going: bool,
    /// Include drafts.
    pub drafts: bool,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every diagnostic, sorted.
    pub report: Report,
    /// Whether a new site was swapped in.
    pub wrote: bool,
    /// Documents left out because of errors.
    pub rejected: Vec<String>,
    /// (incidents, notes, pages, patterns) built.
    pub counts: (usize, usize, usize, usize),
    /// The build dir as configured (relative to the library root).
    pub build_dir: String,
}

/// A library read and checked, ready to render.
pub(crate) struct Checked {
    /// The configuration.
    pub(crate) config: Config,
    /// The valid documents.
    pub(crate) lib: Library,
    /// What they mean together.
    pub(crate) an: Analysis,
    /// Source-relative paths of files to copy.
    pub(crate) assets: Vec<String>,
    /// Every diagnostic, sorted.
    pub(crate) report: Report,
}

impl Checked {
    /// Whether a site may be written from this library: never with a broken config, and with
    /// rejected documents only under `--keep-going`.
    pub(crate) fn writable(&self, opts: Options) -> bool {
        let config_failed = self.report.items().iter().any(|d| d.level == Level::Error && d.path == "book.toml");
        !(config_failed || (self.report.has_errors() && !opts.keep_going))
    }

    /// What a build or check of this library reports.
    pub(crate) fn outcome(&self, wrote: bool) -> Outcome {
        let counts = (self.lib.incidents.len(), self.lib.notes.len(), self.lib.pages.len(), self.an.patterns.len());
        let build_dir = self.config.build_dir.display().to_string();
        Outcome { rejected: self.lib.rejected.clone(), report: self.report.clone(), wrote, counts, build_dir }
    }
}

/// A sink that counts the files written on the progress line.
struct ProgressSink<'a> {
    inner: &'a Staging,
    progress: &'a Progress,
}

impl Sink for ProgressSink<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(path, bytes)?;
        self.progress.file();
        Ok(())
    }

    fn copy_to(&self, from: &Path, site_paths: &[String]) -> Result<()> {
        self.inner.copy_to(from, site_paths)?;
        site_paths.iter().for_each(|_| self.progress.file());
        Ok(())
    }
}

/// Reads and checks the library at `root` (no writing). Each document is modelled on the
/// thread that read it and what was read is dropped there (see `cache::read_and_model`).
/// With `cache` (`serve`), what it holds of the last build is taken instead of done again, and
/// what this build read is left in it. `progress` is told when every document is modelled.
pub(crate) fn analyse(root: &Path, opts: Options, cache: Option<&mut Cache>, progress: &Progress) -> Result<Checked> {
    analyse_for(root, opts, cache, progress, false)
}

/// [`analyse`], for a build that writes the search index from this library when `indexed`: a
/// postmortem's body is then counted for the index in the same pass as its words for similar
/// incidents, when it is read (`model::model_document`).
fn analyse_for(
    root: &Path,
    opts: Options,
    mut cache: Option<&mut Cache>,
    progress: &Progress,
    indexed: bool,
) -> Result<Checked> {
    let (config, mut report) = match configured(root)? {
        Ok(configured) => configured,
        Err(failed) => return Ok(failed),
    };
    let t = std::time::Instant::now();
    let listing = cache::listing(&config, cache.as_deref_mut())?;
    report.extend(listing.diagnostics.iter().cloned());
    let parsed = cache.as_deref_mut().map(|c| &mut c.parsed);
    let read = cache::read_and_model(&config, &listing.documents, parsed, indexed);
    report.extend(read.diagnostics);
    let drafts = opts.drafts || config.drafts;
    let parsed = cache.as_deref_mut().map(|c| &mut c.parsed);
    let (lib, model_diags) = model::assemble(read.documents, listing.factors.as_ref(), read.rejected, drafts, parsed);
    timing("load and model", t);
    progress.stage("analysing");
    report.extend(model_diags);
    let assets = listing.assets.iter().map(|a| a.src_rel.clone()).collect();
    let previous = cache.as_deref().and_then(|c| c.previous.as_ref());
    let a = with_analysis(config, lib, assets, report, previous);
    if let Some(c) = cache {
        c.listing = Some(listing);
    }
    Ok(a)
}

/// The config and its diagnostics, or (when it has errors) what a build of it reports.
fn configured(root: &Path) -> Result<Result<(Config, Report), Checked>> {
    let (config, config_diags) = Config::load(root)?;
    let mut report = Report::default();
    report.extend(config_diags);
    if report.has_errors() {
        report.sort();
        let an = analysis::analyse(&Library::default(), config.recurring, false, None, analysis::Reused::default()).0;
        return Ok(Err(Checked { config, lib: Library::default(), an, assets: Vec::new(), report }));
    }
    // A build dir that may not be written is a config error (docs/build.md).
    if let Err(refused) = crate::output::place(&config) {
        report.extend([refused]);
    }
    Ok(Ok((config, report)))
}

/// The analysis of `lib`, reusing what the `previous` build computed from the same inputs.
fn with_analysis(
    config: Config,
    lib: Library,
    assets: Vec<String>,
    mut report: Report,
    previous: Option<&Checked>,
) -> Checked {
    let epoch = crate::switches::Switches::get().source_date_epoch;
    let t = std::time::Instant::now();
    let reused = analysis::Reused {
        related: previous.filter(|p| analysis::same_factors(&p.lib, &lib)).map(|p| p.an.related.clone()),
        patterns: previous
            .filter(|p| p.config.recurring == config.recurring && analysis::same_pattern_inputs(&p.lib, &lib))
            .map(|p| (p.an.reference, p.an.patterns.clone())),
        links: previous
            .filter(|p| p.config.broken_links_warn == config.broken_links_warn)
            .filter(|p| analysis::same_link_targets(&p.lib, &lib))
            .map(|p| (&p.lib, p.an.resolver.clone(), &p.an.backlinks, p.an.link_diags.as_slice())),
        groups: previous
            .filter(|p| analysis::same_groupings(&p.lib, &lib))
            .map(|p| (p.an.services.clone(), p.an.teams.clone(), p.an.tags.clone())),
    };
    let (an, link_diags) = analysis::analyse(&lib, config.recurring, config.broken_links_warn, epoch, reused);
    timing("analysis", t);
    report.extend(link_diags);
    report.sort();
    Checked { config, lib, an, assets, report }
}

/// With `CASEBOOK_TIMINGS` set, prints how long a stage took (for benchmarks, never in pages).
pub(crate) fn timing(stage: &str, since: std::time::Instant) {
    if crate::switches::Switches::get().timings {
        let (now, peak) = (crate::fs::memory_mb("VmRSS:"), crate::fs::memory_mb("VmHWM:"));
        eprintln!("{stage}: {} ms (resident {now} MB, peak so far {peak} MB)", since.elapsed().as_millis());
    }
}

/// Validates everything and writes nothing; reports a build dir `build` would refuse.
pub fn check(root: &Path, opts: Options) -> Result<Outcome> {
    let mut a = analyse(root, opts, None, &Progress::hidden())?;
    if a.writable(Options { keep_going: true, ..opts }) {
        a.report.extend(claim::checked(&a)?);
        a.report.sort();
    }
    Ok(a.outcome(false))
}

/// Builds the site into the build dir.
pub fn build(root: &Path, opts: Options) -> Result<Outcome> {
    build_with(root, opts, &Progress::hidden(), false)
}

/// Builds the site into the build dir, showing the stages on `progress`, for a process that
/// ends right after (the CLI): the library, its analysis and the renderer are not freed (as
/// compilers do), since the exit frees them at once, and freeing them took ~0.15 s of one core at
/// the end of a 10,000-incident build. A long-lived caller wants [`build`].
pub fn build_showing(root: &Path, opts: Options, progress: &Progress) -> Result<Outcome> {
    build_with(root, opts, progress, true)
}

fn build_with(root: &Path, opts: Options, progress: &Progress, exiting: bool) -> Result<Outcome> {
    // The lock is taken and the kept earlier site made ready to be written over while the
    // library is read, when the build dir is known to be casebook's (docs/build.md).
    let early = claim::early(root)?;
    progress.stage("loading");
    let a = analyse_for(root, opts, None, progress, true)?;
    let t = std::time::Instant::now();
    if !a.writable(opts) {
        // The background work is finished before the lock is let go.
        early.map(|c| c.prepared.finish()).transpose()?;
        return Ok(a.outcome(false));
    }
    let theme = load_theme(&a.config)?;
    let claim = match early {
        Some(claim) => claim,
        None => match claim::late(&a, &theme)? {
            Ok(claim) => claim,
            Err(refused) => return Ok(refuse(a, refused)),
        },
    };
    let ready = claim.prepared.finish()?;
    timing("waiting for the kept site", t);
    if !ready.foreign.is_empty() {
        let refused = claim::refused(&a.config, &ready);
        return Ok(refuse(a, refused));
    }
    let staging = Staging::over(&claim.place, ready)?;
    progress.counting(staging.expected_files());
    let counted = ProgressSink { inner: &staging, progress };
    match write_site(&a, &theme, &counted, &Selection::everything(), None, progress, exiting) {
        Ok(()) => {
            progress.stage("writing");
            staging.commit()?;
            progress.finish();
        }
        Err(e) => {
            let _ = staging.abandon();
            return Err(e);
        }
    }
    drop(claim.lock);
    let outcome = a.outcome(true);
    if exiting {
        std::mem::forget((a, theme));
    }
    Ok(outcome)
}

/// What a build that may not write its build dir reports.
fn refuse(mut a: Checked, refused: Vec<crate::diagnostic::Diagnostic>) -> Outcome {
    a.report.extend(refused);
    a.report.sort();
    a.outcome(false)
}

/// The library's theme: the embedded one with the theme folder's files over it.
pub(crate) fn load_theme(config: &Config) -> Result<Theme> {
    Theme::load(config.theme.as_ref().map(|t| config.root.join(t)).as_deref())
}

/// Writes the selected pages into `out`, then every file that is not a page (theme statics;
/// the copied assets only when everything is selected, since `serve` keeps them from the last
/// full build). Whatever else a site holds besides pages belongs here, so that `serve`'s
/// partial rebuilds refresh it too. With `cache` (`serve`), rendering and the search index take
/// what it holds of the last build and leave this one's. When `exiting` (the process ends after
/// this build), the renderer is left for the exit to free rather than freed piece by piece.
pub(crate) fn write_site(
    a: &Checked,
    theme: &Theme,
    out: &dyn Sink,
    sel: &Selection,
    cache: Option<&mut Cache>,
    progress: &Progress,
    exiting: bool,
) -> Result<()> {
    let Checked { config, lib, an, assets, .. } = a;
    let urls = Urls::new(config);
    let (templates, json_items, action_chunks, search) = match cache {
        Some(Cache { templates, json_items, action_chunks, search, .. }) => {
            (Some(&*templates), Some(&*json_items), Some(&*action_chunks), Some(search))
        }
        None => (None, None, None, None),
    };
    let renderer = Renderer::new(config, lib, an, &urls, theme, templates)?;
    let renderer = renderer.reusing(json_items).reusing_actions(action_chunks);
    let indexed = std::sync::atomic::AtomicBool::new(false);
    // The index needs no page, so it is written while the pages are rendered.
    let (pages, index) = rayon::join(
        || {
            let t = std::time::Instant::now();
            let r = renderer.render(out, sel);
            timing("render", t);
            if !indexed.load(std::sync::atomic::Ordering::Relaxed) {
                progress.stage("indexing");
            }
            r
        },
        || {
            let t = std::time::Instant::now();
            let r = match search {
                Some(search) => crate::search::write_cached(config, lib, an, out, search),
                None => crate::search::write(config, lib, an, out),
            };
            timing("search index", t);
            indexed.store(true, std::sync::atomic::Ordering::Relaxed);
            r
        },
    );
    if exiting {
        std::mem::forget(renderer);
    }
    pages?;
    index?;
    for (name, bytes) in &theme.statics {
        out.put(name, bytes)?;
    }
    if sel.all {
        assets::copy(config, lib, assets, out)?;
    }
    Ok(())
}

/// A one-line summary of an outcome for people; `built` is false for `check`.
pub fn summary(outcome: &Outcome, built: bool) -> String {
    let build_dir = &outcome.build_dir;
    let (i, n, p, f) = outcome.counts;
    let r = &outcome.report;
    let counts =
        format!("{i} incident{}, {n} note{}, {p} page{} and {f} pattern{}", plural(i), plural(n), plural(p), plural(f));
    let mut s = if outcome.wrote {
        format!("built {counts} into {build_dir}/")
    } else if !built {
        format!("checked {counts}")
    } else {
        format!("build failed; {build_dir}/ left as it was (checked {counts})")
    };
    let rejected = outcome.rejected.len();
    if rejected > 0 {
        s.push_str(&format!("; {rejected} document{} rejected", plural(rejected)));
    }
    let (e, w) = (r.count(Level::Error), r.count(Level::Warning));
    if e + w > 0 {
        s.push_str(&format!(" ({e} error{}, {w} warning{})", plural(e), plural(w)));
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    /// A site written into memory, by path.
    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Memory {
        fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
            self.0.lock().expect("lock").insert(path.to_string(), bytes.to_vec());
            Ok(())
        }

        fn copy_to(&self, from: &Path, site_paths: &[String]) -> Result<()> {
            let bytes = std::fs::read(from)?;
            site_paths.iter().for_each(|p| drop(self.0.lock().expect("lock").insert(p.clone(), bytes.clone())));
            Ok(())
        }
    }

    /// The files of the site at `dir`, by `/`-separated path, without the build's own hidden
    /// files (which are not part of the site a server serves).
    fn on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let walk = walkdir::WalkDir::new(dir).into_iter().map(|e| e.expect("walk"));
        let files = walk.filter(|e| e.file_type().is_file());
        let rel = |p: &Path| p.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
        files
            .map(|e| (rel(e.path()), std::fs::read(e.path()).expect("read")))
            .filter(|(p, _)| !p.starts_with('.'))
            .collect()
    }

    /// A library with enough documents for the reader pool, every way of being left out among
    /// them, an asset and a draft.
    fn library(root: &Path) {
        let write = |rel: &str, bytes: &[u8]| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, bytes).expect("write");
        };
        write("content/factors.yaml", b"config-change:\n  title: Configuration change\n");
        for i in 0..300 {
            let text = format!(
                "---\ntitle: Incident {i}\ndate: 2024-01-{:02}\nfactors: [config change, other-{}]\n---\nSee [[i-{:03}]].\n",
                1 + i % 28,
                i % 7,
                (i + 1) % 310
            );
            write(&format!("content/incidents/i-{i:03}.md"), text.as_bytes());
        }
        write("content/incidents/bad-utf8.md", b"---\ntitle: x\n---\n\xff\n");
        write("content/incidents/unclosed.md", b"---\ntitle: x\n");
        write("content/incidents/bad-severity.md", b"---\ntitle: x\nseverity: [a]\n---\nBody\n");
        write("content/incidents/dup/i-001.md", b"---\ntitle: Again\n---\nBody\n");
        write("content/notes/draft.md", b"---\ntitle: Draft\nstatus: draft\n---\nBody\n");
        write("content/notes/n.md", b"---\ntitle: Note\nfactors: [config-change]\n---\nSee [[i-004]].\n");
        write("content/notes/picture.png", b"png");
    }

    /// `build` and `serve` run one pipeline; this holds that the cache `serve` hands in changes
    /// nothing: with it empty (serve's first build) and with it full (a build after one where
    /// nothing changed), the site written is `build`'s, byte for byte, with its diagnostics.
    #[test]
    fn the_pipeline_with_serves_cache_writes_what_build_writes_byte_for_byte() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        library(root);
        let opts = Options { keep_going: true, ..Options::default() };
        let built = build(root, opts).expect("build");
        assert!(built.wrote);
        assert_eq!(built.counts.0, 300);
        assert_eq!(built.rejected.len(), 4, "{:?}", built.rejected);
        let site = on_disk(&root.join("site"));
        assert!(site.contains_key("notes/n/picture.png"), "the asset is copied");
        let (hidden, mut cache) = (Progress::hidden(), Cache::default());
        for round in ["an empty cache", "a full cache"] {
            let a = analyse(root, opts, Some(&mut cache), &hidden).expect("analyse");
            let headlines = |r: &Report| r.items().iter().map(|d| d.headline()).collect::<Vec<_>>();
            assert_eq!(headlines(&a.report), headlines(&built.report), "diagnostics with {round}");
            assert_eq!(a.lib.rejected, built.rejected, "rejected documents with {round}");
            let theme = load_theme(&a.config).expect("theme");
            let memory = Memory::default();
            write_site(&a, &theme, &memory, &Selection::everything(), Some(&mut cache), &hidden, false).expect("write");
            let served = memory.0.into_inner().expect("lock");
            let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(&served), paths(&site), "files with {round}");
            let differ: Vec<&String> = served.iter().filter(|(p, b)| site.get(*p) != Some(b)).map(|(p, _)| p).collect();
            assert!(differ.is_empty(), "with {round}, these differ: {differ:?}");
            cache.previous = Some(a);
        }
        assert!(cache.listing.is_some() && cache.parsed.holds("incidents/i-000.md"), "serve's cache is filled");
    }
}
