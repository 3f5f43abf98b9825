//! Raw documents → valid domain types: incidents, notes, plain pages, the factor registry,
//! gathered into a [`Library`]. Pure: no disk access.

mod body;
mod classify;
pub mod date;
mod doc;
mod factor;
mod fields;
mod finish;
mod id;
mod incident;
mod library;
mod note;
mod terms;

pub use body::{collapse, is_external, options as markdown_options, truncate, LinkRef, Scan, Scanner};
pub use classify::is_label;
pub use date::Date;
pub use doc::{Doc, Kind, Status};
pub use factor::{Factor, Factors};
pub use id::slugify;
pub use incident::{ActionItem, Detection, FactorRef, Figures, Impact, Incident, Times};
pub use library::{
    assemble, assemble_cached, assemble_modelled, model_document, Library, Modelled, ParseCache, RESERVED_IDS,
};
pub use note::Note;
pub use terms::{stem_hash, Hashed, Term, Terms};

/// The tables of keys and allowed values the parser reads with, for `casebook schema` and the
/// `new` templates, so what editors are told cannot drift from what casebook accepts.
pub mod vocab {
    pub use super::doc::STATUSES;
    pub use super::factor::KEYS as FACTOR_KEYS;
    pub use super::incident::{
        ACTION_STATUSES, BLAST_RADII, DETECTION_METHODS, DURATION_KEYS, IMPACT_KEYS, KEYS as INCIDENT_KEYS,
        REVERSIBILITY, ROLES, TIME_NAMES, TIME_SENSITIVITY,
    };
    pub use super::note::{KEYS as NOTE_KEYS, KINDS};
}

/// casebook's field names, as `[fields]` in book.toml may name them.
pub const FIELD_NAMES: &[&str] = &[
    "title",
    "date",
    "summary",
    "status",
    "severity",
    "services",
    "teams",
    "tags",
    "authors",
    "factors",
    "times",
    "times.started",
    "times.detected",
    "times.acknowledged",
    "times.mitigated",
    "times.resolved",
    "durations",
    "detection",
    "trigger",
    "impact",
    "action_items",
    "related",
    "aliases",
    "source",
    "slug",
    "type",
    "kind",
    "published",
    "url",
    "incidents",
];

/// Edit distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate within two edits of `word` (and close relative to its length), if any.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d > 0 && *d <= 2 && d * 3 <= len)
        .min()
        .map(|(_, c)| c)
}

/// Like [`nearest`], but also accepts a candidate that contains the word or is contained in it.
pub fn nearest_loose<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
    nearest(word, candidates.clone()).or_else(|| {
        candidates
            .into_iter()
            .filter(|c| word.len() >= 4 && (c.contains(word) || word.contains(c) && c.len() >= 4))
            .min()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_keys_only() {
        let known = ["severity", "title", "kind", "tags"];
        assert_eq!(nearest("severty", known), Some("severity"));
        assert_eq!(nearest("tite", known), Some("title"));
        assert_eq!(nearest("id", known), None);
        assert_eq!(nearest("layout", known), None);
    }
}
