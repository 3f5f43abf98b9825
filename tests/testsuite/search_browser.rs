//! SPEC §5 in real headless Chromium, on the built sample library: `/` focuses the header box,
//! a query shows the right incident first, arrows and Enter open it, filters narrow the results
//! with the build's counts, a shared URL restores query and filters (reload and back too), a
//! typo is corrected visibly, and all of it works from `file://` and under a `site-url`
//! sub-path served over loopback HTTP, with no error in the page.

use crate::browser::{sample_site, Browser};
use crate::support::Lib;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Collects errors (script errors, failed loads, rejections, `console.error`) from the start of
/// every page, so `errors` can tell whether the page had any.
const ERROR_HOOK: &str = "window.__errors = [];
addEventListener('error', function (e) { __errors.push(String(e.message || (e.target && (e.target.src || e.target.href)))); }, true);
addEventListener('unhandledrejection', function (e) { __errors.push('rejected: ' + e.reason); });
var __ce = console.error; console.error = function () { __errors.push([].join.call(arguments, ' ')); __ce.apply(console, arguments); };";

fn hook_errors(b: &Browser) {
    let params = json!({ "source": ERROR_HOOK });
    b.session_call(
        "POST",
        "/goog/cdp/execute",
        Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": params})),
    );
}

#[track_caller]
fn assert_no_errors(b: &Browser) {
    let errors = b.eval("return window.__errors || ['the error hook did not run'];");
    assert_eq!(errors, json!([]), "errors in the page");
}

/// Waits until `script` returns something truthy, and returns it.
#[track_caller]
fn wait_for(b: &Browser, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = b.eval(script);
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {script}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Presses keys as a user would (WebDriver key actions); `\u{E015}` is ArrowDown, `\u{E007}`
/// Enter, `\u{E00C}` Escape.
fn keys(b: &Browser, text: &str) {
    let actions: Vec<Value> = text
        .chars()
        .flat_map(|c| {
            [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
        })
        .collect();
    b.session_call(
        "POST",
        "/actions",
        Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
    );
}

const TITLES: &str = "return Array.from(document.querySelectorAll('#search-dropdown [role=option] .hit-title')).map(e => e.textContent);";
const PAGE_TITLES: &str =
    "return Array.from(document.querySelectorAll('#search-list .hit-title')).map(e => e.textContent);";
const READY_EXPR: &str =
    "document.getElementById('search-page').dataset.state === 'ready' && document.getElementById('search-count').textContent";
const READY: &str = "return document.getElementById('search-page').dataset.state === 'ready' && document.getElementById('search-count').textContent;";
const DNS_TITLE: &str = "Checkout errors after the internal DNS TTL change";

fn page_state(b: &Browser) -> Value {
    b.eval(
        "return {q: document.getElementById('search-page-q').value,
                 checked: Array.from(document.querySelectorAll('#search-filters input:checked')).map(e => e.name + '=' + e.value),
                 count: document.querySelectorAll('#search-list li').length};",
    )
}

/// The header box: `/` focuses it, typing shows results, arrows and Enter open the first.
fn header_box_finds_and_opens(b: &Browser, page: &str, expect_url_start: &str) {
    b.open_url(page);
    wait_for(b, "return document.readyState === 'complete';");
    keys(b, "/");
    assert_eq!(b.eval("return document.activeElement.id;"), json!("search-q"), "`/` focuses the search box");
    arrow_keeps_its_place_when_newer_results_arrive(b);
    keys(b, "dns chan");
    let titles = wait_for(b, &format!("var t = (function () {{ {TITLES} }})(); return t.length && t;"));
    assert_eq!(titles[0], DNS_TITLE, "the right incident first, with the last word a prefix: {titles}");
    let status = b.eval("return document.querySelector('.search-status').textContent;");
    assert!(status.as_str().unwrap_or("").contains("result"), "the count is announced: {status}");
    let marks = b.eval(
        "return Array.from(document.querySelectorAll('#search-dropdown mark')).map(m => m.textContent.toLowerCase());",
    );
    assert!(marks.as_array().is_some_and(|m| m.contains(&json!("dns"))), "query words are marked: {marks}");
    keys(b, "\u{E015}");
    assert_eq!(
        b.eval("return document.getElementById('search-q').getAttribute('aria-activedescendant');"),
        json!("search-option-0")
    );
    keys(b, "\u{E007}");
    let url = wait_for(b, "return location.href.indexOf('/incidents/') >= 0 && location.href;");
    let url = url.as_str().unwrap_or("");
    assert!(url.starts_with(expect_url_start), "{url}");
    assert!(url.contains("incidents/2024-03-12-checkout-resolver-ttl/"), "Enter opens the first result: {url}");
    assert_no_errors(b);
}

/// An arrow pressed while the results of the last keystroke are on their way keeps its place
/// when they arrive (they used to clear it, so a quick arrow and Enter did nothing). Leaves the
/// box empty.
fn arrow_keeps_its_place_when_newer_results_arrive(b: &Browser) {
    keys(b, "dns");
    wait_for(b, &format!("var t = (function () {{ {TITLES} }})(); return t.length && t;"));
    // In one script, so the newer results cannot arrive before the arrow: the query grows, and
    // the arrow is pressed on the results still shown.
    b.eval(
        "document.getElementById('search-option-0').dataset.old = '1'; var q = document.getElementById('search-q'); \
         q.value = 'dns chan'; q.dispatchEvent(new Event('input')); \
         q.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); return true;",
    );
    wait_for(b, "var o = document.getElementById('search-option-0'); return !!o && !o.dataset.old;");
    assert_eq!(
        b.eval("return document.getElementById('search-q').getAttribute('aria-activedescendant');"),
        json!("search-option-0"),
        "the arrow's choice survives the newer results"
    );
    assert_eq!(
        b.eval("return document.getElementById('search-option-0').getAttribute('aria-selected');"),
        json!("true")
    );
    b.eval(
        "var q = document.getElementById('search-q'); q.value = ''; q.dispatchEvent(new Event('input')); return true;",
    );
    wait_for(b, "return document.getElementById('search-dropdown').hidden;");
}

/// Severity counts on the search page with no query equal the build's own export.
fn severity_counts_match_the_build(b: &Browser, lib: &Lib) {
    let incidents: Value = serde_json::from_str(&lib.read("api/incidents.json")).expect("json");
    for sev in ["SEV1", "SEV2", "SEV3", "SEV4"] {
        let want = incidents.as_array().into_iter().flatten().filter(|i| i["severity"] == sev).count();
        let got = b.eval(&format!(
            "var e = document.querySelector('#search-filters input[name=severity][value={sev}]'); return e && e.parentNode.querySelector('.facet-count').textContent;"
        ));
        assert_eq!(got, json!(want.to_string()), "{sev}");
    }
}

#[test]
fn search_from_disk_finds_filters_restores_and_corrects() {
    let Some(b) = Browser::start() else { return };
    hook_errors(&b);
    let lib = sample_site();
    let site = lib.site();
    let file = |p: &str| format!("file://{}", site.join(p).display());
    header_box_finds_and_opens(&b, &file("incidents/index.html"), "file://");

    // The search page with no query lists everything, with the build's counts.
    b.open_url(&file("search/index.html"));
    wait_for(&b, READY);
    severity_counts_match_the_build(&b, &lib);
    assert_eq!(b.eval("return document.activeElement.id;"), json!("search-page-q"));

    // A query, then a filter that narrows it; each count is what clicking it gives.
    keys(&b, "checkout");
    wait_for(&b, &format!("return {READY_EXPR} && document.getElementById('search-page-q').value === 'checkout' && location.search.indexOf('q=checkout') >= 0;"));
    let all = page_state(&b)["count"].as_u64().unwrap_or(0);
    let sev2 = b.eval("return Number(document.querySelector('#search-filters input[name=severity][value=SEV2]').parentNode.querySelector('.facet-count').textContent);");
    b.eval("document.querySelector('#search-filters input[name=severity][value=SEV2]').click();");
    wait_for(&b, &format!("return {READY_EXPR} && location.search.indexOf('severity=SEV2') >= 0;"));
    let narrowed = page_state(&b);
    assert_eq!(narrowed["checked"], json!(["severity=SEV2"]));
    assert_eq!(json!(narrowed["count"].as_u64().unwrap_or(0)), sev2, "the count shown is the results given");
    assert!(narrowed["count"].as_u64().unwrap_or(0) < all, "the filter narrows: {narrowed} of {all}");
    let sevs = b.eval("return Array.from(document.querySelectorAll('#search-list .sev')).map(e => e.textContent);");
    assert!(sevs.as_array().is_some_and(|s| !s.is_empty() && s.iter().all(|x| x == "SEV2")), "{sevs}");

    // The URL carries the state: reload, back, and a shared link.
    let url = b.eval("return location.href;");
    b.session_call("POST", "/refresh", Some(json!({})));
    wait_for(&b, READY);
    assert_eq!(page_state(&b), narrowed, "reload keeps query and filters");
    b.session_call("POST", "/back", Some(json!({})));
    wait_for(&b, &format!("return {READY_EXPR} && location.search.indexOf('severity') < 0;"));
    assert_eq!(page_state(&b)["checked"], json!([]), "back undoes the filter");
    assert_eq!(page_state(&b)["q"], json!("checkout"));
    b.open_url(url.as_str().unwrap_or(""));
    wait_for(&b, READY);
    assert_eq!(page_state(&b), narrowed, "a shared link restores the search");

    // Filters alone, and a year: every SEV1 in 2023.
    b.open_url(&format!("{}?severity=SEV1&year=2023", file("search/index.html")));
    wait_for(&b, READY);
    let titles = b.eval(PAGE_TITLES);
    assert_eq!(titles, json!(["Full outage when the gateway's mTLS certificate expired"]), "{titles}");

    // A typo is corrected, and says so.
    b.open_url(&format!("{}?q=acquier", file("search/index.html")));
    wait_for(&b, READY);
    let fix = b.eval("return document.getElementById('search-fix').textContent;");
    assert!(fix.as_str().unwrap_or("").contains("showing results for “acquirer”"), "{fix}");
    assert_eq!(b.eval(PAGE_TITLES)[0], "Card payments failed when the acquirer client certificate expired");
    assert_no_errors(&b);
}

/// Serves `root` at `http://127.0.0.1:PORT/docs/` until the test ends (a loopback thread).
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path =
                line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_string();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map_or(true, |n| n == 0 || h == "\r\n") {
                    break;
                }
            }
            let (status, body, kind) = match file_for(&root, &path) {
                Some((bytes, kind)) => ("200 OK", bytes, kind),
                None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let mut s = &stream;
            let _ = s.write_all(head.as_bytes()).and_then(|()| s.write_all(&body));
        }
    });
    port
}

fn file_for(root: &Path, path: &str) -> Option<(Vec<u8>, &'static str)> {
    let rel = path.strip_prefix("/docs/")?;
    if rel.split('/').any(|s| s == "..") {
        return None;
    }
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    std::fs::read(&file).ok().map(|b| (b, kind))
}

#[test]
fn search_works_under_a_site_url_sub_path() {
    let Some(b) = Browser::start() else { return };
    hook_errors(&b);
    let lib = Lib::new(&[("book.toml", "[book]\ntitle = \"Sub-path\"\n[output.html]\nsite-url = \"/docs/\"\n")]);
    lib.copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), "content");
    lib.build(&[]).assert_code(0);
    let port = serve(lib.site());
    let base = format!("http://127.0.0.1:{port}/docs/");
    header_box_finds_and_opens(&b, &format!("{base}patterns/"), &format!("{base}incidents/"));
    b.open_url(&format!("{base}search/?q=certificate&kind=incident"));
    wait_for(&b, READY);
    let hrefs =
        b.eval("return Array.from(document.querySelectorAll('#search-list a')).map(a => a.getAttribute('href'));");
    let hrefs: Vec<String> = serde_json::from_value(hrefs).expect("hrefs");
    assert!(hrefs.len() >= 2, "{hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with("/docs/incidents/")), "{hrefs:?}");
    assert_eq!(page_state(&b)["checked"], json!(["kind=incident"]));
    assert_no_errors(&b);
}

#[test]
fn ranking_puts_title_matches_first_then_the_newest_and_needs_every_word() {
    let Some(b) = Browser::start() else { return };
    hook_errors(&b);
    let inc = |id: &str, title: &str, date: &str, body: &str| {
        (format!("content/incidents/{id}.md"), format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n"))
    };
    let files = [
        inc("old-title", "Resolver timeout at the edge", "2022-01-01", "It broke."),
        inc(
            "body-only",
            "Edge outage",
            "2025-01-01",
            "The resolver timeout, the resolver timeout, again the resolver timeouts.",
        ),
        inc("new-title", "Resolver timeouts in checkout", "2024-01-01", "It broke."),
        inc("one-word", "Resolver upgrade", "2025-06-01", "Nothing else."),
    ];
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    all.push(("book.toml", "[output.html]\npretty-urls = false\n"));
    let lib = Lib::new(&all);
    lib.build_clean();
    b.open_url(&format!("file://{}?q=resolver+timeout", lib.site().join("search/index.html").display()));
    wait_for(&b, READY);
    assert_eq!(
        b.eval(PAGE_TITLES),
        json!(["Resolver timeouts in checkout", "Resolver timeout at the edge", "Edge outage"]),
        "both words in the title first, the newest first among equal scores; every word is needed"
    );
    assert_no_errors(&b);
}

/// The build's own count of each factor value, from `search/f/factor.js`.
fn factor_counts(lib: &Lib) -> Vec<(String, u64)> {
    let text = lib.read("search/f/factor.js");
    let json = text.trim_end().trim_start_matches("casebookSearch.load(\"f/factor\",").trim_end_matches(");");
    let f: Value = serde_json::from_str(json).expect("factor file");
    let values = f["values"].as_array().cloned().unwrap_or_default();
    values.iter().map(|v| (v["v"].as_str().unwrap_or("").to_string(), v["n"].as_u64().unwrap_or(0))).collect()
}

const FACTOR_FETCHED: &str = "return !!document.querySelector('script[src$=\"search/f/factor.js\"]');";
const FACTOR_COUNTS: &str = "return Array.from(document.querySelectorAll('#search-filters input[name=factor]')).map(e => [e.value, Number(e.parentNode.querySelector('.facet-count').textContent)]);";

#[test]
fn large_filter_groups_load_when_opened_or_chosen() {
    let Some(b) = Browser::start() else { return };
    hook_errors(&b);
    let lib = sample_site();
    let page = format!("file://{}", lib.site().join("search/index.html").display());
    b.open_url(&page);
    wait_for(&b, READY);
    assert_eq!(b.eval(FACTOR_FETCHED), json!(false), "the factor file waits until it is needed");
    assert_eq!(b.eval(FACTOR_COUNTS), json!([]));
    assert!(b.eval("return !!document.querySelector('#search-filters input[name=severity]');") == json!(true));

    // Opening the group (a real click, so it must be visible on a wide screen) fetches it,
    // with the build's counts.
    b.session_call("POST", "/window/rect", Some(json!({"width": 1280, "height": 900})));
    let el =
        b.session_call("POST", "/element", Some(json!({"using": "css selector", "value": ".facet-factor summary"})));
    let id = el.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap_or("").to_string();
    b.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    let shown = wait_for(
        &b,
        &format!("var c = (function () {{ {FACTOR_COUNTS} }})(); return {READY_EXPR} && c.length && c.every(x => x[1] > 0) && c;"),
    );
    let want = factor_counts(&lib);
    let shown: Vec<(String, u64)> = serde_json::from_value(shown).expect("counts");
    assert_eq!(shown, want, "each factor's count is the build's");

    // A shared URL that chooses a factor fetches it, opens its group and narrows to it.
    let (top, n) = want.first().cloned().expect("a factor");
    b.open_url(&format!("{page}?factor={top}"));
    wait_for(&b, READY);
    let state = page_state(&b);
    assert_eq!(state["checked"], json!([format!("factor={top}")]), "{state}");
    assert_eq!(state["count"], json!(n.min(20)), "{state}");
    assert_eq!(b.eval("return document.querySelector('.facet-factor details').open;"), json!(true));
    assert_eq!(b.eval("return !!document.querySelector('script[src$=\"search/f/service.js\"]');"), json!(false));
    assert_no_errors(&b);
}

#[test]
fn a_word_in_a_form_the_index_never_saw_falls_back_to_its_stem_and_says_so() {
    let Some(b) = Browser::start() else { return };
    hook_errors(&b);
    let inc = |id: &str, title: &str, body: &str| {
        (format!("content/incidents/{id}.md"), format!("---\ntitle: {title}\ndate: 2024-01-01\n---\n\n{body}\n"))
    };
    let files = [
        inc("failed", "Checkout deploy went wrong", "The deploy failed twice and the release was rolled back."),
        inc("other", "Search outage", "The index was slow."),
    ];
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    all.push(("book.toml", "[output.html]\npretty-urls = false\n"));
    let lib = Lib::new(&all);
    lib.build_clean();
    let page = lib.site().join("search/index.html");
    b.open_url(&format!("file://{}?q=failing", page.display()));
    wait_for(&b, READY);
    let fix = b.eval("return document.getElementById('search-fix').textContent;");
    assert!(fix.as_str().unwrap_or("").contains("showing results for “failed”"), "{fix}");
    assert_eq!(b.eval(PAGE_TITLES), json!(["Checkout deploy went wrong"]));
    // A word with no such stem finds nothing rather than a guess.
    b.open_url(&format!("file://{}?q=indexation", page.display()));
    wait_for(&b, READY);
    assert_eq!(b.eval(PAGE_TITLES), json!([]), "“index” is more than four letters short of it");
    assert_no_errors(&b);
}
