//! YAML scalars for the fast path: where a plain scalar ends, how syntect's grammar types it
//! (plain, integer, float, boolean, null), quoted scalars and their escapes, and syntect's HTML
//! escaping.

use super::span;
use crate::markdown::escape_into;

/// How syntect's grammar types a plain scalar.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Plain,
    Integer,
    Float,
    Boolean,
    Null,
    /// `<<`, the merge key.
    Merge,
    /// `=`, the value key.
    Value,
}

/// The length of the plain scalar that starts `rest`: up to a `:` followed by a space or the
/// end, a ` #` comment, or the end (in a flow collection, `in_flow`, also up to `,`, `[`, `]`,
/// `{` or `}`), without trailing spaces.
pub(super) fn plain_len(rest: &str, in_flow: bool) -> usize {
    let bytes = rest.as_bytes();
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        let next_is_space = bytes.get(i + 1).is_none_or(|&n| n == b' ');
        let flow_end = in_flow && matches!(b, b',' | b'[' | b']' | b'{' | b'}');
        if flow_end || (b == b':' && next_is_space) || (b == b' ' && bytes.get(i + 1) == Some(&b'#')) {
            end = i;
            break;
        }
    }
    rest[..end].trim_end_matches(' ').len()
}

/// Where a plain scalar stands: a block mapping's key, a block value, or in a flow collection.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Plain {
    Key,
    Out,
    In,
}

/// Writes a plain scalar, typed as syntect types it.
pub(super) fn write_plain(out: &mut String, token: &str, place: Plain) -> Option<()> {
    let open = match kind(token)? {
        Kind::Plain if place == Plain::In => span::PLAIN_IN,
        Kind::Plain => span::PLAIN,
        Kind::Integer => span::INTEGER,
        Kind::Float => span::FLOAT,
        Kind::Boolean => span::BOOLEAN,
        Kind::Null => span::NULL,
        Kind::Merge => span::MERGE,
        Kind::Value => span::VALUE,
    };
    out.push_str(open);
    let tagged = place == Plain::Key && open == span::PLAIN;
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
    match token {
        "<<" => return Some(Kind::Merge),
        "=" => return Some(Kind::Value),
        _ => {}
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
pub(super) fn quoted_len(rest: &str) -> Option<usize> {
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
pub(super) fn write_quoted(out: &mut String, token: &str) -> Option<()> {
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
