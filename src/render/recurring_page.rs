//! `/recurring/`: the recurring problems (docs/similar.md), largest and most recent first,
//! each at `/recurring/#<id>` with its label, words, services and incidents oldest first; and
//! the rows the home page shows of the most recent ones.

use super::views::Link;
use super::{Renderer, Sink};
use crate::analysis::Problem;
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;

/// How many recurring problems the home page shows.
pub(super) const HOME_PROBLEMS: usize = 3;

/// One recurring problem as a page shows it.
#[derive(Serialize)]
pub(super) struct ProblemRow {
    /// Its anchor: the oldest member's id.
    pub(super) id: String,
    /// Its link on `/recurring/`.
    pub(super) href: String,
    pub(super) label: String,
    /// Its words, joined.
    pub(super) words: String,
    pub(super) count: usize,
    pub(super) first_seen: Option<String>,
    pub(super) last_seen: Option<String>,
    pub(super) services: Vec<Link>,
    /// Oldest first.
    pub(super) incidents: Vec<MemberRow>,
}

/// A member of a recurring problem as its list shows it: the fields the templates use of an
/// incident row, and no more (at thousands of groups, whole rows with their summaries, factors
/// and services made `/recurring/`'s template data several times the page).
#[derive(Serialize)]
pub(super) struct MemberRow {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
}

#[derive(Serialize)]
struct RecurringView {
    problems: Vec<ProblemRow>,
    /// Incidents in some group.
    grouped: usize,
}

impl Renderer<'_> {
    /// A problem as seen from a page `depth` folders deep.
    pub(super) fn problem_row(&self, depth: usize, p: &Problem) -> ProblemRow {
        let b = &self.b;
        ProblemRow {
            id: p.id.clone(),
            href: b.href(depth, &format!("recurring/#{}", p.id)),
            label: p.label.clone(),
            words: p.words.join(", "),
            count: p.incidents.len(),
            first_seen: p.first_seen.map(|d| d.human()),
            last_seen: p.last_seen.map(|d| d.human()),
            services: b.group_links(depth, "services", &p.services),
            incidents: p
                .incidents
                .iter()
                .map(|&i| {
                    let r = b.incident_row(depth, i);
                    MemberRow {
                        href: r.href.clone(),
                        title: r.title.clone(),
                        date: r.date.clone(),
                        date_human: r.date_human.clone(),
                    }
                })
                .collect(),
        }
    }

    /// The problems the home page shows: the most recently seen first.
    pub(super) fn recent_problems(&self) -> Vec<ProblemRow> {
        let mut recent: Vec<&Problem> = self.b.an.problems.iter().collect();
        recent.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.id.cmp(&b.id)));
        recent.into_iter().take(HOME_PROBLEMS).map(|p| self.problem_row(0, p)).collect()
    }

    /// Writes `/recurring/`.
    pub(super) fn recurring_page(&self, sink: &dyn Sink) -> Result<()> {
        let path = "recurring/";
        let problems: Vec<ProblemRow> = self.b.an.problems.iter().map(|p| self.problem_row(1, p)).collect();
        let grouped = problems.iter().map(|p| p.count).sum();
        let view = RecurringView { problems, grouped };
        let html = self.page(path, "recurring.html", "Recurring problems", "recurring", view)?;
        sink.put(&super::file_of(&Urls::page("", "recurring")), &html)
    }
}
