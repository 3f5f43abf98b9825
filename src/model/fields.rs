//! Typed reads of front-matter fields, with `[fields]` mappings and built-in aliases applied and
//! every problem reported at the value's own location. Numbers and booleans where text is
//! expected are read as text; empty values count as absent (docs/content.md).

use super::date::{self, Date};
use crate::content::infer::{Inferred, TimelineStart};
use crate::content::RawDocument;
use crate::diagnostic::{Diagnostic, Location};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

/// Keys other tools write for a casebook field, tried after the field's own name.
const BUILT_IN_ALIASES: &[(&str, &[&str])] = &[
    ("summary", &["description"]),
    ("factors", &["contributing_factors"]),
    ("authors", &["author"]),
    ("published", &["publication_date"]),
    ("url", &["source_url", "link"]),
];

/// Reads the fields of one document, collecting diagnostics.
pub struct Fields<'a> {
    raw: &'a RawDocument,
    mapping: &'a BTreeMap<String, Vec<String>>,
    /// The zone of timestamps written without an offset.
    pub tz: &'a jiff::tz::TimeZone,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    used: HashSet<String>,
    /// What was read from the body (docs/content.md#reading-plain-postmortems), used where front matter is silent.
    inferred: Option<&'a Inferred>,
    /// Inferred fields that were read, and those whose value was rejected.
    inferred_used: Vec<String>,
    inferred_rejected: Vec<String>,
    /// Where lookups look: front matter and what was inferred, or one of them.
    scope: Scope,
    /// The front matter's top-level keys and the locations under each key located so far,
    /// from a scan of its lines alone (a document's factors, action items and related
    /// incidents are located as they are read; the whole front matter is scanned only for a
    /// path they do not give).
    under: RefCell<Under>,
}

/// [`Fields::loc`]'s scans of single top-level keys.
#[derive(Default)]
struct Under {
    /// The top-level keys, once read (`None` inside when only the whole scan can say).
    top: Option<Option<Vec<crate::content::TopKey>>>,
    /// Top-level key → the locations under it.
    keys: Vec<(String, Option<crate::content::KeyLocations>)>,
}

/// Where [`Fields::lookup`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Front matter, then what was read from the body.
    All,
    /// Front matter only.
    Front,
    /// What was read from the body only.
    Inferred,
}

/// Marks a key path of an inferred value, so problems with it are warnings at its own line.
const INFERRED: char = '~';

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn get_path<'v>(map: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut v = map.get(parts.next()?)?;
    for p in parts {
        v = v.as_object()?.get(p)?;
    }
    Some(v)
}

impl<'a> Fields<'a> {
    /// Starts reading `raw`.
    pub fn new(raw: &'a RawDocument, mapping: &'a BTreeMap<String, Vec<String>>, tz: &'a jiff::tz::TimeZone) -> Self {
        Fields {
            raw,
            mapping,
            tz,
            diags: Vec::new(),
            used: HashSet::new(),
            inferred: None,
            inferred_used: Vec::new(),
            inferred_rejected: Vec::new(),
            scope: Scope::All,
            under: RefCell::default(),
        }
    }

    /// Runs `read` with lookups confined to `scope`, for fallbacks that put a front-matter
    /// field before what the body says of another (`date`, then `times.started`, then the body).
    pub fn within<T>(&mut self, scope: Scope, read: impl FnOnce(&mut Self) -> T) -> T {
        let before = std::mem::replace(&mut self.scope, scope);
        let out = read(self);
        self.scope = before;
        out
    }

    /// Uses `inferred` where front matter is silent.
    pub fn with_inferred(mut self, inferred: Option<&'a Inferred>) -> Self {
        self.inferred = inferred;
        self
    }

    /// What was read from the body, when inference is on for this document.
    pub fn inferred(&self) -> Option<&'a Inferred> {
        self.inferred
    }

    /// The timeline's first timestamp, when inference is on.
    pub fn timeline(&self) -> Option<&'a TimelineStart> {
        self.inferred.and_then(|i| i.timeline.as_ref())
    }

    /// The key path problems with field `name` are reported at: its inferred path when its
    /// value was read from the body.
    pub fn path_of(&self, name: &str) -> String {
        if self.inferred_used.iter().any(|u| u == name) {
            format!("{INFERRED}{name}")
        } else {
            name.to_string()
        }
    }

    /// A note for every inferred value that was read and not rejected, in line order, and the
    /// warnings for values that were there but unreadable.
    pub fn push_inferred_notes(&mut self) {
        let Some(inf) = self.inferred else { return };
        let covers = |list: &[String], path: &str| {
            list.iter()
                .any(|u| path == u || path.strip_prefix(u.as_str()).is_some_and(|rest| rest.starts_with(['.', '['])))
        };
        let mut notes: Vec<(Location, &String)> = inf
            .notes
            .iter()
            .filter(|(path, _)| covers(&self.inferred_used, path) && !covers(&self.inferred_rejected, path))
            .map(|(path, msg)| (inf.locations.get(path).copied().unwrap_or(Location::START), msg))
            .collect();
        notes.sort();
        for (loc, msg) in notes {
            self.diags.push(Diagnostic::note("inferred", &self.raw.path, msg.clone()).at_loc(loc));
        }
        self.diags.extend(inf.diagnostics.iter().cloned());
    }

    /// The document being read.
    pub fn raw(&self) -> &'a RawDocument {
        self.raw
    }

    /// The value of field `name` (dotted for nested fields) and the key path it was found at.
    pub fn lookup(&mut self, name: &str) -> Option<(&'a Value, String)> {
        let fields = &self.raw.front.fields;
        let mut candidates: Vec<&str> = vec![name];
        if let Some(mapped) = self.mapping.get(name) {
            candidates.extend(mapped.iter().map(String::as_str));
        }
        if let Some((_, more)) = BUILT_IN_ALIASES.iter().find(|(n, _)| *n == name) {
            candidates.extend(more.iter().copied());
        }
        for key in candidates.into_iter().filter(|_| self.scope != Scope::Inferred) {
            if let Some(v) = get_path(fields, key) {
                self.used.insert(key.split('.').next().unwrap_or(key).to_string());
                if !is_empty(v) {
                    return Some((v, key.to_string()));
                }
            }
        }
        if self.scope == Scope::Front {
            return None;
        }
        let v = get_path(&self.inferred?.fields, name).filter(|v| !is_empty(v))?;
        if !self.inferred_used.iter().any(|u| u == name) {
            self.inferred_used.push(name.to_string());
        }
        Some((v, format!("{INFERRED}{name}")))
    }

    /// The location of a key path, falling back to its parent, then the start of the file.
    pub fn loc(&self, path: &str) -> Location {
        match path.strip_prefix(INFERRED) {
            Some(p) => self.inferred.map_or(Location::START, |i| location_of(&i.locations, p)),
            None => self.front_loc(path),
        }
    }

    /// [`Fields::loc`] of a front-matter path: from the scan of its top-level key's lines
    /// when that has it, else from the whole front matter's.
    fn front_loc(&self, path: &str) -> Location {
        let top = path.split(['.', '[', '#']).next().unwrap_or(path);
        let mut under = self.under.borrow_mut();
        let Under { top: keys_read, keys } = &mut *under;
        let at = match keys.iter().position(|(k, _)| k == top) {
            Some(at) => at,
            None => {
                let front = &self.raw.front;
                let found = keys_read.get_or_insert_with(|| front.top_keys()).as_deref();
                keys.push((top.to_string(), found.and_then(|t| front.locations_under(t, top))));
                keys.len() - 1
            }
        };
        if let Some(loc) = keys[at].1.as_ref().and_then(|locs| locs.get(path)) {
            return *loc;
        }
        drop(under);
        location_of(self.raw.front.locations(), path)
    }

    /// Reports an error at a key path; at an inferred value's path it is a warning (the author
    /// did not write it for casebook) and the value is not used.
    pub fn error(&mut self, code: &'static str, path: &str, message: String, help: Option<String>) {
        let inferred = path.strip_prefix(INFERRED);
        if let Some(p) = inferred {
            self.inferred_rejected.push(p.to_string());
        }
        let mut d =
            Diagnostic::error(code, &self.raw.path, message).at_loc(self.loc(path)).downgraded(inferred.is_some());
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
    }

    /// Reports a warning at a key path.
    pub fn warn(&mut self, code: &'static str, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::warning(code, &self.raw.path, message).at_loc(self.loc(path));
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
    }

    /// A scalar as text; a list or mapping is a type error.
    pub fn text(&mut self, name: &str) -> Option<String> {
        let (v, path) = self.lookup(name)?;
        self.scalar_text(v, &path, name)
    }

    /// Reads a scalar value found at `path` as text.
    pub fn scalar_text(&mut self, v: &Value, path: &str, name: &str) -> Option<String> {
        match scalar(v) {
            Some(s) => Some(s),
            None => {
                self.error("wrong-type", path, format!("`{name}` must be text, not {}", kind_of(v)), None);
                None
            }
        }
    }

    /// A list of scalars (a single scalar counts as a list of one), with each item's location.
    pub fn list(&mut self, name: &str) -> Vec<(String, Location)> {
        self.items(name, true)
    }

    /// [`Fields::list`] without the locations, which are looked for only when a list's items
    /// are reported.
    pub fn values(&mut self, name: &str) -> Vec<String> {
        self.items(name, false).into_iter().map(|(s, _)| s).collect()
    }

    /// The items of a list, located when `located` (else at the start of the file).
    fn items(&mut self, name: &str, located: bool) -> Vec<(String, Location)> {
        let Some((v, path)) = self.lookup(name) else { return Vec::new() };
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = || format!("{path}[{i}]");
                    match scalar(item) {
                        Some(s) if !s.trim().is_empty() => {
                            let at = if located { self.loc(&item_path()) } else { Location::START };
                            out.push((s.trim().to_string(), at));
                        }
                        Some(_) => {}
                        None => self.error(
                            "wrong-type",
                            &item_path(),
                            format!("items of `{name}` must be text, not {}", kind_of(item)),
                            None,
                        ),
                    }
                }
                out
            }
            other => match scalar(other) {
                Some(s) => vec![(s.trim().to_string(), if located { self.loc(&path) } else { Location::START })],
                None => {
                    self.error("wrong-type", &path, format!("`{name}` must be a list, not {}", kind_of(other)), None);
                    Vec::new()
                }
            },
        }
    }

    /// A date (`2024-03-12`, or a timestamp whose day as written is used).
    pub fn date(&mut self, name: &str) -> Option<Date> {
        let (v, path) = self.lookup(name)?;
        let s = self.scalar_text(v, &path, name)?;
        match date::parse_date(&s) {
            Some(d) => Some(d),
            None => {
                self.error(
                    "invalid-date",
                    &path,
                    format!("invalid date `{s}`"),
                    Some("expected a date like `2024-03-12` or a timestamp like `2024-03-12T14:02:00Z`".into()),
                );
                None
            }
        }
    }

    /// A timestamp as seconds since the epoch (UTC).
    pub fn timestamp(&mut self, name: &str) -> Option<i64> {
        let (v, path) = self.lookup(name)?;
        let s = self.scalar_text(v, &path, name)?;
        match date::parse_timestamp(&s, self.tz) {
            Some(t) => Some(t),
            None => {
                self.error(
                    "invalid-time",
                    &path,
                    format!("invalid time `{s}`"),
                    Some("expected RFC 3339, like `2024-03-12T14:02:00Z`".into()),
                );
                None
            }
        }
    }

    /// One of a fixed set of values (compared case-insensitively, `_` and `-` alike).
    pub fn choice(&mut self, name: &str, allowed: &[&str]) -> Option<String> {
        let (v, path) = self.lookup(name)?;
        let s = self.scalar_text(v, &path, name)?;
        self.check_choice(&s, &path, name, allowed)
    }

    /// Checks `s` against `allowed`, reporting an error with the valid values.
    pub fn check_choice(&mut self, s: &str, path: &str, name: &str, allowed: &[&str]) -> Option<String> {
        let norm = s.trim().to_lowercase().replace('_', "-");
        if let Some(a) = allowed.iter().find(|a| **a == norm) {
            return Some((*a).to_string());
        }
        let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
        let mut help = format!("expected one of {list}");
        if let Some(near) = crate::diagnostic::did_you_mean(&norm, allowed.iter().copied()) {
            help = format!("did you mean `{near}`? {help}");
        }
        self.error("invalid-value", path, format!("invalid {name} `{s}`"), Some(help));
        None
    }

    /// A mapping field (or `None`), reporting a type error for anything else.
    pub fn object(&mut self, name: &str) -> Option<(&'a Map<String, Value>, String)> {
        let (v, path) = self.lookup(name)?;
        match v {
            Value::Object(m) => Some((m, path)),
            other => {
                self.error("wrong-type", &path, format!("`{name}` must be a mapping, not {}", kind_of(other)), None);
                None
            }
        }
    }

    /// Marks keys as read without reading them through this accessor.
    pub fn mark_used(&mut self, keys: &[&str]) {
        self.used.extend(keys.iter().map(|k| k.to_string()));
    }

    /// The keys no field read: handed to templates as `extra`, with a warning for any that look
    /// like a misspelt known key.
    pub fn extra(&mut self, known: &[&str]) -> Map<String, Value> {
        let mut extra = Map::new();
        for (k, v) in &self.raw.front.fields {
            if self.used.contains(k) || known.contains(&k.as_str()) {
                continue;
            }
            if let Some(near) = crate::diagnostic::did_you_mean(k, known.iter().copied()) {
                let at_key = format!("{k}{}", crate::content::KEY);
                let path = if self.raw.front.locations().contains_key(&at_key) { at_key } else { k.clone() };
                self.warn(
                    "misspelt-key",
                    &path,
                    format!("unknown key `{k}`"),
                    Some(format!("did you mean `{near}`? unknown keys are kept as `extra`")),
                );
            }
            extra.insert(k.clone(), v.clone());
        }
        extra
    }
}

/// Text of a scalar: strings as they are, numbers and booleans as written.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// "a list", "a mapping", ... for type errors.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// The location of `path` in `locs`, else of its nearest parent (`a.b[2]` → `a.b` → `a`), else
/// the start of the file.
fn location_of(locs: &std::collections::HashMap<String, Location>, path: &str) -> Location {
    let mut p = path;
    loop {
        if let Some(l) = locs.get(p) {
            return *l;
        }
        match p.rfind(['.', '[']) {
            Some(i) => p = &p[..i],
            None => return Location::START,
        }
    }
}
