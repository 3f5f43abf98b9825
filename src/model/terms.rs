//! An incident's words for similar incidents (docs/similar.md): its title and its other texts
//! folded, stemmed and counted, stop words and numbers left out, each stem with the form the
//! incident writes most. Read once per document on the thread that read it, so the analysis
//! needs no second pass over the bodies.

use crate::text::hash::Hashed;
use crate::text::table::{Slot, WordTable};
use crate::text::{each_form, fold, is_stop, Stems};
use std::cell::RefCell;

/// One stem of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The stem's hash ([`stem_hash`]): 64 bits, so two stems of one library share one only
    /// by a chance far below one in a million.
    pub stem: u64,
    /// How often the title has it.
    pub title: u16,
    /// How often the other texts (summary, body, factor texts) have it.
    pub text: u16,
    /// How often the incident writes it the way [`Terms::form`] shows.
    pub form_count: u16,
    /// Whether it is a word any account is written with (`both`, `twice`, `looked`): it counts
    /// towards similarity like any other, but is never shown as what made incidents alike, nor
    /// counted among the words a listed pair must share.
    pub generic: bool,
    /// Where its form ends in [`Terms::forms`].
    form_end: u32,
}

impl Term {
    /// A stem counted nowhere yet.
    const EMPTY: Term = Term { stem: 0, title: 0, text: 0, form_count: 0, generic: false, form_end: 0 };
}

/// An incident's stems, in the order it first writes them (its title's first). Nothing needs
/// them sorted: similar incidents number stems library-wide and sort what they keep of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// The stems.
    pub items: Vec<Term>,
    /// Each stem's most written form, one after the other.
    forms: String,
}

impl Terms {
    /// The form the incident writes term `i` in most (`DNS`, `connections`).
    pub fn form(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.items[i - 1].form_end as usize };
        &self.forms[start..self.items[i].form_end as usize]
    }

    /// Reads `title` and `texts` (summary, body text, factor texts).
    pub fn read<'a>(title: &'a str, texts: impl IntoIterator<Item = &'a str>) -> Terms {
        Terms::read_weighted(title, texts.into_iter().map(|t| (t, 1)))
    }

    /// [`Terms::read`], each text with how many times it counts: read once, whatever the weight.
    fn read_weighted<'a>(title: &'a str, texts: impl IntoIterator<Item = (&'a str, u16)>) -> Terms {
        FORMS.with(|forms| {
            let mut forms = forms.borrow_mut();
            forms.start();
            forms.count(title, true, 1);
            for (t, times) in texts {
                forms.count(t, false, times);
            }
            forms.finish()
        })
    }
}

/// The words of an incident: its title, summary, body text (`prose`, from the scan) and the
/// factors written in its front matter with their notes.
pub(crate) fn of_incident(i: &super::Incident, prose: &str) -> Terms {
    let factors = i.factors.iter().flat_map(|f| std::iter::once(f.written.as_str()).chain(f.note.as_deref()));
    // The factor sections say what went wrong, the rest of a body mostly what happened around
    // it: counted twice more (they are in the body too), they weigh more.
    let body_factors = i.factor_texts.iter().map(|t| (t.text.as_str(), FACTOR_REPEAT));
    let texts = i.doc.summary.as_deref().into_iter().chain([prose]).chain(factors).map(|t| (t, 1));
    Terms::read_weighted(&i.doc.title, texts.chain(body_factors))
}

/// How many more times the contributing-factor texts read from a body count (chosen on the
/// labelled library, docs/similar.md: a partner in the top 3 for 31 of 34 incidents with
/// none, 34 with two).
const FACTOR_REPEAT: u16 = 2;

/// Whether a folded word may tell incidents apart: no stop word, no single letter, no month
/// or weekday, no severity (`sev2`), and no number but an HTTP error status (a 5xx or 4xx such
/// as 503; other numbers are times, dates and counts).
fn is_content(w: &str) -> bool {
    if w.len() < 2 || is_stop(w) || CALENDAR.contains(&w) {
        return false;
    }
    let b = w.as_bytes();
    if b[0].is_ascii_digit() {
        return b.len() == 3 && (b[0] == b'4' || b[0] == b'5') && b[1..].iter().all(u8::is_ascii_digit);
    }
    !(w.len() == 4 && w.starts_with("sev") && b[3].is_ascii_digit())
}

/// Whether a form is a number of other than three digits, which [`is_content`] leaves out
/// however it folds: a form starting with a digit and shorter than three bytes is ASCII, and an
/// ASCII form folds to as many bytes (a longer non-ASCII one, such as `50①`, is left to the table).
fn is_long_or_short_number(form: &str) -> bool {
    let b = form.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit) && (b.len() < 3 || (b.len() > 3 && form.is_ascii()))
}

/// Words any account of anything is written with (pronouns, quantities, links between clauses).
/// They count towards similarity (on the labelled library, leaving them out of the scores lost a
/// top-3 partner and a true pair), but a reader shown "both, twice" or "first, like" as what two
/// incidents share learns nothing: they are never shown, and not counted among the three words a
/// listed pair must share. Directions (`down`, `out`, `off`) are not among them: "out of memory",
/// "service down".
const GENERIC: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "also", "already", "any", "because", "before", "being",
    "between", "both", "can", "could", "did", "do", "does", "doing", "during", "each", "either", "else", "even",
    "ever", "every", "few", "first", "further", "he", "her", "here", "him", "his", "how", "however", "just", "last",
    "less", "like", "many", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "once",
    "one", "only", "other", "others", "own", "per", "same", "several", "she", "should", "since", "some", "still",
    "than", "them", "those", "though", "through", "too", "twice", "two", "until", "us", "very", "via", "what", "when",
    "where", "whether", "while", "who", "whose", "why", "would", "yet", "you", "your",
    // Verbs of telling what happened.
    "came", "come", "get", "got", "happen", "happened", "look", "looked", "made", "make", "said", "saw", "say", "see",
    "seem", "seemed", "seen", "take", "took", "went",
];

/// Whether the stem with hash `stem` is a [`GENERIC`] word's.
fn is_generic(stem: u64) -> bool {
    static STEMS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let stems = Stems::new();
        let mut v: Vec<u64> = GENERIC.iter().map(|w| stem_hash(&stems.stem(w))).collect();
        v.sort_unstable();
        v
    });
    STEMS.binary_search(&stem).is_ok()
}

/// Words of dates, which say when an incident happened and nothing of what it was.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "utc",
    "am",
    "pm",
];

/// The hash a stem is known by.
pub fn stem_hash(stem: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(stem.as_bytes())
}

/// Each reader thread's forms (words as written) and what it knows of each: its stem, or that
/// it is no word to count. A word costs one look-up of its form and an addition; whether a
/// form counts and its stem are found once per thread (a library has far fewer distinct forms
/// than words, and stemming is the slow part), and nothing is allocated per word.
struct Forms {
    stems: Stems,
    /// Form → form number.
    table: WordTable,
    /// Per form number: its stem's number, or [`NO_STEM`] when it is no word to count.
    stem_of: Vec<u32>,
    /// Per form number: the form.
    forms: Vec<Box<str>>,
    /// Per form number: how often the incident being read has it in its title and elsewhere.
    counts: Vec<(u16, u16)>,
    /// The form numbers the incident being read has, first met first.
    seen: Vec<u32>,
    /// Stem hash → stem number.
    stem_numbers: std::collections::HashMap<u64, u32, Hashed>,
    /// Per stem number: its hash, and while [`Forms::finish`] runs, the incident's counts of it
    /// so far and its form's number.
    terms: Vec<(Term, u32)>,
}

/// Marks a form that is no word to count.
const NO_STEM: u32 = u32::MAX;

/// Forms a thread remembers before it starts again (a bound on its memory).
const FORMS_MAX: usize = 1 << 18;

impl Forms {
    /// Readies the table for the next incident, forgetting every form once there are too many.
    fn start(&mut self) {
        if self.forms.len() >= FORMS_MAX {
            self.table = WordTable::default();
            self.stem_of.clear();
            self.forms.clear();
            self.counts.clear();
            self.stem_numbers.clear();
            self.terms.clear();
        }
    }

    /// Counts the words of `text`, each `times` over (the title's: in the title, once).
    fn count(&mut self, text: &str, in_title: bool, times: u16) {
        each_form(text, |form| {
            // A number is no word unless it has three digits (`is_content`): the others are
            // left out before the look-up, so the table does not fill with every number of the
            // library (times, dates, counts), which would slow it as the library grows.
            if is_long_or_short_number(form) {
                return;
            }
            let id = match self.table.find(form) {
                Ok(id) => id,
                Err(slot) => self.add(form, slot),
            } as usize;
            if self.stem_of[id] == NO_STEM {
                return;
            }
            let c = &mut self.counts[id];
            if *c == (0, 0) {
                self.seen.push(id as u32);
            }
            if in_title {
                c.0 = c.0.saturating_add(1);
            } else {
                c.1 = c.1.saturating_add(times);
            }
        });
    }

    /// Numbers a form met for the first time, with its stem when it is a word to count. Out of
    /// line: it runs once per distinct form, [`Forms::count`]'s closure once per word.
    #[cold]
    #[inline(never)]
    fn add(&mut self, form: &str, slot: Slot) -> u32 {
        let id = self.table.add(form, slot);
        let folded = if form.is_ascii() { form.to_ascii_lowercase() } else { fold(form) };
        let stem = if is_content(&folded) {
            let hash = stem_hash(&self.stems.stem(&folded));
            let next = self.terms.len() as u32;
            let n = *self.stem_numbers.entry(hash).or_insert(next);
            if n == next {
                self.terms.push((Term { stem: hash, generic: is_generic(hash), ..Term::EMPTY }, 0));
            }
            n
        } else {
            NO_STEM
        };
        self.stem_of.push(stem);
        self.forms.push(form.into());
        self.counts.push((0, 0));
        id
    }

    /// The stems of the forms counted since [`Forms::start`]: per stem, the counts summed and
    /// the most written form kept (ties go to the form that sorts last, lower case before
    /// capitals). The counts are left at zero for the next incident.
    fn finish(&mut self) -> Terms {
        let mut stems: Vec<u32> = Vec::with_capacity(self.seen.len());
        for &id in &self.seen {
            let (title, text) = std::mem::take(&mut self.counts[id as usize]);
            let n = self.stem_of[id as usize];
            let (term, form) = &mut self.terms[n as usize];
            let count = title.saturating_add(text);
            if term.title == 0 && term.text == 0 {
                stems.push(n);
                *form = id;
                term.form_count = count;
            } else if count > term.form_count
                || (count == term.form_count && self.forms[id as usize] > self.forms[*form as usize])
            {
                *form = id;
                term.form_count = count;
            }
            term.title = term.title.saturating_add(title);
            term.text = term.text.saturating_add(text);
        }
        self.seen.clear();
        let mut terms = Terms { items: Vec::with_capacity(stems.len()), forms: String::new() };
        for n in stems {
            let (term, form) = self.terms[n as usize];
            self.terms[n as usize].0 = Term { stem: term.stem, generic: term.generic, ..Term::EMPTY };
            terms.forms.push_str(&self.forms[form as usize]);
            let form_end = u32::try_from(terms.forms.len()).unwrap_or(u32::MAX);
            terms.items.push(Term { form_end, ..term });
        }
        terms
    }
}

thread_local! {
    static FORMS: RefCell<Forms> = RefCell::new(Forms {
        stems: Stems::new(),
        table: WordTable::default(),
        stem_of: Vec::new(),
        forms: Vec::new(),
        counts: Vec::new(),
        seen: Vec::new(),
        stem_numbers: Default::default(),
        terms: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(t: &Terms) -> Vec<(String, u16, u16)> {
        let mut v: Vec<_> =
            (0..t.items.len()).map(|i| (t.form(i).to_string(), t.items[i].title, t.items[i].text)).collect();
        v.sort();
        v
    }

    #[test]
    fn stems_are_counted_with_their_most_written_form() {
        let t = Terms::read(
            "DNS cache stale",
            ["The DNS caches held stale answers; caches, Caches and the cache. 503s and 503 on 12 March, SEV2."],
        );
        let got = forms(&t);
        let want = [("503", 0, 1), ("DNS", 1, 1), ("answers", 0, 1), ("caches", 1, 4), ("held", 0, 1), ("stale", 1, 1)];
        let want: Vec<(String, u16, u16)> = want.iter().map(|(f, a, b)| (f.to_string(), *a, *b)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn numbers_dates_and_severities_are_no_words() {
        for w in ["12", "2024", "300", "10am", "sev2", "march", "utc", "x"] {
            assert!(!is_content(w), "{w}");
        }
        for w in ["503", "429", "kafka", "p99", "notready", "severity"] {
            assert!(is_content(w), "{w}");
        }
    }

    #[test]
    fn numbers_left_out_before_the_look_up_are_no_words_however_they_fold() {
        for w in ["1", "12", "2024", "04536", "10am", "2024-01-02"] {
            assert!(is_long_or_short_number(w), "{w}");
            assert!(!is_content(&fold(w)), "{w}");
        }
        for w in ["503", "429", "5xx", "50①", "p99", "x1", ""] {
            assert!(!is_long_or_short_number(w), "{w}");
        }
        assert!(is_content(&fold("50①")), "`50①` folds to 501, a status the table keeps");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// Whatever a form is, a number left out before the look-up is no word to count.
        #[test]
        fn numbers_left_out_are_never_content(form in "[0-9][0-9a-z\u{2460}-\u{2473}\u{00bd}]{0,6}") {
            if is_long_or_short_number(&form) {
                proptest::prop_assert!(!is_content(&fold(&form)));
            }
        }

        /// Any text reads without a panic, and every stem's form is a word of the text.
        #[test]
        fn any_text_reads(text in proptest::prelude::any::<String>()) {
            let t = Terms::read("", [text.as_str()]);
            for i in 0..t.items.len() {
                proptest::prop_assert!(!t.form(i).is_empty());
            }
        }
    }
}
