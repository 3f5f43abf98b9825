//! Words and stems: the one tokenizer that search, factor matching and similarity share. Text is
//! split at Unicode word boundaries and again at anything that is not a letter or digit, accents folded (NFKD, marks dropped), lower-cased, stop words dropped, and
//! stemmed (Snowball English). The browser repeats the first four steps on a query with
//! `String.normalize` and `Intl.Segmenter`; it never stems, because the index maps every word
//! it has seen to its stem.

pub(crate) mod table;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Words too common to tell documents apart; left out of the index and ignored in queries
/// (the list is written into the manifest, so both sides drop the same ones).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "if", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "so", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "we", "were", "which", "will", "with",
];

/// Longer runs (hashes, base64 blobs) are not words anyone types.
const MAX_WORD_CHARS: usize = 40;

/// Accents folded and lower-cased: `Résumé` → `resume`.
pub(crate) fn fold(word: &str) -> String {
    word.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Calls `f` with each folded word of `text`, in order, stop words included. `buf` is scratch
/// space, so the hot loop of indexing allocates nothing per word.
pub(crate) fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    each_word_written(text, buf, |folded, _| f(folded));
}

/// [`each_word`], handing `f` each word both folded and as written in `text` (`DNS` for `dns`),
/// so that words can be shown to readers the way authors wrote them.
pub(crate) fn each_word_written(text: &str, buf: &mut String, mut f: impl FnMut(&str, &str)) {
    if text.is_ascii() {
        // For ASCII, word boundaries then runs of letters and digits are just the runs,
        // found byte by byte; a word without capitals is handed over as it is written.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if ASCII_CLASS[usize::from(bytes[i])] == OTHER {
                i += 1;
                continue;
            }
            let start = i;
            let mut capitals = false;
            while let Some(&b) = bytes.get(i) {
                match ASCII_CLASS[usize::from(b)] {
                    OTHER => break,
                    CAPITAL => capitals = true,
                    _ => {}
                }
                i += 1;
            }
            if i - start > MAX_WORD_CHARS {
                continue;
            }
            let word = &text[start..i];
            if capitals {
                buf.clear();
                buf.push_str(word);
                buf.make_ascii_lowercase();
                f(buf, word);
            } else {
                f(word, word);
            }
        }
        return;
    }
    each_unicode_word(text, f);
}

/// [`each_word_written`] for any text: Unicode word boundaries, then runs of letters and
/// digits. A word that is one run is handed over as written; a part of one, folded.
fn each_unicode_word(text: &str, mut f: impl FnMut(&str, &str)) {
    for w in text.unicode_words() {
        let folded = fold(w);
        let whole = !folded.contains(|c: char| !c.is_alphanumeric());
        for part in folded.split(|c: char| !c.is_alphanumeric()) {
            if !part.is_empty() && part.chars().count() <= MAX_WORD_CHARS {
                f(part, if whole { w } else { part });
            }
        }
    }
}

/// [`ASCII_CLASS`] of a byte that is no letter or digit.
const OTHER: u8 = 0;
/// [`ASCII_CLASS`] of a capital letter.
const CAPITAL: u8 = 2;

/// Each byte's class: [`OTHER`], 1 for a small letter or a digit, or [`CAPITAL`] (one table
/// look-up per byte of the library's text, where `is_ascii_alphanumeric` takes several compares).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            CAPITAL
        } else if c.is_ascii_alphanumeric() {
            1
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// The folded words of `text`, in order, stop words included.
#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, &mut String::new(), |w| out.push(w.to_string()));
    out
}

/// Whether a folded word is a stop word: every stop word fits in eight bytes, so a word is
/// packed into a `u64` and looked up among the packed stop words, with no string compares
/// (this runs once per word of the library).
pub(crate) fn is_stop(word: &str) -> bool {
    word.len() <= 8 && PACKED_STOP_WORDS.binary_search(&pack(word.as_bytes())).is_ok()
}

/// A word of at most eight bytes as a number; folded words hold no NUL, so no two collide.
const fn pack(bytes: &[u8]) -> u64 {
    let mut n = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        n |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    n
}

/// [`STOP_WORDS`] packed, sorted by number.
static PACKED_STOP_WORDS: [u64; STOP_WORDS.len()] = {
    let mut out = [0u64; STOP_WORDS.len()];
    let mut i = 0;
    while i < out.len() {
        assert!(STOP_WORDS[i].len() <= 8, "a stop word longer than eight bytes");
        out[i] = pack(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    // Insertion sort: forty-odd numbers, once, at compile time.
    let mut j = 1;
    while j < out.len() {
        let mut k = j;
        while k > 0 && out[k - 1] > out[k] {
            let t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
            k -= 1;
        }
        j += 1;
    }
    out
};

/// Stems folded words; one per thread, as the Snowball stemmer is cheap to create.
pub(crate) struct Stems(Stemmer);

impl Stems {
    /// An English stemmer.
    pub(crate) fn new() -> Self {
        Stems(Stemmer::create(Algorithm::English))
    }

    /// The stem of a folded word.
    pub(crate) fn stem(&self, word: &str) -> String {
        self.0.stem(word).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        words(text)
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
        assert!(is_stop("the") && !is_stop("timeout"));
        for w in STOP_WORDS {
            assert!(is_stop(w), "{w}");
            assert!(!is_stop(&format!("{w}s")) || STOP_WORDS.contains(&format!("{w}s").as_str()), "{w}s");
        }
        for w in ["", "thei", "withx", "aa", "th", "whichever", "ifs"] {
            assert!(!is_stop(w), "{w}");
        }
    }

    #[test]
    fn words_are_folded_and_split() {
        let cases: &[(&str, &[&str])] = &[
            ("Checkout errors", &["checkout", "errors"]),
            ("Résumé of the CAFÉ", &["resume", "of", "the", "cafe"]),
            ("config.yaml, resolver's TTL", &["config", "yaml", "resolver", "s", "ttl"]),
            ("p99 latency: 3.5s", &["p99", "latency", "3", "5s"]),
            ("mTLS—cert_expiry", &["mtls", "cert", "expiry"]),
            ("Ünïcödé naïve ﬁle", &["unicode", "naive", "file"]),
            ("<script>alert(1)</script>", &["script", "alert", "1", "script"]),
            ("snake_case x-ray", &["snake", "case", "x", "ray"]),
            ("Crème brûlée_recipe", &["creme", "brulee", "recipe"]),
        ];
        for (text, want) in cases {
            assert_eq!(all(text), *want, "{text}");
        }
        assert!(all(&"x".repeat(41)).is_empty(), "overlong runs are dropped");
        assert_eq!(all(&format!("{} Ok", "x".repeat(40))).len(), 2, "forty characters are a word");
        assert_eq!(all("--A1b--c"), ["a1b", "c"]);
    }

    #[test]
    fn words_come_with_their_written_form() {
        let mut seen = Vec::new();
        each_word_written("The DNS cache, NotReady nodes; Ünïcödé x-ray", &mut String::new(), |f, w| {
            seen.push((f.to_string(), w.to_string()))
        });
        let want = [
            ("the", "The"),
            ("dns", "DNS"),
            ("cache", "cache"),
            ("notready", "NotReady"),
            ("nodes", "nodes"),
            ("unicode", "Ünïcödé"),
            ("x", "x"),
            ("ray", "ray"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(seen, want);
    }

    fn unicode_words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_unicode_word(text, |w, _| out.push(w.to_string()));
        out
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// The byte loop for ASCII text finds exactly the words the Unicode path finds.
        #[test]
        fn ascii_path_agrees_with_unicode_path(text in "[ -~\t\n]{0,80}") {
            proptest::prop_assert_eq!(words(&text), unicode_words(&text));
        }

        /// Any text at all splits into folded words without a panic, none of them empty.
        #[test]
        fn any_text_splits_into_words(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert!(words(&text).iter().all(|w| !w.is_empty()));
        }
    }

    #[test]
    fn stems_join_forms_of_a_word() {
        let s = Stems::new();
        let cases = [
            ("timeouts", "timeout"),
            ("timeout", "timeout"),
            ("failing", "fail"),
            ("failed", "fail"),
            ("retries", "retri"),
            ("retry", "retri"),
            ("certificates", "certif"),
            ("1234", "1234"),
        ];
        for (word, stem) in cases {
            assert_eq!(s.stem(word), stem, "{word}");
        }
    }
}
