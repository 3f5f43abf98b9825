//! `/actions/` (docs/site.md#actions): every action item across incidents, open and overdue first, then in
//! progress, done, won't do and unknown, each with its incident, owner, due date and the
//! factors it addresses; and per factor, its done actions and whether it came back after
//! them. The page lists everything without JavaScript; a small script filters by owner and
//! status. Order and buckets come from `analysis::actions`.

use super::views::Link;
use super::{Renderer, Sink};
use crate::analysis::actions::{self, Bucket};
use crate::model::slugify;
use crate::model::Incident;
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

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
        let mut by_bucket: Vec<Vec<&actions::Placed>> = Bucket::ALL.iter().map(|_| Vec::new()).collect();
        let mut owners: BTreeMap<String, Owner> = BTreeMap::new();
        let mut unowned = 0;
        for p in &placed {
            let name = lib.incidents[p.incident].action_items[p.action].owner.as_ref();
            match name.map(|n| (slugify(n), n)).filter(|(id, _)| !id.is_empty() && id != "-") {
                Some((id, name)) => {
                    owners.entry(id.clone()).or_insert_with(|| Owner { id, name: name.clone(), count: 0 }).count += 1;
                }
                None => unowned += 1,
            }
            by_bucket[p.bucket as usize].push(p);
        }
        let overdue = by_bucket[Bucket::Overdue as usize].len();
        let groups = Bucket::ALL
            .iter()
            .zip(&by_bucket)
            .filter(|(_, placed)| !placed.is_empty())
            .map(|(k, placed)| {
                let rows_html = self.rows_html(depth, k.id(), placed)?;
                Ok(GroupView { id: k.id(), label: k.label(), count: placed.len(), rows_html })
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

    /// A group's rows, rendered with `action_rows.html` in chunks, in parallel, and joined; a
    /// chunk of the same actions of the same incidents as last time (`serve`) is the last one.
    fn rows_html(&self, depth: usize, group: &'static str, placed: &[&actions::Placed]) -> Result<String> {
        use rayon::prelude::*;
        let parts = placed
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(n, chunk)| {
                let key: ChunkKey =
                    chunk.iter().map(|p| (self.b.lib.incidents[p.incident].clone(), p.action)).collect();
                if let Some(html) = self.action_chunks.and_then(|c| c.get(group, n, &key)) {
                    return Ok(html);
                }
                let rows: Vec<Row> = chunk.iter().map(|p| self.action_row(depth, p)).collect();
                let ctx = tera::Context::from_serialize(PageRows { page: RowsView { group, rows: &rows } })
                    .map_err(|e| anyhow::anyhow!("action rows: {e}"))?;
                let html: Arc<str> = self
                    .tera
                    .render("action_rows.html", &ctx)
                    .map_err(|e| anyhow::anyhow!("rendering `action_rows.html`: {}", super::tera_error(&e)))?
                    .into();
                if let Some(c) = self.action_chunks {
                    c.put(group, n, key, html.clone());
                }
                Ok(html)
            })
            .collect::<Result<Vec<Arc<str>>>>()?;
        Ok(parts.concat())
    }
}

/// The actions of one chunk: their incidents (held, so that an unchanged incident is known by
/// its address) and their places among its action items.
type ChunkKey = Vec<(Arc<Incident>, usize)>;

/// A chunk's actions and its rendered rows.
type Chunk = (ChunkKey, Arc<str>);

/// The chunks of `/actions/` rows as last rendered, kept by `serve` between rebuilds while
/// the registry, the URLs and the theme stay (a full rebuild starts afresh): a row depends on
/// its action, its incident and its group alone, so a chunk of the same actions of the very
/// same incidents in the same group renders as before. After a title edit at 10,000
/// incidents, rendering every row again was most of the page's time.
#[derive(Default)]
pub struct ActionChunks {
    last: Mutex<HashMap<(&'static str, usize), Chunk>>,
}

impl ActionChunks {
    fn get(&self, group: &'static str, n: usize, key: &ChunkKey) -> Option<Arc<str>> {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let (was, html) = last.get(&(group, n))?;
        let same = was.len() == key.len() && was.iter().zip(key).all(|(a, b)| Arc::ptr_eq(&a.0, &b.0) && a.1 == b.1);
        same.then(|| html.clone())
    }

    fn put(&self, group: &'static str, n: usize, key: ChunkKey, html: Arc<str>) {
        self.last.lock().unwrap_or_else(PoisonError::into_inner).insert((group, n), (key, html));
    }
}

/// `action_rows.html` reads its rows as `page.rows`, like every template reads `page`.
#[derive(Serialize)]
struct PageRows<'r> {
    page: RowsView<'r>,
}
