//! axe-core (WCAG 2.1 A and AA rules) finds nothing on every kind of page, in the light and the
//! dark theme: home, an incident, notes (a saved web page and a transcript among them), a
//! pattern, the lists, the search page showing results, trends, actions and tags.
//!
//! axe-core is npm's `axe-core` package, never committed: `.ci/run` installs it into a
//! temporary folder and names its `axe.min.js` in `CASEBOOK_AXE_JS`. Without it (or without
//! Chromium) the test says so and passes, unless `CASEBOOK_REQUIRE_BROWSER=1`.

use crate::browser::Browser;
use crate::support::Lib;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// axe-core's script, when installed.
fn axe_script() -> Option<String> {
    let path = std::env::var_os("CASEBOOK_AXE_JS").map(PathBuf::from);
    match path.and_then(|p| std::fs::read_to_string(&p).ok()) {
        Some(s) => Some(s),
        None => {
            assert!(
                std::env::var_os("CASEBOOK_REQUIRE_BROWSER").is_none(),
                "CASEBOOK_REQUIRE_BROWSER is set but CASEBOOK_AXE_JS names no axe.min.js"
            );
            eprintln!("skipping axe test: set CASEBOOK_AXE_JS to npm's axe-core/axe.min.js");
            None
        }
    }
}

/// The sample library with the note fixtures beside its notes, built to browse from disk.
fn library() -> Lib {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Lib::new(&[("book.toml", "[book]\ntitle = \"Axe test\"\n[output.html]\npretty-urls = false\n")]);
    lib.copy_tree(&root.join("content"), "content");
    lib.copy_tree(&root.join("tests/fixtures/notes"), "content/notes/kept");
    lib.build(&[]).assert_code(0);
    lib
}

/// One page of each kind, as site paths (with a query for the search page).
fn pages(lib: &Lib) -> Vec<String> {
    let files = lib.site_files();
    let first = |prefix: &str| {
        files
            .iter()
            .find(|f| f.starts_with(prefix) && f.ends_with("/index.html") && f.matches('/').count() == 2)
            .cloned()
            .unwrap_or_else(|| panic!("no page under {prefix}"))
    };
    let mut out: Vec<String> = ["index.html", "incidents/index.html", "notes/index.html", "patterns/index.html"]
        .into_iter()
        .chain(["trends/index.html", "actions/index.html", "tags/index.html", "services/index.html"])
        .map(str::to_string)
        .collect();
    out.extend([first("incidents/"), first("patterns/"), first("tags/"), first("services/")]);
    out.extend(
        ["notes/magazine-article/index.html", "notes/talk-export/index.html", "notes/captions-rolling/index.html"]
            .map(String::from),
    );
    out.push("search/index.html?q=checkout".into());
    out
}

/// Runs axe-core on the open page; returns its violations, one line each.
fn violations(browser: &Browser, script: &str) -> Vec<String> {
    let inject = "var s = document.createElement('script'); s.textContent = arguments[0]; document.head.appendChild(s); return typeof axe;";
    let loaded = browser.session_call("POST", "/execute/sync", Some(json!({"script": inject, "args": [script]})));
    assert_eq!(loaded, json!("object"), "axe-core did not load");
    let run = "var done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(function (r) { done(r.violations.map(function (v) {
            return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' ') + ' (' + (n.failureSummary || '') + ')'; }).join('; ');
          })); }, function (e) { done(['axe failed: ' + e]); });";
    let found = browser.session_call("POST", "/execute/async", Some(json!({"script": run, "args": []})));
    serde_json::from_value(found).unwrap_or_else(|e| panic!("axe result: {e}"))
}

/// Waits until the search page shows its results.
fn wait_for_results(browser: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let ready = "return document.getElementById('search-page').dataset.state === 'ready' && document.querySelectorAll('#search-list li').length;";
    while browser.eval(ready) == json!(false) || browser.eval(ready) == json!(0) {
        assert!(Instant::now() < deadline, "the search page showed no results");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn axe_finds_nothing_on_any_kind_of_page_in_either_theme() {
    let Some(script) = axe_script() else { return };
    let Some(browser) = Browser::start() else { return };
    browser.session_call("POST", "/timeouts", Some(json!({"script": 120_000})));
    let lib = library();
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for page in pages(&lib) {
            let (file, query) = page.split_once('?').map_or((page.as_str(), ""), |(f, q)| (f, q));
            let url =
                format!("file://{}{}{query}", lib.site().join(file).display(), if query.is_empty() { "" } else { "?" });
            browser.open_url(&url);
            if !query.is_empty() {
                wait_for_results(&browser);
            }
            let found: Vec<String> = violations(&browser, &script);
            problems.extend(found.into_iter().map(|v| format!("{scheme} {page}: {v}")));
        }
    }
    assert!(problems.is_empty(), "axe-core found:\n{}", problems.join("\n"));
}
