//! How the index is built from the documents' texts: each word counted and stemmed, then
//! merged by number. Each thread counts documents with its own vocabulary, kept in a
//! registry so that the merging thread can read it, and hands over each document's stems and
//! words as numbers in that vocabulary. The merge translates a vocabulary's numbers to the
//! index's once per stem and word, so each stem of a document costs an array look-up and a push
//! instead of a `String` and a hash.

use super::docs::Field;
use super::index::{DocTerms, Index, Posting, IN_FACTOR, IN_TITLE};
use super::vocab::Vocab;
use crate::text;
use crate::text::hash::WordMap;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A thread's vocabulary, shared with the thread that merges what it counted.
type Shared = Arc<Mutex<Vocab>>;

/// Every thread's vocabulary, by slot. A vocabulary lives as long as the process: documents
/// counted with it name its numbers.
static VOCABS: Mutex<Vec<Shared>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's slot in [`VOCABS`] and its vocabulary.
    static MINE: (usize, Shared) = register();
}

/// Locks `m`; a panic elsewhere while it was held leaves numbers that are still valid.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn register() -> (usize, Shared) {
    let vocab = Arc::new(Mutex::new(Vocab::new()));
    let mut all = lock(&VOCABS);
    all.push(Arc::clone(&vocab));
    (all.len() - 1, vocab)
}

/// Runs `f` with this thread's vocabulary.
fn with_vocab<R>(f: impl FnOnce(&mut Vocab) -> R) -> R {
    MINE.with(|(_, vocab)| f(&mut lock(vocab)))
}

/// One document counted, by the numbers of the vocabulary in `slot`.
struct Numbered {
    slot: usize,
    /// Stem number, weighted count, bits.
    terms: Vec<(u32, u16, u8)>,
    /// Numbers of its words whose stem differs.
    words: Vec<u32>,
    /// Weighted length.
    length: u32,
}

/// Counts one document's texts with this thread's vocabulary.
fn count<T: AsRef<str>>(texts: &[(Field, T)]) -> Numbered {
    MINE.with(|(slot, vocab)| {
        let mut vocab = lock(vocab);
        let length = count_words(texts, &mut vocab);
        let mut c = Numbered { slot: *slot, terms: Vec::new(), words: Vec::new(), length };
        vocab.finish_ids(&mut c.terms, &mut c.words);
        c
    })
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
    /// Adds the next documents, numbered on from those added before.
    fn add(&mut self, docs: Vec<Numbered>) {
        let slots = docs.iter().map(|d| d.slot + 1).max().unwrap_or(0);
        let vocabs: Vec<Shared> = lock(&VOCABS).iter().take(slots).cloned().collect();
        let mut guards: Vec<Option<MutexGuard<Vocab>>> = (0..vocabs.len()).map(|_| None).collect();
        if self.stem_of.len() < slots {
            self.stem_of.resize_with(slots, Vec::new);
            self.word_seen.resize_with(slots, Vec::new);
        }
        for d in docs {
            let doc = self.lengths.len() as u32;
            let vocab: &Vocab = guards[d.slot].get_or_insert_with(|| lock(&vocabs[d.slot]));
            let (words, stems) = vocab.sizes();
            let (stem_of, seen) = (&mut self.stem_of[d.slot], &mut self.word_seen[d.slot]);
            if stem_of.len() < stems {
                stem_of.resize(stems, UNSEEN);
            }
            if seen.len() < words {
                seen.resize(words, false);
            }
            for (sid, tf, bits) in d.terms {
                let g = global(stem_of, &mut self.ids, &mut self.stems, vocab, sid);
                self.stems[g as usize].1.push(Posting { doc, tf, bits });
            }
            for w in d.words {
                if !std::mem::replace(&mut seen[w as usize], true) {
                    let (word, sid) = vocab.word(w);
                    let g = global(stem_of, &mut self.ids, &mut self.stems, vocab, sid);
                    self.words.push((word.into(), g));
                }
            }
            self.lengths.push(d.length);
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

fn field_weight(f: Field) -> (u16, u8) {
    match f {
        Field::Title => (3, IN_TITLE),
        Field::Factor => (2, IN_FACTOR),
        Field::Strong => (2, 0),
        Field::Body => (1, 0),
    }
}

/// Documents read at a time: their text is read, counted and dropped before the next ones, so
/// the whole library's text is never held at once.
const CHUNK: usize = 4096;

/// Builds the index of documents numbered by position; `read` gives a document's texts (and
/// may keep what else it needs from them in the document).
pub(crate) fn index<E: Send, T: AsRef<str>>(docs: &mut [E], read: impl Fn(&mut E) -> Vec<(Field, T)> + Sync) -> Index {
    let mut merge = Merge::default();
    for chunk in docs.chunks_mut(CHUNK) {
        let counted: Vec<Numbered> = chunk.par_iter_mut().map(|e| count(&read(e))).collect();
        merge.add(counted);
    }
    merge.finish()
}

/// What `read` gives of one document, counted: its stems and its words that stem to another.
pub(crate) fn document_terms<T: AsRef<str>>(texts: &[(Field, T)]) -> DocTerms {
    with_vocab(|vocab| {
        let length = count_words(texts, vocab);
        let (terms, words) = vocab.finish();
        DocTerms { terms, words, length }
    })
}

/// Counts the words of one document's texts in `vocab` (each distinct word is stemmed once
/// per vocabulary), leaving them for [`Vocab::finish`]; returns the document's weighted length.
fn count_words<T: AsRef<str>>(texts: &[(Field, T)], vocab: &mut Vocab) -> u32 {
    let mut buf = String::new();
    let mut length = 0u32;
    for (field, text) in texts {
        let (w, bits) = field_weight(*field);
        text::each_word(text.as_ref(), &mut buf, |word| {
            if vocab.count(word, w, bits) {
                length += u32::from(w);
            }
        });
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_carry_title_bits_and_a_length_normalised_score() {
        let long = format!("timeout once {}", "filler ".repeat(200));
        let mut docs = vec![
            vec![(Field::Title, "Resolver timeouts".to_string()), (Field::Body, "the resolver had no timeout".into())],
            vec![(Field::Title, "Disk full".to_string()), (Field::Body, long)],
            vec![(Field::Title, "Cert expiry".to_string()), (Field::Body, "timeout timeout timeout".into())],
        ];
        let index = index(&mut docs, std::mem::take);
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
        let index = index(&mut docs, std::mem::take);
        assert_eq!(index.postings["common"].len(), CHUNK + 3);
        assert_eq!(index.postings[&format!("w{}", CHUNK + 2)][0].doc as usize, CHUNK + 2);
    }
}
