//! Issue 8: `casebook schema incident|note|factors` prints draft 2020-12 schemas that an
//! independent validator (boon) accepts, that every front matter of the sample library and of
//! `init`'s output satisfies, and that reject what `casebook check` rejects as a wrong type.

use crate::support::Lib;
use serde_json::Value;
use std::path::Path;

/// A compiled schema, as printed by `casebook schema <of>`.
struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn printed(of: &str) -> Schema {
        let run = Lib::empty().run(&["schema", of]);
        run.assert_code(0);
        let json: Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
        assert_eq!(json["$schema"], "https://json-schema.org/draft/2020-12/schema");
        Schema::compile(json)
    }

    fn compile(json: Value) -> Schema {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource("urn:casebook:schema", json).expect("add schema");
        let index = compiler.compile("urn:casebook:schema", &mut schemas).unwrap_or_else(|e| panic!("{e}"));
        Schema { schemas, index }
    }

    fn errors(&self, value: &Value) -> Option<String> {
        self.schemas.validate(value, self.index).err().map(|e| format!("{e:#}"))
    }
}

/// The front matter of one document, read by casebook's own splitter.
fn front_matter(root: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(root.join(rel)).expect("read").replace("\r\n", "\n");
    let split = casebook::content::split(rel, &text).unwrap_or_else(|d| panic!("{}", d.headline()));
    Value::Object(split.front.fields)
}

/// Validates every incident, note and factors.yaml under `src`; returns how many were checked.
fn validate_library(root: &Path, src: &str) -> usize {
    let (incident, note, factors) = (Schema::printed("incident"), Schema::printed("note"), Schema::printed("factors"));
    let mut checked = 0;
    for in_src in crate::support::files_under(&root.join(src)) {
        let rel = format!("{src}/{in_src}");
        let in_src = in_src.as_str();
        let schema = if in_src == "factors.yaml" {
            &factors
        } else if in_src.starts_with("incidents/") {
            &incident
        } else if in_src.starts_with("notes/") {
            &note
        } else {
            continue;
        };
        let value = if in_src == "factors.yaml" {
            serde_yaml::from_str(&std::fs::read_to_string(root.join(&rel)).expect("read")).expect("yaml")
        } else {
            front_matter(root, &rel)
        };
        if let Some(e) = schema.errors(&value) {
            panic!("{rel} does not satisfy its schema:\n{e}");
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_front_matter_of_the_sample_library_satisfies_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = validate_library(root, "content");
    assert!(checked >= 20, "only {checked} files checked");
}

#[test]
fn every_front_matter_init_writes_satisfies_the_schemas_and_new_files_too() {
    let lib = Lib::empty();
    lib.run(&["init", "."]).assert_code(0);
    lib.run(&["new", "incident", "Queue backlog"]).assert_code(0);
    lib.run(&["new", "note", "A talk"]).assert_code(0);
    assert_eq!(validate_library(lib.path(), "content"), 5);
}

#[test]
fn init_writes_the_same_schemas_that_schema_prints() {
    let lib = Lib::empty();
    lib.run(&["init", "."]).assert_code(0);
    for of in ["incident", "note", "factors"] {
        let written = std::fs::read_to_string(lib.path().join(format!(".casebook/schema/{of}.json"))).expect("schema");
        assert_eq!(written, lib.run(&["schema", of]).stdout, "{of}");
    }
}

#[test]
fn schemas_describe_fields_and_list_enums_from_the_parser() {
    let run = Lib::empty().run(&["schema", "incident"]);
    let s: Value = serde_json::from_str(&run.stdout).expect("json");
    let props = s["properties"].as_object().expect("properties");
    for (key, p) in props {
        assert!(p["description"].as_str().is_some_and(|d| !d.is_empty()), "`{key}` has no description");
    }
    let detection = &s["properties"]["detection"]["anyOf"][1]["properties"]["method"]["anyOf"][0]["enum"];
    assert_eq!(
        detection,
        &serde_json::json!(["alert", "customer-report", "internal-report", "external-monitor", "other"])
    );
}

/// Front matter that both the schema and `casebook check` must reject, and the code check gives.
const WRONG: &[(&str, &str)] = &[
    ("services: {checkout: yes}", "wrong-type"),
    ("times: yesterday", "wrong-type"),
    ("impact: {blast_radius: planet}", "invalid-value"),
    ("detection: {method: pager}", "invalid-value"),
    ("status: finished", "invalid-value"),
    ("durations: {ttx: 5m}", "unknown-key"),
    ("action_items: do better", "wrong-type"),
    ("factors: [{factor: x, role: cause}]", "invalid-value"),
];

#[test]
fn the_incident_schema_rejects_what_check_rejects() {
    let schema = Schema::printed("incident");
    for (line, code) in WRONG {
        let text = format!("---\ntitle: A\ndate: 2024-03-12\n{line}\n---\n\nBody.\n");
        let lib = Lib::new(&[("content/incidents/a.md", &text)]);
        let value = front_matter(lib.path(), "content/incidents/a.md");
        assert!(schema.errors(&value).is_some(), "the schema accepts `{line}`");
        let run = lib.check(&["--format", "json"]);
        assert_eq!(run.code, 1, "check accepts `{line}`: {}", run.stdout);
        let codes: Vec<String> =
            run.json_lines().iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect();
        assert!(codes.iter().any(|c| c == code), "`{line}`: expected `{code}`, got {codes:?}");
    }
}

#[test]
fn the_note_and_factors_schemas_reject_a_wrong_type() {
    let note = Schema::printed("note");
    assert!(note.errors(&serde_json::json!({"title": "A", "kind": "novel"})).is_some());
    assert!(note.errors(&serde_json::json!({"title": "A", "tags": {"a": 1}})).is_some());
    assert!(note.errors(&serde_json::json!({"title": "A", "kind": "talk", "published": 2019})).is_none());
    let factors = Schema::printed("factors");
    assert!(factors.errors(&serde_json::json!({"x": "just a string"})).is_some());
    assert!(factors.errors(&serde_json::json!({"x": {"protective": "yes please"}})).is_some());
    assert!(factors.errors(&serde_json::json!({"x": {"title": "X", "aliases": "one"}})).is_none());
}
