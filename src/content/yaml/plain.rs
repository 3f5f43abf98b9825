//! The YAML most front matter is written in, read in one pass without a general parser:
//! `key: value` lines, mappings nested by indentation, block lists, and one-line `[a, b]` and
//! `{k: v}`. Everything else (anchors, tags, block scalars, values over several lines, escapes,
//! comments after a value, numbers other than plain integers, the words YAML may read as null,
//! booleans or floats) is refused: [`parse`] gives `None` and the caller asks serde_yaml, so a
//! value read here is the one serde_yaml gives (debug builds check every read against it).

use serde_json::{Map, Value};

/// Reads a YAML mapping, or `None` when `text` holds anything this reader leaves to serde_yaml.
pub fn parse(text: &str) -> Option<Value> {
    let lines = lines(text)?;
    if lines.first()?.indent != 0 {
        return None;
    }
    let mut r = Reader { lines, at: 0 };
    let value = r.mapping(0, false)?;
    (r.at == r.lines.len()).then_some(value)
}

/// A line that is neither blank nor a comment: its indent, and its text from the first non-space
/// to the last.
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

fn lines(text: &str) -> Option<Vec<Line<'_>>> {
    let mut out = Vec::new();
    for raw in text.split('\n') {
        if raw.bytes().any(|b| b < b' ' || b == 0x7f) || (!raw.is_ascii() && raw.chars().any(refused)) {
            return None;
        }
        let trimmed = raw.trim_end_matches(' ');
        let body = trimmed.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        // Document markers and directives.
        if body.starts_with("---") || body.starts_with("...") || body.starts_with('%') {
            return None;
        }
        out.push(Line { indent: trimmed.len() - body.len(), text: body });
    }
    Some(out)
}

/// Characters YAML reads as line breaks (C1 controls include NEL) or refuses as unprintable.
fn refused(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

impl Reader<'_> {
    /// A block mapping whose keys sit at `indent`; `in_item`: it opens on a `- key:` line.
    fn mapping(&mut self, indent: usize, in_item: bool) -> Option<Value> {
        let mut map = Map::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            self.at += 1;
            let value = if rest.is_empty() { self.below(indent, in_item)? } else { inline(rest)? };
            if map.insert(key.to_string(), value).is_some() {
                return None;
            }
        }
        Some(Value::Object(map))
    }

    /// The value of a key at `indent` written on the lines below it: a mapping or a list further
    /// in, a list at the key's own indent (not in a list item's mapping), or nothing.
    fn below(&mut self, indent: usize, in_item: bool) -> Option<Value> {
        match self.lines.get(self.at) {
            Some(l) if l.indent > indent && is_item(l.text) => self.sequence(l.indent),
            Some(l) if l.indent > indent => self.mapping(l.indent, false),
            Some(l) if l.indent == indent && is_item(l.text) && !in_item => self.sequence(indent),
            _ => Some(Value::Null),
        }
    }

    /// A block list whose dashes sit at `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let content = line.text[1..].trim_start_matches(' ');
            if content.is_empty() || is_item(content) {
                return None;
            }
            if split_key(content).is_some() {
                // `- key: value` opens a mapping whose keys sit where this one does.
                let key_indent = indent + (line.text.len() - content.len());
                self.lines[self.at] = Line { indent: key_indent, text: content };
                items.push(self.mapping(key_indent, true)?);
            } else {
                self.at += 1;
                items.push(inline(content)?);
            }
        }
        Some(Value::Array(items))
    }
}

/// `key: rest` with a plain key of letters, digits, `_`, `-` and inner spaces (starting with a
/// letter or `_`, and not a word YAML may read as something other than text).
fn split_key(text: &str) -> Option<(&str, &str)> {
    let colon = text
        .bytes()
        .enumerate()
        .position(|(i, b)| b == b':' && text.as_bytes().get(i + 1).is_none_or(|&n| n == b' '))?;
    let key = &text[..colon];
    let first = *key.as_bytes().first()?;
    let fits = (first.is_ascii_alphabetic() || first == b'_')
        && !key.ends_with(' ')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' '))
        && !is_special_word(key);
    fits.then(|| (key, text[colon + 1..].trim_start_matches(' ')))
}

/// A value written on its key's line (or after a list's dash).
fn inline(v: &str) -> Option<Value> {
    match v.as_bytes().first()? {
        b'"' | b'\'' => quoted(v).map(Value::String),
        b'[' => flow_list(v),
        b'{' => flow_map(v),
        _ => plain(v, false),
    }
}

/// A quoted value that is the whole of `v`, with no escapes (`\` in double quotes, `''` in
/// single ones).
fn quoted(v: &str) -> Option<String> {
    let quote = v.chars().next()?;
    let inner = &v[1..];
    let end = inner.find(quote)?;
    let text = &inner[..end];
    (end + 1 == inner.len() && !(quote == '"' && text.contains('\\'))).then(|| text.to_string())
}

/// `[a, "b", c]` on one line, of plain or quoted scalars.
fn flow_list(v: &str) -> Option<Value> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Value::Array(Vec::new()));
    }
    let items = inner.split(',').map(|part| flow_scalar(part.trim_matches(' '))).collect::<Option<Vec<_>>>()?;
    Some(Value::Array(items))
}

/// `{k: v, k2: "w"}` on one line, of plain or quoted scalars.
fn flow_map(v: &str) -> Option<Value> {
    let inner = v.strip_prefix('{')?.strip_suffix('}')?;
    let mut map = Map::new();
    if inner.trim_matches(' ').is_empty() {
        return Some(Value::Object(map));
    }
    for part in inner.split(',') {
        let (key, value) = split_key(part.trim_matches(' '))?;
        if map.insert(key.to_string(), flow_scalar(value)?).is_some() {
            return None;
        }
    }
    Some(Value::Object(map))
}

fn flow_scalar(v: &str) -> Option<Value> {
    match v.as_bytes().first()? {
        b'"' | b'\'' => quoted(v).map(Value::String),
        _ => plain(v, true),
    }
}

/// An unquoted scalar: text, a plain integer, or `true`/`false`. In a flow (`flow`) it may hold
/// no `:` at all.
fn plain(v: &str, flow: bool) -> Option<Value> {
    let first = *v.as_bytes().first()?;
    if b"-?:,[]{}#&*!|>'\"%@`+.~".contains(&first)
        || v.contains(": ")
        || v.ends_with(':')
        || v.contains(" #")
        || v.contains(['[', ']', '{', '}'])
        || (flow && v.contains(':'))
    {
        return None;
    }
    if first.is_ascii_digit() {
        return number_or_date(v);
    }
    match v {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ if is_special_word(v) => None,
        _ => Some(Value::String(v.to_string())),
    }
}

/// Words YAML (or serde_yaml's float parsing) may read as null, a boolean or a number, in any case.
fn is_special_word(v: &str) -> bool {
    const WORDS: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity"];
    v.len() <= 8 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(v))
}

/// A scalar starting with a digit: a plain integer (no leading zero) that fits 64 bits, or a
/// date, a UTC timestamp or text no number could be (`38 of requests`, `2023-05-03-incident`),
/// which serde_yaml gives as text; anything else is refused.
fn number_or_date(v: &str) -> Option<Value> {
    let b = v.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        if b.len() > 1 && b[0] == b'0' {
            return None;
        }
        return v.parse::<u64>().ok().map(Value::from);
    }
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10);
    let time = |t: &[u8]| {
        let t = t.strip_suffix(b"Z").unwrap_or(t);
        let shape: &[u8] = if t.len() == 5 { b"00:00" } else { b"00:00:00" };
        t.len() == shape.len()
            && t.iter().zip(shape).all(|(c, s)| if *s == b':' { *c == b':' } else { c.is_ascii_digit() })
    };
    let ok = date && (b.len() == 10 || (b[10] == b'T' && time(&b[11..])));
    // A number has no space, and no letter but those of hexadecimal digits, exponents and
    // base prefixes.
    let not_a_number = !v.contains(':')
        && b.iter().any(|&c| c == b' ' || (c.is_ascii_alphabetic() && !b"abcdefABCDEFxXoObB".contains(&c)));
    (ok || not_a_number).then(|| Value::String(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_yaml gives, through casebook's general route.
    fn general(text: &str) -> Option<Value> {
        super::super::general(text).ok()
    }

    #[test]
    fn reads_what_serde_yaml_reads() {
        let docs = [
            "title: \"Incident 0: certificate throttle\"\ndate: 2021-01-01\nseverity: SEV4\nservices: [checkout, kafka]\n",
            "times:\n  started: 2021-01-01T08:00:00Z\n  detected: 2021-01-01T08:37Z\ndetection: {method: alert, note: \"paged on timeout\"}\n",
            "factors:\n  - factor: factor-14-throttle\n    role: predisposing\n    note: The cache, the pool\n  - plain\n",
            "action_items:\n  - title: Fix it\n    addresses: [a, 'b c']\n    done: 2021-01-02\ncount: 12\nzero: 0\n",
            "tags:\n- a\n- b\ncategories:\n- work\n# a comment\n\nempty:\nlist: []\nmap: {}\n",
            "published: false\ndraft: true\nwhere: it's C# and http://x.org/a?b=c, or not\nPublication date: 2018\n",
            "nested:\n  deeper:\n    deepest: x\n  back: w\ntop: z\n",
            "unicode: Résumé ünïcödé — 東京\n",
            "impact:\n  summary: 38 of requests failed\nincidents: [2023-05-03-incident-00467, 5s]\n",
        ];
        for text in docs {
            let quick = parse(text);
            assert!(quick.is_some(), "refused {text:?}");
            assert_eq!(quick, general(text), "{text:?}");
        }
    }

    #[test]
    fn leaves_the_rest_to_serde_yaml() {
        let refused = [
            "a: 1.5\n",
            "a: 007\n",
            "a: -3\n",
            "a: yes\n",
            "a: Null\n",
            "a: y\n",
            "a: ~\n",
            "a: .inf\n",
            "a: NaN\n",
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: two\n  lines\n",
            "a: \"esc\\\"aped\"\n",
            "a: 'it''s'\n",
            "a: x # comment\n",
            "a: 1\na: 2\n",
            "1: x\n",
            "true: x\n",
            "\"quoted key\": x\n",
            "a:\tb\n",
            "- a\n- b\n",
            "just text\n",
            "",
            "a: [x, [y]]\n",
            "a: [\"x, y\"]\n",
            "a: {b: {c: d}}\n",
            "a: [http://x]\n",
            "a: 99999999999999999999\n",
            "a: 2021-01-01 08:00\n",
            "a: 1e5\n",
            "a: 0x1F\n",
            "a: 12:30\n",
            "a: 1_000\n",
            "a:\n  - - x\n",
            "a:\n  -\n    b: c\n",
            "a: b\n   c: d\n",
            "a: x\u{85}y\n",
            "---\na: b\n",
            "a: b: c\n",
        ];
        for text in refused {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    use proptest::prelude::*;

    /// Scalars near the edges of what the plain reader takes.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("true".to_string()),
            Just("False".to_string()),
            Just("null".to_string()),
            Just("~".to_string()),
            Just("0".to_string()),
            Just("007".to_string()),
            Just("18446744073709551616".to_string()),
            Just("2024-03-12".to_string()),
            Just("2024-03-12T14:02:00Z".to_string()),
            Just("2024-03-12 14:02".to_string()),
            Just("12:30".to_string()),
            Just("1e5".to_string()),
            Just("0x1F".to_string()),
            Just("[a, b]".to_string()),
            Just("{a: b}".to_string()),
            Just("[]".to_string()),
            Just("\"q: x\"".to_string()),
            Just("'it''s'".to_string()),
            "[0-9]{1,21}",
            "[0-9]{1,4}[ a-zA-Z:.-][0-9a-z .:-]{0,8}",
            "[a-zA-Z_][a-zA-Z0-9 _#:,.'\"-]{0,12}",
            "\\[[a-z0-9 ,'\":]{0,10}\\]",
            "\\{[a-z0-9 ,:]{0,10}\\}",
            "\\PC{1,6}",
        ]
    }

    /// A line of block YAML: a key with a value or none, a list item, a comment, a blank.
    fn line() -> impl Strategy<Value = String> {
        let key =
            prop_oneof![Just("a".to_string()), Just("b".to_string()), Just("y".to_string()), "[a-z_][a-z0-9 _-]{0,6}"];
        (0usize..4, 0usize..6, key, scalar()).prop_map(|(indent, form, key, value)| {
            let pad = " ".repeat(indent * 2);
            match form {
                0 => format!("{pad}{key}: {value}"),
                1 => format!("{pad}{key}:"),
                2 => format!("{pad}- {value}"),
                3 => format!("{pad}- {key}: {value}"),
                4 => format!("{pad}# {value}"),
                _ => String::new(),
            }
        })
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(512))]

        /// Wherever the plain reader reads a document, serde_yaml reads the same value.
        #[test]
        fn agrees_with_serde_yaml_wherever_it_reads(lines in proptest::collection::vec(line(), 1..8)) {
            let text = lines.join("\n") + "\n";
            if let Some(quick) = parse(&text) {
                prop_assert_eq!(Some(quick), general(&text), "{:?}", text);
            }
        }

        /// Any text is read or refused without a panic.
        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,60}|[a-z:\\- \\n\\[\\]{},'\"#]{0,60}") {
            let _ = parse(&text);
        }
    }
}
