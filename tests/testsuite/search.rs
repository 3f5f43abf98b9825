//! SPEC §5: the search index written with the site: its files, what they hold, that content is
//! escaped in them, that the manifest stays small, and that the header box and the search page
//! work without JavaScript as a form and a message.

use crate::support::Lib;
use serde_json::Value;

/// The JSON inside a data file `casebookSearch.load("name", JSON);`.
fn data(lib: &Lib, site_path: &str) -> (String, Value) {
    let text = lib.read(site_path);
    let rest = text.strip_prefix("casebookSearch.load(\"").unwrap_or_else(|| panic!("{site_path}: {text}"));
    let (name, json) = rest.split_once("\",").unwrap_or_else(|| panic!("{site_path}: {text}"));
    let json = json.trim_end().strip_suffix(");").unwrap_or_else(|| panic!("{site_path}: {text}"));
    (name.to_string(), serde_json::from_str(json).unwrap_or_else(|e| panic!("{site_path}: {e}: {json}")))
}

fn incident(id: &str, title: &str, date: &str, extra: &str) -> (String, String) {
    (
        format!("content/incidents/{id}.md"),
        format!("---\ntitle: '{title}'\ndate: {date}\n{extra}---\n\nBody of {id}.\n"),
    )
}

fn library(files: Vec<(String, String)>) -> Lib {
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let lib = Lib::new(&refs);
    lib.build_clean();
    lib
}

#[test]
fn the_index_numbers_documents_in_date_order_and_holds_every_kind() {
    let lib = library(vec![
        incident("b", "Resolver timeouts", "2024-05-01", "severity: SEV1\nfactors: [missing-timeout]\n"),
        incident("a", "Disk full", "2023-01-02", "severity: SEV2\n"),
        ("content/notes/n.md".into(), "---\ntitle: A note\ndate: 2024-02-01\n---\n\nOn timeouts.\n".into()),
    ]);
    let (name, m) = data(&lib, "search/index.js");
    assert_eq!(name, "index");
    assert_eq!(m["n"], 4, "two incidents, a note and the pattern page: {m}");
    assert_eq!(m["group"], 8);
    assert_eq!(m["shards"][0], "");
    // The undated pattern page first, then by date: a year is a range of numbers.
    assert_eq!(m["years"], serde_json::json!([[2023, 1, 2], [2024, 2, 4]]));
    let (_, docs) = data(&lib, "search/d/0.js");
    let paths: Vec<&str> = docs.as_array().into_iter().flatten().filter_map(|d| d[1].as_str()).collect();
    assert_eq!(paths, ["patterns/missing-timeout/", "incidents/a/", "notes/n/", "incidents/b/"]);
    assert_eq!(docs[3][0], "incident");
    assert_eq!(docs[3][3], "2024-05-01");
    assert_eq!(docs[3][4], "SEV1");
    let (_, shard) = data(&lib, "search/s/0.js");
    assert_eq!(shard["w"]["timeouts"], "timeout", "words map to their stems: {shard}");
    assert!(shard["p"]["timeout"].is_string(), "stems have postings: {shard}");
    assert!(shard["p"].get("of").is_none(), "stop words are left out");
}

#[test]
fn facets_count_what_the_pattern_and_service_pages_count() {
    let lib = library(vec![
        incident("a", "One", "2024-01-01", "severity: SEV1\nservices: [checkout]\nfactors: [config-change]\n"),
        incident("b", "Two", "2024-02-01", "severity: SEV2\nservices: [Checkout, dns]\nfactors: [config-change]\n"),
        incident("c", "Three", "2024-03-01", "severity: SEV1\nservices: [dns]\n"),
    ]);
    let counts = |name: &str| -> Vec<(String, u64)> {
        let (_, fd) = data(&lib, &format!("search/f/{name}.js"));
        assert_eq!(fd["name"], name);
        fd["values"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| (v["v"].as_str().unwrap_or("").to_string(), v["n"].as_u64().unwrap_or(0)))
            .collect()
    };
    let pairs = |v: &[(&str, u64)]| v.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
    assert_eq!(counts("severity"), pairs(&[("SEV1", 2), ("SEV2", 1)]));
    assert_eq!(counts("service"), pairs(&[("checkout", 2), ("dns", 2)]));
    // Two incidents and the pattern page itself.
    assert_eq!(counts("factor"), pairs(&[("config-change", 3)]));
    assert_eq!(counts("kind"), pairs(&[("incident", 3), ("pattern", 1)]));
    // The manifest lists the fields; the large ones are fetched only when the page needs them.
    let (_, m) = data(&lib, "search/index.js");
    let listed: Vec<(String, bool, u64)> = m["facets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (f["name"].as_str().unwrap_or("").to_string(), f["lazy"] == true, f["values"].as_u64().unwrap_or(0)))
        .collect();
    let want = [("kind", false, 2), ("severity", false, 2), ("factor", true, 1), ("service", true, 2)];
    assert_eq!(listed, want.map(|(n, l, v)| (n.to_string(), l, v)), "{m}");
    assert!(!lib.exists("search/facets.js"), "no file holds every field");
}

#[test]
fn severity_filters_follow_the_site_order_when_no_levels_are_configured() {
    // Sorted naturally, as the incident table sorts them: SEV2 before SEV10.
    let lib = library(vec![
        incident("a", "One", "2024-01-01", "severity: SEV10\n"),
        incident("b", "Two", "2024-02-01", "severity: SEV2\n"),
    ]);
    let (_, fd) = data(&lib, "search/f/severity.js");
    let values: Vec<&str> = fd["values"].as_array().into_iter().flatten().filter_map(|v| v["v"].as_str()).collect();
    assert_eq!(values, ["SEV2", "SEV10"], "{fd}");
}

#[test]
fn content_in_index_files_cannot_close_a_script() {
    let lib = library(vec![incident("x", "</script><script>alert(1)</script>", "2024-01-01", "")]);
    for f in lib.site_files().into_iter().filter(|f| f.starts_with("search/") && f.ends_with(".js")) {
        let text = lib.read(&f);
        assert!(!text.contains("</script"), "{f}: {text}");
    }
    let (_, docs) = data(&lib, "search/d/0.js");
    assert_eq!(docs[0][2], "</script><script>alert(1)</script>", "the title survives as text");
}

#[test]
fn the_manifest_stays_small_as_the_library_grows() {
    let many: Vec<(String, String)> = (0..400)
        .map(|i| {
            incident(
                &format!("i{i:03}"),
                &format!("Incident {i} word{i} alpha{}", i % 7),
                "2024-01-01",
                "severity: SEV2\n",
            )
        })
        .collect();
    let lib = library(many);
    let manifest = lib.read("search/index.js");
    assert!(manifest.len() < 4096, "{} bytes", manifest.len());
    let groups = lib.site_files().into_iter().filter(|f| f.starts_with("search/d/")).count();
    assert_eq!(groups, 50, "400 documents in groups of 8");
}

#[test]
fn without_javascript_the_box_is_a_form_and_the_page_says_what_to_do() {
    let lib = library(vec![incident("a", "One", "2024-01-01", "")]);
    let home = lib.html("index.html");
    assert!(home.contains(r#"<form class="search-box" role="search" action="/search/" method="get""#), "{home}");
    assert!(home.contains(r#"<label for="search-q""#) && home.contains(r#"name="q""#), "{home}");
    let page = lib.html("search/index.html");
    assert!(page.contains("Search needs JavaScript"), "{page}");
    assert!(page.contains(r#"<a href="/incidents/">incident table</a>"#), "{page}");
    assert!(lib.exists("search.js") && lib.exists("search-page.js"));
}
