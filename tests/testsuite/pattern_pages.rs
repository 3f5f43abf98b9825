//! SPEC §4: a pattern page past `page-size` incidents is split into pages like the incident
//! list, every figure still over all incidents; "came back after a fix" says whether each
//! recurrence shares a service with the incident the action came from, those that do first.

use crate::support::{assert_links_resolve, Lib};

/// Five incidents with factor `x`, one a month from January 2024 (a, b, c, d, e).
/// a (checkout) has a fix done 15 Jan: b, c, d and e came after; c is on checkout.
/// d (search) has a fix done 20 Apr: only e (no service) came after.
fn library(book: &str) -> Lib {
    let inc = |day: &str, services: &str, actions: &str| {
        format!("---\ntitle: Incident {day}\ndate: {day}\nservices: {services}\nfactors: [x]\n{actions}---\nBody.\n")
    };
    let fix = |done: &str, title: &str| {
        format!("action_items:\n  - title: {title}\n    status: done\n    done: {done}\n    addresses: [x]\n")
    };
    Lib::new(&[
        ("book.toml", book),
        ("content/incidents/a.md", &inc("2024-01-01", "[checkout]", &fix("2024-01-15", "Fix in checkout"))),
        ("content/incidents/b.md", &inc("2024-02-01", "[search]", "")),
        ("content/incidents/c.md", &inc("2024-03-01", "[checkout]", "")),
        ("content/incidents/d.md", &inc("2024-04-01", "[search]", &fix("2024-04-20", "Fix in search"))),
        ("content/incidents/e.md", &inc("2024-05-01", "[]", "")),
        ("content/notes/n.md", "---\ntitle: A note on x\nfactors: [x]\n---\nText.\n"),
    ])
}

#[test]
fn a_pattern_past_page_size_is_split_with_figures_over_all_incidents() {
    let lib = library("[build]\npage-size = 2\n");
    lib.build_clean();
    let first = lib.html("patterns/x/index.html");
    let second = lib.html("patterns/x/page/2/index.html");
    let third = lib.html("patterns/x/page/3/index.html");
    assert!(!lib.exists("patterns/x/page/4/index.html"));
    let rows = |html: &str| -> Vec<String> {
        ["a", "b", "c", "d", "e"]
            .iter()
            .filter(|id| html.contains(&format!("<td class=\"title\"><a href=\"/incidents/{id}/\">")))
            .map(|id| id.to_string())
            .collect()
    };
    assert_eq!(rows(&first), ["d", "e"], "newest first");
    assert_eq!(rows(&second), ["b", "c"]);
    assert_eq!(rows(&third), ["a"]);
    // The figures, the chart and the notes are on the first page, over all five incidents.
    assert!(first.contains(r#"<span class="fig-key">Incidents</span><span class="fig-value">5</span>"#), "{first}");
    assert!(first.contains("Incidents per quarter") && first.contains("A note on x"), "{first}");
    assert!(first.contains(r#"href="/patterns/x/page/2/""#), "pager: {first}");
    assert!(!second.contains("Incidents per quarter") && !second.contains("A note on x"), "{second}");
    assert!(second.contains("Page 2 of 3 of the 5 incidents with this factor"), "{second}");
    assert!(second.contains("<title>x (page 2 of 3)"), "{second}");
    assert!(second.contains(r#"<a href="/patterns/x/">the first page</a>"#), "{second}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn split_pattern_pages_link_relatively_without_pretty_urls() {
    let lib = library("[build]\npage-size = 2\n[output.html]\npretty-urls = false\n");
    lib.build_clean();
    let third = lib.html("patterns/x/page/3/index.html");
    assert!(third.contains(r#"href="../../../../incidents/a/index.html""#), "{third}");
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn recurrences_on_the_same_service_come_first_and_say_so() {
    let lib = library("");
    lib.build_clean();
    let html = lib.html("patterns/x/index.html");
    let checkout = html.find("“Fix in checkout” was done on 15 Jan 2024").expect("the checkout fix");
    let search = html.find("“Fix in search” was done on 20 Apr 2024").expect("the search fix");
    assert!(checkout < search, "the same-service recurrence first, though the older fix: {html}");
    assert!(
        html.contains(r#"appeared again in <a href="/incidents/c/">Incident 2024-03-01</a>, on the same service (checkout), and in 3 later incidents. <span class="muted">1 of the 4 share a service with the fixed incident.</span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"appeared again in <a href="/incidents/e/">Incident 2024-05-01</a>, on another service.</li>"#),
        "{html}"
    );
}
