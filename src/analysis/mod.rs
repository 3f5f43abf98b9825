//! What the library means as a whole, computed from the model alone: links and backlinks,
//! patterns and trends, related incidents, and the service, team and tag groupings. Pure.

mod links;
mod patterns;
mod related;

pub use links::{Resolver, Target};
pub use patterns::{stats, CoOccurrence, Occurrence, Pattern, Recurrence, Stats, Trend};

use crate::diagnostic::Diagnostic;
use crate::model::{slugify, Date, Library};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A service, team or tag and what it holds.
#[derive(Debug, Clone)]
pub struct Group {
    /// Id by the id rule.
    pub id: String,
    /// The first spelling seen.
    pub name: String,
    /// Indexes into `Library::incidents` (newest first).
    pub incidents: Vec<usize>,
    /// Indexes into `Library::notes` (tags only).
    pub notes: Vec<usize>,
}

/// The analysed library.
#[derive(Debug)]
pub struct Analysis {
    /// Patterns, ranked by recurrence.
    pub patterns: Vec<Pattern>,
    /// Factor id → index into `patterns`.
    pub pattern_index: HashMap<String, usize>,
    /// Document id → ids of the documents that link to it or name it.
    pub backlinks: BTreeMap<String, BTreeSet<String>>,
    /// Incident index → related incident indexes (by shared factors), most shared first.
    pub related: Vec<Vec<(usize, usize)>>,
    /// Services.
    pub services: Vec<Group>,
    /// Teams.
    pub teams: Vec<Group>,
    /// Tags.
    pub tags: Vec<Group>,
    /// The reference date of trends: `SOURCE_DATE_EPOCH`, else the newest dated incident.
    pub reference: Option<Date>,
    /// Link lookups, for rendering.
    pub resolver: Resolver,
}

/// How many related incidents a page lists.
const RELATED: usize = 5;

/// Analyses a library. `source_date_epoch` is the environment's `SOURCE_DATE_EPOCH`, if set.
pub fn analyse(
    lib: &Library,
    recurring: usize,
    warn_links: bool,
    source_date_epoch: Option<i64>,
) -> (Analysis, Vec<Diagnostic>) {
    analyse_reusing(lib, recurring, warn_links, source_date_epoch, None)
}

/// [`analyse`], taking the related-incident lists from `related` when given: `serve` passes
/// the last build's when every incident has the same place and factors (the slowest part of
/// the analysis at 10,000 incidents).
pub fn analyse_reusing(
    lib: &Library,
    recurring: usize,
    warn_links: bool,
    source_date_epoch: Option<i64>,
    related: Option<Vec<Vec<(usize, usize)>>>,
) -> (Analysis, Vec<Diagnostic>) {
    let resolver = Resolver::new(lib);
    let reference = source_date_epoch
        .map(|s| Date::from_days(s.div_euclid(86_400)))
        .or_else(|| lib.incidents.iter().filter_map(|i| i.doc.date).max());
    // The parts are independent of each other; `serve` waits for all of them after each save.
    let ((backlinks, diags), (patterns, (related, (services, teams, tags)))) = rayon::join(
        || links::check(lib, &resolver, warn_links),
        || {
            rayon::join(
                || patterns::compute(lib, reference, recurring),
                || (related.unwrap_or_else(|| self::related(lib)), all_groups(lib)),
            )
        },
    );
    let pattern_index = patterns.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let analysis = Analysis { patterns, pattern_index, backlinks, related, services, teams, tags, reference, resolver };
    (analysis, diags)
}

/// The service, team and tag groups.
fn all_groups(lib: &Library) -> (Vec<Group>, Vec<Group>, Vec<Group>) {
    let services = groups(lib.incidents.iter().enumerate().map(|(i, inc)| (i, &inc.services)), std::iter::empty());
    let teams = groups(lib.incidents.iter().enumerate().map(|(i, inc)| (i, &inc.teams)), std::iter::empty());
    let tags = groups(
        lib.incidents.iter().enumerate().map(|(i, inc)| (i, &inc.doc.tags)),
        lib.notes.iter().enumerate().map(|(i, n)| (i, &n.doc.tags)),
    );
    (services, teams, tags)
}

fn groups<'a>(
    incidents: impl Iterator<Item = (usize, &'a Vec<String>)>,
    notes: impl Iterator<Item = (usize, &'a Vec<String>)>,
) -> Vec<Group> {
    let mut map: BTreeMap<String, Group> = BTreeMap::new();
    let mut add = |i: usize, names: &Vec<String>, note: bool| {
        for name in names {
            let id = slugify(name);
            if id.is_empty() {
                continue;
            }
            let g = map.entry(id.clone()).or_insert_with(|| Group {
                id,
                name: name.clone(),
                incidents: Vec::new(),
                notes: Vec::new(),
            });
            let list = if note { &mut g.notes } else { &mut g.incidents };
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    };
    for (i, names) in incidents {
        add(i, names, false);
    }
    for (i, names) in notes {
        add(i, names, true);
    }
    map.into_values().collect()
}

/// Whether two libraries have the same incidents in the same order with the same factors, so
/// that their related-incident lists are the same.
pub fn same_factors(a: &Library, b: &Library) -> bool {
    a.incidents.len() == b.incidents.len()
        && a.incidents
            .iter()
            .zip(&b.incidents)
            .all(|(x, y)| x.doc.id == y.doc.id && x.factors.iter().map(|f| &f.id).eq(y.factors.iter().map(|f| &f.id)))
}

/// Each incident's related incidents (see [`related`](mod@related)).
fn related(lib: &Library) -> Vec<Vec<(usize, usize)>> {
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let factors: Vec<Vec<u32>> = lib
        .incidents
        .iter()
        .map(|inc| {
            inc.factors
                .iter()
                .map(|f| {
                    let next = numbers.len() as u32;
                    *numbers.entry(f.id.as_str()).or_insert(next)
                })
                .collect()
        })
        .collect();
    related::related(&factors)
}
