//! Factors and the registry (`factors.yaml`, docs/factors.md): a factor written in content is matched
//! by id or alias, ignoring case and treating spaces, `_` and `-` alike. Unregistered factors
//! still get a page; with a registry they are warnings that suggest the nearest known name.

use super::fields::scalar;
use super::id::slugify;
use crate::content::RawFactors;
use crate::diagnostic::{Diagnostic, Location};
use crate::text::phrases::Matcher;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The keys of a registry entry (`match` and `protective` are read for free text, docs/content.md#reading-plain-postmortems).
pub const KEYS: &[&str] = &["title", "category", "aliases", "match", "description", "protective"];

/// A contributing factor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Factor {
    /// Canonical id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Grouping on the pattern index.
    pub category: Option<String>,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// What it means.
    pub description: Option<String>,
    /// `protective: true`: something that helped, listed apart and never "came back".
    pub protective: bool,
    /// Phrases that mark it in free text (`match:`, docs/content.md#reading-plain-postmortems).
    pub matches: Vec<String>,
    /// Whether factors.yaml defines it (else it was discovered in content).
    pub registered: bool,
}

/// Every factor of the library: the registry plus those discovered in content.
#[derive(Debug, Clone, Default)]
pub struct Factors {
    /// By canonical id.
    pub all: BTreeMap<String, Factor>,
    /// Normalised spelling → canonical id.
    lookup: HashMap<String, String>,
    /// Whether a registry file exists.
    pub has_registry: bool,
    /// Every registered id, title, alias and `match` phrase, for free text.
    matcher: Matcher,
}

/// The matching key: the id rule, which lower-cases and treats space, `_` and `-` alike.
fn key(s: &str) -> String {
    slugify(s)
}

impl Factors {
    /// Whether two sets of factors are the same: ids, titles, spellings.
    pub(crate) fn same_as(&self, other: &Factors) -> bool {
        self.has_registry == other.has_registry && self.all == other.all && self.lookup == other.lookup
    }

    /// Reads the registry file.
    pub fn from_registry(raw: Option<&RawFactors>) -> (Factors, Vec<Diagnostic>) {
        let mut f = Factors::default();
        let mut diags = Vec::new();
        let Some(raw) = raw else { return (f, diags) };
        f.has_registry = true;
        for (name, entry) in &raw.fields.fields {
            let loc = raw.fields.locations().get(name).copied().unwrap_or(Location::START);
            let id = key(name);
            if id.is_empty() {
                diags.push(
                    Diagnostic::error("empty-id", &raw.path, format!("factor `{name}` gives an empty id")).at_loc(loc),
                );
                continue;
            }
            let text = |k: &str| match entry {
                Value::Object(m) => m.get(k).and_then(scalar),
                _ => None,
            };
            let list = |k: &str| -> Vec<String> {
                match entry {
                    Value::Object(m) => match m.get(k) {
                        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
                        Some(v) => scalar(v).into_iter().collect(),
                        None => Vec::new(),
                    },
                    _ => Vec::new(),
                }
            };
            let aliases = list("aliases");
            let matches = list("match");
            if !matches!(entry, Value::Object(_) | Value::Null) {
                diags.push(
                    Diagnostic::error("invalid-factors", &raw.path, format!("factor `{name}` must be a mapping"))
                        .at_loc(loc)
                        .help("give it `title:`, `category:`, `aliases:` and `description:`"),
                );
            }
            for spelling in std::iter::once(name.as_str()).chain(aliases.iter().map(String::as_str)) {
                let k = key(spelling);
                if let Some(other) = f.lookup.get(&k).filter(|o| **o != id) {
                    diags.push(
                        Diagnostic::warning(
                            "duplicate-alias",
                            &raw.path,
                            format!("`{spelling}` already names factor `{other}`"),
                        )
                        .at_loc(loc),
                    );
                    continue;
                }
                f.lookup.insert(k, id.clone());
            }
            let factor = Factor {
                title: text("title").unwrap_or_else(|| name.clone()),
                category: text("category"),
                description: text("description"),
                aliases,
                protective: matches!(entry, Value::Object(m) if m.get("protective").is_some_and(is_true)),
                matches,
                registered: true,
                id: id.clone(),
            };
            let spellings = [name, &factor.title].into_iter().chain(&factor.aliases).chain(&factor.matches);
            for phrase in spellings {
                f.matcher.add(phrase, &id);
            }
            f.all.insert(id, factor);
        }
        (f, diags)
    }

    /// The registered factors' phrases, for matching free text.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The canonical id of a spelling, if it is known.
    pub fn find(&self, spelling: &str) -> Option<&str> {
        self.lookup.get(&key(spelling)).map(String::as_str)
    }

    /// The canonical id of a spelling the registry file knows (its id or an alias), leaving
    /// out factors discovered in content.
    pub fn registered(&self, spelling: &str) -> Option<&str> {
        self.find(spelling).filter(|id| self.all.get(*id).is_some_and(|f| f.registered))
    }

    /// Matches a spelling, adding an unregistered factor when it is new. Warns (once per
    /// place) when a registry exists and does not know it.
    pub fn resolve(
        &mut self,
        spelling: &str,
        path: &str,
        loc: Location,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        if let Some(id) = self.find(spelling) {
            return Some(id.to_string());
        }
        let id = key(spelling);
        if id.is_empty() {
            diags.push(
                Diagnostic::error("empty-id", path, format!("factor `{spelling}` gives an empty id")).at_loc(loc),
            );
            return None;
        }
        if self.has_registry {
            let registered: Vec<&str> = self.lookup.keys().map(String::as_str).collect();
            let mut d = Diagnostic::warning("unknown-factor", path, format!("unknown factor `{spelling}`"))
                .at_loc(loc)
                .help(format!("it gets a pattern page of its own as `{id}`; add it to factors.yaml to give it a title and category"));
            if let Some(near) = crate::diagnostic::did_you_mean_loose(&id, registered.iter().copied()) {
                let canonical = self.lookup.get(near).cloned().unwrap_or_default();
                d = d.help(format!("did you mean `{canonical}`?"));
            }
            diags.push(d);
        }
        self.lookup.insert(id.clone(), id.clone());
        self.all.insert(id.clone(), Factor { id: id.clone(), title: spelling.to_string(), ..Factor::default() });
        Some(id)
    }
}

/// `true`, or text that says so (`"yes"`, `"true"`), as a registry flag.
fn is_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "yes"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::FrontMatter;

    fn registry() -> Factors {
        let yaml: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"config-change": {"title": "Configuration change", "aliases": ["bad config", "Misconfiguration"]}, "kill-switch": {"protective": true}}"#,
        )
        .expect("json");
        let raw =
            RawFactors { path: "content/factors.yaml".into(), fields: FrontMatter::new(yaml, Default::default()) };
        let (f, d) = Factors::from_registry(Some(&raw));
        assert!(d.is_empty());
        f
    }

    #[test]
    fn aliases_match_ignoring_case_and_separators() {
        let f = registry();
        for s in ["config-change", "Config Change", "config_change", "BAD CONFIG", "bad-config", "misconfiguration"] {
            assert_eq!(f.find(s), Some("config-change"), "{s}");
        }
    }

    #[test]
    fn protective_is_read_from_the_registry() {
        let f = registry();
        assert!(f.all["kill-switch"].protective);
        assert!(!f.all["config-change"].protective);
        assert!([json(true), json("yes")].iter().all(is_true));
        assert!(![json(false), json("no"), json(1)].iter().any(is_true));
    }

    fn json(v: impl Into<Value>) -> Value {
        v.into()
    }

    #[test]
    fn unknown_factor_warns_with_the_nearest() {
        let mut f = registry();
        let mut d = Vec::new();
        let id = f.resolve("config-chnage", "a.md", Location::new(3, 5), &mut d);
        assert_eq!(id.as_deref(), Some("config-chnage"));
        assert_eq!(d[0].headline(), "a.md:3:5: warning: unknown factor `config-chnage`");
        assert!(d[0].help.iter().any(|h| h == "did you mean `config-change`?"), "{:?}", d[0].help);
        assert_eq!(f.all["config-chnage"].title, "config-chnage");
        assert_eq!(f.find("config chnage"), Some("config-chnage"));
        assert_eq!(f.registered("config chnage"), None);
        assert_eq!(f.registered("Bad Config"), Some("config-change"));
    }
}
