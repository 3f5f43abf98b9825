//! Pattern pages' numbers (docs/site.md): for each factor, the incidents and notes that name it,
//! count, first and last seen, recurrence, trend, per-quarter counts, co-occurring factors,
//! services, TTD and impact statistics, and the actions that addressed it. Counts are over
//! incidents only; notes are listed beside them.

use super::recurrence::{recurrences, Recurrence, ServiceIds};
use crate::model::{Date, Library};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Whether a factor shows up more or less than it used to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// None in the previous 12 months, some in the last 12.
    New,
    /// More in the last 12 months than the 12 before.
    Rising,
    /// Fewer.
    Falling,
    /// Equal and above zero.
    Steady,
    /// None in either.
    Quiet,
}

impl Trend {
    /// The word shown and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::Steady => "steady",
            Trend::Quiet => "quiet",
        }
    }
}

/// One incident naming the factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// Index into `Library::incidents`.
    pub incident: usize,
    /// Role written on the incident.
    pub role: Option<String>,
    /// Note written on the incident.
    pub note: Option<String>,
}

/// Median and 90th percentile (nearest rank) of a set of minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Median (mean of the middle two for an even count).
    pub median: Option<f64>,
    /// 90th percentile, nearest rank.
    pub p90: Option<i64>,
    /// How many values.
    pub n: usize,
}

/// Median and p90 of `values` (any order).
pub fn stats(values: &mut [i64]) -> Stats {
    let n = values.len();
    if n == 0 {
        return Stats::default();
    }
    values.sort_unstable();
    let median = if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0 };
    let rank = (0.9 * n as f64).ceil() as usize;
    Stats { median: Some(median), p90: Some(values[rank.clamp(1, n) - 1]), n }
}

/// A factor seen with this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoOccurrence {
    /// The other factor.
    pub id: String,
    /// Incidents naming both.
    pub count: usize,
    /// |both| / |either|.
    pub jaccard: f64,
}

/// Everything a pattern page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Canonical factor id.
    pub id: String,
    /// Incidents naming it, newest first.
    pub incidents: Vec<Occurrence>,
    /// Indexes into `Library::notes`.
    pub notes: Vec<usize>,
    /// First dated occurrence.
    pub first_seen: Option<Date>,
    /// Last dated occurrence.
    pub last_seen: Option<Date>,
    /// In at least `[patterns] recurring` incidents.
    pub recurring: bool,
    /// Something that helped (docs/factors.md): listed apart, never "came back" or "recurred lately".
    pub protective: bool,
    /// Last 12 months against the 12 before.
    pub trend: Trend,
    /// Occurrences in the last 12 months and the 12 before.
    pub window: (usize, usize),
    /// (year, quarter) → incidents.
    pub quarters: BTreeMap<(i32, u32), usize>,
    /// Most frequent companions.
    pub co_occurring: Vec<CoOccurrence>,
    /// Services involved, most frequent first.
    pub services: Vec<(String, usize)>,
    /// Time to detect.
    pub ttd: Stats,
    /// Impact duration.
    pub impact: Stats,
    /// (incident index, action index) of the actions addressing it.
    pub actions: Vec<(usize, usize)>,
    /// Done actions that addressed it and were followed by an incident with it: those followed
    /// on a service of the action's own incident first, then the most recent fix first.
    pub recurred_after_fix: Vec<Recurrence>,
}

impl Pattern {
    /// How many incidents name it.
    pub fn count(&self) -> usize {
        self.incidents.len()
    }
}

/// Computes every pattern, ranked: most incidents first, then most recent, then id.
pub fn compute(lib: &Library, reference: Option<Date>, recurring: usize) -> Vec<Pattern> {
    let mut by_factor: BTreeMap<&str, Vec<Occurrence>> =
        lib.factors.all.keys().map(|k| (k.as_str(), Vec::new())).collect();
    for (i, inc) in lib.incidents.iter().enumerate() {
        for f in &inc.factors {
            by_factor.entry(&f.id).or_default().push(Occurrence {
                incident: i,
                role: f.role.clone(),
                note: f.note.clone(),
            });
        }
    }
    let mut notes: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in lib.notes.iter().enumerate() {
        for f in &n.factors {
            notes.entry(&f.id).or_default().push(i);
        }
    }
    let mut actions: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, inc) in lib.incidents.iter().enumerate() {
        for (a, item) in inc.action_items.iter().enumerate() {
            for f in &item.addresses {
                actions.entry(f.as_str()).or_default().push((i, a));
            }
        }
    }
    let service_ids = ServiceIds::new(lib);
    let sets: HashMap<&str, Vec<usize>> =
        by_factor.iter().map(|(k, occ)| (*k, occ.iter().map(|o| o.incident).collect())).collect();

    let mut out: Vec<Pattern> = by_factor
        .into_iter()
        .map(|(id, occurrences)| {
            let dates: Vec<Date> = occurrences.iter().filter_map(|o| lib.incidents[o.incident].doc.date).collect();
            let (last, prev) = window(&dates, reference);
            let trend = match (last, prev) {
                (0, 0) => Trend::Quiet,
                (_, 0) => Trend::New,
                (l, p) if l > p => Trend::Rising,
                (l, p) if l < p => Trend::Falling,
                _ => Trend::Steady,
            };
            let mut quarters = BTreeMap::new();
            for d in &dates {
                *quarters.entry((d.year, d.quarter())).or_insert(0) += 1;
            }
            let mut services: BTreeMap<String, (String, usize)> = BTreeMap::new();
            for o in &occurrences {
                for s in &lib.incidents[o.incident].services {
                    services.entry(crate::model::slugify(s)).or_insert_with(|| (s.clone(), 0)).1 += 1;
                }
            }
            let mut services: Vec<(String, usize)> = services.into_values().collect();
            services.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let mut ttd: Vec<i64> = occurrences.iter().filter_map(|o| lib.incidents[o.incident].figures.ttd).collect();
            let mut imp: Vec<i64> =
                occurrences.iter().filter_map(|o| lib.incidents[o.incident].figures.impact).collect();
            let acts = actions.remove(id).unwrap_or_default();
            let flagged = lib.factors.all.get(id).is_some_and(|f| f.protective);
            let protective = protective(flagged, occurrences.iter().map(|o| o.role.as_deref()));
            // What helped cannot "come back after a fix".
            let recurred = if protective { Vec::new() } else { recurrences(lib, &service_ids, &acts, &occurrences) };
            Pattern {
                id: id.to_string(),
                first_seen: dates.iter().min().copied(),
                last_seen: dates.iter().max().copied(),
                recurring: occurrences.len() >= recurring,
                protective,
                trend,
                window: (last, prev),
                quarters,
                co_occurring: co_occurring(id, &sets, lib),
                services,
                ttd: stats(&mut ttd),
                impact: stats(&mut imp),
                actions: acts,
                recurred_after_fix: recurred,
                notes: notes.remove(id).unwrap_or_default(),
                incidents: occurrences,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.count().cmp(&a.count()).then_with(|| b.last_seen.cmp(&a.last_seen)).then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// Whether `compute` gives the same patterns for both libraries (given the same reference
/// date and threshold): the same factors, flagged protective alike; the same incidents in the
/// same order, alike in every field a pattern is computed from (factors with their roles and
/// notes, date, services, durations, what their actions address and whether and when they were
/// done); and the notes naming the same factors.
pub fn same_inputs(a: &Library, b: &Library) -> bool {
    let registry = |l: &Library| l.factors.all.iter().map(|(k, f)| (k.clone(), f.protective)).collect::<Vec<_>>();
    let note_factors = |x: &crate::model::Note, y: &crate::model::Note| {
        x.factors.iter().map(|f| &f.id).eq(y.factors.iter().map(|f| &f.id))
    };
    a.incidents.len() == b.incidents.len()
        && a.notes.len() == b.notes.len()
        && registry(a) == registry(b)
        && a.incidents.iter().zip(&b.incidents).all(|(x, y)| same_incident_inputs(x, y))
        && a.notes.iter().zip(&b.notes).all(|(x, y)| note_factors(x, y))
}

/// Whether two incidents are alike in every field a pattern is computed from.
fn same_incident_inputs(x: &crate::model::Incident, y: &crate::model::Incident) -> bool {
    fn factor(f: &crate::model::FactorRef) -> (&str, Option<&str>, Option<&str>) {
        (&f.id, f.role.as_deref(), f.note.as_deref())
    }
    fn action(a: &crate::model::ActionItem) -> (&[String], &str, Option<crate::model::Date>) {
        (&a.addresses, &a.status, a.done)
    }
    x.doc.id == y.doc.id
        && x.doc.date == y.doc.date
        && x.services == y.services
        && x.figures.ttd == y.figures.ttd
        && x.figures.impact == y.figures.impact
        && x.factors.iter().map(factor).eq(y.factors.iter().map(factor))
        && x.action_items.iter().map(action).eq(y.action_items.iter().map(action))
}

/// Whether a factor is protective: `protective: true` in the registry (`flagged`), or
/// `role: protective` on most of its occurrences (more than half of them):
/// protective ⇔ flagged ∨ |{o : role(o) = protective}| × 2 > |occurrences|.
pub fn protective<'r>(flagged: bool, roles: impl Iterator<Item = Option<&'r str>>) -> bool {
    let (mut yes, mut all) = (0usize, 0usize);
    for role in roles {
        all += 1;
        yes += usize::from(role.is_some_and(|r| r.eq_ignore_ascii_case("protective")));
    }
    flagged || yes * 2 > all
}

/// Occurrences in (ref − 12 months, ref] and (ref − 24 months, ref − 12 months].
fn window(dates: &[Date], reference: Option<Date>) -> (usize, usize) {
    let Some(r) = reference else { return (0, 0) };
    let y1 = r.months_before(12);
    let y2 = r.months_before(24);
    let last = dates.iter().filter(|d| **d > y1 && **d <= r).count();
    let prev = dates.iter().filter(|d| **d > y2 && **d <= y1).count();
    (last, prev)
}

fn co_occurring(id: &str, sets: &HashMap<&str, Vec<usize>>, lib: &Library) -> Vec<CoOccurrence> {
    let mine = &sets[id];
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &i in mine {
        for f in &lib.incidents[i].factors {
            if f.id != id {
                *counts.entry(f.id.as_str()).or_insert(0) += 1;
            }
        }
    }
    let mut out: Vec<CoOccurrence> = counts
        .into_iter()
        .map(|(other, both)| {
            let either = mine.len() + sets.get(other).map_or(0, Vec::len) - both;
            CoOccurrence { id: other.to_string(), count: both, jaccard: round3(both as f64 / either.max(1) as f64) }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
    out
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protective_by_flag_or_by_most_roles() {
        let p = Some("protective");
        let q = Some("predisposing");
        let cases: &[(bool, &[Option<&str>], bool)] = &[
            (true, &[], true),
            (true, &[q, q], true),
            (false, &[], false),
            (false, &[p], true),
            (false, &[p, q], false),
            (false, &[p, p, None], true),
            (false, &[p, None, q], false),
            (false, &[Some("Protective"), p, q], true),
        ];
        for (flagged, roles, want) in cases {
            assert_eq!(protective(*flagged, roles.iter().copied()), *want, "{flagged} {roles:?}");
        }
    }

    #[test]
    fn median_and_nearest_rank_p90() {
        assert_eq!(stats(&mut []), Stats::default());
        let s = stats(&mut [10, 1, 4, 7]);
        assert_eq!(s.median, Some(5.5));
        assert_eq!(s.p90, Some(10));
        let s = stats(&mut (1..=10).collect::<Vec<_>>());
        assert_eq!(s.median, Some(5.5));
        assert_eq!(s.p90, Some(9));
        assert_eq!(stats(&mut [3]).p90, Some(3));
    }
}
