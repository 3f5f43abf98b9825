//! Index pages: home, the incident table (split into pages past `page-size`), notes, the
//! pattern index grouped by category and the 404 page; and that split into pages, which group
//! pages share.

use super::views::{IncidentRow, Link, NoteRow, PatternRow};
use super::{file_of, Renderer, Selection, Sink};
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Links between the pages of a split list.
#[derive(Clone, Serialize)]
pub(super) struct Pager {
    pub(super) page: usize,
    pub(super) pages: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    pub(super) links: Vec<(usize, String)>,
}

/// One page of a split list.
pub(super) struct ListPage {
    /// Site path of this page.
    pub(super) path: String,
    /// How deep it is.
    pub(super) depth: usize,
    /// Which rows it holds.
    pub(super) range: std::ops::Range<usize>,
    /// 1-based page number.
    pub(super) page: usize,
    /// How many pages in all.
    pub(super) pages: usize,
    /// Links to the other pages, when there are several.
    pub(super) pager: Option<Pager>,
}

impl ListPage {
    /// The title of this page: `title`, then "(page 2 of 3)" past the first.
    pub(super) fn heading(&self, title: &str) -> String {
        if self.page == 1 {
            title.to_string()
        } else {
            format!("{title} (page {} of {})", self.page, self.pages)
        }
    }
}

/// A list split into pages.
struct List<T: Serialize> {
    section: &'static str,
    title: &'static str,
    template: &'static str,
    total: usize,
    /// Prints a page without Tera, where the theme allows.
    native: Option<NativeList<T>>,
}

/// A native printer of one list page.
type NativeList<T> = fn(&mut String, &super::SiteView, &str, &ListView<T>);

/// One page of a split list.
#[derive(Serialize)]
pub(super) struct ListView<T: Serialize> {
    pub(super) rows: Vec<T>,
    pub(super) total: usize,
    pub(super) pager: Option<Pager>,
}

#[derive(Serialize)]
struct CategoryView {
    name: String,
    patterns: Vec<PatternRow>,
}

#[derive(Serialize)]
struct PatternIndex {
    categories: Vec<CategoryView>,
    /// Protective factors, listed apart.
    helped: Vec<PatternRow>,
    trends: String,
    recurring: usize,
    total: usize,
    threshold: usize,
    first_quarter: Option<String>,
    last_quarter: Option<String>,
}

#[derive(Serialize)]
struct Lately {
    pattern: Link,
    incident: Link,
    date: Option<String>,
    count: usize,
}

#[derive(Serialize)]
struct HomeView<'r> {
    incidents: Vec<Cow<'r, IncidentRow>>,
    incident_count: usize,
    note_count: usize,
    pattern_count: usize,
    recurring_count: usize,
    patterns: Vec<PatternRow>,
    /// Protective factors, most incidents first.
    helped: Vec<PatternRow>,
    lately: Vec<Lately>,
    /// The most recently seen recurring problems.
    problems: Vec<super::recurring_page::ProblemRow>,
    all_problems: String,
    start_here: Option<StartHere>,
    all_incidents: String,
    all_patterns: String,
}

#[derive(Serialize)]
struct StartHere {
    href: String,
    title: String,
    summary: Option<String>,
    notes: Vec<NoteRow>,
}

/// How many rows the home page shows per list.
const HOME_ROWS: usize = 8;
/// "Recurred lately" looks this many months back from the reference date.
const LATELY_MONTHS: u32 = 6;

impl Renderer<'_> {
    pub(super) fn list_pages(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        self.home(sink)?;
        let (incidents, notes) = (&self.b.lib.incidents, &self.b.lib.notes);
        let native = self.native.incident_list.then_some(super::native::incident_list as NativeList<_>);
        let list = List {
            section: "incidents",
            title: "Incidents",
            template: "incidents.html",
            total: incidents.len(),
            native,
        };
        self.paged(sink, list, sel, |i| &incidents[i].doc.id, |d, i| self.b.incident_row(d, i))?;
        let native = self.native.note_list.then_some(super::native::note_list_page as NativeList<_>);
        let list =
            List { section: "notes", title: "Reading notes", template: "notes.html", total: notes.len(), native };
        self.paged(sink, list, sel, |i| &notes[i].doc.id, |d, i| self.b.note_row(d, &notes[i]))?;
        self.pattern_index(sink)?;
        let not_found = self.page("404.html", "404.html", "Page not found", "", ())?;
        sink.put("404.html", &not_found)
    }

    /// Writes `section/`, `section/page/2/`, ... with `page-size` rows each (those `sel` asks for).
    fn paged<'i, T: Serialize>(
        &self,
        sink: &dyn Sink,
        list: List<T>,
        sel: &Selection,
        id: impl Fn(usize) -> &'i str,
        row: impl Fn(usize, usize) -> T,
    ) -> Result<()> {
        let List { section, title, template, total, native } = list;
        self.each_page(
            section,
            total,
            |_, range| sel.shows(range.clone().map(&id)),
            |slot| {
                let rows = slot.range.clone().map(|i| row(slot.depth, i)).collect();
                let heading = slot.heading(title);
                let view = ListView { rows, total, pager: slot.pager };
                let file = file_of(&slot.path);
                if let Some(print) = native {
                    let site = self.site(&slot.path);
                    return super::native::write_page(sink, &file, |out| print(out, site, &heading, &view));
                }
                sink.put(&file, &self.page(&slot.path, template, &heading, section, view)?)
            },
        )
    }

    /// Splits `total` rows under `base/` into pages of `page-size` (`base/`, `base/page/2/`, ...)
    /// and calls `write` for each page whose number and row range `keep` accepts (the others
    /// are skipped before their pager, links to every page, is made).
    pub(super) fn each_page(
        &self,
        base: &str,
        total: usize,
        keep: impl Fn(usize, &std::ops::Range<usize>) -> bool,
        mut write: impl FnMut(ListPage) -> Result<()>,
    ) -> Result<()> {
        let size = self.config.page_size.max(1);
        let pages = total.div_ceil(size).max(1);
        let path_of = |n: usize| if n == 1 { format!("{base}/") } else { format!("{base}/page/{n}/") };
        for n in 1..=pages {
            let range = size * (n - 1)..(size * n).min(total);
            if !keep(n, &range) {
                continue;
            }
            let path = path_of(n);
            let depth = Urls::depth(&path);
            let pager = (pages > 1).then(|| Pager {
                page: n,
                pages,
                prev: (n > 1).then(|| self.b.href(depth, &path_of(n - 1))),
                next: (n < pages).then(|| self.b.href(depth, &path_of(n + 1))),
                links: (1..=pages).map(|k| (k, self.b.href(depth, &path_of(k)))).collect(),
            });
            write(ListPage { range, depth, page: n, pages, pager, path })?;
        }
        Ok(())
    }

    fn pattern_index(&self, sink: &dyn Sink) -> Result<()> {
        let path = "patterns/";
        let mut cats: BTreeMap<String, Vec<PatternRow>> = BTreeMap::new();
        let mut helped = Vec::new();
        for p in &self.b.an.patterns {
            let row = self.b.pattern_row(1, p);
            if p.protective {
                helped.push(row);
                continue;
            }
            cats.entry(row.category.clone().unwrap_or_else(|| "Uncategorised".into())).or_default().push(row);
        }
        // Categories with the most recurrence first; "Uncategorised" last.
        let mut categories: Vec<CategoryView> =
            cats.into_iter().map(|(name, patterns)| CategoryView { name, patterns }).collect();
        categories.sort_by_key(|c| {
            (c.name == "Uncategorised", std::cmp::Reverse(c.patterns.iter().map(|p| p.count).sum::<usize>()))
        });
        let q = &self.b.quarters;
        let view = PatternIndex {
            recurring: self.b.an.patterns.iter().filter(|p| p.recurring && !p.protective).count(),
            total: self.b.an.patterns.len() - helped.len(),
            helped,
            trends: self.b.href(1, "trends/"),
            threshold: self.config.recurring,
            first_quarter: q.first().map(|(y, q)| format!("Q{q} {y}")),
            last_quarter: q.last().map(|(y, q)| format!("Q{q} {y}")),
            categories,
        };
        sink.put(&file_of(path), &self.page(path, "patterns.html", "Patterns", "patterns", view)?)
    }

    fn home(&self, sink: &dyn Sink) -> Result<()> {
        let b = &self.b;
        let lib = b.lib;
        let harmful = || b.an.patterns.iter().filter(|p| !p.protective);
        let patterns: Vec<PatternRow> =
            harmful().filter(|p| p.recurring).take(HOME_ROWS).map(|p| b.pattern_row(0, p)).collect();
        let helped: Vec<PatternRow> =
            b.an.patterns.iter().filter(|p| p.protective).take(HOME_ROWS).map(|p| b.pattern_row(0, p)).collect();
        let since = b.an.reference.map(|r| r.months_before(LATELY_MONTHS));
        let mut lately: Vec<Lately> = harmful()
            .filter(|p| p.recurring)
            .filter_map(|p| {
                let latest = p.incidents.iter().min_by_key(|o| o.incident)?;
                let inc = &lib.incidents[latest.incident];
                let date = inc.doc.date?;
                (Some(date) > since).then(|| Lately {
                    pattern: Link { href: b.href(0, &Urls::page("patterns", &p.id)), label: b.factor_title(&p.id) },
                    incident: Link {
                        href: b.href(0, &Urls::page("incidents", &inc.doc.id)),
                        label: inc.doc.title.clone(),
                    },
                    date: Some(date.human()),
                    count: p.count(),
                })
            })
            .collect();
        lately.truncate(HOME_ROWS);
        let start_here = lib.pages.iter().find(|p| p.id == "start-here").map(|p| {
            let linked: Vec<NoteRow> = p
                .links
                .iter()
                .filter_map(|l| match b.an.resolver.resolve(p.dir(), l) {
                    crate::analysis::Target::Doc { kind: crate::model::Kind::Note, id, .. } => {
                        lib.notes.iter().find(|n| n.doc.id == id)
                    }
                    _ => None,
                })
                .map(|n| b.note_row(0, n))
                .collect();
            StartHere {
                href: b.href(0, &Urls::page("", &p.id)),
                title: p.title.clone(),
                summary: p.summary.clone(),
                notes: linked,
            }
        });
        let view = HomeView {
            incidents: (0..lib.incidents.len().min(HOME_ROWS)).map(|i| b.incident_row(0, i)).collect(),
            incident_count: lib.incidents.len(),
            note_count: lib.notes.len(),
            pattern_count: b.an.patterns.len(),
            recurring_count: harmful().filter(|p| p.recurring).count(),
            patterns,
            helped,
            lately,
            problems: self.recent_problems(),
            all_problems: b.href(0, "recurring/"),
            start_here,
            all_incidents: b.href(0, "incidents/"),
            all_patterns: b.href(0, "patterns/"),
        };
        sink.put("index.html", &self.page("", "home.html", &self.config.title, "home", view)?)
    }
}
