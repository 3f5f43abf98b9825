//! What the library means as a whole, computed from the model alone: links and backlinks,
//! patterns and trends, related and similar incidents, recurring problems, and the service,
//! team and tag groupings. Pure.

pub mod actions;
mod factor_check;
mod links;
mod patterns;
mod problems;
mod recurrence;
mod related;
mod similar;
pub mod suggest;
#[cfg(test)]
mod testlib;
pub mod trends;

pub use links::{same_targets as same_link_targets, Backlinks, Resolver, Target};
pub use patterns::{same_inputs as same_pattern_inputs, stats, CoOccurrence, Occurrence, Pattern, Stats, Trend};
pub use problems::Problem;
pub use recurrence::Recurrence;
pub(crate) use similar::compute as similarity;
pub use similar::{Similar, Similarity};

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
    /// Incident index → (related incident index, shared factor count), best first: rare shared
    /// factors weigh more (see `related.rs`).
    pub related: Vec<Vec<(usize, usize)>>,
    /// Per incident, the incidents that read most like it, and what that is computed from.
    pub similar: Similarity,
    /// Recurring problems: groups of incidents that read alike, largest first.
    pub problems: Vec<Problem>,
    /// Per incident, the index in `problems` of the group it is in, if any (an incident page
    /// finds its group here rather than by searching every group's members).
    pub problem_of: Vec<Option<usize>>,
    /// Services.
    pub services: Vec<Group>,
    /// Teams.
    pub teams: Vec<Group>,
    /// Tags.
    pub tags: Vec<Group>,
    /// The reference date of trends: `SOURCE_DATE_EPOCH`, else the newest dated incident.
    pub reference: Option<Date>,
    /// Link lookups, for rendering.
    pub resolver: std::sync::Arc<Resolver>,
    /// What the link check found (also among the diagnostics the analysis returns), kept so
    /// that `serve` can check only the edited documents next time.
    pub link_diags: Vec<Diagnostic>,
}

/// What `serve` lends an analysis from the last one, each part taken only where what it is
/// computed from is the same (see [`same_factors`] and [`patterns::same_inputs`]).
#[derive(Debug, Default)]
pub struct Reused<'a> {
    /// The related-incident lists (the slowest part of the analysis at 10,000 incidents).
    pub related: Option<Vec<Vec<(usize, usize)>>>,
    /// The patterns, with the reference date they were computed for.
    pub patterns: Option<(Option<Date>, Vec<Pattern>)>,
    /// The last library, its link lookups, backlinks and link diagnostics, when every link
    /// resolves as it did then (see [`same_link_targets`]).
    pub links: Option<(&'a Library, std::sync::Arc<Resolver>, &'a Backlinks, &'a [Diagnostic])>,
    /// The service, team and tag groups, when every document has the services, teams and tags
    /// it had, in the same order (see [`same_groupings`]).
    pub groups: Option<(Vec<Group>, Vec<Group>, Vec<Group>)>,
}

/// Analyses a library, taking what `reused` holds (from the last analysis, in `serve`) instead
/// of computing it again; `Reused::default()` computes everything. `source_date_epoch` is the
/// environment's `SOURCE_DATE_EPOCH`, if set.
pub fn analyse(
    lib: &Library,
    recurring: usize,
    warn_links: bool,
    source_date_epoch: Option<i64>,
    reused: Reused,
) -> (Analysis, Vec<Diagnostic>) {
    let (resolver, previous) = match reused.links {
        Some((lib, resolver, backlinks, diags)) => (resolver, Some((lib, backlinks, diags))),
        None => (std::sync::Arc::new(Resolver::new(lib)), None),
    };
    let reference = source_date_epoch
        .map(|s| Date::from_days(s.div_euclid(86_400)))
        .or_else(|| lib.incidents.iter().filter_map(|i| i.doc.date).max());
    let (related, kept_patterns) = (reused.related, reused.patterns.filter(|(r, _)| *r == reference));
    // The parts are independent of each other; `serve` waits for all of them after each save.
    let ((((backlinks, link_diags), near), (similar, problems)), (patterns, (related, (services, teams, tags)))) =
        rayon::join(
            || {
                rayon::join(
                    || {
                        let checked = match previous {
                            Some(previous) => links::check_patching(lib, &resolver, warn_links, previous),
                            None => links::check(lib, &resolver, warn_links),
                        };
                        (checked, factor_check::near_duplicates(lib))
                    },
                    || {
                        let similar = similar::compute(lib);
                        let problems = problems::gather(lib, &similar);
                        (similar, problems)
                    },
                )
            },
            || {
                rayon::join(
                    || kept_patterns.map_or_else(|| patterns::compute(lib, reference, recurring), |(_, p)| p),
                    || {
                        let related = related.unwrap_or_else(|| related::related(lib));
                        (related, reused.groups.unwrap_or_else(|| all_groups(lib)))
                    },
                )
            },
        );
    let pattern_index = patterns.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let mut diags = link_diags.clone();
    diags.extend(near);
    let problem_of = problems::membership(&problems, lib.incidents.len());
    let analysis = Analysis {
        patterns,
        pattern_index,
        backlinks,
        related,
        similar,
        problems,
        problem_of,
        services,
        teams,
        tags,
        reference,
        resolver,
        link_diags,
    };
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

/// Whether the incidents and notes of two libraries are in the same order with the same
/// services, teams and tags, so that their groups are the same.
pub fn same_groupings(a: &Library, b: &Library) -> bool {
    fn incident(i: &crate::model::Incident) -> (&Vec<String>, &Vec<String>, &Vec<String>) {
        (&i.services, &i.teams, &i.doc.tags)
    }
    a.incidents.len() == b.incidents.len()
        && a.notes.len() == b.notes.len()
        && a.incidents.iter().map(|i| incident(i)).eq(b.incidents.iter().map(|i| incident(i)))
        && a.notes.iter().map(|n| &n.doc.tags).eq(b.notes.iter().map(|n| &n.doc.tags))
}

/// Whether two libraries have the same incidents in the same order with the same factors and
/// services (services break ties), so that their related-incident lists are the same.
pub fn same_factors(a: &Library, b: &Library) -> bool {
    a.incidents.len() == b.incidents.len()
        && a.incidents.iter().zip(&b.incidents).all(|(x, y)| {
            x.doc.id == y.doc.id
                && x.services == y.services
                && x.factors.iter().map(|f| &f.id).eq(y.factors.iter().map(|f| &f.id))
        })
}
