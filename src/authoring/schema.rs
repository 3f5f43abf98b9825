//! JSON Schemas (draft 2020-12) of incident and note front matter and of `factors.yaml`, built
//! from the key and value tables the model parses with, so an editor completes and checks the
//! same fields casebook reads. Lenient where casebook is (a list takes one value, a number is
//! read as text, an empty value is absent), strict where it reports an error.

use crate::model::vocab as v;
use serde_json::{json, Map, Value};

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaOf {
    /// Incident front matter.
    Incident,
    /// Reading-note front matter.
    Note,
    /// The factor registry, `factors.yaml`.
    Factors,
}

impl SchemaOf {
    /// All of them, in the order `init` writes them.
    pub const ALL: [SchemaOf; 3] = [SchemaOf::Incident, SchemaOf::Note, SchemaOf::Factors];

    /// The file name under `.casebook/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaOf::Incident => "incident.json",
            SchemaOf::Note => "note.json",
            SchemaOf::Factors => "factors.json",
        }
    }
}

/// The schema as JSON.
pub fn schema(of: SchemaOf) -> Value {
    match of {
        SchemaOf::Incident => front_matter("casebook incident", v::INCIDENT_KEYS, incident_field),
        SchemaOf::Note => front_matter("casebook reading note", v::NOTE_KEYS, note_field),
        SchemaOf::Factors => factors(),
    }
}

/// The schema as pretty-printed text with a final newline.
pub fn schema_text(of: SchemaOf) -> String {
    let mut s = serde_json::to_string_pretty(&schema(of)).unwrap_or_default();
    s.push('\n');
    s
}

/// A field's description and value schema.
type Field = (&'static str, Value);

fn front_matter(title: &str, keys: &[&str], field: fn(&str) -> Option<Field>) -> Value {
    let mut props = Map::new();
    for key in keys {
        // A key without a shape is caught by a test; here it is left open rather than dropped.
        let (description, mut shape) = field(key).unwrap_or(("", json!({})));
        if let Value::Object(m) = &mut shape {
            m.insert("description".into(), description.into());
        }
        props.insert((*key).to_string(), shape);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("{title} front matter"),
        "description": "Every field is optional. Keys casebook does not know are kept and handed to templates as `extra`.",
        "type": "object",
        "properties": props,
        "additionalProperties": true,
    })
}

/// Text: numbers and booleans are read as text, an empty value counts as absent.
fn text() -> Value {
    json!({"type": ["string", "number", "boolean", "null"]})
}

/// One value or a list of them.
fn list() -> Value {
    json!({"anyOf": [text(), {"type": "array", "items": text()}]})
}

/// A date or a timestamp whose day is used.
fn date() -> Value {
    json!({"anyOf": [{"type": "string", "pattern": "^\\s*\\d{4}-\\d{2}-\\d{2}"}, {"type": "null"}]})
}

fn choice(values: &[&str]) -> Value {
    json!({"anyOf": [{"enum": values}, {"type": "null"}]})
}

fn object(fields: &[(&str, &str, Value)], closed: bool) -> Value {
    let props: Map<String, Value> = fields
        .iter()
        .map(|(k, d, v)| {
            let mut v = v.clone();
            if let Value::Object(m) = &mut v {
                m.insert("description".into(), (*d).into());
            }
            ((*k).to_string(), v)
        })
        .collect();
    json!({"type": "object", "properties": props, "additionalProperties": !closed})
}

/// Fields every document reads.
fn doc_field(key: &str) -> Option<Field> {
    Some(match key {
        "title" => ("Title; else the first `# ` heading, else the first line, else the file name.", text()),
        "date" => ("The day: `2024-03-12`, or a timestamp whose day as written is used.", date()),
        "summary" => ("One or two sentences for lists, cards and search results.", text()),
        "description" => ("Read as `summary` when that is absent.", text()),
        "status" => ("Publication status; only `draft` is left out of the site.", choice(v::STATUSES)),
        "draft" => ("Hugo's `draft: true` means `status: draft`.", json!({"type": ["boolean", "null"]})),
        "tags" => ("Tags; one value or a list.", list()),
        "authors" => ("Who wrote it; one value or a list.", list()),
        "aliases" => ("Old ids of this document: redirect pages are written from their URLs.", list()),
        "slug" => ("The document's id (URL segment); else the file name.", text()),
        "type" => (
            "`incident`, `note` or `page`; else the folder decides.",
            json!({"type": ["string", "null"], "examples": ["incident", "note", "page"]}),
        ),
        "factors" | "contributing_factors" => {
            ("Contributing factors: ids or aliases from factors.yaml, or mappings with a role.", factors_list())
        }
        _ => return None,
    })
}

fn factors_list() -> Value {
    let item = json!({"anyOf": [text(), object(&[
        ("factor", "The factor's id or alias.", text()),
        ("id", "Read as `factor`.", text()),
        ("name", "Read as `factor`.", text()),
        ("role", "The part it played.", choice(v::ROLES)),
        ("note", "How it played out here.", text()),
    ], false)]});
    json!({"anyOf": [item.clone(), {"type": "array", "items": item}]})
}

fn incident_field(key: &str) -> Option<Field> {
    if let Some(f) = doc_field(key) {
        return Some(f);
    }
    Some(match key {
        "severity" => ("Severity; one of book.toml's `[severity] levels` when they are set.", text()),
        "services" => ("Services affected; one value or a list.", list()),
        "teams" => ("Teams involved; one value or a list.", list()),
        "times" => ("RFC 3339 times; without an offset, book.toml's timezone applies.", times()),
        "durations" => ("Minutes, only where times are unknown: `17m`, `1h 5m`, `66 minutes`, `PT1H5M`.", durations()),
        "detection" => ("How it was found: a method, or a mapping with a note.", detection()),
        "trigger" => ("What set it off.", text()),
        "impact" => ("Who felt it and how much: a sentence, or a mapping.", impact()),
        "action_items" => ("Follow-ups.", action_items()),
        "related" => ("Ids of related documents.", list()),
        "source" => (
            "Where an imported public postmortem came from.",
            object(
                &[
                    ("organization", "Who published it.", text()),
                    ("url", "Where.", text()),
                    ("license", "Under which licence.", text()),
                ],
                false,
            ),
        ),
        "published" => ("Jekyll's `published: false` means `status: draft`.", json!({"type": ["boolean", "null"]})),
        _ => return None,
    })
}

fn times() -> Value {
    let fields: Vec<(&str, &str, Value)> = v::TIME_NAMES
        .iter()
        .map(|n| (*n, "An RFC 3339 time, like `2024-03-12T14:02:00Z`.", json!({"type": ["string", "null"]})))
        .collect();
    object(&fields, false)
}

fn durations() -> Value {
    let fields: Vec<(&str, &str, Value)> =
        v::DURATION_KEYS.iter().map(|k| (*k, "Minutes, as `17m`, `1h 5m` or `PT1H5M`.", text())).collect();
    object(&fields, true)
}

fn detection() -> Value {
    let method = choice(v::DETECTION_METHODS);
    json!({"anyOf": [method.clone(), object(&[
        ("method", "How it was detected.", method),
        ("note", "What fired, or who reported it.", text()),
    ], false)]})
}

fn impact() -> Value {
    let shape = |k: &str| match k {
        "blast_radius" => ("How far it reached.", choice(v::BLAST_RADII)),
        "reversibility" => ("Whether the harm could be undone.", choice(v::REVERSIBILITY)),
        "time_sensitivity" => ("How fast harm grew.", choice(v::TIME_SENSITIVITY)),
        "users_affected" => ("How many users, as written (`12%`, `4,000`).", text()),
        _ => ("Who felt it and how much, in a sentence.", text()),
    };
    let fields: Vec<(&str, &str, Value)> = v::IMPACT_KEYS
        .iter()
        .map(|k| {
            let (d, v) = shape(k);
            (*k, d, v)
        })
        .collect();
    json!({"anyOf": [text(), object(&fields, false)]})
}

fn action_items() -> Value {
    let item = object(
        &[
            ("title", "What to do.", text()),
            ("status", "Where it stands.", choice(v::ACTION_STATUSES)),
            ("done", "When it was done (else the incident's date counts).", date()),
            ("owner", "Who owns it.", text()),
            ("due", "When it is due.", date()),
            ("link", "The ticket.", text()),
            ("addresses", "The factors it addresses.", list()),
        ],
        false,
    );
    json!({"type": "array", "items": {"anyOf": [text(), item]}})
}

fn note_field(key: &str) -> Option<Field> {
    if let Some(f) = doc_field(key) {
        return Some(f);
    }
    Some(match key {
        "kind" => ("What the note is about.", choice(v::KINDS)),
        "published" => (
            "When the original appeared: a date, `YYYY-MM` or `YYYY` (a boolean means draft).",
            json!({"type": ["string", "number", "boolean", "null"]}),
        ),
        "url" => ("Where the original is.", text()),
        "incidents" => ("Incidents this note sheds light on.", list()),
        _ => return None,
    })
}

fn factors() -> Value {
    let shape = |k: &str| -> Option<(&'static str, Value)> {
        Some(match k {
            "title" => ("Display title.", text()),
            "category" => ("Grouping on the pattern index.", text()),
            "aliases" => ("Other names for it; content may use any of them.", list()),
            "match" => ("Phrases that mark it in free text.", list()),
            "description" => ("What it means.", text()),
            "protective" => {
                ("Something that helped: listed apart, never \"came back\".", json!({"type": ["boolean", "null"]}))
            }
            _ => return None,
        })
    };
    let entry = front_entry(v::FACTOR_KEYS, shape);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "casebook factor registry (factors.yaml)",
        "description": "One entry per contributing factor, keyed by its id.",
        "type": "object",
        "additionalProperties": {"anyOf": [entry, {"type": "null"}]},
    })
}

fn front_entry(keys: &[&str], shape: impl Fn(&str) -> Option<(&'static str, Value)>) -> Value {
    let fields: Vec<(&str, &str, Value)> = keys
        .iter()
        .map(|k| {
            let (d, v) = shape(k).unwrap_or(("", json!({})));
            (*k, d, v)
        })
        .collect();
    object(&fields, false)
}

/// Keys of a table that have no shape here (empty when the schema covers the parser).
pub fn uncovered() -> Vec<String> {
    let mut out = Vec::new();
    for k in v::INCIDENT_KEYS {
        if incident_field(k).is_none() {
            out.push(format!("incident.{k}"));
        }
    }
    for k in v::NOTE_KEYS {
        if note_field(k).is_none() {
            out.push(format!("note.{k}"));
        }
    }
    let registry = schema(SchemaOf::Factors);
    for k in v::FACTOR_KEYS {
        let d = &registry["additionalProperties"]["anyOf"][0]["properties"][k]["description"];
        if d.as_str().is_none_or(str::is_empty) {
            out.push(format!("factors.{k}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_parser_reads_has_a_shape() {
        assert_eq!(uncovered(), Vec::<String>::new());
    }

    #[test]
    fn enums_come_from_the_model() {
        let s = schema(SchemaOf::Incident);
        let roles = &s["properties"]["impact"]["anyOf"][1]["properties"]["blast_radius"]["anyOf"][0]["enum"];
        assert_eq!(roles, &json!(v::BLAST_RADII));
    }
}
