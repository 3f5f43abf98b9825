//! `casebook serve` from the outside: the real binary on a free loopback port, spoken to over
//! plain HTTP. Pages, content types, the 404 page, `site-url`, refused traversal, edits served,
//! broken edits reported while the old pages stay up, concurrent and stalled clients, a port in
//! use, and Ctrl-C. Every wait is bounded.

use crate::support::Lib;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `casebook serve`, killed when dropped.
pub(crate) struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT/` plus the `site-url` prefix.
    pub(crate) url: String,
    /// `127.0.0.1:PORT`.
    pub(crate) addr: String,
    stderr: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Served {
    /// Starts `casebook serve . --port 0 <args>` in the library and waits for `serving URL`.
    pub(crate) fn start(lib: &Lib, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["serve", ".", "--port", "0"])
            .args(args)
            .current_dir(lib.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start casebook serve");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (etx, erx) = mpsc::channel();
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = etx.send(line);
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).expect("serve prints `serving URL` within 60 s");
        let url = line.strip_prefix("serving ").unwrap_or_else(|| panic!("first line: {line}")).to_string();
        let addr = url.trim_start_matches("http://").split('/').next().expect("host:port").to_string();
        Served { child, url, addr, stderr: erx, seen: Vec::new() }
    }

    /// GET a path (as sent, not normalised) and return (status, headers, body).
    pub(crate) fn get(&self, path: &str) -> Reply {
        get(&self.addr, path)
    }

    /// Waits until `check` holds for the reply to `path` (bounded).
    #[track_caller]
    pub(crate) fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let r = self.get(path);
            if check(&r) {
                return r;
            }
            assert!(Instant::now() < deadline, "{path} never showed {what}; last reply: {} {}", r.status, r.body);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until stderr holds a line containing `text` (bounded); returns that line.
    #[track_caller]
    pub(crate) fn wait_stderr(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(l) = self.seen.iter().find(|l| l.contains(text)) {
                return l.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(_) => panic!("stderr never said {text:?}; it said:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    #[cfg(unix)]
    pub(crate) fn interrupt(mut self) -> i32 {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().expect("kill -INT");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP reply.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Reply {
    /// A header's value (names compared without case).
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        let want = format!("{}:", name.to_ascii_lowercase());
        self.headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&want))
            .map(|l| l[want.len()..].trim().to_string())
    }
}

/// A bare HTTP/1.1 GET, the path sent exactly as given.
pub(crate) fn get(addr: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read reply");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("status line: {head}"));
    Reply { status, headers: head.to_string(), body: body.to_string() }
}

pub(crate) fn incident(title: &str, severity: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2024-03-12\nseverity: {severity}\nservices: [checkout]\nfactors: [config-change]\n---\n\nWhat happened.\n"
    )
}

pub(crate) fn small_lib() -> Lib {
    Lib::new(&[
        ("book.toml", "[book]\ntitle = \"Served\"\n[severity]\nlevels = [\"SEV1\", \"SEV2\"]\n"),
        ("content/incidents/dns.md", &incident("DNS went away", "SEV1")),
        ("content/incidents/db.md", &incident("Database fell over", "SEV2")),
        ("content/static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    ])
}

#[test]
fn serves_pages_with_types_folders_404_and_the_reload_script_only_while_serving() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    assert!(s.url.starts_with("http://127.0.0.1:") && s.url.ends_with('/'), "{}", s.url);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("/__casebook/live.js"), "the reload script is injected while serving");
    let page = s.get("/incidents/dns/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("DNS went away"));
    assert_eq!(s.get("/incidents/dns").status, 302, "a folder without its slash redirects");
    assert_eq!(s.get("/incidents/dns").header("location").as_deref(), Some("/incidents/dns/"));
    assert_eq!(s.get("/style.css").header("content-type").as_deref(), Some("text/css; charset=utf-8"));
    assert_eq!(s.get("/logo.svg").header("content-type").as_deref(), Some("image/svg+xml"));
    assert_eq!(s.get("/api/incidents.json").header("content-type").as_deref(), Some("application/json"));
    let missing = s.get("/incidents/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the site's own 404 page: {}", missing.body);
    assert_eq!(s.get("/__casebook/live.js").status, 200);
    drop(s);

    // Serving writes nothing into the library; a build holds no reload script.
    assert!(!lib.site().exists(), "serve leaves the build dir alone");
    lib.build_clean();
    for f in lib.site_files().iter().filter(|f| f.ends_with(".html")) {
        assert!(!lib.read(f).contains("__casebook"), "{f} holds no live-reload script");
    }
}

#[test]
fn traversal_in_any_spelling_is_refused() {
    let lib = small_lib();
    std::fs::write(lib.path().join("secret.txt"), "secret").expect("write");
    let s = Served::start(&lib, &[]);
    for path in [
        "/../secret.txt",
        "/incidents/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/index.html%00",
        "//etc/passwd",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(!r.body.contains("secret"), "{path}");
    }
}

#[test]
fn the_site_url_prefix_is_honoured() {
    let lib = small_lib();
    lib.write("book.toml", "[book]\ntitle = \"Served\"\n[output.html]\nsite-url = \"/docs/\"\n");
    let s = Served::start(&lib, &[]);
    assert!(s.url.ends_with("/docs/"), "{}", s.url);
    assert_eq!(s.get("/docs/").status, 200);
    assert!(s.get("/docs/incidents/dns/").body.contains("DNS went away"));
    assert_eq!(s.get("/").header("location").as_deref(), Some("/docs/"));
    assert_eq!(s.get("/docs").header("location").as_deref(), Some("/docs/"));
    assert_eq!(s.get("/incidents/dns/").status, 404, "pages live under the prefix only");
}

#[test]
fn an_edit_is_served_and_a_broken_edit_keeps_the_old_pages_until_fixed() {
    let lib = small_lib();
    let mut s = Served::start(&lib, &[]);
    assert!(s.get("/incidents/dns/").body.contains("DNS went away"));

    lib.write("content/incidents/dns.md", &incident("DNS came back", "SEV1"));
    s.wait_for("/incidents/dns/", "the new title", |r| r.body.contains("DNS came back"));
    s.wait_for("/incidents/", "the new title in the list", |r| r.body.contains("DNS came back"));

    lib.write("content/incidents/dns.md", &incident("Broken now", "SEV9"));
    let line = s.wait_stderr("error: unknown severity `SEV9`");
    assert!(line.starts_with("content/incidents/dns.md:4:11: error: "), "{line}");
    s.wait_stderr("still serving the last good site");
    let old = s.get("/incidents/dns/");
    assert_eq!(old.status, 200);
    assert!(old.body.contains("DNS came back") && !old.body.contains("Broken now"), "the last good page stays up");

    lib.write("content/incidents/dns.md", &incident("Fixed again", "SEV2"));
    s.wait_for("/incidents/dns/", "the fix", |r| r.body.contains("Fixed again"));
}

/// Opens the live-reload stream; the function returns the data of its next event (each read
/// waits at most 20 s).
fn events(addr: &str) -> impl FnMut() -> serde_json::Value {
    let mut events = TcpStream::connect(addr).expect("connect");
    events.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(events, "GET /__casebook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut reader = BufReader::new(events);
    move || loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("read event") > 0, "stream closed");
        if let Some(d) = line.strip_prefix("data: ") {
            return serde_json::from_str::<serde_json::Value>(d).expect("json");
        }
    }
}

#[test]
fn the_event_stream_reports_each_build() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let mut next_data = events(&s.addr);
    assert_eq!(next_data()["generation"], 1);
    lib.write("content/incidents/db.md", &incident("Edited", "SEV2"));
    let next = next_data();
    assert_eq!(next["generation"], 2, "{next}");
    lib.write("content/incidents/db.md", &incident("Edited", "<b>SEV9</b>"));
    let failed = next_data();
    assert_eq!(failed["generation"], 2, "a failed build swaps nothing in");
    let headline = failed["errors"][0]["headline"].as_str().expect("headline");
    assert!(headline.contains("unknown severity `<b>SEV9</b>`"), "{headline}");
}

#[test]
fn a_burst_of_concurrent_requests_is_answered_while_clients_stall() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    // Clients that connect and never finish a request, or never read the reply.
    let mut stalled: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(&s.addr).expect("connect")).collect();
    for t in &mut stalled[..2] {
        t.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").expect("half a request");
    }
    let started = Instant::now();
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let addr = s.addr.clone();
            std::thread::spawn(move || {
                let paths = ["/", "/incidents/", "/incidents/dns/", "/style.css", "/api/incidents.json"];
                (0..8).map(|j| get(&addr, paths[(i + j) % paths.len()]).status).collect::<Vec<u16>>()
            })
        })
        .collect();
    let codes: Vec<u16> = threads.into_iter().flat_map(|t| t.join().expect("client thread")).collect();
    assert_eq!(codes.len(), 128);
    assert!(codes.iter().all(|&c| c == 200), "{codes:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "answered in {:?}", started.elapsed());
    drop(stalled);
}

#[test]
fn a_port_in_use_exits_1_with_a_clear_message() {
    let lib = small_lib();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let run = lib.run_with_timeout(&["serve", ".", "--port", &port], Duration::from_secs(60));
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!("error: cannot serve on 127.0.0.1:{port}: the port is in use")),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly_and_leaves_nothing_behind() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    assert_eq!(s.get("/").status, 200);
    assert_eq!(s.interrupt(), 0);
    let left: Vec<String> =
        lib.all_files().into_iter().filter(|f| f.contains("staging") || f.starts_with("site/")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn polling_also_sees_edits() {
    let lib = small_lib();
    let s = Served::start(&lib, &["--poll"]);
    // notify's polling watcher compares modification times in whole seconds.
    std::thread::sleep(Duration::from_millis(1100));
    lib.write("content/incidents/db.md", &incident("Seen by polling", "SEV2"));
    s.wait_for("/incidents/db/", "the edit", |r| r.body.contains("Seen by polling"));
}

/// `d` and `e` read alike; `a`, `f` and the others are unlike anything. An edit gives `a`
/// three words of `f` (they now list each other) and one word of `d` and `e`, whose score
/// moves although neither lists `a`.
pub(crate) fn lookalikes() -> Lib {
    let incident = |title: &str, date: &str, body: &str| format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n");
    Lib::new(&[
        (
            "content/incidents/a.md",
            &incident(
                "Disk filled on the build host",
                "2024-01-10",
                "The build host ran out of disk after logs grew without rotation.",
            ),
        ),
        (
            "content/incidents/d.md",
            &incident(
                "Zebra quokka narwhal queue stalled",
                "2024-01-03",
                "The zebra quokka narwhal consumer stalled and the queue backed up.",
            ),
        ),
        (
            "content/incidents/e.md",
            &incident(
                "Zebra quokka narwhal stalled again",
                "2024-01-20",
                "Once more the zebra quokka narwhal consumer stalled under load.",
            ),
        ),
        (
            "content/incidents/f.md",
            &incident(
                "Kestrel wombat cache eviction",
                "2024-01-05",
                "The kestrel wombat cache evicted hot keys during a deploy.",
            ),
        ),
        (
            "content/incidents/g.md",
            &incident("Certificate expired on the edge proxy", "2024-01-01", "Nobody renewed the certificate in time."),
        ),
    ])
}

/// The edit of [`lookalikes`]'s `a`.
pub(crate) fn edit_lookalike(lib: &Lib) {
    let a = std::fs::read_to_string(lib.path().join("content/incidents/a.md")).expect("read");
    let edited = a.replace(
        "without rotation.",
        "without rotation. A kestrel wombat cache sidecar and one zebra feeder were involved too.",
    );
    assert_ne!(a, edited);
    lib.write("content/incidents/a.md", &edited);
}

#[test]
fn an_edit_that_moves_other_similar_lists_sends_a_second_event_naming_their_pages() {
    let lib = lookalikes();
    let mut s = Served::start(&lib, &[]);
    let mut next_data = events(&s.addr);
    assert_eq!(next_data()["generation"], 1);
    let page = s.get("/incidents/d/");
    assert!(page.body.contains("data-page=\"incidents/d/index.html\""), "a page says which it is");
    edit_lookalike(&lib);
    let first = next_data();
    assert_eq!(first["generation"], 2, "{first}");
    let named: Vec<&str> = first["pages"].as_array().expect("named pages").iter().filter_map(|p| p.as_str()).collect();
    assert!(named.contains(&"incidents/a/index.html") && named.contains(&"incidents/f/index.html"), "{named:?}");
    assert!(!named.contains(&"incidents/d/index.html"), "the moved pages come second: {named:?}");
    let second = next_data();
    assert_eq!(second["generation"], 3, "{second}");
    assert_eq!(second["pages"], serde_json::json!(["incidents/d/index.html", "incidents/e/index.html"]));
    s.wait_stderr("then 2 incidents whose similar incidents or recurring problem moved");
}
