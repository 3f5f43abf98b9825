//! `casebook serve` against foreign and unruly clients, over plain sockets on 127.0.0.1: the
//! `Host` allowlist, the whole-head deadline, head size limits, the caps on connections and on
//! live-reload streams, ETags and 304, the `Date` header, and an ordinary request answered in
//! time while dozens of clients trickle their heads. Every wait and every count is bounded.

use crate::serve::{incident, small_lib, Reply, Served};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Sends `head` exactly as given and reads the whole reply (bounded by `wait`); `None` when the
/// server closed without a reply or did not answer in time.
fn exchange(addr: &str, head: &[u8], wait: Duration) -> Option<Reply> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(wait)).ok()?;
    s.write_all(head).ok()?;
    let mut raw = Vec::new();
    // A reset after a complete reply still leaves the reply read.
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let text = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Reply { status, headers: head.to_string(), body: body.to_string() })
}

/// A GET with these extra header lines (each ending in `\r\n`).
fn get_with(addr: &str, path: &str, headers: &str) -> Reply {
    let head = format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    exchange(addr, head.as_bytes(), Duration::from_secs(20)).unwrap_or_else(|| panic!("no reply to {path}"))
}

fn host(addr: &str, name: &str) -> String {
    let port = addr.rsplit(':').next().expect("port");
    format!("Host: {name}:{port}\r\n")
}

#[test]
fn only_local_and_allowed_hosts_are_answered_and_others_get_403_naming_allow_host() {
    let lib = small_lib();
    let s = Served::start(&lib, &["--allow-host", "docs.internal", "--allow-host", "Proxy.Example"]);
    for name in ["localhost", "127.0.0.1", "[::1]", "docs.internal", "proxy.example", "LOCALHOST"] {
        let r = get_with(&s.addr, "/", &host(&s.addr, name));
        assert_eq!(r.status, 200, "{name}: {}", r.body);
    }
    assert_eq!(get_with(&s.addr, "/", "Host: localhost\r\n").status, 200, "no port");
    let rebind = get_with(&s.addr, "/", &host(&s.addr, "rebind.attacker.example"));
    assert_eq!(rebind.status, 403);
    assert!(rebind.body.contains("DNS rebinding"), "{}", rebind.body);
    assert!(rebind.body.contains("`--allow-host rebind.attacker.example`"), "{}", rebind.body);
    assert!(!rebind.body.contains("<html"), "no page of the site: {}", rebind.body);
    for name in ["10.0.0.5", "[fe80::1]", "docs.internal.attacker.example", "localhost.attacker.example"] {
        assert_eq!(get_with(&s.addr, "/", &host(&s.addr, name)).status, 403, "{name}: only names chosen are answered");
    }
    let none = exchange(&s.addr, b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(20)).expect("a reply");
    assert_eq!(none.status, 403, "no Host at all");
    assert!(none.body.contains("--allow-host"), "{}", none.body);
    let foreign = host(&s.addr, "rebind.attacker.example");
    for path in ["/api/incidents.json", "/__casebook/events", "/__casebook/live.js", "/../secret"] {
        assert_eq!(get_with(&s.addr, path, &foreign).status, 403, "{path}");
    }
    let two = exchange(&s.addr, b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil\r\n\r\n", Duration::from_secs(20));
    assert_eq!(two.expect("a reply").status, 400, "two Host headers");
}

#[test]
fn a_bad_allow_host_stops_serve_with_a_clear_error() {
    let lib = small_lib();
    let run =
        lib.run_with_timeout(&["serve", ".", "--port", "0", "--allow-host", "http://x/"], Duration::from_secs(60));
    run.assert_code(1);
    assert!(run.stderr.contains("error: `--allow-host http://x/` is not a host name"), "{}", run.stderr);
}

#[test]
fn a_head_trickled_a_byte_a_second_is_cut_off_after_5_s_in_all() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let mut slow = TcpStream::connect(&s.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(900))).expect("timeout");
    let started = Instant::now();
    slow.write_all(format!("GET / HTTP/1.1\r\n{}", host(&s.addr, "localhost")).as_bytes()).expect("send");
    let mut raw = Vec::new();
    // Each byte comes well within any per-read timeout; only a deadline for the whole head ends it.
    while started.elapsed() < Duration::from_secs(9) {
        if slow.write_all(b"X").is_err() {
            break;
        }
        let mut buf = [0u8; 512];
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let took = started.elapsed();
    assert!(took > Duration::from_millis(4500) && took < Duration::from_millis(7000), "cut off after {took:?}");
    let _ = slow.read_to_end(&mut raw);
    assert_eq!(parse(&raw).map(|r| r.status), Some(408), "{}", String::from_utf8_lossy(&raw));
}

#[test]
fn heads_over_16_kib_or_100_lines_get_431_and_heads_at_the_limits_are_served() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let lines = |n: usize| (0..n).map(|i| format!("X-{i}: v\r\n")).collect::<String>();
    // With the Host line and the `Connection: close` that `get_with` adds.
    let at_limit = lines(98) + &host(&s.addr, "localhost");
    assert_eq!(get_with(&s.addr, "/", &at_limit).status, 200, "100 header lines");
    let over = lines(99) + &host(&s.addr, "localhost");
    let r = get_with(&s.addr, "/", &over);
    assert_eq!(r.status, 431, "101 header lines: {}", r.body);
    let big = format!("{}X-Big: {}\r\n", host(&s.addr, "localhost"), "a".repeat(16 * 1024));
    assert_eq!(get_with(&s.addr, "/", &big).status, 431, "a 16 KiB header");
    let filler = format!("{}X-Big: {}\r\n", host(&s.addr, "localhost"), "a".repeat(15 * 1024));
    assert_eq!(get_with(&s.addr, "/", &filler).status, 200, "a 15 KiB head");
}

#[test]
fn past_256_open_connections_new_ones_get_503_until_some_close() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let idle: Vec<TcpStream> = (0..256).map(|_| TcpStream::connect(&s.addr).expect("connect")).collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let refused = get_with(&s.addr, "/", &host(&s.addr, "localhost"));
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after").as_deref(), Some("1"));
    assert!(started.elapsed() < Duration::from_secs(2), "refused at once, not after a wait");
    drop(idle);
    // Their threads see the close at once and give their places back.
    s.wait_for("/", "a place free again", |r| r.status == 200);
}

/// Opens an event stream and reads up to its first event; the status line's code.
fn open_stream(addr: &str) -> (u16, BufReader<TcpStream>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(s, "GET /__casebook/events HTTP/1.1\r\n{}\r\n", host(addr, "localhost")).expect("send");
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).expect("status line");
    let code = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    if code == 200 {
        while !line.starts_with("data: ") {
            line.clear();
            assert!(r.read_line(&mut line).expect("event") > 0, "stream closed before its first event");
        }
    }
    (code, r)
}

#[test]
fn past_64_live_reload_streams_a_new_one_gets_503_and_a_closed_one_frees_its_place() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let mut streams: Vec<BufReader<TcpStream>> = (0..64)
        .map(|i| {
            let (code, r) = open_stream(&s.addr);
            assert_eq!(code, 200, "stream {i}");
            r
        })
        .collect();
    assert_eq!(open_stream(&s.addr).0, 503, "the 65th stream");
    assert_eq!(s.get("/").status, 200, "pages are still served");
    drop(streams.pop());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (code, r) = open_stream(&s.addr);
        if code == 200 {
            streams.push(r);
            break;
        }
        assert!(Instant::now() < deadline, "a closed stream never gave its place back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn etags_cover_the_bytes_served_and_an_unchanged_file_is_answered_304() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let json = s.get("/api/incidents.json");
    let tag = json.header("etag").expect("an ETag");
    assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() > 8, "{tag}");
    assert_eq!(s.get("/api/incidents.json").header("etag").as_ref(), Some(&tag), "stable while unchanged");
    let again =
        get_with(&s.addr, "/api/incidents.json", &format!("{}If-None-Match: {tag}\r\n", host(&s.addr, "localhost")));
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty() && again.header("content-length").is_none(), "{again:?}");
    assert_eq!(again.header("etag").as_ref(), Some(&tag));
    let weak = format!("{}If-None-Match: \"other\", W/{tag}\r\n", host(&s.addr, "localhost"));
    assert_eq!(get_with(&s.addr, "/api/incidents.json", &weak).status, 304, "a list, and a weak tag");
    let stale = format!("{}If-None-Match: \"other\"\r\n", host(&s.addr, "localhost"));
    assert_eq!(get_with(&s.addr, "/api/incidents.json", &stale).status, 200);
    assert_ne!(s.get("/style.css").header("etag").as_ref(), Some(&tag), "another file, another tag");
    assert!(s.get("/nothing/").header("etag").is_none(), "a 404 has none");

    let page = s.get("/incidents/dns/");
    let (first, body) = (page.header("etag").expect("a page's ETag"), page.body);
    assert!(body.contains("data-generation=\"1\""), "the injected script is part of the page");
    let if_first = format!("{}If-None-Match: {first}\r\n", host(&s.addr, "localhost"));
    assert_eq!(get_with(&s.addr, "/incidents/dns/", &if_first).status, 304);

    // A new file leaves this page's own bytes alone but not the script injected into it (a new
    // generation): a 304 now would keep an open page at an old generation.
    lib.write("content/static/new.txt", "new");
    s.wait_for("/new.txt", "the new file", |r| r.status == 200);
    let second = get_with(&s.addr, "/incidents/dns/", &if_first);
    assert_eq!(second.status, 200, "the script changed, so the page did");
    let second_tag = second.header("etag").expect("ETag");
    assert_ne!(second_tag, first);
    assert!(second.body.contains("data-generation=\"2\""), "{}", second.body);
    assert_eq!(without_script(&second.body), without_script(&body), "only the script differs");

    lib.write("content/incidents/dns.md", &incident("DNS edited", "SEV1"));
    let third = s.wait_for("/incidents/dns/", "the edit", |r| r.body.contains("DNS edited"));
    let third_tag = third.header("etag").expect("ETag");
    assert!(third_tag != second_tag && third_tag != first, "the page changed");
}

/// A served page without the live-reload script tag.
fn without_script(page: &str) -> String {
    let at = page.find("<script src=\"/__casebook/live.js\"").expect("the script tag");
    let end = at + page[at..].find("</script>").expect("its end") + "</script>".len();
    format!("{}{}", &page[..at], &page[end..])
}

#[test]
fn every_kind_of_response_carries_a_date() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let local = host(&s.addr, "localhost");
    let replies = [
        s.get("/"),
        s.get("/incidents/dns"),
        s.get("/nothing/"),
        s.get("/%2e%2e/x"),
        get_with(&s.addr, "/", "Host: rebind.attacker.example\r\n"),
        get_with(&s.addr, "/", &format!("{local}If-None-Match: *\r\n")),
        exchange(&s.addr, format!("POST / HTTP/1.1\r\n{local}\r\n").as_bytes(), Duration::from_secs(20)).expect("405"),
    ];
    let codes: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(codes, [200, 302, 404, 400, 403, 304, 405]);
    for r in &replies {
        let date = r.header("date").unwrap_or_else(|| panic!("{} without a Date", r.status));
        let when = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(&date).expect("an HTTP date");
        let off = jiff::Timestamp::now().duration_since(when);
        assert!(date.ends_with(" GMT") && off < jiff::SignedDuration::from_secs(60), "{date}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_library_is_not_served() {
    let lib = small_lib();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "the secret").expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), lib.path().join("content/static/leak.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), lib.path().join("content/static/out")).expect("symlink");
    let s = Served::start(&lib, &[]);
    for path in ["/leak.txt", "/out/secret.txt"] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("the secret"), "{path}");
    }
}

/// Sends a request head a byte a second until told to stop or cut off; returns when it ends.
fn trickle(addr: &str, stop: &AtomicBool) {
    let Ok(mut s) = TcpStream::connect(addr) else { return };
    let head = format!("GET / HTTP/1.1\r\n{}X-Slow: {}", host(addr, "localhost"), "a".repeat(64));
    for b in head.bytes() {
        if stop.load(Ordering::Relaxed) || s.write_all(&[b]).is_err() {
            return;
        }
        for _ in 0..10 {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn an_ordinary_request_is_answered_within_2_s_while_48_clients_trickle_and_300_connect() {
    let lib = small_lib();
    let s = Served::start(&lib, &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let tricklers: Vec<_> = (0..48)
        .map(|_| {
            let (addr, stop) = (s.addr.clone(), stop.clone());
            std::thread::spawn(move || trickle(&addr, &stop))
        })
        .collect();
    // All 48 are mid-head before the others come (they have 5 s in all).
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    // 300 connections, 20 at a time; a client that waits 3 s gives up, so a run without the
    // fix ends in seconds too.
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let addr = s.addr.clone();
            std::thread::spawn(move || {
                let paths = ["/", "/incidents/", "/incidents/dns/", "/style.css", "/api/incidents.json"];
                let mut times = Vec::new();
                for j in 0..15 {
                    let t = Instant::now();
                    let head =
                        format!("GET {} HTTP/1.1\r\n{}\r\n", paths[(i + j) % paths.len()], host(&addr, "localhost"));
                    match exchange(&addr, head.as_bytes(), Duration::from_secs(3)) {
                        Some(r) if r.status == 200 => times.push(t.elapsed()),
                        _ => break,
                    }
                }
                times
            })
        })
        .collect();
    let ordinary_at = Instant::now();
    let ordinary = exchange(
        &s.addr,
        format!("GET /incidents/db/ HTTP/1.1\r\n{}\r\n", host(&s.addr, "localhost")).as_bytes(),
        Duration::from_secs(3),
    );
    let ordinary_took = ordinary_at.elapsed();
    let mut times: Vec<Duration> = clients.into_iter().flat_map(|c| c.join().expect("client")).collect();
    let burst = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for t in tricklers {
        t.join().expect("trickler");
    }
    times.sort();
    let (median, slowest) = (times.get(times.len() / 2).copied(), times.last().copied());
    eprintln!(
        "48 trickling, 300 connecting: ordinary request {ordinary_took:?}; {} of 300 answered, median {median:?}, slowest {slowest:?}, all in {burst:?}",
        times.len()
    );
    assert_eq!(ordinary.map(|r| r.status), Some(200), "the ordinary request, after {ordinary_took:?}");
    assert!(ordinary_took < Duration::from_secs(2), "the ordinary request took {ordinary_took:?}");
    assert_eq!(times.len(), 300, "every connection answered 200");
    assert!(slowest < Some(Duration::from_secs(2)), "the slowest took {slowest:?}");
}
