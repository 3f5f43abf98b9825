use super::*;
use proptest::prelude::*;

/// Bytes handed out in chunks of the given sizes (cycled), as a slow client sends them.
struct Trickle<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes.get(self.turn % self.sizes.len().max(1)).copied().unwrap_or(1).max(1);
        self.turn += 1;
        let n = size.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

impl Source for Trickle<'_> {
    fn wait_at_most(&mut self, _: Duration) -> std::io::Result<()> {
        Ok(())
    }
}

fn read(bytes: &[u8]) -> Result<Request, Bad> {
    read_request(&mut &bytes[..], Instant::now() + Duration::from_secs(60))
}

fn head_with(headers: usize, value_len: usize) -> String {
    let mut head = String::from("GET / HTTP/1.1\r\n");
    for i in 0..headers {
        head.push_str(&format!("X-{i}: {}\r\n", "v".repeat(value_len)));
    }
    head + "\r\n"
}

#[test]
fn a_request_head_is_read_with_its_host_and_tags() {
    let ok = read(
        b"GET /incidents/?a=1 HTTP/1.1\r\nHost: localhost:3000\r\nIf-None-Match: \"a\"\r\nif-none-match: \"b\"\r\n\r\n",
    );
    let want = Request {
        method: "GET".into(),
        target: "/incidents/?a=1".into(),
        host: Some("localhost:3000".into()),
        if_none_match: Some("\"a\", \"b\"".into()),
    };
    assert_eq!(ok, Ok(want));
    let bare = read(b"HEAD / HTTP/1.0\n\n").expect("an HTTP/1.0 head with bare line feeds");
    assert_eq!((bare.method.as_str(), bare.host), ("HEAD", None));
}

#[test]
fn anything_else_is_refused_with_the_right_answer() {
    assert_eq!(read(b""), Err(Bad::Gone));
    assert_eq!(read(b"GET / HTTP/1.1\r\nHost"), Err(Bad::Malformed), "cut short");
    assert_eq!(read(b"GET /a b HTTP/1.1\r\n\r\n"), Err(Bad::Malformed));
    assert_eq!(read(b"GET / SPDY/3\r\n\r\n"), Err(Bad::Malformed));
    assert_eq!(read(b"GET /\xff HTTP/1.1\r\n\r\n"), Err(Bad::Malformed));
    assert_eq!(read(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), Err(Bad::Malformed), "two Hosts");
    assert_eq!(read(b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n"), Err(Bad::Malformed));
    assert_eq!(read(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), Err(Bad::Malformed));
}

#[test]
fn a_head_over_16_kib_or_100_lines_is_too_large_and_one_at_the_limits_is_read() {
    assert!(read(head_with(100, 10).as_bytes()).is_ok(), "100 header lines");
    assert_eq!(read(head_with(101, 10).as_bytes()), Err(Bad::TooLarge), "101 header lines");
    let pad = MAX_HEAD - "GET / HTTP/1.1\r\nX: \r\n\r\n".len();
    let exact = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(pad));
    assert_eq!(exact.len(), MAX_HEAD);
    assert!(read(exact.as_bytes()).is_ok(), "exactly 16 KiB");
    let over = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(pad + 1));
    assert_eq!(read(over.as_bytes()), Err(Bad::TooLarge), "one byte over");
    assert_eq!(read("\r\n".repeat(MAX_HEAD).as_bytes()), Err(Bad::TooLarge), "endless empty lines");
    let endless = "a".repeat(4 * MAX_HEAD);
    assert_eq!(read(endless.as_bytes()), Err(Bad::TooLarge), "no line break at all");
}

#[test]
fn the_deadline_is_for_the_whole_head_not_for_each_read() {
    /// One byte every 20 ms: each read is quick, the head as a whole is not.
    struct Slow<'a>(&'a [u8]);
    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(20));
            let n = usize::from(!self.0.is_empty() && !buf.is_empty());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    impl Source for Slow<'_> {
        fn wait_at_most(&mut self, _: Duration) -> std::io::Result<()> {
            Ok(())
        }
    }
    let started = Instant::now();
    let head = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    assert_eq!(read_request(&mut Slow(head), started + Duration::from_millis(200)), Err(Bad::Slow));
    assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
    assert!(read_request(&mut Slow(b"GET / HTTP/1.1\r\n\r\n"), Instant::now() + Duration::from_secs(5)).is_ok());
}

#[test]
fn a_response_has_its_date_and_length_and_closes() {
    let mut out = Vec::new();
    let resp = Response { code: 404, headers: vec![("Content-Type", "text/plain".into())], body: b"no" };
    write_response(&mut out, &resp, false).expect("write");
    let text = String::from_utf8(out).expect("utf8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let lines: Vec<&str> = head.lines().collect();
    assert_eq!(lines[..2], ["HTTP/1.1 404 Not Found", "Content-Type: text/plain"]);
    let date = lines[2].strip_prefix("Date: ").expect("a Date header");
    let when = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(date).expect("an HTTP date");
    assert!(date.ends_with(" GMT"), "{date}");
    let age = jiff::Timestamp::now().duration_since(when);
    assert!(age >= jiff::SignedDuration::ZERO && age < jiff::SignedDuration::from_secs(5), "{date}");
    assert_eq!(lines[3..], ["Content-Length: 2", "Connection: close"]);
    assert_eq!(body, "no");
    let mut head = Vec::new();
    write_response(&mut head, &resp, true).expect("write");
    assert!(String::from_utf8(head).expect("utf8").ends_with("\r\n\r\n"));
    let mut not_modified = Vec::new();
    write_response(&mut not_modified, &Response { code: 304, headers: Vec::new(), body: b"page" }, false).expect("w");
    let text = String::from_utf8(not_modified).expect("utf8");
    assert!(text.starts_with("HTTP/1.1 304 Not Modified\r\n") && text.ends_with("Connection: close\r\n\r\n"), "{text}");
    assert!(!text.contains("Content-Length") && !text.contains("page"), "{text}");
}

#[test]
fn if_none_match_names_the_tag_or_a_star() {
    let tag = etag(b"page");
    assert_eq!(tag.len(), 34);
    assert_ne!(tag, etag(b"page2"));
    assert!(none_match(&tag, &tag));
    assert!(none_match(&format!("\"x\", W/{tag}"), &tag));
    assert!(none_match("*", &tag));
    assert!(!none_match("\"x\"", &tag));
    assert!(!none_match("", &tag));
}

proptest! {
    #![proptest_config(crate::testing::proptest_config(64))]

    /// Any bytes, in any chunks: no panic, and a head that is accepted is within both limits
    /// (counted by httparse with room for far more headers) and reads the same in any chunks.
    #[test]
    fn any_bytes_in_any_chunks_never_panic_nor_pass_the_limits(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..20_000),
            "(GET|HEAD|POST) /[ -~]{0,40} HTTP/1\\.[01]\r\n([A-Za-z-]{1,12}: [ -~\\x80-\\xff]{0,300}\r\n){0,130}(\r\n)?"
                .prop_map(String::into_bytes),
        ],
        sizes in proptest::collection::vec(1usize..5000, 1..8),
    ) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let chunked = read_request(&mut Trickle { bytes: &bytes, sizes, turn: 0 }, deadline);
        let whole = read(&bytes);
        prop_assert_eq!(chunked.as_ref().ok(), whole.as_ref().ok());
        if chunked.is_ok() {
            let mut room = vec![httparse::EMPTY_HEADER; 1000];
            let mut req = httparse::Request::new(&mut room);
            let end = match req.parse(&bytes) {
                Ok(httparse::Status::Complete(end)) => end,
                other => return Err(TestCaseError::fail(format!("accepted, but httparse says {other:?}"))),
            };
            prop_assert!(end <= MAX_HEAD, "a head of {} bytes", end);
            prop_assert!(req.headers.len() <= MAX_HEADERS, "{} header lines", req.headers.len());
        }
    }

    /// Well-formed heads of every size around the limits: read exactly when within both.
    #[test]
    fn a_well_formed_head_is_read_exactly_when_within_the_limits(
        headers in 0usize..130,
        value_len in 0usize..300,
        sizes in proptest::collection::vec(1usize..3000, 1..4),
    ) {
        let head = head_with(headers, value_len);
        let deadline = Instant::now() + Duration::from_secs(60);
        let got = read_request(&mut Trickle { bytes: head.as_bytes(), sizes, turn: 0 }, deadline);
        if head.len() <= MAX_HEAD && headers <= MAX_HEADERS {
            prop_assert!(got.is_ok(), "{} bytes, {} lines: {:?}", head.len(), headers, got);
        } else {
            prop_assert_eq!(got, Err(Bad::TooLarge));
        }
    }

    /// Any If-None-Match value: no panic, and a list holding the tag matches it.
    #[test]
    fn if_none_match_never_panics_and_finds_the_tag_in_any_list(
        before in "[ -~]{0,40}", after in "[ -~]{0,40}", weak in any::<bool>(),
    ) {
        let tag = etag(before.as_bytes());
        let _ = none_match(&before, &tag);
        let listed = format!("{before}, {}{tag} ,{after}", if weak { "W/" } else { "" });
        prop_assert!(none_match(&listed, &tag));
    }
}
