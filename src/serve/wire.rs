//! HTTP/1.1 on the wire, as little of it as a dev server needs: read one request head (bounded
//! in size and, through the socket's timeout, in time), write one response, close. Every
//! response says `Connection: close`, so there is no keep-alive state to get wrong.

use std::io::{Read, Write};

/// The most a request head may hold.
const MAX_HEAD: usize = 16 * 1024;

/// One request, as far as serving files goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, ...
    pub(crate) method: String,
    /// The request target as sent (`/incidents/?x=1`).
    pub(crate) target: String,
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    /// The client sent nothing usable in time, or went away: drop it without a reply.
    Gone,
    /// Malformed or too large: answer 400.
    Malformed,
}

/// Reads a request head from `r` (the socket's read timeout bounds the wait).
pub(crate) fn read_request(r: &mut impl Read) -> Result<Request, Bad> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(Bad::Malformed);
        }
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return Err(if head.is_empty() { Bad::Gone } else { Bad::Malformed }),
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    if head.len() > MAX_HEAD {
        return Err(Bad::Malformed);
    }
    parse_head(&head)
}

/// Parses the request line of a head (`GET /path HTTP/1.1`).
pub(crate) fn parse_head(head: &[u8]) -> Result<Request, Bad> {
    let text = std::str::from_utf8(head).map_err(|_| Bad::Malformed)?;
    let line = text.split("\r\n").next().unwrap_or("");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Bad::Malformed);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || !version.starts_with("HTTP/1.") {
        return Err(Bad::Malformed);
    }
    Ok(Request { method: method.to_string(), target: target.to_string() })
}

/// A response to write.
pub(crate) struct Response<'a> {
    /// Status code.
    pub(crate) code: u16,
    /// Extra headers (`Content-Length` and `Connection` are added).
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
    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", resp.body.len()));
    w.write_all(out.as_bytes())?;
    if !head_only {
        w.write_all(resp.body)?;
    }
    w.flush()
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_line_is_read_and_anything_else_refused() {
        let ok = read_request(&mut &b"GET /incidents/?a=1 HTTP/1.1\r\nHost: x\r\n\r\n"[..]);
        assert_eq!(ok, Ok(Request { method: "GET".into(), target: "/incidents/?a=1".into() }));
        assert_eq!(read_request(&mut &b""[..]), Err(Bad::Gone));
        assert_eq!(read_request(&mut &b"GET / HTTP/1.1\r\nHost"[..]), Err(Bad::Malformed), "cut short");
        assert_eq!(parse_head(b"GET /a b HTTP/1.1\r\n\r\n"), Err(Bad::Malformed));
        assert_eq!(parse_head(b"get / HTTP/1.1\r\n\r\n"), Err(Bad::Malformed));
        assert_eq!(parse_head(b"GET / SPDY/3\r\n\r\n"), Err(Bad::Malformed));
        assert_eq!(parse_head(b"GET /\xff HTTP/1.1\r\n\r\n"), Err(Bad::Malformed));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD + 10));
        assert_eq!(read_request(&mut huge.as_bytes()), Err(Bad::Malformed));
    }

    #[test]
    fn a_response_has_its_length_and_closes() {
        let mut out = Vec::new();
        let resp = Response { code: 404, headers: vec![("Content-Type", "text/plain".into())], body: b"no" };
        write_response(&mut out, &resp, false).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(
            text,
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"
        );
        let mut head = Vec::new();
        write_response(&mut head, &resp, true).expect("write");
        assert!(String::from_utf8(head).expect("utf8").ends_with("\r\n\r\n"));
    }
}
