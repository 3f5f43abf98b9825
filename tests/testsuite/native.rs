//! The native printer of incident and note pages (`src/render/native/`) against Tera: every
//! file of the site is byte-identical with `CASEBOOK_TERA=1` (Tera everywhere) and without, on
//! the sample library, the plain-postmortem fixtures, a hostile library and libraries from the
//! project's generator (`examples/generate.rs`); and a theme that overrides a template involved
//! still gets its own template. `native_pins.rs` pins the templates themselves.

use crate::support::{snapshot, Lib};
use std::path::Path;

// The benchmarks' generator, compiled in so the test needs no second cargo run; its `main` is unused.
#[allow(dead_code)]
#[path = "../../examples/generate.rs"]
mod generate;

/// Builds the library twice, natively and with Tera only, and asserts both sites hold the same
/// files with the same bytes. `make` writes the library (called once per build).
fn assert_same_both_ways(make: impl Fn() -> Lib, args: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let native = make();
    native.build(args).assert_code(0);
    let tera = make().env("CASEBOOK_TERA", "1");
    tera.build(args).assert_code(0);
    let (a, b) = (snapshot(&native.site()), snapshot(&tera.site()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the two sites hold different files");
    let differ: Vec<&String> = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).map(|(k, _)| k).collect();
    if let Some(first) = differ.first() {
        let (x, y) = (String::from_utf8_lossy(&a[*first]), String::from_utf8_lossy(&b[*first]));
        let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
        let show = |s: &str| s.get(at.saturating_sub(120)..(at + 120).min(s.len())).unwrap_or("").to_string();
        panic!(
            "{} pages differ, first `{first}` at byte {at}\n--- native:\n{}\n--- tera:\n{}",
            differ.len(),
            show(&x),
            show(&y)
        );
    }
    assert!(a.contains_key("incidents/index.html") && a.contains_key("notes/index.html"), "{:?}", a.keys());
    a
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_sample_library_is_byte_identical_without_tera() {
    let make = || {
        let lib = Lib::empty();
        lib.copy_tree(&repo("content"), "content");
        lib.write("book.toml", &std::fs::read_to_string(repo("book.toml")).expect("book.toml"));
        lib
    };
    assert_same_both_ways(make, &[]);
}

#[test]
fn the_plain_postmortems_are_byte_identical_without_tera() {
    let make = || {
        let lib = Lib::empty();
        lib.copy_tree(&repo("tests/fixtures/plain-postmortems"), "");
        lib
    };
    assert_same_both_ways(make, &[]);
}

#[test]
fn similar_incidents_and_recurring_problems_are_byte_identical_without_tera() {
    let make = || {
        let lib = Lib::empty();
        lib.copy_tree(&repo("tests/fixtures/recurrence"), "");
        lib
    };
    let site = assert_same_both_ways(make, &[]);
    // Both branches are printed: a member of a problem with a similar list, and the lists alone.
    let page = String::from_utf8_lossy(&site["incidents/2022-03-04-partner-api-cert-expired/index.html"]).to_string();
    assert!(page.contains("This problem came back") && page.contains("class=\"related similar\""), "{page}");
    let lone = site.iter().filter(|(k, _)| k.starts_with("incidents/") && k.ends_with("/index.html")).any(|(_, v)| {
        let t = String::from_utf8_lossy(v);
        t.contains("class=\"related similar\"") && !t.contains("This problem came back")
    });
    assert!(lone, "some incident lists similar ones without being in a group");
}

#[test]
fn generated_libraries_are_byte_identical_without_tera() {
    // Both shapes, small; a page size of 5 splits the pattern, group and list pages so the
    // pagers and later pages are compared too.
    let shapes = [
        (generate::Spread::Thin, generate::Code::Yaml, 60, 12),
        (generate::Spread::Zipf, generate::Code::Seven, 80, 10),
    ];
    for (spread, code, incidents, notes) in shapes {
        let make = || {
            let lib = Lib::empty();
            generate::generate(lib.path(), incidents, notes, &generate::Factors::new(spread), code).expect("generate");
            let book = std::fs::read_to_string(lib.path().join("book.toml")).expect("generated book.toml");
            lib.write("book.toml", &format!("{book}[build]\npage-size = 5\n"));
            lib
        };
        let site = assert_same_both_ways(make, &[]);
        assert!(site.keys().any(|k| k.starts_with("patterns/") && k.contains("/page/2/")), "{:?}", site.keys());
        assert!(site.keys().filter(|k| k.starts_with("incidents/")).count() > incidents, "{:?}", site.keys());
    }
}

#[test]
fn a_library_of_kept_notes_alone_is_byte_identical_without_tera() {
    // Saved web pages, caption dumps and a talk export: a header without the incident sections,
    // transcripts in the body, summaries shown once.
    let make = || {
        let lib = Lib::empty();
        lib.copy_tree(&repo("tests/fixtures/notes"), "content/notes");
        lib
    };
    let site = assert_same_both_ways(make, &[]);
    let page = String::from_utf8_lossy(&site["notes/talk-export/index.html"]).into_owned();
    assert!(page.contains("<div class=\"transcript\">") && page.contains("rel=\"icon\""), "{page}");
    assert!(!page.contains(">Incidents</a>"), "{page}");
}

#[test]
fn a_hostile_library_is_byte_identical_without_tera() {
    let site = assert_same_both_ways(hostile, &["--drafts"]);
    // The split group pages and a tag's notes were compared too.
    assert!(site.keys().any(|k| k.starts_with("services/") && k.contains("/page/3/")), "{:?}", site.keys());
    let tag_with_notes = |(k, v): (&String, &Vec<u8>)| {
        k.starts_with("tags/") && String::from_utf8_lossy(v).contains("<h2>Reading notes</h2>")
    };
    assert!(site.iter().any(tag_with_notes), "{:?}", site.keys());
}

#[test]
fn empty_lists_are_byte_identical_without_tera() {
    let empty = || Lib::new(&[("book.toml", "[book]\ntitle = \"Empty\"\n"), ("content/README.txt", "")]);
    let site = assert_same_both_ways(empty, &[]);
    assert!(String::from_utf8_lossy(&site["notes/index.html"]).contains("No reading notes yet."));
    let one_note = || Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\n\nBody.\n")]);
    let site = assert_same_both_ways(one_note, &[]);
    assert!(String::from_utf8_lossy(&site["incidents/index.html"]).contains("No incidents yet."));
}

#[test]
fn a_theme_overriding_incident_html_gets_its_own_template() {
    let lib = hostile();
    lib.write("book.toml", "[output.html]\ntheme = \"ours\"\n");
    lib.write("ours/templates/incident.html", "OURS {{ page.doc.title }}|{{ page.severity }}\n");
    lib.build(&["--drafts"]).assert_code(0);
    let page = lib.read("incidents/full/index.html");
    assert!(page.starts_with("OURS &lt;script&gt;"), "{page}");
    // note.html is still the embedded one.
    assert!(lib.read("notes/full-note/index.html").contains("<article class=\"note\">"));
}

#[test]
fn a_theme_overriding_base_html_keeps_it_under_every_page() {
    let lib = hostile();
    lib.write("book.toml", "[output.html]\ntheme = \"ours\"\n");
    lib.write("ours/templates/base.html", "BASE[{{ title }}]{% block content %}{% endblock content %}\n");
    lib.build(&["--drafts"]).assert_code(0);
    for page in ["incidents/full/index.html", "incidents/bare/index.html", "notes/full-note/index.html"] {
        let html = lib.read(page);
        assert!(html.starts_with("BASE["), "{page}: {html}");
        assert!(!html.contains("<!doctype html>"), "{page}: {html}");
    }
}

#[test]
fn a_source_field_that_is_not_text_prints_no_markup() {
    // Tera printed a list in `source.organization` as `[<x>, 2]`, unescaped.
    let lib = hostile();
    lib.build(&["--drafts"]).assert_code(0);
    let page = lib.read("incidents/2024-02-03-source-odd/index.html");
    assert!(page.contains("<p class=\"muted source\">Source:  · 3</p>"), "{page}");
    assert!(!page.contains("<x>"), "{page}");
}

/// Every optional section present on one incident and absent on another, with markup, quotes,
/// ampersands and unicode in every text that reaches a page; drafts, undated documents, an
/// unset severity, odd `source` blocks and hostile notes.
fn hostile() -> Lib {
    Lib::new(&[
        ("book.toml", HOSTILE_BOOK),
        ("content/factors.yaml", HOSTILE_FACTORS),
        ("content/incidents/full.md", HOSTILE_FULL),
        (
            "content/incidents/bare.md",
            "---\ntitle: \"Bare & <bold> 'one'\"\nstatus: draft\ntags: [\"ünï\"]\n---\n\nNo date, no severity.\n",
        ),
        (
            "content/incidents/2024-02-01-partial.md",
            "---\ntitle: Partial\ndate: 2024-02-01\nseverity: SEV3\nservices: [\"a&b\"]\nfactors: [retry-storm]\n\
             detection:\n  note: \"only a note <i>\"\nimpact:\n  summary: \"only a summary & more\"\n\
             source: {}\nrelated: [full]\n---\n\n# Partial\n\nSee [[full]].\n",
        ),
        (
            "content/incidents/2024-02-02-source-string.md",
            "---\ntitle: Source as text\ndate: 2024-02-02\nseverity: SEV4\nservices: [\"a&b\"]\ntags: [\"ünï\"]\nfactors: [retry-storm, config-change]\n\
             source: \"<b>a string</b>\"\n---\n\nBody.\n",
        ),
        (
            "content/incidents/2024-02-03-source-odd.md",
            "---\ntitle: Source with odd fields\ndate: 2024-02-03\nfactors: [config-change]\n\
             source:\n  organization: [\"<x>\", 2]\n  license: 3\n---\n\nBody.\n",
        ),
        (
            "content/incidents/2024-02-04-source-some.md",
            "---\ntitle: Source with an organization only\ndate: 2024-02-04\nstatus: in-review\n\
             source:\n  organization: \"Ünï & Co\"\n  url: \"javascript:alert(1)\"\n---\n\nBody.\n",
        ),
        ("content/notes/full-note.md", HOSTILE_NOTE),
        ("content/notes/bare-note.md", "---\ntitle: \"Bare note <script>\"\n---\n\nNothing else.\n"),
        (
            "content/notes/script-url.md",
            "---\ntitle: Script url\ndate: 2024-04-01\nurl: \"javascript:alert(1)\"\npublished: 2001\n---\n\nBody.\n",
        ),
    ])
}

const HOSTILE_BOOK: &str = r#"[book]
title = "Lib <script>alert('t')</script> & \"co\""
description = "What broke & why <b>"

[output.html]
git-repository-url = "https://git.example.com/a?b=1&c=\"2\""
edit-url-template = "https://git.example.com/edit/{path}?x=<y>&z='w'"

[build]
page-size = 1

[patterns]
recurring = 2

[severity]
levels = ["SEV1", "SEV2", "SEV3", "SEV4"]
"#;

const HOSTILE_FACTORS: &str = r#"config-change:
  title: "Config <change> & 'friends'"
  category: "Change & <management>"
retry-storm:
  title: Retry stürm "quoted"
"#;

const HOSTILE_FULL: &str = r#"---
title: "<script>alert(\"x\")</script> & 'quotes' — ünïcödé"
date: 2024-03-12
summary: "A <summary> with \"quotes\" & 'apostrophes' — ✓"
severity: SEV1
services: ["<svc>", "a&b", "ünï"]
teams: ["team \"q\""]
tags: ["<tag>", "t&t", "ünï"]
authors: ["O'Brien", "<x>", "Zoë"]
aliases: [old-full]
times:
  started: 2024-03-12T14:02:00Z
  detected: 2024-03-12T14:19:00Z
  acknowledged: 2024-03-12T14:21:00Z
  mitigated: 2024-03-12T15:40:00Z
  resolved: 2024-03-12T16:17:00Z
detection:
  method: alert
  note: "paged <on-call> & \"friends\""
trigger: "A <deploy> & 'config'"
impact:
  summary: "Users saw <errors> & \"timeouts\""
  blast_radius: global
  reversibility: reversible
  time_sensitivity: high
  users_affected: "~12% <all> & more"
factors:
  - factor: config-change
    role: precipitating
    note: "The <change> & its 'note'"
  - factor: retry-storm
  - "Something <unregistered> & odd"
action_items:
  - title: "Fix <it> & \"now\""
    status: done
    done: 2024-04-01
    owner: "<owner> & co"
    link: "https://tracker.example.com/1?a=1&b=<2>"
    addresses: [config-change, retry-storm]
  - title: Script link
    status: wont-do
    link: "javascript:alert(1)"
  - title: In progress
    status: in-progress
    due: 2024-05-01
  - title: Open one
    status: open
related: [2024-02-01-partial]
source:
  organization: "Org <x> & 'y'"
  url: "https://example.com/?a=1&b=2"
  license: "CC-BY <4.0>"
---

# The heading

Text with <b>raw</b> & an [[2024-02-01-partial]] link.

```rust
fn main() { println!("<&>"); }
```
"#;

const HOSTILE_NOTE: &str = r#"---
title: "Note <script>x</script> & 'q'"
kind: paper
authors: ["A & B", "<c>"]
published: 2019
url: "https://example.com/p?a=1&b=\"2\""
date: 2024-03-20
summary: "Note <summary> & more"
factors: [config-change, retry-storm]
incidents: [full, 2024-02-01-partial]
tags: ["<t>", "ünï"]
---

Body linking [[full]].
"#;
