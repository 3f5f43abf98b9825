//! SPEC §3.4: wiki links, relative links to documents, links to drafts, ambiguous titles,
//! `related` and `incidents` ids, and backlinks.

use crate::support::{assert_links_resolve, Lib};

fn linking_library(body: &str) -> Lib {
    Lib::new(&[
        (
            "content/incidents/2024-03-12-checkout-ttl.md",
            &format!("---\ntitle: Checkout TTL\nfactors: [config-change]\n---\n{body}"),
        ),
        ("content/notes/how-complex-systems-fail.md", "---\ntitle: How Complex Systems Fail\n---\nNotes.\n"),
        ("content/notes/ironies.md", "---\ntitle: Ironies of Automation\n---\nNotes.\n"),
        ("content/about.md", "# About us\n\nWho we are.\n"),
    ])
}

#[test]
fn wiki_link_by_id_becomes_a_page_link_with_the_target_title() {
    let lib = linking_library("See [[how-complex-systems-fail]].\n");
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r#"<a href="/notes/how-complex-systems-fail/">How Complex Systems Fail</a>"#), "{html}");
}

#[test]
fn wiki_link_with_a_label() {
    let lib = linking_library("See [[ironies|the ironies paper]].\n");
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r#"<a href="/notes/ironies/">the ironies paper</a>"#), "{html}");
}

#[test]
fn wiki_link_by_title_ignores_case() {
    let lib = linking_library("See [[how complex SYSTEMS fail]] and [[About Us]].\n");
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r#"href="/notes/how-complex-systems-fail/""#), "{html}");
    assert!(html.contains(r#"href="/about/""#), "{html}");
}

#[test]
fn wiki_link_with_a_fragment_keeps_it() {
    let lib = linking_library("See [[ironies#the-first-irony|the first irony]].\n");
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-checkout-ttl/index.html");
    assert!(html.contains(r##"<a href="/notes/ironies/#the-first-irony">the first irony</a>"##), "{html}");
}

#[test]
fn factor_wiki_link_goes_to_the_pattern_page() {
    let lib = Lib::new(&[
        ("content/factors.yaml", "config-change:\n  title: Configuration change\n  aliases: [misconfiguration]\n"),
        ("content/incidents/2024-03-12-a.md", "---\ntitle: A\nfactors: [config-change]\n---\nBody.\n"),
        (
            "content/notes/n.md",
            "---\ntitle: N\n---\nSee [[factor:config-change]] and [[factor:Config-Change|config]].\n",
        ),
    ]);
    lib.build_clean();
    let html = lib.html("notes/n/index.html");
    assert!(html.contains(r#"<a href="/patterns/config-change/">Configuration change</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/patterns/config-change/">config</a>"#), "{html}");
}

#[test]
fn factor_wiki_link_matches_registry_aliases() {
    let lib = Lib::new(&[
        ("content/factors.yaml", "config-change:\n  title: Configuration change\n  aliases: [misconfiguration]\n"),
        ("content/incidents/2024-03-12-a.md", "---\ntitle: A\nfactors: [config-change]\n---\nBody.\n"),
        ("content/notes/n.md", "---\ntitle: N\n---\nSee [[factor:Misconfiguration|bad config]].\n"),
    ]);
    lib.build_clean();
    let html = lib.html("notes/n/index.html");
    assert!(html.contains(r#"<a href="/patterns/config-change/">bad config</a>"#), "{html}");
}

#[test]
fn factor_wiki_link_to_an_unknown_factor_is_broken() {
    let lib = Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nSee [[factor:nothing-like-it]].\n")]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/n.md:4:5: error: broken link [[factor:nothing-like-it]]");
}

#[test]
fn relative_links_to_documents_become_page_links() {
    let lib = Lib::new(&[
        ("content/incidents/2024/2024-03-12-a.md", "---\ntitle: A\n---\nSee [the paper](../../notes/cook.md), [B](b.md#timeline) and [about](../../about.md).\n"),
        ("content/incidents/2024/b.md", "---\ntitle: B\ndate: 2024-01-01\n---\nBody.\n"),
        ("content/notes/cook.md", "---\ntitle: Cook\n---\nBack to [the incident](../incidents/2024/2024-03-12-a.md).\n"),
        ("content/about.md", "# About\n\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-a/index.html");
    assert!(html.contains(r#"<a href="/notes/cook/">the paper</a>"#), "{html}");
    assert!(html.contains(r##"<a href="/incidents/b/#timeline">B</a>"##), "{html}");
    assert!(html.contains(r#"<a href="/about/">about</a>"#), "{html}");
    let note = lib.html("notes/cook/index.html");
    assert!(note.contains(r#"<a href="/incidents/2024-03-12-a/">the incident</a>"#), "{note}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn relative_links_to_other_files_stay_as_written_and_resolve() {
    let lib = Lib::new(&[
        ("content/incidents/2024-03-12-a.md", "---\ntitle: A\n---\n![latency](latency.png) and [the log](run.log).\n"),
        ("content/incidents/latency.png", "not really a png"),
        ("content/incidents/run.log", "log line\n"),
    ]);
    lib.build_clean();
    let html = lib.html("incidents/2024-03-12-a/index.html");
    assert!(html.contains(r#"<img src="latency.png" alt="latency" />"#), "{html}");
    assert!(html.contains(r#"<a href="run.log">the log</a>"#), "{html}");
    assert_eq!(lib.read("incidents/2024-03-12-a/latency.png"), "not really a png");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn files_in_a_subfolder_beside_a_document_resolve_from_its_page() {
    let lib = Lib::new(&[
        ("content/incidents/2024-03-12-a.md", "---\ntitle: A\n---\n[the log](logs/run.log).\n"),
        ("content/incidents/logs/run.log", "log line\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.read("incidents/2024-03-12-a/logs/run.log"), "log line\n");
}

#[test]
fn an_ambiguous_title_link_is_an_error_naming_both() {
    let lib = Lib::new(&[
        ("content/notes/a.md", "---\ntitle: Same Title\n---\nOne.\n"),
        ("content/notes/b.md", "---\ntitle: Same Title\n---\nTwo.\n"),
        ("content/notes/c.md", "---\ntitle: C\n---\nSee [[same title]].\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "content/notes/c.md:4:5: error: link [[same title]] matches 2 documents: `a`, `b`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["link by id instead, like `[[id|label]]`"]);
}

#[test]
fn documents_may_share_a_title_when_linked_by_id() {
    let lib = Lib::new(&[
        ("content/notes/a.md", "---\ntitle: Same Title\n---\nOne.\n"),
        ("content/notes/b.md", "---\ntitle: Same Title\n---\nTwo.\n"),
        ("content/notes/c.md", "---\ntitle: C\n---\nSee [[a]] and [[b|the other]].\n"),
    ]);
    lib.build_clean();
    let html = lib.html("notes/c/index.html");
    assert!(html.contains(r#"<a href="/notes/a/">Same Title</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/notes/b/">the other</a>"#), "{html}");
}

#[test]
fn a_link_to_a_draft_is_a_warning_and_renders_as_plain_text() {
    let lib = Lib::new(&[
        ("content/notes/wip.md", "---\ntitle: Work in progress\nstatus: draft\n---\nNot yet.\n"),
        ("content/notes/c.md", "---\ntitle: C\n---\nSee [[wip|the draft]] and [again](wip.md).\n"),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let line = "content/notes/c.md:4:5: warning: link [[wip]] points to a draft left out of the build";
    run.assert_line(line);
    run.assert_line("content/notes/c.md:4:27: warning: link `wip.md` points to a draft left out of the build");
    assert_eq!(run.help_of(line), ["it renders as plain text; build with `--drafts` to include drafts"]);
    let html = lib.html("notes/c/index.html");
    assert!(html.contains("See the draft and again."), "plain text: {html}");
    assert!(!html.contains("/notes/wip/"), "{html}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn a_link_to_a_draft_works_with_drafts_on() {
    let lib = Lib::new(&[
        ("content/notes/wip.md", "---\ntitle: Work in progress\nstatus: draft\n---\nNot yet.\n"),
        ("content/notes/c.md", "---\ntitle: C\n---\nSee [[wip]].\n"),
    ]);
    lib.build(&["--drafts"]).assert_clean();
    assert!(lib.html("notes/c/index.html").contains(r#"<a href="/notes/wip/">Work in progress</a>"#));
}

#[test]
fn backlinks_appear_on_the_target_page() {
    let lib = Lib::new(&[
        ("content/incidents/2024-03-12-a.md", "---\ntitle: Incident A\nrelated: [2024-01-01-b]\n---\nSee [[cook]].\n"),
        ("content/incidents/2024-01-01-b.md", "---\ntitle: Incident B\n---\nBody.\n"),
        ("content/notes/cook.md", "---\ntitle: Cook\nincidents: [2024-01-01-b]\n---\nNotes.\n"),
        ("content/about.md", "# About\n\nRead [[cook]].\n"),
    ]);
    lib.build_clean();
    let cook = lib.html("notes/cook/index.html");
    assert!(cook.contains("Linked from"), "{cook}");
    assert!(
        cook.contains(r#"<span class="kind">incident</span> <a href="/incidents/2024-03-12-a/">Incident A</a>"#),
        "{cook}"
    );
    assert!(cook.contains(r#"<span class="kind">page</span> <a href="/about/">About</a>"#), "{cook}");
    let b = lib.html("incidents/2024-01-01-b/index.html");
    assert!(b.contains(r#"<a href="/incidents/2024-03-12-a/">Incident A</a>"#), "named in related: {b}");
    assert!(b.contains(r#"<span class="kind">note</span> <a href="/notes/cook/">Cook</a>"#), "named in incidents: {b}");
    let a = lib.html("incidents/2024-03-12-a/index.html");
    assert!(a.contains(r#"Named by the authors: <a href="/incidents/2024-01-01-b/">Incident B</a>"#), "{a}");
}

#[test]
fn a_related_id_that_matches_nothing_is_an_error() {
    let lib = Lib::new(&[(
        "content/incidents/2024-03-12-a.md",
        "---\ntitle: A\nrelated: [2023-11-02-dns-cache-outage]\n---\nBody.\n",
    )]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line(
        "content/incidents/2024-03-12-a.md:3:11: error: `2023-11-02-dns-cache-outage` in `related` matches no document",
    );
}

#[test]
fn a_note_incident_id_that_matches_nothing_is_an_error() {
    let lib = Lib::new(&[("content/notes/n.md", "---\ntitle: N\nincidents:\n  - nowhere\n---\nBody.\n")]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/n.md:4:5: error: `nowhere` in `incidents` matches no document");
}

#[test]
fn broken_links_warn_downgrades_to_warnings() {
    let lib = Lib::new(&[
        ("book.toml", "[build]\nbroken-links = \"warn\"\n"),
        ("content/notes/n.md", "---\ntitle: N\n---\nSee [[nowhere]] and [x](missing.md).\n"),
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\nrelated: [nothing]\n---\nBody.\n"),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line("content/notes/n.md:4:5: warning: broken link [[nowhere]]");
    run.assert_line("content/notes/n.md:4:21: warning: broken link `missing.md`");
    run.assert_line("content/incidents/2024-01-01-a.md:3:11: warning: `nothing` in `related` matches no document");
    assert!(lib.exists("notes/n/index.html"));
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn a_relative_link_leaving_the_source_folder_is_broken() {
    let lib = Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nSee [x](../../outside.md).\n")]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/n.md:4:5: error: broken link `../../outside.md`");
}

#[test]
fn external_links_are_left_alone() {
    let lib = Lib::new(&[(
        "content/notes/n.md",
        "---\ntitle: N\n---\nSee [site](https://example.com/a.md), <https://example.org> and [top](#top).\n",
    )]);
    lib.build_clean();
    let html = lib.html("notes/n/index.html");
    assert!(html.contains(r#"<a href="https://example.com/a.md">site</a>"#), "{html}");
    assert!(html.contains(r##"<a href="#top">top</a>"##), "{html}");
}

#[test]
fn links_inside_pattern_texts_resolve() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "---\ntitle: Incident A\nfactors: [x]\n---\nBody.\n"),
        ("content/patterns/x.md", "# X\n\nSee [[2024-01-01-a]] and [the incident](../incidents/2024-01-01-a.md).\n"),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/x/index.html");
    assert!(html.contains(r#"<a href="/incidents/2024-01-01-a/">Incident A</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/incidents/2024-01-01-a/">the incident</a>"#), "{html}");
}

#[test]
fn a_relative_link_to_a_pattern_text_goes_to_the_pattern_page() {
    let lib = Lib::new(&[
        (
            "content/incidents/2024-01-01-a.md",
            "---\ntitle: A\nfactors: [retry-storm]\n---\nSee [the pattern](../patterns/retry-storm.md).\n",
        ),
        ("content/patterns/retry-storm.md", "# Retry storm\n\nClients retry together.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("incidents/2024-01-01-a/index.html");
    assert!(html.contains(r#"<a href="/patterns/retry-storm/">the pattern</a>"#), "{html}");
}

#[test]
fn percent_encoded_relative_links_find_their_document() {
    let lib = Lib::new(&[
        ("content/notes/my note.md", "# My note\n\nBody.\n"),
        ("content/notes/how.md", "---\ntitle: How\n---\nSee [it](my%20note.md).\n"),
    ]);
    lib.build_clean();
    assert!(lib.html("notes/how/index.html").contains(r#"<a href="/notes/my-note/">it</a>"#));
}

#[test]
fn a_related_id_naming_a_draft_is_a_warning() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-wip.md", "---\ntitle: WIP\nstatus: draft\n---\nBody.\n"),
        ("content/incidents/2024-02-01-c.md", "---\ntitle: C\nrelated: [2024-01-01-wip]\n---\nBody.\n"),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line("content/incidents/2024-02-01-c.md:3:11: warning: `2024-01-01-wip` in `related` is a draft left out of the build");
    assert!(!lib.html("incidents/2024-02-01-c/index.html").contains("/incidents/2024-01-01-wip/"));
}

#[test]
fn a_title_link_to_a_draft_is_a_warning() {
    let lib = Lib::new(&[
        ("content/notes/wip.md", "---\ntitle: Work in progress\nstatus: draft\n---\nNot yet.\n"),
        ("content/notes/c.md", "---\ntitle: C\n---\nSee [[Work in progress]].\n"),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line(
        "content/notes/c.md:4:5: warning: link [[Work in progress]] points to a draft left out of the build",
    );
    assert!(lib.html("notes/c/index.html").contains("See Work in progress."));
}

#[test]
fn an_alias_may_not_overwrite_another_documents_page() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-01-01\naliases: [b]\n---\nBody A.\n"),
        ("content/incidents/b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nBody B.\n"),
    ]);
    // The clash is an error; --keep-going writes the rest, with the alias dropped.
    let run = lib.build(&["--keep-going"]);
    run.assert_code(1);
    let html = lib.html("incidents/b/index.html");
    assert!(html.contains("Body B."), "incident b's page is intact: {html}");
    assert!(
        run.headlines().iter().any(|h| h.starts_with("content/incidents/a.md:4:") && h.contains("`b`")),
        "the collision is reported at the alias: {}",
        run.stderr
    );
}

#[test]
fn a_page_alias_may_not_take_a_section_id() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "# A\n\nBody.\n"),
        ("content/about.md", "---\ntitle: About\naliases: [incidents]\n---\nBody.\n"),
    ]);
    let run = lib.build(&[]);
    assert!(
        run.headlines().iter().any(|h| h.starts_with("content/about.md:3:") && h.contains("incidents")),
        "the reserved alias is reported: {}",
        run.stderr
    );
    if lib.exists("incidents/index.html") {
        assert!(!lib.read("incidents/index.html").contains("http-equiv=\"refresh\""), "the list is intact");
    }
}
