//! A body's plain text, for the search index and similar incidents: its headings apart, and
//! every other block (paragraph, list item, table row, code block) as one line of words, white
//! space collapsed. Raw HTML is left out; link text stays, link targets do not. It is gathered
//! by a [`TextWalker`] fed the events of a parse, so a postmortem's body is parsed once for
//! its text, its outline and its scan.

use super::scan::options as markdown_options;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// The words of a body, by block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Text {
    /// Every heading's text.
    pub headings: Vec<String>,
    /// Every other block's text, white space collapsed.
    pub blocks: Vec<String>,
    /// Per block: whether it is running text, which similar incidents read: not a code block
    /// (nor a block a code block ran into) and not a table row that starts with a time or a
    /// date (a timeline's).
    pub running: Vec<bool>,
    /// Which heading is the body's first level-1 heading (a title, which similar incidents
    /// leave out).
    pub first_h1: Option<usize>,
}

/// How many characters of body sentences a document keeps for search snippets.
const SNIPPET_CHARS: usize = 320;

impl Text {
    /// The first sentences of the body, up to 320 characters, leaving out what `summary`
    /// already shows: what a search result shows under its title.
    pub fn snippet(&self, summary: Option<&str>) -> Vec<String> {
        snippet_sentences(&self.blocks, summary)
    }
}

/// Reads the plain text of a Markdown body.
pub fn text(body: &str) -> Text {
    let mut w = TextWalker::default();
    for event in Parser::new_ext(body, markdown_options()) {
        w.event(&event);
    }
    w.finish()
}

/// The walk that gathers a [`Text`], one event at a time.
#[derive(Default)]
pub struct TextWalker {
    out: Text,
    cur: String,
    /// A code block's text is in `cur`.
    code: bool,
    /// A table row or head is being read.
    row: bool,
    /// A level-1 heading was met.
    h1_met: bool,
    /// The heading being read is the first level-1 one.
    in_first_h1: bool,
}

impl TextWalker {
    /// Reads one event of the body.
    pub fn event(&mut self, event: &Event) {
        match event {
            Event::Text(t) | Event::Code(t) => self.cur.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.cur.push(' '),
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush_block();
                self.in_first_h1 = *level == HeadingLevel::H1 && !self.h1_met;
                self.h1_met |= *level == HeadingLevel::H1;
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = super::scan::collapse(&self.cur);
                self.cur.clear();
                if !text.is_empty() {
                    if self.in_first_h1 {
                        self.out.first_h1 = Some(self.out.headings.len());
                    }
                    self.out.headings.push(text);
                }
                self.in_first_h1 = false;
            }
            Event::Start(Tag::CodeBlock(_)) => self.code = true,
            Event::Start(Tag::TableHead | Tag::TableRow) => self.row = true,
            Event::Start(Tag::TableCell) => self.cur.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead | TagEnd::CodeBlock)
            | Event::Start(Tag::Item | Tag::Paragraph) => self.flush_block(),
            _ => {}
        }
    }

    fn flush_block(&mut self) {
        let text = super::scan::collapse(&self.cur);
        if !text.is_empty() {
            let timeline = self.row && text.starts_with(|c: char| c.is_ascii_digit());
            self.out.running.push(!self.code && !timeline);
            self.out.blocks.push(text);
        }
        self.cur.clear();
        self.code = false;
        self.row = false;
    }

    /// The text gathered.
    pub fn finish(mut self) -> Text {
        self.flush_block();
        self.out
    }
}

/// The first sentences of the body, up to [`SNIPPET_CHARS`], leaving out what the summary
/// already shows (a summary taken from the body may be its first sentences, cut short).
fn snippet_sentences(blocks: &[String], summary: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut used = 0;
    let summary = summary.map(|s| s.trim_end_matches('…'));
    for s in blocks.iter().flat_map(|b| sentences(b)) {
        if used >= SNIPPET_CHARS {
            break;
        }
        if summary.is_some_and(|sum| occurs(sum, s) || s.starts_with(sum)) {
            continue;
        }
        let s = super::scan::truncate(s, (SNIPPET_CHARS - used).max(60));
        used += s.chars().count();
        out.push(s);
    }
    out
}

/// Splits a block at `. `, `! ` and `? `, found byte by byte (in UTF-8 no byte of a longer
/// character is a stop or a space, so every cut falls between characters).
fn sentences(block: &str) -> impl Iterator<Item = &str> {
    let mut rest = block;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let stop = rest.as_bytes().windows(2).position(|w| matches!(w, [b'.' | b'!' | b'?', b' ']));
        let (s, r) = rest.split_at(stop.map_or(rest.len(), |i| i + 1));
        rest = r.trim_start();
        Some(s.trim())
    })
}

/// Whether `needle` occurs in `hay`, as `hay.contains(needle)` answers, for the short texts of
/// a snippet: each place where the needle's first character is found (a `memchr`) is compared,
/// where `contains` first spends time proportional to the needle on its search tables.
fn occurs(hay: &str, needle: &str) -> bool {
    let Some(first) = needle.chars().next() else {
        return true;
    };
    let mut from = 0;
    while hay.len() - from >= needle.len() {
        match hay[from..].find(first) {
            Some(i) if hay[from + i..].starts_with(needle) => return true,
            Some(i) => from += i + first.len_utf8(),
            None => return false,
        }
    }
    false
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

    #[test]
    fn running_text_leaves_out_code_timeline_rows_and_the_title() {
        let body = "# Title\n\nIntro *here*.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 14:02 | Paged |\n\n\
                    - fix:\n  ```\n  code\n  ```\n\n```\nmore code\n```\n\n# Second\n";
        let t = text(body);
        assert_eq!(t.headings, ["Title", "Timeline", "Second"]);
        assert_eq!(t.blocks, ["Intro here.", "Time Event", "14:02 Paged", "fix:code", "more code"]);
        assert_eq!(t.running, [true, true, false, false, false]);
        assert_eq!(t.first_h1, Some(0));
        assert_eq!(text("## Only\n\n# Later title\n").first_h1, Some(1), "the first level-1 heading, wherever it is");
        assert_eq!(text("#\n\n# Next\n").first_h1, None, "an empty first title heading takes no other");
    }

    #[test]
    fn sentences_split_at_stops_followed_by_space() {
        let got: Vec<&str> = sentences("One v1.2 fix. Two! Three? four").collect();
        assert_eq!(got, ["One v1.2 fix.", "Two!", "Three?", "four"]);
        let got: Vec<&str> = sentences("Café… fermé.  Ünï? ok. . end.").collect();
        assert_eq!(got, ["Café… fermé.", "Ünï?", "ok.", ".", "end."]);
    }

    #[test]
    fn occurs_answers_as_contains_does() {
        let hay = "The queue lag. Résumé of the café, the end";
        for needle in ["", "The", "the end", "the endx", "é", "café", "e q", "Résumé of", "x", hay, "end", "d"] {
            assert_eq!(occurs(hay, needle), hay.contains(needle), "{needle:?}");
        }
        assert!(!occurs("", "a") && occurs("", "") && occurs("aaab", "aab") && !occurs("ab", "abc"));
    }

    #[test]
    fn snippets_skip_the_summary_and_stay_short() {
        let blocks = vec!["The summary. Something else here.".to_string(), "x ".repeat(400)];
        let got = snippet_sentences(&blocks, Some("The summary."));
        assert_eq!(got[0], "Something else here.");
        let cut = snippet_sentences(&["A long first sentence. Then more.".to_string()], Some("A long first…"));
        assert_eq!(cut, ["Then more."], "a summary cut from the first sentence covers it");
        assert!(got.iter().map(|s| s.chars().count()).sum::<usize>() <= SNIPPET_CHARS + 2, "{got:?}");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// A body whose title heading is taken out (as `model::doc` takes it, by the scan's
        /// range) reads as the whole body read without that heading: what the search index is
        /// given when it counts a postmortem's body as it is read.
        #[test]
        fn a_body_less_its_title_heading_reads_as_the_whole_less_that_heading(
            title in "(# |#  )?[A-Za-z *`_]{0,12}(\n=+)?",
            rest in proptest::collection::vec("(#{1,3} |- |1. |> |    |\\| a \\| b \\||```|\n|\\*|_|[A-Za-z0-9 .:])[A-Za-z0-9 *_`.:#|\\[\\]()-]{0,16}", 0..8),
        ) {
            let body = format!("{title}\n{}\n", rest.join("\n"));
            let scan = super::super::scan::scan(&body, 1);
            if let Some((heading, Some(range))) = scan.heading {
                let mut less = body.clone();
                less.replace_range(range, "");
                let whole = text(&body);
                let mut want = whole.clone();
                if let Some(k) = whole.first_h1 {
                    proptest::prop_assert_eq!(k, 0);
                    proptest::prop_assert_eq!(&want.headings[0], &heading);
                    want.headings.remove(0);
                }
                let got = text(&less);
                proptest::prop_assert_eq!(got.headings, want.headings);
                proptest::prop_assert_eq!(got.blocks, want.blocks);
            }
        }
    }
}
