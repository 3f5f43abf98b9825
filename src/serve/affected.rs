//! The dependency set of an edit: which pages must be rendered again after some documents
//! changed, found by comparing the library before and after. An edit to one incident touches
//! its page; the pattern pages of its old and new factors (all their pages when the pattern's
//! figures moved, else only the pages showing its row or actions, when those moved); `/trends/`
//! and `/actions/` when what they show of it moved;
//! the group pages of its old and new
//! services, teams and tags; every page that links to it or that it links to (backlinks and
//! titles); the incidents that list it as related; and, when its factors changed, every
//! incident that shares one (factor counts and related lists move) and the pattern pages of
//! the factors seen with them (co-occurrence figures move); and the incidents whose similar
//! list shows it. The other incidents whose similar list or recurring problem moved (an edit can
//! change every incident's weights) are [`similar_moved`]: `serve` renders them in a second
//! pass, after the edited page is shown. Index pages, the home page,
//! the feed and the data files are always rendered (see [`Selection`]), but where the lists
//! hold the same documents in the same order, only their pages that show a changed document. Anything that changes
//! the shape of the site (a document added, removed or renamed, a new group or pattern, a new
//! alias, the trend window, a plain page, which feeds the navigation) selects everything.
//! When a title or id moved, every page whose links now resolve elsewhere, and every document
//! whose backlinks moved, is rendered too.

use crate::analysis::Analysis;
use crate::model::{slugify, Incident, Kind, Library, Note};
use crate::render::Selection;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A library and its analysis, before or after the edit.
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    /// The documents.
    pub(crate) lib: &'a Library,
    /// What they mean together.
    pub(crate) an: &'a Analysis,
}

/// What the pages of a site are, independent of what they say: when this differs between
/// two builds, a partial render could leave pages behind or miss new ones.
#[derive(PartialEq)]
struct Shape<'a> {
    docs: Vec<(Kind, &'a str, Vec<&'a str>)>,
    patterns: BTreeSet<&'a str>,
    groups: [Vec<&'a str>; 3],
    pattern_texts: Vec<&'a str>,
    reference: Option<crate::model::Date>,
    first_date: Option<crate::model::Date>,
    severities: BTreeSet<&'a str>,
    drafts: Vec<&'a str>,
    /// Whether the header links `/recurring/` (on every page).
    problems: bool,
}

fn shape<'a>(s: Side<'a>) -> Shape<'a> {
    let mut docs: Vec<(Kind, &str, Vec<&str>)> = s
        .lib
        .documents()
        .map(|(k, d)| (k, d.id.as_str(), d.aliases.iter().map(|(a, _)| a.as_str()).collect()))
        .collect();
    docs.sort_by(|a, b| a.1.cmp(b.1));
    let ids = |g: &'a [crate::analysis::Group]| g.iter().map(|g| g.id.as_str()).collect::<Vec<_>>();
    Shape {
        docs,
        patterns: s.an.patterns.iter().map(|p| p.id.as_str()).collect(),
        groups: [ids(&s.an.services), ids(&s.an.teams), ids(&s.an.tags)],
        pattern_texts: s.lib.pattern_texts.keys().map(String::as_str).collect(),
        reference: s.an.reference,
        first_date: s.lib.incidents.iter().filter_map(|i| i.doc.date).min(),
        severities: s.lib.incidents.iter().filter_map(|i| i.severity.as_deref()).collect(),
        drafts: s.lib.drafts.keys().map(String::as_str).collect(),
        problems: !s.an.problems.is_empty(),
    }
}

/// The pages to render again after the documents at `changed` (paths relative to the library
/// root) went from `old` to `new`.
pub(crate) fn selection(old: Side, new: Side, changed: &[String]) -> Selection {
    if shape(old) != shape(new) {
        return Selection::everything();
    }
    let mut sel = Selection::default();
    let mut rows = BTreeSet::new();
    for path in changed {
        let found = [old, new].map(|s| find(s, path));
        if let Some(Found::Incident(i)) = found[1] {
            rows.insert(new.lib.incidents[i].doc.id.clone());
        }
        if let Some(Found::Note(n)) = found[1] {
            rows.insert(new.lib.notes[n].doc.id.clone());
        }
        match found {
            [Some(Found::Incident(a)), Some(Found::Incident(b))] => incident(&mut sel, [old, new], [a, b]),
            [Some(Found::Note(a)), Some(Found::Note(b))] => note(&mut sel, [old, new], [a, b]),
            [Some(Found::PatternText(a)), Some(Found::PatternText(b))] => {
                sel.patterns.insert(a.to_string());
                sel.patterns.insert(b.to_string());
            }
            // A plain page (its title is in every page's navigation), or a document that
            // changed kind or could not be found.
            _ => return Selection::everything(),
        }
    }
    moved_links(&mut sel, old, new);
    // An edit can change every incident's weights, so any incident's similar list or group;
    // those pages follow in a second render (`similar_moved`), so that the edited page shows
    // without waiting for them (docs/serve.md).
    narrow_lists(&mut sel, old, new, rows);
    sel
}

/// Ids of the incidents whose similar incidents or recurring problem differ between `old` and
/// `new` (compared by what their pages and data show: ids, scores to three decimals, words, and
/// the group's members and label). What a list shows of each incident in it (title, date, ...)
/// is left to [`selection`], which selects the pages listing an edited incident.
pub(crate) fn similar_moved(old: Side, new: Side) -> Vec<String> {
    let (before, after) = (similar_shown(old), similar_shown(new));
    let mut out: Vec<String> =
        after.iter().filter(|(id, now)| before.get(*id) != Some(*now)).map(|(id, _)| id.to_string()).collect();
    out.sort();
    out
}

/// What an incident's similar incidents and group show.
type SimilarShown<'a> = (Vec<(&'a str, i64, &'a Vec<String>)>, Option<Vec<&'a str>>);

/// Per incident id, what its page shows of similar incidents and of its recurring problem.
fn similar_shown<'a>(s: Side<'a>) -> std::collections::HashMap<&'a str, SimilarShown<'a>> {
    // Per recurring problem: its members' ids and its label.
    let shown: Vec<Vec<&str>> =
        s.an.problems
            .iter()
            .map(|p| {
                let members = p.incidents.iter().map(|&i| s.lib.incidents[i].doc.id.as_str());
                members.chain([p.label.as_str()]).collect()
            })
            .collect();
    s.lib
        .incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| {
            let list = s.an.similar.lists.get(i).map_or(&[][..], |l| l.as_slice());
            let list = list.iter().map(|x| {
                (s.lib.incidents[x.incident].doc.id.as_str(), (f64::from(x.score) * 1000.0).round() as i64, &x.words)
            });
            let problem = s.an.problem_of.get(i).copied().flatten().map(|p| shown[p].clone());
            (inc.doc.id.as_str(), (list.collect(), problem))
        })
        .collect()
}

/// When a title or id moved, the links of documents nobody edited may go elsewhere: a new
/// title can take a wiki link from another document, or make it ambiguous. Every page with a
/// link that resolves differently is selected, and every document whose backlinks moved.
fn moved_links(sel: &mut Selection, old: Side, new: Side) {
    if crate::analysis::same_link_targets(old.lib, new.lib) {
        return;
    }
    let moved = |d: &crate::model::Doc| {
        let dir = d.dir();
        d.links.iter().any(|l| old.an.resolver.resolve(dir, l) != new.an.resolver.resolve(dir, l))
    };
    sel.docs.extend(new.lib.documents().filter(|(_, d)| moved(d)).map(|(_, d)| d.id.clone()));
    sel.patterns.extend(new.lib.pattern_texts.iter().filter(|(_, d)| moved(d)).map(|(f, _)| f.clone()));
    let targets: BTreeSet<&String> = old.an.backlinks.keys().chain(new.an.backlinks.keys()).collect();
    sel.docs.extend(targets.into_iter().filter(|t| old.an.backlinks.get(*t) != new.an.backlinks.get(*t)).cloned());
}

/// Where the lists and a group's members are as before (same documents, same order), only
/// the list pages showing a changed document need rendering.
fn narrow_lists(sel: &mut Selection, old: Side, new: Side, rows: BTreeSet<String>) {
    let same_incidents = old.lib.incidents.iter().map(|i| &i.doc.id).eq(new.lib.incidents.iter().map(|i| &i.doc.id));
    let same_notes = old.lib.notes.iter().map(|n| &n.doc.id).eq(new.lib.notes.iter().map(|n| &n.doc.id));
    if !same_incidents || !same_notes {
        // A pattern's incidents are indexes into the lists: they compare only in lists alike.
        let rows = std::mem::take(&mut sel.pattern_rows);
        sel.patterns.extend(rows);
        return;
    }
    let full = &sel.patterns;
    sel.pattern_rows.retain(|p| !full.contains(p));
    let members = |s: Side, section: &str, id: &str| {
        let groups = match section {
            "services" => &s.an.services,
            "teams" => &s.an.teams,
            _ => &s.an.tags,
        };
        groups.iter().find(|g| g.id == id).map(|g| (g.incidents.clone(), g.notes.clone()))
    };
    let (same, moved): (BTreeSet<_>, BTreeSet<_>) = std::mem::take(&mut sel.groups)
        .into_iter()
        .partition(|(section, id)| members(old, section, id) == members(new, section, id));
    sel.groups = moved;
    sel.group_rows = same;
    sel.rows = Some(rows);
}

enum Found<'a> {
    Incident(usize),
    Note(usize),
    PatternText(&'a str),
}

fn find<'a>(s: Side<'a>, path: &str) -> Option<Found<'a>> {
    if let Some(i) = s.lib.incidents.iter().position(|i| i.doc.path == path) {
        return Some(Found::Incident(i));
    }
    if let Some(n) = s.lib.notes.iter().position(|n| n.doc.path == path) {
        return Some(Found::Note(n));
    }
    s.lib.pattern_texts.iter().find(|(_, d)| d.path == path).map(|(id, _)| Found::PatternText(id.as_str()))
}

/// The pages that show something of incident `index[k]` of `sides[k]`.
fn incident<'a>(sel: &mut Selection, sides: [Side<'a>; 2], index: [usize; 2]) {
    let incs: [&Incident; 2] = [&sides[0].lib.incidents[index[0]], &sides[1].lib.incidents[index[1]]];
    let id = incs[1].doc.id.as_str();
    sel.docs.insert(id.to_string());
    let factor_sets: [BTreeSet<&str>; 2] = incs.map(|i| i.factors.iter().map(|f| f.id.as_str()).collect());
    // Services break ties between related incidents, so a change to them moves lists too.
    let factors_moved = factor_sets[0] != factor_sets[1] || incs[0].services != incs[1].services;
    sel.trends |= trends_shown(incs[0]) != trends_shown(incs[1]);
    sel.actions |= actions_shown(incs[0]) != actions_shown(incs[1]);
    let shown_moved = pattern_shown(incs[0]) != pattern_shown(incs[1]);
    for k in 0..2 {
        let (s, inc) = (sides[k], incs[k]);
        links(sel, s, id);
        for f in &factor_sets[k] {
            // A pattern page shows figures over all its incidents, and the incident's row and
            // actions: when the figures moved, every page of it is rendered; when only what it
            // shows of the incident moved, the pages that show the incident.
            if factors_moved || pattern_of(sides[0], f) != pattern_of(sides[1], f) {
                sel.patterns.insert(f.to_string());
            } else if shown_moved {
                sel.pattern_rows.insert(f.to_string());
            }
            // Counts and related lists of every incident sharing a factor may have moved, and
            // so have the co-occurrence figures on the pages of the factors seen with it.
            if factors_moved {
                if let Some(p) = s.an.pattern_index.get(*f).map(|&i| &s.an.patterns[i]) {
                    sel.docs.extend(p.incidents.iter().map(|o| s.lib.incidents[o.incident].doc.id.clone()));
                    sel.patterns.extend(p.co_occurring.iter().map(|c| c.id.clone()));
                }
            }
        }
        groups(sel, "services", &inc.services);
        groups(sel, "teams", &inc.teams);
        groups(sel, "tags", &inc.doc.tags);
        // Incidents whose related list or similar list shows this one (its row: title, date,
        // severity, ...).
        for (j, related) in s.an.related.iter().enumerate() {
            if related.iter().any(|&(r, _)| r == index[k]) {
                sel.docs.insert(s.lib.incidents[j].doc.id.clone());
            }
        }
        for (j, similar) in s.an.similar.lists.iter().enumerate() {
            if similar.iter().any(|x| x.incident == index[k]) {
                sel.docs.insert(s.lib.incidents[j].doc.id.clone());
            }
        }
    }
}

/// The pattern of factor `id` on one side.
fn pattern_of<'a>(s: Side<'a>, id: &str) -> Option<&'a crate::analysis::Pattern> {
    s.an.pattern_index.get(id).map(|&i| &s.an.patterns[i])
}

/// What a pattern page shows of one of its incidents besides what the pattern holds (its
/// role and note there): its row in the incident table, its actions, and its title and
/// services beside a fix it came back after.
fn pattern_shown(i: &Incident) -> impl PartialEq + '_ {
    let d = &i.doc;
    let items: Vec<_> =
        i.action_items.iter().map(|a| (&a.title, &a.status, a.done, &a.owner, a.due, &a.link, &a.addresses)).collect();
    let factors: Vec<_> = i.factors.iter().map(|f| &f.id).collect();
    let row = (&d.title, d.date, &d.summary, &i.severity, &i.services, i.figures.ttd, i.figures.impact);
    (row, factors, items)
}

/// What `/trends/` reads of an incident: the month and quarter it falls in, its severity,
/// its durations, and its factors (the heat map's rows and counts).
fn trends_shown(i: &Incident) -> impl PartialEq + '_ {
    (i.doc.date, &i.severity, i.figures.ttd, i.figures.impact, i.factors.iter().map(|f| &f.id).collect::<Vec<_>>())
}

/// What `/actions/` reads of an incident: its action items with their incident's title and
/// date; and, for the per-factor table, its date, factors (with roles, which make a factor
/// protective) and services, which decide whether a factor came back after a fix.
fn actions_shown(i: &Incident) -> impl PartialEq + '_ {
    let items: Vec<_> =
        i.action_items.iter().map(|a| (&a.title, &a.status, a.done, &a.owner, a.due, &a.link, &a.addresses)).collect();
    let title = (!items.is_empty()).then_some(&i.doc.title);
    let factors: Vec<_> = i.factors.iter().map(|f| (&f.id, &f.role)).collect();
    (items, title, i.doc.date, factors, &i.services)
}

/// The pages that show something of note `index[k]` of `sides[k]`.
fn note(sel: &mut Selection, sides: [Side; 2], index: [usize; 2]) {
    let notes: [&Note; 2] = [&sides[0].lib.notes[index[0]], &sides[1].lib.notes[index[1]]];
    let id = notes[1].doc.id.as_str();
    sel.docs.insert(id.to_string());
    for k in 0..2 {
        links(sel, sides[k], id);
        // A pattern page lists its notes on its first page: when the pattern (its notes among
        // it) is as it was, only that page.
        for f in &notes[k].factors {
            if pattern_of(sides[0], &f.id) == pattern_of(sides[1], &f.id) {
                sel.pattern_rows.insert(f.id.clone());
            } else {
                sel.patterns.insert(f.id.clone());
            }
        }
        groups(sel, "tags", &notes[k].doc.tags);
    }
}

/// Documents that link to `id` (they show its title) and those it links to (their backlinks
/// list it).
fn links(sel: &mut Selection, s: Side, id: &str) {
    if let Some(from) = s.an.backlinks.get(id) {
        sel.docs.extend(from.iter().cloned());
    }
    for (target, from) in &s.an.backlinks {
        if from.contains(id) {
            sel.docs.insert(target.clone());
        }
    }
}

fn groups(sel: &mut Selection, section: &str, names: &[String]) {
    sel.groups.extend(names.iter().map(|n| (section.to_string(), slugify(n))));
}

/// Whether open pages must reload in full after the files at `changed` (absolute paths)
/// changed, rather than swap in their new content: when the config, the theme or an asset
/// (a stylesheet, a script, an image) changed, since what a page loads besides its HTML may be
/// stale. Documents and the factor registry only change what pages say. A path that is gone
/// and was no asset (an editor's temporary file) does not count. `assets` are the absolute
/// paths of the assets the last build copied.
pub(crate) fn reloads_in_full(config: &crate::config::Config, assets: &[&Path], changed: &BTreeSet<PathBuf>) -> bool {
    let src = config.src_dir();
    let theme = config.theme.as_ref().map(|t| config.root.join(t));
    changed.iter().any(|p| {
        if theme.as_ref().is_some_and(|t| p.starts_with(t)) || *p == config.root.join("book.toml") {
            return true;
        }
        if !p.exists() && !assets.contains(&p.as_path()) {
            return false;
        }
        let Ok(rel) = p.strip_prefix(&src) else { return true };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let registry = !rel.starts_with("static/") && (rel.ends_with(".yaml") || rel.ends_with(".yml"));
        !(crate::content::is_document(&rel) || registry)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_config_the_theme_and_assets_ask_for_a_full_reload() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        let mut config = crate::config::Config::defaults(&root);
        config.theme = Some(PathBuf::from("mytheme"));
        let src = config.src_dir();
        for f in ["incidents/a.md", "factors.yaml", "static/style.css", "static/logo.png"] {
            std::fs::create_dir_all(src.join(f).parent().expect("parent")).expect("mkdir");
            std::fs::write(src.join(f), "x").expect("write");
        }
        let gone_asset = src.join("static/old.png");
        let assets = [gone_asset.as_path()];
        let full = |paths: &[PathBuf]| reloads_in_full(&config, &assets, &paths.iter().cloned().collect());
        assert!(!full(&[src.join("incidents/a.md"), src.join("factors.yaml")]), "content only");
        assert!(!full(&[src.join("incidents/a.md"), src.join("incidents/.a.md.swp")]), "a temporary file");
        assert!(full(&[src.join("incidents/a.md"), src.join("static/style.css")]), "a stylesheet");
        assert!(full(std::slice::from_ref(&gone_asset)), "an asset removed");
        assert!(full(&[root.join("book.toml")]), "the config");
        assert!(full(&[root.join("mytheme/templates/base.html")]), "a theme file, even removed");
        assert!(!full(&[]));
    }
}
