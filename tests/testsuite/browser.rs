//! What runs in the browser, tested in real headless Chromium through chromedriver (WebDriver
//! over plain HTTP on 127.0.0.1): dark mode follows `prefers-color-scheme`, the incident table
//! sorts by column, and pages load nothing from another host.
//!
//! Without Chromium and chromedriver these tests say so and pass, so `cargo test` works on a
//! machine with only Rust; `.ci/run` installs both and sets `CASEBOOK_REQUIRE_BROWSER=1`, which
//! turns a missing browser into a failure.

use crate::support::Lib;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n))).find(|p| p.is_file())
}

/// A WebDriver session on a chromedriver started for one test.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium, or returns `None` (after saying why) when it is not installed.
    pub(crate) fn start() -> Option<Browser> {
        let chromium = find(&["chromium", "chromium-browser", "google-chrome"]);
        let driver = find(&["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                std::env::var_os("CASEBOOK_REQUIRE_BROWSER").is_none(),
                "CASEBOOK_REQUIRE_BROWSER is set but chromium or chromedriver is missing"
            );
            eprintln!("skipping browser test: chromium and chromedriver not found on PATH");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let mut command = Command::new(driver);
        // Its own process group, so a failed test can end chromedriver and every browser it started.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser { driver: child, port, session: String::new(), _profile: profile };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--window-size=1280,900",
        ];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", browser._profile.path().display()));
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chromium, "args": args}}}});
        let reply = browser.call("POST", "/session", Some(caps));
        browser.session = reply["value"]["sessionId"].as_str().expect("session id").to_string();
        Some(browser)
    }

    /// One WebDriver command; returns the reply's JSON.
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to chromedriver");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("send");
        // chromedriver keeps the connection open, so read exactly Content-Length bytes.
        let mut raw = Vec::new();
        let mut byte = [0u8; 1];
        while !raw.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut byte).expect("read reply headers");
            assert!(n == 1, "chromedriver closed the connection: {}", String::from_utf8_lossy(&raw));
            raw.push(byte[0]);
        }
        let headers = String::from_utf8_lossy(&raw).to_lowercase();
        let length = headers
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or_else(|| panic!("no content-length in {headers}"));
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).expect("read reply body");
        let body = String::from_utf8_lossy(&body);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("bad WebDriver reply ({e}): {body}"))
    }

    pub(crate) fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let reply = self.call(method, &format!("/session/{}{path}", self.session), body);
        assert!(reply["value"].get("error").is_none(), "WebDriver error: {reply}");
        reply["value"].clone()
    }

    /// Opens a file from disk (`file://`).
    pub(crate) fn open(&self, file: &Path) {
        self.open_url(&format!("file://{}", file.display()));
    }

    /// Opens any URL (a loopback server's page, say).
    pub(crate) fn open_url(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    pub(crate) fn eval(&self, script: &str) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    pub(crate) fn color_scheme(&self, scheme: &str) {
        let params = json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]});
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": "Emulation.setEmulatedMedia", "params": params})),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        // `--` matters: without it `kill` may read `-PID` as an option rather than a group.
        #[cfg(unix)]
        if self.driver.id() > 1 {
            let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", self.driver.id())]).status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The sample library built for browsing from disk (`pretty-urls = false`).
pub(crate) fn sample_site() -> Lib {
    let lib = Lib::new(&[("book.toml", "[book]\ntitle = \"Browser test\"\n[output.html]\npretty-urls = false\n")]);
    lib.copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), "content");
    lib.build(&[]).assert_code(0);
    lib
}

/// Relative luminance of a CSS `rgb()`/`rgba()` colour (WCAG 2.1).
fn luminance(css: &str) -> f64 {
    let nums: Vec<f64> = css
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter_map(|s| s.parse().ok())
        .collect();
    assert!(nums.len() >= 3, "not an rgb colour: {css}");
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(nums[0]) + 0.7152 * lin(nums[1]) + 0.0722 * lin(nums[2])
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

const COLOURS: &str = "var s = getComputedStyle(document.body); return [s.backgroundColor, s.color];";

#[test]
fn dark_mode_follows_the_system_setting_with_readable_contrast() {
    let Some(browser) = Browser::start() else { return };
    let lib = sample_site();
    browser.open(&lib.site().join("incidents/2024-03-12-checkout-resolver-ttl/index.html"));
    browser.color_scheme("light");
    let light = browser.eval(COLOURS);
    browser.color_scheme("dark");
    let dark = browser.eval(COLOURS);
    let (lb, lf) = (light[0].as_str().unwrap_or(""), light[1].as_str().unwrap_or(""));
    let (db, df) = (dark[0].as_str().unwrap_or(""), dark[1].as_str().unwrap_or(""));
    assert!(luminance(lb) > 0.5, "light background is light: {lb}");
    assert!(luminance(db) < 0.2, "dark background is dark: {db}");
    assert!(contrast(lb, lf) >= 4.5, "light text contrast {lf} on {lb}");
    assert!(contrast(db, df) >= 4.5, "dark text contrast {df} on {db}");
}

#[test]
fn incident_table_sorts_by_column_and_loads_nothing_from_other_hosts() {
    let Some(browser) = Browser::start() else { return };
    let lib = sample_site();
    browser.open(&lib.site().join("incidents/index.html"));
    let severities = "return Array.from(document.querySelectorAll('table.sortable tbody tr')).map(r => Number(r.cells[2].dataset.value));";
    let before: Vec<f64> = serde_json::from_value(browser.eval(severities)).expect("numbers");
    assert!(before.len() > 5, "rows: {before:?}");
    // The headings became buttons, so the keyboard can sort too.
    let buttons = browser.eval("return document.querySelectorAll('table.sortable thead th button').length;");
    assert_eq!(buttons, json!(7));
    browser.eval("document.querySelectorAll('table.sortable thead th button')[2].click();");
    let asc: Vec<f64> = serde_json::from_value(browser.eval(severities)).expect("numbers");
    let mut sorted = asc.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    assert_eq!(asc, sorted, "ascending by severity");
    assert_ne!(asc, before, "the order changed");
    let state =
        browser.eval("return document.querySelectorAll('table.sortable thead th')[2].getAttribute('aria-sort');");
    assert_eq!(state, json!("ascending"));
    browser.eval("document.querySelectorAll('table.sortable thead th button')[2].click();");
    let desc: Vec<f64> = serde_json::from_value(browser.eval(severities)).expect("numbers");
    sorted.reverse();
    assert_eq!(desc, sorted, "descending on a second click");

    // Everything the page requests (stylesheets, scripts, images) is a local file.
    let requested =
        browser.eval("return Array.from(document.querySelectorAll('[src], link[href]')).map(e => e.src || e.href);");
    let requested: Vec<String> = serde_json::from_value(requested).expect("urls");
    assert!(requested.len() >= 2, "the page links its stylesheets: {requested:?}");
    assert!(requested.iter().all(|r| r.starts_with("file://")), "only local files: {requested:?}");
    assert_eq!(browser.eval("return document.styleSheets.length;"), json!(2), "both stylesheets load");
}
