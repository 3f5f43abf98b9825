//! "Came back after a fix" (docs/site.md): a done action addressing a factor, followed by an
//! incident with that factor dated after the action's `done` date (else its incident's date).
//! Each recurrence says whether it came back on a service of the incident the action came
//! from; those that did are listed first.

use super::Occurrence;
use crate::model::{slugify, Date, Library};
use std::collections::HashMap;

/// Every incident's services as small numbers, one per service id (in the order the incident
/// lists them), so that comparing services across thousands of incidents is no string work.
#[derive(Debug, Default)]
pub struct ServiceIds(Vec<Vec<u32>>);

impl ServiceIds {
    /// Numbers the services of every incident of `lib`.
    pub fn new(lib: &Library) -> ServiceIds {
        let mut seen: HashMap<String, u32> = HashMap::new();
        let ids = lib
            .incidents
            .iter()
            .map(|i| {
                i.services
                    .iter()
                    .map(|s| {
                        let next = seen.len() as u32;
                        *seen.entry(slugify(s)).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        ServiceIds(ids)
    }
}

/// A done action followed by incidents with the factor it addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// Index of the incident holding the action.
    pub incident: usize,
    /// Index of the action in that incident.
    pub action: usize,
    /// When it was done (its `done` date, else its incident's date).
    pub done: Date,
    /// The incident shown as the recurrence: the first after `done` that shares a service with
    /// the action's incident, else the first after `done`.
    pub first_after: usize,
    /// How many incidents with the factor are dated after `done`.
    pub after: usize,
    /// How many of those share a service with the action's incident.
    pub same_service: usize,
    /// The services `first_after` shares with the action's incident (as first written there).
    pub shared: Vec<String>,
}

/// Done actions among `actions` (incident, action index) that were followed by an incident
/// in `occ` (the factor's occurrences): the same-service ones first, then the most recent fix
/// first. Dates are searched, not scanned; the incidents after each fix that share one of its
/// services are found in one bit set per service (a bit per occurrence, in date order), so each
/// fix costs its services × occurrences ÷ 64 word operations. Scanning the later incidents one
/// by one cost fixes × occurrences: 8 s of a 100,000-incident build.
pub fn recurrences(lib: &Library, ids: &ServiceIds, actions: &[(usize, usize)], occ: &[Occurrence]) -> Vec<Recurrence> {
    // (date, incident), oldest first.
    let mut dated: Vec<(Date, usize)> =
        occ.iter().filter_map(|o| lib.incidents[o.incident].doc.date.map(|d| (d, o.incident))).collect();
    dated.sort();
    let on = ServiceBits::new(ids, &dated);
    let mut out = Vec::new();
    for &(incident, action) in actions {
        let item = &lib.incidents[incident].action_items[action];
        if item.status != "done" {
            continue;
        }
        let Some(done) = item.done.or(lib.incidents[incident].doc.date) else { continue };
        let later = &dated[dated.partition_point(|(d, _)| *d <= done)..];
        let Some(&(_, first)) = later.first() else { continue };
        let fixed_on = &ids.0[incident];
        let (same_service, first_same) = on.from(dated.len() - later.len(), fixed_on);
        let first_after = first_same.map_or(first, |q| dated[q].1);
        let shared = shared(fixed_on, &ids.0[first_after], &lib.incidents[first_after].services);
        out.push(Recurrence { incident, action, done, first_after, after: later.len(), same_service, shared });
    }
    out.sort_by(|a, b| {
        (b.same_service > 0)
            .cmp(&(a.same_service > 0))
            .then_with(|| b.done.cmp(&a.done))
            .then_with(|| (a.incident, a.action).cmp(&(b.incident, b.action)))
    });
    out
}

/// For each service number, which of a factor's dated occurrences (by position, oldest first)
/// are on it: bit `q` of a service's words is set when occurrence `q`'s incident lists it.
struct ServiceBits {
    words: usize,
    by_service: HashMap<u32, Vec<u64>>,
}

impl ServiceBits {
    fn new(ids: &ServiceIds, dated: &[(Date, usize)]) -> ServiceBits {
        let words = dated.len().div_ceil(64);
        let mut by_service: HashMap<u32, Vec<u64>> = HashMap::new();
        for (q, &(_, j)) in dated.iter().enumerate() {
            for &s in &ids.0[j] {
                by_service.entry(s).or_insert_with(|| vec![0; words])[q / 64] |= 1 << (q % 64);
            }
        }
        ServiceBits { words, by_service }
    }

    /// How many occurrences from position `start` on share a service with `services`, and the
    /// position of the first of them.
    fn from(&self, start: usize, services: &[u32]) -> (usize, Option<usize>) {
        let sets: Vec<&[u64]> = services.iter().filter_map(|s| self.by_service.get(s)).map(|v| v.as_slice()).collect();
        let (mut count, mut first) = (0, None);
        for w in start / 64..self.words {
            let mut word = sets.iter().fold(0u64, |acc, set| acc | set[w]);
            if w == start / 64 {
                word &= !0u64 << (start % 64);
            }
            if word != 0 {
                first = first.or(Some(w * 64 + word.trailing_zeros() as usize));
                count += word.count_ones() as usize;
            }
        }
        (count, first)
    }
}

/// The services in `services` (numbered `numbers`) whose numbers are among `fixed_on`.
fn shared(fixed_on: &[u32], numbers: &[u32], services: &[String]) -> Vec<String> {
    services.iter().zip(numbers).filter(|(_, n)| fixed_on.contains(n)).map(|(s, _)| s.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::{action, incident};

    #[test]
    fn same_service_recurrences_come_first_and_are_counted() {
        // Newest first, as the library holds incidents.
        let mut incidents = vec![
            incident("d", "2024-06-01", &["Checkout"], &["x"]),
            incident("c", "2024-05-01", &["payments"], &["x"]),
            incident("b", "2024-04-01", &["search"], &["x"]),
            incident("a", "2024-01-01", &["checkout", "dns"], &["x"]),
        ];
        incidents[2].action_items.push(action("done", "", "", "2024-04-10", &["x"]));
        incidents[3].action_items.push(action("done", "", "", "2024-02-01", &["x"]));
        incidents[3].action_items.push(action("open", "", "", "", &["x"]));
        incidents[3].action_items.push(action("done", "", "", "2024-07-01", &["x"]));
        let lib = Library { incidents: incidents.into_iter().map(std::sync::Arc::new).collect(), ..Library::default() };
        let occ: Vec<Occurrence> = (0..4).map(|incident| Occurrence { incident, role: None, note: None }).collect();
        let r = recurrences(&lib, &ServiceIds::new(&lib), &[(3, 0), (3, 1), (3, 2), (2, 0)], &occ);
        let got: Vec<(usize, usize, usize, usize, Vec<String>)> =
            r.iter().map(|r| (r.incident, r.first_after, r.after, r.same_service, r.shared.clone())).collect();
        assert_eq!(
            got,
            vec![
                // Fixed 1 Feb on checkout: b, c and d came after; d (June) is on checkout, so it
                // is the one shown, and this fix is listed first though it is the older one.
                (3, 0, 3, 1, vec!["Checkout".to_string()]),
                // Fixed 10 Apr on search: c and d came after, neither on search; c is first.
                (2, 1, 2, 0, vec![]),
                // The open action is no fix; the one done 1 Jul has nothing after it.
            ]
        );
    }

    #[test]
    fn service_bits_count_what_a_scan_of_the_later_incidents_counts() {
        // 150 occurrences (more than two 64-bit words), each on 0-3 of 5 services, chosen by a
        // fixed pseudo-random sequence; every start and every service set is checked.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let ids = ServiceIds((0..150).map(|_| (0..next() % 4).map(|_| (next() % 5) as u32).collect()).collect());
        let dated: Vec<(Date, usize)> =
            (0..150).map(|j| (crate::model::date::parse_date("2024-01-01").expect("date"), j)).collect();
        let bits = ServiceBits::new(&ids, &dated);
        for fixed in [vec![], vec![0], vec![1, 3], vec![4, 2, 0], vec![9]] {
            for start in 0..=150 {
                let scan: Vec<usize> =
                    (start..150).filter(|&q| ids.0[dated[q].1].iter().any(|s| fixed.contains(s))).collect();
                assert_eq!(bits.from(start, &fixed), (scan.len(), scan.first().copied()), "{fixed:?} from {start}");
            }
        }
    }
}
