//! How the index is built from the documents' texts: each word counted and stemmed, then
//! merged by number. Each thread counts documents with its own vocabulary, kept in a
//! registry so that the merging thread can read it (`crate::text::vocab`), and hands over each
//! document's stems and words as numbers in that vocabulary. An incident comes in two parts:
//! its title, summary, tags and body, counted on the thread that read it (in the same pass as
//! its words for similar incidents), and the rest of its texts, counted here. The merge translates a vocabulary's numbers to the
//! index's once per stem and word, so each stem of a document costs an array look-up and a push
//! instead of a `String` and a hash.

use super::docs::Field;
use super::index::{DocTerms, Index, Posting};
use crate::text::hash::WordMap;
use crate::text::vocab::{self, Counted, Shared, Vocab};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::MutexGuard;

/// Counts one document's texts with this thread's vocabulary.
fn count<T: AsRef<str>>(texts: &[(Field, T)]) -> Counted {
    vocab::count_with(|v| v.count_texts(texts)).0
}

/// Marks a vocabulary number not yet given an index number.
const UNSEEN: u32 = u32::MAX;

/// Numbered documents merged into postings by index stem number, in document order.
#[derive(Default)]
struct Merge {
    /// Per vocabulary slot: each of its stem numbers' index number, or [`UNSEEN`].
    stem_of: Vec<Vec<u32>>,
    /// Per vocabulary slot: whether each of its words is already in `words`.
    word_seen: Vec<Vec<bool>>,
    /// Stem → index number.
    ids: WordMap<Box<str>, u32>,
    /// Per index number: the stem and its postings.
    stems: Vec<(Box<str>, Vec<Posting>)>,
    /// Words whose stem differs, with their stem's index number (a word counted by two threads
    /// is here twice, with the same stem).
    words: Vec<(Box<str>, u32)>,
    /// Weighted length of each document.
    lengths: Vec<u32>,
}

impl Merge {
    /// Adds the next documents, numbered on from those added before: each counted in one
    /// part, or in two (what was counted when it was read, and the rest).
    fn add(&mut self, docs: Vec<(Counted, Option<&Counted>)>) {
        let slots =
            docs.iter().flat_map(|(d, pre)| [Some(d.slot), pre.map(|p| p.slot)]).flatten().max().map_or(0, |s| s + 1);
        let vocabs: Vec<Shared> = vocab::vocabularies(slots);
        let mut guards: Vec<Option<MutexGuard<Vocab>>> = (0..vocabs.len()).map(|_| None).collect();
        if self.stem_of.len() < slots {
            self.stem_of.resize_with(slots, Vec::new);
            self.word_seen.resize_with(slots, Vec::new);
        }
        for (own, pre) in docs {
            let doc = self.lengths.len() as u32;
            let mut length = 0;
            for d in pre.into_iter().chain([&own]) {
                let vocab: &Vocab = guards[d.slot].get_or_insert_with(|| vocab::lock(&vocabs[d.slot]));
                let (words, stems) = vocab.sizes();
                let (stem_of, seen) = (&mut self.stem_of[d.slot], &mut self.word_seen[d.slot]);
                if stem_of.len() < stems {
                    stem_of.resize(stems, UNSEEN);
                }
                if seen.len() < words {
                    seen.resize(words, false);
                }
                for &(sid, tf, bits) in &d.terms {
                    let g = global(stem_of, &mut self.ids, &mut self.stems, vocab, sid);
                    let postings = &mut self.stems[g as usize].1;
                    // A stem both parts have is one posting, its weights summed.
                    match postings.last_mut() {
                        Some(p) if p.doc == doc => {
                            p.tf = p.tf.saturating_add(tf);
                            p.bits |= bits;
                        }
                        _ => postings.push(Posting { doc, tf, bits }),
                    }
                }
                for &w in &d.words {
                    if !std::mem::replace(&mut seen[w as usize], true) {
                        let (word, sid) = vocab.word(w);
                        let g = global(stem_of, &mut self.ids, &mut self.stems, vocab, sid);
                        self.words.push((word.into(), g));
                    }
                }
                length += d.length;
            }
            self.lengths.push(length);
        }
    }

    /// The index of everything added.
    fn finish(self) -> Index {
        let stems = &self.stems;
        let words: BTreeMap<String, String> =
            self.words.iter().map(|(w, g)| (w.to_string(), stems[*g as usize].0.to_string())).collect();
        let postings: BTreeMap<String, Vec<Posting>> =
            self.stems.into_iter().map(|(s, p)| (String::from(s), p)).collect();
        Index::from_parts(words, postings, self.lengths)
    }
}

/// The index number of stem `sid` of `vocab`, given one when first met.
fn global(
    stem_of: &mut [u32],
    ids: &mut WordMap<Box<str>, u32>,
    stems: &mut Vec<(Box<str>, Vec<Posting>)>,
    vocab: &Vocab,
    sid: u32,
) -> u32 {
    let at = &mut stem_of[sid as usize];
    if *at == UNSEEN {
        let stem = vocab.stem(sid);
        *at = match ids.get(stem) {
            Some(&g) => g,
            None => {
                let g = stems.len() as u32;
                stems.push((stem.into(), Vec::new()));
                ids.insert(stem.into(), g);
                g
            }
        };
    }
    *at
}

/// Documents read at a time: their text is read, counted and dropped before the next ones, so
/// the whole library's text is never held at once.
const CHUNK: usize = 4096;

/// Builds the index of documents numbered by position; `read` gives a document's texts (and
/// may keep what else it needs from them in the document), and what of it was counted already
/// when it was read, if anything.
pub(crate) fn index<'c, E: Send, T: AsRef<str>>(
    docs: &mut [E],
    read: impl Fn(&mut E) -> (Vec<(Field, T)>, Option<&'c Counted>) + Sync,
) -> Index {
    let mut merge = Merge::default();
    for chunk in docs.chunks_mut(CHUNK) {
        let counted: Vec<(Counted, Option<&Counted>)> = chunk
            .par_iter_mut()
            .map(|e| {
                let (texts, pre) = read(e);
                (count(&texts), pre)
            })
            .collect();
        merge.add(counted);
    }
    merge.finish()
}

/// What `read` gives of one document, counted: its stems and its words that stem to another.
pub(crate) fn document_terms<T: AsRef<str>>(texts: &[(Field, T)]) -> DocTerms {
    vocab::with_vocab(|vocab| {
        let length = vocab.count_texts(texts);
        let (terms, words) = vocab.finish_strings();
        DocTerms { terms, words, length }
    })
}

#[cfg(test)]
mod tests {
    use super::super::index::{IN_FACTOR, IN_TITLE};
    use super::*;

    #[test]
    fn postings_carry_title_bits_and_a_length_normalised_score() {
        let long = format!("timeout once {}", "filler ".repeat(200));
        let mut docs = vec![
            vec![(Field::Title, "Resolver timeouts".to_string()), (Field::Body, "the resolver had no timeout".into())],
            vec![(Field::Title, "Disk full".to_string()), (Field::Body, long)],
            vec![(Field::Title, "Cert expiry".to_string()), (Field::Body, "timeout timeout timeout".into())],
        ];
        let index = index(&mut docs, |d| (std::mem::take(d), None));
        let p = &index.postings["timeout"];
        assert_eq!(p.iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1, 2]);
        let w: Vec<u8> = index.weights(p).map(|(_, w)| w).collect();
        assert_eq!(w[0] & IN_TITLE, IN_TITLE);
        assert_eq!(w[1] & (IN_TITLE | IN_FACTOR), 0);
        let score = |w: u8| w & 0x3f;
        assert!(score(w[2]) > score(w[1]), "three mentions in a short text beat one in a long one: {w:?}");
        assert!(w.iter().all(|&w| score(w) >= 1));
        assert_eq!(index.words.get("timeouts").map(String::as_str), Some("timeout"));
        assert!(!index.words.contains_key("timeout"), "a word that is its own stem is implied");
        assert!(!index.postings.contains_key("the"), "stop words are left out");
    }

    #[test]
    fn documents_are_numbered_across_chunks() {
        let mut docs: Vec<Vec<(Field, String)>> =
            (0..CHUNK + 3).map(|i| vec![(Field::Body, format!("common w{i}"))]).collect();
        let index = index(&mut docs, |d| (std::mem::take(d), None));
        assert_eq!(index.postings["common"].len(), CHUNK + 3);
        assert_eq!(index.postings[&format!("w{}", CHUNK + 2)][0].doc as usize, CHUNK + 2);
    }
}
