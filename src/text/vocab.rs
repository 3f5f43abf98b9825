//! A thread's vocabulary for counting documents: every word it has met, numbered, with the
//! number of its stem. A word is hashed once per occurrence to find its number; counting,
//! stemming and merging word counts into stem counts then work on numbers in plain arrays, so a
//! document costs no allocation per distinct word and each word is stemmed once per thread.
//!
//! One pass over a text counts its words for both readers of words: the search index (a
//! weight per field) and similar incidents (the title apart from the other texts, and the form
//! each stem is written in most, [`Terms`]). A postmortem's body is counted once, when it is
//! read, for both.
//!
//! Each thread keeps its vocabulary in a registry for as long as the process lives, so that
//! a document counted on one thread ([`Counted`], by that vocabulary's numbers) can be merged
//! into the index on another.

use super::hash::WordMap;
use super::table::{Slot, WordTable};
use super::terms::{is_content, is_generic, stem_hash, Term, Terms};
use super::{each_word, each_word_written, is_stop, Stems};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Bit of a search weight: the word is in the title.
pub(crate) const IN_TITLE: u8 = 0x80;
/// Bit of a search weight: the word is in a factor's title or alias.
pub(crate) const IN_FACTOR: u8 = 0x40;

/// The bits of a stop word's count slot: no field sets the lowest bit, and a stop word is
/// never counted, so the mark stays.
const STOP: u8 = 0x01;

/// How much a text counts towards a word's weight in the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The title: ranks first.
    Title,
    /// A factor's title or alias: ranks first too.
    Factor,
    /// Summary, headings, services, teams, tags, trigger: count double.
    Strong,
    /// Everything else.
    Body,
}

impl Field {
    /// The weight of one word of the field, and its bits.
    fn weight(self) -> (u16, u8) {
        match self {
            Field::Title => (3, IN_TITLE),
            Field::Factor => (2, IN_FACTOR),
            Field::Strong => (2, 0),
            Field::Body => (1, 0),
        }
    }
}

/// How a text counts towards similar incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Similar {
    /// Not at all.
    No,
    /// As the title.
    Title,
    /// As another text, each word this many times.
    Text(u16),
}

/// One word's counts in the document being counted (all zero when unseen).
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    /// Search weight.
    tf: u16,
    /// Search bits, or [`STOP`].
    bits: u8,
    /// Times in a title counted for similar incidents.
    title: u16,
    /// Times elsewhere counted for similar incidents (weighted).
    text: u16,
}

/// A form of a word written other than folded (`DNS` for `dns`), for showing stems as written.
struct Written {
    form: Box<str>,
    /// The word's number.
    word: u32,
}

/// Which form a stem is shown in: a word as folded, or a form written otherwise.
#[derive(Debug, Clone, Copy, Default)]
enum Form {
    #[default]
    None,
    Word(u32),
    Written(u32),
}

/// A stem's counts for similar incidents in the document being counted.
#[derive(Debug, Clone, Copy, Default)]
struct SimilarStem {
    title: u16,
    text: u16,
    /// The most written form so far and its count.
    form: Form,
    form_count: u16,
}

/// Words and stems met so far, and scratch counts for the document being counted.
pub(crate) struct Vocab {
    stemmer: Stems,
    /// Word → word number.
    ids: WordTable,
    /// Per word number: the word, its stem's number, and whether the stem differs from it.
    words: Vec<(Box<str>, u32, bool)>,
    /// Per word number: whether similar incidents count it ([`is_content`]).
    content: Vec<bool>,
    /// Stem → stem number.
    stem_ids: WordMap<Box<str>, u32>,
    /// Per stem number: the stem, its hash ([`stem_hash`]) and whether it is generic.
    stems: Vec<(Box<str>, u64, bool)>,
    /// Per word number: its counts in the current document.
    counts: Vec<Count>,
    /// Word numbers seen in the current document, in first-seen order (a word may be listed
    /// twice; its counts are taken once).
    seen: Vec<u32>,
    /// Per stem number: weighted count and bits in the current document.
    stem_counts: Vec<(u16, u8)>,
    /// Stem numbers seen in the current document.
    stems_seen: Vec<u32>,
    /// Written form → its number.
    written_ids: WordTable,
    /// Per written form number: the form and its word.
    written: Vec<Written>,
    /// Per written form number: its count in the current document.
    written_counts: Vec<u16>,
    /// Written forms seen in the current document.
    written_seen: Vec<u32>,
    /// Per word number: the current document's count of its written forms (scratch).
    written_sums: Vec<u16>,
    /// Per stem number: its counts for similar incidents in the current document.
    similar: Vec<SimilarStem>,
    /// Stem numbers counted for similar incidents in the current document.
    similar_seen: Vec<u32>,
    /// Scratch space for folding.
    buf: String,
}

impl Vocab {
    /// An empty vocabulary with an English stemmer.
    pub(crate) fn new() -> Self {
        Vocab {
            stemmer: Stems::new(),
            ids: WordTable::default(),
            words: Vec::new(),
            content: Vec::new(),
            stem_ids: WordMap::default(),
            stems: Vec::new(),
            counts: Vec::new(),
            seen: Vec::new(),
            stem_counts: Vec::new(),
            stems_seen: Vec::new(),
            written_ids: WordTable::default(),
            written: Vec::new(),
            written_counts: Vec::new(),
            written_seen: Vec::new(),
            written_sums: Vec::new(),
            similar: Vec::new(),
            similar_seen: Vec::new(),
            buf: String::new(),
        }
    }

    /// The number of a folded word, numbering it when first met.
    #[inline(always)]
    fn id(&mut self, word: &str) -> usize {
        (match self.ids.find(word) {
            Ok(id) => id,
            Err(slot) => self.add(word, slot),
        }) as usize
    }

    /// Counts one occurrence of a folded word with field weight `w` and `bits`; false (and
    /// nothing counted) for a stop word. Whether a word is a stop word is decided once, when it
    /// is first met, so an occurrence costs the one hash that finds its number.
    #[inline]
    pub(crate) fn count(&mut self, word: &str, w: u16, bits: u8) -> bool {
        let id = self.id(word);
        let slot = &mut self.counts[id];
        if slot.bits == STOP {
            return false;
        }
        if slot.tf == 0 {
            self.seen.push(id as u32);
        }
        slot.tf = slot.tf.saturating_add(w);
        slot.bits |= bits;
        true
    }

    /// Counts one occurrence of a folded word, written as `written`, for the search index with
    /// weight `w` (none when 0) and for similar incidents as `similar` says; whether it counted
    /// towards the search index.
    #[inline]
    fn count_both(&mut self, word: &str, written: &str, w: u16, bits: u8, similar: Similar) -> bool {
        let id = self.id(word);
        let content = self.content[id];
        let slot = &mut self.counts[id];
        if slot.bits == STOP || (w == 0 && !content) {
            return false;
        }
        if slot.tf == 0 && slot.title == 0 && slot.text == 0 {
            self.seen.push(id as u32);
        }
        if w > 0 {
            slot.tf = slot.tf.saturating_add(w);
            slot.bits |= bits;
        }
        if content {
            let times = match similar {
                Similar::No => 0,
                Similar::Title => {
                    slot.title = slot.title.saturating_add(1);
                    1
                }
                Similar::Text(times) => {
                    slot.text = slot.text.saturating_add(times);
                    times
                }
            };
            if times > 0 && !std::ptr::eq(word, written) && word != written {
                self.count_written(written, id as u32, times);
            }
        }
        w > 0
    }

    /// Counts a form written other than folded. Out of line: most words are written folded.
    #[cold]
    #[inline(never)]
    fn count_written(&mut self, form: &str, word: u32, times: u16) {
        let n = match self.written_ids.find(form) {
            Ok(n) => n,
            Err(slot) => {
                let n = self.written_ids.add(form, slot);
                self.written.push(Written { form: form.into(), word });
                self.written_counts.push(0);
                n
            }
        } as usize;
        if self.written_counts[n] == 0 {
            self.written_seen.push(n as u32);
        }
        self.written_counts[n] = self.written_counts[n].saturating_add(times);
    }

    /// Counts the words of `text` for the search index as `field` says (not at all when
    /// `None`) and for similar incidents as `similar` says; returns the weight it adds to the
    /// document's length.
    pub(crate) fn count_text(&mut self, text: &str, field: Option<Field>, similar: Similar) -> u32 {
        let (w, bits) = field.map_or((0, 0), Field::weight);
        let mut buf = std::mem::take(&mut self.buf);
        let mut length = 0u32;
        if similar == Similar::No {
            if w > 0 {
                each_word(text, &mut buf, |word| {
                    if self.count(word, w, bits) {
                        length += u32::from(w);
                    }
                });
            }
        } else {
            each_word_written(text, &mut buf, |word, written| {
                if self.count_both(word, written, w, bits, similar) {
                    length += u32::from(w);
                }
            });
        }
        self.buf = buf;
        length
    }

    /// Counts one document's texts for the search index, leaving them for [`Vocab::finish`];
    /// returns the document's weighted length.
    pub(crate) fn count_texts<T: AsRef<str>>(&mut self, texts: &[(Field, T)]) -> u32 {
        texts.iter().map(|(field, text)| self.count_text(text.as_ref(), Some(*field), Similar::No)).sum()
    }

    /// Numbers a word not met before, stemming it (a stop word is numbered but not stemmed,
    /// and its count slot is marked [`STOP`] for good). Kept out of line: it runs once per
    /// distinct word, [`Vocab::count`] once per word.
    #[cold]
    #[inline(never)]
    fn add(&mut self, word: &str, slot: Slot) -> u32 {
        let id = self.ids.add(word, slot);
        if is_stop(word) {
            self.words.push((word.into(), u32::MAX, false));
            self.content.push(false);
            self.counts.push(Count { bits: STOP, ..Count::default() });
            return id;
        }
        let stem = self.stemmer.stem(word);
        let sid = match self.stem_ids.get(stem.as_str()) {
            Some(&s) => s,
            None => {
                let s = self.stems.len() as u32;
                let hash = stem_hash(&stem);
                self.stems.push((stem.as_str().into(), hash, is_generic(hash)));
                self.stem_ids.insert(stem.as_str().into(), s);
                self.stem_counts.push((0, 0));
                self.similar.push(SimilarStem::default());
                s
            }
        };
        self.words.push((word.into(), sid, stem != word));
        self.content.push(is_content(word));
        self.counts.push(Count::default());
        id
    }

    /// The current document's counts by number: its stems' numbers with their weighted counts
    /// and bits into `terms`, the numbers of its words whose stem differs into `words`, and its
    /// stems counted for similar incidents as returned; the scratch counts are left empty for
    /// the next one. Nothing is allocated per word or stem but the returned terms.
    pub(crate) fn finish(&mut self, terms: &mut Vec<(u32, u16, u8)>, words: &mut Vec<u32>) -> Terms {
        // The written forms' counts, summed by word: what is left of a word's count is how
        // often it is written folded.
        if self.written_sums.len() < self.words.len() {
            self.written_sums.resize(self.words.len(), 0);
        }
        for &n in &self.written_seen {
            let w = &self.written[n as usize];
            let sum = &mut self.written_sums[w.word as usize];
            *sum = sum.saturating_add(self.written_counts[n as usize]);
        }
        for k in 0..self.seen.len() {
            let id = self.seen[k];
            let c = std::mem::take(&mut self.counts[id as usize]);
            let (_, sid, differs) = self.words[id as usize];
            if c.tf > 0 {
                if differs {
                    words.push(id);
                }
                let slot = &mut self.stem_counts[sid as usize];
                if slot.0 == 0 {
                    self.stems_seen.push(sid);
                }
                slot.0 = slot.0.saturating_add(c.tf);
                slot.1 |= c.bits;
            }
            if c.title > 0 || c.text > 0 {
                let s = &mut self.similar[sid as usize];
                if s.title == 0 && s.text == 0 {
                    self.similar_seen.push(sid);
                }
                s.title = s.title.saturating_add(c.title);
                s.text = s.text.saturating_add(c.text);
                let folded = c.title.saturating_add(c.text).saturating_sub(self.written_sums[id as usize]);
                self.written_sums[id as usize] = 0;
                self.offer(sid, Form::Word(id), folded);
            }
        }
        self.seen.clear();
        for i in 0..self.written_seen.len() {
            let n = self.written_seen[i];
            let count = std::mem::take(&mut self.written_counts[n as usize]);
            let sid = self.words[self.written[n as usize].word as usize].1;
            self.offer(sid, Form::Written(n), count);
        }
        self.written_seen.clear();
        terms.reserve(self.stems_seen.len());
        for &sid in &self.stems_seen {
            let (tf, bits) = std::mem::take(&mut self.stem_counts[sid as usize]);
            terms.push((sid, tf, bits));
        }
        self.stems_seen.clear();
        let mut out = Terms::with_capacity(self.similar_seen.len());
        for &sid in &self.similar_seen {
            let s = std::mem::take(&mut self.similar[sid as usize]);
            let (_, hash, generic) = self.stems[sid as usize];
            let term = Term::new(hash, s.title, s.text, s.form_count, generic);
            out.push(term, self.form(s.form));
        }
        self.similar_seen.clear();
        out
    }

    /// Offers `form`, written `count` times, as the form stem `sid` is shown in: the most
    /// written one is kept (ties go to the form that sorts last, lower case before capitals).
    fn offer(&mut self, sid: u32, form: Form, count: u16) {
        if count == 0 {
            return;
        }
        let best = self.similar[sid as usize];
        if matches!(best.form, Form::None)
            || count > best.form_count
            || (count == best.form_count && self.form(form) > self.form(best.form))
        {
            let s = &mut self.similar[sid as usize];
            s.form = form;
            s.form_count = count;
        }
    }

    fn form(&self, form: Form) -> &str {
        match form {
            Form::None => "",
            Form::Word(id) => &self.words[id as usize].0,
            Form::Written(n) => &self.written[n as usize].form,
        }
    }

    /// The stem numbered `sid`.
    pub(crate) fn stem(&self, sid: u32) -> &str {
        &self.stems[sid as usize].0
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
    pub(crate) fn finish_strings(&mut self) -> (Vec<(String, u16, u8)>, Vec<(String, String)>) {
        let (mut ids, mut word_ids) = (Vec::new(), Vec::new());
        self.finish(&mut ids, &mut word_ids);
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

/// One document counted for the search index, by the numbers of the vocabulary in `slot`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counted {
    /// The vocabulary's slot in the registry.
    pub(crate) slot: usize,
    /// Stem number, weighted count, bits.
    pub(crate) terms: Vec<(u32, u16, u8)>,
    /// Numbers of its words whose stem differs.
    pub(crate) words: Vec<u32>,
    /// Weighted length.
    pub(crate) length: u32,
}

/// A thread's vocabulary, shared with the thread that merges what it counted.
pub(crate) type Shared = Arc<Mutex<Vocab>>;

/// Every thread's vocabulary, by slot. A vocabulary lives as long as the process: documents
/// counted with it name its numbers.
static VOCABS: Mutex<Vec<Shared>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's slot in [`VOCABS`] and its vocabulary.
    static MINE: (usize, Shared) = register();
}

/// Locks `m`; a panic elsewhere while it was held leaves numbers that are still valid.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn register() -> (usize, Shared) {
    let vocab = Arc::new(Mutex::new(Vocab::new()));
    let mut all = lock(&VOCABS);
    all.push(Arc::clone(&vocab));
    (all.len() - 1, vocab)
}

/// The vocabularies in the first `n` slots.
pub(crate) fn vocabularies(n: usize) -> Vec<Shared> {
    lock(&VOCABS).iter().take(n).cloned().collect()
}

/// Runs `f` with this thread's vocabulary.
pub(crate) fn with_vocab<R>(f: impl FnOnce(&mut Vocab) -> R) -> R {
    MINE.with(|(_, vocab)| f(&mut lock(vocab)))
}

/// Runs `f` with this thread's vocabulary, then takes what it counted: the document's
/// [`Counted`] for the search index and its [`Terms`] for similar incidents. `f` returns the
/// document's weighted length.
pub(crate) fn count_with(f: impl FnOnce(&mut Vocab) -> u32) -> (Counted, Terms) {
    MINE.with(|(slot, vocab)| {
        let mut vocab = lock(vocab);
        let length = f(&mut vocab);
        let mut c = Counted { slot: *slot, terms: Vec::new(), words: Vec::new(), length };
        let terms = vocab.finish(&mut c.terms, &mut c.words);
        (c, terms)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document's search counts as strings, sorted.
    fn strings(v: &mut Vocab, c: &Counted) -> Vec<(String, u16, u8)> {
        let mut out: Vec<_> = c.terms.iter().map(|&(sid, tf, bits)| (v.stem(sid).to_string(), tf, bits)).collect();
        out.sort();
        out
    }

    #[test]
    fn one_pass_counts_for_search_and_similar_incidents() {
        let mut v = Vocab::new();
        let mut c = Counted {
            length: v.count_text("DNS resolver timeouts", Some(Field::Title), Similar::Title),
            ..Counted::default()
        };
        c.length += v.count_text("The resolver timed out; 12 DNS timeouts", Some(Field::Body), Similar::Text(1));
        c.length += v.count_text("resolver", None, Similar::Text(2));
        c.length += v.count_text("payments", Some(Field::Strong), Similar::No);
        let terms = v.finish(&mut c.terms, &mut c.words);
        // The search side: as if only the search's texts had been counted.
        let mut alone = Vocab::new();
        let mut a = Counted {
            length: alone.count_texts(&[
                (Field::Title, "DNS resolver timeouts"),
                (Field::Body, "The resolver timed out; 12 DNS timeouts"),
                (Field::Strong, "payments"),
            ]),
            ..Counted::default()
        };
        alone.finish(&mut a.terms, &mut a.words);
        assert_eq!(strings(&mut v, &c), strings(&mut alone, &a));
        assert_eq!(c.length, a.length);
        // The similar side: the title apart, `12` and `the` left out, the form written most.
        let mut got: Vec<_> =
            (0..terms.items.len()).map(|i| (terms.form(i), terms.items[i].title, terms.items[i].text)).collect();
        got.sort();
        assert_eq!(got, [("DNS", 1, 1), ("out", 0, 1), ("resolver", 1, 3), ("timed", 0, 1), ("timeouts", 1, 1)]);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// Whatever else is counted for similar incidents, the search side of a pass is what
        /// counting the search's texts alone gives.
        #[test]
        fn the_search_side_is_the_search_count(
            texts in proptest::collection::vec(("[A-Za-zé0-9 .]{0,30}", 0..4u8, 0..4u8), 0..6),
        ) {
            let field = |f: u8| [None, Some(Field::Title), Some(Field::Strong), Some(Field::Body)][f as usize];
            let similar = |s: u8| [Similar::No, Similar::Title, Similar::Text(1), Similar::Text(3)][s as usize];
            let mut v = Vocab::new();
            let mut c = Counted::default();
            for (t, f, s) in &texts {
                c.length += v.count_text(t, field(*f), similar(*s));
            }
            v.finish(&mut c.terms, &mut c.words);
            let search: Vec<(Field, &str)> =
                texts.iter().filter_map(|(t, f, _)| field(*f).map(|f| (f, t.as_str()))).collect();
            let mut alone = Vocab::new();
            let mut a = Counted { length: alone.count_texts(&search), ..Counted::default() };
            alone.finish(&mut a.terms, &mut a.words);
            proptest::prop_assert_eq!(strings(&mut v, &c), strings(&mut alone, &a));
            proptest::prop_assert_eq!(c.length, a.length);
        }
    }
}
