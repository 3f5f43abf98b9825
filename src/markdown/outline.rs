//! A body's block structure as plain text with line numbers, for reading a postmortem's own
//! sections (docs/content.md#reading-plain-postmortems): headings, paragraphs (line by line), list items with their depth,
//! checkbox and links, and table rows. Code blocks and raw HTML are left out.

use super::scan::{options as markdown_options, Scan, Scanner};
use super::text::{Text, TextWalker};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// One line of text in a block, with the 1-based line of the body it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Line in the body (1-based).
    pub line: usize,
    /// The text, inline markup removed.
    pub text: String,
}

/// A link inside a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLink {
    /// Where it points.
    pub dest: String,
    /// Its text.
    pub text: String,
}

/// A block of the body, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading of `level` 1–6.
    Heading {
        /// 1 for `#`.
        level: u8,
        /// Its text.
        text: String,
        /// Line in the body.
        line: usize,
    },
    /// A paragraph outside any list item.
    Paragraph {
        /// Its lines.
        lines: Vec<Line>,
        /// All of its text is emphasised: a template's instructions (`_What happened..._`).
        emphasised: bool,
    },
    /// A list item's own text (nested items are blocks of their own, right after it).
    Item {
        /// 0 for an item of a list that is in no other list.
        depth: usize,
        /// `Some(true)` for `[x]`, `Some(false)` for `[ ]`.
        task: Option<bool>,
        /// Its lines.
        lines: Vec<Line>,
        /// Links in it.
        links: Vec<ItemLink>,
    },
    /// A table row's cells.
    Row {
        /// Cell texts.
        cells: Vec<String>,
        /// The header row.
        header: bool,
        /// Line in the body.
        line: usize,
    },
}

impl Block {
    /// The block's text, its lines joined by spaces.
    pub fn text(&self) -> String {
        match self {
            Block::Heading { text, .. } => text.clone(),
            Block::Paragraph { lines, .. } | Block::Item { lines, .. } => join(lines),
            Block::Row { cells, .. } => cells.join(" | "),
        }
    }

    /// The line the block starts on.
    pub fn line(&self) -> usize {
        match self {
            Block::Heading { line, .. } | Block::Row { line, .. } => *line,
            Block::Paragraph { lines, .. } | Block::Item { lines, .. } => lines.first().map_or(1, |l| l.line),
        }
    }
}

fn join(lines: &[Line]) -> String {
    lines.iter().map(|l| l.text.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Where each line of a text starts, to turn byte offsets into line numbers in one search.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        LineStarts(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|s| *s <= offset)
    }
}

/// The block being filled.
#[derive(Default)]
struct Open {
    lines: Vec<Line>,
    links: Vec<ItemLink>,
    task: Option<bool>,
    /// The link opened and not yet closed: its destination and text so far.
    link: Option<(String, String)>,
    /// Some text outside emphasis was seen.
    plain: bool,
}

impl Open {
    fn push(&mut self, line: usize, s: &str) {
        if let Some((_, text)) = self.link.as_mut() {
            text.push_str(s);
        }
        match self.lines.last_mut() {
            Some(l) if l.line == line || l.text.is_empty() => l.text.push_str(s),
            _ => self.lines.push(Line { line, text: s.to_string() }),
        }
    }
}

/// Reads the outline of `body`; lines are counted from 1 at the body's start.
pub fn outline(body: &str) -> Vec<Block> {
    let starts = LineStarts::new(body);
    let mut w = Walker::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        w.event(&event, starts.line(range.start));
    }
    w.finish()
}

/// [`outline`], the cheap [`scan`](super::scan::Scanner) of `body` (whose first line is line
/// `body_line` of the file) and its [`Text`], from one parse: a postmortem's body is read for
/// all three.
pub fn outline_scan_and_text(body: &str, body_line: usize) -> (Vec<Block>, Scan, Text) {
    let starts = LineStarts::new(body);
    let mut w = Walker::default();
    let mut scan = Scanner::new(body, body_line);
    let mut text = TextWalker::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        w.event(&event, starts.line(range.start));
        text.event(&event);
        scan.event(&event, range);
    }
    (w.finish(), scan.finish(), text.finish())
}

/// The cheap [`scan`](super::scan::Scanner) of `body` and its [`Text`], from one parse (a
/// postmortem's when its sections are not read).
pub fn scan_and_text(body: &str, body_line: usize) -> (Scan, Text) {
    let mut scan = Scanner::new(body, body_line);
    let mut text = TextWalker::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        text.event(&event);
        scan.event(&event, range);
    }
    (scan.finish(), text.finish())
}

impl Walker {
    /// The blocks, their lines trimmed and empty paragraphs left out.
    fn finish(self) -> Vec<Block> {
        let mut out = self.out;
        for block in &mut out {
            if let Block::Item { lines, .. } | Block::Paragraph { lines, .. } = block {
                lines.retain_mut(|l| {
                    l.text = l.text.trim().to_string();
                    !l.text.is_empty()
                });
            }
        }
        out.retain(|b| !matches!(b, Block::Paragraph { lines, .. } if lines.is_empty()));
        out
    }
}

/// The walk over a body's events: the blocks so far and those still open.
#[derive(Default)]
struct Walker {
    out: Vec<Block>,
    /// Open list items, innermost last; each with the index its block will take in `out`.
    items: Vec<(usize, Open)>,
    /// Lists open around the current event.
    depth: usize,
    para: Option<Open>,
    heading: Option<(u8, usize, String)>,
    /// Cells, whether it is the header, line.
    row: Option<(Vec<String>, bool, usize)>,
    in_head: bool,
    /// Code or HTML blocks open (their content is skipped).
    skip: usize,
    /// Emphasis or strong spans open.
    emphasis: usize,
}

impl Walker {
    fn event(&mut self, event: &Event, line: usize) {
        if self.skip > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => self.skip += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => self.skip -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(*tag, line),
            Event::TaskListMarker(done) => {
                if let Some((_, open)) = self.items.last_mut() {
                    open.task = Some(*done);
                }
            }
            Event::Text(t) | Event::Code(t) => self.text(t, line),
            Event::SoftBreak | Event::HardBreak => self.line_break(line),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag, line: usize) {
        match tag {
            Tag::CodeBlock(_) | Tag::HtmlBlock => self.skip = 1,
            Tag::Emphasis | Tag::Strong => self.emphasis += 1,
            Tag::Heading { level, .. } => self.heading = Some((*level as u8, line, String::new())),
            Tag::List(_) => self.depth += 1,
            Tag::Item => {
                self.items.push((self.out.len(), Open::default()));
                // Reserve the item's place before its nested items.
                self.out.push(Block::Paragraph { lines: Vec::new(), emphasised: false });
            }
            Tag::Paragraph if self.items.is_empty() => self.para = Some(Open::default()),
            Tag::TableHead => {
                self.in_head = true;
                self.row = Some((Vec::new(), true, line));
            }
            Tag::TableRow => self.row = Some((Vec::new(), self.in_head, line)),
            Tag::TableCell => {
                if let Some((cells, _, _)) = self.row.as_mut() {
                    cells.push(String::new());
                }
            }
            Tag::Link { dest_url, .. } => {
                if let Some((_, open)) = self.items.last_mut() {
                    open.link = Some((dest_url.to_string(), String::new()));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, line: usize) {
        match tag {
            TagEnd::Emphasis | TagEnd::Strong => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Heading(_) => {
                if let Some((level, line, text)) = self.heading.take() {
                    self.out.push(Block::Heading { level, text: text.trim().to_string(), line });
                }
            }
            TagEnd::List(_) => self.depth = self.depth.saturating_sub(1),
            TagEnd::Item => {
                if let Some((at, open)) = self.items.pop() {
                    let depth = self.depth.saturating_sub(1);
                    self.out[at] = Block::Item { depth, task: open.task, lines: open.lines, links: open.links };
                }
            }
            TagEnd::Paragraph if self.items.is_empty() => {
                if let Some(p) = self.para.take().filter(|p| !p.lines.is_empty()) {
                    self.out.push(Block::Paragraph { lines: p.lines, emphasised: !p.plain });
                }
            }
            TagEnd::Paragraph => {
                if let Some((_, open)) = self.items.last_mut() {
                    open.push(line, " ");
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                self.in_head &= tag != TagEnd::TableHead;
                if let Some((cells, header, line)) = self.row.take() {
                    self.out.push(Block::Row { cells, header, line });
                }
            }
            TagEnd::Link => {
                if let Some((_, open)) = self.items.last_mut() {
                    if let Some((dest, text)) = open.link.take() {
                        open.links.push(ItemLink { dest, text: text.trim().to_string() });
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str, line: usize) {
        if let Some((_, _, h)) = self.heading.as_mut() {
            h.push_str(t);
        } else if let Some((cells, _, _)) = self.row.as_mut() {
            if let Some(c) = cells.last_mut() {
                c.push_str(t);
            }
        } else if let Some((_, open)) = self.items.last_mut() {
            open.push(line, t);
        } else if let Some(p) = self.para.as_mut() {
            p.plain |= self.emphasis == 0 && !t.trim().is_empty();
            p.push(line, t);
        }
    }

    fn line_break(&mut self, line: usize) {
        if let Some((_, _, h)) = self.heading.as_mut() {
            h.push(' ');
        } else if let Some((_, open)) = self.items.last_mut() {
            open.lines.push(Line { line: line + 1, text: String::new() });
        } else if let Some(p) = self.para.as_mut() {
            p.lines.push(Line { line: line + 1, text: String::new() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<(usize, String)> {
        outline(body).iter().map(|b| (b.line(), b.text())).collect()
    }

    #[test]
    fn blocks_in_order_with_lines() {
        let body = "# Title\n\nSeverity: **SEV1**\nServices: `checkout`\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2024-03-12 14:02 | Paged |\n\n```\n# not a heading\n```\n\n- [x] Add a timeout ([PAY-1](https://t/PAY-1))\n  - nested one\n- plain\n";
        assert_eq!(
            texts(body),
            [
                (1, "Title".to_string()),
                (3, "Severity: SEV1 Services: checkout".into()),
                (6, "Timeline".into()),
                (8, "Time | Event".into()),
                (10, "2024-03-12 14:02 | Paged".into()),
                (16, "Add a timeout (PAY-1)".into()),
                (17, "nested one".into()),
                (18, "plain".into()),
            ]
        );
        let blocks = outline(body);
        let Block::Paragraph { lines, emphasised: false } = &blocks[1] else { panic!("{:?}", blocks[1]) };
        assert_eq!(lines[1], Line { line: 4, text: "Services: checkout".into() });
        let Block::Item { depth, task, links, lines } = &blocks[5] else { panic!("{:?}", blocks[5]) };
        assert_eq!((*depth, *task), (0, Some(true)));
        assert_eq!(links[0].dest, "https://t/PAY-1");
        assert_eq!((links[0].text.as_str(), join(lines).as_str()), ("PAY-1", "Add a timeout (PAY-1)"));
        assert!(matches!(blocks[6], Block::Item { depth: 1, task: None, .. }));
    }

    #[test]
    fn a_wholly_emphasised_paragraph_is_marked() {
        let got: Vec<bool> = outline("_What happened, in two sentences._\n\n**Date:** 2024-01-02\n\n*All* of it\n")
            .iter()
            .map(|b| matches!(b, Block::Paragraph { emphasised: true, .. }))
            .collect();
        assert_eq!(got, [true, false, false]);
    }

    #[test]
    fn loose_items_keep_their_paragraphs() {
        let body = "- first\n\n  more of it\n\n- second\n";
        assert_eq!(texts(body), [(1, "first more of it".to_string()), (5, "second".into())]);
    }
}
