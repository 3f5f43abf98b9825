//! Resolves every link, `related` and `incidents` id in the library: broken ones become
//! diagnostics, links to left-out drafts become warnings, and working ones become backlinks.

use crate::diagnostic::Diagnostic;
use crate::markdown::scan::LinkRef;
use crate::model::{Factors, Kind, Library};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A document page, with an optional `#fragment`.
    Doc {
        /// What kind of document.
        kind: Kind,
        /// Its id.
        id: String,
        /// The part after `#`.
        fragment: Option<String>,
    },
    /// A pattern page.
    Pattern {
        /// The factor id.
        id: String,
    },
    /// A draft left out of the build: rendered as plain text.
    Draft,
    /// Nothing matches.
    Missing,
    /// A `[[Title]]` that matches several documents.
    Ambiguous(Vec<String>),
    /// Not a document: left as written.
    Other,
}

/// Looks links up by path, id and title.
#[derive(Debug, Default)]
pub struct Resolver {
    by_path: HashMap<String, (Kind, String)>,
    by_id: HashMap<String, (Kind, String)>,
    by_title: HashMap<String, Vec<String>>,
    draft_ids: HashSet<String>,
    draft_titles: HashSet<String>,
    draft_paths: HashSet<String>,
    factor_titles: HashMap<String, String>,
    factors: Factors,
}

const DOC_EXTENSIONS: &[&str] = &[".md", ".markdown", ".txt"];

impl Resolver {
    /// Indexes a library.
    pub fn new(lib: &Library) -> Self {
        let mut r = Resolver::default();
        for (kind, d) in lib.documents() {
            r.by_path.insert(d.src_rel.clone(), (kind, d.id.clone()));
            r.by_id.insert(d.id.clone(), (kind, d.title.clone()));
            r.by_title.entry(d.title.to_lowercase()).or_default().push(d.id.clone());
        }
        for (factor, d) in &lib.pattern_texts {
            r.by_path.insert(d.src_rel.clone(), (Kind::PatternText, factor.clone()));
        }
        r.draft_ids = lib.drafts.keys().cloned().collect();
        r.draft_titles = lib.drafts.values().map(|t| t.to_lowercase()).collect();
        r.draft_paths = lib.draft_paths.iter().cloned().collect();
        r.factor_titles = lib.factors.all.iter().map(|(id, f)| (id.clone(), f.title.clone())).collect();
        r.factors = lib.factors.clone();
        r
    }

    /// The title of a document id or factor.
    pub fn title(&self, target: &Target) -> Option<&str> {
        match target {
            Target::Doc { id, .. } => self.by_id.get(id).map(|(_, t)| t.as_str()),
            Target::Pattern { id } => self.factor_titles.get(id).map(String::as_str),
            _ => None,
        }
    }

    /// Resolves a document id (as in `related:`).
    pub fn id(&self, id: &str) -> Target {
        let key = crate::model::slugify(id);
        match self.by_id.get(&key) {
            Some((kind, _)) => Target::Doc { kind: *kind, id: key, fragment: None },
            None if self.draft_ids.contains(&key) => Target::Draft,
            None => Target::Missing,
        }
    }

    /// Resolves a link written in a document in source folder `dir`.
    pub fn resolve(&self, dir: &str, link: &LinkRef) -> Target {
        if link.wiki {
            return self.wiki(&link.dest);
        }
        let (path, fragment) = split_fragment(&link.dest);
        let path = percent_decode(path.split('?').next().unwrap_or(""));
        if !DOC_EXTENSIONS.iter().any(|e| path.to_lowercase().ends_with(e)) {
            return Target::Other;
        }
        let Some(joined) = join(dir, &path) else { return Target::Missing };
        match self.by_path.get(&joined) {
            Some((Kind::PatternText, id)) => Target::Pattern { id: id.clone() },
            Some((kind, id)) => Target::Doc { kind: *kind, id: id.clone(), fragment },
            None if self.draft_paths.contains(&joined) => Target::Draft,
            None => Target::Missing,
        }
    }

    fn wiki(&self, dest: &str) -> Target {
        let (dest, fragment) = split_fragment(dest.trim());
        if let Some(f) = dest.strip_prefix("factor:") {
            // Ids and registry aliases alike, as in front matter.
            return match self.factors.find(f) {
                Some(id) => Target::Pattern { id: id.to_string() },
                None => Target::Missing,
            };
        }
        match self.id(dest) {
            Target::Doc { kind, id, .. }
                if self.by_id.contains_key(dest) || crate::model::slugify(dest) == dest.to_lowercase() =>
            {
                return Target::Doc { kind, id, fragment };
            }
            Target::Draft => return Target::Draft,
            _ => {}
        }
        match self.by_title.get(&dest.to_lowercase()).map(Vec::as_slice) {
            Some([one]) => self.by_id.get(one).map_or(Target::Missing, |(kind, _)| Target::Doc {
                kind: *kind,
                id: one.clone(),
                fragment,
            }),
            Some(many) if many.len() > 1 => Target::Ambiguous(many.to_vec()),
            _ if self.draft_titles.contains(&dest.to_lowercase()) => Target::Draft,
            _ => match self.id(dest) {
                Target::Doc { kind, id, .. } => Target::Doc { kind, id, fragment },
                other => other,
            },
        }
    }
}

fn split_fragment(s: &str) -> (&str, Option<String>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (s, None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Check the two bytes before slicing: `%` may be followed by a multi-byte character.
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Joins a relative path to a source folder, folding `.` and `..`; `None` when it leaves the root.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Backlinks: target id → ids of the documents that link to it or name it.
pub type Backlinks = BTreeMap<String, BTreeSet<String>>;

/// Checks every link and id reference; returns backlinks (target id → source ids) and problems.
pub fn check(lib: &Library, r: &Resolver, warn_only: bool) -> (Backlinks, Vec<Diagnostic>) {
    let mut backlinks = Backlinks::new();
    let mut diags = Vec::new();
    // Pages of their own give backlinks. Pattern texts are checked but give none (they are
    // part of a pattern page), and so are rejected documents, so every problem of a file shows
    // in one run though the file is not in the site.
    let checked = lib
        .documents()
        .map(|(_, d)| (d, true))
        .chain(lib.pattern_texts.values().map(|d| (d, false)))
        .chain(lib.rejected_docs.iter().map(|d| (d, false)));
    for (d, gives_backlinks) in checked {
        check_doc(d, gives_backlinks, r, warn_only, &mut backlinks, &mut diags);
    }
    let refs =
        lib.incidents.iter().flat_map(|i| i.related.iter().map(move |(id, loc)| (&i.doc, "related", id, *loc))).chain(
            lib.notes.iter().flat_map(|n| n.incidents.iter().map(move |(id, loc)| (&n.doc, "incidents", id, *loc))),
        );
    check_refs(refs, r, warn_only, &mut backlinks, &mut diags);
    (backlinks, diags)
}

/// [`check`] after an edit, patching the `previous` library's results (its backlinks and
/// link diagnostics): only the documents that are not the very ones it held (`Arc`s), plain
/// pages, pattern texts and rejected documents are checked again. Valid only when every link
/// resolves as it did, that is when [`same_targets`] holds for the two libraries.
pub fn check_patching(
    lib: &Library,
    r: &Resolver,
    warn_only: bool,
    previous: (&Library, &Backlinks, &[Diagnostic]),
) -> (Backlinks, Vec<Diagnostic>) {
    let (old, old_backlinks, old_diags) = previous;
    let changed_incidents: Vec<usize> =
        (0..lib.incidents.len()).filter(|&k| !Arc::ptr_eq(&lib.incidents[k], &old.incidents[k])).collect();
    let changed_notes: Vec<usize> =
        (0..lib.notes.len()).filter(|&k| !Arc::ptr_eq(&lib.notes[k], &old.notes[k])).collect();
    let mut rechecked: BTreeSet<&str> = BTreeSet::new();
    for side in [old, lib] {
        rechecked.extend(changed_incidents.iter().map(|&k| side.incidents[k].doc.path.as_str()));
        rechecked.extend(changed_notes.iter().map(|&k| side.notes[k].doc.path.as_str()));
        let others = side.pages.iter().chain(side.pattern_texts.values()).chain(&side.rejected_docs);
        rechecked.extend(others.map(|d| d.path.as_str()));
    }
    let mut diags: Vec<Diagnostic> =
        old_diags.iter().filter(|d| !rechecked.contains(d.path.as_str())).cloned().collect();
    // What the old versions gave is taken out of the backlinks, then what the new ones give
    // is put in (with the same ids: the targets are the same).
    let mut backlinks = old_backlinks.clone();
    for (side, new) in [(old, false), (lib, true)] {
        let (mut given, mut found) = (Backlinks::new(), Vec::new());
        let incidents = changed_incidents.iter().map(|&k| &*side.incidents[k]);
        let notes = changed_notes.iter().map(|&k| &*side.notes[k]);
        let docs = incidents.clone().map(|i| &i.doc).chain(notes.clone().map(|n| &n.doc)).chain(&side.pages);
        for d in docs {
            check_doc(d, true, r, warn_only, &mut given, &mut found);
        }
        let refs = incidents
            .flat_map(|i| i.related.iter().map(move |(id, loc)| (&i.doc, "related", id, *loc)))
            .chain(notes.flat_map(|n| n.incidents.iter().map(move |(id, loc)| (&n.doc, "incidents", id, *loc))));
        check_refs(refs, r, warn_only, &mut given, &mut found);
        for (target, from) in given {
            if new {
                backlinks.entry(target).or_default().extend(from);
            } else if let Some(set) = backlinks.get_mut(&target) {
                set.retain(|s| !from.contains(s));
                if set.is_empty() {
                    backlinks.remove(&target);
                }
            }
        }
        if new {
            diags.extend(found);
        }
    }
    for d in lib.pattern_texts.values().chain(&lib.rejected_docs) {
        check_doc(d, false, r, warn_only, &mut Backlinks::new(), &mut diags);
    }
    (backlinks, diags)
}

/// Whether every link resolves in `b` as in `a`: the same documents in the same order with
/// the same paths, ids and titles, the same pattern texts, drafts and factors.
pub fn same_targets(a: &Library, b: &Library) -> bool {
    fn key((k, d): (Kind, &crate::model::Doc)) -> (Kind, &String, &String, &String) {
        (k, &d.src_rel, &d.id, &d.title)
    }
    a.incidents.len() == b.incidents.len()
        && a.notes.len() == b.notes.len()
        && a.documents().map(key).eq(b.documents().map(key))
        && a.pattern_texts.iter().map(|(f, d)| (f, &d.src_rel)).eq(b.pattern_texts.iter().map(|(f, d)| (f, &d.src_rel)))
        && a.drafts == b.drafts
        && a.draft_paths == b.draft_paths
        && a.factors.same_as(&b.factors)
}

/// Checks one document's links, adding its backlinks (when it gives them) and problems.
fn check_doc(
    d: &crate::model::Doc,
    gives_backlinks: bool,
    r: &Resolver,
    warn_only: bool,
    backlinks: &mut Backlinks,
    diags: &mut Vec<Diagnostic>,
) {
    let dir = d.dir();
    for link in &d.links {
        let target = r.resolve(dir, link);
        let shown = if link.wiki { format!("[[{}]]", link.dest) } else { format!("`{}`", link.dest) };
        match &target {
            Target::Doc { id, .. } => {
                if gives_backlinks && *id != d.id {
                    backlinks.entry(id.clone()).or_default().insert(d.id.clone());
                }
            }
            Target::Missing => diags.push(
                Diagnostic::error("broken-link", &d.path, format!("broken link {shown}"))
                    .at_loc(link.loc)
                    .help(if link.wiki {
                        "no document has this id or title (`[[factor:id]]` links to a pattern page)".to_string()
                    } else {
                        "no document is at this path, relative to this file".to_string()
                    })
                    .downgraded(warn_only),
            ),
            Target::Ambiguous(ids) => diags.push(
                Diagnostic::error(
                    "ambiguous-link",
                    &d.path,
                    format!("link {shown} matches {} documents: `{}`", ids.len(), ids.join("`, `")),
                )
                .at_loc(link.loc)
                .help("link by id instead, like `[[id|label]]`")
                .downgraded(warn_only),
            ),
            Target::Draft => diags.push(
                Diagnostic::warning(
                    "draft-link",
                    &d.path,
                    format!("link {shown} points to a draft left out of the build"),
                )
                .at_loc(link.loc)
                .help("it renders as plain text; build with `--drafts` to include drafts"),
            ),
            Target::Pattern { .. } | Target::Other => {}
        }
    }
}

/// Checks `related` and `incidents` ids, adding backlinks and problems.
fn check_refs<'a>(
    refs: impl Iterator<Item = (&'a crate::model::Doc, &'static str, &'a String, crate::diagnostic::Location)>,
    r: &Resolver,
    warn_only: bool,
    backlinks: &mut Backlinks,
    diags: &mut Vec<Diagnostic>,
) {
    for (doc, field, id, loc) in refs {
        match r.id(id) {
            Target::Doc { id: target, .. } => {
                if target != doc.id {
                    backlinks.entry(target).or_default().insert(doc.id.clone());
                }
            }
            Target::Draft => diags.push(
                Diagnostic::warning(
                    "draft-link",
                    &doc.path,
                    format!("`{id}` in `{field}` is a draft left out of the build"),
                )
                .at_loc(loc),
            ),
            _ => diags.push(
                Diagnostic::error("broken-link", &doc.path, format!("`{id}` in `{field}` matches no document"))
                    .at_loc(loc)
                    .help("write the id of an existing document (its file name without extension, or its `slug:`)")
                    .downgraded(warn_only),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join("incidents/2024", "../../notes/a.md").as_deref(), Some("notes/a.md"));
        assert_eq!(join("incidents", "./b.md").as_deref(), Some("incidents/b.md"));
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        // Regression: a `%` before a multi-byte character panicked on a char boundary.
        assert_eq!(percent_decode("a%aé.md"), "a%aé.md");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
