//! The HTTP side: one thread accepts connections and gives each its own short-lived thread,
//! which reads the request head (bounded in size and, as a whole, in time) and answers from the
//! in-memory site with content types, `index.html` for folders, the site's own 404 page, the
//! `site-url` prefix, ETags, and the live-reload script injected into HTML. A slow or stalled
//! client therefore holds only its own thread, and at most [`MAX_CONNECTIONS`] are open at once
//! (more are answered 503). Only the hosts in [`Hosts`] are answered (docs/serve.md).
//! Server-Sent Event connections are handed to the [`Hub`], so open pages hold no thread.
//!
//! (tiny_http was tried first: under load, its connection pool can queue new connections
//! behind ones whose clients never finish a request, with no timeout to free them, so a few
//! stalled clients stopped the whole server; the stalled-clients test in
//! tests/testsuite/serve.rs caught it. A fixed pool of our own had the same weakness while the
//! pool's threads also read the request heads: 16 clients sending a byte every few seconds held
//! all of it.)

use super::events::Hub;
use super::hosts::Hosts;
use super::page::{self, EVENTS, SCRIPT};
use super::resolve::{resolve, Route};
use super::slot::{Slot, MAX_CONNECTIONS};
use super::store::{Files, Live, ServedState};
use super::wire::{self, Bad, Request, Response};
use anyhow::{anyhow, Result};
use std::io::Read;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a write to a client may block before that client is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection's thread only reads a head and copies bytes out; the default 2 MiB of stack
/// (reserved, if not touched) times 256 would be 512 MiB of address space for nothing.
const CONNECTION_STACK: usize = 256 * 1024;

const LIVE_JS: &str = include_str!("live.js");

/// Shared by every connection.
pub(crate) struct Shared {
    /// The site and build status.
    pub(crate) live: Arc<Live>,
    /// The `site-url` prefix, `/`-terminated.
    pub(crate) prefix: String,
    /// Open event streams.
    pub(crate) hub: Arc<Hub>,
    /// Set on Ctrl-C.
    pub(crate) stop: Arc<AtomicBool>,
    /// The `Host` headers answered.
    pub(crate) hosts: Hosts,
}

/// Binds the socket; a port in use is an error that says so.
pub(crate) fn bind(host: &str, port: u16) -> Result<(TcpListener, u16)> {
    let listener = TcpListener::bind((host, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            anyhow!("cannot serve on {host}:{port}: the port is in use (stop the other server, or pick another with `--port`, or `--port 0` for any free one)")
        }
        _ => anyhow!("cannot serve on {host}:{port}: {e}"),
    })?;
    let port = listener.local_addr().map_err(|e| anyhow!("cannot read the bound address: {e}"))?.port();
    Ok((listener, port))
}

/// Starts the accept thread; it returns once `stop` is set (connections still open finish on
/// their own, within their deadlines).
pub(crate) fn spawn(listener: TcpListener, shared: Arc<Shared>) -> Vec<JoinHandle<()>> {
    vec![std::thread::spawn(move || accept(&listener, &shared))]
}

/// Accepts connections until `stop` (set it, then connect once to wake this thread).
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    let open = Arc::new(AtomicUsize::new(0));
    while !shared.stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) if shared.stop.load(Ordering::Relaxed) => drop(stream),
            Ok((stream, _)) => match Slot::take(&open) {
                Some(slot) => {
                    let shared = shared.clone();
                    let thread =
                        std::thread::Builder::new().name("serve-connection".into()).stack_size(CONNECTION_STACK);
                    // Out of threads: the connection is closed unanswered (its slot given back).
                    let _ = thread.spawn(move || connection(stream, slot, &shared));
                }
                None => refuse(stream),
            },
            // Out of file descriptors, a connection reset before it was accepted, ...: go on.
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Answers a connection past the cap with 503 and closes it, from the accept thread, without
/// waiting on the client: whatever it has sent is read first, since closing a socket with
/// unread bytes resets it and the client could lose the answer.
fn refuse(mut stream: TcpStream) {
    if stream.set_nonblocking(true).is_ok() {
        let _ = stream.read(&mut [0u8; 4096]);
    }
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let body = format!("busy: {MAX_CONNECTIONS} connections are open; try again\n");
    let headers = vec![("Retry-After", "1".into()), ("Content-Type", "text/plain; charset=utf-8".into())];
    let _ = wire::write_response(&mut stream, &Response { code: 503, headers, body: body.as_bytes() }, false);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Wakes the accept thread after `stop` was set, by connecting to `host:port` (the loopback
/// address of its family when `host` is unspecified, `0.0.0.0` or `::`).
pub(crate) fn wake(host: &str, port: u16) {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() && ip.is_ipv4() => vec![(Ipv4Addr::LOCALHOST, port).into()],
        Ok(ip) if ip.is_unspecified() => vec![(Ipv6Addr::LOCALHOST, port).into()],
        _ => (host, port).to_socket_addrs().map(Iterator::collect).unwrap_or_default(),
    };
    for addr in addrs {
        if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
            return;
        }
    }
}

/// One connection, on its own thread: read the head within its deadline, then answer.
fn connection(mut stream: TcpStream, slot: Slot, shared: &Shared) {
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let refusal = match wire::read_request(&mut stream, Instant::now() + wire::HEAD_DEADLINE) {
        Ok(rq) if !shared.hosts.allows(rq.host.as_deref()) => (403, foreign_host(rq.host.as_deref())),
        Ok(rq) if rq.method != "GET" && rq.method != "HEAD" => (405, "method not allowed (GET or HEAD)\n".into()),
        Ok(rq) => return route(stream, slot, &rq, shared),
        Err(Bad::Gone) => return,
        Err(Bad::Slow) => (408, "the request head took over 5 s to arrive\n".into()),
        Err(Bad::Malformed) => (400, "bad request\n".into()),
        Err(Bad::TooLarge) => (431, "the request head is over 16 KiB or 100 header lines\n".into()),
    };
    let (code, why) = refusal;
    let mut headers = vec![("Content-Type", "text/plain; charset=utf-8".into())];
    if code == 405 {
        headers.push(("Allow", "GET, HEAD".into()));
    }
    if wire::write_response(&mut stream, &Response { code, headers, body: why.as_bytes() }, false).is_ok() {
        close_after_reading_the_rest(&mut stream);
    }
}

/// Closes a connection whose request was refused, first reading (for a moment, and a bounded
/// amount) what the client still sends: closing with unread bytes resets the connection, and a
/// client still sending could lose the answer that says what went wrong.
fn close_after_reading_the_rest(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_millis(250);
    let mut buf = [0u8; 4096];
    for _ in 0..64 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        if !matches!(stream.read(&mut buf), Ok(n) if n > 0) {
            return;
        }
    }
}

/// Answers a request from an allowed host: the event stream, the live-reload script, or the site.
fn route(mut stream: TcpStream, slot: Slot, rq: &Request, shared: &Shared) {
    let head_only = rq.method == "HEAD";
    let path = rq.target.split('?').next().unwrap_or("");
    if path == EVENTS && !head_only {
        shared.hub.add(stream, slot, &shared.live.status());
        return;
    }
    if path == SCRIPT {
        let _ = send_file(&mut stream, rq, "live.js", LIVE_JS.as_bytes(), head_only);
        return;
    }
    answer(&mut stream, rq, shared, head_only);
}

/// Why a request for another host is refused, naming the way to allow it.
fn foreign_host(host: Option<&str>) -> String {
    let why = "(this keeps a web page from reading the site through DNS rebinding)";
    match host.filter(|h| h.len() <= 255 && h.bytes().all(|b| b.is_ascii_graphic())) {
        Some(h) => {
            let name = match h.find(']') {
                Some(end) if h.starts_with('[') => &h[..=end],
                _ => h.split(':').next().unwrap_or(h),
            };
            format!(
                "casebook serve does not answer requests for the host `{h}` {why}; if that name is yours \
                 (a proxy or a container), start it with `--allow-host {name}`\n"
            )
        }
        None => format!(
            "casebook serve answers only requests that name their host {why}; send a `Host` header, \
             or name the host with `--allow-host`\n"
        ),
    }
}

fn answer(stream: &mut TcpStream, rq: &Request, shared: &Shared, head_only: bool) {
    // The status first: a page then never claims a newer generation than its content.
    let status = shared.live.status();
    let files = shared.live.files();
    let path = rq.target.split('?').next().unwrap_or("");
    let reply = match resolve(&rq.target, &shared.prefix) {
        Route::File(key) => match files.get(&key) {
            Some(bytes) => Reply::File { key, bytes: bytes.clone(), code: 200 },
            None if !key.ends_with(".html") && files.contains_key(&format!("{key}/index.html")) => {
                Reply::Redirect(format!("{path}/"))
            }
            None => not_found(&files),
        },
        Route::Redirect(to) => Reply::Redirect(to),
        Route::Outside if path == "/" => Reply::Redirect(shared.prefix.clone()),
        Route::Outside => not_found(&files),
        Route::Refused => Reply::Text(400, "bad request: the path leaves the site or is malformed\n"),
    };
    let _ = respond(stream, rq, reply, &status, &files, head_only);
}

enum Reply {
    File { key: String, bytes: Arc<[u8]>, code: u16 },
    Redirect(String),
    Text(u16, &'static str),
}

fn not_found(files: &Files) -> Reply {
    match files.get("404.html") {
        Some(bytes) => Reply::File { key: "404.html".into(), bytes: bytes.clone(), code: 404 },
        None => Reply::Text(404, "not found\n"),
    }
}

fn text(w: &mut TcpStream, code: u16, body: &str, head_only: bool) -> std::io::Result<()> {
    let headers = vec![("Content-Type", "text/plain; charset=utf-8".into())];
    wire::write_response(w, &Response { code, headers, body: body.as_bytes() }, head_only)
}

fn respond(
    w: &mut TcpStream,
    rq: &Request,
    reply: Reply,
    status: &ServedState,
    files: &Files,
    head_only: bool,
) -> std::io::Result<()> {
    match reply {
        Reply::File { key, bytes, code } => {
            let injected;
            let body: &[u8] = if content_type(&key).starts_with("text/html") {
                // A page sent in place of one that is not there names no path of its own.
                let own = (code == 200).then_some(key.as_str());
                injected = page::inject(&bytes, status.generation, own, files.get("404.html").map(|b| &b[..]));
                &injected
            } else {
                &bytes
            };
            if code == 200 {
                return send_file(w, rq, &key, body, head_only);
            }
            let headers = vec![("Content-Type", content_type(&key).to_string()), ("Cache-Control", "no-cache".into())];
            wire::write_response(w, &Response { code, headers, body }, head_only)
        }
        Reply::Redirect(to) => {
            wire::write_response(w, &Response { code: 302, headers: vec![("Location", to)], body: b"" }, head_only)
        }
        Reply::Text(code, body) => text(w, code, body, head_only),
    }
}

/// Sends a file found at `key` as `body` (the bytes that go out, live-reload script included),
/// with its ETag; a request that already holds that ETag gets 304 and no body. `no-cache` has
/// the browser ask every time, so an edit shows at once, and the ETag makes the asking cheap.
fn send_file(w: &mut TcpStream, rq: &Request, key: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let etag = wire::etag(body);
    let code = if rq.if_none_match.as_deref().is_some_and(|tags| wire::none_match(tags, &etag)) { 304 } else { 200 };
    let headers =
        vec![("Content-Type", content_type(key).to_string()), ("Cache-Control", "no-cache".into()), ("ETag", etag)];
    wire::write_response(w, &Response { code, headers, body }, head_only)
}

/// The content type of a site path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("api/incidents.json"), "application/json");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("img/Chart.SVG"), "image/svg+xml");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
