//! SPEC §4 `/trends/`: incidents per month by severity, the factor × quarter heat map, and TTD
//! and impact duration per quarter (median, p90), each with its table of numbers, on a fixture
//! whose answers were worked out by hand; undated incidents are counted and left out.

use crate::support::{assert_links_resolve, Lib};

/// Timed incidents: a (Jan, SEV1: TTD 10 min, impact 60), b (Jan, SEV2: 30, 120),
/// c (Mar, SEV2: 20, 40); d (Apr, no severity, no times); e (undated, SEV1).
fn library() -> Lib {
    let timed = |date: &str, sev: &str, factors: &str, ttd: u32, impact: u32| {
        format!(
            "---\ntitle: On {date}\ndate: {date}\nseverity: {sev}\nfactors: {factors}\ntimes:\n  started: {date}T10:00:00Z\n  detected: {date}T{:02}:{:02}:00Z\n  resolved: {date}T{:02}:{:02}:00Z\n---\nBody.\n",
            10 + ttd / 60,
            ttd % 60,
            10 + impact / 60,
            impact % 60
        )
    };
    Lib::new(&[
        ("book.toml", "[severity]\nlevels = [\"SEV1\", \"SEV2\"]\n"),
        ("content/incidents/a.md", &timed("2024-01-05", "SEV1", "[x]", 10, 60)),
        ("content/incidents/b.md", &timed("2024-01-20", "SEV2", "[x, y]", 30, 120)),
        ("content/incidents/c.md", &timed("2024-03-02", "SEV2", "[y]", 20, 40)),
        ("content/incidents/d.md", "---\ntitle: D\ndate: 2024-04-10\nfactors: [x]\n---\nBody.\n"),
        ("content/incidents/e.md", "---\ntitle: E\nseverity: SEV1\nfactors: [x]\n---\nBody.\n"),
    ])
}

/// `<tr>` of cells, as the page writes them: a label cell, then numbers.
fn row(label: &str, cells: &[&str]) -> String {
    let mut s = format!("<tr><td>{label}</td>");
    for c in cells {
        if *c == "–" {
            s.push_str("<td class=\"num muted\">–</td>");
        } else {
            s.push_str(&format!("<td class=\"num\">{c}</td>"));
        }
    }
    s + "</tr>"
}

#[test]
fn trends_has_every_figure_with_its_numbers() {
    let lib = library();
    lib.build(&[]).assert_code(0);
    let html = lib.html("trends/index.html");
    // Incidents per month: Jan 2024 to Apr 2024, SEV1, SEV2, then none.
    assert!(html.contains("<th scope=\"col\" class=\"num\">SEV1</th><th scope=\"col\" class=\"num\">SEV2</th><th scope=\"col\" class=\"num\">No severity</th>"), "{html}");
    for (month, cells) in [
        ("Jan 2024", ["1", "1", "0", "2"]),
        ("Feb 2024", ["0", "0", "0", "0"]),
        ("Mar 2024", ["0", "1", "0", "1"]),
        ("Apr 2024", ["0", "0", "1", "1"]),
    ] {
        assert!(html.contains(&row(month, &cells)), "{month}: {html}");
    }
    assert!(!html.contains("<td>May 2024</td>") && !html.contains("<td>Dec 2023</td>"));
    assert!(html.contains("1 undated incident is left out of these charts"), "{html}");
    // Heat map: x in Q1 (a, b) and Q2 (d), e undated; y in Q1 (b, c). Largest cell 2.
    assert!(html.contains("<tr><th scope=\"row\"><a href=\"/patterns/x/\">x</a></th><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">3</td></tr>"), "{html}");
    assert!(html.contains("<tr><th scope=\"row\"><a href=\"/patterns/y/\">y</a></th><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">2</td></tr>"), "{html}");
    assert!(html.contains("in five steps from 1 to 2, the largest cell"), "{html}");
    assert!(html.contains("<title>x, Q1 2024: 2</title>"), "{html}");
    // Durations: Q1 TTD 10, 20, 30 (median 20, p90 the 3rd of 3); impact 40, 60, 120.
    assert!(html.contains(&row("Q1 2024", &["20 min", "30 min", "3", "1 h", "2 h", "3"])), "{html}");
    assert!(html.contains(&row("Q2 2024", &["–", "–", "0", "–", "–", "0"])), "{html}");
    assert!(html.contains("detected − started") && html.contains("resolved − started") && html.contains("⌈0.9 × n⌉"));
    for chart in ["chart stacked", "chart heat", "chart durations"] {
        assert!(html.contains(&format!("<svg class=\"{chart}\" role=\"img\"")), "{chart}");
    }
    assert_links_resolve(&lib.site(), "/");
}

#[test]
fn trends_is_linked_from_the_nav_and_the_pattern_index() {
    let lib = library();
    lib.build(&[]).assert_code(0);
    for page in ["index.html", "incidents/index.html", "patterns/index.html"] {
        assert!(lib.html(page).contains("<a href=\"/trends/\""), "{page}");
    }
    assert!(lib.html("patterns/index.html").contains("<a class=\"more\" href=\"/trends/\">"));
    assert!(lib.read("sitemap.xml").contains("<loc>/trends/</loc>"), "{}", lib.read("sitemap.xml"));
}

#[test]
fn an_empty_library_says_there_is_nothing_to_draw() {
    let lib = Lib::new(&[("content/about.md", "# About\n\nText.\n")]);
    lib.build_clean();
    let html = lib.html("trends/index.html");
    assert!(html.contains("No dated incidents yet"), "{html}");
    assert!(lib.html("actions/index.html").contains("No action items yet"));
}
