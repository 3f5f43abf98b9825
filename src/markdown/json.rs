//! A fast path for highlighting JSON: a strict JSON document (objects, arrays, strings with the
//! standard escapes, numbers, `true`, `false`, `null`, spaces and newlines between them) written
//! straight out as the spans syntect's JSON grammar gives it, byte for byte, instead of ~70,000
//! instructions a line of Oniguruma searches. Anything else (comments, tabs, trailing commas,
//! invalid escapes or numbers, JSON Lines) returns `None` and syntect highlights the block; the
//! tests check the two agree on every block this path accepts.

use super::escape_into;

/// The spans syntect writes for each JSON scope, with the `hl-` class prefix.
mod span {
    pub const SOURCE: &str = "<span class=\"hl-source hl-json\">";
    pub const DICT: &str = "<span class=\"hl-meta hl-structure hl-dictionary hl-json\"><span class=\"hl-punctuation hl-section hl-dictionary hl-begin hl-json\">{</span>";
    pub const DICT_END: &str = "<span class=\"hl-punctuation hl-section hl-dictionary hl-end hl-json\">}</span></span>";
    pub const KEY: &str = "<span class=\"hl-meta hl-structure hl-dictionary hl-key hl-json\">";
    pub const VALUE: &str = "<span class=\"hl-meta hl-structure hl-dictionary hl-value hl-json\"><span class=\"hl-punctuation hl-separator hl-dictionary hl-key-value hl-json\">:</span>";
    pub const PAIR: &str = "<span class=\"hl-punctuation hl-separator hl-dictionary hl-pair hl-json\">,</span>";
    pub const ARRAY: &str = "<span class=\"hl-meta hl-structure hl-array hl-json\"><span class=\"hl-punctuation hl-section hl-array hl-begin hl-json\">[</span>";
    pub const ARRAY_END: &str = "<span class=\"hl-punctuation hl-section hl-array hl-end hl-json\">]</span></span>";
    pub const ARRAY_COMMA: &str = "<span class=\"hl-punctuation hl-separator hl-array hl-json\">,</span>";
    pub const STRING: &str = "<span class=\"hl-string hl-quoted hl-double hl-json\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-json\">&quot;</span>";
    pub const STRING_END: &str =
        "<span class=\"hl-punctuation hl-definition hl-string hl-end hl-json\">&quot;</span></span>";
    pub const ESCAPE: &str = "<span class=\"hl-constant hl-character hl-escape hl-json\">";
    pub const NUMBER: &str = "<span class=\"hl-constant hl-numeric hl-json\">";
    pub const LANGUAGE: &str = "<span class=\"hl-constant hl-language hl-json\">";
    pub const END: &str = "</span>";
}

/// Deeper nesting is left to syntect, which stops pushing contexts at 100.
const MAX_DEPTH: usize = 48;

/// JSON `code` highlighted as syntect's grammar would, or `None` when it is not a strict JSON
/// document of the shapes this path knows (the caller then asks syntect).
pub(super) fn highlight(code: &str) -> Option<String> {
    if code.bytes().any(|b| b == b'\t' || b == b'\r') {
        return None;
    }
    let mut w = Writer { src: code, at: 0, out: String::with_capacity(code.len() * 10 + 64) };
    w.out.push_str(span::SOURCE);
    w.space();
    w.value(0)?;
    w.space();
    if w.at != code.len() {
        return None;
    }
    w.out.push_str(span::END);
    Some(w.out)
}

/// Reads `src` from `at`, writing the spans to `out`.
struct Writer<'a> {
    src: &'a str,
    at: usize,
    out: String,
}

impl Writer<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.at).copied()
    }

    /// Spaces and newlines, written as they are.
    fn space(&mut self) {
        let rest = &self.src[self.at..];
        let len = rest.len() - rest.trim_start_matches([' ', '\n']).len();
        self.out.push_str(&rest[..len]);
        self.at += len;
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            _ if depth > MAX_DEPTH => None,
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string(),
            _ => self.scalar(),
        }
    }

    /// An object: each value's span holds its `:`, the spaces around the value and the `,`
    /// after it; the last one ends before the `}`.
    fn object(&mut self, depth: usize) -> Option<()> {
        self.out.push_str(span::DICT);
        self.at += 1;
        self.space();
        if self.peek()? != b'}' {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                self.out.push_str(span::KEY);
                self.string()?;
                self.out.push_str(span::END);
                self.space();
                if self.peek()? != b':' {
                    return None;
                }
                self.out.push_str(span::VALUE);
                self.at += 1;
                self.space();
                self.value(depth)?;
                self.space();
                match self.peek()? {
                    b',' => {
                        self.out.push_str(span::PAIR);
                        self.out.push_str(span::END);
                        self.at += 1;
                        self.space();
                    }
                    b'}' => {
                        self.out.push_str(span::END);
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.out.push_str(span::DICT_END);
        self.at += 1;
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        self.out.push_str(span::ARRAY);
        self.at += 1;
        self.space();
        if self.peek()? != b']' {
            loop {
                self.value(depth)?;
                self.space();
                match self.peek()? {
                    b',' => {
                        self.out.push_str(span::ARRAY_COMMA);
                        self.at += 1;
                        self.space();
                    }
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.out.push_str(span::ARRAY_END);
        self.at += 1;
        Some(())
    }

    /// A string on one line, with the standard escapes.
    fn string(&mut self) -> Option<()> {
        self.out.push_str(span::STRING);
        self.at += 1;
        loop {
            let rest = &self.src[self.at..];
            let stop = rest.find(['"', '\\', '\n'])?;
            escape_into(&mut self.out, &rest[..stop]);
            self.at += stop;
            let bytes = &rest.as_bytes()[stop..];
            let len = match bytes[0] {
                b'"' => break,
                b'\\' => match bytes.get(1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
                    b'u' if bytes.len() > 5 && bytes[2..6].iter().all(u8::is_ascii_hexdigit) => 6,
                    _ => return None,
                },
                _ => return None,
            };
            self.out.push_str(span::ESCAPE);
            escape_into(&mut self.out, &rest[stop..stop + len]);
            self.out.push_str(span::END);
            self.at += len;
        }
        self.out.push_str(span::STRING_END);
        self.at += 1;
        Some(())
    }

    /// A number, `true`, `false` or `null`, which must end where a value may end.
    fn scalar(&mut self) -> Option<()> {
        let rest = &self.src[self.at..];
        let len = rest.find([' ', '\n', ',', ']', '}']).unwrap_or(rest.len());
        let token = &rest[..len];
        let open = match token {
            "true" | "false" | "null" => span::LANGUAGE,
            _ if is_number(token) => span::NUMBER,
            _ => return None,
        };
        self.out.push_str(open);
        self.out.push_str(token);
        self.out.push_str(span::END);
        self.at += len;
        Some(())
    }
}

/// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
fn is_number(token: &str) -> bool {
    fn digits(s: &str) -> (usize, &str) {
        let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
        (s.len() - rest.len(), rest)
    }
    let s = token.strip_prefix('-').unwrap_or(token);
    let (n, mut rest) = digits(s);
    if n == 0 || (n > 1 && s.starts_with('0')) {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix('.') {
        let (n, after) = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = after;
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let (n, after) = digits(exponent.strip_prefix(['-', '+']).unwrap_or(exponent));
        if n == 0 {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::highlight;
    use crate::markdown::highlight::agrees;

    /// Whether the fast path took `code`; a difference from syntect is pushed onto `wrong`.
    fn json_agrees(code: &str, wrong: &mut Vec<String>) -> bool {
        agrees(code, "json", highlight, wrong)
    }

    #[test]
    fn json_fast_path_matches_syntect() {
        let taken = [
            "{\n  \"error\": \"upstream \\\"x\\\" \\u00e9 timeout\",\n  \"status\": 504,\n  \"ok\": false,\n  \"tags\": [\"db\", null, 1.5e3, -2, {\"a\": []}],\n  \"nested\": {}\n}\n",
            "[1, \"a\",\n  {\"k\" : [ ] , \"x\":true }  ,\n  null\n]\n",
            "\"just a string\"\n",
            "{\"a\":\n  1\n  ,\"b\": 2}\n",
            "{ }\n",
            "[]",
            "0\n",
            "-0.5e-3\n",
            "{\"<&>'\": \"\\/\\b\\f\\n\\r\\t\\\\\"}\n",
            "\n\n{\"k\": [[1, [2]], {\"x\": {\"y\": null}}]}\n\n",
        ];
        let mut wrong = Vec::new();
        for code in taken {
            assert!(json_agrees(code, &mut wrong), "fast path declined {code:?}");
        }
        let others = [
            "{\"a\": 1,}\n",
            "[1,]\n",
            "{\"a\" 1}\n",
            "// c\n{}\n",
            "{\"a\":\t1}\n",
            "01\n",
            "1.\n",
            ".5\n",
            "+1\n",
            "1e\n",
            "\"\\x\"\n",
            "\"a\nb\"\n",
            "{}\n{}\n",
            "[1 2]\n",
            "{\"a\": tru}\n",
            "{'a': 1}\n",
            "",
            "\n",
            "[",
            "{\"a\": 1",
            "[1]x\n",
            "NaN\n",
            "{\"a\": [1, 2, 3]} // c\n",
        ];
        for code in others {
            json_agrees(code, &mut wrong);
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn json_fast_path_matches_syntect_on_random_documents() {
        fn value(next: &mut dyn FnMut(usize) -> usize, depth: usize, out: &mut String) {
            const SCALARS: &[&str] = &["1", "-2.5", "3e+7", "0", "true", "false", "null", "\"s\"", "\"a\\nb\"", "\"\""];
            const SPACE: &[&str] = &["", "", " ", "  ", "\n", "\n  ", " \n    "];
            let space = |next: &mut dyn FnMut(usize) -> usize, out: &mut String| out.push_str(SPACE[next(SPACE.len())]);
            match if depth > 3 { 2 } else { next(3) } {
                0 | 1 => {
                    let (open, close) = if next(2) == 0 { ('{', '}') } else { ('[', ']') };
                    out.push(open);
                    for i in 0..next(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        space(next, out);
                        if open == '{' {
                            out.push_str("\"k\"");
                            space(next, out);
                            out.push(':');
                            space(next, out);
                        }
                        value(next, depth + 1, out);
                        space(next, out);
                    }
                    out.push(close);
                }
                _ => out.push_str(SCALARS[next(SCALARS.len())]),
            }
        }
        let (mut wrong, mut seed) = (Vec::new(), 0x9e37_79b9_7f4a_7c15_u64);
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let mut doc = String::new();
            value(&mut next, 0, &mut doc);
            doc.push('\n');
            assert!(json_agrees(&doc, &mut wrong), "fast path declined {doc:?}");
        }
        assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
    }
}
