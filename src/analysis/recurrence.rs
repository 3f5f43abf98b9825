//! "Came back after a fix" (SPEC §4): a done action addressing a factor, followed by an
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
/// first. Dates are searched, not scanned; only the incidents after each fix are compared by
/// service, so the cost is actions × (log occurrences + incidents after the fix).
pub fn recurrences(lib: &Library, ids: &ServiceIds, actions: &[(usize, usize)], occ: &[Occurrence]) -> Vec<Recurrence> {
    // (date, incident), oldest first.
    let mut dated: Vec<(Date, usize)> =
        occ.iter().filter_map(|o| lib.incidents[o.incident].doc.date.map(|d| (d, o.incident))).collect();
    dated.sort();
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
        let shares = |j: usize| ids.0[j].iter().any(|s| fixed_on.contains(s));
        let same: Vec<usize> = later.iter().map(|&(_, j)| j).filter(|&j| shares(j)).collect();
        let first_after = same.first().copied().unwrap_or(first);
        let shared = shared(fixed_on, &ids.0[first_after], &lib.incidents[first_after].services);
        out.push(Recurrence {
            incident,
            action,
            done,
            first_after,
            after: later.len(),
            same_service: same.len(),
            shared,
        });
    }
    out.sort_by(|a, b| {
        (b.same_service > 0)
            .cmp(&(a.same_service > 0))
            .then_with(|| b.done.cmp(&a.done))
            .then_with(|| (a.incident, a.action).cmp(&(b.incident, b.action)))
    });
    out
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
}
