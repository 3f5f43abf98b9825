//! Every action item across incidents (docs/site.md#actions, `/actions/`): which state each is in, the
//! order they are listed in, and per factor how many done actions it has and whether it came
//! back after them. Pure, from the model and the patterns alone.

use super::patterns::Pattern;
use crate::model::{Date, Library};

/// Where an action item is listed, in the order the page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    /// Not finished (open or in progress) and `due` before the reference date.
    Overdue,
    /// Open, not overdue.
    Open,
    /// In progress, not overdue.
    InProgress,
    /// Done.
    Done,
    /// Won't do.
    WontDo,
    /// Any other status (an inferred action whose status could not be read).
    Unknown,
}

impl Bucket {
    /// Every bucket, in page order.
    pub const ALL: [Bucket; 6] =
        [Bucket::Overdue, Bucket::Open, Bucket::InProgress, Bucket::Done, Bucket::WontDo, Bucket::Unknown];

    /// The id used in URLs, CSS and the filter.
    pub fn id(self) -> &'static str {
        match self {
            Bucket::Overdue => "overdue",
            Bucket::Open => "open",
            Bucket::InProgress => "in-progress",
            Bucket::Done => "done",
            Bucket::WontDo => "wont-do",
            Bucket::Unknown => "unknown",
        }
    }

    /// The heading shown.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::Overdue => "Open and overdue",
            Bucket::Open => "Open",
            Bucket::InProgress => "In progress",
            Bucket::Done => "Done",
            Bucket::WontDo => "Won’t do",
            Bucket::Unknown => "Status unknown",
        }
    }
}

/// The bucket of an action: overdue ⇔ status ∈ {open, in-progress} ∧ due < reference;
/// otherwise its status.
pub fn bucket(status: &str, due: Option<Date>, reference: Option<Date>) -> Bucket {
    let overdue = matches!((due, reference), (Some(d), Some(r)) if d < r);
    match status {
        "open" | "in-progress" if overdue => Bucket::Overdue,
        "open" => Bucket::Open,
        "in-progress" => Bucket::InProgress,
        "done" => Bucket::Done,
        "wont-do" => Bucket::WontDo,
        _ => Bucket::Unknown,
    }
}

/// One action item, placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Index into `Library::incidents`.
    pub incident: usize,
    /// Index into that incident's action items.
    pub action: usize,
    /// Where it is listed.
    pub bucket: Bucket,
}

/// Every action item, in page order: by bucket; unfinished ones by due date (soonest, that is
/// most overdue, first; none last), finished ones by done date (latest first); then newest
/// incident first, then as written.
pub fn ordered(lib: &Library, reference: Option<Date>) -> Vec<Placed> {
    let mut all: Vec<Placed> = lib
        .incidents
        .iter()
        .enumerate()
        .flat_map(|(i, inc)| {
            inc.action_items.iter().enumerate().map(move |(a, item)| Placed {
                incident: i,
                action: a,
                bucket: bucket(&item.status, item.due, reference),
            })
        })
        .collect();
    let key = |p: &Placed| {
        let item = &lib.incidents[p.incident].action_items[p.action];
        let when = match p.bucket {
            // `None` sorts first, so unknown dates are mapped past every real one.
            Bucket::Overdue | Bucket::Open | Bucket::InProgress => item.due.map_or(i64::MAX, Date::days),
            _ => item.done.map_or(i64::MAX, |d| -d.days()),
        };
        (p.bucket, when, p.incident, p.action)
    };
    all.sort_by_key(key);
    all
}

/// One factor's actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorActions {
    /// Factor id.
    pub id: String,
    /// Actions addressing it.
    pub total: usize,
    /// Of those, done.
    pub done: usize,
    /// Of those, not finished (open, in progress or overdue).
    pub unfinished: usize,
    /// Done actions it came back after (an incident with it dated after the `done` date);
    /// never for a protective factor.
    pub came_back_after: usize,
}

/// Per factor with any action addressing it, in the patterns' rank order.
pub fn per_factor(lib: &Library, patterns: &[Pattern], reference: Option<Date>) -> Vec<FactorActions> {
    patterns
        .iter()
        .filter(|p| !p.actions.is_empty())
        .map(|p| {
            let buckets: Vec<Bucket> = p
                .actions
                .iter()
                .map(|&(i, a)| {
                    let item = &lib.incidents[i].action_items[a];
                    bucket(&item.status, item.due, reference)
                })
                .collect();
            FactorActions {
                id: p.id.clone(),
                total: buckets.len(),
                done: buckets.iter().filter(|b| **b == Bucket::Done).count(),
                unfinished: buckets.iter().filter(|b| **b <= Bucket::InProgress).count(),
                came_back_after: p.recurred_after_fix.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::{action, day, incident};

    #[test]
    fn buckets_by_status_and_due_date() {
        let r = Some(day("2024-06-01"));
        let d = |s| Some(day(s));
        let cases = [
            ("open", d("2024-05-31"), r, Bucket::Overdue),
            ("in-progress", d("2024-01-01"), r, Bucket::Overdue),
            ("open", d("2024-06-01"), r, Bucket::Open),
            ("open", None, r, Bucket::Open),
            ("open", d("2020-01-01"), None, Bucket::Open),
            ("in-progress", d("2024-07-01"), r, Bucket::InProgress),
            ("done", d("2024-01-01"), r, Bucket::Done),
            ("wont-do", d("2024-01-01"), r, Bucket::WontDo),
            ("unknown", None, r, Bucket::Unknown),
        ];
        for (status, due, reference, want) in cases {
            assert_eq!(bucket(status, due, reference), want, "{status} {due:?}");
        }
    }

    #[test]
    fn ordered_overdue_first_then_by_dates() {
        let mut a = incident("a", "2024-05-01", &[], &["x"]);
        a.action_items = vec![
            action("done", "ana", "", "2024-05-10", &["x"]),
            action("open", "bo", "2024-07-01", "", &["x"]),
            action("open", "bo", "2024-02-01", "", &["x"]),
            action("wont-do", "", "", "", &[]),
        ];
        let mut b = incident("b", "2024-01-01", &[], &["x"]);
        b.action_items = vec![
            action("open", "", "", "", &["x"]),
            action("in-progress", "cy", "2024-03-01", "", &["x"]),
            action("done", "", "", "2024-06-01", &["x"]),
        ];
        let c = incident("c", "2024-05-20", &[], &["x"]);
        let lib = Library { incidents: [a, b, c].map(std::sync::Arc::new).to_vec(), ..Library::default() };
        let got: Vec<(usize, usize, Bucket)> =
            ordered(&lib, Some(day("2024-06-01"))).iter().map(|p| (p.incident, p.action, p.bucket)).collect();
        assert_eq!(
            got,
            vec![
                (0, 2, Bucket::Overdue), // due 1 Feb
                (1, 1, Bucket::Overdue), // due 1 Mar
                (0, 1, Bucket::Open),    // due 1 Jul
                (1, 0, Bucket::Open),    // no due date: last of the open ones
                (1, 2, Bucket::Done),    // done 1 Jun
                (0, 0, Bucket::Done),    // done 10 May
                (0, 3, Bucket::WontDo),
            ]
        );
        let patterns = crate::analysis::patterns::compute(&lib, Some(day("2024-06-01")), 2);
        let x = per_factor(&lib, &patterns, Some(day("2024-06-01")));
        // x came back (in c, 20 May) after a's fix of 10 May; nothing came after b's of 1 Jun.
        assert_eq!(x, vec![FactorActions { id: "x".into(), total: 6, done: 2, unfinished: 4, came_back_after: 1 }]);
    }
}
