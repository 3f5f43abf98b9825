//! The last step of assembling a library: an incident's factor texts classified, and every
//! factor spelling (on incidents, their action items, and notes) resolved to a canonical id.
//! Documents are shared (`Arc`), and `serve` keeps each finished one beside the parsed one it
//! came from, so that a rebuild shares it again instead of copying it (copying 10,000
//! incidents took ~100 ms of every rebuild).
//!
//! A finished document depends on the parsed one and the registry alone: a spelling the
//! registry knows gives its id, any other its own key whether or not an earlier document named
//! it. What does depend on the other documents (which one first names an unregistered factor,
//! and so is warned about it and gives its title) is replayed: the unregistered spellings are
//! resolved again, in order, for every document.

use super::factor::Factors;
use super::incident::{FactorRef, Incident};
use super::note::Note;
use crate::diagnostic::{Diagnostic, Location};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Finished documents by path, and the registry they were finished against.
#[derive(Default)]
pub(super) struct Finished {
    registry: Option<Factors>,
    incidents: HashMap<String, FinishedDoc<Incident>>,
    notes: HashMap<String, FinishedDoc<Note>>,
}

/// A finished document and the parsed one it was finished from.
struct FinishedDoc<T> {
    from: Arc<T>,
    made: Arc<T>,
    replay: Replay,
}

/// What finishing a document does besides the document: diagnostics, and unregistered
/// factors added to the library's.
#[derive(Default)]
struct Replay {
    /// What classifying its factor texts said.
    diags: Vec<Diagnostic>,
    /// Spellings the registry does not know, in the order they are resolved.
    unregistered: Vec<(String, Location)>,
}

impl Finished {
    /// Forgets the document at `path`.
    pub(super) fn forget(&mut self, path: &str) {
        self.incidents.remove(path);
        self.notes.remove(path);
    }

    /// Starts an assembly against `registry`: documents finished against another are forgotten.
    pub(super) fn start(&mut self, registry: &Factors) {
        if !self.registry.as_ref().is_some_and(|r| r.same_as(registry)) {
            self.incidents.clear();
            self.notes.clear();
            self.registry = Some(registry.clone());
        }
    }
}

/// What finishing adds to a parsed document.
#[derive(Default)]
struct Additions {
    /// Factors inferred from the factor texts (after the written ones).
    inferred: Vec<FactorRef>,
    /// Factor texts no registered factor matches.
    unclassified: Vec<String>,
    /// The canonical id of each factor, written then inferred; `None` drops it (no id, or a
    /// repeat).
    ids: Vec<Option<String>>,
    /// Each action item's addressed factors, canonical.
    addresses: Vec<Vec<String>>,
}

/// The incident with its factors, unclassified texts and addressed factors worked out (the
/// diagnostics of doing so pushed to `diags`, unknown factors added to `factors`).
pub(super) fn incident(
    parsed: Arc<Incident>,
    factors: &mut Factors,
    diags: &mut Vec<Diagnostic>,
    mut kept: Option<&mut Finished>,
) -> Arc<Incident> {
    if let Some(made) = kept.as_deref_mut().and_then(|k| reuse(&k.incidents, &parsed, factors, diags)) {
        return made;
    }
    let path = parsed.doc.path.as_str();
    let mut out = Additions::default();
    let mark = diags.len();
    super::classify::classify(factors, path, &parsed.factor_texts, &mut out.inferred, &mut out.unclassified, diags);
    let registry = kept.as_deref().and_then(|k| k.registry.as_ref());
    let classified = registry.map(|_| diags[mark..].to_vec()).unwrap_or_default();
    let refs: Vec<&FactorRef> = parsed.factors.iter().chain(&out.inferred).collect();
    out.ids = resolve_ids(&refs, path, factors, diags);
    let mut spellings: Vec<(&str, Location)> = refs.iter().map(|r| (r.written.as_str(), r.loc)).collect();
    for a in &parsed.action_items {
        let mut resolved = Vec::new();
        for (k, addr) in a.addresses.iter().enumerate() {
            let Some(loc) = a.addresses_locs.get(k) else {
                resolved.push(addr.clone());
                continue;
            };
            spellings.push((addr, *loc));
            resolved.push(factors.resolve(addr, path, *loc, diags).unwrap_or_else(|| addr.clone()));
        }
        out.addresses.push(resolved);
    }
    let replay = registry.map(|r| Replay { diags: classified, unregistered: unregistered(r, &spellings) });
    let (from, mut made) = unshare(parsed, replay);
    made.factors.extend(out.inferred);
    apply_ids(&mut made.factors, &out.ids);
    made.unclassified.extend(out.unclassified);
    for (a, addrs) in made.action_items.iter_mut().zip(out.addresses) {
        a.addresses = addrs;
    }
    keep(kept.map(|k| &mut k.incidents), from, made)
}

/// The note with its factors resolved.
pub(super) fn note(
    parsed: Arc<Note>,
    factors: &mut Factors,
    diags: &mut Vec<Diagnostic>,
    mut kept: Option<&mut Finished>,
) -> Arc<Note> {
    if let Some(made) = kept.as_deref_mut().and_then(|k| reuse(&k.notes, &parsed, factors, diags)) {
        return made;
    }
    let refs: Vec<&FactorRef> = parsed.factors.iter().collect();
    let ids = resolve_ids(&refs, &parsed.doc.path, factors, diags);
    let spellings: Vec<(&str, Location)> = refs.iter().map(|r| (r.written.as_str(), r.loc)).collect();
    let registry = kept.as_deref().and_then(|k| k.registry.as_ref());
    let replay = registry.map(|r| Replay { diags: Vec::new(), unregistered: unregistered(r, &spellings) });
    let (from, mut made) = unshare(parsed, replay);
    apply_ids(&mut made.factors, &ids);
    keep(kept.map(|k| &mut k.notes), from, made)
}

/// The document finished from this very `parsed` one last time, its side effects replayed.
fn reuse<T: HasPath>(
    kept: &HashMap<String, FinishedDoc<T>>,
    parsed: &Arc<T>,
    factors: &mut Factors,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<T>> {
    let k = kept.get(parsed.path()).filter(|k| Arc::ptr_eq(&k.from, parsed))?;
    diags.extend(k.replay.diags.iter().cloned());
    for (spelling, loc) in &k.replay.unregistered {
        factors.resolve(spelling, parsed.path(), *loc, diags);
    }
    Some(k.made.clone())
}

/// A copy of `parsed` to finish, with `parsed` and its replay when they are to be kept; else
/// `parsed` itself (copied only if something else holds it).
fn unshare<T: Clone>(parsed: Arc<T>, replay: Option<Replay>) -> (Option<(Arc<T>, Replay)>, T) {
    match replay {
        Some(replay) => {
            let made = T::clone(&parsed);
            (Some((parsed, replay)), made)
        }
        None => (None, Arc::unwrap_or_clone(parsed)),
    }
}

/// `made`, shared, and kept with what it was finished from when `serve` keeps documents.
fn keep<T: HasPath>(
    kept: Option<&mut HashMap<String, FinishedDoc<T>>>,
    from: Option<(Arc<T>, Replay)>,
    made: T,
) -> Arc<T> {
    let made = Arc::new(made);
    if let (Some(kept), Some((from, replay))) = (kept, from) {
        kept.insert(from.path().to_string(), FinishedDoc { from, made: made.clone(), replay });
    }
    made
}

/// The spellings the registry does not know.
fn unregistered(registry: &Factors, spellings: &[(&str, Location)]) -> Vec<(String, Location)> {
    spellings.iter().filter(|(s, _)| registry.find(s).is_none()).map(|(s, loc)| (s.to_string(), *loc)).collect()
}

/// A document kept by its path.
trait HasPath {
    fn path(&self) -> &str;
}

impl HasPath for Incident {
    fn path(&self) -> &str {
        &self.doc.path
    }
}

impl HasPath for Note {
    fn path(&self) -> &str {
        &self.doc.path
    }
}

/// The canonical id of each factor spelling; `None` for one that gives no id or repeats an
/// earlier one.
fn resolve_ids(
    refs: &[&FactorRef],
    path: &str,
    factors: &mut Factors,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<String>> {
    let mut seen = HashSet::new();
    refs.iter().map(|r| factors.resolve(&r.written, path, r.loc, diags).filter(|id| seen.insert(id.clone()))).collect()
}

/// Sets each factor's id, dropping those without one.
fn apply_ids(refs: &mut Vec<FactorRef>, ids: &[Option<String>]) {
    let mut ids = ids.iter();
    refs.retain_mut(|r| match ids.next() {
        Some(Some(id)) => {
            r.id.clone_from(id);
            true
        }
        _ => false,
    });
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::model::{assemble, model_document, Library, ParseCache};
    use std::path::Path;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    fn incident(title: &str, factors: &str, addresses: &str) -> String {
        format!(
            "---\ntitle: {title}\ndate: 2024-01-01\nfactors: [{factors}]\n\
             action_items:\n  - title: Fix it\n    status: open\n    addresses: [{addresses}]\n---\nBody.\n"
        )
    }

    /// What assembling gave: each incident's factors and addresses, each note's factors, the
    /// factors with their titles, and every diagnostic.
    fn summary(lib: &Library, diags: &[crate::diagnostic::Diagnostic]) -> String {
        let mut out = String::new();
        for i in &lib.incidents {
            let f: Vec<&str> = i.factors.iter().map(|f| f.id.as_str()).collect();
            let a: Vec<&Vec<String>> = i.action_items.iter().map(|a| &a.addresses).collect();
            out.push_str(&format!("{} {f:?} {a:?} {:?}\n", i.doc.id, i.unclassified));
        }
        for n in &lib.notes {
            out.push_str(&format!("{} {:?}\n", n.doc.id, n.factors.iter().map(|f| &f.id).collect::<Vec<_>>()));
        }
        for f in lib.factors.all.values() {
            out.push_str(&format!("{} {:?}\n", f.id, f.title));
        }
        let mut diags: Vec<String> = diags.iter().map(|d| d.headline()).collect();
        diags.sort();
        out + &diags.join("\n")
    }

    #[test]
    fn kept_documents_assemble_as_fresh_ones_when_another_edit_moves_who_names_a_factor_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "content/factors.yaml", "config-change:\n  title: Configuration change\n  aliases: [bad config]\n");
        write(root, "content/incidents/a.md", &incident("A", "Novel Thing, bad config", "novel thing"));
        write(root, "content/incidents/b.md", &incident("B", "novel_thing, Config Change", "bad config"));
        write(root, "content/notes/n.md", "---\ntitle: N\nfactors: [Other New, novel thing]\n---\nText.\n");
        let (config, _) = Config::load(root).expect("config");
        let mut cache = ParseCache::default();
        // As the pipeline does with a cache: documents it holds are taken, the others modelled.
        let check = |cache: &mut ParseCache, step: &str| {
            let source = crate::content::load(&config).expect("load");
            let model = |raw| model_document(raw, &config, false);
            let held = source.documents.iter().map(|raw| cache.get(&raw.src_rel).unwrap_or_else(|| model(raw)));
            let held: Vec<_> = held.collect();
            held.iter().for_each(|m| cache.keep(m));
            let (kept, kept_diags) = assemble(held, source.factors.as_ref(), Vec::new(), false, Some(cache));
            let fresh_docs = source.documents.iter().map(model).collect();
            let (fresh, fresh_diags) = assemble(fresh_docs, source.factors.as_ref(), Vec::new(), false, None);
            assert_eq!(summary(&kept, &kept_diags), summary(&fresh, &fresh_diags), "{step}");
            kept
        };
        let first = check(&mut cache, "first build");
        assert_eq!(first.factors.all["novel-thing"].title, "Novel Thing");
        let again = check(&mut cache, "nothing changed");
        assert!(std::sync::Arc::ptr_eq(&first.incidents[0], &again.incidents[0]), "an unchanged incident is shared");
        // `a` no longer names the new factor: `b` is now the first to, and gives its title.
        write(root, "content/incidents/a.md", &incident("A", "bad config", "config-change"));
        cache.forget("incidents/a.md");
        let edited = check(&mut cache, "a edited");
        assert_eq!(edited.factors.all["novel-thing"].title, "novel_thing");
        // Another registry: what was finished against the old one is finished again.
        write(root, "content/factors.yaml", "novel-thing:\n  title: A registered thing\n");
        let edited = check(&mut cache, "registry changed");
        assert_eq!(edited.factors.all["novel-thing"].title, "A registered thing");
    }
}
