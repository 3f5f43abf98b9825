//! What a draft registry gives once committed (docs/suggest.md): the incidents each drafted
//! entry would name, counted as the library would count them with the draft added to its
//! registry, so the counts `patterns --suggest` prints are the counts the pattern pages show.

use super::Case;
use crate::model::{is_label, slugify, Factors};
use crate::text::phrases::{stems, Matcher};
use crate::text::Stems;
use std::collections::{BTreeSet, HashMap};

/// A drafted entry: what `factors.yaml` would say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub id: String,
    pub title: String,
    pub matches: Vec<String>,
}

/// The factor texts and labels of every incident, split once, for counting many drafts.
pub(super) struct Library<'a> {
    cases: &'a [Case<'a>],
    registry: &'a Factors,
    /// Each case's factor texts as stems, with whether the registry already matches them.
    texts: Vec<Vec<(Vec<String>, bool)>>,
}

impl<'a> Library<'a> {
    pub(super) fn new(cases: &'a [Case<'a>], registry: &'a Factors) -> Self {
        let stemmer = Stems::new();
        let texts = cases
            .iter()
            .map(|c| c.texts.iter().map(|t| (stems(t, &stemmer), !registry.matcher().find(t).is_empty())).collect())
            .collect();
        Library { cases, registry, texts }
    }

    /// Whether the registry already holds `id` (as an id or alias), so a drafted entry of that
    /// id would clash with it.
    pub(super) fn taken(&self, id: &str) -> bool {
        self.registry.registered(id).is_some()
    }

    /// The incidents (ids, sorted) each entry names, by entry id: an entry names an incident
    /// when its id, title or a `match` phrase occurs in one of its factor texts; or when a
    /// factor text no phrase of the registry or draft matches is a short label that is the
    /// entry's id; or when front matter names the entry's id.
    pub(super) fn count(&self, entries: &[Entry]) -> HashMap<String, BTreeSet<String>> {
        let mut matcher = Matcher::default();
        let mut ids: HashMap<String, &str> = HashMap::new();
        for e in entries {
            for phrase in [&e.id, &e.title].into_iter().chain(&e.matches) {
                matcher.add(phrase, &e.id);
            }
            ids.insert(slugify(&e.id), &e.id);
        }
        // A spelling the registry knows stays with the registry; any other names a drafted
        // entry when its id rule gives the entry's id.
        let label = |spelling: &str| -> Option<&str> {
            if self.registry.registered(spelling).is_some() {
                return None;
            }
            ids.get(&slugify(spelling)).copied()
        };
        let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (case, texts) in self.cases.iter().zip(&self.texts) {
            let mut named: Vec<String> = Vec::new();
            for (text, (words, known)) in case.texts.iter().zip(texts) {
                let found = matcher.find_in(words);
                if !found.is_empty() {
                    named.extend(found.into_iter().map(|f| f.name));
                } else if !known && is_label(text) {
                    named.extend(label(text).map(str::to_string));
                }
            }
            named.extend(case.written.iter().filter_map(|w| label(w)).map(str::to_string));
            for id in named {
                out.entry(id).or_default().insert(case.id.to_string());
            }
        }
        out
    }
}
