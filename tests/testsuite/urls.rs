//! SPEC §2 and §4: `site-url`, `pretty-urls = false`, alias redirects, files beside documents,
//! `static/` at the site root.

use crate::fixtures::full_library;
use crate::support::{assert_links_resolve, hrefs, Lib};

#[test]
fn pretty_urls_false_makes_every_internal_link_relative_and_end_in_index_html() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\npretty-urls = false\n");
    lib.build_clean();
    for f in lib.site_files().into_iter().filter(|f| f.ends_with(".html")) {
        let html = lib.read(&f);
        for href in hrefs(&html) {
            if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            assert!(!href.starts_with('/'), "{f}: `{href}` is not relative");
            let path = href.split('#').next().unwrap_or("");
            if ![".css", ".js", ".xml", ".svg"].iter().any(|e| path.ends_with(e)) {
                assert!(path.ends_with("index.html"), "{f}: `{href}`");
            }
        }
    }
    assert_links_resolve(&lib.site(), "/");
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r#"href="../../patterns/config-change/index.html""#), "{html}");
    assert!(html.contains(r#"href="../../notes/how-complex-systems-fail/index.html""#), "body links too: {html}");
    let home = lib.html("index.html");
    assert!(home.contains(r#"href="incidents/index.html""#), "{home}");
}

#[test]
fn pretty_urls_false_gives_json_urls_ending_in_index_html() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\npretty-urls = false\n");
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "2024-03-12-checkout-ttl");
    assert_eq!(inc["url"], "/incidents/2024-03-12-checkout-ttl/index.html");
}

#[test]
fn site_url_prefixes_every_internal_link_and_json_url() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\nsite-url = \"/docs/\"\n");
    lib.build_clean();
    for f in lib.site_files().into_iter().filter(|f| f.ends_with(".html")) {
        for href in hrefs(&lib.read(&f)) {
            if href.starts_with('/') {
                assert!(href.starts_with("/docs/"), "{f}: `{href}` lacks the site-url");
            }
        }
    }
    assert_links_resolve(&lib.site(), "/docs/");
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r#"<a class="factor-name" href="/docs/patterns/config-change/">"#), "{html}");
    assert!(html.contains(r#"href="/docs/notes/how-complex-systems-fail/""#), "body links: {html}");
    assert!(html.contains(r#"<link rel="stylesheet" href="/docs/style.css">"#), "{html}");
    assert_eq!(
        lib.json_item("api/incidents.json", "2024-03-12-checkout-ttl")["url"],
        "/docs/incidents/2024-03-12-checkout-ttl/"
    );
    assert_eq!(lib.json_item("api/notes.json", "ironies-of-automation")["url"], "/docs/notes/ironies-of-automation/");
    assert_eq!(lib.json_item("api/patterns.json", "retry-storm")["url"], "/docs/patterns/retry-storm/");
    assert!(lib.read("sitemap.xml").contains("<loc>/docs/incidents/2024-03-12-checkout-ttl/</loc>"));
}

#[test]
fn site_url_without_slashes_is_normalised() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\nsite-url = \"docs\"\n");
    lib.build_clean();
    assert_links_resolve(&lib.site(), "/docs/");
}

#[test]
fn aliases_write_redirect_pages() {
    let lib = full_library();
    lib.build_clean();
    let html = lib.html("incidents/checkout-ttl/index.html");
    assert!(
        html.contains(r#"<meta http-equiv="refresh" content="0; url=/incidents/2024-03-12-checkout-ttl/">"#),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="canonical" href="/incidents/2024-03-12-checkout-ttl/">"#), "{html}");
}

#[test]
fn aliases_of_notes_and_pages_redirect_too() {
    let lib = Lib::new(&[
        ("content/notes/new-name.md", "---\ntitle: Renamed\naliases: [Old Name]\n---\nBody.\n"),
        ("content/start-here.md", "---\ntitle: Start here\naliases: [welcome]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(lib.html("notes/old-name/index.html").contains("url=/notes/new-name/"));
    assert!(lib.html("welcome/index.html").contains("url=/start-here/"));
}

#[test]
fn redirects_are_relative_without_pretty_urls() {
    let lib = full_library();
    lib.write("book.toml", "[output.html]\npretty-urls = false\n");
    lib.build_clean();
    let html = lib.html("incidents/checkout-ttl/index.html");
    assert!(html.contains("url=../../incidents/2024-03-12-checkout-ttl/index.html"), "{html}");
}

#[test]
fn files_beside_a_document_are_copied_beside_its_page() {
    let lib = full_library();
    lib.build_clean();
    assert_eq!(
        lib.read("incidents/2023-11-02-dns-cache-outage/graph.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"
    );
    let html = lib.html("incidents/2023-11-02-dns-cache-outage/index.html");
    assert!(html.contains(r#"<img src="graph.svg" alt="queue depth" />"#), "{html}");
}

#[test]
fn a_file_beside_several_documents_is_copied_beside_each_page() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "# A\n\n![x](shared.png)\n"),
        ("content/incidents/2024-01-02-b.md", "# B\n\n![x](shared.png)\n"),
        ("content/incidents/shared.png", "png"),
    ]);
    lib.build_clean();
    assert_eq!(lib.read("incidents/2024-01-01-a/shared.png"), "png");
    assert_eq!(lib.read("incidents/2024-01-02-b/shared.png"), "png");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn static_folder_is_copied_to_the_site_root() {
    let lib = full_library();
    lib.write("content/static/img/logo.svg", "<svg/>");
    lib.build_clean();
    assert_eq!(lib.read("robots.txt"), "User-agent: *\n");
    assert_eq!(lib.read("img/logo.svg"), "<svg/>");
    assert!(!lib.exists("static/robots.txt"));
}

#[test]
fn markdown_in_static_is_copied_not_rendered() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "# A\n\nBody.\n"),
        ("content/static/README.md", "# not a page\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.read("README.md"), "# not a page\n");
    assert!(!lib.exists("readme/index.html"));
}
