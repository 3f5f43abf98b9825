//! The HTTP side: one thread accepts connections and hands them to a fixed pool of workers,
//! which answer from the in-memory site with content types, `index.html` for folders, the
//! site's own 404 page, the `site-url` prefix, and the live-reload script injected into HTML.
//! Every socket has read and write timeouts, so a client that stalls holds one worker for a few
//! seconds at most. Server-Sent Event connections are handed to one [`Hub`] thread, so open
//! pages never hold a worker.
//!
//! (tiny_http was tried first: under load, its connection pool can queue new connections
//! behind ones whose clients never finish a request, with no timeout to free them, so a few
//! stalled clients stopped the whole server; the concurrency test caught it.)

use super::page;
use super::resolve::{resolve, Route};
use super::store::{Files, Live, Status};
use super::wire::{self, Bad, Response};
use anyhow::{anyhow, Result};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where the browser listens for build events; no site path can start with `__casebook/`,
/// since it sits outside the site's own sections and is answered before any file.
pub(crate) const EVENTS: &str = "/__casebook/events";
/// Where the live-reload script is served.
pub(crate) const SCRIPT: &str = "/__casebook/live.js";
/// How many threads answer requests.
pub(crate) const WORKERS: usize = 16;
/// How many accepted connections may wait for a worker before new ones get a 503.
const BACKLOG: usize = 512;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write to a client may block before that client is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often open event streams get a keep-alive comment (dead ones are found this way).
const HEARTBEAT: Duration = Duration::from_secs(15);

const LIVE_JS: &str = include_str!("live.js");

/// Shared by every worker.
pub(crate) struct Shared {
    /// The site and build status.
    pub(crate) live: Arc<Live>,
    /// The `site-url` prefix, `/`-terminated.
    pub(crate) prefix: String,
    /// Open event streams.
    pub(crate) hub: Arc<Hub>,
    /// Set on Ctrl-C.
    pub(crate) stop: Arc<AtomicBool>,
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

/// Starts the accept thread and the workers; they return once `stop` is set.
pub(crate) fn spawn(listener: TcpListener, shared: Arc<Shared>) -> Vec<JoinHandle<()>> {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(BACKLOG);
    let rx = Arc::new(Mutex::new(rx));
    let mut threads: Vec<JoinHandle<()>> = (0..WORKERS)
        .map(|_| {
            let (rx, shared) = (rx.clone(), shared.clone());
            std::thread::spawn(move || work(&rx, &shared))
        })
        .collect();
    let stop = shared.stop.clone();
    threads.push(std::thread::spawn(move || accept(&listener, &tx, &stop)));
    threads
}

/// Accepts connections until `stop` (set it, then connect once to wake this thread).
fn accept(listener: &TcpListener, tx: &SyncSender<TcpStream>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let ready = stream.set_read_timeout(Some(READ_TIMEOUT)).is_ok()
                    && stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_ok();
                let _ = stream.set_nodelay(true);
                if !ready || stop.load(Ordering::Relaxed) {
                    continue;
                }
                if let Err(TrySendError::Full(mut s)) = tx.try_send(stream) {
                    let busy = Response { code: 503, headers: vec![("Retry-After", "1".into())], body: b"busy\n" };
                    let _ = wire::write_response(&mut s, &busy, false);
                }
            }
            // Out of file descriptors, a connection reset before it was accepted, ...: go on.
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
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

fn work(rx: &Mutex<Receiver<TcpStream>>, shared: &Shared) {
    while !shared.stop.load(Ordering::Relaxed) {
        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv_timeout(Duration::from_millis(200));
        match next {
            Ok(stream) => answer(stream, shared),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn answer(mut stream: TcpStream, shared: &Shared) {
    let rq = match wire::read_request(&mut stream) {
        Ok(rq) => rq,
        Err(Bad::Gone) => return,
        Err(Bad::Malformed) => {
            let _ = text(&mut stream, 400, "bad request\n", false);
            return;
        }
    };
    let head_only = rq.method == "HEAD";
    if rq.method != "GET" && !head_only {
        let resp = Response { code: 405, headers: vec![("Allow", "GET, HEAD".into())], body: b"method not allowed\n" };
        let _ = wire::write_response(&mut stream, &resp, false);
        return;
    }
    let path = rq.target.split('?').next().unwrap_or("").to_string();
    if path == EVENTS && !head_only {
        shared.hub.add(stream, &shared.live.status());
        return;
    }
    if path == SCRIPT {
        let resp = Response { code: 200, headers: file_headers("live.js"), body: LIVE_JS.as_bytes() };
        let _ = wire::write_response(&mut stream, &resp, head_only);
        return;
    }
    // The status first: a page then never claims a newer generation than its content.
    let status = shared.live.status();
    let files = shared.live.files();
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
    let _ = respond(&mut stream, reply, &status, &files, head_only);
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

fn file_headers(key: &str) -> Vec<(&'static str, String)> {
    vec![("Content-Type", content_type(key).to_string()), ("Cache-Control", "no-cache".into())]
}

fn text(w: &mut TcpStream, code: u16, body: &str, head_only: bool) -> std::io::Result<()> {
    let headers = vec![("Content-Type", "text/plain; charset=utf-8".into())];
    wire::write_response(w, &Response { code, headers, body: body.as_bytes() }, head_only)
}

fn respond(w: &mut TcpStream, reply: Reply, status: &Status, files: &Files, head_only: bool) -> std::io::Result<()> {
    match reply {
        Reply::File { key, bytes, code } => {
            let injected;
            let body: &[u8] = if content_type(&key).starts_with("text/html") {
                injected = page::inject(&bytes, status.generation, files.get("404.html").map(|b| &b[..]));
                &injected
            } else {
                &bytes
            };
            wire::write_response(w, &Response { code, headers: file_headers(&key), body }, head_only)
        }
        Reply::Redirect(to) => {
            wire::write_response(w, &Response { code: 302, headers: vec![("Location", to)], body: b"" }, head_only)
        }
        Reply::Text(code, body) => text(w, code, body, head_only),
    }
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

/// Open Server-Sent Event streams, and the thread that tells them about each build.
#[derive(Default)]
pub(crate) struct Hub {
    streams: Mutex<Vec<TcpStream>>,
}

impl Hub {
    /// Takes over a connection as an event stream, starting with the current status.
    fn add(&self, mut w: TcpStream, status: &Status) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
        let start = format!("{head}retry: 500\n\n{}", status.event());
        if w.write_all(start.as_bytes()).and_then(|()| w.flush()).is_ok() {
            self.streams.lock().unwrap_or_else(PoisonError::into_inner).push(w);
        }
    }

    /// Writes `text` to every stream, dropping those that fail.
    fn broadcast(&self, text: &str) {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams.retain_mut(|w| w.write_all(text.as_bytes()).and_then(|()| w.flush()).is_ok());
    }

    /// Runs until `stop`: each change of build status goes out to every open page.
    pub(crate) fn spawn(self: Arc<Self>, live: Arc<Live>, stop: Arc<AtomicBool>) -> JoinHandle<()> {
        std::thread::spawn(move || {
            let mut seen = live.status();
            let mut beat = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                let now = live.wait_change(&seen, Duration::from_millis(250));
                if now != seen {
                    self.broadcast(&now.event());
                    seen = now;
                } else if beat.elapsed() > HEARTBEAT {
                    self.broadcast(": keep-alive\n\n");
                    beat = Instant::now();
                }
            }
        })
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
