//! The live-reload streams (Server-Sent Events): open pages are held here, at most
//! [`MAX_STREAMS`] of them, and one thread tells them about each build. A stream holds no thread
//! of its own, only its place among the server's connections.

use super::slot::Slot;
use super::store::{Live, ServedState};
use super::wire::{self, Response};
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How many live-reload streams may be open at once; one more is answered 503.
pub(crate) const MAX_STREAMS: usize = 64;
/// How often open event streams get a keep-alive comment (dead ones are found this way).
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Open Server-Sent Event streams, and the thread that tells them about each build.
#[derive(Default)]
pub(crate) struct Hub {
    streams: Mutex<Vec<(TcpStream, Slot)>>,
}

impl Hub {
    /// Takes over a connection as an event stream, starting with the current status; past
    /// [`MAX_STREAMS`] it is answered 503 instead.
    pub(crate) fn add(&self, mut w: TcpStream, slot: Slot, status: &ServedState) {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        // A page that reloads closes its stream, which only a write would otherwise notice (at
        // the next heartbeat): without this, a few quick saves with many tabs open would fill
        // the cap with streams nobody reads.
        streams.retain(|(s, _)| !closed(s));
        if streams.len() >= MAX_STREAMS {
            drop(streams);
            let body = format!("too many live-reload streams are open (at most {MAX_STREAMS}); close some tabs\n");
            let headers = vec![("Retry-After", "5".into()), ("Content-Type", "text/plain; charset=utf-8".into())];
            let _ = wire::write_response(&mut w, &Response { code: 503, headers, body: body.as_bytes() }, false);
            return;
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nDate: {}\r\nConnection: close\r\n\r\n",
            wire::http_date()
        );
        let start = format!("{head}retry: 500\n\n{}", status.event());
        if w.write_all(start.as_bytes()).and_then(|()| w.flush()).is_ok() {
            streams.push((w, slot));
        }
    }

    /// Writes `text` to every stream, dropping those that fail.
    fn broadcast(&self, text: &str) {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams.retain_mut(|(w, _)| w.write_all(text.as_bytes()).and_then(|()| w.flush()).is_ok());
    }

    /// Runs until `stop`: each change of build status goes out to every open page, in order.
    pub(crate) fn spawn(self: Arc<Self>, live: Arc<Live>, stop: Arc<AtomicBool>) -> JoinHandle<()> {
        std::thread::spawn(move || {
            let mut seen = live.last();
            let mut beat = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                // Each status as an event of its own, even when several came at once (an
                // edit's two renders): each names the pages of its own build.
                let (last, news) = live.wait_after(seen, Duration::from_millis(250));
                for status in &news {
                    self.broadcast(&status.event());
                }
                if last != seen {
                    seen = last;
                } else if beat.elapsed() > HEARTBEAT {
                    self.broadcast(": keep-alive\n\n");
                    beat = Instant::now();
                }
            }
        })
    }
}

/// Whether the page at the other end has closed its stream: an event stream's client sends
/// nothing after its request, so a read that finds the end of the stream means it is gone.
fn closed(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match s.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    gone || s.set_nonblocking(false).is_err()
}
