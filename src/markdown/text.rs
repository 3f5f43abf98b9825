//! A body's plain text, for the search index: its headings apart, and every other block
//! (paragraph, list item, table row, code block) as one line of words, white space collapsed. Raw HTML is left out;
//! link text stays, link targets do not.

use super::scan::options as markdown_options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The words of a body, by block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Text {
    /// Every heading's text.
    pub headings: Vec<String>,
    /// Every other block's text, white space collapsed.
    pub blocks: Vec<String>,
}

/// Reads the plain text of a Markdown body.
pub fn text(body: &str) -> Text {
    let mut out = Text::default();
    let mut cur = String::new();
    for event in Parser::new_ext(body, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cur.push(' '),
            Event::Start(Tag::Heading { .. }) => flush(&mut cur, &mut out.blocks),
            Event::End(TagEnd::Heading(_)) => flush(&mut cur, &mut out.headings),
            Event::Start(Tag::TableCell) => cur.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead | TagEnd::CodeBlock)
            | Event::Start(Tag::Item | Tag::Paragraph) => flush(&mut cur, &mut out.blocks),
            _ => {}
        }
    }
    flush(&mut cur, &mut out.blocks);
    out
}

fn flush(cur: &mut String, to: &mut Vec<String>) {
    let text = super::scan::collapse(cur);
    if !text.is_empty() {
        to.push(text);
    }
    cur.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_apart_blocks_in_order() {
        let body = "Intro with [a link](https://x.org) and `code`.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 14:02 | Paged |\n\n- one\n- two\n  continued\n\n```\nerr: timeout\nretry\n```\n\n<div>raw</div>\n";
        let t = text(body);
        assert_eq!(t.headings, ["Timeline"]);
        assert_eq!(
            t.blocks,
            ["Intro with a link and code.", "Time Event", "14:02 Paged", "one", "two continued", "err: timeout retry"]
        );
    }
}
