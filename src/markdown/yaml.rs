//! A fast path for highlighting YAML: the common shapes of a configuration snippet (block
//! mappings and sequences of plain, numeric, boolean, null and single-line quoted scalars, with
//! comments) written straight out as the spans syntect's YAML grammar gives them, byte for byte,
//! at a small fraction of the cost (syntect's YAML grammar runs ~80 Oniguruma searches on a
//! three-line block). Anything else (flow collections, block scalars, anchors, tags, directives,
//! complex keys, multi-line strings, tabs) returns `None` and syntect highlights the block; the
//! tests check the two agree on every block this path accepts.

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
    pub const END: &str = "</span>";
}

/// How syntect's grammar types a plain scalar.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Plain,
    Integer,
    Float,
    Boolean,
    Null,
}

/// YAML `code` highlighted as syntect's grammar would, or `None` when it holds a shape this
/// path does not know (the caller then asks syntect).
pub(super) fn highlight(code: &str) -> Option<String> {
    if code.is_empty() || code.bytes().any(|b| b == b'\t' || b == b'\r') {
        return None;
    }
    let mut out = String::with_capacity(code.len() * 8 + 64);
    out.push_str(span::SOURCE);
    for line in code.split_inclusive('\n') {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        let comment = write_line(&mut out, text)?;
        out.push_str(newline);
        if comment {
            out.push_str(span::END);
        }
    }
    out.push_str(span::END);
    Some(out)
}

/// Writes one line without its newline; `Some(true)` when it ends in an open comment span
/// (syntect closes a comment after the newline).
fn write_line(out: &mut String, text: &str) -> Option<bool> {
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
    Some(false)
}

/// Sequence dashes (`- - `), then a node.
fn write_items(out: &mut String, mut rest: &str) -> Option<bool> {
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

/// A key and its value, a lone scalar, or a comment; nothing when `rest` is empty. After a
/// key's `:`, `may_be_key` is false: a second `key:` on the line is left to syntect.
fn write_node(out: &mut String, rest: &str, may_be_key: bool) -> Option<bool> {
    if rest.is_empty() {
        return Some(false);
    }
    if let Some(comment) = rest.strip_prefix('#') {
        out.push_str(span::COMMENT);
        escape_into(out, comment);
        return Some(true);
    }
    let (len, quoted) = match rest.as_bytes()[0] {
        b'"' | b'\'' => (quoted_len(rest)?, true),
        _ => (plain_len(rest), false),
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
        write_plain(out, token, is_key)?;
    }
    if is_key {
        out.push_str(span::SEPARATOR);
        let value = &after[1..];
        let node = value.trim_start_matches(' ');
        out.push_str(&value[..value.len() - node.len()]);
        return write_node(out, node, false);
    }
    out.push_str(&after[..after.len() - spaces.len()]);
    match spaces.as_bytes().first() {
        None => Some(false),
        Some(b'#') if spaces.len() < after.len() => write_node(out, spaces, false),
        Some(_) => None,
    }
}

/// The length of the plain scalar that starts `rest`: up to a `:` followed by a space or the
/// end, a ` #` comment, or the end, without trailing spaces.
fn plain_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        let next_is_space = bytes.get(i + 1).is_none_or(|&n| n == b' ');
        if (b == b':' && next_is_space) || (b == b' ' && bytes.get(i + 1) == Some(&b'#')) {
            end = i;
            break;
        }
    }
    rest[..end].trim_end_matches(' ').len()
}

/// Writes a plain scalar (a key's when `key`), typed as syntect types it.
fn write_plain(out: &mut String, token: &str, key: bool) -> Option<()> {
    let open = match kind(token)? {
        Kind::Plain => span::PLAIN,
        Kind::Integer => span::INTEGER,
        Kind::Float => span::FLOAT,
        Kind::Boolean => span::BOOLEAN,
        Kind::Null => span::NULL,
    };
    out.push_str(open);
    let tagged = key && open == span::PLAIN;
    if tagged {
        out.push_str(span::TAG);
    }
    escape_into(out, token);
    out.push_str(span::END);
    if tagged {
        out.push_str(span::END);
    }
    Some(())
}

/// How syntect's grammar types a plain scalar; `None` for the shapes left to syntect (leading
/// indicators, and numbers other than plain decimals: hex, octal, exponents, timestamps, ...).
fn kind(token: &str) -> Option<Kind> {
    const BOOLEANS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ];
    if ["null", "Null", "NULL", "~"].contains(&token) {
        return Some(Kind::Null);
    }
    if BOOLEANS.contains(&token) {
        return Some(Kind::Boolean);
    }
    let bytes = token.as_bytes();
    let first = *bytes.first()?;
    if token.contains(": ") || token.ends_with(':') || token.contains(" #") {
        return None;
    }
    match first {
        b'a'..=b'z' | b'A'..=b'Z' | b'/' | b'_' | b'$' | b'(' | 0x80.. => Some(Kind::Plain),
        b'~' => Some(Kind::Plain),
        b'-' if bytes.get(1).is_some_and(u8::is_ascii_alphabetic) => Some(Kind::Plain),
        b'0'..=b'9' | b'-' | b'+' | b'.' => number(token),
        _ => None,
    }
}

/// Integers and floats in the decimal forms syntect's grammar types, and digits followed by a
/// unit (`300ms`, `512Mi`), which it leaves plain.
fn number(token: &str) -> Option<Kind> {
    let digits = token.strip_prefix(['-', '+']).unwrap_or(token);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(digits) {
        let octal = digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
        return (digits.len() == 1 || !digits.starts_with('0') || octal).then_some(Kind::Integer);
    }
    if let Some((whole, fraction)) = digits.split_once('.') {
        let whole_ok = whole.is_empty() || all_digits(whole);
        return (whole_ok && all_digits(fraction)).then_some(Kind::Float);
    }
    let unit = token.trim_start_matches(|c: char| c.is_ascii_digit());
    let plain = token.as_bytes()[0] != b'0'
        && unit.len() < token.len()
        && !unit.is_empty()
        && unit.bytes().all(|b| b.is_ascii_alphabetic());
    plain.then_some(Kind::Plain)
}

/// The length of the single-line quoted scalar that starts `rest`, quotes included.
fn quoted_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let quote = bytes[0];
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += escape_len(&rest[i..])?,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The length of the backslash escape that starts `s`, as syntect's grammar reads one.
fn escape_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let hex = |n: usize| (bytes.len() > n + 1 && bytes[2..n + 2].iter().all(u8::is_ascii_hexdigit)).then_some(n + 2);
    match bytes.get(1)? {
        b'0' | b'a' | b'b' | b't' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"' | b'/' | b'\\' | b'N' | b'_'
        | b'L' | b'P' => Some(2),
        b'x' => hex(2),
        _ => None,
    }
}

/// Writes a quoted scalar that `quoted_len` measured.
fn write_quoted(out: &mut String, token: &str) -> Option<()> {
    let inner = &token[1..token.len() - 1];
    if token.starts_with('\'') {
        out.push_str(span::SINGLE);
        for (i, part) in inner.split("''").enumerate() {
            if i > 0 {
                out.push_str(span::SINGLE_ESCAPE);
            }
            escape_into(out, part);
        }
        out.push_str(span::SINGLE_END);
        return Some(());
    }
    out.push_str(span::DOUBLE);
    let mut rest = inner;
    while let Some(at) = rest.find('\\') {
        escape_into(out, &rest[..at]);
        let len = escape_len(&rest[at..])?;
        out.push_str(span::DOUBLE_ESCAPE);
        escape_into(out, &rest[at..at + len]);
        out.push_str(span::END);
        rest = &rest[at + len..];
    }
    escape_into(out, rest);
    out.push_str(span::DOUBLE_END);
    Some(())
}

/// HTML-escapes text the way syntect does (`&`, `<`, `>`, `"`, `'`).
fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}
