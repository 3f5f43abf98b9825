//! `casebook serve` in real headless Chromium: an open page shows an edit by itself once it is
//! built, by swapping in its new `<main>` (keeping the scroll position and the search box) when
//! nothing else changed, and by reloading in full when something outside `<main>` did (the site
//! title, a theme file), when the page has its own script, or when it is gone. A broken edit
//! puts its diagnostics over the page (as text: markup in them stays inert), and the fix clears
//! them. Without Chromium these say so and pass (see `browser.rs`).

use crate::browser::Browser;
use crate::serve::Served;
use crate::support::Lib;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn incident(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nfactors: [config-change]\n---\n\nWhat happened.\n")
}

/// Evaluates `script` until it returns `want` (bounded).
#[track_caller]
fn wait_until(browser: &Browser, script: &str, want: Value) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = browser.eval(script);
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "`{script}` stayed {got}, wanted {want}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

const TITLE: &str = "return document.querySelector('h1').textContent.trim();";
const OVERLAY: &str = "var o = document.getElementById('casebook-overlay'); return o ? o.textContent : null;";

/// Marks the open page; a full reload loses the mark, a swap keeps it.
const MARK: &str = "window.casebookMark = true;";
const MARKED: &str = "return window.casebookMark === true;";
/// The generation of the last swap (set on `<html>` by live.js), or null before any.
const SWAPPED: &str = "return document.documentElement.dataset.casebookGeneration || null;";

#[test]
fn an_open_page_shows_an_edit_shows_the_overlay_for_a_broken_one_and_recovers() {
    let Some(browser) = Browser::start() else { return };
    let lib = Lib::new(&[("content/incidents/dns.md", &incident("DNS went away", "2024-03-12"))]);
    let s = Served::start(&lib, &[]);
    browser.open_url(&format!("{}incidents/dns/", s.url));
    assert_eq!(browser.eval(TITLE), json!("DNS went away"));
    browser.eval(MARK);
    assert_eq!(browser.eval(SWAPPED), Value::Null);

    lib.write("content/incidents/dns.md", &incident("DNS came back", "2024-03-12"));
    wait_until(&browser, TITLE, json!("DNS came back"));
    assert_eq!(browser.eval(MARKED), json!(true), "only <main> changed: swapped, not reloaded");
    assert_eq!(browser.eval(SWAPPED), json!("2"), "the swap is marked with its generation");
    assert_eq!(browser.eval("return document.title;"), json!("DNS came back · Incident library"), "the title follows");

    // Markup in a diagnostic must show as text, never run.
    let evil = "\"<img src=x onerror=window.pwned=1>\"";
    lib.write("content/incidents/dns.md", &incident("Broken", evil));
    wait_until(&browser, "return document.getElementById('casebook-overlay') !== null;", json!(true));
    let text = browser.eval(OVERLAY);
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("content/incidents/dns.md:3:7: error: invalid date `<img src=x onerror=window.pwned=1>`"),
        "{text}"
    );
    assert!(text.contains("= help: expected a date"), "{text}");
    assert_eq!(browser.eval("return document.querySelectorAll('#casebook-overlay img').length;"), json!(0));
    assert_eq!(browser.eval("return window.pwned === undefined;"), json!(true));
    assert_eq!(browser.eval(TITLE), json!("DNS came back"), "the last good page stays");

    lib.write("content/incidents/dns.md", &incident("DNS fixed", "2024-03-12"));
    wait_until(&browser, TITLE, json!("DNS fixed"));
    assert_eq!(browser.eval(OVERLAY), Value::Null, "the fix clears the overlay");
    assert_eq!(browser.eval(MARKED), json!(true), "the fix is swapped in too");
}

#[test]
fn a_page_opened_while_the_build_is_broken_shows_the_overlay() {
    let Some(browser) = Browser::start() else { return };
    let lib = Lib::new(&[("content/incidents/dns.md", &incident("DNS went away", "2024-03-12"))]);
    let s = Served::start(&lib, &[]);
    lib.write("content/incidents/dns.md", &incident("Broken", "someday"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        browser.open_url(&s.url);
        std::thread::sleep(Duration::from_millis(300));
        if browser.eval(OVERLAY).as_str().is_some_and(|t| t.contains("invalid date `someday`")) {
            break;
        }
        assert!(Instant::now() < deadline, "no overlay on a page opened after the failed build");
    }
}

#[test]
fn a_change_outside_main_reloads_in_full() {
    let Some(browser) = Browser::start() else { return };
    let lib = Lib::new(&[
        ("book.toml", "[book]\ntitle = \"Before\"\n[output.html]\ntheme = \"mytheme\"\n"),
        ("mytheme/static/style.css", "body { background: rgb(1, 2, 3); }\n"),
        ("content/incidents/dns.md", &incident("DNS went away", "2024-03-12")),
    ]);
    let s = Served::start(&lib, &[]);
    browser.open_url(&format!("{}incidents/dns/", s.url));
    const BRAND: &str = "return document.querySelector('.brand').textContent.trim();";
    assert_eq!(browser.eval(BRAND), json!("Before"));
    browser.eval(MARK);
    lib.write("book.toml", "[book]\ntitle = \"After\"\n[output.html]\ntheme = \"mytheme\"\n");
    wait_until(&browser, BRAND, json!("After"));
    assert_eq!(browser.eval(MARKED), json!(false), "a new site title reloads the page in full");

    // Only the stylesheet changes: the HTML is the same, yet the page must load the new one.
    const BACKGROUND: &str = "return getComputedStyle(document.body).backgroundColor;";
    assert_eq!(browser.eval(BACKGROUND), json!("rgb(1, 2, 3)"));
    browser.eval(MARK);
    lib.write("mytheme/static/style.css", "body { background: rgb(4, 5, 6); }\n");
    wait_until(&browser, BACKGROUND, json!("rgb(4, 5, 6)"));
    assert_eq!(browser.eval(MARKED), json!(false), "a theme file reloads the page in full");
    assert_eq!(browser.eval(SWAPPED), Value::Null);
}

#[test]
fn a_page_with_its_own_script_or_one_that_is_gone_reloads_in_full() {
    let Some(browser) = Browser::start() else { return };
    let lib = Lib::new(&[
        ("content/incidents/dns.md", &incident("DNS went away", "2024-03-12")),
        ("content/incidents/db.md", &incident("Database fell over", "2024-03-13")),
    ]);
    let s = Served::start(&lib, &[]);
    // The incident list has its sort script, which must run on the new table.
    browser.open_url(&format!("{}incidents/", s.url));
    browser.eval(MARK);
    lib.write("content/incidents/dns.md", &incident("DNS came back", "2024-03-12"));
    wait_until(&browser, "return document.querySelector('main').textContent.includes('DNS came back');", json!(true));
    assert_eq!(browser.eval(MARKED), json!(false), "a page with an inline script reloads in full");

    browser.open_url(&format!("{}incidents/db/", s.url));
    browser.eval(MARK);
    lib.remove("content/incidents/db.md");
    wait_until(&browser, MARKED, json!(false));
    wait_until(
        &browser,
        "return document.querySelector('main').textContent.includes('Database fell over');",
        json!(false),
    );
}

/// How many times the open page fetched `path` itself (live.js's swaps), by the page's own
/// resource timings.
fn fetches_of(path: &str) -> String {
    format!(
        "return performance.getEntriesByType('resource').filter(function (e) {{ \
         return new URL(e.name).pathname.endsWith('{path}'); }}).length;"
    )
}

#[test]
fn an_open_page_fetches_itself_again_only_for_the_event_that_names_it() {
    let Some(browser) = Browser::start() else { return };
    let lib = crate::serve::lookalikes();
    let s = Served::start(&lib, &[]);
    // `d` is not in the dependency set of the edit of `a`, but its similar list moves: the
    // first event leaves it alone, the second names it.
    browser.open_url(&format!("{}incidents/d/", s.url));
    browser.eval(MARK);
    crate::serve::edit_lookalike(&lib);
    wait_until(&browser, SWAPPED, json!("3"));
    assert_eq!(browser.eval(MARKED), json!(true), "swapped, not reloaded");
    assert_eq!(browser.eval(&fetches_of("/incidents/d/")), json!(1), "one fetch, for the second event");
}

#[test]
fn a_swap_keeps_the_scroll_position_and_the_search_box_works_after_it() {
    let Some(browser) = Browser::start() else { return };
    let long: String = (0..200).map(|i| format!("Paragraph {i} of a long account.\n\n")).collect();
    let text = |extra: &str| {
        format!("---\ntitle: A long one\ndate: 2024-03-12\nfactors: [config-change]\n---\n\n{long}{extra}")
    };
    let lib = Lib::new(&[
        ("content/incidents/long.md", &text("")),
        ("content/incidents/dns.md", &incident("Resolver outage", "2024-03-11")),
    ]);
    let s = Served::start(&lib, &[]);
    browser.open_url(&format!("{}incidents/long/", s.url));
    browser.eval("window.scrollTo(0, 1500);");
    assert_eq!(browser.eval("return Math.round(window.scrollY);"), json!(1500));
    browser.eval(MARK);
    lib.write("content/incidents/long.md", &text("A closing paragraph added while serving.\n"));
    wait_until(&browser, "return document.body.textContent.includes('A closing paragraph added');", json!(true));
    assert_eq!(browser.eval(MARKED), json!(true), "swapped");
    assert_eq!(browser.eval("return Math.round(window.scrollY);"), json!(1500), "the scroll position stays");

    // The search box is in the masthead, which the swap leaves alone with its handlers.
    browser.eval(
        "var q = document.getElementById('search-q'); q.focus(); q.value = 'resolver'; \
         q.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    wait_until(
        &browser,
        "return Array.from(document.querySelectorAll('#search-dropdown [role=option]'))\
         .some(function (o) { return o.textContent.includes('Resolver outage'); });",
        json!(true),
    );
}
