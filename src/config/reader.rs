//! Reading `book.toml` one key at a time: a section's entries, where a key is written, and the
//! diagnostic for an unknown key (listing the valid ones), a value of the wrong type or a bad
//! value, each at the key's line and column.

use crate::diagnostic::{Diagnostic, Location};

/// Reading state: the text (to locate keys) and the diagnostics so far.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// The entries of the table `section`; anything else is an error at its line.
    pub(super) fn entries(&mut self, section: &str, value: &toml::Value) -> Vec<(String, toml::Value)> {
        match value.as_table() {
            Some(t) => t.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            None => {
                let loc = self.locate(None, section);
                self.diags.push(
                    Diagnostic::error("config-type", "book.toml", format!("`{section}` must be a table")).at_loc(loc),
                );
                Vec::new()
            }
        }
    }

    /// Finds the line of `key` inside `[section]` (or at the top when `section` is `None`).
    pub(super) fn locate(&self, section: Option<&str>, key: &str) -> Location {
        let mut current: Option<String> = None;
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim();
            if let Some(h) = t.strip_prefix('[').and_then(|h| h.split(']').next()) {
                let h = h.trim_matches('[').trim().to_string();
                let full = match section {
                    Some(s) => format!("{s}.{key}"),
                    None => key.to_string(),
                };
                // A table header names the key itself: `[output.pdf]`, `[preprocessor.x]`.
                if h == full || h.starts_with(&format!("{full}.")) {
                    return Location::new(i + 1, line.find('[').unwrap_or(0) + 1);
                }
                current = Some(h);
                continue;
            }
            let sect_matches = match (section, &current) {
                (Some(s), Some(c)) => c == s,
                (None, None) => true,
                _ => false,
            };
            let bare = t.split('=').next().unwrap_or("").trim().trim_matches('"');
            if sect_matches && bare == key && t.contains('=') {
                let col = line.chars().take_while(|c| c.is_whitespace()).count() + 1;
                return Location::new(i + 1, col);
            }
        }
        Location::START
    }

    /// An unknown key: an error listing the `valid` ones, or a warning for an mdBook key casebook
    /// does not use.
    pub(super) fn unknown(&mut self, section: &str, key: &str, valid: &[&str], mdbook: &[&str]) {
        let loc = self.locate(Some(section), key);
        if mdbook.contains(&key) {
            self.diags.push(
                Diagnostic::warning(
                    "mdbook-key",
                    "book.toml",
                    format!("`{key}` in `[{section}]` is an mdBook setting casebook does not use"),
                )
                .at_loc(loc),
            );
            return;
        }
        let list = valid.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let mut d =
            Diagnostic::error("unknown-config-key", "book.toml", format!("unknown key `{key}` in `[{section}]`"))
                .at_loc(loc)
                .help(format!("valid keys are {list}"));
        if let Some(near) = crate::diagnostic::did_you_mean(key, valid.iter().copied()) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        self.diags.push(d);
    }

    /// A value of the wrong type: an error naming the type `expected`.
    pub(super) fn type_error(&mut self, section: &str, key: &str, expected: &str) {
        let loc = self.locate(Some(section), key);
        self.diags.push(
            Diagnostic::error("config-type", "book.toml", format!("`{key}` in `[{section}]` must be {expected}"))
                .at_loc(loc),
        );
    }

    /// A value outside what the key takes: an error naming it and what was `expected`.
    pub(super) fn bad_value(&mut self, section: &str, key: &str, value: &str, expected: &str) {
        let loc = self.locate(Some(section), key);
        self.diags.push(
            Diagnostic::error("config-value", "book.toml", format!("invalid value `{value}` for `{key}`"))
                .at_loc(loc)
                .help(format!("expected {expected}")),
        );
    }

    /// The string `v` of `[s] k`, or an error at its line.
    pub(super) fn string(&mut self, s: &str, k: &str, v: toml::Value) -> Option<String> {
        match v {
            toml::Value::String(s) => Some(s),
            _ => {
                self.type_error(s, k, "a string");
                None
            }
        }
    }

    /// A URL every page links to: `http`, `https` or site-relative, never `javascript:`.
    pub(super) fn url(&mut self, s: &str, k: &str, v: toml::Value) -> Option<String> {
        let url = self.string(s, k, v)?;
        if crate::url_scheme::is_web_or_site(&url) {
            return Some(url);
        }
        let scheme = crate::url_scheme::scheme(&url).unwrap_or_default();
        let loc = self.locate(Some(s), k);
        self.diags.push(
            Diagnostic::error("config-value", "book.toml", format!("`{k}` may not use scheme `{scheme}:`"))
                .at_loc(loc)
                .help("write an `http://` or `https://` URL, or a path on this site starting with `/`"),
        );
        None
    }

    /// The list of strings (or the one string) `v` of `[s] k`, or an error at its line.
    pub(super) fn strings(&mut self, s: &str, k: &str, v: toml::Value) -> Option<Vec<String>> {
        match v {
            toml::Value::String(one) => Some(vec![one]),
            toml::Value::Array(items) if items.iter().all(|i| i.is_str()) => {
                Some(items.into_iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
            }
            _ => {
                self.type_error(s, k, "a list of strings");
                None
            }
        }
    }

    /// The boolean `v` of `[s] k`, or an error at its line.
    pub(super) fn boolean(&mut self, s: &str, k: &str, v: toml::Value) -> Option<bool> {
        match v {
            toml::Value::Boolean(b) => Some(b),
            _ => {
                self.type_error(s, k, "`true` or `false`");
                None
            }
        }
    }

    /// The whole number `v` of `[s] k`, or an error at its line.
    pub(super) fn uint(&mut self, s: &str, k: &str, v: toml::Value) -> Option<usize> {
        match v {
            toml::Value::Integer(i) if i >= 0 => Some(i as usize),
            _ => {
                self.type_error(s, k, "a whole number");
                None
            }
        }
    }
}
