//! Which URL schemes casebook turns into links: a URL's scheme read as a browser reads it, and
//! the two rules built on it (content may link `http`, `https`, `mailto` and relative URLs;
//! `book.toml` URLs must be `http`, `https` or site-relative). A leaf, so that config, model and
//! rendering all apply the same rule.

/// The scheme of `url` as a browser would read it, lower-cased, or `None` for a relative
/// reference (`../x.md`, `/about/`, `//host/x`, `#top`). Browsers skip spaces, tabs, line
/// breaks and control characters around and inside a scheme (`java\tscript:` is `javascript:`),
/// so every such character is skipped here too, which can only find a scheme more often.
pub fn scheme(url: &str) -> Option<String> {
    let mut out = String::new();
    for c in url.chars().filter(|&c| c > ' ' && c != '\u{7f}') {
        if c == ':' {
            return (!out.is_empty()).then_some(out);
        }
        let fits = c.is_ascii_alphabetic() || (!out.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')));
        if !fits {
            return None;
        }
        out.push(c.to_ascii_lowercase());
    }
    None
}

/// Whether a URL written in content may be an `href`: relative, or `http`, `https` or
/// `mailto`. Any other scheme (`javascript:`, `data:`, `file:`) is shown as text.
pub fn is_linkable(url: &str) -> bool {
    matches!(scheme(url).as_deref(), None | Some("http" | "https" | "mailto"))
}

/// Whether a URL from `book.toml` is `http`, `https` or site-relative.
pub fn is_web_or_site(url: &str) -> bool {
    matches!(scheme(url).as_deref(), None | Some("http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_as_browsers_read_them() {
        for (url, want) in [
            ("https://x.org/a", Some("https")),
            ("HTTP://x", Some("http")),
            (" java\tscript:alert(1)", Some("javascript")),
            ("java\nscript:x", Some("javascript")),
            ("\u{1}javascript:x", Some("javascript")),
            ("data:text/html,x", Some("data")),
            ("mailto:a@b.c", Some("mailto")),
            ("svn+ssh://h/r", Some("svn+ssh")),
            ("../notes/a.md", None),
            ("/about/", None),
            ("//host/x", None),
            ("#top", None),
            ("a/b:c", None),
            ("1abc:x", None),
            (":x", None),
            ("", None),
        ] {
            assert_eq!(scheme(url).as_deref(), want, "{url:?}");
        }
        assert!(is_linkable("mailto:a@b.c") && is_linkable("x.md") && !is_linkable("JavaScript:x"));
        assert!(is_web_or_site("/edit/{path}") && !is_web_or_site("mailto:a@b.c") && !is_web_or_site("file:///x"));
    }
}
