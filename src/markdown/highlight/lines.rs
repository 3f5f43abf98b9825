//! syntect's HTML for a code block, a line at a time, with each line's result remembered on
//! the thread that made it. syntect reads a line from the state the lines above left behind
//! (the grammar's open contexts and the open scopes), so a remembered line is used again only
//! when it comes in the same syntax and the same state: what is written is then what syntect
//! writes, by construction, and the tests hold it to syntect's own `ClassedHTMLGenerator`.
//! syntect's documentation names caching by parse state as the way to go faster; postmortems
//! quote the same commands, queries and configs from one incident to the next.

use std::cell::RefCell;
use std::collections::HashMap;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Lines remembered per thread before the memory is emptied and starts again: a line and its
/// states take about a kilobyte, so a few megabytes per thread.
const REMEMBERED: usize = 4096;
/// Lines noted as seen once before that note is emptied (8 bytes each).
const NOTED: usize = 1 << 16;
/// Longer lines are never remembered, so the memory is bounded in bytes as well as in lines
/// (a line's HTML runs to several times its length); long lines seldom repeat anyway.
const LONGEST: usize = 512;

/// Where syntect stands between two lines.
#[derive(Clone, PartialEq, Eq)]
struct State {
    parse: ParseState,
    scopes: ScopeStack,
}

/// One line as syntect highlighted it, from one state.
struct Line {
    /// The syntax, by address: the syntax set lives as long as the process.
    syntax: usize,
    before: State,
    after: State,
    html: Box<str>,
    /// Spans opened minus spans closed.
    opened: isize,
}

/// The lines remembered on one thread, by their text. A line is remembered the second time it
/// is seen: the first time only a hash of it is noted, so code that never repeats costs a hash
/// a line (remembering every line cost 4.7% of a build whose code lines were all different).
#[derive(Default)]
struct Memory {
    lines: HashMap<Box<str>, Vec<Line>>,
    count: usize,
    seen: std::collections::HashSet<u64>,
}

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::default();
}

/// Highlights `code` with `syntax`, as `ClassedHTMLGenerator` would; `None` when syntect fails
/// on a line.
pub(super) fn highlight(code: &str, syntax: &SyntaxReference, set: &SyntaxSet, style: ClassStyle) -> Option<String> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let id = std::ptr::from_ref(syntax) as usize;
        let mut state = State { parse: ParseState::new(syntax), scopes: ScopeStack::new() };
        let mut open = 0isize;
        let mut html = String::with_capacity(code.len() * 4);
        for text in LinesWithEndings::from(code) {
            if let Some(line) = memory.recall(id, text, &state) {
                html.push_str(&line.html);
                open += line.opened;
                state.clone_from(&line.after);
                continue;
            }
            let before = (text.len() <= LONGEST && memory.seen_before(id, text)).then(|| state.clone());
            let ops = state.parse.parse_line(text, set).ok()?;
            let (out, opened) = line_tokens_to_classed_spans(text, &ops, style, &mut state.scopes).ok()?;
            html.push_str(&out);
            open += opened;
            if let Some(before) = before {
                memory.remember(text, Line { syntax: id, before, after: state.clone(), html: out.into(), opened });
            }
        }
        for _ in 0..open {
            html.push_str("</span>");
        }
        Some(html)
    })
}

impl Memory {
    /// The remembered line `text` of `syntax` highlighted from `state`.
    fn recall(&self, syntax: usize, text: &str, state: &State) -> Option<&Line> {
        self.lines.get(text)?.iter().find(|l| l.syntax == syntax && l.before == *state)
    }

    /// Whether `text` of `syntax` was noted before; notes it.
    fn seen_before(&mut self, syntax: usize, text: &str) -> bool {
        if self.seen.len() >= NOTED {
            self.seen.clear();
        }
        let hash = xxhash_rust::xxh3::xxh3_64_with_seed(text.as_bytes(), syntax as u64);
        !self.seen.insert(hash)
    }

    fn remember(&mut self, text: &str, line: Line) {
        if self.count >= REMEMBERED {
            self.lines.clear();
            self.count = 0;
        }
        self.count += 1;
        self.lines.entry(text.into()).or_default().push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use syntect::html::ClassedHTMLGenerator;

    const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

    /// syntect's own generator, without memory.
    fn plain(code: &str, token: &str) -> String {
        let set = super::super::syntaxes();
        let syntax = set.find_syntax_by_token(token).expect("a known language");
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).expect("syntect reads it");
        }
        gen.finalize()
    }

    fn remembered(code: &str, token: &str) -> String {
        let set = super::super::syntaxes();
        let syntax = set.find_syntax_by_token(token).expect("a known language");
        highlight(code, syntax, set, STYLE).expect("syntect reads it")
    }

    #[test]
    fn a_line_seen_in_another_state_is_highlighted_again() {
        // `x = 1` is code on its own and string inside the triple quotes: the same text, two
        // states, two results.
        let code = "x = 1\ns = \"\"\"\nx = 1\n\"\"\"\nx = 1\n";
        for _ in 0..3 {
            assert_eq!(remembered(code, "python"), plain(code, "python"));
        }
        // The same line in another language is another line.
        assert_eq!(remembered("x = 1\n", "rust"), plain("x = 1\n", "rust"));
    }

    #[test]
    fn blocks_that_repeat_give_syntects_html() {
        let blocks = [
            ("bash", "for f in *; do\n  echo \"$f\" # note\ndone\n"),
            ("go", "func f() error {\n\treturn nil\n}\n"),
            ("sql", "SELECT a\nFROM t -- why\nWHERE b > 1;\n"),
            ("rust", "fn f() {\n    let s = \"a\n}\";\n}\n"),
            ("python", "def f():\n    '''doc\n    more'''\n    return 1\n"),
        ];
        for round in 0..3 {
            for (lang, code) in blocks {
                assert_eq!(remembered(code, lang), plain(code, lang), "{lang} round {round}");
            }
        }
    }

    #[test]
    fn long_lines_are_highlighted_but_never_remembered() {
        let line = format!("x = \"{}\"\n", "a".repeat(LONGEST));
        let code = line.repeat(3);
        assert_eq!(remembered(&code, "python"), plain(&code, "python"));
        MEMORY.with(|m| assert!(!m.borrow().lines.contains_key(line.as_str())));
    }

    #[test]
    fn memory_stays_bounded() {
        let code: String = (0..REMEMBERED + 10).map(|i| format!("x_{i} = {i}\n")).collect();
        // Seen once, then remembered.
        for _ in 0..2 {
            assert_eq!(remembered(&code, "python"), plain(&code, "python"));
        }
        MEMORY.with(|m| assert!(m.borrow().count <= REMEMBERED));
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]
        /// Blocks made of a few lines that open and close strings, comments and brackets, in
        /// any order and repeated, come out as syntect writes them without memory.
        #[test]
        fn remembered_lines_give_syntects_html(
            picks in proptest::collection::vec(0usize..8, 1..24),
            lang in prop::sample::select(vec!["python", "rust", "go", "bash", "sql"]),
        ) {
            const LINES: [&str; 8] =
                ["x = 1\n", "\"\"\"\n", "/* a\n", "*/\n", "{\n", "}\n", "# c \"q\n", "'\n"];
            let code: String = picks.iter().map(|&i| LINES[i]).collect();
            prop_assert_eq!(remembered(&code, lang), plain(&code, lang));
        }
    }
}
