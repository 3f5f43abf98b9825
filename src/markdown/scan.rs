//! One cheap pass over a body (no HTML): the first `# ` heading, the `## Summary` section's first
//! paragraph, the first paragraph, and every link that may point inside the library.

use crate::diagnostic::Location;
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The Markdown extensions casebook enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link written in a body that may point to another document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// What was written: a relative path, or a wiki target.
    pub dest: String,
    /// `[[...]]` rather than `[...](...)`.
    pub wiki: bool,
    /// Where in the file.
    pub loc: Location,
}

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Text of the first level-1 heading, and its byte range when it is the first block.
    pub heading: Option<(String, Option<Range<usize>>)>,
    /// First paragraph of a `## Summary` section.
    pub summary_section: Option<String>,
    /// First paragraph of the body.
    pub first_paragraph: Option<String>,
    /// Internal link candidates.
    pub links: Vec<LinkRef>,
    /// Links and images whose scheme is not `http`, `https` or `mailto`, which are shown as
    /// text.
    pub unlinkable: Vec<LinkRef>,
}

/// Whether a link destination is external (scheme, protocol-relative, or in-page anchor).
pub fn is_external(dest: &str) -> bool {
    dest.starts_with('#')
        || dest.starts_with("//")
        || dest.starts_with('/')
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Scans `body`, whose first line is line `body_line` of the file.
pub fn scan(body: &str, body_line: usize) -> Scan {
    scan_with(Scanner::new(body, body_line), body)
}

fn scan_with(mut s: Scanner, body: &str) -> Scan {
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        s.event(&event, range);
    }
    s.finish()
}

/// The state of a `scan`, fed one event at a time (so that another walk over the same
/// events, the outline's, needs no parse of its own).
pub struct Scanner<'b> {
    body: &'b str,
    body_line: usize,
    out: Scan,
    first_block: bool,
    in_h1: Option<(usize, String)>,
    in_h2_summary: bool,
    after_summary: bool,
    para: Option<String>,
    depth: usize,
    in_footnote: bool,
}

impl<'b> Scanner<'b> {
    /// A scan of `body`, whose first line is line `body_line` of the file.
    pub fn new(body: &'b str, body_line: usize) -> Self {
        Scanner {
            body,
            body_line,
            out: Scan::default(),
            first_block: true,
            in_h1: None,
            in_h2_summary: false,
            after_summary: false,
            para: None,
            depth: 0,
            in_footnote: false,
        }
    }

    /// What the scan found.
    pub fn finish(self) -> Scan {
        self.out
    }

    /// Reads one event of the body, at byte `range`.
    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if *level == HeadingLevel::H1 && self.out.heading.is_none() {
                    self.in_h1 = Some((range.start, String::new()));
                } else if *level == HeadingLevel::H2 {
                    self.in_h2_summary = true;
                    self.after_summary = false;
                    self.para = Some(String::new());
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = self.in_h1.take() {
                    let range = self.first_block.then_some(start..range.end);
                    self.out.heading = Some((collapse(&text), range));
                } else if *level == HeadingLevel::H2 {
                    let text = self.para.take().unwrap_or_default();
                    self.after_summary = self.in_h2_summary && collapse(&text).eq_ignore_ascii_case("summary");
                    self.in_h2_summary = false;
                }
                self.first_block = false;
            }
            Event::Start(Tag::Paragraph) => {
                self.depth += 1;
                // Only the first paragraph and the summary section's are kept, so the text of
                // the others is not gathered (a body is mostly paragraphs).
                let wanted =
                    self.out.first_paragraph.is_none() || (self.after_summary && self.out.summary_section.is_none());
                self.para = wanted.then(String::new);
            }
            // A footnote's text is no summary, wherever its definition is written.
            Event::Start(Tag::FootnoteDefinition(_)) => self.in_footnote = true,
            Event::End(TagEnd::FootnoteDefinition) => self.in_footnote = false,
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = self.in_h1.as_mut() {
                    h.push_str(t);
                } else if let Some(p) = self.para.as_mut() {
                    p.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = self.para.as_mut() {
                    p.push(' ');
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => self.link(*link_type, dest_url, range.start),
            Event::Start(Tag::Image { dest_url, .. }) if !crate::url_scheme::is_linkable(dest_url) => {
                let loc = self.loc(range.start);
                self.out.unlinkable.push(LinkRef { dest: dest_url.to_string(), wiki: false, loc });
            }
            Event::Start(_) if self.depth == 0 && self.in_h1.is_none() && !self.in_h2_summary => {
                self.first_block = false
            }
            Event::Html(_) | Event::Rule => self.first_block = false,
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        let text = collapse(&self.para.take().unwrap_or_default());
        if !text.is_empty() && !self.in_footnote {
            if self.out.first_paragraph.is_none() {
                self.out.first_paragraph = Some(text.clone());
            }
            if self.after_summary && self.out.summary_section.is_none() {
                self.out.summary_section = Some(text);
            }
        }
        self.after_summary = false;
        self.first_block = false;
    }

    fn link(&mut self, link_type: LinkType, dest_url: &str, start: usize) {
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        if !wiki && !crate::url_scheme::is_linkable(dest_url) {
            let loc = self.loc(start);
            self.out.unlinkable.push(LinkRef { dest: dest_url.to_string(), wiki, loc });
            return;
        }
        let internal = wiki || (!matches!(link_type, LinkType::Autolink | LinkType::Email) && !is_external(dest_url));
        if internal && !dest_url.is_empty() {
            let loc = self.loc(start);
            self.out.links.push(LinkRef { dest: dest_url.to_string(), wiki, loc });
        }
    }

    /// The place in the file of byte `at` of the body.
    fn loc(&self, at: usize) -> Location {
        let loc = Location::of_offset(self.body, at);
        Location::new(loc.line + self.body_line - 1, loc.column)
    }
}

/// Collapses runs of white space into one space and trims.
pub fn collapse(s: &str) -> String {
    if s.is_ascii() {
        return collapse_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The bytes `char::is_whitespace` accepts in ASCII (vertical tab included).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// [`collapse`] for ASCII text, byte by byte. Most text is already collapsed (words one space
/// apart), and is then copied as it is after one check.
fn collapse_ascii(s: &str) -> String {
    let bytes = s.as_bytes();
    let ends_clean =
        !bytes.first().is_some_and(|&b| is_ascii_space(b)) && !bytes.last().is_some_and(|&b| is_ascii_space(b));
    // No white space but single spaces: no tab, line feed, vertical tab, form feed or carriage
    // return (0x09..=0x0d; a fold without early exit, which compiles to vector code), and no
    // two spaces in a row.
    let collapsed = ends_clean
        && !bytes.iter().fold(false, |any, &b| any | (b.wrapping_sub(0x09) < 5))
        && !bytes.windows(2).fold(false, |any, w| any | ((w[0] == b' ') & (w[1] == b' ')));
    if collapsed {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for &b in bytes {
        if is_ascii_space(b) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(char::from(b));
    }
    out
}

/// Cuts `s` to at most `max` characters at a word boundary, adding `…`.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_heading_summary_and_links() {
        let body = "# The title\n\nIntro para.\n\n## Summary\n\nShort *summary* here.\n\nSee [x](../notes/a.md), [[b|B]] and [web](https://x.org).\n";
        let s = scan(body, 5);
        assert_eq!(s.heading.as_ref().map(|h| h.0.as_str()), Some("The title"));
        assert_eq!(s.heading.as_ref().and_then(|h| h.1.clone()), Some(0..12));
        assert_eq!(s.first_paragraph.as_deref(), Some("Intro para."));
        assert_eq!(s.summary_section.as_deref(), Some("Short summary here."));
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0], LinkRef { dest: "../notes/a.md".into(), wiki: false, loc: Location::new(13, 5) });
        assert_eq!(s.links[1].dest, "b");
        assert!(s.links[1].wiki);
    }

    #[test]
    fn links_of_other_schemes_are_found_with_their_places() {
        let s = scan("Intro.\n\nSee [x](javascript:alert(1)) and\n![p]( data:image/png,x ), [ok](https://x.org), <mailto:a@b.c>.\n", 4);
        let found: Vec<(&str, usize, usize)> =
            s.unlinkable.iter().map(|l| (l.dest.as_str(), l.loc.line, l.loc.column)).collect();
        assert_eq!(found, [("javascript:alert(1)", 6, 5), ("data:image/png,x", 7, 1)]);
        assert!(s.links.is_empty(), "{:?}", s.links);
    }

    #[test]
    fn collapse_joins_words_with_one_space() {
        let cases = [
            "",
            " ",
            "a",
            "  a  b\t\tc\r\n",
            "x\x0by\x0cz",
            "é\u{a0}e  f\u{2003}g ",
            "\u{85}h",
            "one two three",
            "one two ",
            " one",
            "a\x01b \x1fc",
            "a \nb",
        ];
        for s in cases {
            assert_eq!(collapse(s), s.split_whitespace().collect::<Vec<_>>().join(" "), "{s:?}");
        }
    }

    #[test]
    fn a_later_heading_is_not_removed() {
        let s = scan("Para first.\n\n# Heading\n", 1);
        assert_eq!(s.heading, Some(("Heading".into(), None)));
    }

    #[test]
    fn truncates_at_words() {
        assert_eq!(truncate("one two three four", 12), "one two…");
        assert_eq!(truncate("short", 12), "short");
    }

    use proptest::prelude::*;

    /// A piece of a body and the link it holds: `Some((dest, wiki, unlinkable))`.
    fn piece() -> impl Strategy<Value = (String, Option<(String, bool, bool)>)> {
        prop_oneof![
            "[a-z]{1,8}".prop_map(|w| (w, None)),
            "[A-Z][a-z]{0,6}( [a-z]{1,5})?".prop_map(|t| (format!("[[{t}]]"), Some((t, true, false)))),
            ("[A-Z][a-z]{0,6}", "[a-z]{1,5}").prop_map(|(t, l)| (format!("[[{t}|{l}]]"), Some((t, true, false)))),
            "(\\.\\./)?[a-z]{1,6}/[a-z0-9-]{1,8}\\.md(#[a-z]{1,4})?"
                .prop_map(|d| (format!("[see]({d})"), Some((d, false, false)))),
            "https?://[a-z]{1,6}\\.org/[a-z]{0,5}".prop_map(|d| (format!("[web]({d})"), None)),
            "(javascript|data|file|vbscript):[a-z]{1,6}".prop_map(|d| (format!("[bad]({d})"), Some((d, false, true)))),
            "(JavaScript|data):[a-z]{1,6}".prop_map(|d| (format!("![img]({d})"), Some((d, false, true)))),
            Just(("![pic](a/b.png)".to_string(), None)),
            Just(("`[code](x/y.md)`".to_string(), None)),
            Just(("<https://auto.org>".to_string(), None)),
        ]
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Every wiki link and relative link is found at its line and column, in order; links
        /// of other schemes are found apart; web links, images and code are not links to check.
        #[test]
        fn links_are_found_where_they_are_written(
            pieces in proptest::collection::vec((piece(), 0usize..3), 0..16), body_line in 1usize..30
        ) {
            let (mut body, mut line, mut column) = (String::new(), body_line, 1);
            let (mut links, mut unlinkable) = (Vec::new(), Vec::new());
            for ((text, link), sep) in pieces {
                if let Some((dest, wiki, bad)) = link {
                    let found = LinkRef { dest, wiki, loc: Location::new(line, column) };
                    if bad { unlinkable.push(found) } else { links.push(found) }
                }
                body.push_str(&text);
                column += text.chars().count();
                let sep = ["", " ", "\n", "\n\n"][sep + 1];
                body.push_str(sep);
                if sep == " " {
                    column += 1;
                } else {
                    line += sep.len();
                    column = 1;
                }
            }
            let s = scan(&body, body_line);
            prop_assert_eq!(s.links, links, "{:?}", body);
            prop_assert_eq!(s.unlinkable, unlinkable, "{:?}", body);
        }

        /// Any text scans without a panic, and what it finds lies within it.
        #[test]
        fn any_body_scans(body in "\\PC{0,80}|[\\[\\]()!#:a-z/. \\n`<>|-]{0,80}") {
            let s = scan(&body, 1);
            let last = body.matches('\n').count() + 1;
            for l in s.links.iter().chain(&s.unlinkable) {
                prop_assert!(l.loc.line >= 1 && l.loc.line <= last, "{l:?} in {body:?}");
            }
        }
    }
}
