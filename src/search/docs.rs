//! What the index holds about each document: incidents, notes and pattern pages gathered from
//! the model and the analysis, numbered in date order (undated first) so that a year is a range
//! of numbers and a higher number is more recent; and the texts to index, read from the model
//! and the Markdown stage's text one document at a time (an incident's body already counted
//! when it was read, [`read_counted`]).

use crate::analysis::Analysis;
use crate::markdown;
use crate::model::{Date, Doc, Incident, Library};
use crate::text::vocab::Counted;
use crate::urls::Urls;
use std::borrow::Cow;

/// One text of a document to index: borrowed from the model where it is written there, owned
/// where it is made (the body's text), so reading a document copies none of its fields.
pub(crate) type Text<'a> = (Field, Cow<'a, str>);

/// The kinds a search can filter by, in the order they are listed.
pub(crate) const KINDS: [&str; 3] = ["incident", "note", "pattern"];

pub(crate) use crate::text::vocab::Field;

/// Where a document comes from: an index into the library's incidents or notes, or into the
/// analysis's patterns.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    /// `Library::incidents[i]`.
    Incident(usize),
    /// `Library::notes[i]`.
    Note(usize),
    /// `Analysis::patterns[i]`.
    Pattern(usize),
}

/// One searchable document: what the document store shows of it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Index into [`KINDS`].
    pub(crate) kind: usize,
    /// Site path of its page (`incidents/x/`).
    pub(crate) path: String,
    /// Title.
    pub(crate) title: String,
    /// Date, if any.
    pub(crate) date: Option<Date>,
    /// Severity as written.
    pub(crate) severity: Option<String>,
    /// Summary.
    pub(crate) summary: Option<String>,
    /// Sentences a snippet may show (filled in by [`read`]).
    pub(crate) sentences: Vec<String>,
    /// Where it comes from.
    pub(crate) source: Source,
}

/// Every searchable document, in index order: undated first, then by date, kind and path.
pub(crate) fn gather(lib: &Library, an: &Analysis) -> Vec<Entry> {
    let entry = |kind, path, title: &str, date, summary: &Option<String>, source| Entry {
        kind,
        path,
        title: title.to_string(),
        date,
        severity: None,
        summary: summary.clone(),
        sentences: Vec::new(),
        source,
    };
    let incidents = lib.incidents.iter().enumerate().map(|(i, inc)| {
        let d = &inc.doc;
        let mut e = entry(0, Urls::page("incidents", &d.id), &d.title, d.date, &d.summary, Source::Incident(i));
        e.severity = inc.severity.clone();
        e
    });
    let notes = lib.notes.iter().enumerate().map(|(i, n)| {
        let d = &n.doc;
        entry(1, Urls::page("notes", &d.id), &d.title, d.date, &d.summary, Source::Note(i))
    });
    let patterns = an.patterns.iter().enumerate().map(|(i, p)| {
        let factor = lib.factors.all.get(&p.id);
        let title = factor.map_or_else(|| p.id.clone(), |f| f.title.clone());
        let description = factor.and_then(|f| f.description.clone());
        entry(2, Urls::page("patterns", &p.id), &title, None, &description, Source::Pattern(i))
    });
    let mut all: Vec<Entry> = incidents.chain(notes).chain(patterns).collect();
    all.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)).then_with(|| a.path.cmp(&b.path)));
    all
}

/// The texts to index of a document, with their fields; keeps its snippet sentences in `e`.
pub(crate) fn read<'a>(lib: &'a Library, an: &'a Analysis, e: &mut Entry) -> Vec<Text<'a>> {
    let b = |s: &'a String| Cow::Borrowed(s.as_str());
    match e.source {
        Source::Incident(i) => {
            let i = &lib.incidents[i];
            let mut texts = doc_texts(&i.doc, e);
            incident_texts(lib, i, &mut texts);
            texts
        }
        Source::Note(n) => {
            let n = &lib.notes[n];
            let mut texts = doc_texts(&n.doc, e);
            texts.extend(n.doc.authors.iter().chain(&n.kind).map(|s| (Field::Strong, b(s))));
            for f in &n.factors {
                factor_texts(lib, &f.id, &mut texts);
            }
            texts
        }
        Source::Pattern(p) => pattern_texts(lib, &an.patterns[p].id, e),
    }
}

/// [`read`], except that an incident whose title, summary, tags and body were counted when it
/// was read ([`crate::model::Incident::counted`]) gives that count and only its other texts.
pub(crate) fn read_counted<'a>(
    lib: &'a Library,
    an: &'a Analysis,
    e: &mut Entry,
) -> (Vec<Text<'a>>, Option<&'a Counted>) {
    if let Source::Incident(i) = e.source {
        let i = &lib.incidents[i];
        if let Some(counted) = &i.counted {
            e.sentences.clone_from(&i.snippet);
            let mut texts = Vec::new();
            incident_texts(lib, i, &mut texts);
            return (texts, Some(counted));
        }
    }
    (read(lib, an, e), None)
}

/// The texts of an incident besides those every document has.
fn incident_texts<'a>(lib: &'a Library, i: &'a Incident, texts: &mut Vec<Text<'a>>) {
    let b = |s: &'a String| Cow::Borrowed(s.as_str());
    let strong = i.services.iter().chain(&i.teams).chain(&i.trigger);
    texts.extend(strong.map(|s| (Field::Strong, b(s))));
    texts.extend(i.severity.iter().map(|s| (Field::Body, b(s))));
    if let Some(imp) = &i.impact {
        texts.extend(imp.summary.iter().map(|s| (Field::Strong, b(s))));
    }
    texts.extend(i.detection.iter().filter_map(|d| d.note.as_ref()).map(|s| (Field::Body, b(s))));
    texts.extend(i.action_items.iter().map(|a| (Field::Body, b(&a.title))));
    for f in &i.factors {
        factor_texts(lib, &f.id, texts);
        texts.extend(f.note.iter().map(|n| (Field::Body, b(n))));
    }
}

/// The fields every document has, and its body's text.
fn doc_texts<'a>(d: &'a Doc, e: &mut Entry) -> Vec<Text<'a>> {
    let text = markdown::text(&d.body);
    let b = |s: &'a String| Cow::Borrowed(s.as_str());
    let mut texts = vec![(Field::Title, b(&d.title))];
    texts.extend(d.summary.iter().map(|s| (Field::Strong, b(s))));
    texts.extend(d.tags.iter().map(|t| (Field::Strong, b(t))));
    e.sentences = text.snippet(d.summary.as_deref());
    texts.extend(text.headings.into_iter().map(|h| (Field::Strong, Cow::Owned(h))));
    texts.extend(text.blocks.into_iter().map(|b| (Field::Body, Cow::Owned(b))));
    texts
}

/// A pattern page: the factor's title, aliases, category, description and hand-written text.
fn pattern_texts<'a>(lib: &'a Library, id: &'a str, e: &mut Entry) -> Vec<Text<'a>> {
    let factor = lib.factors.all.get(id);
    let title = factor.map_or(Cow::Borrowed(id), |f| Cow::Borrowed(f.title.as_str()));
    let mut texts = vec![(Field::Title, title)];
    factor_texts(lib, id, &mut texts);
    texts.extend(factor.and_then(|f| f.category.as_deref()).map(|c| (Field::Strong, Cow::Borrowed(c))));
    texts.extend(factor.and_then(|f| f.description.as_deref()).map(|d| (Field::Strong, Cow::Borrowed(d))));
    if let Some(doc) = lib.pattern_texts.get(id) {
        let text = markdown::text(&doc.body);
        e.sentences = text.snippet(e.summary.as_deref());
        texts.extend(text.headings.into_iter().map(|h| (Field::Strong, Cow::Owned(h))));
        texts.extend(text.blocks.into_iter().map(|b| (Field::Body, Cow::Owned(b))));
    }
    texts
}

/// A factor's title and aliases, which rank a document like its title does.
fn factor_texts<'a>(lib: &'a Library, id: &str, texts: &mut Vec<Text<'a>>) {
    match lib.factors.all.get(id) {
        Some(f) => {
            texts.push((Field::Factor, Cow::Borrowed(f.title.as_str())));
            texts.extend(f.aliases.iter().map(|a| (Field::Factor, Cow::Borrowed(a.as_str()))));
        }
        None => texts.push((Field::Factor, Cow::Owned(id.replace('-', " ")))),
    }
}
