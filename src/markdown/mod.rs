//! Markdown → HTML fragment (pulldown-cmark): tables, footnotes, task lists, strikethrough,
//! heading anchors with stable ids, code highlighted at build time, and links to other
//! documents turned into page URLs. Pure: resolution comes from the analysis.

mod highlight;
pub mod outline;
pub mod scan;
mod text;

pub use highlight::{highlight, stylesheet};
pub use outline::{outline, outline_scan_and_text, scan_and_text, Block, ItemLink, Line};
pub use scan::{collapse, is_external, options, scan, truncate, LinkRef, Scan, Scanner};
pub use text::{text, Text};

use crate::analysis::{Resolver, Target};
use crate::model::slugify;
use crate::urls::Urls;
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// What a body needs to know to render its links.
pub struct Context<'a> {
    /// Link lookups.
    pub resolver: &'a Resolver,
    /// URL scheme.
    pub urls: &'a Urls,
    /// The document's folder relative to the source root.
    pub dir: &'a str,
    /// How deep the page is (for relative links).
    pub depth: usize,
    /// Pass raw HTML through.
    pub raw_html: bool,
}

/// Site path of a link target, if it is a page.
pub fn target_path(target: &Target) -> Option<String> {
    match target {
        Target::Doc { kind, id, fragment } => {
            let mut p = Urls::page(Urls::section(*kind), id);
            if let Some(f) = fragment {
                p.push('#');
                p.push_str(f);
            }
            Some(p)
        }
        Target::Pattern { id } => Some(Urls::page("patterns", id)),
        _ => None,
    }
}

/// Renders a body to HTML.
pub fn render(body: &str, ctx: &Context) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    let mut code: Option<(String, String)> = None;
    // For each open link: whether it was dropped (rendered as plain text).
    let mut links: Vec<bool> = Vec::new();
    // The same for each open image.
    let mut images: Vec<bool> = Vec::new();
    let mut wiki_title: Option<String> = None;
    let mut ids: HashMap<String, usize> = HashMap::new();

    for event in Parser::new_ext(body, options()) {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    events.push(Event::Html(code_block(&text, &lang).into()));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                heading = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        if id.is_none() {
                            *id = Some(unique_id(&text, &mut ids).into());
                        }
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                // Rendered as its text: a link that runs script or opens a local file is never
                // what a library means (a wiki link names a page, and is checked if it stays
                // unresolved, below).
                if !wiki && !crate::url_scheme::is_linkable(&dest_url) {
                    links.push(true);
                    continue;
                }
                let internal =
                    wiki || !(matches!(link_type, LinkType::Autolink | LinkType::Email) || is_external(&dest_url));
                if !internal {
                    links.push(false);
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                    continue;
                }
                let link = LinkRef { dest: dest_url.to_string(), wiki, loc: Default::default() };
                let target = ctx.resolver.resolve(ctx.dir, &link);
                if matches!(target, Target::Other) {
                    if !crate::url_scheme::is_linkable(&dest_url) {
                        links.push(true);
                        continue;
                    }
                    links.push(false);
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                    continue;
                }
                match target_path(&target) {
                    Some(path) => {
                        if matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
                            wiki_title = ctx.resolver.title(&target).map(str::to_string);
                        }
                        links.push(false);
                        let href = ctx.urls.href(ctx.depth, &path);
                        events.push(Event::Start(Tag::Link { link_type, dest_url: href.into(), title, id }));
                    }
                    None => links.push(true),
                }
            }
            Event::End(TagEnd::Link) => {
                wiki_title = None;
                if !links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                match wiki_title.take() {
                    Some(title) => events.push(Event::Text(title.into())),
                    None => events.push(Event::Text(t)),
                }
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                events.push(Event::Code(t));
            }
            // An image from another scheme shows its alt text, as a link shows its text.
            Event::Start(Tag::Image { ref dest_url, .. }) if !crate::url_scheme::is_linkable(dest_url) => {
                images.push(true)
            }
            Event::Start(Tag::Image { .. }) => {
                images.push(false);
                events.push(event);
            }
            Event::End(TagEnd::Image) => {
                if !images.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Image));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if !ctx.raw_html => events.push(Event::Text(h)),
            Event::Start(Tag::Table(a)) => {
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn unique_id(text: &str, ids: &mut HashMap<String, usize>) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let n = ids.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{}", *n - 1)
    }
}

fn code_block(text: &str, lang: &str) -> String {
    let html = if lang.is_empty() { None } else { highlight::highlight(text, lang) };
    let inner = html.as_ref().map_or(text.len() + text.len() / 8, String::len);
    let mut out = String::with_capacity(64 + 2 * lang.len() + inner);
    out.push_str("<pre class=\"code\"");
    if !lang.is_empty() {
        out.push_str(" data-lang=\"");
        escape_into(&mut out, lang);
        out.push('"');
    }
    out.push_str("><code");
    if !lang.is_empty() {
        out.push_str(" class=\"language-");
        escape_into(&mut out, lang);
        out.push('"');
    }
    out.push('>');
    match html {
        Some(html) => out.push_str(&html),
        None => escape_into(&mut out, text),
    }
    out.push_str("</code></pre>\n");
    out
}

/// A URL from content that is safe to put in an `href` (relative, `http`, `https` or
/// `mailto`), or `None`; the model has warned about the others at their lines.
pub fn safe_url(url: &str) -> Option<String> {
    crate::url_scheme::is_linkable(url).then(|| url.to_string())
}

/// Escapes text for HTML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped as [`escape`] does (the native page renderer writes straight
/// into one buffer).
pub fn escape_into(out: &mut String, s: &str) {
    // Most text has none of the five bytes: one check (a fold without early exit, which
    // compiles to vector code) and one copy.
    let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if !s.bytes().fold(false, |any, b| any | special(b)) {
        out.push_str(s);
        return;
    }
    // Runs between the five ASCII bytes are copied whole (every value Tera prints passes here).
    let mut done = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Library;

    fn render_plain(body: &str, raw_html: bool) -> String {
        let lib = Library::default();
        let resolver = Resolver::new(&lib);
        let urls = Urls::new(&Config::defaults(std::path::Path::new(".")));
        render(body, &Context { resolver: &resolver, urls: &urls, dir: "", depth: 2, raw_html })
    }

    #[test]
    fn headings_get_stable_unique_ids() {
        let html = render_plain("## Timeline\n\n## Timeline\n\n## What *went* well\n", true);
        assert!(html.contains("<h2 id=\"timeline\">"), "{html}");
        assert!(html.contains("<h2 id=\"timeline-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"what-went-well\">"), "{html}");
    }

    #[test]
    fn tables_tasks_footnotes_strikethrough() {
        let html =
            render_plain("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ note[^1]\n\n[^1]: Foot.\n", true);
        assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn escape_replaces_the_five_characters_only() {
        assert_eq!(escape(r#"a&b<c>d"e'f/g"#), "a&amp;b&lt;c&gt;d&quot;e&#39;f/g");
        assert_eq!(escape("Ünï <x>"), "Ünï &lt;x&gt;");
        assert_eq!(escape(""), "");
        assert_eq!(escape("&"), "&amp;");
    }

    #[test]
    fn raw_html_can_be_escaped() {
        assert!(render_plain("<b>x</b>\n", true).contains("<b>x</b>"));
        let html = render_plain("<script>alert(1)</script>\n", false);
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_urls_become_text() {
        let html =
            render_plain("[a](javascript:alert(1)) [b]( JAVASCRIPT:x) <data:text/html,x> [c](https://x.org)\n", true);
        assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
        assert!(html.contains("href=\"https://x.org\""), "{html}");
    }

    #[test]
    fn links_and_images_of_other_schemes_become_text() {
        let html = render_plain(
            "[f](file:///etc/passwd) ![pic](javascript:x) [[javascript:alert(1)]] [m](mailto:a@b.c) ![ok](/a.png) [r](x/y.html)\n",
            true,
        );
        for gone in ["href=\"file:", "href=\"javascript:", "src=\"javascript"] {
            assert!(!html.contains(gone), "{gone}: {html}");
        }
        assert!(html.contains("f pic"), "the texts stay: {html}");
        assert!(html.contains("href=\"mailto:a@b.c\"") && html.contains("src=\"/a.png\""), "{html}");
        assert!(html.contains("href=\"x/y.html\""), "{html}");
    }

    #[test]
    fn code_is_highlighted_or_escaped() {
        let html = render_plain("```yaml\nttl: 30\n```\n\n```\n<x>\n```\n", true);
        assert!(html.contains("data-lang=\"yaml\""), "{html}");
        assert!(html.contains("&lt;x&gt;"), "{html}");
    }
}
