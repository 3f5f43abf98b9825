//! Words and stems: the one tokenizer that search, factor matching and similarity share. Text is
//! split at Unicode word boundaries and again at anything that is not a letter or digit, accents folded (NFKD, marks dropped), lower-cased, stop words dropped, and
//! stemmed (Snowball English). The browser repeats the first four steps on a query with
//! `String.normalize` and `Intl.Segmenter`; it never stems, because the index maps every word
//! it has seen to its stem.

pub(crate) mod hash;
pub mod phrases;
pub(crate) mod table;
pub mod terms;
pub(crate) mod vocab;

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
#[inline(always)]
pub(crate) fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    each_word_written(text, buf, |folded, _| f(folded));
}

/// [`each_word`], handing `f` each word both folded and as written in `text` (`DNS` for `dns`),
/// so that words can be shown to readers the way authors wrote them.
#[inline(always)]
pub(crate) fn each_word_written(text: &str, buf: &mut String, mut f: impl FnMut(&str, &str)) {
    if text.is_ascii() {
        // For ASCII, word boundaries then runs of letters and digits are just the runs; a
        // word without capitals is handed over as it is written.
        each_ascii_run(text.as_bytes(), |start, end, capitals| {
            if end - start > MAX_WORD_CHARS {
                return;
            }
            let word = &text[start..end];
            if capitals {
                buf.clear();
                buf.push_str(word);
                buf.make_ascii_lowercase();
                f(buf, word);
            } else {
                f(word, word);
            }
        });
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

/// Calls `f` with the start, the end and whether there are capitals of each run of ASCII
/// letters and digits in `bytes` (all ASCII), in order. Sixty-four bytes are classified at a
/// time into two masks, a bit per byte ([`classify`]); runs start where a word byte follows a
/// byte that is none and end where one is followed by none, found by counting zeros, so the loop
/// turns once per word rather than once per byte.
#[inline(always)]
fn each_ascii_run(bytes: &[u8], mut f: impl FnMut(usize, usize, bool)) {
    // The run still open at the end of the last block: where it started, and whether it has
    // capitals so far.
    let mut open: Option<(usize, bool)> = None;
    for (b, block) in bytes.chunks(64).enumerate() {
        let base = b * 64;
        let (word, capitals) = classify(block);
        let before = (word << 1) | u64::from(open.is_some());
        let mut starts = word & !before;
        // A run that reaches the block's last byte ends in the next block (or at the text's end).
        let mut ends = !word & before;
        if let Some((start, caps)) = open {
            if ends == 0 {
                open = Some((start, caps || capitals != 0));
                continue;
            }
            let end = ends.trailing_zeros();
            ends &= ends - 1;
            f(start, base + end as usize, caps || capitals & below(end) != 0);
            open = None;
        }
        while starts != 0 {
            let start = starts.trailing_zeros();
            starts &= starts - 1;
            let from = capitals >> start;
            if ends == 0 {
                open = Some((base + start as usize, from != 0));
                break;
            }
            let end = ends.trailing_zeros();
            ends &= ends - 1;
            f(base + start as usize, base + end as usize, from & below(end - start) != 0);
        }
    }
    if let Some((start, caps)) = open {
        f(start, bytes.len(), caps);
    }
}

/// The bits below bit `n` (all of them when `n` is 64).
fn below(n: u32) -> u64 {
    if n >= 64 {
        !0
    } else {
        (1u64 << n) - 1
    }
}

/// Two masks of at most 64 ASCII bytes, bit `i` for byte `i`: the letters and digits, and the
/// capitals. Eight bytes at a time in a number: a byte's top bit is set by adding an offset
/// when the byte is at least a bound (no byte is over 0x7f, so no addition carries into the
/// next byte), and the eight top bits are gathered into one byte by a multiplication.
#[inline(always)]
fn classify(block: &[u8]) -> (u64, u64) {
    const TOP: u64 = 0x8080_8080_8080_8080;
    const fn splat(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    /// The top bit of each byte of `x` that is in `lo..=hi`.
    fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
        let at_least_lo = x.wrapping_add(splat(0x80 - lo));
        let above_hi = x.wrapping_add(splat(0x7f - hi));
        at_least_lo & !above_hi & TOP
    }
    /// Bit `k` for the top bit of byte `k` (bits 7, 15, ... 63 of `m`; no other bit is set):
    /// each lands at bit 56 + k of the product, and no two partial products meet.
    fn gather(m: u64) -> u64 {
        (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }
    let (mut word, mut capitals) = (0u64, 0u64);
    for (k, chunk) in block.chunks(8).enumerate() {
        let mut eight = [0u8; 8];
        eight[..chunk.len()].copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight);
        // Setting bit 5 turns capitals into small letters and nothing else into one.
        let w = in_range(x | splat(0x20), b'a', b'z') | in_range(x, b'0', b'9');
        word |= gather(w) << (8 * k);
        capitals |= gather(in_range(x, b'A', b'Z')) << (8 * k);
    }
    (word, capitals)
}

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

impl Default for Stems {
    fn default() -> Self {
        Stems::new()
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

        /// The same for texts of long and short runs of letters and digits, which cross the
        /// eight-byte chunks the ASCII path reads (and some longer than a word may be).
        #[test]
        fn ascii_runs_across_chunks_agree_with_unicode_path(text in "([a-zA-Z0-9]{0,45}[ .,\n_-]{1,3}){0,8}[a-zA-Z0-9]{0,20}") {
            proptest::prop_assert_eq!(words(&text), unicode_words(&text));
            let mut written = Vec::new();
            each_word_written(&text, &mut String::new(), |f, w| written.push((f.to_string(), w.to_string())));
            proptest::prop_assert!(written.iter().all(|(f, w)| *f == w.to_ascii_lowercase()));
        }

        /// Each byte's bits in the two masks are what a test of that one byte gives.
        #[test]
        fn masks_hold_each_byte_class(block in proptest::collection::vec(0u8..128, 0..=64)) {
            let (word, capitals) = classify(&block);
            for (i, b) in block.iter().enumerate() {
                proptest::prop_assert_eq!(word >> i & 1 == 1, b.is_ascii_alphanumeric(), "byte {} at {}", b, i);
                proptest::prop_assert_eq!(capitals >> i & 1 == 1, b.is_ascii_uppercase(), "byte {} at {}", b, i);
            }
            if block.len() < 64 {
                proptest::prop_assert_eq!(word >> block.len(), 0, "no bits past the block");
            }
        }

        /// Any text at all splits into folded words without a panic, none of them empty.
        #[test]
        fn any_text_splits_into_words(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert!(words(&text).iter().all(|w| !w.is_empty()));
            let mut written = Vec::new();
            each_word_written(&text, &mut String::new(), |f, w| written.push((f.to_string(), w.to_string())));
            proptest::prop_assert_eq!(written.into_iter().map(|(f, _)| f).collect::<Vec<_>>(), words(&text));
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
