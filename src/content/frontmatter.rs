//! Splits a document's text into front matter and body: YAML between `---` lines, TOML between
//! `+++` lines, or a `title:`/`Title:` header block ended by a blank line, as blog exports and
//! transcripts write it. Every key comes with its location in the file.

use super::locate::{self, Locations, TopKey};
use super::yaml;
use crate::diagnostic::{Diagnostic, Location};
use serde_json::{Map, Value};

/// A document's front matter, as plain data with the location of each key.
#[derive(Debug, Default, Clone)]
pub struct FrontMatter {
    /// The keys and values.
    pub fields: Map<String, Value>,
    /// Where the keys are, found when first asked: most documents never need a location, as
    /// they are only reported with a problem.
    locations: Located,
}

/// Key locations, scanned from the front matter's text on first use.
#[derive(Debug, Default, Clone)]
struct Located {
    scan: Option<KeyText>,
    found: std::sync::OnceLock<Locations>,
}

/// The text a [`Located`] scans, and how.
#[derive(Debug, Clone)]
enum KeyText {
    /// YAML whose first line is `first_line` of the file; `normalised`: a header block, whose
    /// key paths are normalised as its keys are.
    Yaml { text: Box<str>, first_line: usize, normalised: bool },
    /// TOML whose first line is `first_line` of the file.
    Toml { text: Box<str>, first_line: usize },
}

impl FrontMatter {
    /// Front matter whose key locations are already known.
    pub fn new(fields: Map<String, Value>, locations: Locations) -> Self {
        FrontMatter { fields, locations: Located { scan: None, found: locations.into() } }
    }

    fn scanned(fields: Map<String, Value>, scan: KeyText) -> Self {
        FrontMatter { fields, locations: Located { scan: Some(scan), found: Default::default() } }
    }

    /// Key path → location in the file: `key`, `parent.key`, `list[2]`, `list[2].key`, and
    /// `key#key` (see [`KEY`](super::KEY)) for where a top-level key itself is written.
    pub fn locations(&self) -> &Locations {
        let Located { scan, found } = &self.locations;
        found.get_or_init(|| match scan {
            None => Locations::new(),
            Some(KeyText::Yaml { text, first_line, normalised: false }) => locate::yaml(text, *first_line),
            Some(KeyText::Yaml { text, first_line, normalised: true }) => {
                locate::yaml(text, *first_line).into_iter().map(|(k, l)| (normalise_path(&k), l)).collect()
            }
            Some(KeyText::Toml { text, first_line }) => locate::toml(text, *first_line),
        })
    }
}

impl FrontMatter {
    /// The top-level keys and their lines, for locating a path from its key's lines alone;
    /// `None` when only the whole map can say, or it is known already.
    pub fn top_keys(&self) -> Option<Vec<TopKey>> {
        self.yaml_text().map(|(text, _)| locate::yaml_top(text))
    }

    /// The locations under top-level key `key`, from its lines alone (`top` from
    /// [`FrontMatter::top_keys`]; see `locate::yaml_under`).
    pub fn locations_under(&self, top: &[TopKey], key: &str) -> Option<locate::KeyLocations> {
        self.yaml_text().and_then(|(text, first_line)| locate::yaml_under(text, first_line, top, key))
    }

    fn yaml_text(&self) -> Option<(&str, usize)> {
        let Located { scan, found } = &self.locations;
        match scan {
            Some(KeyText::Yaml { text, first_line, normalised: false }) if found.get().is_none() => {
                Some((text, *first_line))
            }
            _ => None,
        }
    }
}

/// The result of splitting: front matter, the body, and the 1-based line the body starts on.
#[derive(Debug)]
pub struct Split<'a> {
    /// Front matter (empty when there is none).
    pub front: FrontMatter,
    /// The body text.
    pub body: &'a str,
    /// Line in the file where the body starts.
    pub body_line: usize,
}

/// A file's text as [`split`] takes it: without a byte-order mark, with `\n` line ends.
pub fn normalise(text: String) -> String {
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// Splits `text` (already `normalise`d). `path` names the file in errors.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    match first.trim_end() {
        "---" => delimited(path, text, "---", Format::Yaml),
        "+++" => delimited(path, text, "+++", Format::Toml),
        _ if is_header_start(first) => Ok(header_block(text)),
        _ => Ok(Split { front: FrontMatter::default(), body: text, body_line: 1 }),
    }
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
}

fn delimited<'a>(path: &str, text: &'a str, fence: &str, format: Format) -> Result<Split<'a>, Diagnostic> {
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    let mut line_no = 2;
    let mut close: Option<(usize, usize)> = None;
    for line in text[start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (matches!(format, Format::Yaml) && t == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
        line_no += 1;
    }
    let Some((fm_end, body_start)) = close else {
        return Err(Diagnostic::error("unclosed-front-matter", path, "front matter is not closed")
            .help(format!("add a line `{fence}` after the last front-matter key")));
    };
    let raw = &text[start..fm_end];
    let front = match format {
        Format::Yaml => parse_yaml(path, raw, 2)?,
        Format::Toml => parse_toml(path, raw, 2)?,
    };
    Ok(Split { front, body: &text[body_start..], body_line: line_no + 1 })
}

fn parse_yaml(path: &str, raw: &str, first_line: usize) -> Result<FrontMatter, Diagnostic> {
    let value = yaml::parse(raw).map_err(|e| {
        Diagnostic::error("invalid-front-matter", path, format!("invalid YAML front matter: {}", e.message))
            .at(first_line + e.line - 1, e.column)
    })?;
    let fields = as_mapping(path, value, Location::new(first_line, 1))?;
    Ok(FrontMatter::scanned(fields, KeyText::Yaml { text: raw.into(), first_line, normalised: false }))
}

fn parse_toml(path: &str, raw: &str, first_line: usize) -> Result<FrontMatter, Diagnostic> {
    let table: toml::Table = raw.parse().map_err(|e: toml::de::Error| {
        let loc = e.span().map_or(Location::START, |s| Location::of_offset(raw, s.start));
        Diagnostic::error(
            "invalid-front-matter",
            path,
            format!("invalid TOML front matter: {}", e.message().trim().to_lowercase()),
        )
        .at(first_line + loc.line - 1, loc.column)
    })?;
    let value = toml_to_json(toml::Value::Table(table));
    let fields = as_mapping(path, value, Location::new(first_line, 1))?;
    Ok(FrontMatter::scanned(fields, KeyText::Toml { text: raw.into(), first_line }))
}

fn as_mapping(path: &str, value: Value, loc: Location) -> Result<Map<String, Value>, Diagnostic> {
    match value {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(Diagnostic::error("invalid-front-matter", path, "front matter must be a mapping of keys to values")
            .at_loc(loc)
            .help("write one `key: value` per line")),
    }
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// `title: X` or `Title: X` with a value on the first line starts a header block.
fn is_header_start(first: &str) -> bool {
    let rest = first.strip_prefix("title:").or_else(|| first.strip_prefix("Title:"));
    rest.is_some_and(|r| !r.trim().is_empty())
}

/// The block up to the first blank line: YAML when it parses as a mapping, else `key: value`
/// lines with indented continuations. Keys are lower-cased with spaces as `_`.
fn header_block(text: &str) -> Split<'_> {
    let mut end = text.len();
    let mut body_line = 1;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        body_line += 1;
        offset += line.len();
        if line.trim().is_empty() {
            end = offset;
            break;
        }
    }
    if end == text.len() && !text.ends_with('\n') {
        body_line = text.lines().count() + 1;
    }
    let raw = &text[..end];
    let front = match yaml::parse(raw) {
        Ok(Value::Object(map)) if map.values().all(|v| !v.is_object()) => {
            let fields = map.into_iter().map(|(k, v)| (normalise_key(&k), v)).collect();
            FrontMatter::scanned(fields, KeyText::Yaml { text: raw.into(), first_line: 1, normalised: true })
        }
        _ => key_value_lines(raw),
    };
    Split { front, body: &text[end..], body_line }
}

fn key_value_lines(raw: &str) -> FrontMatter {
    let mut fields = Map::new();
    let mut lines: Vec<(usize, String, usize)> = Vec::new();
    let mut last: Option<String> = None;
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(Value::String(prev)) = last.as_ref().and_then(|k| fields.get_mut(k)) {
                if !prev.is_empty() {
                    prev.push('\n');
                }
                prev.push_str(line.trim());
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = normalise_key(key);
        let value = value.trim();
        let col = line.chars().count() - line.split_once(':').map_or(0, |(_, v)| v.trim_start().chars().count()) + 1;
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        lines.push((i + 1, key.clone(), col));
        fields.insert(key.clone(), Value::String(value.to_string()));
        last = Some(key);
    }
    FrontMatter::new(fields, locate::header(&lines))
}

fn normalise_key(k: &str) -> String {
    k.trim().to_lowercase().replace(' ', "_")
}

fn normalise_path(p: &str) -> String {
    p.split('.').map(normalise_key).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_and_body_line() {
        let s = split("a.md", "---\ntitle: A\n---\nbody\n").expect("valid");
        assert_eq!(s.front.fields["title"], "A");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn yaml_errors_are_counted_in_the_file() {
        let e = split("a.md", "---\ntitle: A\nfactors: [a\n---\n").expect_err("invalid");
        assert_eq!(e.code, "invalid-front-matter");
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn unclosed_front_matter() {
        let e = split("a.md", "---\ntitle: A\n").expect_err("unclosed");
        assert_eq!(e.headline(), "a.md:1:1: error: front matter is not closed");
    }

    #[test]
    fn toml_front_matter() {
        let s = split("a.md", "+++\ntitle = \"A\"\ndate = 2024-03-12\n+++\nbody").expect("valid");
        assert_eq!(s.front.fields["date"], "2024-03-12");
        assert_eq!(s.front.locations()["date"], Location::new(3, 8));
    }

    #[test]
    fn header_block_that_is_not_yaml() {
        let text = "Title: A talk - PyCon: 2018\nPublication date: 2018-08-06\nDescription: \n\tSpeaker: Someone\n\nBody here.\n";
        let s = split("a.txt", text).expect("valid");
        assert_eq!(s.front.fields["title"], "A talk - PyCon: 2018");
        assert_eq!(s.front.fields["publication_date"], "2018-08-06");
        assert_eq!(s.front.fields["description"], "Speaker: Someone");
        assert_eq!(s.body, "Body here.\n");
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn header_block_that_is_yaml() {
        let text = "title: \"A: B\"\nslug: a-b\ntags: \n- x\n\n\nBody\n";
        let s = split("a.txt", text).expect("valid");
        assert_eq!(s.front.fields["title"], "A: B");
        assert_eq!(s.front.fields["tags"][0], "x");
        assert_eq!(s.body_line, 6);
    }

    use proptest::prelude::*;

    /// A key and a value that YAML and TOML both write as a plain string.
    fn entries() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::btree_map("k[a-z_]{0,8}", "[A-Za-z][A-Za-z0-9 ,.]{0,20}[A-Za-z0-9]", 1..6)
            .prop_map(|m| m.into_iter().collect())
    }

    /// Text that starts as front matter often: fences, header keys, blank lines, CR, BOM.
    fn document() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            Just("---".to_string()),
            Just("+++".to_string()),
            Just("...".to_string()),
            Just(String::new()),
            Just("title: T".to_string()),
            Just("Title: A: b".to_string()),
            "[a-z ]{1,6}: [^\n]{0,10}",
            "[a-z]{1,5} = \"[a-z]{0,5}\"",
            "  - [a-z]{1,4}",
            "\\PC{0,12}",
        ];
        (proptest::collection::vec(line, 0..10), any::<bool>(), any::<bool>()).prop_map(|(lines, crlf, bom)| {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            if bom {
                format!("\u{feff}{text}")
            } else {
                text
            }
        })
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Any text splits or is refused without a panic; the body is the end of the text
        /// and starts on the line said.
        #[test]
        fn any_text_splits_into_a_tail_and_its_line(raw in document()) {
            let text = normalise(raw);
            if let Ok(s) = split("a.md", &text) {
                prop_assert!(text.ends_with(s.body), "{text:?} ends with {:?}", s.body);
                if !s.body.is_empty() {
                    let before = &text[..text.len() - s.body.len()];
                    prop_assert_eq!(s.body_line, before.matches('\n').count() + 1, "{:?}", text);
                }
                let _ = s.front.locations();
            }
        }

        /// YAML, TOML and header front matter read back the keys written, and a BOM and
        /// CRLF line ends change nothing.
        #[test]
        fn front_matter_reads_back_what_was_written(
            kv in entries(), body in "[A-Za-z .\n]{0,40}", format in 0usize..3, crlf in any::<bool>(), bom in any::<bool>()
        ) {
            let mut lines: Vec<String> = kv.iter().map(|(k, v)| match format {
                1 => format!("{k} = \"{v}\""),
                _ => format!("{k}: \"{v}\""),
            }).collect();
            match format {
                0 => { lines.insert(0, "---".into()); lines.push("---".into()); }
                1 => { lines.insert(0, "+++".into()); lines.push("+++".into()); }
                _ => { lines.insert(0, "title: \"Head\"".into()); lines.push(String::new()); }
            }
            let body = body.trim_start_matches('\n');
            let text = format!("{}\n{body}", lines.join("\n"));
            let mut raw = if crlf { text.replace('\n', "\r\n") } else { text.clone() };
            if bom {
                raw.insert(0, '\u{feff}');
            }
            let normalised = normalise(raw);
            prop_assert_eq!(&normalised, &text);
            let s = split("a.md", &normalised).map_err(|e| TestCaseError::fail(e.headline()))?;
            for (k, v) in &kv {
                let k = if format == 2 { normalise_key(k) } else { k.clone() };
                prop_assert_eq!(s.front.fields.get(&k).and_then(Value::as_str), Some(v.as_str()), "{} in {:?}", k, text);
            }
            prop_assert_eq!(s.body, body);
            prop_assert_eq!(s.body_line, lines.len() + 1);
        }
    }
}
