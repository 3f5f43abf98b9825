//! HTTP/1.1 on the wire, as little of it as a dev server needs: read one request head, write one
//! response, close. httparse parses the head; this module bounds it (16 KiB, 100 header lines,
//! 5 s for the whole head however slowly its bytes arrive) and answers conditional requests.
//! Every response says `Connection: close` and carries a `Date`, so there is no keep-alive
//! state to get wrong.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most a request head may hold, request line included.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most header lines a request head may hold.
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a client has to send its whole request head.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// One request, as far as serving files goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, ...
    pub(crate) method: String,
    /// The request target as sent (`/incidents/?x=1`).
    pub(crate) target: String,
    /// The `Host` header's value, when there is one.
    pub(crate) host: Option<String>,
    /// The `If-None-Match` headers' values, joined by commas.
    pub(crate) if_none_match: Option<String>,
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    /// The client sent nothing in time, or went away: drop it without a reply.
    Gone,
    /// The head did not arrive whole within [`HEAD_DEADLINE`]: answer 408.
    Slow,
    /// Malformed: answer 400.
    Malformed,
    /// Over [`MAX_HEAD`] bytes or [`MAX_HEADERS`] lines: answer 431.
    TooLarge,
}

/// A byte source whose next read can be bounded in time: a socket, or bytes in a test.
pub(crate) trait Source: Read {
    /// Makes the next read give up (with `WouldBlock` or `TimedOut`) after `wait`.
    fn wait_at_most(&mut self, wait: Duration) -> std::io::Result<()>;
}

impl Source for TcpStream {
    fn wait_at_most(&mut self, wait: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(wait))
    }
}

/// Now as an HTTP date (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`), by jiff's printer.
pub(crate) fn http_date() -> String {
    jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&jiff::Timestamp::now()).unwrap_or_default()
}

#[cfg(test)]
impl Source for &[u8] {
    fn wait_at_most(&mut self, _: Duration) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads a request head from `r`, giving up at `deadline` however the bytes trickle in: each
/// read may wait only for what is left of the time, not for a fresh timeout of its own.
pub(crate) fn read_request(r: &mut impl Source, deadline: Instant) -> Result<Request, Bad> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if head.is_empty() { Bad::Gone } else { Bad::Slow });
        }
        r.wait_at_most(left).map_err(|_| Bad::Gone)?;
        // Never more than the limit is held, so the head can be no longer than it.
        let room = (MAX_HEAD - head.len()).min(buf.len());
        let n = match r.read(&mut buf[..room]) {
            Ok(0) => return Err(if head.is_empty() { Bad::Gone } else { Bad::Malformed }),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(if head.is_empty() { Bad::Gone } else { Bad::Slow })
            }
            Err(_) => return Err(Bad::Gone),
        };
        head.extend_from_slice(&buf[..n]);
        // A head can only end, or go wrong in a way httparse sees, at a line break: a client
        // trickling single bytes then costs one parse per line, not one per byte.
        if buf[..n].contains(&b'\n') {
            if let Some(rq) = parse_head(&head)? {
                return Ok(rq);
            }
        }
        if head.len() >= MAX_HEAD {
            return Err(Bad::TooLarge);
        }
    }
}

/// Parses a request head; `None` while it is incomplete.
pub(crate) fn parse_head(head: &[u8]) -> Result<Option<Request>, Bad> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Partial) => Ok(None),
        Ok(httparse::Status::Complete(_)) => request_of(&req).map(Some),
        Err(httparse::Error::TooManyHeaders) => Err(Bad::TooLarge),
        Err(_) => Err(Bad::Malformed),
    }
}

fn request_of(req: &httparse::Request) -> Result<Request, Bad> {
    let (Some(method), Some(target)) = (req.method, req.path) else { return Err(Bad::Malformed) };
    let values = |name: &str| -> Result<Vec<&str>, Bad> {
        let of_name = req.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
        of_name.map(|h| std::str::from_utf8(h.value).map_err(|_| Bad::Malformed)).collect()
    };
    let host = match values("host")?.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        // Two Hosts could be read two ways; HTTP/1.1 says to refuse the request (400).
        _ => return Err(Bad::Malformed),
    };
    let tags = values("if-none-match")?;
    let if_none_match = (!tags.is_empty()).then(|| tags.join(", "));
    Ok(Request { method: method.to_string(), target: target.to_string(), host, if_none_match })
}

/// The strong ETag of a body: a 128-bit hash of exactly the bytes sent.
pub(crate) fn etag(body: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(body))
}

/// Whether an `If-None-Match` value names `etag` (or is `*`); a weak tag (`W/"..."`) counts,
/// as the weak comparison that this header uses says.
pub(crate) fn none_match(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// A response to write.
pub(crate) struct Response<'a> {
    /// Status code.
    pub(crate) code: u16,
    /// Extra headers (`Date`, `Content-Length` and `Connection` are added).
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(crate) body: &'a [u8],
}

/// Writes `resp`; `head_only` leaves the body out (a `HEAD` request).
pub(crate) fn write_response(w: &mut impl Write, resp: &Response, head_only: bool) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.code, reason(resp.code));
    for (name, value) in &resp.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Date: {}\r\n", http_date()));
    // A 304 has no body; a length would have to be that of the page it stands for.
    if resp.code != 304 {
        out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    }
    out.push_str("Connection: close\r\n\r\n");
    w.write_all(out.as_bytes())?;
    if !head_only && resp.code != 304 {
        w.write_all(resp.body)?;
    }
    w.flush()
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
