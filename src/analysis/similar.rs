//! Similar incidents (docs/similar.md): for each incident, the others whose words read most
//! alike, from the text alone, each with the words that made them similar.
//!
//! Each incident is a vector of its stems ([`crate::model::Terms`]): a stem weighs
//! (1 + ln tf) × ln(N / df), where tf counts the title's words [`TITLE_BOOST`] times, N is the
//! number of incidents and df how many have the stem, so words few incidents share count most.
//! Vectors are scaled to length 1 and the score of two incidents is their cosine, in 0..1.
//!
//! No incident is compared with every other: each puts its [`INDEXED`] heaviest stems in an
//! inverted index whose lists keep the [`POSTINGS`] incidents where the stem weighs most, so
//! candidates are the incidents that share a rare word, and the work per incident is bounded
//! whatever the library's size. The [`RESCORED`] best candidates by their shared indexed
//! stems are then scored exactly over the [`KEPT`] heaviest stems of both.

use crate::model::{Incident, Library, Terms};
use crate::text::hash::Hashed;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// How many times a title word counts: a title says what the incident was about.
pub(crate) const TITLE_BOOST: u32 = 3;
/// The heaviest stems of an incident kept for scoring (the vector's length is taken over all).
pub(crate) const KEPT: usize = 64;
/// The heaviest stems of an incident put in the inverted index.
pub(crate) const INDEXED: usize = 16;
/// The incidents a stem's posting list keeps (those where it weighs most).
pub(crate) const POSTINGS: usize = 128;
/// Stems in at most this many incidents are always rare enough to index.
pub(crate) const RARE: usize = 64;
/// Candidates scored exactly, per incident.
pub(crate) const RESCORED: usize = 48;
/// The most similar incidents listed per incident.
pub(crate) const LISTED: usize = 5;
/// The lowest score listed, chosen on the labelled library (docs/similar.md).
pub(crate) const FLOOR: f32 = 0.1;
/// The lowest title similarity `casebook new incident` mentions.
pub(crate) const TITLE_FLOOR: f64 = 0.15;
/// The fewest words two incidents share to be listed as similar, and the fewest of them no
/// generic word: one or two words in common are a coincidence more often than a recurrence,
/// and a reader is shown three to five.
pub(crate) const SHARED_MIN: usize = 3;
/// The most words shown for a pair.
const WORDS: usize = 5;

/// An incident that reads like another.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// Index into `Library::incidents`.
    pub incident: usize,
    /// Cosine similarity, 0..1.
    pub score: f32,
    /// The words that made them similar, heaviest first, as written.
    pub words: Vec<String>,
}

/// One incident's heaviest stems, by their numbers in the library (stems are numbered in the
/// order of their hashes, so vectors sorted by number meet their stems in hash order), with
/// weights scaled by the length of the whole vector and each stem's index into the incident's
/// `Terms::items`. Three arrays, so scoring a candidate reads four bytes of each of its stems
/// and a weight only where a stem is shared (this runs for every candidate of every incident,
/// and the vectors of a large library do not fit in a processor's cache).
#[derive(Debug, Clone, Default)]
pub(crate) struct Vector {
    /// Stem numbers, ascending.
    ids: Vec<u32>,
    /// Per stem: its weight.
    weights: Vec<f32>,
    /// Per stem: its index into `Terms::items`.
    items: Vec<u32>,
}

/// What similar incidents are computed from, kept to answer for a draft (`casebook similar`).
#[derive(Debug, Clone, Default)]
pub struct Similarity {
    /// Per incident, the most similar others, best first.
    pub lists: Vec<Vec<Similar>>,
    /// Per incident, its vector.
    pub(crate) vectors: Vec<Arc<Vector>>,
    /// Stem → number of incidents with it, its idf and its number.
    df: Frequencies,
    /// Per stem number: the stem's hash and the number of incidents with it.
    stems: Vec<(u64, u32)>,
    /// Per stem number: incidents where it is among the heaviest, heaviest first (capped).
    postings: Vec<Vec<(u32, f32)>>,
}

/// The similar incidents of every incident of `lib`.
pub(crate) fn compute(lib: &Library) -> Similarity {
    let n = lib.incidents.len();
    let (df, stems) = document_frequencies(&lib.incidents, n);
    let vectors: Vec<Arc<Vector>> =
        lib.incidents.par_iter().map(|i| Arc::new(vector(&i.terms, &df, n, true))).collect();
    let postings = postings(&vectors, &stems, n);
    let lists = (0..n)
        .into_par_iter()
        .map(|i| ranked(lib, &vectors, &postings, &vectors[i], &lib.incidents[i].terms, Some(i), LISTED))
        .collect();
    Similarity { lists, vectors, df, stems, postings }
}

impl Similarity {
    /// The incidents of `lib` that read most like `terms` (a draft, or an incident of `lib`
    /// given as `own` and left out), best first, at most `top`, none under the floor.
    pub fn query(&self, lib: &Library, terms: &Terms, own: Option<usize>, top: usize) -> Vec<Similar> {
        let v = match own.and_then(|i| self.vectors.get(i)) {
            Some(v) => v.clone(),
            None => Arc::new(vector(terms, &self.df, lib.incidents.len(), false)),
        };
        ranked(lib, &self.vectors, &self.postings, &v, terms, own, top)
    }

    /// The incidents whose titles read most like the title words of `terms`, best first, at
    /// most `top`, none under `TITLE_FLOOR`: a cosine over title stems alone, weighted by
    /// rarity as in the library. One pass over the incidents (for one question, not a build).
    pub fn titles_like(&self, lib: &Library, terms: &Terms, top: usize) -> Vec<usize> {
        let n = lib.incidents.len().max(1) as f64;
        let weigh = |t: &Terms| -> Vec<(u64, f64)> {
            let idf = |stem: u64| (n / f64::from(self.df.get(&stem).map_or(0, |d| d.0).max(1))).ln();
            // A generic word (`after`, `again`) shared by two titles says nothing of what either was.
            t.items.iter().filter(|x| x.title > 0 && !x.generic).map(|x| (x.stem, idf(x.stem))).collect()
        };
        let cos = |a: &[(u64, f64)], b: &[(u64, f64)]| {
            let len = |v: &[(u64, f64)]| v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
            let dot: f64 = a.iter().filter_map(|x| b.iter().find(|y| y.0 == x.0).map(|y| x.1 * y.1)).sum();
            let l = len(a) * len(b);
            if l == 0.0 {
                0.0
            } else {
                dot / l
            }
        };
        let q = weigh(terms);
        let mut scored: Vec<(usize, f64)> = lib
            .incidents
            .iter()
            .enumerate()
            .map(|(i, inc)| (i, cos(&q, &weigh(&inc.terms))))
            .filter(|&(_, s)| s >= TITLE_FLOOR)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.into_iter().take(top).map(|(i, _)| i).collect()
    }

    /// The cosine of incidents `a` and `b`.
    pub(crate) fn score(&self, a: usize, b: usize) -> f32 {
        Marked::with(&self.vectors[a], self.stems.len(), |m| m.dot_shared(&self.vectors[b]).0)
    }

    /// The stems of incident `i`'s vector: (stem hash, weight, index into its `Terms::items`).
    pub(crate) fn weighted(&self, i: usize) -> impl Iterator<Item = (u64, f32, u32)> + '_ {
        let v = &self.vectors[i];
        v.ids.iter().zip(&v.weights).zip(&v.items).map(|((&id, &w), &k)| (self.stems[id as usize].0, w, k))
    }
}

/// Stem → the number of incidents that have it, its idf and its number.
type Frequencies = HashMap<u64, (u32, f64, u32), Hashed>;

/// The ln(N / df) of a stem in `df` of `n` incidents (a stem no incident has counts as in one).
fn idf(n: usize, df: u32) -> f64 {
    (n.max(1) as f64 / f64::from(df.max(1))).ln()
}

/// Stem → the number of the `n` incidents that have it, its idf (found once per stem, not once
/// per incident that has it) and its number; and per number, the stem's hash and count.
fn document_frequencies(incidents: &[Arc<Incident>], n: usize) -> (Frequencies, Vec<(u64, u32)>) {
    let counts = incidents
        .par_chunks(256)
        .map(|chunk| {
            let mut df: HashMap<u64, u32, Hashed> = HashMap::default();
            for i in chunk {
                for t in &i.terms.items {
                    *df.entry(t.stem).or_default() += 1;
                }
            }
            df
        })
        .reduce(HashMap::default, |mut a, b| {
            let (big, small) = if a.len() >= b.len() { (&mut a, b) } else { return merge(b, a) };
            for (k, v) in small {
                *big.entry(k).or_default() += v;
            }
            a
        });
    let mut stems: Vec<(u64, u32)> = counts.into_iter().collect();
    stems.sort_unstable();
    let df = stems.iter().enumerate().map(|(id, &(stem, d))| (stem, (d, idf(n, d), id as u32))).collect();
    (df, stems)
}

fn merge(mut big: HashMap<u64, u32, Hashed>, small: HashMap<u64, u32, Hashed>) -> HashMap<u64, u32, Hashed> {
    for (k, v) in small {
        *big.entry(k).or_default() += v;
    }
    big
}

/// The weighted vector of `terms` in a library of `n` incidents with frequencies `df`: its
/// [`KEPT`] heaviest stems that another incident has, scaled by the length of the whole
/// vector. `own` is whether `terms` are one of the `n` (so counted in `df`).
fn vector(terms: &Terms, df: &Frequencies, n: usize, own: bool) -> Vector {
    let mut length = 0.0f64;
    let mut weighted: Vec<(u32, f64, u32)> = Vec::with_capacity(terms.items.len());
    for (k, t) in terms.items.iter().enumerate() {
        // A draft's stem that no incident has counts as in one (its own), and has no number.
        let (d, idf, id) = df.get(&t.stem).copied().unwrap_or_else(|| (0, idf(n, 0), u32::MAX));
        let w = damped(u32::from(t.text) + TITLE_BOOST * u32::from(t.title)) * idf;
        length += w * w;
        // A stem no other incident has adds to the length and to no cosine.
        if w > 0.0 && d > u32::from(own) {
            weighted.push((id, w, k as u32));
        }
    }
    let length = length.sqrt();
    if length == 0.0 {
        return Vector::default();
    }
    if weighted.len() > KEPT {
        weighted.select_nth_unstable_by(KEPT, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(KEPT);
    }
    weighted.sort_unstable_by_key(|t| t.0);
    Vector {
        ids: weighted.iter().map(|t| t.0).collect(),
        weights: weighted.iter().map(|t| (t.1 / length) as f32).collect(),
        items: weighted.iter().map(|t| t.2).collect(),
    }
}

/// 1 + ln `tf`, the weight of a stem written `tf` times (`tf` ≥ 1), from a table for the
/// small counts most stems have.
fn damped(tf: u32) -> f64 {
    static SMALL: std::sync::LazyLock<Vec<f64>> =
        std::sync::LazyLock::new(|| (0..256u32).map(|tf| 1.0 + f64::from(tf).ln()).collect());
    match SMALL.get(tf as usize) {
        Some(&w) => w,
        None => 1.0 + f64::from(tf).ln(),
    }
}

/// Stem → the incidents that have it among their [`INDEXED`] heaviest, heaviest first, at
/// most [`POSTINGS`] of them. Only rare stems are indexed: those in at most [`RARE`] incidents
/// or a hundredth of the library, whichever is more (a stem most incidents share finds no
/// particular one, and would make every incident a candidate of every other).
fn postings(vectors: &[Arc<Vector>], stems: &[(u64, u32)], n: usize) -> Vec<Vec<(u32, f32)>> {
    let rare = RARE.max(n / 100) as u32;
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); stems.len()];
    for (i, v) in vectors.iter().enumerate() {
        for (id, w) in heaviest(v) {
            if stems[id as usize].1 <= rare {
                postings[id as usize].push((i as u32, w));
            }
        }
    }
    postings.par_iter_mut().for_each(|list| {
        list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(POSTINGS);
    });
    postings
}

/// The [`INDEXED`] heaviest stems of a vector: (stem number, weight).
fn heaviest(v: &Vector) -> Vec<(u32, f32)> {
    let mut by_weight: Vec<(u32, f32)> = v.ids.iter().copied().zip(v.weights.iter().copied()).collect();
    by_weight.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    by_weight.truncate(INDEXED);
    by_weight
}

/// A vector spread over a table by stem number, so that its cosine with each candidate is one
/// look-up per stem of the candidate rather than a merge of the two (a merge's steps depend on
/// each other; these do not). A thread's table is kept and marked anew for each vector.
struct Marked<'a> {
    /// Per stem number: the vector's weight, and the mark of the vector it is from.
    table: &'a [(f32, u32)],
    mark: u32,
}

thread_local! {
    /// This thread's table for [`Marked`], and the last mark given.
    static MARKED: std::cell::RefCell<(Vec<(f32, u32)>, u32)> = const { std::cell::RefCell::new((Vec::new(), 0)) };
}

impl Marked<'_> {
    /// Runs `f` with `v` spread over this thread's table of `stems` stem numbers.
    fn with<R>(v: &Vector, stems: usize, f: impl FnOnce(&Marked) -> R) -> R {
        MARKED.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (table, last) = &mut *cell;
            if table.len() < stems {
                table.resize(stems, (0.0, 0));
            }
            *last = last.wrapping_add(1);
            if *last == 0 {
                // Marks went round: forget the old ones, so none can be taken for this one.
                table.iter_mut().for_each(|t| t.1 = 0);
                *last = 1;
            }
            let mark = *last;
            for (&id, &w) in v.ids.iter().zip(&v.weights) {
                table[id as usize] = (w, mark);
            }
            f(&Marked { table, mark })
        })
    }

    /// The cosine of the marked vector and `b` (capped at 1), and how many stems they share:
    /// the products of their shared stems' weights, added in the order of `b`'s stem numbers.
    fn dot_shared(&self, b: &Vector) -> (f32, usize) {
        let (mut sum, mut shared) = (0.0f32, 0);
        for (&id, &wb) in b.ids.iter().zip(&b.weights) {
            let (wa, mark) = self.table[id as usize];
            let same = mark == self.mark;
            sum += if same { wa * wb } else { 0.0 };
            shared += usize::from(same);
        }
        (sum.min(1.0), shared)
    }
}

/// The incidents most like `v` (whose stems index into `terms`), `own` left out.
fn ranked(
    lib: &Library,
    vectors: &[Arc<Vector>],
    postings: &[Vec<(u32, f32)>],
    v: &Vector,
    terms: &Terms,
    own: Option<usize>,
    top: usize,
) -> Vec<Similar> {
    // Candidates, by what their shared indexed stems add up to.
    let mut partial: HashMap<u32, f32, Hashed> = HashMap::default();
    for (id, w) in heaviest(v) {
        for &(j, wj) in postings.get(id as usize).map_or(&[][..], |l| l.as_slice()) {
            if Some(j as usize) != own {
                *partial.entry(j).or_default() += w * wj;
            }
        }
    }
    let mut candidates: Vec<(u32, f32)> = partial.into_iter().collect();
    candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(RESCORED);
    let mut scored: Vec<(usize, f32)> = Marked::with(v, postings.len(), |marked| {
        candidates
            .into_iter()
            .map(|(j, _)| (j as usize, marked.dot_shared(&vectors[j as usize])))
            .filter(|&(_, (s, shared))| s >= FLOOR && shared >= SHARED_MIN)
            .map(|(j, (s, _))| (j, s))
            .collect()
    });
    // The words a reader is shown must be enough too: generic ones are not shown.
    scored.retain(|&(j, _)| telling(v, terms, &vectors[j]).count() >= SHARED_MIN);
    // Best first; ties to the newer incident (incidents are newest first), then the id.
    scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(top);
    scored
        .into_iter()
        .map(|(j, score)| Similar {
            incident: j,
            score,
            words: shared_words(v, terms, &vectors[j], &lib.incidents[j].terms),
        })
        .collect()
}

/// The stems two vectors share that are no generic word (`Term::generic`), as their indexes
/// into `a` and `b`, in stem order.
fn telling<'v>(a: &'v Vector, a_terms: &'v Terms, b: &'v Vector) -> impl Iterator<Item = (usize, usize)> + 'v {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.ids.len() && j < b.ids.len() {
            match a.ids[i].cmp(&b.ids[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let found = (i, j);
                    i += 1;
                    j += 1;
                    // A generic word adds to the score but tells a reader nothing.
                    if !a_terms.items[a.items[found.0] as usize].generic {
                        return Some(found);
                    }
                }
            }
        }
        None
    })
}

/// The words two vectors share that add most to their cosine, as written: each stem in the
/// form the two incidents write most, no generic word. At most [`WORDS`], and none that
/// adds under a tenth of what the first adds, unless fewer than three would be left.
pub(crate) fn shared_words(a: &Vector, a_terms: &Terms, b: &Vector, b_terms: &Terms) -> Vec<String> {
    let mut shared: Vec<(f32, u32, u32, u32)> =
        telling(a, a_terms, b).map(|(i, j)| (a.weights[i] * b.weights[j], a.ids[i], a.items[i], b.items[j])).collect();
    shared.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let first = shared.first().map_or(0.0, |s| s.0);
    shared
        .iter()
        .enumerate()
        .take_while(|(k, s)| *k < 3 || s.0 >= first / 10.0)
        .take(WORDS)
        .map(|(_, &(_, _, ka, kb))| {
            let (ka, kb) = (ka as usize, kb as usize);
            let (fa, fb) = (&a_terms.items[ka], &b_terms.items[kb]);
            let (wa, wb) = (a_terms.form(ka), b_terms.form(kb));
            // The same form on both incidents' pages: the more written, else the later sorted.
            if (fb.form_count, wb) > (fa.form_count, wa) {
                wb.to_string()
            } else {
                wa.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::incident;

    /// A vector of the given stem numbers (any order, repeats dropped) and weights.
    fn vector_of(stems: &[(u32, f32)]) -> Vector {
        let mut s: Vec<(u32, f32)> = stems.to_vec();
        s.sort_by_key(|x| x.0);
        s.dedup_by_key(|x| x.0);
        Vector {
            ids: s.iter().map(|x| x.0).collect(),
            weights: s.iter().map(|x| x.1).collect(),
            items: (0..s.len() as u32).collect(),
        }
    }

    /// The cosine of two vectors by a merge of their sorted stems, and how many they share: the
    /// plain way, which the look-up must give to the bit.
    fn merged(a: &Vector, b: &Vector) -> (f32, usize) {
        let (mut i, mut j, mut sum, mut shared) = (0, 0, 0.0f32, 0);
        while i < a.ids.len() && j < b.ids.len() {
            match a.ids[i].cmp(&b.ids[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a.weights[i] * b.weights[j];
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (sum.min(1.0), shared)
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(128))]

        /// The cosine by look-up is the merge's to the bit, and counts the same shared stems,
        /// whatever vector was marked on the thread before.
        #[test]
        fn marked_dot_is_the_merge(
            a in proptest::collection::vec((0u32..200, 0.001f32..1.0), 0..64),
            b in proptest::collection::vec((0u32..200, 0.001f32..1.0), 0..64),
            before in proptest::collection::vec((0u32..200, 0.001f32..1.0), 0..64),
        ) {
            let (a, b, before) = (vector_of(&a), vector_of(&b), vector_of(&before));
            Marked::with(&before, 200, |_| ());
            let (want, got) = (merged(&a, &b), Marked::with(&a, 200, |m| m.dot_shared(&b)));
            proptest::prop_assert_eq!(want.0.to_bits(), got.0.to_bits());
            proptest::prop_assert_eq!(want.1, got.1);
        }
    }

    /// A library of incidents given as (id, date, title, body), newest first.
    pub(crate) fn library(docs: &[(&str, &str, &str, &str)]) -> Library {
        let incidents = docs
            .iter()
            .map(|(id, date, title, body)| {
                let mut i = incident(id, date, &[], &[]);
                i.doc.title = title.to_string();
                i.terms = Terms::read(title, [*body]);
                Arc::new(i)
            })
            .collect();
        Library { incidents, ..Library::default() }
    }

    fn unrelated(k: usize) -> (String, String) {
        let words = ["invoice", "ledger", "mobile", "search", "image", "queue", "backup", "kafka", "vendor", "quota"];
        let (a, b) = (words[k % 10], words[(k * 3 + 1) % 10]);
        (format!("{a} {b} trouble {k}"), format!("The {a} service had a {b} problem number{k} once."))
    }

    fn sample() -> Library {
        among_unrelated(vec![
            (
                "cert-b".into(),
                "2024-05-01".into(),
                "Partner TLS certificate expired again".into(),
                "The TLS certificate of the partner gateway expired; renewal was manual. Handshakes failed.".into(),
            ),
            (
                "pool".into(),
                "2024-03-01".into(),
                "Checkout database pool exhausted".into(),
                "Connections to the database ran out; the pool was exhausted by a slow query.".into(),
            ),
            (
                "cert-a".into(),
                "2023-01-01".into(),
                "Expired certificate broke the partner API".into(),
                "Handshakes failed because the certificate expired. Renewal was a manual task nobody owned.".into(),
            ),
        ])
    }

    /// A library of `docs` (id, date, title, body) and twelve unrelated incidents after them.
    fn among_unrelated(mut docs: Vec<(String, String, String, String)>) -> Library {
        for k in 0..12 {
            let (title, body) = unrelated(k);
            docs.push((format!("other-{k}"), "2022-01-01".into(), title, body));
        }
        let refs: Vec<(&str, &str, &str, &str)> =
            docs.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
        library(&refs)
    }

    fn ids<'l>(lib: &'l Library, list: &[Similar]) -> Vec<&'l str> {
        list.iter().map(|s| lib.incidents[s.incident].doc.id.as_str()).collect()
    }

    #[test]
    fn incidents_about_one_problem_list_each_other_with_the_words_they_share() {
        let lib = sample();
        let sim = compute(&lib);
        assert_eq!(ids(&lib, &sim.lists[0]).first(), Some(&"cert-a"), "{:?}", sim.lists[0]);
        assert_eq!(ids(&lib, &sim.lists[2]).first(), Some(&"cert-b"));
        let words = &sim.lists[0][0].words;
        assert!((3..=5).contains(&words.len()), "{words:?}");
        for w in ["certificate", "expired", "partner"] {
            assert!(words.iter().any(|x| x == w), "`{w}` not in {words:?}");
        }
        // The cosine is symmetric and in 0..1.
        let (ab, ba) = (sim.score(0, 2), sim.score(2, 0));
        assert_eq!(ab, ba);
        assert!(ab > FLOOR && ab <= 1.0, "{ab}");
        // The pool incident shares no rare word with the certificate ones.
        assert!(!ids(&lib, &sim.lists[1]).contains(&"cert-a"), "{:?}", sim.lists[1]);
    }

    #[test]
    fn generic_words_count_but_are_never_shown() {
        let lib = among_unrelated(vec![
            (
                "lag-b".into(),
                "2024-05-01".into(),
                "Kafka consumer lag, twice".into(),
                "Both consumers looked stuck, like before: the rebalance happened twice and lag grew.".into(),
            ),
            (
                "lag-a".into(),
                "2023-01-01".into(),
                "Consumer lag after a rebalance".into(),
                "Both consumer groups looked stuck like last time; a rebalance happened twice, so lag grew.".into(),
            ),
        ]);
        let generic = |i: usize| lib.incidents[i].terms.items.iter().filter(|t| t.generic).count();
        assert!(generic(0) >= 4 && generic(1) >= 4, "both, looked, like, happened, twice are generic");
        let sim = compute(&lib);
        let words = &sim.lists[0][0].words;
        assert_eq!(ids(&lib, &sim.lists[0]), ["lag-a"]);
        for w in ["Both", "both", "looked", "like", "happened", "twice"] {
            assert!(!words.iter().any(|x| x == w), "`{w}` shown in {words:?}");
        }
        for w in ["lag", "rebalance", "stuck"] {
            assert!(words.iter().any(|x| x == w), "`{w}` not in {words:?}");
        }
    }

    #[test]
    fn incidents_that_share_one_telling_word_and_generic_ones_are_not_listed() {
        let lib = among_unrelated(vec![
            (
                "zk-b".into(),
                "2024-05-01".into(),
                "Zookeeper session expiry".into(),
                "Both brokers looked fine, like before; it happened twice.".into(),
            ),
            (
                "zk-a".into(),
                "2023-01-01".into(),
                "Zookeeper disk alarm".into(),
                "Both nodes looked fine, like before; it happened twice.".into(),
            ),
        ]);
        let sim = compute(&lib);
        assert!(sim.score(0, 1) >= FLOOR, "the test needs a pair over the floor: {}", sim.score(0, 1));
        assert!(sim.lists[0].is_empty() && sim.lists[1].is_empty(), "{:?}", sim.lists);
    }

    #[test]
    fn titles_alike_by_a_generic_word_only_are_not_alike() {
        let lib = among_unrelated(vec![
            (
                "outage".into(),
                "2024-05-01".into(),
                "Checkout outage after the deploy".into(),
                "A bad deploy broke checkout.".into(),
            ),
            (
                "lag".into(),
                "2023-01-01".into(),
                "Consumer lag after failover".into(),
                "Lag grew after failover.".into(),
            ),
        ]);
        let sim = compute(&lib);
        let title = |t: &str| Terms::read(t, []);
        assert!(sim.titles_like(&lib, &title("Queue backlog after failover"), 3).contains(&1), "failover is shared");
        let got = sim.titles_like(&lib, &title("Gateway latency after a restart"), 3);
        assert!(got.is_empty(), "{:?}", got.iter().map(|&i| &lib.incidents[i].doc.title).collect::<Vec<_>>());
    }

    #[test]
    fn an_incident_like_no_other_lists_none_and_never_itself() {
        let lib = sample();
        let sim = compute(&lib);
        for (i, list) in sim.lists.iter().enumerate() {
            assert!(list.iter().all(|s| s.incident != i && s.score >= FLOOR), "{list:?}");
            assert!(list.len() <= LISTED);
        }
        let lone = Terms::read("Quasar zeppelin", ["Zeppelin quasar marmalade."]);
        assert!(sim.query(&lib, &lone, None, 5).is_empty());
    }

    #[test]
    fn a_draft_finds_the_incidents_it_reads_like() {
        let lib = sample();
        let sim = compute(&lib);
        let draft = Terms::read("Certificate expired on the partner gateway", ["TLS handshakes failed after expiry."]);
        let found = sim.query(&lib, &draft, None, 2);
        let mut got = ids(&lib, &found);
        got.sort_unstable();
        assert_eq!(got, ["cert-a", "cert-b"]);
        // An incident of the library asked about is left out of its own answer.
        let own = sim.query(&lib, &lib.incidents[2].terms, Some(2), 5);
        assert_eq!(ids(&lib, &own).first(), Some(&"cert-b"));
        assert!(!ids(&lib, &own).contains(&"cert-a"));
    }

    #[test]
    fn similar_lists_are_the_same_on_every_run() {
        let lib = sample();
        let (a, b) = (compute(&lib), compute(&lib));
        assert_eq!(a.lists, b.lists);
    }
}
