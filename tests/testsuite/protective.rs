//! SPEC §3.3 and §4: a protective factor (`protective: true` in the registry, or
//! `role: protective` in most of its occurrences) is listed apart under "What helped" on the
//! pattern index and the home page, and is never "recurred lately" or "came back after a fix".

use crate::support::Lib;

const REGISTRY: &str = "\
kill-switch:
  title: Kill switch available
  protective: true
config-change:
  title: Configuration change
";

/// kill-switch: flagged in the registry, and a done action addresses it before a later
/// incident names it again (a recurrence for any other factor).
/// shadow-mode: unregistered, `role: protective` in 2 of 3 incidents, so protective.
/// config-change: `role: protective` in 1 of 3 incidents, so not.
fn library() -> Lib {
    let a = "---\ntitle: Alpha\ndate: 2024-01-10\nfactors:\n  - kill-switch\n  - factor: shadow-mode\n    role: protective\n  - factor: config-change\n    role: protective\naction_items:\n  - title: Test the switch monthly\n    status: done\n    done: 2024-02-01\n    addresses: [kill-switch, config-change]\n---\nBody.\n";
    let b = "---\ntitle: Bravo\ndate: 2024-05-01\nfactors:\n  - kill-switch\n  - factor: shadow-mode\n    role: protective\n  - config-change\n---\nBody.\n";
    let c = "---\ntitle: Charlie\ndate: 2024-06-01\nfactors:\n  - shadow-mode\n  - config-change\n---\nBody.\n";
    Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", a),
        ("content/incidents/b.md", b),
        ("content/incidents/c.md", c),
    ])
}

/// The text of the `<section>` whose heading has this id, or "" when there is none.
fn section<'h>(html: &'h str, heading_id: &str) -> &'h str {
    let start = html.find(&format!("aria-labelledby=\"{heading_id}\"")).unwrap_or(html.len());
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn protective_factors_are_listed_apart_on_the_pattern_index() {
    let lib = library();
    let run = lib.build(&[]);
    run.assert_code(0);
    let html = lib.html("patterns/index.html");
    let helped = section(&html, "helped-h");
    assert!(helped.contains("Kill switch available") && helped.contains("shadow-mode"), "{helped}");
    assert!(!helped.contains("Configuration change"), "{helped}");
    let ranked = &html[..html.find("aria-labelledby=\"helped-h\"").expect("a What helped section")];
    assert!(ranked.contains("Configuration change"), "{ranked}");
    assert!(!ranked.contains("Kill switch available") && !ranked.contains(">shadow-mode<"), "{ranked}");
    assert!(ranked.contains("1 of 1 are recurring"), "{ranked}");
}

#[test]
fn the_home_page_lists_what_helped_and_never_as_recurring() {
    let lib = library();
    lib.build(&[]).assert_code(0);
    let html = lib.html("index.html");
    let helped = section(&html, "helped-h");
    assert!(helped.contains("Kill switch available") && helped.contains("shadow-mode"), "{helped}");
    for heading in ["top-h", "lately-h"] {
        let s = section(&html, heading);
        assert!(!s.contains("Kill switch") && !s.contains("shadow-mode"), "{heading}: {s}");
    }
    assert!(section(&html, "lately-h").contains("Configuration change"), "{html}");
}

#[test]
fn a_protective_factor_never_came_back_after_a_fix() {
    let lib = library();
    lib.build(&[]).assert_code(0);
    let kill = lib.html("patterns/kill-switch/index.html");
    assert!(!kill.contains("Came back after a fix"), "{kill}");
    assert!(kill.contains("badge helped"), "{kill}");
    // The same action addressed config-change, which did come back (in Bravo and Charlie).
    let config = lib.html("patterns/config-change/index.html");
    assert!(config.contains("Came back after a fix"), "{config}");
    let index = lib.html("patterns/index.html");
    assert_eq!(index.matches("back after a fix</span>").count(), 1, "{index}");
}
