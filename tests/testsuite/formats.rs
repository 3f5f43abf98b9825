//! SPEC §3: every shape of document builds — no front matter, Jekyll and Hugo front matter,
//! TOML, header blocks without delimiters, plain text — with the title, summary and date
//! fallbacks, and the value rules (single values as lists, empty values absent, numbers as text).

use crate::support::Lib;
use std::path::Path;

#[test]
fn plain_markdown_postmortem_takes_title_summary_and_date_from_the_text() {
    let lib = Lib::new(&[(
        "content/incidents/2023-05-01-db-outage.md",
        "# Database outage on May 1\n\nIt was a long day for the on-call team.\n\n## Summary\n\nThe primary database ran out of disk.\n\nMore words.\n\n## Timeline\n\n- 09:00 disk full\n",
    )]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2023-05-01-db-outage");
    assert_eq!(inc["title"], "Database outage on May 1");
    assert_eq!(inc["summary"], "The primary database ran out of disk.");
    assert_eq!(inc["date"], "2023-05-01");
    let html = lib.html("incidents/2023-05-01-db-outage/index.html");
    assert_eq!(html.matches("Database outage on May 1</h1>").count(), 1, "the heading is not shown twice: {html}");
    assert!(html.contains("It was a long day for the on-call team."));
    assert!(html.contains(r#"<h2 id="timeline">Timeline</h2>"#), "{html}");
}

#[test]
fn plain_markdown_without_a_summary_section_uses_the_first_paragraph() {
    let lib = Lib::new(&[(
        "content/incidents/2023-06-02-cache.md",
        "# Cache stampede\n\nThe cache expired at once and the database fell over.\n\nSecond paragraph.\n",
    )]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2023-06-02-cache");
    assert_eq!(inc["summary"], "The cache expired at once and the database fell over.");
    assert_eq!(inc["date"], "2023-06-02");
}

#[test]
fn a_txt_file_without_front_matter_takes_its_title_from_the_first_line() {
    let lib = Lib::new(&[(
        "content/notes/failure-talk.txt",
        "Why distributed systems are hard\n\nA talk transcript.\nIt goes on.\n\nSecond paragraph.\n",
    )]);
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "failure-talk");
    assert_eq!(note["title"], "Why distributed systems are hard");
    let html = lib.html("notes/failure-talk/index.html");
    assert!(html.contains("<h1>Why distributed systems are hard</h1>"), "{html}");
    assert!(html.contains("A talk transcript.\nIt goes on."), "paragraphs are kept: {html}");
}

#[test]
fn markdown_extension_is_a_document_too() {
    let lib = Lib::new(&[("content/notes/long-name.markdown", "# Long extension\n\nBody.\n")]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/notes.json", "long-name")["title"], "Long extension");
}

#[test]
fn a_document_with_no_title_anywhere_takes_its_file_name() {
    let lib = Lib::new(&[("content/notes/untitled-thing.md", "---\ntags: [x]\n---\n\n")]);
    let run = lib.build(&[]);
    run.assert_code(0);
    assert_eq!(lib.json_item("api/notes.json", "untitled-thing")["title"], "untitled-thing");
}

#[test]
fn jekyll_front_matter_with_slug_categories_and_timestamp_date() {
    let lib = Lib::new(&[(
        "content/notes/2015-09-30-youtube-hole.md",
        "---\nlayout: post\ntitle: \"A Failure and a Video Hole\"\nslug: failure-video-hole\nid: 5246\ndate: 2015-09-30 22:00:00\ntags:\n- distributed_systems\ncategories:\n- work\nauthor: Sam\n---\nI went down a rabbit hole.\n",
    )]);
    lib.build_clean();
    assert!(lib.exists("notes/failure-video-hole/index.html"));
    let note = lib.json_item("api/notes.json", "failure-video-hole");
    assert_eq!(note["title"], "A Failure and a Video Hole");
    assert_eq!(note["date"], "2015-09-30");
    assert_eq!(note["authors"], serde_json::json!(["Sam"]));
    assert!(lib.exists("tags/distributed-systems/index.html"));
}

#[test]
fn jekyll_published_false_is_a_draft_listed_under_verbose() {
    let lib = Lib::new(&[
        ("content/notes/kept.md", "---\ntitle: Kept\npublished: true\n---\nBody.\n"),
        (
            "content/notes/2016-01-01-unpublished.md",
            "---\ntitle: Not yet\nslug: not-yet\ndate: 2016-01-01 10:00:00\npublished: false\n---\nBody.\n",
        ),
    ]);
    let run = lib.build(&["--verbose"]);
    run.assert_code(0);
    run.assert_line("content/notes/2016-01-01-unpublished.md:1:1: note: draft `not-yet` left out");
    assert!(lib.exists("notes/kept/index.html"));
    assert!(!lib.exists("notes/not-yet/index.html"));
    assert!(!lib.read("notes/index.html").contains("Not yet"));
    let quiet = lib.build(&[]);
    assert!(quiet.at_level("note").is_empty(), "notes only under --verbose: {}", quiet.stderr);
}

#[test]
fn hugo_draft_true_is_a_draft() {
    let lib = Lib::new(&[
        ("content/notes/a.md", "---\ntitle: A\ndraft: true\n---\nBody.\n"),
        ("content/notes/b.md", "---\ntitle: B\ndraft: false\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(!lib.exists("notes/a/index.html"));
    assert!(lib.exists("notes/b/index.html"));
    lib.build(&["--drafts"]).assert_clean();
    assert!(lib.exists("notes/a/index.html"));
}

#[test]
fn toml_front_matter_between_plus_lines() {
    let lib = Lib::new(&[(
        "content/notes/hugo-note.md",
        "+++\ntitle = \"A Hugo note\"\ndate = 2024-03-02\ntags = [\"resilience\"]\nfactors = [\"latent-failures\"]\ndraft = false\n+++\nBody from Hugo.\n",
    )]);
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "hugo-note");
    assert_eq!(note["title"], "A Hugo note");
    assert_eq!(note["date"], "2024-03-02");
    assert_eq!(note["factors"], serde_json::json!(["latent-failures"]));
    assert!(lib.html("notes/hugo-note/index.html").contains("Body from Hugo."));
}

#[test]
fn toml_front_matter_errors_are_located_in_the_file() {
    let lib = Lib::new(&[
        ("book.toml", "[severity]\nlevels = [\"SEV1\"]\n"),
        ("content/incidents/a.md", "+++\ntitle = \"A\"\ndate = 2024-03-02\nseverity = \"SEV7\"\n+++\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:4:12: error: unknown severity `SEV7`");
}

#[test]
fn a_header_block_without_delimiters_is_front_matter() {
    // The shape of a transcript export: `Title:` then `Publication date:`, keys that are not
    // YAML-safe (a colon in the title, tab-indented continuation), then a blank line.
    let lib = Lib::new(&[(
        "content/notes/srecon-talk.txt",
        "Title: Jane Doe - Learning From Incidents: Notes - SREcon 2019\nPublication date: 2019-03-25\nPlaylist: Talks\nDescription: \n\tSpeaker: Jane Doe\n\nWe will talk about incidents and what they teach.\n\nMore of the transcript.\n",
    )]);
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "srecon-talk");
    assert_eq!(note["title"], "Jane Doe - Learning From Incidents: Notes - SREcon 2019");
    let html = lib.html("notes/srecon-talk/index.html");
    assert!(html.contains("<h1>Jane Doe - Learning From Incidents: Notes - SREcon 2019</h1>"), "{html}");
    assert!(html.contains("2019-03-25"), "publication date shown: {html}");
    assert!(html.contains("We will talk about incidents and what they teach."), "{html}");
    assert!(!html.contains("Playlist: Talks"), "the header is not part of the body: {html}");
}

#[test]
fn a_lower_case_title_header_block_that_is_yaml() {
    let lib = Lib::new(&[(
        "content/notes/export.txt",
        "title: \"Exported: a post\"\nslug: exported-post\ndate: 2015-09-30 22:00:00\ntags: \n- distributed_systems\n\n\nThe body of the export.\n",
    )]);
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "exported-post");
    assert_eq!(note["title"], "Exported: a post");
    assert_eq!(note["date"], "2015-09-30");
}

#[test]
fn the_shared_sample_notes_build_one_page_each() {
    // shared/ sits beside the checkout, on developers' machines and in CI alike.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let samples = samples.as_path();
    if !samples.is_dir() {
        eprintln!("skipping: {} is not here", samples.display());
        return;
    }
    let lib = Lib::empty();
    lib.copy_tree(samples, "content/notes");
    let count = crate::support::files_under(samples).len();
    assert!(count > 0, "no samples in {}", samples.display());
    let run = lib.build(&[]);
    run.assert_code(0);
    assert!(run.at_level("error").is_empty(), "{}", run.stderr);
    let pages: Vec<String> = lib
        .site_files()
        .into_iter()
        .filter(|f| f.starts_with("notes/") && f.ends_with("/index.html") && f != "notes/index.html")
        .collect();
    assert_eq!(pages.len(), count, "{pages:?}");
    assert_eq!(lib.json("api/notes.json").as_array().map(Vec::len), Some(count));
    // Two shapes worth pinning, while those samples are there: Jekyll-style keys without
    // delimiters, and a `Title:` header block whose title holds a colon.
    if samples.join("000_f41ad633698ecb13.txt").exists() {
        let yt = lib.json_item("api/notes.json", "a-failure-and-distributed-systems-youtube-hole");
        assert_eq!(yt["date"], "2015-09-30");
    }
    if samples.join("004_6be295cbd0669316.txt").exists() {
        let talk = lib.json_item("api/notes.json", "004-6be295cbd0669316");
        assert_eq!(talk["title"], "Alex Gaynor - Learning From Failure: Post Mortems - PyCon 2018");
    }
    crate::support::assert_links_resolve(&lib.site(), "/");
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let lib = Lib::new(&[(
        "content/incidents/2024-02-02-crlf.md",
        "\u{feff}---\r\ntitle: Windows file\r\nseverity: SEV2\r\n---\r\n## Summary\r\n\r\nWritten on Windows.\r\n",
    )]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2024-02-02-crlf");
    assert_eq!(inc["title"], "Windows file");
    assert_eq!(inc["severity"], "SEV2");
    assert_eq!(inc["summary"], "Written on Windows.");
}

#[test]
fn type_in_front_matter_overrides_the_folder() {
    let lib = Lib::new(&[
        ("content/notes/2024-04-04-oops.md", "---\ntitle: Filed under notes\ntype: incident\n---\nBody.\n"),
        ("content/reading.md", "---\ntitle: A note at the root\ntype: note\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.exists("incidents/2024-04-04-oops/index.html"));
    assert!(lib.exists("notes/reading/index.html"));
    assert!(!lib.exists("reading/index.html"));
}

#[test]
fn incidents_may_nest_in_folders() {
    let lib = Lib::new(&[
        ("content/incidents/2023/q4/2023-11-02-dns.md", "# DNS\n\nBody.\n"),
        ("content/incidents/2024/2024-01-05-db.md", "# DB\n\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.exists("incidents/2023-11-02-dns/index.html"));
    assert!(lib.exists("incidents/2024-01-05-db/index.html"));
}

#[test]
fn a_single_value_counts_as_a_list_and_scalars_are_text() {
    let lib = Lib::new(&[(
        "content/incidents/2024-01-01-a.md",
        "---\ntitle: A\nservices: checkout\nteams: true\ntags: 2024\nfactors: config-change\n---\nBody.\n",
    )]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2024-01-01-a");
    assert_eq!(inc["services"], serde_json::json!(["checkout"]));
    assert_eq!(inc["teams"], serde_json::json!(["true"]));
    assert_eq!(inc["tags"], serde_json::json!(["2024"]));
    assert_eq!(inc["factors"], serde_json::json!(["config-change"]));
    assert!(lib.exists("tags/2024/index.html"));
    assert!(lib.exists("teams/true/index.html"));
}

#[test]
fn empty_values_count_as_absent() {
    let lib = Lib::new(&[(
        "content/incidents/a.md",
        "---\ntitle: A\ndate: \"\"\ntags:\nservices: []\nseverity:\n---\nBody.\n",
    )]);
    let run = lib.build(&[]);
    run.assert_code(0);
    assert_eq!(run.at_level("warning"), ["content/incidents/a.md:3:7: warning: incident has no date"]);
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["date"], serde_json::Value::Null);
    assert_eq!(inc["tags"], serde_json::json!([]));
    assert_eq!(inc["severity"], serde_json::Value::Null);
}

#[test]
fn a_timestamp_date_uses_the_day_as_written() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12T23:30:00-05:00\n---\nBody.\n"),
        ("content/incidents/b.md", "---\ntitle: B\ndate: 2015-09-30 22:00:00\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["date"], "2024-03-12");
    assert_eq!(lib.json_item("api/incidents.json", "b")["date"], "2015-09-30");
}

#[test]
fn date_falls_back_to_times_started() {
    let lib =
        Lib::new(&[("content/incidents/a.md", "---\ntitle: A\ntimes:\n  started: 2024-03-12T14:02:00Z\n---\nBody.\n")]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["date"], "2024-03-12");
}

#[test]
fn contributing_factors_is_accepted_for_factors() {
    let lib = Lib::new(&[(
        "content/incidents/2024-01-01-a.md",
        "---\ntitle: A\ncontributing_factors: [missing-timeout]\n---\nBody.\n",
    )]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "2024-01-01-a")["factors"], serde_json::json!(["missing-timeout"]));
}

#[test]
fn ids_follow_the_id_rule() {
    let lib = Lib::new(&[
        ("content/notes/Café Ñandú!!.md", "# Accents\n\nBody.\n"),
        ("content/notes/b.md", "---\ntitle: B\nslug: Already-Cased\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.exists("notes/cafe-nandu/index.html"), "{:?}", lib.site_files());
    assert!(lib.exists("notes/already-cased/index.html"));
}

#[test]
fn note_fields_are_exported() {
    let lib = crate::fixtures::full_library();
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "how-complex-systems-fail");
    assert_eq!(note["kind"], "paper");
    assert_eq!(note["authors"], serde_json::json!(["Richard I. Cook"]));
    assert_eq!(note["source_url"], "https://how.complexsystems.fail/");
    assert_eq!(note["incidents"], serde_json::json!(["2024-03-12-checkout-ttl"]));
    assert_eq!(note["date"], "2024-03-02");
    let html = lib.html("notes/how-complex-systems-fail/index.html");
    assert!(html.contains(r#"<a class="source-link" href="https://how.complexsystems.fail/">Read the original</a>"#));
    assert!(html.contains("Richard I. Cook · 1998"), "{html}");
}
