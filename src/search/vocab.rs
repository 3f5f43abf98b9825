//! A thread's vocabulary for counting documents: every word it has met, numbered, with the
//! number of its stem. A word is hashed once per occurrence to find its number; counting,
//! stemming and merging word counts into stem counts then work on numbers in plain arrays, so a
//! document costs no allocation per distinct word and each word is stemmed once per thread.

use crate::text::hash::WordMap;
use crate::text::table::{Slot, WordTable};
use crate::text::Stems;

/// The bits of a stop word's count slot: no field sets the lowest bit, and a stop word is
/// never counted, so the mark stays.
const STOP: u8 = 0x01;

/// Words and stems met so far, and scratch counts for the document being counted.
pub(crate) struct Vocab {
    stemmer: Stems,
    /// Word → word number.
    ids: WordTable,
    /// Per word number: the word, its stem's number, and whether the stem differs from it.
    words: Vec<(Box<str>, u32, bool)>,
    /// Stem → stem number.
    stem_ids: WordMap<Box<str>, u32>,
    /// Per stem number: the stem.
    stems: Vec<Box<str>>,
    /// Per word number: weighted count and bits in the current document (zero when unseen).
    counts: Vec<(u16, u8)>,
    /// Word numbers seen in the current document, in first-seen order.
    seen: Vec<u32>,
    /// Per stem number: weighted count and bits in the current document.
    stem_counts: Vec<(u16, u8)>,
    /// Stem numbers seen in the current document.
    stems_seen: Vec<u32>,
}

impl Vocab {
    /// An empty vocabulary with an English stemmer.
    pub(crate) fn new() -> Self {
        Vocab {
            stemmer: Stems::new(),
            ids: WordTable::default(),
            words: Vec::new(),
            stem_ids: WordMap::default(),
            stems: Vec::new(),
            counts: Vec::new(),
            seen: Vec::new(),
            stem_counts: Vec::new(),
            stems_seen: Vec::new(),
        }
    }

    /// Counts one occurrence of a folded word with field weight `w` and `bits`; false (and
    /// nothing counted) for a stop word. Whether a word is a stop word is decided once, when it
    /// is first met, so an occurrence costs the one hash that finds its number.
    #[inline]
    pub(crate) fn count(&mut self, word: &str, w: u16, bits: u8) -> bool {
        let id = match self.ids.find(word) {
            Ok(id) => id,
            Err(slot) => self.add(word, slot),
        } as usize;
        let slot = &mut self.counts[id];
        if slot.1 == STOP {
            return false;
        }
        if slot.0 == 0 {
            self.seen.push(id as u32);
        }
        slot.0 = slot.0.saturating_add(w);
        slot.1 |= bits;
        true
    }

    /// Numbers a word not met before, stemming it (a stop word is numbered but not stemmed,
    /// and its count slot is marked [`STOP`] for good). Kept out of line: it runs once per
    /// distinct word, [`Vocab::count`] once per word.
    #[cold]
    #[inline(never)]
    fn add(&mut self, word: &str, slot: Slot) -> u32 {
        let id = self.ids.add(word, slot);
        if crate::text::is_stop(word) {
            self.words.push((word.into(), u32::MAX, false));
            self.counts.push((0, STOP));
            return id;
        }
        let stem = self.stemmer.stem(word);
        let sid = match self.stem_ids.get(stem.as_str()) {
            Some(&s) => s,
            None => {
                let s = self.stems.len() as u32;
                self.stems.push(stem.as_str().into());
                self.stem_ids.insert(stem.as_str().into(), s);
                self.stem_counts.push((0, 0));
                s
            }
        };
        self.words.push((word.into(), sid, stem != word));
        self.counts.push((0, 0));
        id
    }

    /// The current document's counts by number: its stems' numbers with their weighted counts
    /// and bits into `terms`, and the numbers of its words whose stem differs into `words`; the
    /// scratch counts are left empty for the next one. Nothing is allocated per word or stem.
    pub(crate) fn finish_ids(&mut self, terms: &mut Vec<(u32, u16, u8)>, words: &mut Vec<u32>) {
        for &id in &self.seen {
            let (tf, bits) = std::mem::take(&mut self.counts[id as usize]);
            let (_, sid, differs) = &self.words[id as usize];
            if *differs {
                words.push(id);
            }
            let slot = &mut self.stem_counts[*sid as usize];
            if slot.0 == 0 {
                self.stems_seen.push(*sid);
            }
            slot.0 = slot.0.saturating_add(tf);
            slot.1 |= bits;
        }
        self.seen.clear();
        terms.reserve(self.stems_seen.len());
        for &sid in &self.stems_seen {
            let (tf, bits) = std::mem::take(&mut self.stem_counts[sid as usize]);
            terms.push((sid, tf, bits));
        }
        self.stems_seen.clear();
    }

    /// The stem numbered `sid`.
    pub(crate) fn stem(&self, sid: u32) -> &str {
        &self.stems[sid as usize]
    }

    /// The word numbered `id`, with its stem's number.
    pub(crate) fn word(&self, id: u32) -> (&str, u32) {
        let (word, sid, _) = &self.words[id as usize];
        (word, *sid)
    }

    /// How many words and stems are numbered so far.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        (self.words.len(), self.stems.len())
    }

    /// The current document's stems with their weighted counts and bits, and its words whose
    /// stem differs (each with the stem); the scratch counts are left empty for the next one.
    #[allow(clippy::type_complexity)]
    pub(crate) fn finish(&mut self) -> (Vec<(String, u16, u8)>, Vec<(String, String)>) {
        let (mut ids, mut word_ids) = (Vec::new(), Vec::new());
        self.finish_ids(&mut ids, &mut word_ids);
        let terms = ids.into_iter().map(|(sid, tf, bits)| (self.stem(sid).to_string(), tf, bits)).collect();
        let words = word_ids
            .into_iter()
            .map(|id| {
                let (word, sid) = self.word(id);
                (word.to_string(), self.stem(sid).to_string())
            })
            .collect();
        (terms, words)
    }
}
