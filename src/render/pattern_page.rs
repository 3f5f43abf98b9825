//! One page per pattern (`patterns/<id>/`), split past `page-size` like the incident list:
//! the first page holds every figure, the notes, the actions and what came back after a fix;
//! later pages hold the rest of the incidents.

use super::doc_views::ActionView;
use super::views::{IncidentRow, Link, NoteRow};
use super::{charts, file_of, format, native, Renderer, Selection, Sink};
use crate::analysis::Pattern;
use crate::urls::Urls;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Clone, Serialize)]
pub(super) struct Occ<'r> {
    pub(super) row: Cow<'r, IncidentRow>,
    pub(super) role: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Clone, Serialize)]
pub(super) struct ActionRow {
    pub(super) action: ActionView,
    pub(super) incident: Link,
}

#[derive(Clone, Serialize)]
pub(super) struct Recurrence {
    pub(super) action: String,
    pub(super) done: String,
    pub(super) fixed_in: Link,
    pub(super) recurred_in: Link,
    pub(super) after: usize,
    /// How many of the incidents after the fix share a service with `fixed_in`.
    pub(super) same_service: usize,
    /// The services `recurred_in` shares with `fixed_in`.
    pub(super) shared: Vec<String>,
    /// Whether `fixed_in` names any service (else "same service" says nothing).
    pub(super) fixed_has_services: bool,
}

/// How many "came back after a fix" entries a pattern page lists.
const RECURRENCES_SHOWN: usize = 10;

#[derive(Clone, Serialize)]
pub(super) struct CoView {
    pub(super) link: Link,
    pub(super) count: usize,
    /// Two decimals, so the column lines up.
    pub(super) jaccard: String,
}

#[derive(Clone, Serialize)]
pub(super) struct Quarter {
    pub(super) label: String,
    pub(super) count: usize,
}

#[derive(Clone, Serialize)]
pub(super) struct PatternView<'r> {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) category: Option<String>,
    pub(super) description: Option<String>,
    pub(super) aliases: Vec<String>,
    pub(super) text_html: Option<String>,
    pub(super) count: usize,
    pub(super) recurring: bool,
    pub(super) protective: bool,
    pub(super) recurring_threshold: usize,
    pub(super) trend: &'static str,
    pub(super) last_12: usize,
    pub(super) previous_12: usize,
    pub(super) reference: Option<String>,
    pub(super) first_seen: Option<String>,
    pub(super) last_seen: Option<String>,
    pub(super) incidents: Vec<Occ<'r>>,
    /// Split past `page-size`: this page's place; the figures are over all incidents.
    pub(super) pager: Option<super::lists::Pager>,
    pub(super) first_page: bool,
    pub(super) notes: Vec<NoteRow>,
    pub(super) quarters: Vec<Quarter>,
    pub(super) chart_html: String,
    pub(super) co_occurring: Vec<CoView>,
    pub(super) services: Vec<(Link, usize)>,
    pub(super) ttd: Option<(String, String, usize)>,
    pub(super) impact: Option<(String, String, usize)>,
    pub(super) actions: Vec<ActionRow>,
    pub(super) recurrences: Vec<Recurrence>,
    pub(super) recurrence_count: usize,
}

impl Renderer<'_> {
    /// Writes the selected pattern pages; of a pattern selected for its rows alone
    /// ([`Selection::pattern_rows`]), only the pages that show one of them.
    pub(super) fn pattern_pages(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        self.b.an.patterns.par_iter().filter(|p| sel.pattern(&p.id)).try_for_each(|p| {
            let only_rows = sel.pattern_rows_of(&p.id);
            let first = (!only_rows || sel.shows(self.first_page_shows(p))).then(|| self.first_view(p));
            let later = self.later_view(p);
            self.pattern_split(sink, p, first, later, |range| {
                !only_rows
                    || sel.shows(p.incidents[range].iter().map(|o| self.b.lib.incidents[o.incident].doc.id.as_str()))
            })
        })
    }

    /// The documents a pattern's first page shows besides its rows: the incidents of its
    /// actions and of the fixes it came back after (both sides), and its notes.
    fn first_page_shows<'p>(&'p self, p: &'p Pattern) -> impl Iterator<Item = &'p str> + 'p {
        let lib = self.b.lib;
        let actions = p.actions.iter().map(|&(i, _)| i);
        let recurrences = p.recurred_after_fix.iter().take(RECURRENCES_SHOWN).flat_map(|r| [r.incident, r.first_after]);
        let size = self.config.page_size.max(1);
        let rows = p.incidents.iter().take(size).map(|o| o.incident);
        let incidents = rows.chain(actions).chain(recurrences).map(|i| lib.incidents[i].doc.id.as_str());
        incidents.chain(p.notes.iter().map(|&n| lib.notes[n].doc.id.as_str()))
    }

    /// What every page of a pattern shows: its name and its headline figures.
    fn later_view(&self, p: &Pattern) -> PatternView<'_> {
        let b = &self.b;
        let f = b.lib.factors.all.get(&p.id);
        let stat = |s: &crate::analysis::Stats| Some((format::minutes_f(s.median?), format::minutes(s.p90?), s.n));
        PatternView {
            id: p.id.clone(),
            title: b.factor_title(&p.id),
            category: f.and_then(|f| f.category.clone()),
            description: None,
            aliases: Vec::new(),
            text_html: None,
            count: p.count(),
            recurring: p.recurring,
            protective: p.protective,
            recurring_threshold: self.config.recurring,
            trend: p.trend.as_str(),
            last_12: p.window.0,
            previous_12: p.window.1,
            reference: b.an.reference.map(|d| d.human()),
            first_seen: p.first_seen.map(|d| d.human()),
            last_seen: p.last_seen.map(|d| d.human()),
            incidents: Vec::new(),
            pager: None,
            first_page: false,
            notes: Vec::new(),
            quarters: Vec::new(),
            chart_html: String::new(),
            co_occurring: Vec::new(),
            services: Vec::new(),
            ttd: stat(&p.ttd),
            impact: stat(&p.impact),
            actions: Vec::new(),
            recurrences: Vec::new(),
            recurrence_count: p.recurred_after_fix.len(),
        }
    }

    /// What the first page of a pattern shows besides: its text, chart, companions,
    /// services, notes, actions and what came back after a fix.
    fn first_view(&self, p: &Pattern) -> PatternView<'_> {
        let b = &self.b;
        let path = Urls::page("patterns", &p.id);
        let depth = Urls::depth(&path);
        let f = b.lib.factors.all.get(&p.id);
        let later = self.later_view(p);
        let quarters: Vec<Quarter> = b
            .quarters
            .iter()
            .map(|q| Quarter { label: format!("Q{} {}", q.1, q.0), count: p.quarters.get(q).copied().unwrap_or(0) })
            .collect();
        let chart_items: Vec<(String, usize)> = quarters.iter().map(|q| (q.label.clone(), q.count)).collect();
        let co_link = |id: &str| Link { href: b.href(depth, &Urls::page("patterns", id)), label: b.factor_title(id) };
        let service_link = |s: &String| Link {
            href: b.href(depth, &Urls::page("services", &crate::model::slugify(s))),
            label: s.clone(),
        };
        PatternView {
            description: f.and_then(|f| f.description.clone()),
            aliases: f.map(|f| f.aliases.clone()).unwrap_or_default(),
            text_html: b.lib.pattern_texts.get(&p.id).map(|d| self.body(d, &path)),
            first_page: true,
            notes: p.notes.iter().map(|&n| b.note_row(depth, &b.lib.notes[n])).collect(),
            chart_html: charts::bars(&chart_items, &format!("{}: incidents per quarter", later.title)),
            quarters,
            co_occurring: p
                .co_occurring
                .iter()
                .take(10)
                .map(|c| CoView { link: co_link(&c.id), count: c.count, jaccard: format!("{:.2}", c.jaccard) })
                .collect(),
            services: p.services.iter().map(|(s, n)| (service_link(s), *n)).collect(),
            actions: p
                .actions
                .iter()
                .map(|&(i, a)| ActionRow {
                    action: self.action_view(depth, &b.lib.incidents[i].action_items[a]),
                    incident: self.incident_link(depth, i),
                })
                .collect(),
            recurrences: p
                .recurred_after_fix
                .iter()
                .take(RECURRENCES_SHOWN)
                .map(|r| self.recurrence(depth, r))
                .collect(),
            ..later
        }
    }

    /// A link to incident `i` from a page `depth` folders down, labelled with its title.
    fn incident_link(&self, depth: usize, i: usize) -> Link {
        let inc = &self.b.lib.incidents[i];
        Link { href: self.b.href(depth, &Urls::page("incidents", &inc.doc.id)), label: inc.doc.title.clone() }
    }

    /// A fix the pattern came back after, as its first page lists it.
    fn recurrence(&self, depth: usize, r: &crate::analysis::Recurrence) -> Recurrence {
        let fixed = &self.b.lib.incidents[r.incident];
        Recurrence {
            action: fixed.action_items[r.action].title.clone(),
            done: r.done.human(),
            fixed_in: self.incident_link(depth, r.incident),
            recurred_in: self.incident_link(depth, r.first_after),
            after: r.after,
            same_service: r.same_service,
            shared: r.shared.clone(),
            fixed_has_services: !fixed.services.is_empty(),
        }
    }

    /// Writes a pattern's pages (`patterns/<id>/`, `patterns/<id>/page/2/`, ...): the first
    /// from `first` with the first incidents, the others from `later`, each holding the rest of
    /// the incidents; later pages sit two folders deeper, so their links are made again. Only
    /// the pages whose incident range `wanted` accepts are written, and the first only with a
    /// `first` view and then always.
    fn pattern_split<'r>(
        &'r self,
        sink: &dyn Sink,
        p: &Pattern,
        mut first: Option<PatternView<'r>>,
        later: PatternView<'r>,
        wanted: impl Fn(std::ops::Range<usize>) -> bool,
    ) -> Result<()> {
        let b = &self.b;
        let base = format!("patterns/{}", p.id);
        let first_wanted = first.is_some();
        let keep =
            |page: usize, range: &std::ops::Range<usize>| if page == 1 { first_wanted } else { wanted(range.clone()) };
        self.each_page(&base, p.count(), keep, |slot| {
            let d = slot.depth;
            let occ = |o: &crate::analysis::Occurrence| Occ {
                row: b.incident_row(d, o.incident),
                role: o.role.clone(),
                note: o.note.clone(),
            };
            let incidents = p.incidents[slot.range.clone()].iter().map(occ).collect();
            let title = slot.heading(&later.title);
            let v = match (slot.page, first.take()) {
                (1, Some(v)) => PatternView { incidents, pager: slot.pager, ..v },
                _ => PatternView { incidents, pager: slot.pager, ..later.clone() },
            };
            let file = file_of(&slot.path);
            if self.native.pattern {
                let site = self.site(&slot.path);
                return native::write_page(sink, &file, |out| native::pattern_page(out, site, &title, &v));
            }
            sink.put(&file, &self.page(&slot.path, "pattern.html", &title, "patterns", v)?)
        })
    }
}
