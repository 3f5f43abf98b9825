//! Recurring problems (docs/similar.md): incidents that read alike gathered into groups, each
//! with a label of the phrases and words its members share most.
//!
//! Pairs of similar incidents at or above [`GROUP_FLOOR`] are taken best first; a pair joins
//! the two groups its incidents are in when, in the joined group, every member's mean
//! similarity to the other members is still at or above the floor, and the mean similarity of
//! the pairs across two groups of two or more is at or above [`GROUPS_FLOOR`]. So a group never
//! grows by chaining (A like B and B like C bringing A and C together): each member must read
//! like the group as a whole, and two groups must read like each other. An incident is in at
//! most one group; a group's id is its oldest member's.

use super::similar::Similarity;
use crate::model::{slugify, Date, Library};
use crate::text::hash::Hashed;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The lowest mean similarity of a member to the rest of its group, chosen on the labelled
/// library (docs/similar.md).
pub(crate) const GROUP_FLOOR: f32 = 0.13;
/// The lowest mean similarity of the pairs across two groups of two or more that join: each
/// group is a problem already, and joining them says every pair across is one problem too.
/// Higher than [`GROUP_FLOOR`]: on `generate --pairs`, where pairs share six rare words, two pairs
/// that share one of them by chance read 0.15 to 0.2 across and were joined (with the member
/// rule alone, 229 groups of 4,752 at 10,000 incidents mixed two or three problems; one does at
/// this floor). The labelled library's groups are the same at any floor up to 0.26
/// (docs/similar.md).
pub(crate) const GROUPS_FLOOR: f32 = 0.2;
/// The most incidents a group holds (a bound on the work of joining two).
const MEMBERS_MAX: usize = 64;
/// The most phrases and words a group's label is made of.
const LABEL_WORDS: usize = 3;
/// The most two-word phrases in a label.
const LABEL_PHRASES: usize = 2;
/// The most words listed for a group.
const WORDS: usize = 5;

/// Incidents that read alike: one problem that came back.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The oldest member's id, so links to the group stay stable as it grows.
    pub id: String,
    /// Its most distinctive shared phrases and words, joined (`connection pool, exhausted`).
    pub label: String,
    /// The words the label is made of and a few more, as written.
    pub words: Vec<String>,
    /// Indexes into `Library::incidents`, oldest first.
    pub incidents: Vec<usize>,
    /// The oldest member's date.
    pub first_seen: Option<Date>,
    /// The newest member's date.
    pub last_seen: Option<Date>,
    /// The members' services, first spelling of each, in the order met oldest first.
    pub services: Vec<String>,
}

/// Per incident of a library of `n`, the index in `problems` of the group it is in (an incident
/// is in at most one).
pub(crate) fn membership(problems: &[Problem], n: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; n];
    for (p, problem) in problems.iter().enumerate() {
        for &i in &problem.incidents {
            if let Some(slot) = of.get_mut(i) {
                *slot = Some(p);
            }
        }
    }
    of
}

/// The recurring problems of `lib`: largest first, then the most recently seen, then by id.
pub(crate) fn gather(lib: &Library, sim: &Similarity) -> Vec<Problem> {
    let mut groups = Groups::new(lib.incidents.len());
    for (_, a, b) in pairs(sim) {
        groups.try_join(sim, a, b);
    }
    // Each group is described on its own, so in parallel (the order is set by the sort below).
    let mut out: Vec<Problem> =
        groups.members.into_par_iter().filter(|m| m.len() >= 2).map(|m| problem(lib, sim, m)).collect();
    out.sort_by(|a, b| {
        b.incidents.len().cmp(&a.incidents.len()).then(b.last_seen.cmp(&a.last_seen)).then(a.id.cmp(&b.id))
    });
    out
}

/// Every listed pair at or above the floor once, best first (ties by index, so the order is
/// the same on every run).
fn pairs(sim: &Similarity) -> Vec<(f32, usize, usize)> {
    let mut out: Vec<(f32, usize, usize)> = sim
        .lists
        .iter()
        .enumerate()
        .flat_map(|(a, list)| list.iter().map(move |s| (s.score, a.min(s.incident), a.max(s.incident))))
        .filter(|p| p.0 >= GROUP_FLOOR)
        .collect();
    out.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    out.dedup_by(|x, y| x.1 == y.1 && x.2 == y.2);
    out
}

/// Groups being formed: each incident's group, the members of each, and each incident's summed
/// similarity to the other members of its group.
struct Groups {
    of: Vec<usize>,
    members: Vec<Vec<usize>>,
    sums: Vec<f32>,
    /// How often each group has changed, so a join that failed is not tried again unchanged.
    version: Vec<u32>,
    failed: HashSet<(usize, u32, usize, u32)>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            of: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
            sums: vec![0.0; n],
            version: vec![0; n],
            failed: HashSet::new(),
        }
    }

    /// Joins the groups of `a` and `b` when every member of the joined group reads like it.
    fn try_join(&mut self, sim: &Similarity, a: usize, b: usize) {
        let (ga, gb) = (self.of[a], self.of[b]);
        if ga == gb {
            return;
        }
        let key = (ga.min(gb), self.version[ga.min(gb)], ga.max(gb), self.version[ga.max(gb)]);
        let size = self.members[ga].len() + self.members[gb].len();
        if size > MEMBERS_MAX || self.failed.contains(&key) {
            return;
        }
        let mut added: HashMap<usize, f32, Hashed> = HashMap::default();
        let mut across = 0.0f32;
        for &x in &self.members[ga] {
            for &y in &self.members[gb] {
                let s = sim.score(x, y);
                *added.entry(x).or_default() += s;
                *added.entry(y).or_default() += s;
                across += s;
            }
        }
        let others = (size - 1) as f32;
        // The pairs across must read alike on average too: else each member's mean is held up
        // by the partners of its own group, and one rare word two problems share by chance would
        // join them. For one incident joining a group, that mean is its own.
        let pairs_across = (self.members[ga].len() * self.members[gb].len()) as f32;
        let floor = if self.members[ga].len() > 1 && self.members[gb].len() > 1 { GROUPS_FLOOR } else { GROUP_FLOOR };
        let holds =
            across / pairs_across >= floor && added.iter().all(|(&m, &s)| (self.sums[m] + s) / others >= GROUP_FLOOR);
        if !holds {
            self.failed.insert(key);
            return;
        }
        for (m, s) in added {
            self.sums[m] += s;
        }
        let (keep, gone) = if self.members[ga].len() >= self.members[gb].len() { (ga, gb) } else { (gb, ga) };
        let moved = std::mem::take(&mut self.members[gone]);
        for &m in &moved {
            self.of[m] = keep;
        }
        self.members[keep].extend(moved);
        self.version[keep] += 1;
    }
}

/// A group of incidents as a problem: its members oldest first, its label and its services.
fn problem(lib: &Library, sim: &Similarity, mut members: Vec<usize>) -> Problem {
    // Incidents are newest first, so the highest index is the oldest; undated ones sort first.
    members.sort_by(|&a, &b| {
        let (x, y) = (&lib.incidents[a].doc, &lib.incidents[b].doc);
        x.date.cmp(&y.date).then(x.id.cmp(&y.id))
    });
    let weights = weights(lib, sim, &members);
    let words = shared_words(&weights, members.len());
    let label = label(&shared_phrases(lib, &weights, &members), &words);
    let first = &lib.incidents[members[0]].doc;
    let last_seen = members.iter().filter_map(|&m| lib.incidents[m].doc.date).max();
    let mut seen = HashSet::new();
    let services = members
        .iter()
        .flat_map(|&m| lib.incidents[m].services.iter())
        .filter(|s| seen.insert(slugify(s)))
        .cloned()
        .collect();
    Problem { id: first.id.clone(), label, words, first_seen: first.date, last_seen, incidents: members, services }
}

/// Stem → (members with it, summed weight, form → times written), over the stems that take part
/// in the members' similarity (the heaviest of each, none that every incident uses).
type Weights<'a> = HashMap<u64, (usize, f32, HashMap<&'a str, u32>), Hashed>;

/// The weighed stems of `members`.
fn weights<'a>(lib: &'a Library, sim: &Similarity, members: &[usize]) -> Weights<'a> {
    let mut stems: Weights = HashMap::default();
    for &m in members {
        let terms = &lib.incidents[m].terms;
        // Generic words describe no problem (they still made the members alike).
        for (stem, w, k) in sim.weighted(m).filter(|&(_, _, k)| !terms.items[k as usize].generic) {
            let e = stems.entry(stem).or_default();
            e.0 += 1;
            e.1 += w;
            *e.2.entry(terms.form(k as usize)).or_default() += u32::from(terms.items[k as usize].form_count);
        }
    }
    stems
}

/// How many of a group's `n` members must share a word or phrase for it to describe the group.
fn needed(n: usize) -> usize {
    n.div_ceil(2).max(2)
}

/// The stems most members have, by their summed weight, in the form the members write most;
/// none of the same root as one before it (`delivery` after `delivering`).
fn shared_words(stems: &Weights, n: usize) -> Vec<String> {
    let mut roots = Roots::default();
    ranked_words(stems, n).into_iter().map(|r| r.1).filter(|w| roots.add(w)).take(WORDS).map(String::from).collect()
}

/// Words taken so far, to leave out another of the same root: two words whose stems are the same,
/// or where one word starts with the other's stem of four letters or more (`delivering` and
/// `delivery`, whose stems differ: `deliv`, `deliveri`; `cert` and `certificate`). A reader takes
/// them for one word written twice.
#[derive(Default)]
struct Roots {
    stems: crate::text::Stems,
    /// Each word taken, folded, with its stem.
    taken: Vec<(String, String)>,
}

impl Roots {
    /// Takes `word` unless it has the root of one taken before; whether it was taken.
    fn add(&mut self, word: &str) -> bool {
        let folded = crate::text::fold(word);
        let stem = self.stems.stem(&folded);
        let same = |(f, s): &(String, String)| {
            *s == stem || (s.len() >= 4 && folded.starts_with(s.as_str())) || (stem.len() >= 4 && f.starts_with(&stem))
        };
        if self.taken.iter().any(same) {
            return false;
        }
        self.taken.push((folded, stem));
        true
    }
}

/// The stems most members have, heaviest first, each with its most written form.
fn ranked_words<'a>(stems: &Weights<'a>, n: usize) -> Vec<(u64, &'a str)> {
    let mut ranked: Vec<(f32, u64, &str)> = stems
        .iter()
        .filter(|(_, e)| e.0 >= needed(n))
        .map(|(&stem, e)| {
            let form = e.2.iter().max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0))).map_or("", |f| *f.0);
            (e.1, stem, form)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|r| (r.1, r.2)).collect()
}

/// How many of a group's heaviest shared words a phrase of its label may be made of.
const PHRASE_WORDS: usize = 12;

/// Two-word phrases most members write in their title, summary or contributing-factor texts
/// ("connection pool", "certificate expired"), each word in the form the members write most,
/// with the stems of their words: the most members first, then the heaviest. Both words must be
/// among the group's [`PHRASE_WORDS`] heaviest shared words, so a phrase of common words ("last
/// week", "when the") is never one; small words between the two are skipped ("pool was
/// exhausted" is "pool exhausted"), a clause end is not.
fn shared_phrases(lib: &Library, stems: &Weights, members: &[usize]) -> Vec<(String, [u64; 2])> {
    let forms: HashMap<u64, &str> = ranked_words(stems, members.len()).into_iter().take(PHRASE_WORDS).collect();
    // (stem, stem) → members with it.
    let mut phrases: HashMap<[u64; 2], usize> = HashMap::new();
    for &m in members {
        let i = &lib.incidents[m];
        let texts = [i.doc.title.as_str()]
            .into_iter()
            .chain(i.doc.summary.as_deref())
            .chain(i.factor_texts.iter().map(|t| t.text.as_str()));
        let mut seen: HashSet<[u64; 2]> = HashSet::new();
        for clause in texts.flat_map(crate::analysis::suggest::clauses) {
            let mut last: Option<u64> = None;
            crate::text::each_word(clause, &mut String::new(), |folded| {
                if crate::text::is_stop(folded) {
                    return;
                }
                let stem = stem_of(folded);
                let shared = forms.contains_key(&stem);
                if let (Some(before), true) = (last, shared) {
                    if seen.insert([before, stem]) {
                        *phrases.entry([before, stem]).or_default() += 1;
                    }
                }
                last = shared.then_some(stem);
            });
        }
    }
    let weight = |s: &u64| stems.get(s).map_or(0.0, |e| e.1);
    let form = |s: &u64| forms.get(s).copied().unwrap_or_default();
    let mut ranked: Vec<(usize, f32, [u64; 2], String)> = phrases
        .into_iter()
        .filter(|&(key, n)| n >= needed(members.len()) && key[0] != key[1])
        .map(|(key, n)| (n, weight(&key[0]) + weight(&key[1]), key, format!("{} {}", form(&key[0]), form(&key[1]))))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.into_iter().map(|r| (r.3, r.2)).collect()
}

/// A group's label: its first phrases that share no word with one before them, then its words
/// that no chosen phrase holds, [`LABEL_WORDS`] items at most (`certificate expired, renewal`).
fn label(phrases: &[(String, [u64; 2])], words: &[String]) -> String {
    let mut used: HashSet<u64> = HashSet::new();
    let mut roots = Roots::default();
    let mut items: Vec<String> = Vec::new();
    for (form, key) in phrases {
        if items.len() == LABEL_PHRASES {
            break;
        }
        if key.iter().all(|s| !used.contains(s)) {
            used.extend(key);
            form.split(' ').for_each(|w| {
                roots.add(w);
            });
            items.push(form.clone());
        }
    }
    for w in words {
        if items.len() < LABEL_WORDS && roots.add(w) {
            items.push(w.clone());
        }
    }
    items.join(", ")
}

/// The stem hash of a folded word, remembered on the thread: the groups of a library share
/// most of their words, and stemming was the slow part of describing them.
fn stem_of(folded: &str) -> u64 {
    /// Words a thread remembers (a bound on its memory); past it, words are stemmed each time.
    const REMEMBERED: usize = 1 << 16;
    /// A thread's stemmer, and the stem hash of each word it has stemmed.
    type Known = (crate::text::Stems, HashMap<Box<str>, u64, Hashed>);
    thread_local! {
        static STEMS: std::cell::RefCell<Known> = std::cell::RefCell::new((crate::text::Stems::new(), HashMap::default()));
    }
    STEMS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (stems, known) = &mut *cell;
        if let Some(&stem) = known.get(folded) {
            return stem;
        }
        let stem = crate::model::stem_hash(&stems.stem(folded));
        if known.len() < REMEMBERED {
            known.insert(folded.into(), stem);
        }
        stem
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::similar;
    use crate::model::Terms;
    use std::sync::Arc;

    fn lib(docs: &[(&str, &str, &str)]) -> Library {
        let incidents = docs
            .iter()
            .map(|(id, date, text)| {
                let mut i = crate::analysis::testlib::incident(id, date, &["api"], &[]);
                i.terms = Terms::read(id, [*text]);
                Arc::new(i)
            })
            .collect();
        Library { incidents, ..Library::default() }
    }

    fn filler(docs: &mut Vec<(String, String, String)>) {
        let words = ["invoice", "ledger", "mobile", "search", "image", "queue", "backup", "kafka", "vendor", "quota"];
        for k in 0..20 {
            docs.push((
                format!("z{k}"),
                "2020-01-01".into(),
                format!("{} {} w{k}", words[k % 10], words[(k + 3) % 10]),
            ));
        }
    }

    fn gathered(docs: &[(String, String, String)]) -> (Library, Vec<Problem>) {
        let refs: Vec<(&str, &str, &str)> = docs.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        let lib = lib(&refs);
        let sim = similar::compute(&lib);
        let problems = gather(&lib, &sim);
        (lib, problems)
    }

    #[test]
    fn alike_incidents_form_one_problem_named_after_its_oldest() {
        let mut docs: Vec<(String, String, String)> = vec![
            ("c".into(), "2024-06-01".into(), "disk full logs rotation volume twice".into()),
            ("b".into(), "2023-06-01".into(), "disk full logs rotation host twice".into()),
            ("a".into(), "2022-06-01".into(), "disk full logs rotation node twice".into()),
        ];
        filler(&mut docs);
        let (lib, problems) = gathered(&docs);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!(p.id, "a");
        let members: Vec<&str> = p.incidents.iter().map(|&i| lib.incidents[i].doc.id.as_str()).collect();
        assert_eq!(members, ["a", "b", "c"], "oldest first");
        assert_eq!(p.first_seen.map(|d| d.to_string()).as_deref(), Some("2022-06-01"));
        assert_eq!(p.last_seen.map(|d| d.to_string()).as_deref(), Some("2024-06-01"));
        assert_eq!(p.services, ["api"]);
        for w in ["disk", "full", "logs", "rotation"] {
            assert!(p.words.iter().any(|x| x == w), "{:?}", p.words);
        }
        // All three write `twice` too, a generic word: it made them alike but names nothing.
        assert!(!p.words.iter().any(|x| x == "twice") && !p.label.contains("twice"), "{p:?}");
        assert_eq!(p.label.split(", ").count(), 3);
    }

    #[test]
    fn two_problems_that_share_one_rare_word_stay_apart() {
        // Two recurring problems, each a pair that reads alike, on the same unusual host named
        // in every title: with two words of a sentence all four write, enough to list each as
        // like the others, which the member rule alone let join them.
        let mut docs: Vec<(String, String, String)> = vec![
            (
                "gatekeeper-a1".into(),
                "2024-01-01".into(),
                "tls certificate expired renewal cron missed first seen".into(),
            ),
            (
                "gatekeeper-a2".into(),
                "2023-01-01".into(),
                "tls certificate expired renewal cron skipped first seen".into(),
            ),
            ("gatekeeper-b1".into(), "2022-01-01".into(), "disk full logs rotation stopped first seen".into()),
            ("gatekeeper-b2".into(), "2021-01-01".into(), "disk full logs rotation stalled first seen".into()),
        ];
        filler(&mut docs);
        let (lib, problems) = gathered(&docs);
        let sim = similar::compute(&lib);
        let across = [(0, 2), (0, 3), (1, 2), (1, 3)].map(|(x, y)| sim.score(x, y));
        let mean = across.iter().sum::<f32>() / 4.0;
        assert!(
            (GROUP_FLOOR..GROUPS_FLOOR).contains(&mean),
            "the test needs pairs across over the member floor: {across:?}"
        );
        let ids =
            |p: &Problem| -> Vec<String> { p.incidents.iter().map(|&i| lib.incidents[i].doc.id.clone()).collect() };
        let groups: Vec<Vec<String>> = problems.iter().map(ids).collect();
        assert_eq!(groups, [["gatekeeper-a2", "gatekeeper-a1"], ["gatekeeper-b2", "gatekeeper-b1"]], "{problems:?}");
    }

    #[test]
    fn words_of_one_root_are_taken_once() {
        let mut roots = Roots::default();
        let taken: Vec<&str> = [
            "delivering",
            "delivery",
            "Connections",
            "connection",
            "cert",
            "certificate",
            "pool",
            "poll",
            "log",
            "login",
        ]
        .into_iter()
        .filter(|w| roots.add(w))
        .collect();
        assert_eq!(taken, ["delivering", "Connections", "cert", "pool", "poll", "log", "login"]);
    }

    #[test]
    fn a_group_never_grows_by_chaining() {
        // a reads somewhat like b, and b like c, but a and c share nothing: no group holds all
        // three, since a and c would each read like half of it only.
        let mut docs: Vec<(String, String, String)> = vec![
            ("a".into(), "2024-01-01".into(), "alpha bravo charlie a1 a2 a3 a4 a5 a6 a7 a8 a9".into()),
            ("b".into(), "2023-01-01".into(), "alpha bravo charlie echo foxtrot golf b1 b2 b3 b4 b5 b6".into()),
            ("c".into(), "2022-01-01".into(), "echo foxtrot golf c1 c2 c3 c4 c5 c6 c7 c8 c9".into()),
        ];
        filler(&mut docs);
        let (lib, problems) = gathered(&docs);
        let sim = similar::compute(&lib);
        let (a, b, c) = (0, 1, 2);
        let (ab, bc, ac) = (sim.score(a, b), sim.score(b, c), sim.score(a, c));
        assert!(ab >= GROUP_FLOOR && bc >= GROUP_FLOOR && ac == 0.0, "{ab} {bc} {ac}");
        assert!((ab + ac) / 2.0 < GROUP_FLOOR, "the test needs a chain the floor breaks: {ab}");
        for p in &problems {
            let ids: Vec<&str> = p.incidents.iter().map(|&i| lib.incidents[i].doc.id.as_str()).collect();
            assert!(!(ids.contains(&"a") && ids.contains(&"c")), "{ids:?}");
            // Every member reads like the rest of its group.
            for &m in &p.incidents {
                let others: f32 = p.incidents.iter().filter(|&&o| o != m).map(|&o| sim.score(m, o)).sum();
                assert!(others / (p.incidents.len() - 1) as f32 >= GROUP_FLOOR);
            }
        }
        assert_eq!(problems.iter().filter(|p| p.incidents.contains(&b)).count(), 1, "b is in one group");
        let of = membership(&problems, lib.incidents.len());
        assert_eq!(of.len(), lib.incidents.len());
        for (i, group) in of.iter().enumerate() {
            assert_eq!(*group, problems.iter().position(|p| p.incidents.contains(&i)), "incident {i}");
        }
    }
}
