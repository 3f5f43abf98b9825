//! Raw documents → a valid [`Library`], in two steps: [`model_document`] reads one document by
//! its kind (on the thread that read it from disk), and [`assemble`] gathers them: ids checked
//! for uniqueness and reserved names, drafts set aside, factors matched to the registry. A
//! document with an error is rejected (reported, never silently dropped). `serve` keeps the
//! modelled documents in a [`ParseCache`] so that a rebuild models only the changed ones.

use super::doc::{self, Doc, Kind, Status};
use super::factor::Factors;
use super::fields::Fields;
use super::incident::{self, Incident};
use super::note::{self, Note};
use super::terms::Search;
use crate::config::Config;
use crate::content::{infer, RawDocument, RawFactors};
use crate::diagnostic::{Diagnostic, Level};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Ids the site's own sections use; a plain page may not take them.
pub const RESERVED_IDS: &[&str] =
    &["incidents", "notes", "patterns", "trends", "services", "tags", "teams", "actions", "search", "api", "static"];

/// The whole library, valid and ready to analyse.
#[derive(Debug, Default)]
pub struct Library {
    /// Incidents, newest first.
    pub incidents: Vec<Arc<Incident>>,
    /// Notes, newest first.
    pub notes: Vec<Arc<Note>>,
    /// Plain pages, by id.
    pub pages: Vec<Doc>,
    /// Hand-written pattern text, by canonical factor id.
    pub pattern_texts: BTreeMap<String, Doc>,
    /// Every factor.
    pub factors: Factors,
    /// Drafts left out: id → title.
    pub drafts: BTreeMap<String, String>,
    /// Source-relative paths of drafts left out (for relative links).
    pub draft_paths: Vec<String>,
    /// Paths of documents rejected for errors.
    pub rejected: Vec<String>,
    /// Documents rejected for errors that were read far enough to have links, so their links
    /// are still checked and every problem is reported in one run.
    pub rejected_docs: Vec<Doc>,
}

impl Library {
    /// Every document that gets a page of its own (incidents, notes, plain pages), with its kind.
    pub fn documents(&self) -> impl Iterator<Item = (Kind, &Doc)> {
        self.incidents
            .iter()
            .map(|i| (Kind::Incident, &i.doc))
            .chain(self.notes.iter().map(|n| (Kind::Note, &n.doc)))
            .chain(self.pages.iter().map(|d| (Kind::Page, d)))
    }
}

/// A document read according to its kind.
#[derive(Clone)]
enum Parsed {
    Incident(Arc<Incident>),
    Note(Arc<Note>),
    Page(Doc),
    PatternText(Doc),
}

impl Parsed {
    fn doc(&self) -> &Doc {
        match self {
            Parsed::Incident(i) => &i.doc,
            Parsed::Note(n) => &n.doc,
            Parsed::Page(d) | Parsed::PatternText(d) => d,
        }
    }
}

/// Each document as modelled, by source path, kept by `serve` so that a rebuild reads and
/// models only the documents that changed. Valid for one config: clear it when the config may
/// differ.
#[derive(Default)]
pub struct ParseCache {
    parsed: HashMap<String, Modelled>,
    finished: super::finish::Finished,
}

impl ParseCache {
    /// The document at `src_rel` (relative to the source folder) as last modelled, unless it
    /// was forgotten since.
    pub fn get(&self, src_rel: &str) -> Option<Modelled> {
        self.parsed.get(src_rel).cloned()
    }

    /// Whether the document at `src_rel` is held.
    pub fn holds(&self, src_rel: &str) -> bool {
        self.parsed.contains_key(src_rel)
    }

    /// Keeps a document just modelled, for the next build.
    pub fn keep(&mut self, modelled: &Modelled) {
        self.parsed.insert(modelled.src_rel.clone(), modelled.clone());
    }

    /// Forgets the document at `src_rel` (relative to the source folder), so it is read and
    /// modelled again.
    pub fn forget(&mut self, src_rel: &str) {
        if let Some(m) = self.parsed.remove(src_rel) {
            self.finished.forget(&m.path);
        }
    }
}

/// One document read by its kind (or found unusable), ready for [`assemble`].
#[derive(Clone)]
pub struct Modelled {
    path: String,
    src_rel: String,
    parsed: Option<Parsed>,
    diags: Vec<Diagnostic>,
}

impl Modelled {
    /// The incident it was read as, if it is one.
    pub(crate) fn incident(&self) -> Option<&Arc<Incident>> {
        match &self.parsed {
            Some(Parsed::Incident(i)) => Some(i),
            _ => None,
        }
    }

    /// What reading it reported.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }
}

/// Reads one document by its kind. The pipeline calls it on the thread that read the document,
/// so that what was read can be dropped there (see `site`). With `indexed` (a build that writes
/// the search index from these documents), a postmortem's title, summary, tags and body are
/// counted for the index too, in the same pass as its words for similar incidents.
pub fn model_document(raw: &RawDocument, config: &Config, indexed: bool) -> Modelled {
    let (parsed, diags) = parse(raw, config, indexed);
    Modelled { path: raw.path.clone(), src_rel: raw.src_rel.clone(), parsed, diags }
}

/// Builds the library from the documents modelled by [`model_document`] (in path order), the
/// registry and the paths of the documents that could not be read (`rejected`), as the source
/// gives them: ids checked, drafts set aside (`include_drafts` comes from `--drafts` or the
/// config), factors matched to the registry. With `cache` (`serve`), documents finished
/// against the same registry last time are shared rather than finished again.
pub fn assemble(
    docs: Vec<Modelled>,
    registry: Option<&RawFactors>,
    rejected: Vec<String>,
    include_drafts: bool,
    mut cache: Option<&mut ParseCache>,
) -> (Library, Vec<Diagnostic>) {
    let (factors, diags) = Factors::from_registry(registry);
    if let Some(c) = cache.as_deref_mut() {
        c.finished.start(&factors);
    }
    let lib = Library { rejected, factors, ..Library::default() };
    let docs = docs.into_iter().map(|m| (m.parsed, m.diags, m.path));
    gather(lib, diags, docs, include_drafts, cache)
}

/// The rest of an assembly, once every document is parsed (in path order): ids checked,
/// drafts set aside, factors matched to the registry, everything sorted. `lib` holds the
/// factors of the registry and the documents already rejected.
fn gather<P: Into<String>>(
    mut lib: Library,
    mut diags: Vec<Diagnostic>,
    parsed: impl Iterator<Item = (Option<Parsed>, Vec<Diagnostic>, P)>,
    include_drafts: bool,
    mut cache: Option<&mut ParseCache>,
) -> (Library, Vec<Diagnostic>) {
    let mut factors = std::mem::take(&mut lib.factors);
    let kept = valid(&mut lib, &mut diags, parsed);
    let mut texts = Vec::new();
    for p in kept {
        if p.doc().status == Status::Draft && !include_drafts && !matches!(p, Parsed::PatternText(_)) {
            diags.push(Diagnostic::note("draft-skipped", &p.doc().path, format!("draft `{}` left out", p.doc().id)));
            lib.drafts.insert(p.doc().id.clone(), p.doc().title.clone());
            lib.draft_paths.push(p.doc().src_rel.clone());
            continue;
        }
        match p {
            Parsed::Incident(i) => {
                let finished = cache.as_deref_mut().map(|c| &mut c.finished);
                lib.incidents.push(super::finish::incident(i, &mut factors, &mut diags, finished));
            }
            Parsed::Note(n) => {
                let finished = cache.as_deref_mut().map(|c| &mut c.finished);
                lib.notes.push(super::finish::note(n, &mut factors, &mut diags, finished));
            }
            Parsed::Page(d) => lib.pages.push(d),
            Parsed::PatternText(d) => texts.push(d),
        }
    }
    // Pattern texts are matched once every factor is known, so a text for a factor that only
    // content names (not the registry) still finds it.
    for d in texts {
        let Some(id) = factors.find(&d.id).map(str::to_string) else {
            diags.push(
                Diagnostic::warning("unknown-pattern-text", &d.path, format!("`{}` names no known factor", d.id))
                    .help("name the file after a factor id or alias used in incidents, notes or factors.yaml"),
            );
            continue;
        };
        lib.pattern_texts.insert(id, d);
    }
    lib.incidents.sort_by(|a, b| b.doc.date.cmp(&a.doc.date).then_with(|| a.doc.id.cmp(&b.doc.id)));
    lib.notes.sort_by(|a, b| b.doc.date.cmp(&a.doc.date).then_with(|| a.doc.id.cmp(&b.doc.id)));
    lib.pages.sort_by(|a, b| a.id.cmp(&b.id));
    lib.factors = factors;
    (lib, diags)
}

/// The documents without errors (ids and aliases checked); the others are added to `lib`'s
/// rejected ones.
fn valid<P: Into<String>>(
    lib: &mut Library,
    diags: &mut Vec<Diagnostic>,
    parsed: impl Iterator<Item = (Option<Parsed>, Vec<Diagnostic>, P)>,
) -> Vec<Parsed> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::new();
    for (p, mut ds, path) in parsed {
        if let Some(p) = &p {
            check_id(p, &mut seen, &mut ds);
        }
        let failed = ds.iter().any(|d| d.level == Level::Error);
        diags.extend(ds);
        match p {
            Some(p) if !failed => kept.push(p),
            Some(p) => {
                lib.rejected.push(path.into());
                lib.rejected_docs.push(p.doc().clone());
            }
            None => lib.rejected.push(path.into()),
        }
    }
    check_aliases(&mut kept, &seen, diags);
    kept
}

fn kind_of(raw: &RawDocument, f: &mut Fields) -> Kind {
    let by_folder = match raw.top_folder() {
        "incidents" => Kind::Incident,
        "notes" => Kind::Note,
        "patterns" => Kind::PatternText,
        _ => Kind::Page,
    };
    let Some(t) = f.text("type") else { return by_folder };
    match t.to_lowercase().as_str() {
        "incident" => Kind::Incident,
        "note" => Kind::Note,
        "page" => Kind::Page,
        _ => {
            f.warn(
                "unknown-type",
                "type",
                format!("unknown type `{t}`"),
                Some("expected `incident`, `note` or `page`; the folder decides".into()),
            );
            by_folder
        }
    }
}

fn parse(raw: &RawDocument, config: &Config, indexed: bool) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut first = Fields::new(raw, &config.fields, &config.timezone);
    let kind = kind_of(raw, &mut first);
    // Notes kept as web pages, caption dumps or talk exports are read as tidied (docs/notes.md).
    let shaped = if kind == Kind::Note { super::shape::reshape(raw) } else { None };
    if let Some(s) = &shaped {
        first.diags.extend(s.diags.iter().cloned());
    }
    let raw = shaped.as_ref().map_or(raw, |s| &s.raw);
    // Only postmortems are read for their sections (docs/content.md#reading-plain-postmortems); notes and pages are not.
    // The outline the sections are read from, the model's own scan and a postmortem's text
    // (counted once for similar incidents and search) come from one parse.
    let (inferred, scan, text) = if kind == Kind::Incident && config.infer {
        let (blocks, scan, text) = crate::markdown::outline_scan_and_text(&raw.body, raw.body_line);
        let keys = infer::Keys::new(&config.fields);
        (Some(infer::infer_outline(&raw.path, &blocks, raw.body_line, &keys)), Some(scan), text)
    } else if kind == Kind::Incident {
        let (scan, text) = crate::markdown::scan_and_text(&raw.body, raw.body_line);
        (None, Some(scan), text)
    } else {
        (None, None, crate::markdown::Text::default())
    };
    let mut f = Fields::new(raw, &config.fields, &config.timezone).with_inferred(inferred.as_ref());
    f.diags = first.diags;
    f.mark_used(&["type"]);
    let Some(mut d) = doc::read(&mut f, kind != Kind::PatternText, scan) else { return (None, f.diags) };
    d.transcript = shaped.as_ref().and_then(|s| s.transcript.clone());
    let parsed = match kind {
        Kind::Incident => {
            let i = incident::read(&mut f, d.clone(), config.severity_levels.as_deref());
            if i.doc.date.is_none() {
                f.warn(
                    "undated-incident",
                    "date",
                    "incident has no date".into(),
                    Some("add `date: YYYY-MM-DD`, `times.started`, or start the file name with the date".into()),
                );
            }
            let mut i = i;
            // In a build that writes the search index, the index reads the body the document
            // keeps: the one read here, or that body less its title heading. Another edit (a
            // first line taken as the title) is read again then, as is every body in `check`
            // (no index) and `serve` (whose index is patched from its own counts).
            let same_body = std::sync::Arc::ptr_eq(&i.doc.body, &raw.body);
            let search = if !indexed {
                Search::No
            } else if same_body {
                Search::Body
            } else if i.doc.title_from_heading {
                Search::BodyButTitle
            } else {
                Search::No
            };
            (i.terms, i.counted) = super::terms::count_incident(&i, &text, search);
            if search != Search::No {
                i.snippet = text.snippet(i.doc.summary.as_deref());
            }
            i.doc.extra = f.extra(incident::KEYS);
            f.push_inferred_notes();
            Parsed::Incident(Arc::new(i))
        }
        Kind::Note => {
            let mut n = note::read(&mut f, d.clone());
            n.doc.extra = f.extra(note::KEYS);
            Parsed::Note(Arc::new(n))
        }
        Kind::Page | Kind::PatternText => {
            d.extra = f.extra(&[
                "title",
                "date",
                "summary",
                "status",
                "tags",
                "authors",
                "aliases",
                "slug",
                "type",
                "description",
                "draft",
                "published",
            ]);
            if kind == Kind::Page {
                Parsed::Page(d)
            } else {
                Parsed::PatternText(d)
            }
        }
    };
    (Some(parsed), f.diags)
}

impl Parsed {
    /// The document, to change (copied first when it is shared).
    fn doc_mut(&mut self) -> &mut Doc {
        match self {
            Parsed::Incident(i) => &mut Arc::make_mut(i).doc,
            Parsed::Note(n) => &mut Arc::make_mut(n).doc,
            Parsed::Page(d) | Parsed::PatternText(d) => d,
        }
    }
}

/// An alias may not take another document's id, another alias, or (for a plain page) a
/// section of the site: its redirect page would overwrite that page. Such an alias is
/// reported and dropped.
fn check_aliases(kept: &mut [Parsed], ids: &HashMap<String, String>, diags: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<String, String> = HashMap::new();
    for p in kept.iter_mut() {
        let is_page = matches!(p, Parsed::Page(_));
        let d = p.doc();
        let mut dropped = Vec::new();
        for (k, (alias, loc)) in d.aliases.iter().enumerate() {
            let clash = if *alias == d.id {
                dropped.push(k);
                continue;
            } else if let Some(other) = ids.get(alias) {
                format!("alias `{alias}` is the id of `{other}`")
            } else if is_page && RESERVED_IDS.contains(&alias.as_str()) {
                format!("alias `{alias}` is used by the site's own `/{alias}/` section")
            } else if let Some(other) = taken.get(alias) {
                format!("alias `{alias}` is already an alias of `{other}`")
            } else {
                taken.insert(alias.clone(), d.path.clone());
                continue;
            };
            diags.push(
                Diagnostic::error("alias-clash", &d.path, clash)
                    .at_loc(*loc)
                    .help("its redirect page would replace that page; remove the alias or rename one document"),
            );
            dropped.push(k);
        }
        // Only a document that loses an alias is changed (and so copied when `serve` shares it).
        if !dropped.is_empty() {
            let mut k = 0..;
            p.doc_mut().aliases.retain(|_| k.next().is_some_and(|k| !dropped.contains(&k)));
        }
    }
}

fn check_id(p: &Parsed, seen: &mut HashMap<String, String>, diags: &mut Vec<Diagnostic>) {
    let d = p.doc();
    if matches!(p, Parsed::PatternText(_)) {
        return;
    }
    if matches!(p, Parsed::Page(_)) && RESERVED_IDS.contains(&d.id.as_str()) {
        diags.push(
            Diagnostic::error(
                "reserved-id",
                &d.path,
                format!("page id `{}` is used by the site's own `/{}/` section", d.id, d.id),
            )
            .help("rename the file, or give it another `slug:`"),
        );
        return;
    }
    if let Some(first) = seen.get(&d.id) {
        diags.push(
            Diagnostic::error("duplicate-id", &d.path, format!("duplicate id `{}`, first used by `{first}`", d.id))
                .help("ids are unique across all documents; rename one file or give it a `slug:`"),
        );
        return;
    }
    seen.insert(d.id.clone(), d.path.clone());
}
