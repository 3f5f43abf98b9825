//! Issue 8: `casebook init` writes a library that builds with no warning and refuses to
//! overwrite; `casebook new` writes a dated template, honours the theme's override and `--open`.

use crate::support::Lib;

/// 2025-02-03T12:00:00Z, so `new` names files by a known day.
const EPOCH: &str = "1738584000";

/// `casebook init .` in a fresh folder, asserted to succeed.
fn init_lib() -> Lib {
    let lib = Lib::empty().env("SOURCE_DATE_EPOCH", EPOCH);
    lib.run(&["init", "."]).assert_code(0);
    lib
}

#[test]
fn init_writes_a_library_that_builds_and_checks_with_no_warning() {
    let lib = init_lib();
    for f in [
        "book.toml",
        ".gitignore",
        "content/start-here.md",
        "content/factors.yaml",
        "content/incidents/2025-01-14-checkout-resolver-change.md",
        "content/notes/how-complex-systems-fail.md",
        ".casebook/schema/incident.json",
        ".casebook/schema/note.json",
        ".casebook/schema/factors.json",
    ] {
        assert!(lib.path().join(f).is_file(), "init did not write {f}");
    }
    lib.build_clean();
    lib.check(&["--deny-warnings"]).assert_clean();
    let json = lib.check(&["--format", "json", "--verbose"]);
    assert_eq!(json.stdout, "", "init's library gives diagnostics");
    assert!(lib.exists("incidents/2025-01-14-checkout-resolver-change/index.html"));
    assert!(lib.exists("notes/how-complex-systems-fail/index.html"));
    assert!(lib.exists("start-here/index.html"));
}

#[test]
fn the_starter_taxonomy_has_about_25_factors_each_on_a_pattern_page() {
    let lib = init_lib();
    let text = std::fs::read_to_string(lib.path().join("content/factors.yaml")).expect("factors.yaml");
    let registry: serde_json::Map<String, serde_json::Value> = serde_yaml::from_str(&text).expect("valid YAML");
    assert!((22..=30).contains(&registry.len()), "{} factors", registry.len());
    let mut categories = std::collections::BTreeSet::new();
    for (id, entry) in &registry {
        for key in ["title", "category", "description", "aliases", "match"] {
            assert!(entry.get(key).is_some(), "factor `{id}` has no `{key}`");
        }
        categories.insert(entry["category"].as_str().expect("category").to_string());
    }
    for c in ["Change management", "Capacity", "Dependencies", "Detection", "Human factors", "Resilience"] {
        assert!(categories.contains(c), "no factor in {c}");
    }
    assert!(registry.values().filter(|e| e.get("protective") == Some(&serde_json::Value::Bool(true))).count() >= 2);
    lib.build_clean();
    for (id, entry) in &registry {
        let page = lib.html(&format!("patterns/{id}/index.html"));
        assert!(page.contains(entry["title"].as_str().expect("title")), "pattern page of {id} lacks its title");
    }
    let example = lib.html("patterns/config-change/index.html");
    assert!(
        example.contains("Checkout errors after a resolver setting change"),
        "the example incident is not on its factor's page"
    );
}

#[test]
fn a_new_user_inits_adds_an_incident_and_builds_with_no_warning() {
    let lib = init_lib();
    let run = lib.run(&["new", "incident", "Queue backlog"]);
    run.assert_code(0);
    assert_eq!(run.stdout.trim(), "content/incidents/2025-02-03-queue-backlog.md");
    assert_eq!(run.stderr, "", "init wrote the schema, so no hint");
    let text =
        std::fs::read_to_string(lib.path().join("content/incidents/2025-02-03-queue-backlog.md")).expect("new file");
    assert!(text.starts_with("---\n# yaml-language-server: $schema=../../.casebook/schema/incident.json\n"), "{text}");
    assert!(text.contains("\ntitle: \"Queue backlog\"\n"), "{text}");
    assert!(text.contains("\ndate: 2025-02-03 "), "{text}");
    for h in [
        "Summary",
        "Impact",
        "Timeline",
        "Contributing factors",
        "What went well",
        "Where we got lucky",
        "Action items",
    ] {
        assert!(text.contains(&format!("\n## {h}\n")), "no `## {h}` heading");
    }
    for field in ["severity", "services", "times", "detection", "impact", "factors", "action_items", "related"] {
        assert!(text.contains(&format!("\n# {field}:")), "field `{field}` is not in the template");
    }
    lib.build_clean();
    assert!(lib.html("incidents/2025-02-03-queue-backlog/index.html").contains("Queue backlog"));
}

/// Keys the parser reads only as other tools' spellings of casebook's own fields.
const OTHER_SPELLINGS: &[&str] = &["contributing_factors", "description", "draft", "published", "type"];

#[test]
fn the_new_templates_mention_every_field_the_schema_knows() {
    let lib = init_lib();
    lib.run(&["new", "incident", "All fields"]).assert_code(0);
    lib.run(&["new", "note", "All note fields"]).assert_code(0);
    for (kind, file) in
        [("incident", "content/incidents/2025-02-03-all-fields.md"), ("note", "content/notes/all-note-fields.md")]
    {
        let text = std::fs::read_to_string(lib.path().join(file)).expect("new file");
        let schema: serde_json::Value = serde_json::from_str(&lib.run(&["schema", kind]).stdout).expect("schema");
        for key in schema["properties"].as_object().expect("properties").keys() {
            let other = OTHER_SPELLINGS.contains(&key.as_str()) && !(kind == "note" && key == "published");
            if !other {
                let written = text.contains(&format!("\n{key}:")) || text.contains(&format!("\n# {key}:"));
                assert!(written, "the {kind} template does not mention `{key}`");
            }
        }
    }
}

#[test]
fn new_note_goes_under_notes_without_a_date_in_its_name_and_builds() {
    let lib = init_lib();
    let run = lib.run(&["new", "note", "Queueing theory, part 1"]);
    run.assert_code(0);
    assert_eq!(run.stdout.trim(), "content/notes/queueing-theory-part-1.md");
    let text = std::fs::read_to_string(lib.path().join("content/notes/queueing-theory-part-1.md")).expect("note");
    assert!(text.contains("$schema=../../.casebook/schema/note.json"), "{text}");
    assert!(text.contains("\n# kind: article"), "{text}");
    lib.build_clean();
    assert!(lib.exists("notes/queueing-theory-part-1/index.html"));
}

#[test]
fn new_works_without_init_and_follows_book_toml_src() {
    let lib = Lib::new(&[("book.toml", "[book]\nsrc = \"docs/src\"\n")]).env("SOURCE_DATE_EPOCH", EPOCH);
    let run = lib.run(&["new", "incident", "Disk full"]);
    run.assert_code(0);
    run.assert_line("note: editors find no schema at `.casebook/schema/incident.json` yet; write it with `casebook schema incident > .casebook/schema/incident.json`");
    let text = std::fs::read_to_string(lib.path().join("docs/src/incidents/2025-02-03-disk-full.md")).expect("file");
    assert!(text.contains("$schema=../../../.casebook/schema/incident.json"), "{text}");
    lib.build_clean();
}

#[test]
fn a_title_with_yaml_and_html_in_it_stays_text() {
    let lib = init_lib();
    lib.run(&["new", "incident", "Fix: \"quotes\" & <script>x</script> # not a comment"]).assert_code(0);
    let path = "content/incidents/2025-02-03-fix-quotes-script-x-script-not-a-comment.md";
    assert!(lib.path().join(path).is_file());
    lib.build_clean();
    let page = lib.html("incidents/2025-02-03-fix-quotes-script-x-script-not-a-comment/index.html");
    assert!(page.contains("&lt;script&gt;x&lt;/script&gt; # not a comment"), "title not kept as text");
}

#[test]
fn init_refuses_to_overwrite_and_names_every_existing_file() {
    let lib = Lib::new(&[("book.toml", "[book]\ntitle = \"Mine\"\n"), ("content/factors.yaml", "mine: {}\n")]);
    let run = lib.run(&["init", "."]);
    run.assert_code(1);
    assert!(run.stderr.contains("refusing to overwrite files"), "{}", run.stderr);
    assert!(run.stderr.contains("`book.toml`") && run.stderr.contains("`content/factors.yaml`"), "{}", run.stderr);
    assert!(!run.stderr.contains("`content/start-here.md`"), "names a file that does not exist: {}", run.stderr);
    assert_eq!(std::fs::read_to_string(lib.path().join("book.toml")).expect("book"), "[book]\ntitle = \"Mine\"\n");
    assert!(!lib.path().join("content/start-here.md").exists(), "init wrote files before refusing");
    assert!(!lib.path().join(".casebook").exists(), "init wrote files before refusing");
}

#[test]
fn init_in_a_non_empty_folder_writes_beside_what_is_there() {
    let lib = Lib::new(&[("README.md", "# our incidents\n"), ("notes.txt", "x\n")]);
    let run = lib.run(&["init", "."]);
    run.assert_code(0);
    assert_eq!(std::fs::read_to_string(lib.path().join("README.md")).expect("readme"), "# our incidents\n");
    assert!(lib.path().join("book.toml").is_file());
}

#[test]
fn init_creates_a_missing_folder() {
    let lib = Lib::empty();
    lib.run(&["init", "deep/new/library"]).assert_code(0);
    assert!(lib.path().join("deep/new/library/content/factors.yaml").is_file());
}

#[test]
fn new_refuses_to_overwrite() {
    let lib = init_lib();
    lib.run(&["new", "note", "Same title"]).assert_code(0);
    let path = lib.path().join("content/notes/same-title.md");
    std::fs::write(&path, "mine\n").expect("write");
    let run = lib.run(&["new", "note", "Same title"]);
    run.assert_code(1);
    run.assert_line(
        "error: refusing to overwrite `content/notes/same-title.md`: it already exists (choose another title, or edit that file)",
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine\n");
}

#[test]
fn new_with_a_title_that_gives_no_file_name_is_an_error() {
    let run = Lib::empty().run(&["new", "incident", "!!!"]);
    run.assert_code(1);
    assert!(run.stderr.contains("gives an empty file name"), "{}", run.stderr);
}

#[test]
fn new_with_an_unknown_kind_is_a_usage_error() {
    Lib::empty().run(&["new", "postmortem", "X"]).assert_code(2);
}

#[test]
fn the_theme_folder_overrides_the_new_templates() {
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\ntheme = \"ours\"\n"),
        (
            "ours/templates/new/incident.md",
            "---\ntitle: {{title}}\ndate: {{date}}\n---\n\n## Our own heading\n\nText.\n",
        ),
    ])
    .env("SOURCE_DATE_EPOCH", EPOCH);
    lib.run(&["new", "incident", "Ours"]).assert_code(0);
    let text = std::fs::read_to_string(lib.path().join("content/incidents/2025-02-03-ours.md")).expect("file");
    assert_eq!(text, "---\ntitle: \"Ours\"\ndate: 2025-02-03\n---\n\n## Our own heading\n\nText.\n");
    lib.run(&["new", "note", "Theirs"]).assert_code(0);
    let note = std::fs::read_to_string(lib.path().join("content/notes/theirs.md")).expect("note");
    assert!(note.contains("## What it says"), "the embedded note template should be used: {note}");
}

/// An editor that records the file it was asked to open.
fn fake_editor(lib: &Lib) -> String {
    let script = lib.path().join("editor.sh");
    std::fs::write(&script, "#!/bin/sh\nprintf '%s %s' \"$1\" \"$2\" > \"$(dirname \"$0\")/opened.txt\"\n")
        .expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    script.display().to_string()
}

#[cfg(unix)]
#[test]
fn open_starts_editor_with_its_arguments_then_the_new_file() {
    let lib = Lib::empty().env("SOURCE_DATE_EPOCH", EPOCH);
    let editor = fake_editor(&lib);
    let lib = lib.env("EDITOR", &format!("{editor} --wait")).env("VISUAL", "false");
    lib.run(&["new", "incident", "Opened", "--open"]).assert_code(0);
    let opened = std::fs::read_to_string(lib.path().join("opened.txt")).expect("editor ran");
    assert_eq!(opened, "--wait ./content/incidents/2025-02-03-opened.md");
}

#[cfg(unix)]
#[test]
fn open_falls_back_to_visual_and_fails_clearly_without_either() {
    let lib = Lib::empty();
    let editor = fake_editor(&lib);
    let lib = lib.env("EDITOR", "").env("VISUAL", &editor);
    lib.run(&["new", "note", "Seen", "--open"]).assert_code(0);
    assert!(std::fs::read_to_string(lib.path().join("opened.txt")).expect("ran").contains("content/notes/seen.md"));
    let lib = lib.env("VISUAL", "");
    let run = lib.run(&["new", "note", "Unseen", "--open"]);
    run.assert_code(1);
    assert!(run.stderr.contains("set $EDITOR or $VISUAL"), "{}", run.stderr);
}
