//! `casebook patterns --suggest` (SPEC §3.6): registry entries proposed from what recurs in the
//! unclassified contributing-factor texts. Words are lower-cased, stemmed and stop words
//! dropped; words and two-word phrases seen in the texts of at least two incidents are ranked
//! by incidents (then rarity across all incident bodies, then alphabetically) and kept greedily
//! while each covers an incident the ones before do not. Pure: the printed counts are those the
//! proposals give once committed, because they are counted with the registry's own matcher.

use crate::content::infer::Matcher;
use crate::model::{slugify, Library};
use crate::text::{is_stop, Stems};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the suggestion reads of one incident.
#[derive(Debug, Clone, Default)]
pub struct Case<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its unclassified factor texts.
    pub unclassified: Vec<&'a str>,
    /// Every factor text read from its body (a committed registry matches all of them).
    pub texts: Vec<&'a str>,
    /// Its body, for how rare a phrase is.
    pub body: &'a str,
    /// The factor ids it already has.
    pub factors: Vec<&'a str>,
}

/// One proposed registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `match:` phrases, the one written most often first.
    pub matches: Vec<String>,
    /// The incidents it would give this factor, sorted.
    pub incidents: Vec<String>,
}

/// A word or two-word phrase seen in unclassified texts.
#[derive(Default)]
struct Candidate {
    incidents: HashSet<usize>,
    /// Surface form (lower-case words as written) → times seen.
    forms: HashMap<String, usize>,
    /// Incident bodies it occurs in.
    bodies: usize,
}

impl Candidate {
    /// Forms by how often they were written, then alphabetically.
    fn forms(&self) -> Vec<String> {
        let mut f: Vec<(&String, &usize)> = self.forms.iter().collect();
        f.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        f.into_iter().map(|(s, _)| s.clone()).collect()
    }
}

/// Words that name no cause, dropped besides the search index's stop words (sorted).
const MORE_STOP_WORDS: &[&str] = &[
    "about", "after", "again", "all", "also", "any", "because", "been", "before", "being", "both", "can", "cause",
    "caused", "causing", "could", "did", "do", "does", "due", "during", "each", "every", "he", "her", "his", "how",
    "i", "issue", "led", "more", "most", "my", "no", "nobody", "none", "not", "nothing", "now", "off", "one", "only",
    "other", "out", "over", "same", "she", "should", "some", "than", "them", "those", "through", "too", "two", "up",
    "us", "very", "what", "when", "where", "while", "who", "why", "would", "you", "your",
];

/// A word of a text: lower-cased, where it is, its stem, whether it counts.
struct Word {
    lower: String,
    stem: String,
    content: bool,
}

fn split(text: &str, stems: &Stems) -> Vec<Word> {
    crate::content::infer::words(text)
        .into_iter()
        .map(|lower| {
            let content = !is_stop(&lower)
                && MORE_STOP_WORDS.binary_search(&lower.as_str()).is_err()
                && lower.chars().count() > 1
                && !lower.chars().all(|c| c.is_ascii_digit());
            Word { stem: stems.stem(&lower), lower, content }
        })
        .collect()
}

/// Calls `f(key, surface)` for each word and two-word phrase of the content words of `words`;
/// the surface of a phrase spans the stop words between its two words, as a matcher needs.
fn phrases(words: &[Word], mut f: impl FnMut(String, String)) {
    let content: Vec<usize> = (0..words.len()).filter(|&i| words[i].content).collect();
    for (n, &i) in content.iter().enumerate() {
        f(words[i].stem.clone(), words[i].lower.clone());
        if let Some(&j) = content.get(n + 1) {
            let surface = words[i..=j].iter().map(|w| w.lower.as_str()).collect::<Vec<_>>().join(" ");
            f(format!("{} {}", words[i].stem, words[j].stem), surface);
        }
    }
}

/// Proposals for `cases`; `taken` says whether an id is already registered.
pub fn suggest(cases: &[Case], taken: &dyn Fn(&str) -> bool) -> Vec<Proposal> {
    let stems = Stems::new();
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    for (n, case) in cases.iter().enumerate() {
        for text in &case.unclassified {
            phrases(&split(text, &stems), |key, surface| {
                let c = candidates.entry(key).or_default();
                c.incidents.insert(n);
                *c.forms.entry(surface).or_insert(0) += 1;
            });
        }
    }
    candidates.retain(|_, c| c.incidents.len() >= 2);
    if candidates.is_empty() {
        return Vec::new();
    }
    for case in cases {
        let mut seen = HashSet::new();
        phrases(&split(case.body, &stems), |key, _| {
            if candidates.contains_key(&key) && seen.insert(key.clone()) {
                if let Some(c) = candidates.get_mut(&key) {
                    c.bodies += 1;
                }
            }
        });
    }
    let mut ranked: Vec<(&String, &Candidate, Vec<String>)> =
        candidates.iter().map(|(k, c)| (k, c, c.forms())).collect();
    ranked.sort_by(|a, b| {
        b.1.incidents
            .len()
            .cmp(&a.1.incidents.len())
            .then_with(|| a.1.bodies.cmp(&b.1.bodies))
            .then_with(|| a.2[0].cmp(&b.2[0]))
            .then_with(|| a.0.cmp(b.0))
    });
    let mut covered: HashSet<usize> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut kept: Vec<(String, Vec<String>)> = Vec::new();
    for (_, c, forms) in ranked {
        let id = slugify(&forms[0]);
        if id.is_empty() || taken(&id) || ids.contains(&id) || c.incidents.is_subset(&covered) {
            continue;
        }
        covered.extend(&c.incidents);
        ids.insert(id.clone());
        kept.push((id, forms));
    }
    count(cases, kept)
}

/// The proposals with the incidents their phrases match in every factor text, as a committed
/// registry would, most incidents first (then in the order they were kept).
fn count(cases: &[Case], kept: Vec<(String, Vec<String>)>) -> Vec<Proposal> {
    let mut matcher = Matcher::default();
    for (id, forms) in &kept {
        for f in forms {
            matcher.add(f, id);
        }
    }
    let mut found: HashMap<&str, Vec<String>> = HashMap::new();
    for case in cases {
        let mut names: HashSet<String> = case.texts.iter().flat_map(|t| matcher.find(t)).map(|f| f.name).collect();
        names.extend(case.factors.iter().map(|f| f.to_string()));
        for (id, _) in &kept {
            if names.contains(id) {
                found.entry(id).or_default().push(case.id.to_string());
            }
        }
    }
    let mut out: Vec<Proposal> = kept
        .iter()
        .map(|(id, forms)| {
            let mut incidents = found.get(id.as_str()).cloned().unwrap_or_default();
            incidents.sort();
            let mut title = forms[0].clone();
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            Proposal { id: id.clone(), title, matches: forms.clone(), incidents }
        })
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.incidents.len()));
    out
}

/// The proposals for a library: every incident with factor texts read from its body.
pub fn for_library(lib: &Library) -> Vec<Proposal> {
    let cases: Vec<Case> = lib
        .incidents
        .iter()
        .map(|i| Case {
            id: &i.doc.id,
            unclassified: i.unclassified.iter().map(String::as_str).collect(),
            texts: i.factor_texts.iter().map(|t| t.text.as_str()).collect(),
            body: &i.doc.body,
            factors: i.factors.iter().map(|f| f.id.as_str()).collect(),
        })
        .collect();
    let taken = |id: &str| lib.factors.has_registry && lib.factors.find(id).is_some();
    suggest(&cases, &taken)
}

/// The proposals as a `factors.yaml` draft: a `# N incidents: ...` comment before each entry.
pub fn to_yaml(proposals: &[Proposal], texts: usize) -> String {
    let mut out = format!(
        "# Proposed by `casebook patterns --suggest` from {texts} unclassified contributing-factor text(s).\n\
         # Rename, merge or drop entries, then save as content/factors.yaml (or add them to it).\n"
    );
    if proposals.is_empty() {
        out.push_str("# Nothing recurs in them yet: no word or phrase is in the texts of two incidents.\n");
    }
    for p in proposals {
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let plain = p.id.starts_with(|c: char| c.is_ascii_lowercase())
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(&p.id.as_str());
        let key = if plain { p.id.clone() } else { quote(&p.id) };
        let matches: Vec<String> = p.matches.iter().map(|m| quote(m)).collect();
        out.push_str(&format!(
            "\n# {} incident{}: {}\n{key}:\n  title: {}\n  match: [{}]\n",
            p.incidents.len(),
            if p.incidents.len() == 1 { "" } else { "s" },
            p.incidents.join(", "),
            quote(&p.title),
            matches.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case<'a>(id: &'a str, texts: &[&'a str]) -> Case<'a> {
        Case { id, unclassified: texts.to_vec(), texts: texts.to_vec(), body: "", factors: Vec::new() }
    }

    fn ids(p: &[Proposal]) -> Vec<(&str, usize)> {
        p.iter().map(|p| (p.id.as_str(), p.incidents.len())).collect()
    }

    #[test]
    fn more_stop_words_are_sorted() {
        let mut sorted = MORE_STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, MORE_STOP_WORDS);
    }

    #[test]
    fn recurring_words_are_ranked_and_kept_while_they_cover_new_incidents() {
        let cases = [
            case("a", &["The retries had no backoff, so the database fell over."]),
            case("b", &["A retry loop hammered the database for an hour."]),
            case("c", &["Clients retried without backoff after the deploy."]),
            case("d", &["The certificate expired over the weekend."]),
            case("e", &["Nobody renewed the certificate in time."]),
        ];
        let p = suggest(&cases, &|_| false);
        // `retri` is in a, b and c; `certif` covers d and e; `backoff` and `databas` cover
        // nothing new after them.
        assert_eq!(ids(&p), [("retried", 3), ("certificate", 2)]);
        assert_eq!(p[0].matches, ["retried", "retries", "retry"]);
        assert_eq!(p[0].incidents, ["a", "b", "c"]);
        assert_eq!(p[0].title, "Retried");
    }

    #[test]
    fn ties_go_to_the_phrase_rarer_in_the_bodies_then_alphabetically() {
        let mut cases =
            vec![case("a", &["Disk full on the primary; alarm muted."]), case("b", &["Disk full again; alarm muted."])];
        cases[0].body = "alarm alarm disk";
        cases[1].body = "alarm";
        // `disk`, `full`, `disk full`, `alarm`, `muted`, `alarm muted` all cover a and b;
        // `alarm` is in both bodies, `disk` in one, the others in none: `alarm muted` comes
        // first alphabetically among the rarest, and then nothing covers anything new.
        assert_eq!(ids(&suggest(&cases, &|_| false)), [("alarm-muted", 2)]);
        assert_eq!(ids(&suggest(&cases, &|id| id == "alarm-muted")), [("disk-full", 2)]);
    }

    #[test]
    fn phrases_span_stop_words_and_counts_include_every_text_a_registry_would_match() {
        let mut cases = vec![
            case("a", &["Requests sent to the queue timed out."]),
            case("b", &["Writes sent to the queue were lost."]),
            case("c", &[]),
        ];
        cases[2].texts = vec!["Sent to the queue"];
        // `queue` and `sent` are common in the bodies; the phrase is not.
        cases[0].body = "queue sent";
        cases[1].body = "queue sent";
        let p = suggest(&cases, &|_| false);
        assert_eq!(p[0].matches, ["sent to the queue"]);
        assert_eq!(p[0].incidents, ["a", "b", "c"]);
        assert!(suggest(&[case("a", &["only once"])], &|_| false).is_empty());
    }

    #[test]
    fn the_draft_is_valid_yaml_with_a_comment_per_entry() {
        let p = vec![Proposal {
            id: "null".into(),
            title: "Null \"pointer\"".into(),
            matches: vec!["null: pointer".into()],
            incidents: vec!["a".into(), "b".into()],
        }];
        let yaml = to_yaml(&p, 4);
        assert!(
            yaml.contains(
                "\n# 2 incidents: a, b\n\"null\":\n  title: \"Null \\\"pointer\\\"\"\n  match: [\"null: pointer\"]\n"
            ),
            "{yaml}"
        );
        let doc = format!("---\n{yaml}---\n");
        let split = crate::content::split("factors.yaml", &doc).expect("valid YAML");
        assert_eq!(split.front.fields["null"]["match"][0], "null: pointer");
    }
}
