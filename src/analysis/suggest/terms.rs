//! The terms of factor texts that `patterns --suggest` weighs (docs/suggest.md): runs of one to
//! three content words, keyed by their stems, with the words the field uses for the same thing
//! (`bump` and `upgrade`, `expiry` and `expired`) given one key, so texts that say the same
//! thing in other words meet under one term.

use crate::text::{each_word, is_stop, Stems};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest term, in content words.
const MAX_WORDS: usize = 3;
/// Most stop words a term may span between two of its content words ("expiry of the cert").
const MAX_GAP: usize = 2;

/// Small words that may sit inside a term but never start or end one (sorted); the search
/// index's stop words count as such too, except [`CLAUSE`]'s.
const GAP_WORDS: &[&str] = &[
    "about", "across", "against", "all", "any", "between", "both", "each", "every", "its", "my", "off", "out", "over",
    "own", "per", "same", "some", "too", "under", "up", "via",
];

/// Words that join clauses (sorted): a term never spans one ("memory pressure and the kubelet").
const CLAUSE: &[&str] = &[
    "after", "and", "as", "because", "before", "but", "if", "or", "since", "so", "than", "that", "then", "until",
    "when", "where", "which", "while",
];

/// Words that say something was missing (sorted): they may start a term ("no alert", "not
/// tested", "without a timeout") and are keyed as one word, but are never a term alone.
const NEGATION: &[&str] =
    &["absent", "insufficient", "lack", "lacked", "lacking", "missing", "never", "no", "not", "without"];

/// Words that tell a story rather than name a cause (sorted): a term never starts or ends with
/// one and never counts one, so "happened", "running" or "the team" are never proposed, but one
/// may sit inside a term as written ("single point of failure"). Compared by stem, so every form
/// of each word is caught.
const NARRATIVE: &[&str] = &[
    "able",
    "actually",
    "additional",
    "affected",
    "again",
    "ago",
    "almost",
    "already",
    "also",
    "always",
    "another",
    "anyone",
    "anything",
    "appeared",
    "around",
    "aware",
    "back",
    "basically",
    "became",
    "because",
    "become",
    "began",
    "begin",
    "being",
    "believe",
    "best",
    "better",
    "big",
    "bit",
    "came",
    "can",
    "cannot",
    "case",
    "caused",
    "certain",
    "clear",
    "come",
    "completely",
    "could",
    "currently",
    "day",
    "did",
    "didn",
    "different",
    "do",
    "does",
    "doesn",
    "don",
    "done",
    "due",
    "during",
    "early",
    "either",
    "else",
    "end",
    "enough",
    "etc",
    "even",
    "event",
    "eventually",
    "ever",
    "exactly",
    "example",
    "expected",
    "fact",
    "far",
    "few",
    "finally",
    "find",
    "first",
    "following",
    "found",
    "fully",
    "gave",
    "generally",
    "get",
    "give",
    "given",
    "go",
    "goes",
    "going",
    "gone",
    "good",
    "got",
    "great",
    "happened",
    "he",
    "her",
    "here",
    "him",
    "his",
    "hour",
    "how",
    "however",
    "i",
    "identified",
    "immediately",
    "important",
    "incident",
    "including",
    "indicated",
    "initially",
    "instead",
    "investigation",
    "involved",
    "issue",
    "just",
    "keep",
    "kept",
    "knew",
    "know",
    "known",
    "last",
    "later",
    "lead",
    "learned",
    "least",
    "led",
    "less",
    "let",
    "like",
    "little",
    "look",
    "lot",
    "made",
    "main",
    "make",
    "many",
    "may",
    "mean",
    "meant",
    "might",
    "minor",
    "minute",
    "month",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "need",
    "next",
    "nobody",
    "none",
    "nothing",
    "noticed",
    "now",
    "number",
    "occurred",
    "often",
    "one",
    "only",
    "other",
    "otherwise",
    "part",
    "particular",
    "perhaps",
    "place",
    "point",
    "possible",
    "potentially",
    "pretty",
    "previously",
    "primarily",
    "probably",
    "problem",
    "put",
    "quickly",
    "quite",
    "rather",
    "really",
    "reason",
    "received",
    "recently",
    "related",
    "result",
    "right",
    "root",
    "running",
    "said",
    "saw",
    "say",
    "second",
    "see",
    "seem",
    "seen",
    "several",
    "shall",
    "she",
    "should",
    "show",
    "since",
    "situation",
    "someone",
    "something",
    "sometimes",
    "soon",
    "specific",
    "started",
    "state",
    "still",
    "subsequently",
    "sure",
    "take",
    "taken",
    "team",
    "tell",
    "thing",
    "think",
    "though",
    "thought",
    "three",
    "through",
    "thus",
    "time",
    "today",
    "together",
    "took",
    "total",
    "tried",
    "turn",
    "two",
    "understand",
    "unfortunately",
    "until",
    "upon",
    "us",
    "use",
    "usually",
    "very",
    "want",
    "way",
    "week",
    "well",
    "went",
    "what",
    "when",
    "where",
    "whether",
    "while",
    "who",
    "whole",
    "whose",
    "why",
    "within",
    "would",
    "year",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
];

/// Words the field uses for the same thing, and the word they are keyed under (compared by
/// stem).
const SAME_THING: &[(&str, &str)] = &[
    ("alarm", "alert"),
    ("bump", "upgrade"),
    ("cert", "certificate"),
    ("config", "configuration"),
    ("db", "database"),
    ("expiry", "expired"),
    ("expiration", "expired"),
    ("k8s", "kubernetes"),
    ("oom", "memory"),
    ("oomkilled", "memory"),
    ("update", "upgrade"),
];

/// What a word is to a term.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It may be part of a term.
    Content,
    /// It may start a term or be inside one, never end one ([`NEGATION`]).
    Negation,
    /// It may sit inside a term.
    Gap,
    /// It ends a term.
    Break,
}

/// One word of a text.
struct Token {
    word: String,
    key: String,
    role: Role,
}

/// Splits texts into tokens, with one stemmer.
pub(super) struct Splitter {
    stems: Stems,
    /// The stems of [`NARRATIVE`].
    narrative: HashSet<String>,
    /// The stems of [`SAME_THING`].
    same: HashMap<String, String>,
}

impl Splitter {
    pub(super) fn new() -> Self {
        let stems = Stems::new();
        let narrative = NARRATIVE.iter().map(|w| stems.stem(w)).collect();
        let same = SAME_THING.iter().map(|(from, to)| (stems.stem(from), stems.stem(to))).collect();
        Splitter { stems, narrative, same }
    }

    fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for clause in clauses(text) {
            // A term never runs from one clause into the next.
            if !out.is_empty() {
                out.push(Token { word: String::new(), key: String::new(), role: Role::Break });
            }
            each_word(clause, &mut String::new(), |w| out.push(self.token(w)));
        }
        out
    }

    fn token(&self, w: &str) -> Token {
        let stem = self.stems.stem(w);
        let role = if CLAUSE.binary_search(&w).is_ok() {
            Role::Break
        } else if NEGATION.binary_search(&w).is_ok() {
            Role::Negation
        } else if is_stop(w) || GAP_WORDS.binary_search(&w).is_ok() {
            Role::Gap
        } else if w.chars().count() < 2 || w.chars().all(|c| c.is_ascii_digit()) {
            Role::Break
        } else if self.narrative.contains(&stem) {
            // A word that tells the story never counts, but may sit inside a term as written
            // ("single point of failure").
            Role::Gap
        } else {
            Role::Content
        };
        let key = match role {
            Role::Negation => "no".to_string(),
            _ => self.same.get(&stem).cloned().unwrap_or(stem),
        };
        Token { word: w.to_string(), key, role }
    }

    /// The key a negated phrase of three words is also counted under: the negation and its last
    /// word, when the last two are written side by side ("no statement timeout", "without a
    /// lock timeout": `no timeout`; not "without a cap on attempts").
    fn loosened(&self, key: &str, surface: &str) -> Option<String> {
        let mut stems = key.split(' ');
        let (first, last) = (stems.next()?, stems.next_back()?);
        let mut written = surface.rsplit(' ').skip(1);
        let before = written.next().map(|w| self.token(w).role);
        (first == "no" && key.split(' ').count() == MAX_WORDS && before == Some(Role::Content))
            .then(|| format!("no {last}"))
    }

    /// Calls `f(key, surface, words)` for each term of `text`: its key (stems, space-separated),
    /// its words as written (lower-cased, the small words between them included) and how many
    /// words that count it has.
    pub(super) fn terms(&self, text: &str, mut f: impl FnMut(&str, &str, usize)) {
        let tokens = self.tokens(text);
        for start in 0..tokens.len() {
            if !matches!(tokens[start].role, Role::Content | Role::Negation) {
                continue;
            }
            let (mut key, mut end, mut n) = (tokens[start].key.clone(), start, 1);
            loop {
                if tokens[end].role == Role::Content {
                    let surface: Vec<&str> = tokens[start..=end].iter().map(|t| t.word.as_str()).collect();
                    f(&key, &surface.join(" "), n);
                }
                if n == MAX_WORDS {
                    break;
                }
                let Some(next) = next_word(&tokens, end) else { break };
                key.push(' ');
                key.push_str(&tokens[next].key);
                end = next;
                n += 1;
            }
        }
    }
}

/// The clauses of `text`: it is cut after `.`, `,`, `;`, `:`, `!` or `?` followed by a space or
/// its end, and at brackets, so that `host.example.com` and `1.5` stay whole.
pub(crate) fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_blank = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if matches!(c, '(' | ')' | '[' | ']') || (matches!(c, '.' | ',' | ';' | ':' | '!' | '?') && next_blank) {
                let (clause, after) = (&rest[..i], &rest[i + c.len_utf8()..]);
                rest = after;
                return Some(clause);
            }
        }
        Some(std::mem::take(&mut rest))
    })
}

/// The next word that counts after `at`, when only a few gap words lie between.
fn next_word(tokens: &[Token], at: usize) -> Option<usize> {
    for (k, t) in tokens.iter().enumerate().skip(at + 1).take(MAX_GAP + 1) {
        match t.role {
            Role::Content | Role::Negation => return Some(k),
            Role::Break => return None,
            Role::Gap => {}
        }
    }
    None
}

/// A term seen in the unclassified texts.
#[derive(Debug, Default, Clone)]
pub(super) struct Term {
    /// Its stems.
    pub key: String,
    /// Content words.
    pub words: usize,
    /// What it is called when none of its forms says it: a negation and the missing thing ("no
    /// timeout" for "no statement timeout" and "without a lock timeout").
    pub name: Option<String>,
    /// Incidents (by index) whose unclassified texts hold it.
    pub incidents: HashSet<usize>,
    /// The unclassified texts that hold it, as (incident, text) indexes.
    pub texts: HashSet<(usize, usize)>,
    /// Surface → times written.
    pub forms: BTreeMap<String, usize>,
    /// Documents of the library whose text holds it.
    pub documents: usize,
    /// How distinctive it is of the factor texts, times how many incidents hold it.
    pub strength: f64,
    /// Its rank: [`Term::strength`] times [`Term::cohesion`].
    pub score: f64,
}

impl Term {
    /// The stems of its key.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.key.split(' ')
    }

    /// The share of the documents naming it that name it in a cause (near 1 for a word only
    /// causes use).
    pub fn share(&self) -> f64 {
        share(self.incidents.len(), self.documents)
    }

    /// How much its words belong together: the incidents holding it over those holding its
    /// rarest word (1 for a single word). "disk usage" holds every text that says "usage",
    /// while "alerted the batch" is one of many uses of both words.
    pub fn cohesion(&self, alone: &HashMap<String, usize>) -> f64 {
        let rarest = self.stems().filter(|s| *s != "no").filter_map(|s| alone.get(s)).min();
        rarest.map_or(1.0, |r| (self.incidents.len() as f64 / *r as f64).min(1.0))
    }

    /// Its surfaces, the one written most often first, then the one of fewest words, then the
    /// longest (`certificate` before `cert`), then alphabetically.
    pub fn forms(&self) -> Vec<String> {
        let mut f: Vec<(&String, &usize)> = self.forms.iter().collect();
        let words = |s: &str| s.split(' ').count();
        f.sort_by(|a, b| {
            b.1.cmp(a.1)
                .then_with(|| words(a.0).cmp(&words(b.0)))
                .then_with(|| b.0.len().cmp(&a.0.len()))
                .then_with(|| a.0.cmp(b.0))
        });
        f.into_iter().map(|(s, _)| s.clone()).collect()
    }
}

/// The terms in the unclassified texts of at least two incidents, each with how many of
/// `documents` (every document's text, the factor texts' own included) hold it and its score.
pub(super) fn recurring(split: &Splitter, unclassified: &[Vec<&str>], documents: &[&str]) -> Vec<Term> {
    let mut terms: HashMap<String, Term> = HashMap::new();
    let mut negated: Vec<(String, String, String, usize, usize)> = Vec::new();
    for (n, texts) in unclassified.iter().enumerate() {
        for (k, text) in texts.iter().enumerate() {
            split.terms(text, |key, surface, words| {
                add(&mut terms, key, surface, words, (n, k));
                if let Some(loose) = split.loosened(key, surface) {
                    negated.push((unordered(key), loose, surface.to_string(), n, k));
                }
            });
        }
    }
    // A negated phrase that does not recur as written meets the others that miss the same thing
    // under the negation and its last word: "no statement timeout" and "without a lock timeout"
    // are both "no timeout". One that recurs ("no rate limit") stays a term of its own.
    for (full, loose, surface, n, k) in negated {
        if terms.get(&full).is_none_or(|t| t.incidents.len() < 2) {
            add(&mut terms, &loose, &surface, 2, (n, k));
            let missing = surface.rsplit(' ').next().unwrap_or_default();
            terms.entry(unordered(&loose)).and_modify(|t| t.name = Some(format!("no {missing}")));
        }
    }
    terms.retain(|_, t| t.incidents.len() >= 2);
    let stems: HashSet<String> = terms.values().flat_map(|t| t.stems().map(str::to_string)).collect();
    for doc in documents {
        let mut seen: HashSet<String> = HashSet::new();
        split.terms(doc, |key, surface, _| {
            let loose = split.loosened(key, surface);
            for key in std::iter::once(key).chain(loose.as_deref()) {
                if key.split(' ').all(|s| stems.contains(s)) {
                    let key = unordered(key);
                    if terms.contains_key(&key) {
                        seen.insert(key);
                    }
                }
            }
        });
        for key in seen {
            if let Some(t) = terms.get_mut(&key) {
                t.documents += 1;
            }
        }
    }
    // How many incidents' texts hold each word, to tell a phrase whose words belong together.
    let alone: HashMap<String, usize> =
        terms.values().filter(|t| t.words == 1).map(|t| (t.key.clone(), t.incidents.len())).collect();
    let mut out: Vec<Term> = terms.into_values().collect();
    for t in &mut out {
        t.strength = score(t.incidents.len(), t.documents, t.words);
        t.score = t.strength * t.cohesion(&alone);
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Counts one occurrence of a term in the text `at` (incident, text).
fn add(terms: &mut HashMap<String, Term>, key: &str, surface: &str, words: usize, at: (usize, usize)) {
    // Terms of the same words in another order are one ("expired certificate").
    let t = terms.entry(unordered(key)).or_insert_with(|| Term { key: key.to_string(), words, ..Term::default() });
    t.incidents.insert(at.0);
    t.texts.insert(at);
    *t.forms.entry(surface.to_string()).or_insert(0) += 1;
}

/// A key with its stems sorted.
fn unordered(key: &str) -> String {
    let mut stems: Vec<&str> = key.split(' ').collect();
    stems.sort_unstable();
    stems.join(" ")
}

/// How much a term says about causes: the incidents whose factor texts hold it, weighted by
/// the square of the share of the documents mentioning it that name it as a cause (a word every
/// postmortem uses, such as `node` in a Kubernetes shop, is in many documents and few causes),
/// and a phrase counts more than a word.
fn score(incidents: usize, documents: usize, words: usize) -> f64 {
    let share = share(incidents, documents);
    incidents as f64 * share * share * (1.0 + 0.5 * (words as f64 - 1.0))
}

/// Of the documents naming a term, the share whose cause texts name it (one more document
/// assumed, so that two mentions in two documents are not yet certainty).
fn share(incidents: usize, documents: usize) -> f64 {
    incidents as f64 / (documents.max(incidents) as f64 + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        Splitter::new().terms(text, |k, s, _| out.push((k.to_string(), s.to_string())));
        out
    }

    #[test]
    fn lists_are_sorted_for_binary_search() {
        for list in [GAP_WORDS, CLAUSE, NEGATION, NARRATIVE] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list);
        }
    }

    #[test]
    fn terms_span_small_words_and_stop_at_narrative_ones() {
        let t = all("The cert had expired; it happened again after the upgrade of the cluster");
        let keys: Vec<&str> = t.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["certif", "certif expir", "expir", "upgrad", "upgrad cluster", "cluster"], "{t:?}");
        assert_eq!(t[1].1, "cert had expired");
        assert_eq!(t[4].1, "upgrade of the cluster");
        assert!(all("2024 a 1 happened running").is_empty());
        assert_eq!(all("version bump")[1].0, "version upgrad");
    }

    #[test]
    fn a_word_in_every_document_scores_below_a_rare_phrase() {
        assert!(score(5, 30, 1) < score(2, 2, 2));
        assert!(score(3, 3, 1) > score(3, 10, 1));
        assert!(score(4, 4, 2) > score(2, 2, 2));
    }
}
