//! Whole-word phrase matching in free text (SPEC §3.5): words are runs of letters and digits,
//! compared lower-cased, and everything between them counts as one space, so `config push`
//! matches "a config-push at 14:00" and not "reconfig pushed". Texts are split into words once
//! and phrases are indexed by their first word, so hundreds of phrases stay cheap over
//! thousands of texts.

use std::collections::HashMap;

/// The words of `text`, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Phrases, each naming what it stands for (a factor id).
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    /// Each phrase's words, as written, and what it names.
    phrases: Vec<(Vec<String>, String, String)>,
    /// First word → indexes into `phrases`.
    by_first: HashMap<String, Vec<usize>>,
}

/// One phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What the phrase names.
    pub name: String,
    /// The phrase as it was given.
    pub phrase: String,
}

impl Matcher {
    /// Adds `phrase` as a mark of `name`; a phrase with no words is ignored.
    pub fn add(&mut self, phrase: &str, name: &str) {
        let w = words(phrase);
        let Some(first) = w.first().cloned() else { return };
        self.by_first.entry(first).or_default().push(self.phrases.len());
        self.phrases.push((w, phrase.to_string(), name.to_string()));
    }

    /// Whether no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every name whose phrases occur in `text`, once each, in the order they first occur; for
    /// each, the longest phrase found at that place.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let w = words(text);
        let mut out: Vec<Found> = Vec::new();
        for i in 0..w.len() {
            let Some(candidates) = self.by_first.get(&w[i]) else { continue };
            let mut here: Vec<&(Vec<String>, String, String)> =
                candidates.iter().map(|&p| &self.phrases[p]).filter(|(pw, _, _)| w[i..].starts_with(pw)).collect();
            here.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.2.cmp(&b.2)));
            for (_, phrase, name) in here {
                if !out.iter().any(|f| f.name == *name) {
                    out.push(Found { name: name.clone(), phrase: phrase.clone() });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(names(&m, "config pushes"), Vec::<String>::new());
        assert_eq!(names(&m, "the config-change was bad"), ["config-change"]);
        assert_eq!(names(&m, "dnsmasq crashed"), Vec::<String>::new());
        assert_eq!(
            names(&m, "(DNS) lookups hung: a missing timeout; then a config push"),
            ["dns", "missing-timeout", "config-change"]
        );
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
    }
}
