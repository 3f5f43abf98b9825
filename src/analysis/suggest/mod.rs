//! `casebook patterns --suggest` (docs/suggest.md): registry entries proposed from what recurs in
//! the unclassified contributing-factor texts, named as a reader would name them. Terms of one to
//! three words are weighed by how distinctive they are of those texts against every document's
//! text and by how much their words belong together (`terms`); phrases that share a telling word
//! are merged into one proposal with several `match:` phrases, and the word they end with joins
//! them ("image upgrade", then "upgrade"); and each proposal is counted as the library would count it with the draft
//! added to its registry (`draft`), so the printed counts hold once the draft is committed.

mod draft;
mod terms;

use crate::model::{slugify, Factors, Library};
use draft::Entry;
use std::collections::{HashMap, HashSet};
pub(crate) use terms::clauses;
use terms::{Splitter, Term};

/// Most proposals printed.
const MAX_PROPOSALS: usize = 20;
/// Most `match:` phrases in one proposal.
const MAX_MATCHES: usize = 8;
/// A term weaker than this does not start a proposal (see `terms::score`: two incidents whose
/// texts are the only documents naming a word score 0.9; a word in twice as many documents as
/// cause texts, 0.5).
const MIN_SCORE: f64 = 0.7;
/// A single word is proposed only when at least this share of the documents naming it name it
/// in a cause.
const WORD_SHARE: f64 = 0.75;
/// Two phrases that start with the same word join when at least this share of the documents
/// naming that word name it in a cause (`config change`, `config push`).
const TELLING_SHARE: f64 = 0.6;

/// What the suggestion reads of one incident.
#[derive(Debug, Clone, Default)]
pub struct Case<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its unclassified factor texts.
    pub unclassified: Vec<&'a str>,
    /// Every factor text read from its body (a committed registry matches all of them).
    pub texts: Vec<&'a str>,
    /// The factors its front matter names, as written.
    pub written: Vec<&'a str>,
    /// Its body, part of the library's text that terms are weighed against.
    pub body: &'a str,
}

/// One proposed registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `match:` phrases, the best first.
    pub matches: Vec<String>,
    /// The incidents it would give this factor, sorted.
    pub incidents: Vec<String>,
}

/// Terms chosen for one proposal.
struct Group<'t> {
    terms: Vec<&'t Term>,
    incidents: HashSet<usize>,
    texts: HashSet<(usize, usize)>,
    id: String,
}

/// Proposals for `cases`, weighed against their bodies and `others` (the notes' text), for a
/// library whose registry is `registry`.
pub fn suggest(cases: &[Case], others: &[&str], registry: &Factors) -> Vec<Proposal> {
    let split = Splitter::new();
    let unclassified: Vec<Vec<&str>> = cases.iter().map(|c| c.unclassified.clone()).collect();
    let documents: Vec<&str> = cases.iter().map(|c| c.body).chain(others.iter().copied()).collect();
    let found = terms::recurring(&split, &unclassified, &documents);
    let lib = draft::Library::new(cases, registry);
    let capitals = Capitals::of(cases.iter().flat_map(|c| c.unclassified.iter().copied()));
    let groups = choose(&found, documents.len(), &|id| lib.taken(id), &capitals);
    let mut entries: Vec<Entry> = groups.iter().map(|g| entry(g, &capitals)).collect();
    // Keep the first entries, in the order they were chosen, that name two incidents; counted
    // again once the set is final, as an entry dropped no longer claims the labels it spelled.
    let counts = lib.count(&entries);
    entries.retain(|e| counts.get(&e.id).map_or(0, |s| s.len()) >= 2);
    entries.truncate(MAX_PROPOSALS);
    let counts = lib.count(&entries);
    let mut out: Vec<Proposal> = entries
        .into_iter()
        .map(|e| {
            let incidents = counts.get(&e.id).map(|s| s.iter().cloned().collect()).unwrap_or_default();
            Proposal { id: e.id, title: e.title, matches: e.matches, incidents }
        })
        .collect();
    out.sort_by(|a, b| b.incidents.len().cmp(&a.incidents.len()).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Picks terms: phrases first, best first, then single words. A phrase whose words hold, or
/// are held by, the words of the phrase that started a proposal joins it (`certificate expired`,
/// `expired certificate`, `TLS certificate expired`), and so does one that starts with the same
/// telling word (`config push`, `config change`); a single word joins the proposal whose first
/// phrase ends with it ([`heads`]). A term found mostly in texts a proposal already names adds
/// nothing; any other starts a proposal when it is strong enough ([`MIN_SCORE`], and
/// [`WORD_SHARE`] for a word).
fn choose<'t>(
    found: &'t [Term],
    documents: usize,
    taken: &dyn Fn(&str) -> bool,
    capitals: &Capitals,
) -> Vec<Group<'t>> {
    let share: HashMap<&str, f64> =
        found.iter().filter(|t| t.words == 1).map(|t| (t.key.as_str(), t.share())).collect();
    let telling = |stem: &str| stem != "no" && share.get(stem).is_some_and(|s| *s >= TELLING_SHARE);
    let mut groups: Vec<Group> = Vec::new();
    let phrases = found.iter().filter(|t| t.words > 1);
    let words = found.iter().filter(|t| t.words == 1 && t.strength >= MIN_SCORE);
    for t in phrases.chain(words) {
        let join = if t.words > 1 { joins(&groups, t, &telling) } else { heads(&groups, t, documents) };
        if let Some(g) = join.and_then(|n| groups.get_mut(n)) {
            g.terms.push(t);
            g.incidents.extend(&t.incidents);
            g.texts.extend(&t.texts);
            continue;
        }
        if t.strength < MIN_SCORE || (t.words == 1 && t.share() < WORD_SHARE) {
            continue;
        }
        // Texts already named by a proposal: an incident has several causes, but a text
        // mostly one.
        let named = t.texts.iter().filter(|x| groups.iter().any(|g| g.texts.contains(x))).count();
        if 2 * named > t.texts.len() {
            continue;
        }
        // Nearly the incidents of a proposal, in other texts: most likely the same cause told
        // another way ("kube reserved" and "memory pressure" in the same four postmortems).
        let same = |g: &Group| g.incidents.len() <= 2 * t.incidents.len() && t.incidents.is_subset(&g.incidents);
        if groups.iter().any(same) {
            continue;
        }
        let id = slugify(&title(t, capitals));
        if id.is_empty() || taken(&id) || groups.iter().any(|g| g.id == id) {
            continue;
        }
        groups.push(Group { terms: vec![t], incidents: t.incidents.clone(), texts: t.texts.clone(), id });
    }
    // A group is named after its best term once all have joined.
    for n in 0..groups.len() {
        let id = slugify(&title(namer(&groups[n]), capitals));
        if !id.is_empty() && !taken(&id) && groups.iter().all(|g| g.id != id) {
            groups[n].id = id;
        }
    }
    groups
}

/// The group a phrase joins: the first whose seed's words hold its words or are held by them, or
/// that starts with the same telling word. Compared with the term that started the group only,
/// so groups do not grow by chaining.
fn joins(groups: &[Group], t: &Term, telling: &dyn Fn(&str) -> bool) -> Option<usize> {
    let stems: HashSet<&str> = t.stems().collect();
    groups.iter().position(|g| {
        let seed = g.terms[0];
        let held: HashSet<&str> = seed.stems().collect();
        let head = seed.stems().next();
        // A seed met under what was missing ("no timeout") gathers the phrases that end with
        // it ("statement timeout"), as they name the same thing.
        let missing = seed.name.is_some() && seed.stems().last() == t.stems().last();
        held.is_subset(&stems)
            || stems.is_subset(&held)
            || (head == t.stems().next() && head.is_some_and(telling))
            || missing
    })
}

/// The group a single word joins: the one group whose seed ends with it ("no test", "image
/// upgrade"), when no phrase of another group ends with it and at most a third of the library's
/// documents use it. Such a word names what the phrase is about, written with other words
/// before it ("framework upgrade", "never tested"); a word that ends several proposals'
/// phrases ("rate limit", "memory limit") or that most documents use ("change") names none.
fn heads(groups: &[Group], t: &Term, documents: usize) -> Option<usize> {
    let ends = |p: &Term| p.words > 1 && p.stems().last() == Some(t.key.as_str());
    let first = groups.iter().position(|g| ends(g.terms[0]))?;
    let elsewhere = groups.iter().enumerate().any(|(n, g)| n != first && g.terms.iter().any(|p| ends(p)));
    (!elsewhere && 3 * t.documents <= documents).then_some(first)
}

/// The registry entry of a group: titled by its naming term's most written form; its `match:`
/// phrases every form of its phrases, leaving out those another listed phrase already matches,
/// then the words that joined it. A phrase a word also matches stays listed, as the wording a
/// reader recognises (and may keep when dropping the broader word).
fn entry(g: &Group, capitals: &Capitals) -> Entry {
    let first = namer(g);
    let terms: Vec<&Term> =
        std::iter::once(first).chain(g.terms.iter().copied().filter(|t| !std::ptr::eq(*t, first))).collect();
    let phrases = forms(terms.iter().filter(|t| t.words > 1).copied(), capitals);
    let words = forms(terms.iter().filter(|t| t.words == 1).copied(), capitals);
    let room = MAX_MATCHES.saturating_sub(words.len());
    let matches: Vec<String> = phrases.into_iter().take(room).chain(words).take(MAX_MATCHES).collect();
    let title = title(first, capitals);
    let mut chars = title.chars();
    let title = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    Entry { id: g.id.clone(), title, matches }
}

/// The written forms of `terms`, each left out when one listed matches wherever it does.
fn forms<'t>(terms: impl Iterator<Item = &'t Term>, capitals: &Capitals) -> Vec<String> {
    let stemmer = crate::text::Stems::new();
    let mut listed: Vec<(String, Vec<String>)> = Vec::new();
    for form in terms.flat_map(|t| t.forms()) {
        let stems = crate::text::phrases::stems(&form, &stemmer);
        if !listed.iter().any(|(_, s)| contains(&stems, s)) {
            listed.retain(|(_, s)| !contains(s, &stems));
            listed.push((capitals.apply(&form), stems));
        }
    }
    listed.into_iter().map(|(f, _)| f).collect()
}

/// Words that only carry tense, left out of a title: "pool was exhausted" is titled "pool
/// exhausted" (its `match:` phrase stays as written, so that it matches).
const AUXILIARIES: &[&str] = &["are", "be", "been", "being", "had", "has", "have", "is", "was", "were"];

/// The term that names a group: a phrase rather than a word, the one in most incidents, then one
/// that keeps the seed's negation and its last word (`no rate limit` rather than `no rate`), then
/// the shortest, then the first picked (`image upgrade` rather than the `upgrade` that joined it).
fn namer<'t>(g: &Group<'t>) -> &'t Term {
    let seed = g.terms[0];
    let like_seed = |t: &Term| {
        (t.stems().next() == Some("no")) == (seed.stems().next() == Some("no"))
            && t.stems().last() == seed.stems().last()
    };
    let rank = |t: &Term| (t.words > 1, t.incidents.len(), like_seed(t), std::cmp::Reverse(t.words));
    let mut best = seed;
    for t in &g.terms[1..] {
        if rank(t) > rank(best) {
            best = t;
        }
    }
    best
}

/// A term's title: its name when it has one, else its form written most often, in its capitals,
/// without [`AUXILIARIES`].
fn title(t: &Term, capitals: &Capitals) -> String {
    let form = t.name.clone().or_else(|| t.forms().into_iter().next()).unwrap_or_default();
    let words: Vec<&str> = form.split(' ').filter(|w| !AUXILIARIES.contains(w)).collect();
    capitals.apply(&words.join(" "))
}

/// Whether `hay` holds `needle` as a run of words.
fn contains(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Words the texts write in capitals at least as often as not (`DNS`, `TLS`, `EC2`), so proposals
/// spell them so.
struct Capitals(HashSet<String>);

impl Capitals {
    fn of<'a>(texts: impl Iterator<Item = &'a str>) -> Self {
        // Times written in capitals, and otherwise.
        let mut votes: HashMap<String, (usize, usize)> = HashMap::new();
        for text in texts {
            // Acronyms are short; a longer word in capitals is shouting or code.
            for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| (2..=5).contains(&w.chars().count())) {
                let upper = w.chars().any(|c| c.is_uppercase()) && !w.chars().any(|c| c.is_lowercase());
                let v = votes.entry(crate::text::fold(w)).or_insert((0, 0));
                if upper {
                    v.0 += 1;
                } else {
                    v.1 += 1;
                }
            }
        }
        Capitals(votes.into_iter().filter(|(_, (up, low))| up >= low && *up > 0).map(|(w, _)| w).collect())
    }

    /// `phrase` (folded words, space-separated) with its capital words in capitals.
    fn apply(&self, phrase: &str) -> String {
        let words: Vec<String> =
            phrase.split(' ').map(|w| if self.0.contains(w) { w.to_uppercase() } else { w.to_string() }).collect();
        words.join(" ")
    }
}

/// The proposals for a library: every incident with factor texts read from its body, weighed
/// against every incident's and note's text.
pub fn for_library(lib: &Library) -> Vec<Proposal> {
    let cases: Vec<Case> = lib
        .incidents
        .iter()
        .map(|i| Case {
            id: &i.doc.id,
            unclassified: i.unclassified.iter().map(String::as_str).collect(),
            texts: i.factor_texts.iter().map(|t| t.text.as_str()).collect(),
            written: if i.factor_texts.is_empty() {
                i.factors.iter().map(|f| f.written.as_str()).collect()
            } else {
                Vec::new()
            },
            body: &i.doc.body,
        })
        .collect();
    let notes: Vec<&str> = lib.notes.iter().map(|n| &*n.doc.body).collect();
    suggest(&cases, &notes, &lib.factors)
}

/// The proposals as a `factors.yaml` draft: a `# N incidents: ...` comment before each entry.
pub fn to_yaml(proposals: &[Proposal], texts: usize) -> String {
    let mut out = format!(
        "# Proposed by `casebook patterns --suggest` from {texts} unclassified contributing-factor text(s).\n\
         # Rename, merge or drop entries, then save as content/factors.yaml (or add them to it).\n"
    );
    if proposals.is_empty() {
        out.push_str("# Nothing recurs in them yet: no telling word or phrase is in the texts of two incidents.\n");
    }
    for p in proposals {
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let plain = p.id.starts_with(|c: char| c.is_ascii_lowercase())
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(&p.id.as_str());
        let key = if plain { p.id.clone() } else { quote(&p.id) };
        let matches: Vec<String> = p.matches.iter().map(|m| quote(m)).collect();
        out.push_str(&format!(
            "\n# {} incident{}: {}\n{key}:\n  title: {}\n  match: [{}]\n",
            p.incidents.len(),
            if p.incidents.len() == 1 { "" } else { "s" },
            p.incidents.join(", "),
            quote(&p.title),
            matches.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
