//! Byte encodings of the index files: sorted numbers as base64 of varint gaps, or as a base64
//! bitset when that is shorter (postings and filter sets alike); and the JavaScript data file that wraps a JSON value, escaped so
//! that no content can end the `<script>` that loads it.

/// Appends `n` as a LEB128 varint (seven bits a byte, low bits first).
pub(crate) fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}
use super::index::{IN_FACTOR, IN_TITLE};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, which the browser's `atob` reads.
pub(crate) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Postings, (document, weight byte) by document, of `n` documents in all: `L` + base64 of
/// (varint gap from the previous document, weight byte) pairs; or, when shorter (a word in most
/// documents), `D` + base64 of a bitset of the documents followed by one nibble each, in
/// document order: two bits for title (2), factor (1) or neither, two for the score's quarter.
/// A word that common has an inverse document frequency near zero, so a coarse score is enough.
pub(crate) fn postings(list: impl IntoIterator<Item = (u32, u8)>, n: usize) -> String {
    let list: Vec<(u32, u8)> = list.into_iter().collect();
    let n = n.max(list.last().map_or(0, |&(doc, _)| doc as usize + 1));
    let mut bytes = Vec::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(doc, weight) in &list {
        varint(&mut bytes, doc - prev);
        bytes.push(weight);
        prev = doc;
    }
    let dense = n.div_ceil(8) + list.len().div_ceil(2);
    if bytes.len() <= dense {
        return format!("L{}", base64(&bytes));
    }
    let mut out = vec![0u8; dense];
    for &(doc, _) in &list {
        out[doc as usize / 8] |= 1 << (doc % 8);
    }
    for (i, &(_, w)) in list.iter().enumerate() {
        let class = if w & IN_TITLE != 0 { 2 } else { u8::from(w & IN_FACTOR != 0) };
        let quarter = ((w & 0x3f).saturating_sub(1)) / 16;
        out[n.div_ceil(8) + i / 2] |= (class << 2 | quarter) << (4 * (i % 2));
    }
    format!("D{}", base64(&out))
}

/// A sorted set of document numbers below `n`: `L` + base64 varint gaps, or `B` + a base64
/// bitset (bit `i % 8` of byte `i / 8`), whichever is shorter.
pub(crate) fn id_set(ids: &[u32], n: usize) -> String {
    let mut gaps = Vec::with_capacity(ids.len());
    let mut prev = 0;
    for &id in ids {
        varint(&mut gaps, id - prev);
        prev = id;
    }
    if gaps.len() <= n.div_ceil(8) {
        return format!("L{}", base64(&gaps));
    }
    let mut bits = vec![0u8; n.div_ceil(8)];
    for &id in ids {
        bits[id as usize / 8] |= 1 << (id % 8);
    }
    format!("B{}", base64(&bits))
}

/// A data file: `casebookSearch.load("name", JSON);`. JSON escapes quotes and control
/// characters; `<` becomes `\u003c` so no text can close the script, and U+2028/9 are escaped
/// for older JavaScript engines.
pub(crate) fn data_file(name: &str, value: &serde_json::Value) -> Vec<u8> {
    wrap(name, value.to_string().as_bytes())
}

/// [`data_file`] of JSON already written out: copied in runs between the bytes to escape.
pub(crate) fn wrap(name: &str, json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + name.len() + 32);
    out.extend_from_slice(b"casebookSearch.load(\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",");
    let (mut from, mut i) = (0, 0);
    // Only `<` and the first byte of U+2028/9 start an escape: the scan looks for those two
    // bytes alone, and the runs between escapes are copied whole.
    while let Some(at) = json[i..].iter().position(|&b| b == b'<' || b == 0xe2) {
        i += at;
        let escape: Option<(&[u8], usize)> = match json[i] {
            b'<' => Some((b"\\u003c", 1)),
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            _ if json.get(i + 1) == Some(&0x80) => match json.get(i + 2) {
                Some(0xa8) => Some((b"\\u2028", 3)),
                Some(0xa9) => Some((b"\\u2029", 3)),
                _ => None,
            },
            _ => None,
        };
        match escape {
            Some((with, len)) => {
                out.extend_from_slice(&json[from..i]);
                out.extend_from_slice(with);
                i += len;
                from = i;
            }
            None => i += 1,
        }
    }
    out.extend_from_slice(&json[from..]);
    out.extend_from_slice(b");\n");
    out
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it.
pub(crate) fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let cases: [(u32, &[u8]); 4] = [(0, &[0]), (127, &[0x7f]), (128, &[0x80, 0x01]), (300, &[0xac, 0x02])];
        for (n, want) in cases {
            let mut out = Vec::new();
            varint(&mut out, n);
            assert_eq!(out, want, "{n}");
        }
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")];
        for (raw, want) in cases {
            assert_eq!(base64(raw.as_bytes()), want, "{raw}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn postings_are_gaps_and_weights() {
        // 3, 0x81, then the gap 197 as two bytes, then 5.
        assert_eq!(postings([(3, 0x81), (200, 5)], 1000), format!("L{}", base64(&[3, 0x81, 0xc5, 0x01, 5])));
        // In 3 of 4 documents: a one-byte bitset, then nibbles (title, top quarter), (factor,
        // first quarter), (neither, second quarter).
        let dense = postings([(0, 0x80 | 63), (1, 0x40 | 1), (3, 20)], 4);
        assert_eq!(dense, format!("D{}", base64(&[0b1011, 0b0100_1011, 0b0001])));
    }

    #[test]
    fn id_sets_pick_the_shorter_encoding() {
        assert_eq!(id_set(&[1, 5], 1000), format!("L{}", base64(&[1, 4])));
        let dense: Vec<u32> = (0..16).filter(|i| i % 2 == 0).collect();
        // Eight gaps of one byte each against a two-byte bitset.
        assert_eq!(id_set(&dense, 16), format!("B{}", base64(&[0x55, 0x55])));
        assert_eq!(id_set(&[], 10), "L");
    }

    #[test]
    fn data_files_cannot_close_their_script() {
        let v = serde_json::json!({"t": "</script><script>alert(1)</script>", "q": "\"\u{2028}"});
        let out = String::from_utf8(data_file("d/0", &v)).unwrap_or_default();
        assert!(out.starts_with("casebookSearch.load(\"d/0\",{"), "{out}");
        assert!(!out.contains('<') && !out.contains('\u{2028}'), "{out}");
        assert!(out.contains("\\u003c/script>") && out.contains("\\\"\\u2028"), "{out}");
        let raw = "a<b\u{2028}\u{2029}\u{2027}é€<".as_bytes();
        assert_eq!(wrap("x", raw), "casebookSearch.load(\"x\",a\\u003cb\\u2028\\u2029\u{2027}é€\\u003c);\n".as_bytes());
    }
}
