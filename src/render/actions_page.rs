//! `/actions/` (SPEC §4): every action item across incidents, open and overdue first, then in
//! progress, done, won't do and unknown, each with its incident, owner, due date and the
//! factors it addresses; and per factor, its done actions and whether it came back after
//! them. The page lists everything without JavaScript; a small script filters by owner and
//! status. Order and buckets come from `analysis::actions`.

use super::views::Link;
use super::{Renderer, Sink};
use crate::analysis::actions::{self, Bucket};
use crate::model::slugify;
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Row {
    title: String,
    link: Option<String>,
    status: &'static str,
    status_label: &'static str,
    incident: Link,
    incident_date: Option<String>,
    owner: Option<String>,
    /// The owner's id for the filter (`-` for none).
    owner_id: String,
    due: Option<String>,
    due_iso: Option<String>,
    done: Option<String>,
    addresses: Vec<Link>,
}

/// A group while it is filled.
struct Group {
    id: &'static str,
    label: &'static str,
    rows: Vec<Row>,
}

/// A group as the page shows it, its rows already rendered.
#[derive(Serialize)]
struct GroupView {
    id: &'static str,
    label: &'static str,
    count: usize,
    rows_html: String,
}

/// What `action_rows.html` gets: a chunk of one group's rows.
#[derive(Serialize)]
struct RowsView<'r> {
    group: &'static str,
    rows: &'r [Row],
}

/// Rows per chunk of `action_rows.html`: at 10,000 actions, rendering them in one template
/// was most of the page's time, and chunks render on every core.
const CHUNK: usize = 250;

#[derive(Serialize)]
struct Owner {
    id: String,
    name: String,
    count: usize,
}

#[derive(Serialize)]
struct FactorRow {
    link: Link,
    total: usize,
    done: usize,
    unfinished: usize,
    came_back_after: usize,
    protective: bool,
}

#[derive(Serialize)]
struct ActionsView {
    total: usize,
    overdue: usize,
    reference: Option<String>,
    groups: Vec<GroupView>,
    owners: Vec<Owner>,
    unowned: usize,
    factors: Vec<FactorRow>,
    trends: String,
    patterns: String,
}

impl Renderer<'_> {
    /// Writes `actions/index.html`.
    pub(super) fn actions_page(&self, sink: &dyn Sink) -> Result<()> {
        let path = "actions/";
        let depth = Urls::depth(path);
        let (b, lib) = (&self.b, self.b.lib);
        let reference = b.an.reference;
        let placed = actions::ordered(lib, reference);
        let mut groups: Vec<Group> =
            Bucket::ALL.iter().map(|&k| Group { id: k.id(), label: k.label(), rows: Vec::new() }).collect();
        let mut owners: BTreeMap<String, Owner> = BTreeMap::new();
        let mut unowned = 0;
        for p in &placed {
            let row = self.action_row(depth, p);
            let name = lib.incidents[p.incident].action_items[p.action].owner.as_ref();
            match name.filter(|_| row.owner_id != "-") {
                Some(name) => {
                    let id = row.owner_id.clone();
                    owners.entry(id.clone()).or_insert_with(|| Owner { id, name: name.clone(), count: 0 }).count += 1;
                }
                None => unowned += 1,
            }
            groups[p.bucket as usize].rows.push(row);
        }
        let overdue = groups[Bucket::Overdue as usize].rows.len();
        groups.retain(|g| !g.rows.is_empty());
        let groups = groups
            .iter()
            .map(|g| {
                let rows_html = self.rows_html(g)?;
                Ok(GroupView { id: g.id, label: g.label, count: g.rows.len(), rows_html })
            })
            .collect::<Result<Vec<_>>>()?;
        let factors = actions::per_factor(lib, &b.an.patterns, reference)
            .into_iter()
            .map(|f| FactorRow {
                link: Link { href: b.href(depth, &Urls::page("patterns", &f.id)), label: b.factor_title(&f.id) },
                total: f.total,
                done: f.done,
                unfinished: f.unfinished,
                came_back_after: f.came_back_after,
                protective: b.an.pattern_index.get(&f.id).is_some_and(|&i| b.an.patterns[i].protective),
            })
            .collect();
        let view = ActionsView {
            total: placed.len(),
            overdue,
            reference: reference.map(|d| d.human()),
            groups,
            owners: owners.into_values().collect(),
            unowned,
            factors,
            trends: b.href(depth, "trends/"),
            patterns: b.href(depth, "patterns/"),
        };
        sink.put("actions/index.html", &self.page(path, "actions.html", "Action items", "actions", view)?)
    }

    /// One row: the action, its incident, owner, dates and factors.
    fn action_row(&self, depth: usize, p: &actions::Placed) -> Row {
        let b = &self.b;
        let inc = &b.lib.incidents[p.incident];
        let a = &inc.action_items[p.action];
        Row {
            title: a.title.clone(),
            link: a.link.as_deref().and_then(crate::markdown::safe_url),
            status: p.bucket.id(),
            status_label: p.bucket.label(),
            incident: Link { href: b.href(depth, &Urls::page("incidents", &inc.doc.id)), label: inc.doc.title.clone() },
            incident_date: inc.doc.date.map(|d| d.human()),
            owner: a.owner.clone(),
            owner_id: a.owner.as_deref().map(slugify).filter(|s| !s.is_empty()).unwrap_or_else(|| "-".into()),
            due: a.due.map(|d| d.human()),
            due_iso: a.due.map(|d| d.to_string()),
            done: a.done.map(|d| d.human()),
            addresses: b.factor_links(depth, a.addresses.iter().map(String::as_str)),
        }
    }

    /// A group's rows, rendered with `action_rows.html` in chunks, in parallel, and joined.
    fn rows_html(&self, g: &Group) -> Result<String> {
        use rayon::prelude::*;
        let parts = g
            .rows
            .par_chunks(CHUNK)
            .map(|rows| {
                let ctx = tera::Context::from_serialize(PageRows { page: RowsView { group: g.id, rows } })
                    .map_err(|e| anyhow::anyhow!("action rows: {e}"))?;
                self.tera
                    .render("action_rows.html", &ctx)
                    .map_err(|e| anyhow::anyhow!("rendering `action_rows.html`: {}", super::tera_error(&e)))
            })
            .collect::<Result<Vec<String>>>()?;
        Ok(parts.concat())
    }
}

/// `action_rows.html` reads its rows as `page.rows`, like every template reads `page`.
#[derive(Serialize)]
struct PageRows<'r> {
    page: RowsView<'r>,
}
