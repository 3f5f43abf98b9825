//! The inverted index: stem → postings (document number and one weight byte), and every word
//! seen → its stem. The weight byte carries what ranking needs and nothing else: whether the
//! word is in the title (bit 7) or a factor's name (bit 6), and the BM25 term-frequency part,
//! already normalised by document length, in the low six bits. The browser adds the inverse
//! document frequency from the postings' length, so it needs no document lengths.

use crate::text::hash::WordMap;
use std::collections::BTreeMap;

/// Bits of the weight byte: the word is in the title, or in a factor's title or alias.
pub(crate) use crate::text::vocab::{IN_FACTOR, IN_TITLE};
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
    /// Weighted frequency of the stem in the document (field weights are whole numbers).
    pub(crate) tf: u16,
    /// [`IN_TITLE`] and [`IN_FACTOR`].
    pub(crate) bits: u8,
}

/// The index of a library.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Word → stem, for words whose stem differs.
    pub(crate) words: BTreeMap<String, String>,
    /// Stem → postings, by document number.
    pub(crate) postings: BTreeMap<String, Vec<Posting>>,
    /// Weighted length of each document.
    lengths: Vec<u32>,
    /// Their sum.
    total_length: u64,
}

impl Index {
    /// The index of `words`, `postings` and each document's weighted length.
    pub(crate) fn from_parts(
        words: BTreeMap<String, String>,
        postings: BTreeMap<String, Vec<Posting>>,
        lengths: Vec<u32>,
    ) -> Index {
        let total_length = lengths.iter().map(|&l| u64::from(l)).sum();
        Index { words, postings, lengths, total_length }
    }

    /// How many documents the index holds.
    pub(crate) fn documents(&self) -> usize {
        self.lengths.len()
    }

    /// The mean document length, rounded to a whole number: one edit then almost never
    /// changes it, so `serve` re-encodes only the postings of the documents it changed (and a
    /// length off by at most half a word does not change a ranking).
    pub(crate) fn mean_length(&self) -> u32 {
        let n = self.lengths.len().max(1) as u64;
        ((self.total_length + n / 2) / n) as u32
    }

    /// Postings as (document, weight byte): the bits, and the BM25 term-frequency part
    /// normalised by the document's length, in six bits.
    pub(crate) fn weights<'a>(&'a self, list: &'a [Posting]) -> impl Iterator<Item = (u32, u8)> + 'a {
        let mean = self.mean_length().max(1) as f32;
        list.iter().map(move |p| {
            let length = self.lengths.get(p.doc as usize).map_or(mean, |&l| l as f32);
            let norm = K1 * (1.0 - B + B * length / mean);
            let tf = f32::from(p.tf);
            let part = tf * (K1 + 1.0) / (tf + norm);
            let q = (part / (K1 + 1.0) * SCORE_STEPS).ceil().clamp(1.0, SCORE_STEPS) as u8;
            (p.doc, p.bits | q)
        })
    }
}

impl Index {
    /// The index of documents numbered by position, from what each contributes.
    pub(crate) fn assemble<'a>(docs: impl Iterator<Item = &'a DocTerms>) -> Index {
        let mut index = Index::default();
        let mut postings: WordMap<&str, Vec<Posting>> = WordMap::default();
        for (doc, d) in docs.enumerate() {
            for (stem, tf, bits) in &d.terms {
                postings.entry(stem).or_default().push(Posting { doc: doc as u32, tf: *tf, bits: *bits });
            }
            for (word, stem) in &d.words {
                if !index.words.contains_key(word) {
                    index.words.insert(word.clone(), stem.clone());
                }
            }
            index.lengths.push(d.length);
            index.total_length += u64::from(d.length);
        }
        index.postings = postings.into_iter().map(|(s, p)| (s.to_string(), p)).collect();
        index
    }

    /// Takes document `doc`'s postings out (its words stay: the caller knows who else uses them).
    pub(crate) fn remove(&mut self, doc: u32, d: &DocTerms) {
        for (stem, _, _) in &d.terms {
            if let Some(list) = self.postings.get_mut(stem) {
                if let Ok(at) = list.binary_search_by_key(&doc, |p| p.doc) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.postings.remove(stem);
                }
            }
        }
        self.total_length -= u64::from(self.lengths[doc as usize]);
        self.lengths[doc as usize] = 0;
    }

    /// Puts document `doc`'s postings in, in document order (its words are the caller's).
    pub(crate) fn insert(&mut self, doc: u32, d: &DocTerms) {
        for (stem, tf, bits) in &d.terms {
            let list = self.postings.entry(stem.clone()).or_default();
            let at = list.partition_point(|p| p.doc < doc);
            list.insert(at, Posting { doc, tf: *tf, bits: *bits });
        }
        self.lengths[doc as usize] = d.length;
        self.total_length += u64::from(d.length);
    }
}

/// What one document contributes.
#[derive(Debug, Default)]
pub(crate) struct DocTerms {
    /// Stem → (weighted frequency, bits).
    pub(crate) terms: Vec<(String, u16, u8)>,
    /// Word → stem, for every word of the document whose stem differs.
    pub(crate) words: Vec<(String, String)>,
    /// Weighted length.
    pub(crate) length: u32,
}
