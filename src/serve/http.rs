//! The HTTP side (tiny_http): a pool of worker threads answers requests from the in-memory
//! site, with content types, `index.html` for folders, the site's own 404 page, the `site-url`
//! prefix, and the live-reload script injected into HTML. Server-Sent Event connections are
//! handed to one [`Hub`] thread, so open pages never hold a worker.

use super::resolve::{resolve, Route};
use super::store::{Files, Live, Status};
use anyhow::{anyhow, Result};
use std::io::{Cursor, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Where the browser listens for build events; no site path can start with `__casebook/`,
/// since it sits outside the site's own sections and is answered before any file.
pub(crate) const EVENTS: &str = "/__casebook/events";
/// Where the live-reload script is served.
pub(crate) const SCRIPT: &str = "/__casebook/live.js";
/// How many threads answer requests.
pub(crate) const WORKERS: usize = 8;
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
pub(crate) fn bind(host: &str, port: u16) -> Result<(Server, u16)> {
    let listener = TcpListener::bind((host, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            anyhow!("cannot serve on {host}:{port}: the port is in use (stop the other server, or pick another with `--port`, or `--port 0` for any free one)")
        }
        _ => anyhow!("cannot serve on {host}:{port}: {e}"),
    })?;
    let port = listener.local_addr().map_err(|e| anyhow!("cannot read the bound address: {e}"))?.port();
    write_timeout(&listener);
    let server = Server::from_listener(listener, None).map_err(|e| anyhow!("cannot start the server: {e}"))?;
    Ok((server, port))
}

/// Sockets accepted from the listener inherit its send timeout (Linux and the BSDs copy it), so
/// a client that stops reading cannot hold a worker for longer than [`WRITE_TIMEOUT`].
#[cfg(unix)]
fn write_timeout(listener: &TcpListener) {
    use std::os::fd::AsRawFd;
    let tv = libc::timeval { tv_sec: WRITE_TIMEOUT.as_secs() as libc::time_t, tv_usec: 0 };
    // SAFETY: a valid socket descriptor and a timeval that lives for the call.
    unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        );
    }
}

#[cfg(not(unix))]
fn write_timeout(_listener: &TcpListener) {}

/// Starts the workers; they return once `stop` is set.
pub(crate) fn spawn_workers(server: Arc<Server>, shared: Arc<Shared>) -> Vec<JoinHandle<()>> {
    (0..WORKERS)
        .map(|_| {
            let (server, shared) = (server.clone(), shared.clone());
            std::thread::spawn(move || {
                while !shared.stop.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(rq)) => answer(rq, &shared),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect()
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are ours and ASCII; a failure would be a bug, not user input.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| panic!("bad header {name}"))
}

fn answer(rq: Request, shared: &Shared) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        let r = Response::from_string("method not allowed\n").with_status_code(405);
        let _ = rq.respond(r.with_header(header("Allow", "GET, HEAD")));
        return;
    }
    let path = rq.url().split('?').next().unwrap_or("").to_string();
    if path == EVENTS {
        shared.hub.add(rq, &shared.live.status());
        return;
    }
    if path == SCRIPT {
        let r = Response::from_string(LIVE_JS).with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        let _ = rq.respond(r.with_header(header("Cache-Control", "no-cache")));
        return;
    }
    let files = shared.live.files();
    let status = shared.live.status();
    let reply = match resolve(rq.url(), &shared.prefix) {
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
    let _ = respond(rq, reply, &status);
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

fn respond(rq: Request, reply: Reply, status: &Status) -> std::io::Result<()> {
    match reply {
        Reply::File { key, bytes, code } => {
            let kind = content_type(&key);
            let body: Arc<[u8]> =
                if kind.starts_with("text/html") { Arc::from(inject(&bytes, status.generation)) } else { bytes };
            let len = body.len();
            let headers = vec![header("Content-Type", kind), header("Cache-Control", "no-cache")];
            rq.respond(Response::new(StatusCode(code), headers, Cursor::new(body), Some(len), None))
        }
        Reply::Redirect(to) => rq.respond(Response::empty(302).with_header(header("Location", &to))),
        Reply::Text(code, text) => rq.respond(
            Response::from_string(text)
                .with_status_code(code)
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        ),
    }
}

/// The script tag that `serve` adds to every HTML page; its endpoints are absolute paths at the
/// server's root, so it works at any depth and under any `site-url`.
pub(crate) fn script_tag(generation: u64) -> String {
    format!("<script src=\"{SCRIPT}\" data-generation=\"{generation}\" data-events=\"{EVENTS}\"></script>")
}

/// The page with the live-reload script before its last `</body>` (or at its end).
pub(crate) fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = script_tag(generation);
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
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

type Stream = Box<dyn Write + Send>;

/// Open Server-Sent Event streams, and the thread that tells them about each build.
#[derive(Default)]
pub(crate) struct Hub {
    streams: Mutex<Vec<Stream>>,
}

impl Hub {
    /// Takes over a request's connection as an event stream, starting with the current status.
    fn add(&self, rq: Request, status: &Status) {
        let mut w = rq.into_writer();
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
    fn the_script_goes_before_the_last_closing_body_tag() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, 7)).expect("utf8");
        assert_eq!(out, format!("<html><body><p>x</p>{}</body></html>", script_tag(7)));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1)).expect("utf8");
        assert!(bare.ends_with(&script_tag(1)));
    }

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
