//! The inverted index: stem → postings (document number and one weight byte), and every word
//! seen → its stem. The weight byte carries what ranking needs and nothing else: whether the
//! word is in the title (bit 7) or a factor's name (bit 6), and the BM25 term-frequency part,
//! already normalised by document length, in the low six bits. The browser adds the inverse
//! document frequency from the postings' length, so it needs no document lengths.

use super::docs::{Entry, Field};
use super::tokens::{self, Stems};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Bit of the weight byte: the word is in the title.
pub(crate) const IN_TITLE: u8 = 0x80;
/// Bit of the weight byte: the word is in a factor's title or alias.
pub(crate) const IN_FACTOR: u8 = 0x40;
/// The largest BM25 part the low bits hold.
const SCORE_STEPS: f32 = 63.0;
/// BM25 parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One document a stem occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    /// Document number.
    pub(crate) doc: u32,
    /// Title and factor bits and the quantised BM25 part.
    pub(crate) weight: u8,
}

/// The index of a library.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Word → stem, for words whose stem differs.
    pub(crate) words: BTreeMap<String, String>,
    /// Stem → postings, by document number.
    pub(crate) postings: BTreeMap<String, Vec<Posting>>,
}

/// What one document contributes before lengths are known.
struct DocTerms {
    /// Stem → (weighted frequency, bits).
    terms: Vec<(String, f32, u8)>,
    /// Word → stem, for words whose stem differs.
    words: Vec<(String, String)>,
    /// Weighted length.
    length: f32,
}

fn field_weight(f: Field) -> (f32, u8) {
    match f {
        Field::Title => (3.0, IN_TITLE),
        Field::Factor => (2.0, IN_FACTOR),
        Field::Strong => (2.0, 0),
        Field::Body => (1.0, 0),
    }
}

/// Builds the index of entries numbered by position.
pub(crate) fn build(entries: &[Entry]) -> Index {
    let per_doc: Vec<DocTerms> = entries
        .par_iter()
        .map_init(|| (Stems::new(), StemCache::new()), |(stems, cache), e| terms_of(e, stems, cache))
        .collect();
    let avg = per_doc.iter().map(|d| d.length).sum::<f32>() / per_doc.len().max(1) as f32;
    let mut index = Index::default();
    let mut postings: HashMap<String, Vec<Posting>> = HashMap::new();
    for (n, d) in per_doc.into_iter().enumerate() {
        let norm = K1 * (1.0 - B + B * d.length / avg.max(1.0));
        for (stem, tf, bits) in d.terms {
            let part = tf * (K1 + 1.0) / (tf + norm);
            let q = (part / (K1 + 1.0) * SCORE_STEPS).ceil().clamp(1.0, SCORE_STEPS) as u8;
            postings.entry(stem).or_default().push(Posting { doc: n as u32, weight: bits | q });
        }
        index.words.extend(d.words);
    }
    index.postings = postings.into_iter().collect();
    index
}

/// A thread's memory of the words it has stemmed: word → stem.
type StemCache = HashMap<String, String>;

/// The stems of one document with their weighted frequency. Words are counted first and each
/// distinct word stemmed once; a word's stem is reported only the first time this thread's
/// cache meets it, since the index keeps one entry per word.
fn terms_of(e: &Entry, stems: &Stems, cache: &mut StemCache) -> DocTerms {
    let mut counts: HashMap<String, (f32, u8)> = HashMap::new();
    let mut buf = String::new();
    let mut length = 0.0;
    for (field, text) in &e.texts {
        let (w, bits) = field_weight(*field);
        tokens::each_word(text, &mut buf, |word| {
            if tokens::is_stop(word) {
                return;
            }
            length += w;
            match counts.get_mut(word) {
                Some(slot) => {
                    slot.0 += w;
                    slot.1 |= bits;
                }
                None => {
                    counts.insert(word.to_string(), (w, bits));
                }
            }
        });
    }
    let mut terms: HashMap<String, (f32, u8)> = HashMap::with_capacity(counts.len());
    let mut words = Vec::new();
    for (word, (tf, bits)) in counts {
        let stem = match cache.get(&word) {
            Some(s) => s.clone(),
            None => {
                let s = stems.stem(&word);
                if s != word {
                    words.push((word.clone(), s.clone()));
                }
                cache.insert(word, s.clone());
                s
            }
        };
        let slot = terms.entry(stem).or_insert((0.0, 0));
        slot.0 += tf;
        slot.1 |= bits;
    }
    DocTerms { terms: terms.into_iter().map(|(s, (f, b))| (s, f, b)).collect(), words, length }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, body: &str) -> Entry {
        Entry {
            kind: 0,
            path: String::new(),
            title: title.into(),
            date: None,
            severity: None,
            summary: None,
            texts: vec![(Field::Title, title.into()), (Field::Body, body.into())],
            sentences: Vec::new(),
        }
    }

    #[test]
    fn postings_carry_title_bits_and_a_length_normalised_score() {
        let docs = [
            entry("Resolver timeouts", "the resolver had no timeout"),
            entry("Disk full", &format!("timeout once {}", "filler ".repeat(200))),
            entry("Cert expiry", "timeout timeout timeout"),
        ];
        let index = build(&docs);
        let p = &index.postings["timeout"];
        assert_eq!(p.iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(p[0].weight & IN_TITLE, IN_TITLE);
        assert_eq!(p[1].weight & (IN_TITLE | IN_FACTOR), 0);
        let score = |p: &Posting| p.weight & 0x3f;
        assert!(score(&p[2]) > score(&p[1]), "three mentions in a short text beat one in a long one: {p:?}");
        assert!(p.iter().all(|p| score(p) >= 1));
        assert_eq!(index.words.get("timeouts").map(String::as_str), Some("timeout"));
        assert!(!index.words.contains_key("timeout"), "a word that is its own stem is implied");
        assert!(!index.postings.contains_key("the"), "stop words are left out");
    }
}
