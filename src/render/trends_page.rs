//! `/trends/` (docs/site.md#trends): incidents per month by severity, a factor × quarter heat map of the
//! top factors, and TTD and impact duration per quarter, each an inline SVG with its table of
//! numbers and its formula. The figures come from `analysis::trends`.

use super::charts::{self, Band};
use super::views::Link;
use super::{format, Renderer, Sink};
use crate::analysis::trends::{self, Month, Quarter};
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;

/// How many factors the heat map shows.
const HEAT_ROWS: usize = 12;

#[derive(Serialize)]
struct SeverityBand {
    label: String,
    class: String,
}

#[derive(Serialize)]
struct MonthRow {
    label: String,
    counts: Vec<usize>,
    total: usize,
}

#[derive(Serialize)]
struct HeatRow {
    link: Link,
    counts: Vec<usize>,
    total: usize,
}

#[derive(Serialize)]
struct DurationRow {
    label: String,
    ttd: Option<(String, String)>,
    ttd_n: usize,
    impact: Option<(String, String)>,
    impact_n: usize,
}

#[derive(Serialize)]
struct TrendsView {
    incidents: usize,
    undated: usize,
    first_month: Option<String>,
    last_month: Option<String>,
    levels: Vec<SeverityBand>,
    months: Vec<MonthRow>,
    monthly_svg: String,
    heat_rows: Vec<HeatRow>,
    heat_columns: Vec<String>,
    heat_max: usize,
    heat_svg: String,
    durations: Vec<DurationRow>,
    ttd_n: usize,
    impact_n: usize,
    ttd_svg: String,
    impact_svg: String,
    patterns: String,
    actions: String,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_label((y, m): Month) -> String {
    format!("{} {y}", MONTHS[(m as usize).clamp(1, 12) - 1])
}

fn quarter_label((y, q): Quarter) -> String {
    format!("Q{q} {y}")
}

/// The monthly chart's part of the view: levels, rows, SVG and the undated count.
struct MonthlyPart {
    levels: Vec<SeverityBand>,
    months: Vec<MonthRow>,
    svg: String,
    undated: usize,
}

/// The heat map's part of the view.
struct HeatPart {
    rows: Vec<HeatRow>,
    max: usize,
    svg: String,
}

/// The durations' part of the view.
struct DurationPart {
    rows: Vec<DurationRow>,
    ttd_n: usize,
    impact_n: usize,
    ttd_svg: String,
    impact_svg: String,
}

impl Renderer<'_> {
    /// Writes `trends/index.html`.
    pub(super) fn trends_page(&self, sink: &dyn Sink) -> Result<()> {
        let path = "trends/";
        let depth = Urls::depth(path);
        let lib = self.b.lib;
        let monthly = self.monthly_part();
        let quarters = trends::quarters_of(lib.incidents.iter().filter_map(|i| i.doc.date));
        let q_labels: Vec<String> = quarters.iter().copied().map(quarter_label).collect();
        let heat = self.heat_part(depth, &quarters, &q_labels);
        let durations = self.duration_part(&quarters, &q_labels);
        let view = TrendsView {
            incidents: lib.incidents.len(),
            undated: monthly.undated,
            first_month: monthly.months.first().map(|m| m.label.clone()),
            last_month: monthly.months.last().map(|m| m.label.clone()),
            levels: monthly.levels,
            months: monthly.months,
            monthly_svg: monthly.svg,
            heat_rows: heat.rows,
            heat_columns: q_labels,
            heat_max: heat.max,
            heat_svg: heat.svg,
            durations: durations.rows,
            ttd_n: durations.ttd_n,
            impact_n: durations.impact_n,
            ttd_svg: durations.ttd_svg,
            impact_svg: durations.impact_svg,
            patterns: self.b.href(depth, "patterns/"),
            actions: self.b.href(depth, "actions/"),
        };
        sink.put("trends/index.html", &self.page(path, "trends.html", "Trends", "trends", view)?)
    }

    /// Incidents per month by severity.
    fn monthly_part(&self) -> MonthlyPart {
        let b = &self.b;
        let items: Vec<_> = b.lib.incidents.iter().map(|i| (i.doc.date, i.severity.as_deref())).collect();
        let monthly = trends::per_month(&items, &b.severities);
        let levels: Vec<SeverityBand> = monthly
            .levels
            .iter()
            .map(|l| match l {
                Some(s) => {
                    let rank = b.sev_rank(Some(s));
                    SeverityBand { label: s.clone(), class: format!("band-{}", if rank <= 4 { rank } else { 0 }) }
                }
                None => SeverityBand { label: "No severity".into(), class: "band-0".into() },
            })
            .collect();
        let labels: Vec<String> = monthly.months.iter().copied().map(month_label).collect();
        // Years are marked at each January, and the first month is named in full.
        let ticks: Vec<Option<String>> = monthly
            .months
            .iter()
            .enumerate()
            .map(|(k, &(y, m))| (k == 0 || m == 1).then(|| if m == 1 { y.to_string() } else { month_label((y, m)) }))
            .collect();
        let bands: Vec<Band> = levels.iter().map(|l| Band { label: &l.label, class: l.class.clone() }).collect();
        let svg = charts::stacked_bars(&labels, &ticks, &bands, &monthly.counts, "Incidents per month by severity");
        let months = monthly
            .counts
            .iter()
            .zip(labels)
            .map(|(c, label)| MonthRow { label, counts: c.clone(), total: c.iter().sum() })
            .collect();
        MonthlyPart { levels, months, svg, undated: monthly.undated }
    }

    /// The factor × quarter heat map of the top factors.
    fn heat_part(&self, depth: usize, quarters: &[Quarter], labels: &[String]) -> HeatPart {
        let b = &self.b;
        let ticks: Vec<Option<String>> = quarters
            .iter()
            .enumerate()
            .map(|(k, &(y, q))| Some(if k == 0 || q == 1 { quarter_label((y, q)) } else { format!("Q{q}") }))
            .collect();
        let (heat, max) = trends::heat_map(&b.an.patterns, quarters, HEAT_ROWS);
        let named: Vec<(String, Vec<usize>)> = heat.iter().map(|r| (b.factor_title(&r.id), r.counts.clone())).collect();
        let svg = charts::heat_map(&named, labels, &ticks, max, "Top factors: incidents per quarter");
        let rows = heat
            .into_iter()
            .map(|r| HeatRow {
                link: Link { href: b.href(depth, &Urls::page("patterns", &r.id)), label: b.factor_title(&r.id) },
                counts: r.counts,
                total: r.total,
            })
            .collect();
        HeatPart { rows, max, svg }
    }

    /// TTD and impact duration per quarter.
    fn duration_part(&self, quarters: &[Quarter], labels: &[String]) -> DurationPart {
        let lib = self.b.lib;
        let ticks: Vec<Option<String>> = quarters
            .iter()
            .enumerate()
            .map(|(k, &(y, q))| (k == 0 || q == 1).then(|| if q == 1 { y.to_string() } else { quarter_label((y, q)) }))
            .collect();
        let figures: Vec<_> = lib.incidents.iter().map(|i| (i.doc.date, i.figures.ttd, i.figures.impact)).collect();
        let per = trends::durations_per_quarter(&figures, quarters);
        let pair = |s: &crate::analysis::Stats| Some((format::minutes_f(s.median?), format::minutes(s.p90?)));
        let ttd: Vec<_> = per.iter().map(|d| (d.ttd.median, d.ttd.p90)).collect();
        let impact: Vec<_> = per.iter().map(|d| (d.impact.median, d.impact.p90)).collect();
        DurationPart {
            ttd_n: per.iter().map(|d| d.ttd.n).sum(),
            impact_n: per.iter().map(|d| d.impact.n).sum(),
            ttd_svg: charts::median_p90(labels, &ticks, &ttd, "Time to detect per quarter: median and p90"),
            impact_svg: charts::median_p90(labels, &ticks, &impact, "Impact duration per quarter: median and p90"),
            rows: per
                .iter()
                .zip(labels)
                .map(|(d, l)| DurationRow {
                    label: l.clone(),
                    ttd: pair(&d.ttd),
                    ttd_n: d.ttd.n,
                    impact: pair(&d.impact),
                    impact_n: d.impact.n,
                })
                .collect(),
        }
    }
}
