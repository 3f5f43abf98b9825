//! The library over time (docs/site.md#trends, `/trends/`): incidents per month by severity, a factor ×
//! quarter heat map of the top factors, and time to detect and impact duration per quarter.
//! Pure functions of plain values, so each is tested on a table of hand-worked cases.
//! Undated incidents have no place on a time axis: each figure counts them and leaves them out.

use super::patterns::{stats, Pattern, Stats};
use crate::model::Date;

/// A calendar month as (year, month 1–12).
pub type Month = (i32, u32);

/// A calendar quarter as (year, quarter 1–4).
pub type Quarter = (i32, u32);

/// Incidents per month, by severity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Monthly {
    /// Every month from the first dated incident's to the last's, oldest first.
    pub months: Vec<Month>,
    /// The severities, most severe first, then `None` (no severity, or one outside the levels)
    /// when any incident has none.
    pub levels: Vec<Option<String>>,
    /// `counts[m][l]`: incidents dated in `months[m]` with severity `levels[l]`.
    pub counts: Vec<Vec<usize>>,
    /// Incidents without a date, left out.
    pub undated: usize,
}

/// Every month from `first` to `last` inclusive.
pub fn month_range(first: Month, last: Month) -> Vec<Month> {
    let index = |(y, m): Month| y as i64 * 12 + m as i64 - 1;
    (index(first)..=index(last)).map(|k| (k.div_euclid(12) as i32, k.rem_euclid(12) as u32 + 1)).collect()
}

/// Every quarter from `first` to `last` inclusive.
pub fn quarter_range(first: Quarter, last: Quarter) -> Vec<Quarter> {
    let index = |(y, q): Quarter| y as i64 * 4 + q as i64 - 1;
    (index(first)..=index(last)).map(|k| (k.div_euclid(4) as i32, k.rem_euclid(4) as u32 + 1)).collect()
}

/// The quarters spanned by `dates` (empty when there are none).
pub fn quarters_of(dates: impl Iterator<Item = Date> + Clone) -> Vec<Quarter> {
    match (dates.clone().min(), dates.max()) {
        (Some(a), Some(b)) => quarter_range((a.year, a.quarter()), (b.year, b.quarter())),
        _ => Vec::new(),
    }
}

/// Incidents per month by severity: count(m, s) = |{incidents dated in month m with severity
/// s}|, over every month from the first dated incident to the last. A severity outside `levels`
/// (most severe first) counts as none.
pub fn per_month(incidents: &[(Option<Date>, Option<&str>)], levels: &[String]) -> Monthly {
    let dated = incidents.iter().filter_map(|(d, s)| d.map(|d| (d, *s)));
    let (Some(first), Some(last)) = (dated.clone().map(|x| x.0).min(), dated.clone().map(|x| x.0).max()) else {
        return Monthly { undated: incidents.len(), ..Monthly::default() };
    };
    let months = month_range((first.year, first.month), (last.year, last.month));
    let level_of = |s: Option<&str>| s.and_then(|s| levels.iter().position(|l| l == s));
    let unrated = dated.clone().any(|(_, s)| level_of(s).is_none());
    let mut all: Vec<Option<String>> = levels.iter().cloned().map(Some).collect();
    if unrated {
        all.push(None);
    }
    let mut counts = vec![vec![0; all.len()]; months.len()];
    let start = first.year as i64 * 12 + first.month as i64;
    for (d, s) in dated {
        let m = (d.year as i64 * 12 + d.month as i64 - start) as usize;
        counts[m][level_of(s).unwrap_or(levels.len())] += 1;
    }
    let undated = incidents.iter().filter(|(d, _)| d.is_none()).count();
    Monthly { months, levels: all, counts, undated }
}

/// One factor's row of the heat map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatRow {
    /// Factor id.
    pub id: String,
    /// Incidents with the factor per quarter of the map.
    pub counts: Vec<usize>,
    /// Its dated incidents in all.
    pub total: usize,
}

/// The heat map: the `top` factors (in rank order, protective ones left out) × `quarters`,
/// each cell count(f, q) = |{incidents with f dated in quarter q}|; with the largest cell, which
/// sets the colour scale (a cell's shade is count ÷ largest).
pub fn heat_map(patterns: &[Pattern], quarters: &[Quarter], top: usize) -> (Vec<HeatRow>, usize) {
    let rows: Vec<HeatRow> = patterns
        .iter()
        .filter(|p| !p.protective && p.count() > 0)
        .take(top)
        .map(|p| HeatRow {
            id: p.id.clone(),
            counts: quarters.iter().map(|q| p.quarters.get(q).copied().unwrap_or(0)).collect(),
            total: p.quarters.values().sum(),
        })
        .collect();
    let max = rows.iter().flat_map(|r| r.counts.iter().copied()).max().unwrap_or(0);
    (rows, max)
}

/// Time to detect and impact duration over the incidents of one quarter.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QuarterDurations {
    /// The quarter.
    pub quarter: Quarter,
    /// TTD = detected − started: median and p90 over the quarter's incidents that have it.
    pub ttd: Stats,
    /// Impact = resolved − started: likewise.
    pub impact: Stats,
}

/// Median and p90 (nearest rank) of TTD and impact duration per quarter, for `quarters`;
/// `incidents` are (date, TTD minutes, impact minutes). Undated ones are left out.
pub fn durations_per_quarter(
    incidents: &[(Option<Date>, Option<i64>, Option<i64>)],
    quarters: &[Quarter],
) -> Vec<QuarterDurations> {
    let mut ttd: Vec<Vec<i64>> = vec![Vec::new(); quarters.len()];
    let mut impact: Vec<Vec<i64>> = vec![Vec::new(); quarters.len()];
    for (d, t, i) in incidents {
        let Some(q) = d.and_then(|d| quarters.binary_search(&(d.year, d.quarter())).ok()) else { continue };
        ttd[q].extend(*t);
        impact[q].extend(*i);
    }
    quarters
        .iter()
        .zip(ttd.iter_mut().zip(impact.iter_mut()))
        .map(|(&quarter, (t, i))| QuarterDurations { quarter, ttd: stats(t), impact: stats(i) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::day;

    #[test]
    fn ranges_cross_years() {
        assert_eq!(month_range((2023, 11), (2024, 2)), vec![(2023, 11), (2023, 12), (2024, 1), (2024, 2)]);
        assert_eq!(month_range((2024, 3), (2024, 3)), vec![(2024, 3)]);
        assert_eq!(quarter_range((2023, 4), (2024, 2)), vec![(2023, 4), (2024, 1), (2024, 2)]);
        assert!(quarters_of(std::iter::empty()).is_empty());
        assert_eq!(
            quarters_of([day("2024-08-01"), day("2024-02-01")].into_iter()),
            vec![(2024, 1), (2024, 2), (2024, 3)]
        );
    }

    #[test]
    fn per_month_stacks_by_severity_and_counts_the_undated() {
        let levels = vec!["SEV1".to_string(), "SEV2".to_string()];
        let d = |s| Some(day(s));
        // (incidents, months, levels shown, counts, undated)
        type Case<'a> = (Vec<(Option<Date>, Option<&'a str>)>, Vec<Month>, usize, Vec<Vec<usize>>, usize);
        let cases: Vec<Case> = vec![
            (vec![], vec![], 0, vec![], 0),
            (vec![(None, Some("SEV1"))], vec![], 0, vec![], 1),
            (
                vec![
                    (d("2024-01-05"), Some("SEV1")),
                    (d("2024-01-20"), Some("SEV2")),
                    (d("2024-03-01"), Some("SEV2")),
                    (None, Some("SEV2")),
                ],
                vec![(2024, 1), (2024, 2), (2024, 3)],
                2,
                vec![vec![1, 1], vec![0, 0], vec![0, 1]],
                1,
            ),
            // No severity, or one outside the levels, is its own last band.
            (
                vec![(d("2023-12-31"), None), (d("2024-01-01"), Some("SEV9")), (d("2024-01-02"), Some("SEV1"))],
                vec![(2023, 12), (2024, 1)],
                3,
                vec![vec![0, 0, 1], vec![1, 0, 1]],
                0,
            ),
        ];
        for (items, months, n_levels, counts, undated) in cases {
            let m = per_month(&items, &levels);
            assert_eq!(
                (m.months.clone(), m.levels.len(), m.counts.clone(), m.undated),
                (months, n_levels, counts, undated),
                "{items:?}"
            );
        }
    }

    #[test]
    fn heat_map_of_the_top_factors_leaves_protective_ones_out() {
        use crate::analysis::testlib::incident;
        use crate::model::Library;
        let mut incidents = vec![
            incident("a", "2024-05-01", &[], &["x", "y", "helped"]),
            incident("b", "2024-04-01", &[], &["x", "helped"]),
            incident("c", "2024-02-01", &[], &["x", "z"]),
            incident("d", "", &[], &["x"]),
        ];
        incidents[0].factors[2].role = Some("protective".into());
        incidents[1].factors[1].role = Some("protective".into());
        let lib = Library { incidents: incidents.into_iter().map(std::sync::Arc::new).collect(), ..Library::default() };
        let patterns = crate::analysis::patterns::compute(&lib, None, 2);
        let quarters = vec![(2024, 1), (2024, 2)];
        let (rows, max) = heat_map(&patterns, &quarters, 2);
        let got: Vec<(&str, Vec<usize>, usize)> =
            rows.iter().map(|r| (r.id.as_str(), r.counts.clone(), r.total)).collect();
        // x: 4 incidents (one undated), y and z one each; y is the more recent, so ranks second.
        assert_eq!(got, vec![("x", vec![1, 2], 3), ("y", vec![0, 1], 1)]);
        assert_eq!(max, 2);
    }

    #[test]
    fn durations_per_quarter_take_median_and_p90() {
        let d = |s| Some(day(s));
        let quarters = vec![(2024, 1), (2024, 2), (2024, 3)];
        let items = vec![
            (d("2024-01-10"), Some(10), Some(60)),
            (d("2024-02-10"), Some(20), None),
            (d("2024-03-10"), Some(40), Some(100)),
            (d("2024-03-11"), None, Some(30)),
            (d("2024-07-01"), Some(5), Some(5)),
            (None, Some(999), Some(999)),
            (d("2025-01-01"), Some(999), Some(999)),
        ];
        type Row = (Option<f64>, Option<i64>, usize, Option<f64>, Option<i64>, usize);
        let got: Vec<Row> = durations_per_quarter(&items, &quarters)
            .iter()
            .map(|q| (q.ttd.median, q.ttd.p90, q.ttd.n, q.impact.median, q.impact.p90, q.impact.n))
            .collect();
        assert_eq!(
            got,
            vec![
                // Q1: TTD 10, 20, 40 → median 20, p90 rank ⌈2.7⌉ = 3 → 40; impact 30, 60, 100.
                (Some(20.0), Some(40), 3, Some(60.0), Some(100), 3),
                // Q2: nothing.
                (None, None, 0, None, None, 0),
                // Q3: one incident.
                (Some(5.0), Some(5), 1, Some(5.0), Some(5), 1),
            ]
        );
    }
}
