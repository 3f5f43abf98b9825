//! What `serve` adds to each HTML page it sends: the live-reload script, and two facts about
//! the page that let the script swap in a rebuilt page's `<main>` instead of reloading it.
//!
//! - `data-frame` is a hash of everything outside `<main>`'s content and the `<title>` (the
//!   rest of the head, masthead, footer, scripts). When the rebuilt page's frame is the open
//!   page's, only `<main>` and the title changed.
//! - `data-page` is the page's site path (`incidents/x/index.html`): a build event that names
//!   the pages it changed and not this one leaves it as it is. A page sent for a path that is
//!   not there (the 404 page) has none, and fetches itself again after every build.
//! - `data-soft` says whether the page may be swapped at all: it has a `<main>`, nothing in it
//!   is a script, and every other script is an external one that the site's 404 page loads too
//!   (so it belongs to the frame, like the search box's, and binds to nothing in `<main>`). A
//!   page with its own script (the search page's, the incident table's sort script) reloads
//!   in full, so that its script runs on the new content.

use std::hash::{Hash, Hasher};

/// Where the browser listens for build events; no site path can start with `__casebook/`,
/// since it sits outside the site's own sections and is answered before any file.
pub(crate) const EVENTS: &str = "/__casebook/events";
/// Where the live-reload script is served (the HTTP side answers both paths).
pub(crate) const SCRIPT: &str = "/__casebook/live.js";

/// The script tag that `serve` adds to an HTML page; its endpoints are absolute paths at the
/// server's root, so it works at any depth and under any `site-url`. `page` is the site path it
/// was found at; `shared` is the site's 404 page (its scripts are the site-wide ones), when it
/// has one.
pub(crate) fn script_tag(html: &[u8], generation: u64, page: Option<&str>, shared: Option<&[u8]>) -> String {
    let (frame, soft) = match main_content(html) {
        Some((start, end)) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            // The title is swapped too (`document.title`): it is no part of the frame.
            let head = &html[..start];
            match (find(head, 0, b"<title"), find(head, 0, b"</title>")) {
                (Some(a), Some(b)) if a < b => (&head[..a], &head[b..], &html[end..]).hash(&mut h),
                _ => (head, &html[end..]).hash(&mut h),
            }
            let scripts_shared = || {
                let site_wide = shared.map(|s| script_tags(s, 0, s.len())).unwrap_or_default();
                script_tags(html, 0, html.len()).iter().all(|t| has_src(t) && site_wide.contains(t))
            };
            (h.finish(), script_tags(html, start, end).is_empty() && scripts_shared())
        }
        None => (0, false),
    };
    let page = page.map(|p| format!(" data-page=\"{}\"", crate::markdown::escape(p))).unwrap_or_default();
    format!(
        "<script src=\"{SCRIPT}\" data-generation=\"{generation}\"{page} data-frame=\"{frame:016x}\" \
         data-soft=\"{}\" data-events=\"{EVENTS}\"></script>",
        u8::from(soft)
    )
}

/// The page with the live-reload script before its last `</body>` (or at its end).
pub(crate) fn inject(html: &[u8], generation: u64, page: Option<&str>, shared: Option<&[u8]>) -> Vec<u8> {
    let tag = script_tag(html, generation, page, shared);
    let at = rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Where the content of `<main id="main">` starts and ends (after its opening tag, at its
/// closing one).
fn main_content(html: &[u8]) -> Option<(usize, usize)> {
    let open = find(html, 0, b"<main")?;
    let tag_end = open + html[open..].iter().position(|&b| b == b'>')?;
    find(&html[..tag_end], open, b"id=\"main\"")?;
    let close = rfind(html, b"</main>")?;
    (close > tag_end).then_some((tag_end + 1, close))
}

/// The opening tags of the scripts in `html[from..to]`.
fn script_tags(html: &[u8], from: usize, to: usize) -> Vec<&[u8]> {
    let mut tags = Vec::new();
    let mut at = from;
    while let Some(i) = find(&html[..to], at, b"<script") {
        let end = html[i..to].iter().position(|&b| b == b'>').map_or(to, |e| i + e + 1);
        tags.push(&html[i..end]);
        at = end;
    }
    tags
}

fn has_src(tag: &[u8]) -> bool {
    find(tag, 0, b" src=").is_some()
}

/// The first `needle` in `hay[from..]`, ASCII case ignored.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    rest.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|i| from + i)
}

/// The last `needle` in `hay`, ASCII case ignored.
fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_FOUND: &str = "<html><head><title>404</title></head><body><main id=\"main\">gone</main>\
                             <script src=\"/search.js\" defer></script></body></html>";

    fn page(main: &str, scripts: &str) -> String {
        format!("<html><head><title>T</title></head><body><main id=\"main\" class=\"wrap\">{main}</main>{scripts}</body></html>")
    }

    fn attr(tag: &str, name: &str) -> String {
        let from = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        tag[from..].split('"').next().expect("value").to_string()
    }

    fn tag_of(html: &str) -> String {
        script_tag(html.as_bytes(), 3, Some("x/index.html"), Some(NOT_FOUND.as_bytes()))
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let html = page("<p>x</p>", "");
        let out = String::from_utf8(inject(html.as_bytes(), 7, Some("a/index.html"), None)).expect("utf8");
        let tag = script_tag(html.as_bytes(), 7, Some("a/index.html"), None);
        assert_eq!(out, html.replace("</body>", &format!("{tag}</body>")));
        assert_eq!(attr(&tag, "data-generation"), "7");
        assert_eq!(attr(&tag, "data-page"), "a/index.html");
        let odd = script_tag(html.as_bytes(), 7, Some("x\"y&z/index.html"), None);
        assert_eq!(attr(&odd, "data-page"), "x&quot;y&amp;z/index.html", "{odd}");
        assert!(!script_tag(html.as_bytes(), 7, None, None).contains("data-page"), "a 404 page names none");
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1, None, None)).expect("utf8");
        assert!(bare.ends_with("</script>") && attr(&bare, "data-soft") == "0", "{bare}");
    }

    #[test]
    fn the_frame_is_everything_outside_main_and_only_it() {
        let search = "<script src=\"/search.js\" defer></script>";
        let a = tag_of(&page("<p>one</p>", search));
        let b = tag_of(&page("<h1>two</h1><p>and more</p>", search));
        assert_eq!(attr(&a, "data-frame"), attr(&b, "data-frame"), "a new main keeps the frame");
        assert_eq!(attr(&a, "data-soft"), "1", "{a}");
        let other_title = page("<p>one</p>", search).replace("<title>T", "<title>U");
        assert_eq!(attr(&tag_of(&other_title), "data-frame"), attr(&a, "data-frame"), "the title is swapped");
        let other_head =
            page("<p>one</p>", search).replace("</title>", "</title><link rel=\"stylesheet\" href=\"x.css\">");
        assert_ne!(attr(&tag_of(&other_head), "data-frame"), attr(&a, "data-frame"));
        let other_footer = page("<p>one</p>", search).replace("</main>", "</main><footer>Site</footer>");
        assert_ne!(attr(&tag_of(&other_footer), "data-frame"), attr(&a, "data-frame"));
        let other_class = page("<p>one</p>", search).replace("class=\"wrap\"", "class=\"wide\"");
        assert_ne!(attr(&tag_of(&other_class), "data-frame"), attr(&a, "data-frame"), "main's own tag is frame");
    }

    #[test]
    fn a_page_with_its_own_script_or_a_script_in_main_is_not_swapped() {
        let search = "<script src=\"/search.js\" defer></script>";
        let own = format!("{search}<script src=\"/search-page.js\" defer></script>");
        assert_eq!(attr(&tag_of(&page("<p>x</p>", &own)), "data-soft"), "0", "the search page");
        let inline = format!("{search}<script>sortTables();</script>");
        assert_eq!(attr(&tag_of(&page("<p>x</p>", &inline)), "data-soft"), "0", "an inline script");
        let in_main = page("<p>x</p><SCRIPT>alert(1)</SCRIPT>", search);
        assert_eq!(attr(&tag_of(&in_main), "data-soft"), "0", "a script in main");
        let no_main = "<html><body><div>x</div></body></html>";
        assert_eq!(attr(&tag_of(no_main), "data-soft"), "0", "no main to swap");
        let no_404 = script_tag(page("<p>x</p>", search).as_bytes(), 1, None, None);
        assert_eq!(attr(&no_404, "data-soft"), "0", "without a 404 page no script is known to be site-wide");
        assert_eq!(attr(&tag_of(&page("<p>x</p>", "")), "data-soft"), "1", "no script at all");
    }
}
