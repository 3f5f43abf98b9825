//! Reads a postmortem as it is (docs/content.md#reading-plain-postmortems): the fields front matter would give, taken from the
//! body's own sections, `Key: value` lines and timeline, each with the line it came from and a
//! note saying so. The model uses them only where front matter is silent.

mod durations;
mod keyvalue;
mod sections;
mod timeline;

pub use durations::{parse_minutes, whole_minutes, DurationError, MAX_MINUTES};
pub use keyvalue::Keys;
pub use sections::{recognise, Section};

use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::outline::{outline, Block};
use keyvalue::Shape;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A contributing-factor text read from a factors section, before the registry classifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorText {
    /// The text: a top-level list item with its nested items, or a paragraph.
    pub text: String,
    /// Where it starts in the file.
    pub loc: Location,
}

/// The first timestamp of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineStart {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, when one follows.
    pub time: Option<String>,
    /// Where it is.
    pub loc: Location,
}

/// What was read from a body.
#[derive(Debug, Default, Clone)]
pub struct Inferred {
    /// Field values, shaped as front matter would hold them.
    pub fields: Map<String, Value>,
    /// Key path → where its value was read.
    pub locations: HashMap<String, Location>,
    /// Key path → the note saying where its value came from.
    pub notes: HashMap<String, String>,
    /// Contributing-factor texts.
    pub factor_texts: Vec<FactorText>,
    /// The timeline's first timestamp.
    pub timeline: Option<TimelineStart>,
    /// Values that were there but could not be read (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

impl Inferred {
    /// Sets `path` (dotted) unless it already has a value; returns whether it did.
    fn set(&mut self, path: &str, value: Value, loc: Location, note: String) -> bool {
        let mut map = &mut self.fields;
        let mut parts: Vec<&str> = path.split('.').collect();
        let last = parts.pop().unwrap_or(path);
        for p in parts {
            let entry = map.entry(p.to_string()).or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(m) = entry else { return false };
            map = m;
        }
        if map.contains_key(last) {
            return false;
        }
        map.insert(last.to_string(), value);
        self.locations.insert(path.to_string(), loc);
        self.notes.insert(path.to_string(), note);
        true
    }

    /// Appends items to the list at `path` (for `tags`, which `Category:` also fills).
    fn append(&mut self, path: &str, items: Vec<String>, loc: Location, note: String) {
        match self.fields.get_mut(path) {
            Some(Value::Array(a)) => a.extend(items.into_iter().map(Value::String)),
            _ => {
                self.set(path, Value::Array(items.into_iter().map(Value::String).collect()), loc, note);
            }
        }
    }
}

/// Reads `body` (of the file at `path`, starting on line `body_line`).
pub fn infer(path: &str, body: &str, body_line: usize, keys: &Keys) -> Inferred {
    infer_outline(path, &outline(body), body_line, keys)
}

/// [`infer`] from the body's outline, already read (the model reads it in the same parse as
/// its own scan).
pub fn infer_outline(path: &str, blocks: &[Block], body_line: usize, keys: &Keys) -> Inferred {
    let sections = sections::assign(blocks);
    let mut r = Reader { body_line, ..Reader::default() };
    for (block, section) in blocks.iter().zip(&sections) {
        let in_factors = matches!(section, Some((Section::Factors, _)));
        let at = |line: usize| Location::new(line + body_line - 1, 1);
        let kv_only = key_values(&mut r.out, path, block, keys, in_factors, &at);
        let Some((section, heading_at)) = *section else { continue };
        let heading = match &blocks[heading_at] {
            Block::Heading { text, .. } => text.as_str(),
            _ => "",
        };
        r.section_block(section, heading_at, &section.describe(heading), block, kv_only);
    }
    r.finish()
}

/// What the sections gave so far.
#[derive(Default)]
struct Reader {
    body_line: usize,
    out: Inferred,
    /// The timeline's lines, with their lines in the body.
    timeline: Vec<(String, usize)>,
    factors: FactorSections,
    actions: usize,
    /// The header row of an action-items table.
    action_header: Option<Vec<String>>,
}

impl Reader {
    fn at(&self, line: usize) -> Location {
        Location::new(line + self.body_line - 1, 1)
    }

    /// Reads one block of a recognised section (`from` says which, for the notes).
    fn section_block(&mut self, section: Section, heading_at: usize, from: &str, block: &Block, kv_only: bool) {
        let loc = self.at(block.line());
        match (section, block) {
            // A wholly emphasised paragraph is a template's instruction, not the author's text.
            (_, Block::Paragraph { emphasised: true, .. }) => {}
            (Section::Summary | Section::Impact | Section::Trigger | Section::Detection, Block::Paragraph { .. })
                if !kv_only =>
            {
                let field = match section {
                    Section::Summary => "summary",
                    Section::Impact => "impact.summary",
                    Section::Trigger => "trigger",
                    _ => "detection.note",
                };
                self.out.set(field, Value::String(block.text()), loc, format!("inferred {field} from {from}"));
            }
            (Section::Timeline, Block::Paragraph { lines, .. } | Block::Item { lines, .. }) => {
                self.timeline.extend(lines.iter().map(|l| (l.text.clone(), l.line)));
            }
            (Section::Timeline, other) => self.timeline.push((other.text(), other.line())),
            (Section::Factors, _) => self.factors.add(heading_at, block, loc),
            (Section::ActionItems, Block::Row { cells, header: true, .. }) => self.action_header = Some(cells.clone()),
            (Section::ActionItems, _) => self.action(block, loc, from),
            _ => {}
        }
    }

    fn action(&mut self, block: &Block, loc: Location, from: &str) {
        let Some(item) = action_item(block, self.action_header.as_deref()) else { return };
        let title = item["title"].as_str().unwrap_or("").to_string();
        let status = item["status"].as_str().unwrap_or("unknown").to_string();
        let Value::Array(list) = self.out.fields.entry("action_items").or_insert_with(|| Value::Array(Vec::new()))
        else {
            return;
        };
        list.push(item);
        let p = format!("action_items[{}]", self.actions);
        self.out.locations.insert(p.clone(), loc);
        self.out.notes.insert(p, format!("inferred action item `{title}` ({status}) from {from}"));
        self.actions += 1;
    }

    fn finish(mut self) -> Inferred {
        let lines: Vec<&str> = self.timeline.iter().map(|(t, _)| t.as_str()).collect();
        if let Some(s) = timeline::first_stamp(&lines) {
            let loc = self.at(self.timeline[s.line].1);
            self.out.timeline = Some(TimelineStart { date: s.date, time: s.time, loc });
        }
        self.out.factor_texts.extend(self.factors.texts());
        self.out
    }
}

/// Reads the `Key: value` lines of a block into `out`. Returns whether the block is made only
/// of such lines (then it is no section's first paragraph).
/// `in_factors`: the block is in a factors section, which gives its texts already.
fn key_values(
    out: &mut Inferred,
    path: &str,
    block: &Block,
    keys: &Keys,
    in_factors: bool,
    at: &dyn Fn(usize) -> Location,
) -> bool {
    let lines: Vec<(String, usize)> = match block {
        Block::Paragraph { lines, .. } | Block::Item { lines, .. } => {
            lines.iter().map(|l| (l.text.clone(), l.line)).collect()
        }
        Block::Row { cells, header: false, line } if cells.len() == 2 => {
            vec![(format!("{}: {}", cells[0], cells[1]), *line)]
        }
        _ => return false,
    };
    let mut all = !lines.is_empty();
    for (text, line) in &lines {
        let Some(pair) = keyvalue::split(text) else {
            all = false;
            continue;
        };
        let Some((field, shape)) = keys.target(&pair.key) else {
            all = false;
            continue;
        };
        let Some(value) = keyvalue::clean(pair.value) else { continue };
        let loc = at(*line);
        let from = format!("from the `{}:` line", pair.written);
        match shape {
            Shape::Text => {
                out.set(&field, Value::String(value.clone()), loc, format!("inferred {field} `{value}` {from}"));
            }
            Shape::List if field == "tags" => {
                out.append(&field, keyvalue::items(&value), loc, format!("inferred {field} `{value}` {from}"));
            }
            Shape::List => {
                let items = keyvalue::items(&value).into_iter().map(Value::String).collect();
                out.set(&field, Value::Array(items), loc, format!("inferred {field} `{value}` {from}"));
            }
            Shape::Minutes => match parse_minutes(&value) {
                Ok(m) => {
                    out.set(&field, Value::from(m), loc, format!("inferred {field} {m} minutes from `{}: {value}`", pair.written));
                }
                Err(DurationError::TooLarge) => out.diagnostics.push(too_large(path, &field, &format!("{}: {value}", pair.written)).at_loc(loc)),
                Err(DurationError::Unreadable) => out.diagnostics.push(
                    Diagnostic::warning("unreadable-value", path, format!("cannot read `{}: {value}` as a duration", pair.written))
                        .at_loc(loc)
                        .help(format!("for {field}, casebook reads durations like `54 hours 10 minutes`, `279 minutes` or `1h 5m`; it stays empty")),
                ),
            },
            Shape::FactorText if in_factors => {}
            Shape::FactorText => out.factor_texts.push(FactorText { text: value, loc }),
            Shape::Method => match keyvalue::method(&value) {
                Some(m) => {
                    out.set(&field, Value::String(m.into()), loc, format!("inferred {field} `{m}` from `{}: {value}`", pair.written));
                }
                None => out.diagnostics.push(
                    Diagnostic::warning("unreadable-value", path, format!("cannot read `{}: {value}` as a detection method", pair.written))
                        .at_loc(loc)
                        .help("casebook reads words like `alert`, `customer`, `internal`, `synthetic`; detection.method stays empty"),
                ),
            },
        }
    }
    all
}

/// The warning for a duration of more minutes than casebook holds (`written` as the author
/// wrote it); `field` stays empty.
pub fn too_large(path: &str, field: &str, written: &str) -> Diagnostic {
    Diagnostic::warning("number-too-large", path, format!("duration `{written}` is too large"))
        .help(format!("casebook holds durations up to {MAX_MINUTES} minutes; {field} stays empty"))
}

/// An action item from a list item or table row: title without a trailing link, status from
/// the checkbox (else `unknown`), the first link, and a table's `Owner` column.
fn action_item(block: &Block, header: Option<&[String]>) -> Option<Value> {
    let mut owner = None;
    let (mut title, status, link) = match block {
        Block::Item { depth: 0, task, links, .. } => {
            let status = match task {
                Some(true) => "done",
                Some(false) => "open",
                None => "unknown",
            };
            (block.text(), status, links.first())
        }
        Block::Row { cells, header: false, .. } => {
            let column = header.and_then(|h| h.iter().position(|c| c.trim().eq_ignore_ascii_case("owner")));
            owner = column.and_then(|i| cells.get(i)).and_then(|c| keyvalue::clean(c));
            (cells.first()?.clone(), "unknown", None)
        }
        _ => return None,
    };
    if let Some(l) = link.filter(|l| !l.text.is_empty()) {
        let t = title.trim_end().trim_end_matches([')', ']', '.']).trim_end();
        let rest =
            t.strip_suffix(l.text.as_str()).map(|r| r.trim_end().trim_end_matches(['(', '[', '-', '–', ':', ',']));
        // A title that is all link keeps the link's text.
        if let Some(rest) = rest.map(str::trim_end).filter(|r| !r.is_empty()) {
            title = rest.to_string();
        }
    }
    let title = title.trim().to_string();
    if title.is_empty() {
        return None;
    }
    let mut item = Map::new();
    item.insert("title".into(), Value::String(title));
    item.insert("status".into(), Value::String(status.into()));
    if let Some(l) = link {
        item.insert("link".into(), Value::String(l.dest.clone()));
    }
    if let Some(o) = owner {
        item.insert("owner".into(), Value::String(o));
    }
    Some(Value::Object(item))
}

/// Contributing-factor texts, gathered section by section: each top-level item with its
/// nested items, or each paragraph when a section has no list.
#[derive(Default)]
struct FactorSections {
    /// (heading index, items, paragraphs)
    sections: Vec<(usize, Vec<FactorText>, Vec<FactorText>)>,
}

impl FactorSections {
    fn add(&mut self, heading: usize, block: &Block, loc: Location) {
        if self.sections.last().is_none_or(|(h, _, _)| *h != heading) {
            self.sections.push((heading, Vec::new(), Vec::new()));
        }
        let Some((_, items, paragraphs)) = self.sections.last_mut() else { return };
        let text = block.text();
        match block {
            Block::Item { depth: 0, .. } => items.push(FactorText { text, loc }),
            Block::Item { .. } => match items.last_mut() {
                Some(last) => {
                    last.text = format!("{}; {text}", last.text.trim_end_matches([';', '.', ':']));
                }
                None => items.push(FactorText { text, loc }),
            },
            Block::Paragraph { .. } => paragraphs.push(FactorText { text, loc }),
            _ => {}
        }
    }

    fn texts(self) -> Vec<FactorText> {
        self.sections.into_iter().flat_map(|(_, items, paras)| if items.is_empty() { paras } else { items }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Inferred {
        infer("a.md", body, 3, &Keys::new(&Default::default()))
    }

    #[test]
    fn action_items_lose_a_trailing_link_and_keep_it() {
        let inf = read("## Action items\n\n- [ ] Add a timeout ([PAY-1](https://t/1))\n- Page the owner - [OPS-2](https://t/2).\n- [x] [Fix it](https://t/3)\n");
        let items = inf.fields["action_items"].as_array().expect("list");
        let got: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|i| {
                (
                    i["title"].as_str().unwrap_or(""),
                    i["status"].as_str().unwrap_or(""),
                    i["link"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Add a timeout", "open", "https://t/1"),
                ("Page the owner", "unknown", "https://t/2"),
                ("Fix it", "done", "https://t/3")
            ]
        );
        assert_eq!(inf.locations["action_items[1]"], Location::new(6, 1));
    }

    #[test]
    fn factor_texts_are_items_with_their_nested_items_or_paragraphs() {
        let inf = read("# Root cause\n\nThe cache was cold.\n\nThen it filled.\n\n# What went wrong\n\n- Retry storm\n  - no backoff\n- Disk full\n");
        let texts: Vec<(&str, usize)> = inf.factor_texts.iter().map(|t| (t.text.as_str(), t.loc.line)).collect();
        assert_eq!(
            texts,
            [("The cache was cold.", 5), ("Then it filled.", 7), ("Retry storm; no backoff", 11), ("Disk full", 13)]
        );
    }

    /// Lines a postmortem's body is made of: headings casebook reads, key lines, timeline
    /// stamps, list items, table rows, text.
    fn body_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "#{1,3} (Summary|Timeline|Root causes|Action items|Impact|Detection|Trigger|Other)",
            "(Time to detect|Time to resolve|Detection|Severity|Services|Date|Owner): [^\\n]{0,24}",
            "- (\\[[ x]\\] )?[A-Za-z0-9 :\\[\\]()/.-]{0,24}",
            "  - [a-z ]{0,10}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])? [a-z ]{0,10}",
            "\\| [A-Za-z ]{0,8} \\| [A-Za-z0-9 :]{0,8} \\|",
            "\\|---\\|---\\|",
            "_[a-z ]{1,10}_",
            Just(String::new()),
            "\\PC{0,20}",
        ]
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Any body is read without a panic, and everything read is placed on a line of the body.
        #[test]
        fn any_body_is_read_and_placed_within_it(lines in proptest::collection::vec(body_line(), 0..16), start in 1usize..40) {
            let body = lines.join("\n");
            let inf = read_at(&body, start);
            let last = start + body.matches('\n').count();
            let within = |loc: &Location| loc.line >= start && loc.line <= last && loc.column >= 1;
            for (path, loc) in &inf.locations {
                proptest::prop_assert!(within(loc), "{path} at {loc:?} in {body:?}");
            }
            for path in inf.notes.keys() {
                proptest::prop_assert!(inf.locations.contains_key(path), "{path} has a note and no place");
            }
            for t in &inf.factor_texts {
                proptest::prop_assert!(within(&t.loc), "{t:?}");
            }
            for d in &inf.diagnostics {
                proptest::prop_assert!(d.line >= start && d.line <= last, "{d:?}");
            }
            if let Some(t) = &inf.timeline {
                proptest::prop_assert!(within(&t.loc), "{t:?}");
            }
        }
    }

    fn read_at(body: &str, body_line: usize) -> Inferred {
        infer("a.md", body, body_line, &Keys::new(&Default::default()))
    }
}
