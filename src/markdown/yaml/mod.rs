//! A fast path for highlighting YAML: the common shapes of a configuration snippet (block
//! mappings and sequences of plain, numeric, boolean, null and one-line quoted scalars, one-line
//! flow sequences of them, block scalars, anchors, aliases and merge keys, comments) written
//! straight out as the spans syntect's YAML grammar gives them, byte for byte, at a small
//! fraction of the cost (syntect's YAML grammar runs ~80 Oniguruma searches on a three-line
//! block). Anything else (flow mappings, tags, directives, complex keys, multi-line strings,
//! tabs) returns `None` and syntect highlights the block; the tests check the two agree on every
//! block this path accepts.

mod scalar;

use crate::markdown::escape_into;
use scalar::{plain_len, quoted_len, write_plain, write_quoted, Plain};
use std::iter::Peekable;

/// The spans syntect writes for each YAML scope, with the `hl-` class prefix.
mod span {
    pub const SOURCE: &str = "<span class=\"hl-source hl-yaml\">";
    pub const PLAIN: &str = "<span class=\"hl-string hl-unquoted hl-plain hl-out hl-yaml\">";
    pub const TAG: &str = "<span class=\"hl-entity hl-name hl-tag hl-yaml\">";
    pub const SEPARATOR: &str = "<span class=\"hl-punctuation hl-separator hl-key-value hl-mapping hl-yaml\">:</span>";
    pub const ITEM: &str = "<span class=\"hl-punctuation hl-definition hl-block hl-sequence hl-item hl-yaml\">-</span>";
    pub const COMMENT: &str = "<span class=\"hl-comment hl-line hl-number-sign hl-yaml\"><span class=\"hl-punctuation hl-definition hl-comment hl-line hl-number-sign hl-yaml\">#</span>";
    pub const INTEGER: &str = "<span class=\"hl-constant hl-numeric hl-integer hl-yaml\">";
    pub const FLOAT: &str = "<span class=\"hl-constant hl-numeric hl-float hl-yaml\">";
    pub const BOOLEAN: &str = "<span class=\"hl-constant hl-language hl-boolean hl-yaml\">";
    pub const NULL: &str = "<span class=\"hl-constant hl-language hl-null hl-yaml\">";
    pub const DOUBLE: &str = "<span class=\"hl-string hl-quoted hl-double hl-yaml\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-yaml\">&quot;</span>";
    pub const DOUBLE_END: &str =
        "<span class=\"hl-punctuation hl-definition hl-string hl-end hl-yaml\">&quot;</span></span>";
    pub const DOUBLE_ESCAPE: &str = "<span class=\"hl-constant hl-character hl-escape hl-double-quoted hl-yaml\">";
    pub const SINGLE: &str = "<span class=\"hl-string hl-quoted hl-single hl-yaml\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-yaml\">&#39;</span>";
    pub const SINGLE_END: &str =
        "<span class=\"hl-punctuation hl-definition hl-string hl-end hl-yaml\">&#39;</span></span>";
    pub const SINGLE_ESCAPE: &str =
        "<span class=\"hl-constant hl-character hl-escape hl-single-quoted hl-yaml\">&#39;&#39;</span>";
    pub const DOCUMENT_BEGIN: &str = "<span class=\"hl-entity hl-other hl-document hl-begin hl-yaml\">---</span>";
    pub const DOCUMENT_END: &str = "<span class=\"hl-entity hl-other hl-document hl-end hl-yaml\">...</span>";
    pub const PLAIN_IN: &str = "<span class=\"hl-string hl-unquoted hl-plain hl-in hl-yaml\">";
    pub const SEQUENCE: &str = "<span class=\"hl-meta hl-flow-sequence hl-yaml\"><span class=\"hl-punctuation hl-definition hl-sequence hl-begin hl-yaml\">[</span>";
    pub const SEQUENCE_COMMA: &str = "<span class=\"hl-punctuation hl-separator hl-sequence hl-yaml\">,</span>";
    pub const SEQUENCE_END: &str =
        "<span class=\"hl-punctuation hl-definition hl-sequence hl-end hl-yaml\">]</span></span>";
    pub const LITERAL: &str =
        "<span class=\"hl-keyword hl-control hl-flow hl-block-scalar hl-literal hl-yaml\">|</span>";
    pub const FOLDED: &str =
        "<span class=\"hl-keyword hl-control hl-flow hl-block-scalar hl-folded hl-yaml\">&gt;</span>";
    pub const CHOMPING: &str = "<span class=\"hl-storage hl-modifier hl-chomping-indicator hl-yaml\">";
    pub const BLOCK: &str = "<span class=\"hl-string hl-unquoted hl-block hl-yaml\">";
    pub const ANCHOR: &str = "<span class=\"hl-meta hl-property hl-yaml\"><span class=\"hl-keyword hl-control hl-property hl-anchor hl-yaml\"><span class=\"hl-punctuation hl-definition hl-anchor hl-yaml\">&amp;</span></span><span class=\"hl-entity hl-name hl-other hl-anchor hl-yaml\">";
    pub const ALIAS: &str = "<span class=\"hl-keyword hl-control hl-flow hl-alias hl-yaml\"><span class=\"hl-punctuation hl-definition hl-alias hl-yaml\">*</span></span><span class=\"hl-variable hl-other hl-alias hl-yaml\">";
    pub const MERGE: &str = "<span class=\"hl-constant hl-language hl-merge hl-yaml\">";
    pub const VALUE: &str = "<span class=\"hl-constant hl-language hl-value hl-yaml\">";
    pub const END: &str = "</span>";
}

/// What a line leaves open after its text.
#[derive(Clone, Copy, Debug, PartialEq)]
enum End {
    /// Nothing.
    Line,
    /// A comment, which syntect closes after the newline.
    Comment,
    /// A block scalar header (`|`, `>-`, ...): the more indented lines after it are its text.
    Block,
}

/// YAML `code` highlighted as syntect's grammar would, or `None` when it holds a shape this
/// path does not know (the caller then asks syntect).
pub(super) fn highlight(code: &str) -> Option<String> {
    if code.is_empty() || code.bytes().any(|b| b == b'\t' || b == b'\r') {
        return None;
    }
    let mut out = String::with_capacity(code.len() * 8 + 64);
    out.push_str(span::SOURCE);
    let mut lines = code.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let text = line.strip_suffix('\n').unwrap_or(line);
        let end = write_line(&mut out, text)?;
        out.push_str(&line[text.len()..]);
        match end {
            End::Line => {}
            End::Comment => out.push_str(span::END),
            End::Block => write_block(&mut out, &mut lines, indent(text))?,
        }
    }
    out.push_str(span::END);
    Some(out)
}

/// The spaces a line starts with.
fn indent(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// The text of a block scalar whose header ended a line indented by `header`: the lines after
/// it indented as deeply as its first line, and blank lines among them, escaped in one span.
/// Left to syntect: no such first line, or one no deeper than the header's line.
fn write_block<'a>(out: &mut String, lines: &mut Peekable<impl Iterator<Item = &'a str>>, header: usize) -> Option<()> {
    let first = lines.peek()?;
    let depth = indent(first);
    if depth <= header || first.trim_start_matches(' ').trim_end_matches('\n').is_empty() {
        return None;
    }
    out.push_str(span::BLOCK);
    while let Some(line) = lines.next_if(|l| indent(l) >= depth || l.trim_matches([' ', '\n']).is_empty()) {
        escape_into(out, line);
    }
    out.push_str(span::END);
    Some(())
}

/// Writes one line without its newline, and says what it leaves open.
fn write_line(out: &mut String, text: &str) -> Option<End> {
    match text {
        "---" => out.push_str(span::DOCUMENT_BEGIN),
        "..." => out.push_str(span::DOCUMENT_END),
        _ if text.starts_with("---") || text.starts_with("...") || text.starts_with('%') => return None,
        _ => {
            let rest = text.trim_start_matches(' ');
            out.push_str(&text[..text.len() - rest.len()]);
            return write_items(out, rest);
        }
    }
    Some(End::Line)
}

/// Sequence dashes (`- - `), then a node.
fn write_items(out: &mut String, mut rest: &str) -> Option<End> {
    loop {
        match rest.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                out.push_str(span::ITEM);
                let node = after.trim_start_matches(' ');
                out.push_str(&after[..after.len() - node.len()]);
                rest = node;
            }
            _ => return write_node(out, rest, true),
        }
    }
}

/// A key and its value, a lone scalar, a flow sequence, a block scalar header or a comment;
/// nothing when `rest` is empty. After a key's `:`, `may_be_key` is false: a second `key:` on
/// the line is left to syntect.
fn write_node(out: &mut String, rest: &str, may_be_key: bool) -> Option<End> {
    let (len, quoted) = match rest.as_bytes().first() {
        None => return Some(End::Line),
        Some(b'#') => {
            out.push_str(span::COMMENT);
            escape_into(out, &rest[1..]);
            return Some(End::Comment);
        }
        Some(b'[') => {
            let len = write_sequence(out, rest)?;
            return write_tail(out, &rest[len..]);
        }
        Some(b'|' | b'>') => return write_block_header(out, rest),
        Some(b'&') => {
            let len = write_name(out, rest, span::ANCHOR)?;
            out.push_str(span::END);
            let after = &rest[len..];
            let node = after.trim_start_matches(' ');
            out.push_str(&after[..after.len() - node.len()]);
            return write_node(out, node, false);
        }
        Some(b'*') => {
            let len = write_name(out, rest, span::ALIAS)?;
            return write_tail(out, &rest[len..]);
        }
        Some(b'"' | b'\'') => (quoted_len(rest)?, true),
        Some(_) => (plain_len(rest, false), false),
    };
    let after = &rest[len..];
    let spaces = after.trim_start_matches(' ');
    let is_key = match spaces.strip_prefix(':') {
        Some(value) => value.is_empty() || value.starts_with(' '),
        None => false,
    };
    if is_key && (!may_be_key || spaces.len() != after.len()) {
        return None;
    }
    let token = &rest[..len];
    if quoted {
        write_quoted(out, token)?;
    } else {
        write_plain(out, token, if is_key { Plain::Key } else { Plain::Out })?;
    }
    if !is_key {
        return write_tail(out, after);
    }
    out.push_str(span::SEPARATOR);
    let value = &after[1..];
    let node = value.trim_start_matches(' ');
    out.push_str(&value[..value.len() - node.len()]);
    write_node(out, node, false)
}

/// An anchor (`&name`) or alias (`*name`) of letters, digits, `_` and `-`, ending at a space or
/// the end of the line; returns its length.
fn write_name(out: &mut String, rest: &str, open: &str) -> Option<usize> {
    let name = &rest[1..];
    let len = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(name.len());
    if len == 0 || !matches!(name.as_bytes().get(len), None | Some(b' ')) {
        return None;
    }
    out.push_str(open);
    out.push_str(&name[..len]);
    out.push_str(span::END);
    Some(len + 1)
}

/// What may follow a value on its line: spaces, then nothing or a comment.
fn write_tail(out: &mut String, after: &str) -> Option<End> {
    let spaces = after.trim_start_matches(' ');
    out.push_str(&after[..after.len() - spaces.len()]);
    match spaces.as_bytes().first() {
        None => Some(End::Line),
        Some(b'#') if spaces.len() < after.len() => write_node(out, spaces, false),
        Some(_) => None,
    }
}

/// A block scalar header: `|` or `>`, and a chomping indicator; an indentation indicator or a
/// comment after it is left to syntect.
fn write_block_header(out: &mut String, rest: &str) -> Option<End> {
    let (style, chomping) = rest.split_at(1);
    out.push_str(if style == "|" { span::LITERAL } else { span::FOLDED });
    match chomping {
        "" => {}
        "-" | "+" => {
            out.push_str(span::CHOMPING);
            out.push_str(chomping);
            out.push_str(span::END);
        }
        _ => return None,
    }
    Some(End::Block)
}

/// A one-line flow sequence of scalars (`[80, "443", true]`); returns its length. Nested
/// collections, pairs (`[a: 1]`), empty entries and a sequence left open are left to syntect.
fn write_sequence(out: &mut String, rest: &str) -> Option<usize> {
    out.push_str(span::SEQUENCE);
    let mut at = 1;
    for first in std::iter::once(true).chain(std::iter::repeat(false)) {
        let item = &rest[at..];
        let node = item.trim_start_matches(' ');
        out.push_str(&item[..item.len() - node.len()]);
        at += item.len() - node.len();
        let len = match node.as_bytes().first()? {
            b']' if first => 0,
            b'"' | b'\'' => {
                let len = quoted_len(node)?;
                write_quoted(out, &node[..len])?;
                len
            }
            _ => {
                let len = plain_len(node, true);
                write_plain(out, &node[..len], Plain::In)?;
                len
            }
        };
        let after = &node[len..];
        let next = after.trim_start_matches(' ');
        out.push_str(&after[..after.len() - next.len()]);
        at += len + after.len() - next.len();
        match next.as_bytes().first()? {
            b']' => {
                out.push_str(span::SEQUENCE_END);
                return Some(at + 1);
            }
            b',' if len > 0 => {
                out.push_str(span::SEQUENCE_COMMA);
                at += 1;
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::highlight;
    use crate::markdown::highlight::agrees;

    /// Lines for the YAML fast path: the ones it must take, then shapes it may leave to syntect.
    const TAKEN: &[&str] = &[
        "resolver:",
        "  ttl: 12",
        "  timeout: 300ms",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "  name: checkout-1",
        "    app: checkout # the web tier",
        "  replicas: 3",
        "        - name: app",
        "          image: \"registry.example.com/checkout:1.2\"",
        "- - x: v",
        "-",
        "- ",
        "-   a",
        "# c",
        "  # indented comment",
        "",
        "   ",
        "---",
        "...",
        "on: push",
        "y: 1",
        "1: x",
        "null: x",
        "\"q\": x",
        "'s': x",
        "300ms: x",
        "my-key_1.2/x: v",
        "Key With Spaces: v",
        "$var: v",
        "/path: v",
        "-x: v",
        "k: -x",
        "k: 0",
        "k: 00",
        "k: 007",
        "k: -1",
        "k: +0",
        "k: .5",
        "k: -.5",
        "k: +.5",
        "k: 1.5",
        "k: true",
        "k: False",
        "k: OFF",
        "k: n",
        "k: ~",
        "k: Null",
        "k: nULL",
        "k: ~x",
        "k: tRue",
        "k: yes please",
        "k: null x",
        "k: 5s",
        "k: 512Mi",
        "k: v1",
        "k: x=1",
        "k: (x)",
        "k: _x",
        "k: a#b",
        "k: a # b # c",
        "k: http://a.b:80/c?d=e&f#g",
        "k: 'a''b'",
        "k: ''",
        "k: \"\"",
        "k: \"a\\tb\\\\c\\\"d\\x41\"",
        "k: \"<&>\" # c",
        "k: 'x' # c",
        "key:   value   # c",
        "key: value   ",
        "key: # only",
        "k: 日本",
        "日本: x",
        "k: it's",
        "k: a, b",
        "k: a]",
        "k: a{b}",
        "  continued",
        "k: The quick brown fox",
        "a#b: c",
        "k: Y2K",
        "k: 1Gi",
    ];

    /// Shapes the fast path leaves to syntect (or takes, if it agrees).
    const OTHER: &[&str] = &[
        "k: [a, b]",
        "k: {a: 1}",
        "k: |",
        "  block line",
        "k: >-",
        "? x",
        ": y",
        "k: &a x",
        "k: *a",
        "k: !!str 1",
        "%YAML 1.2",
        "--- # doc",
        "k: 0x1F",
        "k: 1e3",
        "k: 10.0.0.1",
        "k: 2024-03-01",
        "k: .inf",
        "k: 1:30",
        "k: \"unclosed",
        "k: 'x' y",
        "k: v:",
        "k : v",
        "k:\tv",
        "k: -",
        "<<: *a",
        "k: =",
        "k: @x",
        "k: `x",
        "k: \"\\q\"",
        "k: \"\\u00e9\"",
        "k: 08",
        "k: 1_000",
        "k: 1.",
        "-#c",
        "k: a::",
    ];

    /// Whole blocks the fast path must take: block scalars end where syntect ends them.
    const BLOCKS: &[&str] = &[
        "steps:\n  - run: |\n      echo one\n\n      echo \"two: x\" # not a comment\n    name: x\n  - run: >-\n      folded\n    # comment\n",
        "k: |+\n  kept\n\nlast: 1\n",
        "k: |\n  a\n    deeper\n  \n   \n\nk: v\n",
        "- |\n  a\n- >\n  b\n",
        "k: |\n  ends the block\n",
        "k: |\n  no newline",
        "a:\n  b: |\n    x: 1\n  c: 2\n---\nd: [1, 2]\n",
        "k: |\n    a\n  b\nc: 1\n",
        "jobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          cargo test\n          # not a comment\n      - name: x\n",
        "k: >-\n  a: [1]\n  - b\n  'c\n# real comment\n",
    ];

    /// Whether the fast path took `code`; a difference from syntect is pushed onto `wrong`.
    fn yaml_agrees(code: &str, wrong: &mut Vec<String>) -> bool {
        agrees(code, "yaml", highlight, wrong)
    }

    #[test]
    fn yaml_fast_path_matches_syntect_line_by_line() {
        let mut wrong = Vec::new();
        let declined: Vec<&str> =
            TAKEN.iter().filter(|l| !yaml_agrees(&format!("{l}\n"), &mut wrong)).copied().collect();
        assert!(declined.is_empty(), "fast path declined {declined:?}");
        for line in OTHER {
            yaml_agrees(&format!("{line}\n"), &mut wrong);
        }
        assert!(yaml_agrees("k: v # no newline at the end", &mut wrong));
        for block in BLOCKS {
            assert!(yaml_agrees(block, &mut wrong), "fast path declined {block:?}");
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn yaml_fast_path_matches_syntect_on_random_documents() {
        // Documents of two to seven lines drawn from the lists and the blocks' lines, so that
        // block scalars meet every kind of line after them (a fixed seed: the same each run).
        let block_lines = BLOCKS.iter().flat_map(|b| b.lines());
        let lines: Vec<&str> = TAKEN.iter().chain(OTHER).copied().chain(block_lines).collect();
        let (mut wrong, mut taken, mut seed) = (Vec::new(), 0, 0x2545_f491_4f6c_dd1d_u64);
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..4000 {
            let len = 2 + next(6);
            let doc: String = (0..len).map(|_| format!("{}\n", lines[next(lines.len())])).collect();
            taken += usize::from(yaml_agrees(&doc, &mut wrong));
        }
        assert!(taken > 400, "{taken} documents taken");
        assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
    }

    #[test]
    fn yaml_fast_path_matches_syntect_on_pairs_of_lines() {
        // A line's spans must not depend on the line before it: every ordered pair agrees.
        let lines: Vec<&str> = TAKEN.iter().chain(OTHER).copied().collect();
        let (mut wrong, mut taken) = (Vec::new(), 0);
        for (i, a) in lines.iter().enumerate() {
            // Every pair with a taken line first; a sample of the rest keeps the test fast.
            for b in lines.iter().skip(i % 3).step_by(if i < TAKEN.len() { 1 } else { 3 }) {
                taken += usize::from(yaml_agrees(&format!("{a}\n{b}\n"), &mut wrong));
            }
        }
        assert!(taken > TAKEN.len() * TAKEN.len(), "{taken} pairs taken");
        assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
    }
}
