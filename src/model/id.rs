//! The id rule (docs/content.md#ids): lower-case, accents folded, every run of characters other than
//! `a-z0-9` turned into one `-`, `-` trimmed at both ends. Used for documents, services, teams,
//! tags and factors alike.

/// Turns any name into an id. May return an empty string.
pub fn slugify(s: &str) -> String {
    // Most names it is given (ids, services, factor ids) already are ids: one scan, one copy.
    if is_id(s) {
        return s.to_string();
    }
    let folded =
        if s.is_ascii() { std::borrow::Cow::Borrowed(s) } else { std::borrow::Cow::Owned(deunicode::deunicode(s)) };
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for b in folded.bytes() {
        let b = b.to_ascii_lowercase();
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(char::from(b));
        } else {
            dash = true;
        }
    }
    out
}

/// Whether `s` is its own id: `a-z0-9` runs joined by single dashes.
fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn the_id_rule() {
        for (input, id) in [
            ("2024-03-12-Checkout TTL", "2024-03-12-checkout-ttl"),
            ("Café  Ñandú!!", "cafe-nandu"),
            ("--x__y--", "x-y"),
            ("config_change", "config-change"),
            ("!!!", ""),
            ("checkout-api", "checkout-api"),
            ("a--b", "a-b"),
            ("-a", "a"),
            ("a-", "a"),
            ("", ""),
            ("Z", "z"),
        ] {
            assert_eq!(slugify(input), id, "{input}");
        }
    }
}
