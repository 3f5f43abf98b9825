//! A full library builds every page of SPEC §4, and every internal link resolves.

use crate::fixtures::full_library;
use crate::support::{assert_links_resolve, files_under, snapshot, Lib};
use std::path::Path;

#[test]
fn full_library_writes_every_section_of_the_site() {
    let lib = full_library();
    lib.build_clean();
    for page in [
        "index.html",
        "incidents/index.html",
        "incidents/2024-03-12-checkout-ttl/index.html",
        "incidents/2023-11-02-dns-cache-outage/index.html",
        "incidents/2024-06-01-retry-storm/index.html",
        "notes/index.html",
        "notes/how-complex-systems-fail/index.html",
        "notes/ironies-of-automation/index.html",
        "patterns/index.html",
        "patterns/config-change/index.html",
        "patterns/missing-timeout/index.html",
        "patterns/retry-storm/index.html",
        "services/index.html",
        "services/checkout/index.html",
        "services/dns/index.html",
        "services/notifications/index.html",
        "tags/index.html",
        "tags/dns/index.html",
        "tags/caching/index.html",
        "tags/resilience/index.html",
        "teams/index.html",
        "teams/payments/index.html",
        "teams/platform/index.html",
        "about/index.html",
        "start-here/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "api/incidents.json",
        "api/notes.json",
        "api/patterns.json",
    ] {
        assert!(lib.exists(page), "missing {page}; the site holds:\n{}", lib.site_files().join("\n"));
    }
}

#[test]
fn build_prints_a_summary_of_what_it_built() {
    let lib = full_library();
    let run = lib.build_clean();
    let last = run.stderr.lines().last().unwrap_or("");
    assert!(
        last.starts_with("built 3 incidents, 2 notes, 2 pages and 3 patterns into site/ in "),
        "summary line: {last}"
    );
}

#[test]
fn every_internal_link_of_a_full_library_resolves() {
    let lib = full_library();
    lib.build_clean();
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn the_repositorys_sample_library_builds_and_every_link_resolves() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Lib::empty();
    lib.copy_tree(&repo.join("content"), "content");
    if repo.join("book.toml").is_file() {
        lib.write("book.toml", &std::fs::read_to_string(repo.join("book.toml")).expect("book.toml"));
    }
    let run = lib.build(&[]);
    run.assert_code(0);
    assert!(run.at_level("error").is_empty(), "{}", run.stderr);
    let incidents = files_under(&repo.join("content/incidents")).iter().filter(|f| f.ends_with(".md")).count();
    let pages = lib.site_files().iter().filter(|f| f.starts_with("incidents/") && f.ends_with("/index.html")).count();
    assert!(pages > incidents, "one page per incident plus the index: {pages} pages for {incidents} incidents");
    assert_links_resolve(&lib.site(), "/");
    for f in ["api/incidents.json", "api/notes.json", "api/patterns.json"] {
        lib.json(f);
    }
}

#[test]
fn incident_page_shows_its_summary_card_factors_and_body() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains("<h1>Checkout errors after resolver TTL change</h1>"), "{html}");
    assert!(html.contains(r#"<span class="sev sev-1">SEV1</span>"#), "{html}");
    assert!(html.contains(r#"<a class="chip" href="/services/checkout/">checkout</a>"#), "{html}");
    assert!(html.contains(r#"<a class="chip" href="/teams/payments/">payments</a>"#), "{html}");
    assert!(html.contains(r#"<a class="chip tag" href="/tags/dns/">dns</a>"#), "{html}");
    assert!(
        html.contains(r#"<a class="factor-name" href="/patterns/config-change/">Configuration change</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="role role-predisposing">predisposing</span>"#), "{html}");
    assert!(html.contains("The resolver client had no timeout."), "{html}");
    assert!(html.contains("<div class=\"table-wrap\"><table>"), "timeline table in the body: {html}");
    assert!(html.contains(r#"data-lang="yaml""#), "highlighted code block: {html}");
    assert!(html.contains("Add a timeout to the resolver client"), "action items: {html}");
    assert!(html.contains(r#"<a href="/incidents/2023-11-02-dns-cache-outage/">DNS cache outage</a>"#), "{html}");
}

#[test]
fn summary_falls_back_to_the_summary_section() {
    let lib = full_library();
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2024-03-12-checkout-ttl");
    assert_eq!(inc["summary"], "Lowering the TTL made checkout fail for two hours.");
}

#[test]
fn incident_list_is_newest_first() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("incidents/index.html");
    let a = html.find("/incidents/2024-06-01-retry-storm/").expect("newest");
    let b = html.find("/incidents/2024-03-12-checkout-ttl/").expect("middle");
    let c = html.find("/incidents/2023-11-02-dns-cache-outage/").expect("oldest");
    assert!(a < b && b < c, "newest first");
    assert!(html.contains("3 incidents, newest first."), "{html}");
}

#[test]
fn lists_longer_than_page_size_are_split_into_pages() {
    let lib = full_library();
    lib.write("book.toml", "[build]\npage-size = 2\n");
    lib.build_clean();
    let first = lib.html("incidents/index.html");
    let second = lib.html("incidents/page/2/index.html");
    assert!(first.contains("/incidents/2024-06-01-retry-storm/"));
    assert!(!first.contains("/incidents/2023-11-02-dns-cache-outage/\""), "third incident is on page 2");
    assert!(second.contains("/incidents/2023-11-02-dns-cache-outage/"), "{second}");
    assert!(first.contains(r#"href="/incidents/page/2/""#), "pager links to page 2: {first}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn home_page_shows_latest_incidents_recurring_patterns_and_start_here() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("index.html");
    assert!(html.contains("<h1>Acme incident library</h1>"), "{html}");
    assert!(html.contains(r#"<a href="/incidents/2024-06-01-retry-storm/">Retry storm in notifications</a>"#));
    // missing-timeout is in all three incidents: the top recurring pattern.
    assert!(html.contains(r#"<a href="/patterns/missing-timeout/">Missing timeout</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/start-here/">Start here</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/notes/how-complex-systems-fail/">How Complex Systems Fail</a>"#), "{html}");
}

#[test]
fn plain_pages_are_served_at_their_id() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("about/index.html");
    assert!(html.contains("<h1>About</h1>"), "{html}");
    assert!(html.contains("This library collects our incidents."));
    assert_eq!(html.matches("<h1>About</h1>").count(), 1, "the heading is the title, not repeated in the body");
}

#[test]
fn group_pages_list_their_incidents_and_tags_their_notes() {
    let lib = full_library();
    lib.build_clean();
    let dns = lib.html("services/dns/index.html");
    assert!(dns.contains("/incidents/2024-03-12-checkout-ttl/"));
    assert!(dns.contains("/incidents/2023-11-02-dns-cache-outage/"));
    assert!(!dns.contains("/incidents/2024-06-01-retry-storm/"));
    let tag = lib.html("tags/resilience/index.html");
    assert!(tag.contains("/notes/how-complex-systems-fail/"), "tags hold notes too: {tag}");
    let teams = lib.html("teams/index.html");
    assert!(teams.contains(r#"<a href="/teams/platform/">platform</a>"#), "{teams}");
}

#[test]
fn feed_and_sitemap_list_documents() {
    let lib = full_library();
    lib.build_clean();
    let feed = lib.read("feed.xml");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(feed.contains("<title>[SEV1] Checkout errors after resolver TTL change</title>"), "{feed}");
    assert!(feed.contains("<title>How Complex Systems Fail</title>"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 5, "3 incidents and 2 notes");
    let sitemap = lib.read("sitemap.xml");
    for loc in ["/", "/incidents/2024-03-12-checkout-ttl/", "/patterns/retry-storm/", "/about/", "/tags/dns/"] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc} in sitemap:\n{sitemap}");
    }
}

#[test]
fn base_url_makes_feed_and_sitemap_absolute() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\nbase-url = \"https://incidents.example.com/\"\n");
    lib.build_clean();
    let feed = lib.read("feed.xml");
    assert!(
        feed.contains(r#"<link href="https://incidents.example.com/incidents/2024-03-12-checkout-ttl/"/>"#),
        "{feed}"
    );
    let sitemap = lib.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://incidents.example.com/notes/how-complex-systems-fail/</loc>"), "{sitemap}");
}

#[test]
fn a_folder_with_only_content_builds() {
    let lib = Lib::new(&[("content/incidents/2024-01-02-a.md", "# A thing broke\n\nIt broke.\n")]);
    lib.build_clean();
    assert!(lib.exists("incidents/2024-01-02-a/index.html"));
    let html = lib.html("index.html");
    assert!(html.contains("Incident library"), "default title: {html}");
}

#[test]
fn two_builds_of_the_same_library_are_byte_identical() {
    let a = full_library();
    let b = full_library();
    a.build_clean();
    b.build_clean();
    let first = snapshot(&a.site());
    assert_eq!(first, snapshot(&b.site()), "same input in two folders gives the same bytes");
    a.build_clean();
    assert_eq!(first, snapshot(&a.site()), "rebuilding gives the same bytes");
}

#[test]
fn pages_hold_no_absolute_path_of_the_library() {
    let lib = full_library();
    lib.build_clean();
    let root = lib.path().to_string_lossy().into_owned();
    for (path, bytes) in snapshot(&lib.site()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&root), "{path} holds the library's absolute path");
    }
}

#[test]
fn edit_url_template_adds_an_edit_link_with_the_source_path() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\nedit-url-template = \"https://git.example.com/edit/main/{path}\"\n");
    lib.build_clean();
    let html = lib.html("incidents/2023-11-02-dns-cache-outage/index.html");
    assert!(
        html.contains(
            r#"<a href="https://git.example.com/edit/main/content/incidents/2023/2023-11-02-dns-cache-outage.md">Edit this page</a>"#
        ),
        "{html}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-live.md", "---\ntitle: Live\n---\nBody.\n"),
        ("content/incidents/2024-01-02-wip.md", "---\ntitle: Work in progress\nstatus: draft\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(!lib.exists("incidents/2024-01-02-wip/index.html"));
    assert!(!lib.html("incidents/index.html").contains("Work in progress"));
    assert_eq!(lib.json("api/incidents.json").as_array().map(Vec::len), Some(1));

    let run = lib.build(&["--verbose"]);
    run.assert_code(0);
    run.assert_line("content/incidents/2024-01-02-wip.md:1:1: note: draft `2024-01-02-wip` left out");

    lib.build(&["--drafts"]).assert_clean();
    assert!(lib.exists("incidents/2024-01-02-wip/index.html"));
    let html = lib.html("incidents/2024-01-02-wip/index.html");
    assert!(html.contains(r#"<span class="badge status">draft</span>"#), "{html}");
}

#[test]
fn build_drafts_setting_includes_drafts() {
    let lib = Lib::new(&[
        ("book.toml", "[build]\ndrafts = true\n"),
        ("content/notes/wip.md", "---\ntitle: Work in progress\nstatus: draft\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.exists("notes/wip/index.html"));
}

#[test]
fn in_review_documents_are_published() {
    let lib =
        Lib::new(&[("content/incidents/2024-01-02-r.md", "---\ntitle: Review me\nstatus: in-review\n---\nBody.\n")]);
    lib.build_clean();
    assert!(lib.exists("incidents/2024-01-02-r/index.html"));
    assert_eq!(lib.json_item("api/incidents.json", "2024-01-02-r")["status"], "in-review");
}

#[test]
fn build_dir_setting_chooses_the_output_folder() {
    let lib = full_library();
    lib.write("book.toml", "[build]\nbuild-dir = \"public\"\n");
    lib.build_clean();
    assert!(lib.path().join("public/index.html").is_file());
    assert!(!lib.site().exists());
}

#[test]
fn book_src_setting_chooses_the_source_folder() {
    let lib = Lib::new(&[
        ("book.toml", "[book]\nsrc = \"docs\"\n"),
        ("docs/incidents/2024-01-02-a.md", "# From docs\n\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.exists("incidents/2024-01-02-a/index.html"));
}

#[test]
fn a_plain_page_may_not_take_a_section_id() {
    let lib = Lib::new(&[("content/tags.md", "# Tags\n\nMine.\n")]);
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line("content/tags.md:1:1: error: page id `tags` is used by the site's own `/tags/` section");
}

#[test]
fn the_link_checker_finds_a_missing_page() {
    // Guards the guard: a site with a page removed must fail the link check.
    let lib = full_library();
    lib.build_clean();
    std::fs::remove_file(lib.site().join("patterns/retry-storm/index.html")).expect("remove");
    let broken = crate::support::broken_links(&lib.site(), "/");
    assert!(broken.iter().any(|b| b.ends_with("-> /patterns/retry-storm/")), "{broken:?}");
}

#[test]
fn home_page_shows_what_recurred_lately() {
    let lib = Lib::new(&[
        ("content/incidents/2023-01-01-a.md", "---\ntitle: Old one\nfactors: [retry-storm, dns-cache]\n---\nBody.\n"),
        ("content/incidents/2024-05-01-b.md", "---\ntitle: Recent one\nfactors: [retry-storm]\n---\nBody.\n"),
        ("content/incidents/2024-06-01-c.md", "---\ntitle: Newest\nfactors: [other]\n---\nBody.\n"),
        ("content/incidents/2023-02-01-d.md", "---\ntitle: Old two\nfactors: [dns-cache]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("index.html");
    assert!(html.contains("Recurred lately"), "{html}");
    assert!(
        html.contains(r#"<a class="factor-name" href="/patterns/retry-storm/">retry-storm</a> came back in <a href="/incidents/2024-05-01-b/">Recent one</a>"#),
        "{html}"
    );
    assert!(
        !html.contains("came back in <a href=\"/incidents/2023-02-01-d/\""),
        "dns-cache last recurred long ago: {html}"
    );
}

#[test]
fn incident_page_lists_related_incidents_by_shared_factors() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\nfactors: [x, y]\n---\nBody.\n"),
        ("content/incidents/2024-02-01-b.md", "---\ntitle: B\nfactors: [x, y]\n---\nBody.\n"),
        ("content/incidents/2024-03-01-c.md", "---\ntitle: C\nfactors: [x]\n---\nBody.\n"),
        ("content/incidents/2024-04-01-d.md", "---\ntitle: D\nfactors: [z]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("incidents/2024-01-01-a/index.html");
    let b = html
        .find(r#"<a href="/incidents/2024-02-01-b/">B</a> <span class="muted">1 Feb 2024 · 2 shared factors</span>"#);
    let c = html
        .find(r#"<a href="/incidents/2024-03-01-c/">C</a> <span class="muted">1 Mar 2024 · 1 shared factor</span>"#);
    assert!(b.is_some() && c.is_some(), "{html}");
    assert!(b < c, "most shared first");
    assert!(!html.contains(r#"<a href="/incidents/2024-04-01-d/">D</a>"#), "{html}");
}

#[test]
fn note_page_links_the_incidents_it_sheds_light_on() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("notes/how-complex-systems-fail/index.html");
    let section = html.split("<dt>Sheds light on</dt>").nth(1).unwrap_or_default();
    let section = section.split("</dd>").next().unwrap_or_default();
    assert!(
        section
            .contains(r#"<a href="/incidents/2024-03-12-checkout-ttl/">Checkout errors after resolver TTL change</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a class="chip factor" href="/patterns/missing-timeout/">Missing timeout</a>"#), "{html}");
}

#[test]
fn version_and_help_are_printed() {
    let lib = Lib::empty();
    let run = lib.run(&["--version"]);
    run.assert_code(0);
    assert!(run.stdout.starts_with("casebook "), "{}", run.stdout);
    let run = lib.run(&["build", "--help"]);
    run.assert_code(0);
    assert!(run.stdout.contains("--keep-going") && run.stdout.contains("--drafts"), "{}", run.stdout);
    let run = lib.run(&["check", "--help"]);
    run.assert_code(0);
    assert!(run.stdout.contains("--deny-warnings") && run.stdout.contains("--format"), "{}", run.stdout);
}

#[test]
fn color_always_colours_diagnostics_and_never_does_not() {
    let lib = Lib::new(&[("content/incidents/outage.md", "---\ntitle: Outage\n---\nBody\n")]);
    let run = lib.check(&["--color", "always"]);
    assert!(run.stderr.contains('\x1b'), "{:?}", run.stderr);
    let run = lib.check(&["--color", "never"]);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    run.assert_line("content/incidents/outage.md:1:1: warning: incident has no date");
}

#[test]
fn json_check_includes_notes_and_human_check_only_under_verbose() {
    let lib = Lib::new(&[("content/notes/wip.md", "---\ntitle: WIP\nstatus: draft\n---\nBody\n")]);
    let run = lib.check(&["--format", "json"]);
    run.assert_code(0);
    let items = run.json_lines();
    assert_eq!(items.len(), 1, "{}", run.stdout);
    assert_eq!(items[0]["level"], "note");
    assert_eq!(items[0]["code"], "draft-skipped");
    assert_eq!(items[0]["message"], "draft `wip` left out");
    let run = lib.check(&[]);
    assert!(!run.stderr.contains("left out"), "{}", run.stderr);
    let run = lib.check(&["--verbose"]);
    assert!(run.stderr.contains("draft `wip` left out"), "{}", run.stderr);
}

#[test]
fn service_pages_are_split_past_page_size() {
    let mut files: Vec<(String, String)> = vec![("book.toml".into(), "[build]\npage-size = 2\n".into())];
    for i in 1..=5 {
        files.push((
            format!("content/incidents/2024-01-0{i}-i{i}.md"),
            format!("---\ntitle: Incident {i}\nservices: [checkout]\n---\nBody.\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let lib = Lib::new(&refs);
    lib.build(&[]).assert_code(0);
    let first = lib.html("services/checkout/index.html");
    assert!(first.contains("5 incidents"), "the count covers every page: {first}");
    assert!(first.contains("Incident 5") && first.contains("Incident 4") && !first.contains("Incident 3"), "{first}");
    let last = lib.html("services/checkout/page/3/index.html");
    assert!(last.contains("checkout (page 3 of 3)") && last.contains("Incident 1"), "{last}");
    assert!(first.contains("href=\"/services/checkout/page/2/\""), "pager links: {first}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn a_named_related_incident_is_not_listed_again_as_computed() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\nfactors: [x, y]\nrelated: [2024-02-01-b]\n---\nBody.\n"),
        ("content/incidents/2024-02-01-b.md", "---\ntitle: B\nfactors: [x, y]\n---\nBody.\n"),
        ("content/incidents/2024-03-01-c.md", "---\ntitle: C\nfactors: [x]\n---\nBody.\n"),
    ]);
    lib.build(&[]).assert_code(0);
    let html = lib.html("incidents/2024-01-01-a/index.html");
    assert_eq!(html.matches(r#"href="/incidents/2024-02-01-b/""#).count(), 1, "B once: {html}");
    assert!(html.contains(r#"href="/incidents/2024-03-01-c/""#), "C by shared factor: {html}");
}
