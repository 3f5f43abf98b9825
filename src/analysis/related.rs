//! Related incidents: for each incident, the [`RELATED`] others that share the most factors
//! with it, newest first among equals (incidents are sorted newest first, so a lower index is
//! newer).
//!
//! Counting, for each incident, every incident that shares a factor with it is quadratic when a
//! factor is common (a factor on a quarter of 100,000 incidents makes it 25,000 per incident).
//! So every set of up to [`MAX_SHARED`] of an incident's factors has a list of the incidents
//! holding all of them, and an incident's related ones are read level by level: first the
//! newest incidents holding all its factors, then those holding all but one, and so on, each
//! level stopping as soon as the list is full; a level only ever reads a few entries of each
//! list. Incidents with more factors than that (rare) are counted the old way, and counted in
//! for everyone else.

use super::RELATED;
use std::collections::HashMap;

/// Incidents with at most this many factors are listed under each set of their factors.
const MAX_SHARED: usize = 4;

/// A set of factor numbers, ascending, padded with `u32::MAX`.
type Key = [u32; MAX_SHARED];

/// For each incident (given as its factors, as numbers), its related incidents and how many
/// factors each shares with it, most shared first, then newest.
pub(crate) fn related(factors: &[Vec<u32>]) -> Vec<Vec<(usize, usize)>> {
    use rayon::prelude::*;
    let sets: Vec<Vec<u32>> = factors
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.sort_unstable();
            f.dedup();
            f
        })
        .collect();
    let mut lists: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut by_factor: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut wide = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        set.iter().for_each(|&f| by_factor.entry(f).or_default().push(i));
        if set.len() > MAX_SHARED {
            wide.push(i);
            continue;
        }
        for size in 1..=set.len() {
            each_subset(set, size, &mut |key| lists.entry(key).or_default().push(i));
        }
    }
    let index = Index { sets: &sets, lists: &lists, by_factor: &by_factor, wide: &wide };
    (0..sets.len()).into_par_iter().map_init(|| vec![0u32; sets.len()], |counts, i| index.of(i, counts)).collect()
}

struct Index<'a> {
    sets: &'a [Vec<u32>],
    lists: &'a HashMap<Key, Vec<usize>>,
    by_factor: &'a HashMap<u32, Vec<usize>>,
    /// Incidents with more than [`MAX_SHARED`] factors, in no list of sets.
    wide: &'a [usize],
}

/// Most shared first, then newest.
fn order(a: &(usize, usize), b: &(usize, usize)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
}

impl Index<'_> {
    fn of(&self, i: usize, counts: &mut [u32]) -> Vec<(usize, usize)> {
        let set = &self.sets[i];
        if set.len() > MAX_SHARED {
            return self.counted(i, counts);
        }
        let mut best = self.by_levels(i);
        // The incidents in no list, counted in: the best of both is the best of all.
        for &j in self.wide.iter().filter(|&&j| j != i) {
            let shared = self.sets[j].iter().filter(|f| set.binary_search(f).is_ok()).count();
            if shared > 0 {
                keep_best(&mut best, (j, shared));
            }
        }
        best
    }

    /// The best among incidents in the lists, level by level (see the module docs).
    fn by_levels(&self, i: usize) -> Vec<(usize, usize)> {
        let set = &self.sets[i];
        let mut best: Vec<(usize, usize)> = Vec::with_capacity(RELATED);
        for size in (1..=set.len()).rev() {
            let need = RELATED - best.len();
            if need == 0 {
                break;
            }
            // Everyone holding `size` of the factors shares at least that many; those sharing
            // more were all taken at a higher level (else it would have filled the list).
            let mut level: Vec<usize> = Vec::new();
            each_subset(set, size, &mut |key| {
                let fresh =
                    self.lists.get(&key).into_iter().flatten().filter(|&&j| j != i && !best.iter().any(|b| b.0 == j));
                level.extend(fresh.take(need));
            });
            level.sort_unstable();
            level.dedup();
            best.extend(level.into_iter().take(need).map(|j| (j, size)));
        }
        best
    }

    /// Every incident sharing a factor, counted (for an incident with many factors).
    fn counted(&self, i: usize, counts: &mut [u32]) -> Vec<(usize, usize)> {
        let mut touched = Vec::new();
        for f in &self.sets[i] {
            for &j in self.by_factor.get(f).into_iter().flatten().filter(|&&j| j != i) {
                if counts[j] == 0 {
                    touched.push(j);
                }
                counts[j] += 1;
            }
        }
        let mut best = Vec::with_capacity(RELATED + 1);
        for &j in &touched {
            keep_best(&mut best, (j, counts[j] as usize));
            counts[j] = 0;
        }
        best
    }
}

/// Adds `candidate` to `best` (sorted, at most [`RELATED`] long) if it is among the best.
fn keep_best(best: &mut Vec<(usize, usize)>, candidate: (usize, usize)) {
    if best.len() == RELATED && best.last().is_some_and(|w| order(&candidate, w).is_ge()) {
        return;
    }
    let at = best.partition_point(|b| order(b, &candidate).is_lt());
    best.insert(at, candidate);
    best.truncate(RELATED);
}

/// Calls `f` with every subset of `set` (ascending, at most [`MAX_SHARED`] long) of `size`.
fn each_subset(set: &[u32], size: usize, f: &mut dyn FnMut(Key)) {
    fn go(set: &[u32], from: usize, size: usize, key: &mut Key, len: usize, f: &mut dyn FnMut(Key)) {
        if len == size {
            return f(*key);
        }
        for k in from..set.len() {
            key[len] = set[k];
            go(set, k + 1, size, key, len + 1, f);
        }
        key[len] = u32::MAX;
    }
    go(set, 0, size, &mut [u32::MAX; MAX_SHARED], 0, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain count of every pair, for comparison.
    fn by_counting(factors: &[Vec<u32>]) -> Vec<Vec<(usize, usize)>> {
        (0..factors.len())
            .map(|i| {
                let mut all: Vec<(usize, usize)> = (0..factors.len())
                    .filter(|&j| j != i)
                    .map(|j| {
                        let mut a = factors[i].clone();
                        a.sort_unstable();
                        a.dedup();
                        (j, a.iter().filter(|f| factors[j].contains(f)).count())
                    })
                    .filter(|p| p.1 > 0)
                    .collect();
                all.sort_by(order);
                all.truncate(RELATED);
                all
            })
            .collect()
    }

    #[test]
    fn levels_give_the_same_lists_as_counting_every_pair() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as u32
        };
        for round in 0..20 {
            let factors: Vec<Vec<u32>> = (0..120)
                .map(|_| {
                    let count = next(if round % 4 == 0 { 8 } else { 4 }) as usize;
                    (0..count).map(|_| next(9).min(next(9))).collect()
                })
                .collect();
            assert_eq!(related(&factors), by_counting(&factors), "round {round}");
        }
    }
}
