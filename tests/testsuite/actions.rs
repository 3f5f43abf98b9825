//! SPEC §4 `/actions/`: every action item across incidents, open and overdue first, then in
//! progress, done and won't do, each with its incident, owner, due date and factors; per
//! factor, its done actions and whether it came back after them; filters by owner and status
//! where JavaScript runs (checked in headless Chromium), every item listed without.

use crate::browser::Browser;
use crate::support::Lib;
use serde_json::json;

/// The reference date is 1 Jun 2024 (`SOURCE_DATE_EPOCH`).
/// p (10 Jan): "Add client timeouts" done 20 Jan by ana; "Alert on p99" open, due 1 Mar, by bo
/// (overdue); "Write the runbook" in progress, due 1 Sep, by Ana.
/// q (1 Apr): "Drop the old client" won't do, by bo; "Load test" open, no owner, no due date.
/// `timeouts` came back in q after the fix of 20 Jan.
fn library(book: &str) -> Lib {
    let p = "---\ntitle: Timeouts in checkout\ndate: 2024-01-10\nservices: [checkout]\nfactors: [timeouts]\naction_items:\n  - title: Add client timeouts\n    status: done\n    done: 2024-01-20\n    owner: ana\n    addresses: [timeouts]\n  - title: Alert on p99\n    status: open\n    owner: bo\n    due: 2024-03-01\n    addresses: [timeouts]\n  - title: Write the runbook\n    status: in-progress\n    owner: Ana\n    due: 2024-09-01\n---\nBody.\n";
    let q = "---\ntitle: Timeouts again\ndate: 2024-04-01\nfactors: [timeouts]\naction_items:\n  - title: Drop the old client\n    status: wont-do\n    owner: bo\n  - title: Load test\n    status: open\n    addresses: [timeouts]\n---\nBody.\n";
    Lib::new(&[("book.toml", book), ("content/incidents/p.md", p), ("content/incidents/q.md", q)])
        .env("SOURCE_DATE_EPOCH", "1717200000")
}

#[test]
fn actions_are_listed_overdue_first_with_their_incident_owner_and_due_date() {
    let lib = library("");
    lib.build_clean();
    let html = lib.html("actions/index.html");
    assert!(html.contains("5 in all, <strong>1 overdue</strong>"), "{html}");
    assert!(html.contains("due before 1 Jun 2024"), "{html}");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing: {html}"));
    let order = ["Alert on p99", "Load test", "Write the runbook", "Add client timeouts", "Drop the old client"];
    let places: Vec<usize> = order.iter().map(|t| at(&format!("<td class=\"title\">{t}</td>"))).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "order {order:?}: {places:?}");
    for (group, n) in [("overdue", 1), ("open", 1), ("in-progress", 1), ("done", 1), ("wont-do", 1)] {
        assert!(html.contains(&format!("data-group=\"{group}\"")), "{group}");
        assert_eq!(html.matches(&format!("data-status=\"{group}\"")).count(), n, "{group}");
    }
    assert!(!html.contains("data-group=\"unknown\""));
    // The overdue row: its incident, owner, due date and factor.
    let start = at("<td class=\"title\">Alert on p99</td>");
    let row = &html[start..start + html[start..].find("</tr>").expect("row end")];
    assert!(row.contains("<a href=\"/incidents/p/\">Timeouts in checkout</a>"), "{row}");
    assert!(
        row.contains("<td data-label=\"Owner\">bo</td>")
            && row.contains("<time datetime=\"2024-03-01\">1 Mar 2024</time>"),
        "{row}"
    );
    assert!(row.contains("<a class=\"chip factor\" href=\"/patterns/timeouts/\">timeouts</a>"), "{row}");
    // ana and Ana are one owner, named as first listed (the runbook is in progress, so before
    // the done action); one action has none.
    assert!(html.contains("<option value=\"ana\">Ana (2)</option>"), "{html}");
    assert!(
        html.contains("<option value=\"bo\">bo (2)</option>")
            && html.contains("<option value=\"-\">No owner (1)</option>")
    );
    assert!(html.contains("<form class=\"filters\" id=\"action-filters\" hidden"), "filters wait for the script");
}

#[test]
fn per_factor_counts_done_actions_and_whether_it_came_back() {
    let lib = library("");
    lib.build_clean();
    let html = lib.html("actions/index.html");
    // timeouts: three actions (done, open-overdue, open), one done, it came back after it.
    assert!(
        html.contains("<tr><th scope=\"row\"><a href=\"/patterns/timeouts/\">timeouts</a></th><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td><td><span class=\"badge warn\">yes</span> after 1 of 1 done</td></tr>"),
        "{html}"
    );
    assert!(lib.html("index.html").contains("<a href=\"/actions/\""), "nav link");
}

#[test]
fn the_filters_narrow_by_owner_and_status_in_a_browser() {
    let Some(b) = Browser::start() else { return };
    let lib = library("[output.html]\npretty-urls = false\n");
    lib.build_clean();
    b.open(&lib.site().join("actions/index.html"));
    let visible = "return Array.from(document.querySelectorAll('tr[data-status]')).filter(r => !r.hidden).map(r => r.cells[0].textContent.trim());";
    let groups = "return Array.from(document.querySelectorAll('.action-group')).filter(g => !g.hidden).map(g => g.dataset.group);";
    assert_eq!(b.eval("return document.getElementById('action-filters').hidden;"), json!(false));
    assert_eq!(b.eval(visible).as_array().map(Vec::len), Some(5));
    let set = |id: &str, value: &str| {
        b.eval(&format!(
            "var s = document.getElementById('{id}'); s.value = '{value}'; s.dispatchEvent(new Event('change'));"
        ));
    };
    set("filter-owner", "ana");
    assert_eq!(b.eval(visible), json!(["Write the runbook", "Add client timeouts"]));
    assert_eq!(b.eval(groups), json!(["in-progress", "done"]));
    assert_eq!(b.eval("return document.querySelector('.filter-count').textContent;"), json!("Showing 2 of 5"));
    set("filter-status", "overdue");
    assert_eq!(b.eval(visible), json!([]));
    assert_eq!(b.eval("return document.querySelector('.filter-empty').hidden;"), json!(false));
    set("filter-owner", "bo");
    assert_eq!(b.eval(visible), json!(["Alert on p99"]));
    set("filter-owner", "-");
    set("filter-status", "");
    assert_eq!(b.eval(visible), json!(["Load test"]));
}
