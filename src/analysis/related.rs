//! Related incidents (docs/site.md): for each incident, the others that share its factors, rare
//! factors weighing more than common ones.
//!
//! score(i, j) = Σ over factors f shared by i and j of ln(N / df(f)), where N is the number
//! of incidents and df(f) how many name f. Ties go to more shared services, then to the newer
//! incident. Weights are kept as fixed-point integers so equal sets of shared factors tie
//! exactly and the order is the same on every machine.
//!
//! It stays near-linear: a factor in at most [`RARE`] incidents gives every incident on its
//! posting list as a candidate, but a more common one only its [`WINDOW`] newest incidents
//! (the ones that win its ties). Each candidate is then scored exactly by intersecting the
//! two incidents' factor lists, so the work per incident is bounded by its factor count ×
//! [`RARE`], however common its factors are. A candidate reached through no rare factor and
//! outside every common factor's window is missed; it could only have shared common factors.

use crate::model::{slugify, Library};
use std::collections::HashMap;

/// How many related incidents a page lists.
pub(crate) const RELATED: usize = 5;

/// Factors in at most this many incidents are expanded in full.
pub(crate) const RARE: usize = 256;

/// How many of a common factor's newest incidents become candidates.
pub(crate) const WINDOW: usize = 64;

/// Fixed-point scale of the weights (2^20).
const SCALE: f64 = 1_048_576.0;

/// The weight of a factor in `df` of `n` incidents, ln(n / df), in fixed point.
pub(crate) fn weight(n: usize, df: usize) -> u64 {
    if df == 0 || n == 0 {
        return 0;
    }
    ((n as f64 / df as f64).ln() * SCALE).round().max(0.0) as u64
}

/// Each incident's factors and services as sorted numbers, and each factor's posting list.
struct Index {
    factors: Vec<Vec<u32>>,
    services: Vec<Vec<u32>>,
    /// Factor number → incidents naming it, newest first.
    postings: Vec<Vec<usize>>,
    weights: Vec<u64>,
}

impl Index {
    fn new(lib: &Library) -> Index {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut postings: Vec<Vec<usize>> = Vec::new();
        let mut factors = Vec::with_capacity(lib.incidents.len());
        for (i, inc) in lib.incidents.iter().enumerate() {
            let mut mine: Vec<u32> = inc
                .factors
                .iter()
                .map(|f| {
                    let next = ids.len() as u32;
                    *ids.entry(f.id.as_str()).or_insert(next)
                })
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &f in &mine {
                if postings.len() <= f as usize {
                    postings.resize(f as usize + 1, Vec::new());
                }
                postings[f as usize].push(i);
            }
            factors.push(mine);
        }
        let mut service_ids: HashMap<String, u32> = HashMap::new();
        let services = lib
            .incidents
            .iter()
            .map(|inc| {
                let mut s: Vec<u32> = inc
                    .services
                    .iter()
                    .map(|s| {
                        let next = service_ids.len() as u32;
                        *service_ids.entry(slugify(s)).or_insert(next)
                    })
                    .collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect();
        let n = lib.incidents.len();
        let weights = postings.iter().map(|p| weight(n, p.len())).collect();
        Index { factors, services, postings, weights }
    }
}

/// How many numbers two sorted lists share, and the sum of `weights` over them.
fn intersect(a: &[u32], b: &[u32], weights: Option<&[u64]>) -> (usize, u64) {
    let (mut x, mut y, mut count, mut sum) = (0, 0, 0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                sum += weights.map_or(0, |w| w[a[x] as usize]);
                x += 1;
                y += 1;
            }
        }
    }
    (count, sum)
}

/// For each incident, up to [`RELATED`] others as (index, shared factor count), best first.
pub(crate) fn related(lib: &Library) -> Vec<Vec<(usize, usize)>> {
    use rayon::prelude::*;
    let n = lib.incidents.len();
    let ix = Index::new(lib);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![false; n], Vec::new()),
            |(seen, candidates), i| {
                for &f in &ix.factors[i] {
                    let posting = &ix.postings[f as usize];
                    let take = if posting.len() <= RARE { posting.len() } else { WINDOW };
                    for &j in &posting[..take] {
                        if j != i && !seen[j] {
                            seen[j] = true;
                            candidates.push(j);
                        }
                    }
                }
                // (score, shared services, index): more, more, lower (incidents are newest first).
                let mut scored: Vec<(u64, usize, usize, usize)> = candidates
                    .iter()
                    .map(|&j| {
                        let (shared, score) = intersect(&ix.factors[i], &ix.factors[j], Some(&ix.weights));
                        let (services, _) = intersect(&ix.services[i], &ix.services[j], None);
                        (score, services, j, shared)
                    })
                    .collect();
                for &j in candidates.iter() {
                    seen[j] = false;
                }
                candidates.clear();
                let order = |a: &(u64, usize, usize, usize), b: &(u64, usize, usize, usize)| {
                    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
                };
                if scored.len() > RELATED {
                    scored.select_nth_unstable_by(RELATED, order);
                    scored.truncate(RELATED);
                }
                scored.sort_by(order);
                scored.into_iter().map(|(_, _, j, shared)| (j, shared)).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::incident;

    #[test]
    fn weights_are_log_of_n_over_df() {
        // (n, df, ln(n/df) to three places)
        let cases = [(100, 1, 4.605), (100, 50, 0.693), (100, 100, 0.0), (8, 2, 1.386), (0, 0, 0.0)];
        for (n, df, want) in cases {
            let got = weight(n, df) as f64 / SCALE;
            assert!((got - want).abs() < 0.001, "weight({n}, {df}) = {got}, want {want}");
        }
    }

    /// The related ids of incident `of`, best first.
    fn ids(lib: &Library, of: usize) -> Vec<&str> {
        related(lib)[of].iter().map(|&(j, _)| lib.incidents[j].doc.id.as_str()).collect()
    }

    #[test]
    fn a_shared_rare_factor_outranks_two_shared_common_ones() {
        // Newest first. `common` and `usual` are in most incidents, `rare` in two.
        let lib = Library {
            incidents: [
                incident("a", "2024-06-01", &[], &["common", "usual", "rare"]),
                incident("b", "2024-05-01", &[], &["common", "usual"]),
                incident("c", "2024-04-01", &[], &["rare"]),
                incident("d", "2024-03-01", &[], &["common", "usual"]),
                incident("e", "2024-02-01", &[], &["common", "usual"]),
                incident("f", "2024-01-01", &[], &["common"]),
            ]
            .map(std::sync::Arc::new)
            .to_vec(),
            ..Library::default()
        };
        // For a: c shares rare (ln 3 ≈ 1.10); b, d, e share common and usual
        // (ln 6/5 + ln 6/4 ≈ 0.59); f shares common only (≈ 0.18).
        assert_eq!(ids(&lib, 0), ["c", "b", "d", "e", "f"]);
        assert_eq!(related(&lib)[0][0], (2, 1), "one shared factor");
        assert_eq!(related(&lib)[0][1], (1, 2), "two shared factors");
    }

    #[test]
    fn ties_go_to_shared_services_then_the_newer_incident() {
        let lib = Library {
            incidents: [
                incident("a", "2024-06-01", &["checkout"], &["x"]),
                incident("b", "2024-05-01", &["search"], &["x"]),
                incident("c", "2024-04-01", &["Checkout"], &["x"]),
                incident("d", "2024-03-01", &[], &["x"]),
                incident("e", "2024-02-01", &[], &["y"]),
            ]
            .map(std::sync::Arc::new)
            .to_vec(),
            ..Library::default()
        };
        assert_eq!(ids(&lib, 0), ["c", "b", "d"], "c shares checkout; then newest first");
        assert_eq!(ids(&lib, 3), ["a", "b", "c"]);
        assert!(ids(&lib, 4).is_empty());
    }

    #[test]
    fn common_factors_give_only_their_newest_incidents_as_candidates() {
        // One factor in RARE + 10 incidents: the oldest incident is outside the window, so
        // its related list comes from the window alone, and the newest are listed.
        let n = RARE + 10;
        let incidents = (0..n)
            .map(|k| std::sync::Arc::new(incident(&format!("i{k:04}"), "2024-01-01", &[], &["everywhere"])))
            .collect();
        let lib = Library { incidents, ..Library::default() };
        let r = related(&lib);
        assert_eq!(r[n - 1].iter().map(|&(j, _)| j).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        assert_eq!(r[0].iter().map(|&(j, _)| j).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    }
}
