//! The id rule (SPEC §3): lower-case, accents folded, every run of characters other than
//! `a-z0-9` turned into one `-`, `-` trimmed at both ends. Used for documents, services, teams,
//! tags and factors alike.

/// Turns any name into an id. May return an empty string.
pub fn slugify(s: &str) -> String {
    let folded =
        if s.is_ascii() { std::borrow::Cow::Borrowed(s) } else { std::borrow::Cow::Owned(deunicode::deunicode(s)) };
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
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
        ] {
            assert_eq!(slugify(input), id, "{input}");
        }
    }
}
