//! View structs: the plain, serializable data templates receive. This is the contract with
//! themes; every string is text (templates escape it) except fields named `*_html`.

use super::format;
use crate::analysis::{Analysis, Pattern};
use crate::model::{Incident, Library, Note};
use crate::urls::Urls;
use serde::Serialize;
use std::borrow::Cow;

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub label: String,
}

/// A derived figure with the formula it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Short name (`TTD`).
    pub key: &'static str,
    /// Long name.
    pub label: &'static str,
    /// Formatted value.
    pub value: String,
    /// Minutes, for sorting.
    pub minutes: i64,
    /// How it is computed.
    pub formula: &'static str,
}

/// One row of an incident table.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    /// Page link.
    pub href: String,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// "12 Mar 2024".
    pub date_human: Option<String>,
    /// As written.
    pub severity: Option<String>,
    /// 1 = most severe; for CSS and sorting.
    pub sev_rank: usize,
    /// Services.
    pub services: Vec<Link>,
    /// Factors.
    pub factors: Vec<Link>,
    /// Time to detect.
    pub ttd: Option<Figure>,
    /// Impact duration.
    pub impact: Option<Figure>,
    /// Summary.
    pub summary: Option<String>,
}

/// One row of a note list.
#[derive(Debug, Clone, Serialize)]
pub struct NoteRow {
    /// Page link.
    pub href: String,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// "12 Mar 2024".
    pub date_human: Option<String>,
    /// paper, talk, ...
    pub kind: Option<String>,
    /// Source authors.
    pub authors: Vec<String>,
    /// When the source was published.
    pub published: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Factors.
    pub factors: Vec<Link>,
}

/// One row of the pattern index.
#[derive(Debug, Clone, Serialize)]
pub struct PatternRow {
    /// Page link.
    pub href: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: Option<String>,
    /// Incidents naming it.
    pub count: usize,
    /// Notes naming it.
    pub notes: usize,
    /// In enough incidents to recur.
    pub recurring: bool,
    /// Trend word.
    pub trend: &'static str,
    /// "Mar 2024".
    pub first_seen: Option<String>,
    /// "Mar 2025".
    pub last_seen: Option<String>,
    /// Inline SVG.
    pub sparkline_html: String,
    /// Whether it came back after a fix was done.
    pub recurred_after_fix: bool,
    /// Something that helped: listed under "What helped".
    pub protective: bool,
}

/// Builds views; holds what every builder needs.
pub struct Builder<'a> {
    /// The library.
    pub lib: &'a Library,
    /// Its analysis.
    pub an: &'a Analysis,
    /// URL scheme.
    pub urls: &'a Urls,
    /// Severities, most severe first.
    pub severities: Vec<String>,
    /// Every quarter from the first incident to the reference date.
    pub quarters: Vec<(i32, u32)>,
    /// Each incident's table row, by page depth then incident, made on first use: a row is
    /// shown on the incident list, its pattern, group and related lists, so it is built once
    /// per depth rather than once per list.
    pub rows: Vec<Vec<std::sync::OnceLock<IncidentRow>>>,
}

impl<'a> Builder<'a> {
    /// An href from a page `depth` deep.
    pub fn href(&self, depth: usize, path: &str) -> String {
        self.urls.href(depth, path)
    }

    /// Links to services, teams or tags.
    pub fn group_links(&self, depth: usize, section: &str, names: &[String]) -> Vec<Link> {
        names
            .iter()
            .map(|n| Link { href: self.href(depth, &Urls::page(section, &crate::model::slugify(n))), label: n.clone() })
            .collect()
    }

    /// Links to factors' pattern pages.
    pub fn factor_links<'f>(&self, depth: usize, ids: impl Iterator<Item = &'f str>) -> Vec<Link> {
        ids.map(|id| Link { href: self.href(depth, &Urls::page("patterns", id)), label: self.factor_title(id) })
            .collect()
    }

    /// A factor's title.
    pub fn factor_title(&self, id: &str) -> String {
        self.lib.factors.all.get(id).map_or_else(|| id.to_string(), |f| f.title.clone())
    }

    /// 1-based rank of a severity.
    pub fn sev_rank(&self, sev: Option<&str>) -> usize {
        sev.and_then(|s| self.severities.iter().position(|l| l == s)).map_or(0, |i| i + 1)
    }

    /// The five derived figures that are known.
    pub fn figures(&self, inc: &Incident) -> Vec<Figure> {
        let f = &inc.figures;
        [
            ("TTD", "Time to detect", f.ttd, "detected − started"),
            ("TTA", "Time to acknowledge", f.tta, "acknowledged − detected"),
            ("TTM", "Time to mitigate", f.ttm, "mitigated − started"),
            ("Impact", "Impact duration", f.impact, "resolved − started"),
            ("TTR", "Time to resolve", f.ttr, "resolved − detected"),
        ]
        .into_iter()
        .filter_map(|(key, label, v, formula)| {
            v.map(|m| Figure { key, label, value: format::minutes(m), minutes: m, formula })
        })
        .collect()
    }

    /// A row for an incident table.
    pub fn incident_row(&self, depth: usize, index: usize) -> Cow<'_, IncidentRow> {
        let inc = &self.lib.incidents[index];
        match self.rows.get(depth).and_then(|r| r.get(index)) {
            Some(slot) => Cow::Borrowed(slot.get_or_init(|| self.make_incident_row(depth, inc))),
            None => Cow::Owned(self.make_incident_row(depth, inc)),
        }
    }

    fn make_incident_row(&self, depth: usize, inc: &Incident) -> IncidentRow {
        let figures = self.figures(inc);
        let pick = |k: &str| figures.iter().find(|f| f.key == k).cloned();
        IncidentRow {
            href: self.href(depth, &Urls::page("incidents", &inc.doc.id)),
            title: inc.doc.title.clone(),
            date: inc.doc.date.map(|d| d.to_string()),
            date_human: inc.doc.date.map(|d| d.human()),
            severity: inc.severity.clone(),
            sev_rank: self.sev_rank(inc.severity.as_deref()),
            services: self.group_links(depth, "services", &inc.services),
            factors: self.factor_links(depth, inc.factors.iter().map(|f| f.id.as_str())),
            ttd: pick("TTD"),
            impact: pick("Impact"),
            summary: inc.doc.summary.clone(),
        }
    }

    /// A row for a note list.
    pub fn note_row(&self, depth: usize, n: &Note) -> NoteRow {
        NoteRow {
            href: self.href(depth, &Urls::page("notes", &n.doc.id)),
            title: n.doc.title.clone(),
            date: n.doc.date.map(|d| d.to_string()),
            date_human: n.doc.date.map(|d| d.human()),
            kind: n.kind.clone(),
            authors: n.doc.authors.clone(),
            published: n.published.clone(),
            summary: n.doc.summary.clone(),
            factors: self.factor_links(depth, n.factors.iter().map(|f| f.id.as_str())),
        }
    }

    /// Counts per quarter over the library's whole span.
    pub fn quarter_counts(&self, p: &Pattern) -> Vec<usize> {
        self.quarters.iter().map(|q| p.quarters.get(q).copied().unwrap_or(0)).collect()
    }

    /// A row for the pattern index.
    pub fn pattern_row(&self, depth: usize, p: &Pattern) -> PatternRow {
        let f = self.lib.factors.all.get(&p.id);
        let title = self.factor_title(&p.id);
        let label = format!("{title}: {} incidents per quarter", p.count());
        PatternRow {
            href: self.href(depth, &Urls::page("patterns", &p.id)),
            category: f.and_then(|f| f.category.clone()),
            count: p.count(),
            notes: p.notes.len(),
            recurring: p.recurring,
            trend: p.trend.as_str(),
            first_seen: p.first_seen.map(|d| d.month_name()),
            last_seen: p.last_seen.map(|d| d.month_name()),
            sparkline_html: super::charts::sparkline(&self.quarter_counts(p), &label),
            recurred_after_fix: !p.recurred_after_fix.is_empty(),
            protective: p.protective,
            title,
        }
    }
}
