//! `casebook serve` in real headless Chromium: an open page reloads by itself once the edit it
//! waits for is built, a broken edit puts its diagnostics over the page (as text: markup in
//! them stays inert), and the fix clears them. Without Chromium these say so and pass (see
//! `browser.rs`).

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

#[test]
fn an_open_page_reloads_after_an_edit_shows_the_overlay_for_a_broken_one_and_recovers() {
    let Some(browser) = Browser::start() else { return };
    let lib = Lib::new(&[("content/incidents/dns.md", &incident("DNS went away", "2024-03-12"))]);
    let s = Served::start(&lib, &[]);
    browser.open_url(&format!("{}incidents/dns/", s.url));
    assert_eq!(browser.eval(TITLE), json!("DNS went away"));
    browser.eval("window.beforeReload = true;");

    lib.write("content/incidents/dns.md", &incident("DNS came back", "2024-03-12"));
    wait_until(&browser, TITLE, json!("DNS came back"));
    assert_eq!(browser.eval("return window.beforeReload === undefined;"), json!(true), "the page reloaded");

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
