//! Where each front-matter key sits in the file, so a bad value is reported at its own line and
//! column. A light indentation scan, not a parser: it records `key`, `parent.key`, `list[2]` and
//! `list[2].key` paths for block and flow styles, and TOML's `key = value` under `[tables]`.

use crate::diagnostic::Location;
use std::collections::HashMap;

/// Key path → location of its value (or of the key when the value is on later lines); with
/// [`KEY`] appended, the location of the key itself.
pub type Locations = HashMap<String, Location>;

/// Suffix of a path whose location is the key's, not the value's.
pub const KEY: &str = "#key";

/// Scans YAML front matter whose first line is line `first_line` of the file. [`KEY`] paths are
/// recorded for top-level keys only, the only ones looked up (a misspelt key is reported at
/// the key itself).
pub fn yaml(text: &str, first_line: usize) -> Locations {
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut locs = Locations::with_capacity(lines + lines / 2);
    yaml_lines(text.lines().enumerate().map(|(i, l)| (first_line + i, l)), &mut locs);
    locs
}

/// A top-level key of YAML front matter and its lines: from the key's line to the next line at
/// the left edge that is no list item.
#[derive(Debug, Clone)]
pub struct TopKey {
    /// The key as written.
    pub key: String,
    /// Byte range of its lines in the text.
    bytes: std::ops::Range<usize>,
    /// Index of its first line in the text.
    line: usize,
}

/// The top-level keys of YAML front matter, in one pass that reads only the lines at the left
/// edge.
pub fn yaml_top(text: &str) -> Vec<TopKey> {
    let mut keys: Vec<TopKey> = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        let raw = raw.strip_suffix('\n').unwrap_or(raw);
        // Indented, blank and comment lines, and list items at the left edge (which belong to
        // the key above them), neither start nor end a top-level key's lines.
        if raw.bytes().next().is_none_or(|b| b == b' ' || b == b'#') || raw == "-" || raw.starts_with("- ") {
            continue;
        }
        if let Some(last) = keys.last_mut().filter(|k| k.bytes.end == usize::MAX) {
            last.bytes.end = at;
        }
        if let Some((k, _)) = split_key(raw) {
            keys.push(TopKey { key: k.to_string(), bytes: at..usize::MAX, line: i });
        }
    }
    for k in &mut keys {
        k.bytes.end = k.bytes.end.min(text.len());
    }
    keys
}

/// What [`yaml`] records for the paths under top-level key `key` (`key`, `key#key`, `key[0]`,
/// `key[0].factor`, ...), from a scan of that key's lines alone (`top` is [`yaml_top`] of
/// `text`): a document's factors, action items and related incidents are located without a
/// scan of the rest. `None` when the key is not written at the left edge exactly once, or
/// another top-level key starts with its name (then only the whole scan says which line a path
/// is on).
pub fn yaml_under(text: &str, first_line: usize, top: &[TopKey], key: &str) -> Option<KeyLocations> {
    let mut found = None;
    for k in top.iter().filter(|k| k.key.starts_with(key)) {
        if k.key != key || found.is_some() {
            return None;
        }
        found = Some(k);
    }
    let k = found?;
    let mut locs = KeyLocations(Vec::with_capacity(16));
    let lines = text.get(k.bytes.clone())?.lines().enumerate();
    yaml_lines(lines.map(|(i, l)| (first_line + k.line + i, l)), &mut locs);
    Some(locs)
}

/// The locations under one top-level key (`yaml_under`), in the order the scan finds them:
/// a few paths, looked up by comparing them in turn, which is cheaper than hashing each one
/// into a map that is asked once or twice.
#[derive(Debug, Default, Clone)]
pub struct KeyLocations(Vec<(String, Location)>);

impl KeyLocations {
    /// The location of `path`: the last one recorded, as a map would keep it.
    pub fn get(&self, path: &str) -> Option<&Location> {
        self.0.iter().rev().find(|(p, _)| p == path).map(|(_, l)| l)
    }
}

/// Where a scan records the locations it finds.
trait Record {
    fn record(&mut self, path: String, loc: Location);
}

impl Record for Locations {
    fn record(&mut self, path: String, loc: Location) {
        self.insert(path, loc);
    }
}

impl Record for KeyLocations {
    fn record(&mut self, path: String, loc: Location) {
        self.0.push((path, loc));
    }
}

/// The scan of [`yaml`] over `(line number, text)` pairs.
fn yaml_lines<'t>(lines: impl Iterator<Item = (usize, &'t str)>, locs: &mut impl Record) {
    // (indent, path) of the keys enclosing the current line.
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut counters: HashMap<String, usize> = HashMap::new();
    for (line, raw) in lines {
        let indent = raw.bytes().take_while(|c| *c == b' ').count();
        let rest = &raw[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let mut col = indent + 1;
        let mut content = rest;
        let mut key_indent = indent;
        if content == "-" || content.starts_with("- ") {
            while stack.last().is_some_and(|(ind, _)| *ind > indent) {
                stack.pop();
            }
            let parent = stack.last().map_or("", |(_, p)| p.as_str());
            let n = if let Some(n) = counters.get_mut(parent) {
                *n += 1;
                *n - 1
            } else {
                counters.insert(parent.to_string(), 1);
                0
            };
            let mut item = String::with_capacity(parent.len() + 4);
            item.push_str(parent);
            push_index(&mut item, n);
            let after = content[1..].trim_start();
            let skip = content[..content.len() - after.len()].chars().count();
            col += skip;
            content = after;
            locs.record(item.clone(), Location::new(line, col));
            key_indent = indent + skip;
            // A `- key: value` item opens a mapping whose keys sit at `key_indent`, so the
            // item itself is recorded just left of them.
            stack.push((key_indent - 1, item));
            if split_key(content).is_none() {
                continue;
            }
        } else {
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
        }
        let Some((key, value_offset)) = split_key(content) else { continue };
        let parent = stack.last().map_or("", |(_, p)| p.as_str());
        let mut path = String::with_capacity(parent.len() + 1 + key.len());
        if !parent.is_empty() {
            path.push_str(parent);
            path.push('.');
        }
        path.push_str(key);
        let value = content[value_offset..].trim_start();
        let value_col = col + content[..content.len() - value.len()].chars().count();
        let loc = if value.is_empty() || value.starts_with('#') {
            Location::new(line, col)
        } else {
            Location::new(line, value_col)
        };
        if parent.is_empty() {
            let mut at_key = String::with_capacity(path.len() + KEY.len());
            at_key.push_str(&path);
            at_key.push_str(KEY);
            locs.record(at_key, Location::new(line, col));
        }
        locs.record(path.clone(), loc);
        if value.starts_with('[') {
            flow_items(value, &path, line, value_col, locs);
        }
        stack.push((key_indent, path));
    }
}

/// Appends `[n]` to a key path.
fn push_index(path: &mut String, n: usize) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(path, "[{n}]");
}

/// `key: rest` → (key, byte offset just after the colon).
fn split_key(content: &str) -> Option<(&str, usize)> {
    let content_trim = content.trim_end();
    let (key, offset) = if let Some(stripped) = content.strip_prefix('"') {
        let end = stripped.find('"')?;
        (&stripped[..end], end + 2)
    } else {
        let idx = content.find(':')?;
        (&content[..idx], idx)
    };
    let after = content.get(offset..)?;
    if !after.starts_with(':') {
        return None;
    }
    let next = after[1..].chars().next();
    if !(next.is_none() || next == Some(' ') || next == Some('\t')) && content_trim.len() > offset + 1 {
        return None;
    }
    if key.is_empty() || key.contains(['{', '[', '#']) {
        return None;
    }
    Some((key.trim(), offset + 1))
}

/// Records `path[n]` for the items of a one-line `[a, b, c]`.
fn flow_items(value: &str, path: &str, line: usize, value_col: usize, locs: &mut impl Record) {
    let mut n = 0;
    let mut start: Option<usize> = None;
    for (ci, c) in value.chars().enumerate() {
        match c {
            '[' if ci == 0 => {}
            ',' | ']' => {
                if let Some(s) = start.take() {
                    let mut item = String::with_capacity(path.len() + 4);
                    item.push_str(path);
                    push_index(&mut item, n);
                    locs.record(item, Location::new(line, value_col + s));
                    n += 1;
                }
                if c == ']' {
                    break;
                }
            }
            ' ' | '\t' => {}
            _ => {
                if start.is_none() {
                    start = Some(ci);
                }
            }
        }
    }
}

/// Scans TOML front matter: `key = value` lines under optional `[table]` headers.
pub fn toml(text: &str, first_line: usize) -> Locations {
    let mut locs = Locations::new();
    let mut table = String::new();
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim_start();
        let indent = raw.chars().count() - t.chars().count();
        if let Some(h) = t.strip_prefix('[') {
            table = h.trim_matches(|c| c == '[' || c == ']' || c == ' ').to_string();
            continue;
        }
        let Some(eq) = t.find('=') else { continue };
        let key = t[..eq].trim().trim_matches('"');
        let path = if table.is_empty() { key.to_string() } else { format!("{table}.{key}") };
        let value = t[eq + 1..].trim_start();
        let col = indent + t[..t.len() - value.len()].chars().count() + 1;
        locs.insert(path, Location::new(first_line + i, col));
    }
    locs
}

/// Scans a `key: value` header block (keys already normalised by the caller's rule).
pub fn header(lines: &[(usize, String, usize)]) -> Locations {
    let mut locs = Locations::new();
    for (line, key, col) in lines {
        locs.insert(key.clone(), Location::new(*line, *col));
        locs.insert(format!("{key}{KEY}"), Location::new(*line, 1));
    }
    locs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_list_items_and_flow_items() {
        let text = "title: X\nseverity: SEV5\ntimes:\n  started: 2024-03-12T14:02:00Z\nfactors:\n  - config-change\n  - factor: missing-timeout\n    role: predisposing\nservices: [checkout, dns]\n";
        let l = yaml(text, 2);
        assert_eq!(l["severity"], Location::new(3, 11));
        assert_eq!(l["times.started"], Location::new(5, 12));
        assert_eq!(l["factors[0]"], Location::new(7, 5));
        assert_eq!(l["factors[1].factor"], Location::new(8, 13));
        assert_eq!(l["factors[1].role"], Location::new(9, 11));
        assert_eq!(l["services[1]"], Location::new(10, 22));
        assert_eq!(l["severity#key"], Location::new(3, 1));
        assert!(!l.contains_key("times.started#key"), "only top-level keys are looked up at the key");
    }

    #[test]
    fn lists_at_the_key_indent_belong_to_the_key() {
        let text = "tags:\n- a\n- b\ncategories:\n- work\n";
        let l = yaml(text, 1);
        assert_eq!(l["tags[1]"], Location::new(3, 3));
        assert_eq!(l["categories[0]"], Location::new(5, 3));
    }

    #[test]
    fn a_top_level_key_alone_is_located_as_in_the_whole_scan() {
        let text = "title: X\n# factors: no\nfactors:\n  - config-change\n  - factor: missing-timeout\n    role: predisposing\n\n    note: x\nrelated: [a, b]\ntags:\n- a\n- b\ncategories:\n- work\nlast: [c,\nd]\n";
        let whole = yaml(text, 2);
        for key in ["title", "factors", "related", "tags", "categories", "last"] {
            let under: Locations = yaml_under(text, 2, &yaml_top(text), key).expect(key).0.into_iter().collect();
            assert!(!under.is_empty(), "{key}");
            for (path, loc) in &under {
                assert_eq!(whole.get(path), Some(loc), "{key}: {path}");
            }
            let all = whole
                .keys()
                .filter(|p| p.strip_prefix(key).is_some_and(|r| r.is_empty() || r.starts_with(['.', '[', '#'])));
            assert_eq!(all.count(), under.len(), "{key}");
        }
        let under = |text: &str, key: &str| yaml_under(text, 1, &yaml_top(text), key);
        assert!(under(text, "missing").is_none());
        assert!(under("a: 1\nab: 2\n", "a").is_none(), "another key starts with the name");
        assert!(under("a: 1\na: 2\n", "a").is_none(), "written twice");
        assert_eq!(
            under("x: 1\na: [b]", "a").and_then(|l| l.get("a[0]").copied()),
            Some(Location::new(2, 5)),
            "no line end"
        );
    }

    #[test]
    fn found_locations_give_the_last_one_recorded_for_a_path() {
        let mut found = KeyLocations::default();
        found.record("a".into(), Location::new(1, 1));
        found.record("a[0]".into(), Location::new(2, 3));
        found.record("a".into(), Location::new(4, 1));
        assert_eq!(found.get("a"), Some(&Location::new(4, 1)));
        assert_eq!(found.get("a[0]"), Some(&Location::new(2, 3)));
        assert_eq!(found.get("b"), None);
    }

    #[test]
    fn toml_tables() {
        let l = toml("title = \"x\"\n[times]\nstarted = 2024-01-01\n", 2);
        assert_eq!(l["title"], Location::new(2, 9));
        assert_eq!(l["times.started"], Location::new(4, 11));
    }
}
