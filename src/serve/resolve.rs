//! Request path → site path, as pure code: the `site-url` prefix is stripped, the path is
//! percent-decoded once, and anything that could name a file outside the site is refused
//! (`..`, `.`, empty segments, encoded `/` or `\`, backslashes, NUL, `:`, double encoding,
//! invalid UTF-8). Folders map to their `index.html`.

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// A site path to look up (`incidents/x/index.html`).
    File(String),
    /// Send the browser here instead (the bare prefix without its `/`).
    Redirect(String),
    /// Outside the `site-url` prefix: not found.
    Outside,
    /// A path that tries to leave the site or is malformed: refused.
    Refused,
}

/// Resolves a request target (path and optional query) under the `site-url` prefix, which
/// starts and ends with `/`.
pub(crate) fn resolve(target: &str, prefix: &str) -> Route {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Route::Refused;
    }
    let lower = raw.to_ascii_lowercase();
    // An encoded separator would survive the split below and be decoded into a path.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Route::Refused;
    }
    let Some(path) = decode(raw) else { return Route::Refused };
    // Decoding once more would change the path: double encoding is refused, not guessed at.
    if decode(&path).as_deref() != Some(path.as_str()) {
        return Route::Refused;
    }
    if path.contains(['\\', '\0', ':']) {
        return Route::Refused;
    }
    if path == prefix.trim_end_matches('/') && prefix != "/" {
        return Route::Redirect(prefix.to_string());
    }
    let Some(rest) = path.strip_prefix(prefix) else { return Route::Outside };
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." || (s.is_empty() && i != last) {
            return Route::Refused;
        }
    }
    if rest.is_empty() || rest.ends_with('/') {
        Route::File(format!("{rest}index.html"))
    } else {
        Route::File(rest.to_string())
    }
}

/// Percent-decodes a path; `None` when an escape is cut short or not hex (the decoder would
/// keep such a `%` as it is) or when the result is not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let escapes_whole = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'%')
        .all(|(i, _)| bytes.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)));
    if !escapes_whole {
        return None;
    }
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file(s: &str) -> Route {
        Route::File(s.to_string())
    }

    #[test]
    fn folders_map_to_their_index_and_files_to_themselves() {
        let cases = [
            ("/", file("index.html")),
            ("/incidents/", file("incidents/index.html")),
            ("/incidents/db-failover/?utm=x", file("incidents/db-failover/index.html")),
            ("/style.css", file("style.css")),
            ("/incidents/db%20failover/", file("incidents/db failover/index.html")),
            ("/incidents/x/#top", file("incidents/x/index.html")),
            ("/caf%C3%A9/", file("café/index.html")),
        ];
        for (target, want) in cases {
            assert_eq!(resolve(target, "/"), want, "{target}");
        }
    }

    #[test]
    fn the_site_url_prefix_is_honoured() {
        assert_eq!(resolve("/docs/", "/docs/"), file("index.html"));
        assert_eq!(resolve("/docs/incidents/", "/docs/"), file("incidents/index.html"));
        assert_eq!(resolve("/docs", "/docs/"), Route::Redirect("/docs/".into()));
        assert_eq!(resolve("/", "/docs/"), Route::Outside);
        assert_eq!(resolve("/other/index.html", "/docs/"), Route::Outside);
        assert_eq!(resolve("/docsx/", "/docs/"), Route::Outside);
    }

    #[test]
    fn every_traversal_form_is_refused() {
        let refused = [
            "/../etc/passwd",
            "/incidents/../../etc/passwd",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/incidents%2f..%2f..%2fetc/passwd",
            "/incidents%2F..",
            "/..%5c..%5cwindows",
            "/..\\..\\etc\\passwd",
            "/incidents\\x",
            "/index.html%00.css",
            "/a\0b",
            "//etc/passwd",
            "/incidents//x",
            "/C:/Windows/win.ini",
            "/%252e%252e/etc/passwd",
            "/%25%32%65%25%32%65/x",
            "/%ff%fe/",
            "/%2",
            "/%zz",
            "etc/passwd",
            "",
            "http://evil/x",
            "/docs/../../x",
        ];
        for target in refused {
            assert_eq!(resolve(target, "/"), Route::Refused, "{target:?} must be refused");
        }
        assert_eq!(resolve("/docs/%2e%2e/x", "/docs/"), Route::Refused);
        assert_eq!(resolve("/docs/../docs/x", "/docs/"), Route::Refused);
    }

    /// Pieces that traversal attempts are made of, in every spelling we know.
    fn piece() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "/",
            "//",
            "..",
            ".",
            "%2e",
            "%2E",
            "%2f",
            "%2F",
            "%5c",
            "%00",
            "%25",
            "%252e",
            "\\",
            "%",
            "2e",
            "%c0%ae",
            "%e2%80%a4",
            "%ef%bc%8f",
            "?",
            "#",
            ":",
            "%3a",
            "%ff",
            "é",
            "%C3%A9",
            "a",
            "incidents",
            "docs",
            "index.html",
            " ",
            "%20",
            "\0",
        ])
    }

    fn plain() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec!["a", "incidents", "db-failover", "index.html", "caf%C3%A9", "x%20y", "docs", ""])
    }

    fn dots() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec!["..", ".", "%2e%2e", "%2E.", ".%2e", "%2e", "..."])
    }

    fn target() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,60}",
            proptest::collection::vec(piece(), 0..14).prop_map(|p| p.concat()),
            proptest::collection::vec(piece(), 0..14).prop_map(|p| format!("/{}", p.concat())),
            // Mostly plain segments, so that many targets resolve and the checks below bite.
            proptest::collection::vec(prop_oneof![6 => plain(), 2 => dots(), 1 => piece()], 0..8)
                .prop_map(|p| format!("/{}", p.join("/"))),
        ]
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(512))]

        /// Whatever is asked for, a file route names a path inside the site: no absolute path,
        /// no `.` or `..` or empty segment, no separator or drive of another system, and it is
        /// exactly the decoded request path under the prefix.
        #[test]
        fn no_target_resolves_outside_the_site(target in target(), docs in any::<bool>()) {
            let prefix = if docs { "/docs/" } else { "/" };
            let Route::File(path) = resolve(&target, prefix) else { return Ok(()) };
            prop_assert!(!path.starts_with('/'), "{target:?} -> {path:?}");
            prop_assert!(!path.contains(['\\', '\0', ':']), "{target:?} -> {path:?}");
            for segment in path.split('/') {
                prop_assert!(!matches!(segment, "" | "." | ".."), "{target:?} -> {path:?}");
            }
            let root = std::path::Path::new("/site");
            let joined = root.join(&path);
            prop_assert!(joined.components().skip(2).all(|c| matches!(c, std::path::Component::Normal(_))));
            let asked = decode(target.split(['?', '#']).next().unwrap_or("")).unwrap_or_default();
            let served = format!("{prefix}{path}");
            prop_assert!(served == asked || served == format!("{asked}index.html"), "{target:?} -> {path:?}");
        }
    }
}
