//! An incident's words for similar incidents (docs/similar.md): its title and its other texts
//! folded, stemmed and counted, stop words and numbers left out, each stem with the form the
//! incident writes most. They are counted in the same pass as the search index's words
//! (`text::vocab`), so a body's words are read once for both.

use super::vocab;
use super::{is_stop, Stems};

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
    /// Stem `stem` counted `title` times in the title and `text` times elsewhere, its form
    /// `form_count` times (the form is given to [`Terms::push`]).
    pub(crate) fn new(stem: u64, title: u16, text: u16, form_count: u16, generic: bool) -> Term {
        Term { stem, title, text, form_count, generic, form_end: 0 }
    }
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

    /// Reads `title` and `texts` (summary, body text, factor texts) with this thread's vocabulary.
    pub fn read<'a>(title: &'a str, texts: impl IntoIterator<Item = &'a str>) -> Terms {
        vocab::with_vocab(|v| {
            v.count_text(title, None, vocab::Similar::Title);
            for t in texts {
                v.count_text(t, None, vocab::Similar::Text(1));
            }
            v.finish(&mut Vec::new(), &mut Vec::new())
        })
    }

    /// Room for `n` stems, held until the library is dropped: no more than that.
    pub(crate) fn with_capacity(n: usize) -> Terms {
        Terms { items: Vec::with_capacity(n), forms: String::new() }
    }

    /// Adds a stem with its most written form.
    pub(crate) fn push(&mut self, term: Term, form: &str) {
        self.forms.push_str(form);
        let form_end = u32::try_from(self.forms.len()).unwrap_or(u32::MAX);
        self.items.push(Term { form_end, ..term });
    }
}

/// Whether a folded word may tell incidents apart: no stop word, no single letter, no month
/// or weekday, no severity (`sev2`), and no number but an HTTP error status (a 5xx or 4xx such
/// as 503; other numbers are times, dates and counts).
pub(crate) fn is_content(w: &str) -> bool {
    if w.len() < 2 || is_stop(w) || CALENDAR.contains(&w) {
        return false;
    }
    let b = w.as_bytes();
    if b[0].is_ascii_digit() {
        return b.len() == 3 && (b[0] == b'4' || b[0] == b'5') && b[1..].iter().all(u8::is_ascii_digit);
    }
    !(w.len() == 4 && w.starts_with("sev") && b[3].is_ascii_digit())
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
pub(crate) fn is_generic(stem: u64) -> bool {
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

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

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
