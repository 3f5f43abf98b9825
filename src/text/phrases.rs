//! Phrase matching in free text (docs/suggest.md): words are compared by their stems, with the
//! tokenizer and stemmer that search uses (the rest of `text`), so `upgrade the cluster` matches
//! "upgraded the clusters"; words are runs of letters and digits and everything between them
//! counts as one space, so `config push` matches "a config-push at 14:00" and not "reconfig
//! pushed". Texts are split into stems once and phrases are indexed by their first stem, so
//! hundreds of phrases stay cheap over thousands of texts.

use super::{each_word, Stems};
use std::collections::HashMap;

/// The stems of the words of `text`, in order, stop words included (a phrase such as `out of
/// memory` needs them, and both sides of a comparison keep them alike).
pub(crate) fn stems(text: &str, stemmer: &Stems) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, &mut String::new(), |w| out.push(stemmer.stem(w)));
    out
}

/// One phrase: its stems, the phrase as given, and what it names.
#[derive(Debug, Clone)]
struct Phrase {
    stems: Vec<String>,
    written: String,
    name: String,
}

/// Phrases, each naming what it stands for (a factor id).
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    phrases: Vec<Phrase>,
    /// First stem → indexes into `phrases`.
    by_first: HashMap<String, Vec<usize>>,
}

/// One phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// What the phrase names.
    pub name: String,
    /// The phrase as it was given.
    pub phrase: String,
}

impl Matcher {
    /// Adds `phrase` as a mark of `name`; a phrase with no words is ignored.
    pub fn add(&mut self, phrase: &str, name: &str) {
        let stems = stems(phrase, &Stems::new());
        let Some(first) = stems.first().cloned() else { return };
        self.by_first.entry(first).or_default().push(self.phrases.len());
        self.phrases.push(Phrase { stems, written: phrase.to_string(), name: name.to_string() });
    }

    /// Whether no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every name whose phrases occur in `text`, once each, in the order they first occur; for
    /// each, the longest phrase found at that place.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        self.find_in(&stems(text, &Stems::new()))
    }

    /// [`Matcher::find`] over a text already split by [`stems`] (a caller that matches the same
    /// texts against several matchers splits them once).
    pub(crate) fn find_in(&self, w: &[String]) -> Vec<PhraseMatch> {
        let mut out: Vec<PhraseMatch> = Vec::new();
        for i in 0..w.len() {
            let Some(candidates) = self.by_first.get(&w[i]) else { continue };
            let mut here: Vec<&Phrase> =
                candidates.iter().map(|&p| &self.phrases[p]).filter(|p| w[i..].starts_with(&p.stems)).collect();
            here.sort_by(|a, b| b.stems.len().cmp(&a.stems.len()).then_with(|| a.name.cmp(&b.name)));
            for p in here {
                if !out.iter().any(|f| f.name == p.name) {
                    out.push(PhraseMatch { name: p.name.clone(), phrase: p.written.clone() });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(m: &Matcher, text: &str) -> Vec<String> {
        m.find(text).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn whole_words_case_and_separators() {
        let mut m = Matcher::default();
        m.add("config push", "config-change");
        m.add("config_change", "config-change");
        m.add("missing timeout", "missing-timeout");
        m.add("DNS", "dns");
        assert_eq!(names(&m, "a config-push at 14:00"), ["config-change"]);
        assert_eq!(names(&m, "A CONFIG_PUSH, then nothing"), ["config-change"]);
        assert_eq!(names(&m, "Config  push."), ["config-change"]);
        assert_eq!(names(&m, "reconfig pushed"), Vec::<String>::new());
        assert_eq!(names(&m, "config pushx"), Vec::<String>::new());
        assert_eq!(names(&m, "the config-change was bad"), ["config-change"]);
        assert_eq!(names(&m, "dnsmasq crashed"), Vec::<String>::new());
        assert_eq!(
            names(&m, "(DNS) lookups hung: a missing timeout; then a config push"),
            ["dns", "missing-timeout", "config-change"]
        );
    }

    #[test]
    fn words_are_compared_by_their_stems() {
        let mut m = Matcher::default();
        m.add("config push", "config-change");
        m.add("upgrade the cluster", "upgrade");
        m.add("certificate expired", "cert-expiry");
        assert_eq!(names(&m, "config pushed"), ["config-change"]);
        assert_eq!(names(&m, "Config pushes were not reviewed"), ["config-change"]);
        assert_eq!(names(&m, "we upgraded the clusters on Monday"), ["upgrade"]);
        assert_eq!(names(&m, "Upgrading the Cluster"), ["upgrade"]);
        assert_eq!(names(&m, "the certificates expiring"), ["cert-expiry"]);
        // Every word of the phrase is needed, in order, with nothing between.
        assert_eq!(names(&m, "upgraded a cluster"), Vec::<String>::new());
        assert_eq!(names(&m, "upgrade of the cluster"), Vec::<String>::new());
        assert_eq!(names(&m, "cluster upgrade"), Vec::<String>::new());
        // Accents are folded as search folds them.
        assert_eq!(names(&m, "CERTIFICATE EXPIRÉD"), ["cert-expiry"]);
        let mut accents = Matcher::default();
        accents.add("café", "cafe");
        assert_eq!(names(&accents, "the CAFE closed"), ["cafe"]);
    }

    #[test]
    fn the_longest_phrase_at_a_place_is_reported() {
        let mut m = Matcher::default();
        m.add("cache", "cache");
        m.add("cache stampede", "stampede");
        let found = m.find("a cache stampede");
        assert_eq!(found.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["stampede", "cache"]);
        assert_eq!(found[0].phrase, "cache stampede");
        assert!(Matcher::default().find("anything").is_empty());
        let mut empty = Matcher::default();
        empty.add(" -- ", "nothing");
        assert!(empty.is_empty());
    }

    /// Endings the English stemmer takes off: an inflected word is used only when it stems
    /// like the word it was made from.
    const ENDINGS: &[&str] = &["", "s", "es", "ed", "ing", "er", "ly"];
    const SEPARATORS: &[&str] = &[" ", "  ", "-", "_", ", ", ": ", " (", ") ", "/", "\n"];

    fn inflected(word: &str, ending: &str, upper: bool, s: &Stems) -> String {
        let w = format!("{word}{ending}");
        let w = if s.stem(&w) == s.stem(word) { w } else { word.to_string() };
        if upper {
            w.to_uppercase()
        } else {
            w
        }
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(128))]

        /// A phrase matches any text that holds its own words, in any inflection the stemmer
        /// folds, any case and with any separators, between any other words.
        #[test]
        fn a_phrase_matches_its_own_words_inflected(
            phrase in prop::collection::vec("[a-z]{2,9}", 1..4),
            forms in prop::collection::vec((0..ENDINGS.len(), any::<bool>(), 0..SEPARATORS.len()), 4),
            before in "[a-z ]{0,20}",
            after in "[a-z ]{0,20}",
        ) {
            let s = Stems::new();
            let mut m = Matcher::default();
            m.add(&phrase.join(" "), "it");
            let mut text = format!("{before} ");
            for (word, (ending, upper, sep)) in phrase.iter().zip(&forms) {
                text.push_str(&inflected(word, ENDINGS[*ending], *upper, &s));
                text.push_str(SEPARATORS[*sep]);
            }
            text.push_str(&after);
            prop_assert_eq!(names(&m, &text), ["it"], "{:?} in {:?}", phrase, text);
        }

        /// A phrase never matches where its first or last word is only part of a longer word.
        #[test]
        fn a_phrase_never_matches_inside_a_word(
            phrase in prop::collection::vec("[a-z]{2,9}", 1..4),
            glue in "[0-9]{1,3}",
            at_end in any::<bool>(),
        ) {
            let mut m = Matcher::default();
            m.add(&phrase.join(" "), "it");
            let text = if at_end {
                format!("{}{glue}", phrase.join(" "))
            } else {
                format!("{glue}{}", phrase.join(" "))
            };
            prop_assert!(names(&m, &text).is_empty(), "{:?} in {:?}", phrase, text);
        }

        /// Any phrase and any text: no panic, and a found name is one that was added.
        #[test]
        fn any_phrase_and_text_never_panic(phrase in any::<String>(), text in any::<String>()) {
            let mut m = Matcher::default();
            m.add(&phrase, "it");
            prop_assert!(m.find(&text).iter().all(|f| f.name == "it" && f.phrase == phrase));
        }
    }
}
