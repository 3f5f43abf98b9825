//! The table of every diagnostic `code` that `check --format json` can give, with its level, what
//! it means and an example, from which `docs/diagnostics.md` is generated (a test keeps the two,
//! and the codes used in the source, in step).

use super::Level;

/// One kind of problem.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// The stable kebab-case `code`.
    pub name: &'static str,
    /// Its level (some errors become warnings by configuration; `what` says so).
    pub level: Level,
    /// What it means, in a sentence.
    pub what: &'static str,
    /// An example first line.
    pub example: &'static str,
}

const fn code(name: &'static str, level: Level, what: &'static str, example: &'static str) -> Code {
    Code { name, level, what, example }
}

use Level::{Error as E, Note as N, Warning as W};

/// Every code, sorted by name.
pub const CODES: &[Code] = &[
    code("alias-clash", E, "two documents' `aliases` (or an alias and an id) name the same old URL", "content/incidents/b.md:5:12: error: alias `old-id` is already used by `content/incidents/a.md`"),
    code("ambiguous-link", E, "a short link matches more than one document", "content/notes/n.md:7:3: error: link `[db](db)` matches 2 documents: `db-failover`, `db-disk`"),
    code("broken-link", E, "an internal link or an id in `related`/`incidents` names nothing (a warning with `broken-links = \"warn\"`)", "content/incidents/a.md:12:5: error: broken link `../notes/missing.md`"),
    code("build-dir", E, "book.toml's `build-dir` is a folder a build may not replace: the library, its sources, a git folder, a link, a mount point, or a folder of files casebook did not write (docs/build.md)", "book.toml:2:1: error: build-dir `.git` is a git folder"),
    code("changed-slug", W, "an explicit `slug:` changes under the id rule beyond case", "content/incidents/a.md:3:7: warning: slug `Checkout TTL` becomes `checkout-ttl`"),
    code("config-syntax", E, "book.toml is not valid TOML", "book.toml:3:9: error: invalid TOML: expected `=`"),
    code("config-type", E, "a book.toml key or section has the wrong type", "book.toml:6:12: error: `page-size` in `[build]` must be a positive integer"),
    code("config-value", E, "a book.toml value is not one of those allowed", "book.toml:5:16: error: invalid value `sometimes` for `broken-links`"),
    code("draft-link", W, "a link or an id points to a draft left out of the build", "content/incidents/a.md:9:1: warning: link `[x](x)` points to a draft left out of the build"),
    code("draft-skipped", N, "a draft was left out (shown under `--verbose`)", "content/incidents/a.md:1:1: note: draft `a` left out"),
    code("duplicate-alias", W, "a spelling in factors.yaml already names another factor", "content/factors.yaml:9:1: warning: `bad config` already names factor `config-change`"),
    code("duplicate-id", E, "two documents have the same id; reported at the later path", "content/incidents/2024/x.md:1:1: error: duplicate id `x`, first used by `content/incidents/2023/x.md`"),
    code("empty-document", W, "a document has no body and no summary", "content/notes/n.md:1:1: warning: empty document"),
    code("empty-id", E, "a file name, slug or factor name gives an empty id", "content/incidents/!!!.md:1:1: error: file name `!!!` gives an empty id"),
    code("file-too-large", E, "a document is over 10 MB", "content/notes/huge.md:1:1: error: file is 12.4 MB, over the 10 MB limit"),
    code("foreign-file", E, "a file casebook did not write is in its build dir (or its kept copy); a build would replace the folder without it", "site/CNAME:1:1: error: casebook did not write this file in its build dir"),
    code("inferred", N, "a value read from a postmortem's own sections, `Key: value` lines or timeline because front matter lacks it (shown under `--verbose`, docs/content.md#reading-plain-postmortems); a value there that does not parse is a warning with the code it would have in front matter", "content/incidents/a.md:12:1: note: inferred date 2020-02-03 from the timeline"),
    code("inferred-factor", N, "a contributing-factor text read from the body gave a factor: a registered phrase occurs in it, or it is a short label (shown under `--verbose`)", "content/incidents/a.md:20:1: note: inferred factor `config-change` from `A config push at 14:00 reached every region`"),
    code("invalid-alias", E, "an entry of `aliases` is not a usable id", "content/incidents/a.md:4:11: error: alias `../x` is not a usable id"),
    code("invalid-date", E, "a date is not valid", "content/incidents/a.md:3:7: error: invalid date `2024-02-30`"),
    code("invalid-duration", E, "a `durations` value does not parse", "content/incidents/a.md:6:8: error: invalid duration `soon`"),
    code("invalid-factors", E, "factors.yaml is not a mapping of factor ids to mappings", "content/factors.yaml:1:1: error: factor `x` must be a mapping"),
    code("invalid-front-matter", E, "front matter is not valid YAML or TOML", "content/incidents/a.md:3:8: error: invalid YAML front matter: did not find expected key"),
    code("invalid-slug", E, "a `slug:` holds `/` or `..`", "content/incidents/a.md:2:7: error: slug `a/b` may not hold `/` or `..`"),
    code("invalid-time", E, "a time in `times` is not RFC 3339", "content/incidents/a.md:7:12: error: invalid time `yesterday 14:00`"),
    code("invalid-value", E, "a value is not one of those allowed (status, kind, detection method, role, impact scales)", "content/incidents/a.md:9:18: error: invalid blast radius `planet`"),
    code("io", E, "a file could not be read", "content/incidents/a.md:1:1: error: cannot read: permission denied"),
    code("mdbook-key", W, "an mdBook setting casebook does not use (so an mdBook book.toml still builds)", "book.toml:8:1: warning: `[preprocessor.katex]` is an mdBook setting casebook does not use"),
    code("missing-field", E, "a mapping lacks the key that names it (`factor:` of a factor, `title:` of an action item)", "content/incidents/a.md:12:5: error: action item has no `title`"),
    code("misspelt-key", W, "a front-matter key within two edits of a known one", "content/incidents/a.md:4:1: warning: unknown key `severty`"),
    code("near-duplicate-factor", W, "a factor named in one document only is within two edits of another factor (both unregistered): likely one factor spelt two ways", "content/incidents/c.md:6:5: warning: factor `db-failvoer` is named only here and is close to `db-failover`"),
    code("not-utf8", E, "a document is not UTF-8 text", "content/notes/latin1.md:2:11: error: file is not UTF-8 text"),
    code("note-shape", N, "a note kept as a web page saved as text, a caption dump or a talk export was read as tidied: a line left out (the page's chrome before its title, a repeat of the title, a byline read into `authors`, the captions' header), cues read as a transcript, a closing `URL:` line read as `url` (shown under `--verbose`, docs/notes.md)", "content/notes/a.txt:3:1: note: left out `Subscribe` before the title, as the saved page's chrome"),
    code("number-too-large", W, "a duration is larger than casebook holds (2^53 - 1 minutes); the field stays empty rather than wrap", "content/incidents/a.md:9:1: warning: duration `Time to detect: 999999999999999999999 hours` is too large"),
    code("reserved-id", E, "a plain page takes an id the site's own sections use", "content/search.md:1:1: error: page id `search` is used by the site's own `/search/` section"),
    code("symlink-skipped", W, "a symbolic link under the source folder was not followed", "content/incidents/link.md:1:1: warning: symbolic link skipped"),
    code("times-out-of-order", E, "incident times are not in the order started, detected, acknowledged, mitigated, resolved", "content/incidents/a.md:9:13: error: `detected` (2024-03-12T14:00:00Z) is before `started` (2024-03-12T14:02:00Z)"),
    code("unclassified-factor", N, "a contributing-factor text read from the body matches no registered factor and is too long to be a label; it is listed on the incident page and read by `patterns --suggest` (shown under `--verbose`)", "content/incidents/a.md:22:1: note: unclassified factor text `The retry loop had no backoff, so clients hammered the database`"),
    code("unclosed-front-matter", E, "front matter has no closing `---` or `+++` line", "content/incidents/a.md:1:1: error: front matter is not closed"),
    code("undated-incident", W, "an incident has no date from front matter, `times.started` or its file name", "content/incidents/a.md:1:1: warning: incident has no date"),
    code("unknown-config-key", E, "a book.toml key or section casebook does not know; the help lists the valid ones", "book.toml:4:1: error: unknown key `biuld-dir` in `[build]`"),
    code("unknown-factor", W, "a factor not in factors.yaml (when there is one); the help suggests the nearest", "content/incidents/a.md:14:5: warning: unknown factor `config-chnage`"),
    code("unknown-key", E, "a key inside a closed mapping such as `durations` is not one casebook knows", "content/incidents/a.md:8:3: error: unknown duration `ttx`"),
    code("unknown-pattern-text", W, "a file under `patterns/` names no known factor", "content/patterns/x.md:1:1: warning: `x` names no known factor"),
    code("unknown-severity", E, "a severity outside book.toml's `[severity] levels`", "content/incidents/a.md:4:11: error: unknown severity `SEV5`"),
    code("unknown-type", W, "an unknown `type:`; the folder decides the kind", "content/incidents/a.md:2:7: warning: unknown type `post`"),
    code("unreadable-value", W, "a `Key: value` line in a postmortem's body names a field but its value does not parse (a duration, a detection method); the field stays empty", "content/incidents/a.md:8:1: warning: cannot read `a while` as a duration"),
    code("unsafe-url", W, "a link, image or URL field in content has a scheme other than `http`, `https` or `mailto`; the page shows it as text, without a link", "content/notes/n.md:8:5: warning: link `javascript:alert(1)` is shown as text: scheme `javascript:` is not allowed"),
    code("wrong-type", E, "a field holds the wrong type of value (a mapping where a list is expected, ...)", "content/incidents/a.md:5:11: error: items of `services` must be text, not a mapping"),
];

/// The entry for a code.
pub fn find(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.name == name)
}

/// The Markdown page listing every code (`docs/diagnostics.md`).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from src/diagnostic/codes.rs; a test fails when the two differ. -->\n\n\
         `casebook check --format json` prints one object per problem, on stdout, with `path`, `line`,\n\
         `column`, `level`, `code`, `message` and `help`. The `code` is stable: a CI job or an editor may\n\
         match on it. On a terminal the same problems are printed as `path:line:column: level: message`.\n\n\
         | code | level | what it means | example |\n|---|---|---|---|\n",
    );
    for c in CODES {
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!(
            "| `{}` | {} | {} | `` {} `` |\n",
            c.name,
            c.level.as_str(),
            cell(c.what),
            cell(c.example)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every `error("code"`, `warn("code"`, `warning("code"` and `note("code"` in `src/`, with its level.
    fn codes_in_source() -> BTreeMap<String, Vec<(String, String)>> {
        let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("diagnostic/codes.rs") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for (call, level) in [("error(", "error"), ("warn(", "warning"), ("warning(", "warning"), ("note(", "note")]
            {
                for (i, _) in text.match_indices(call) {
                    let before = text[..i].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let rest = text[i + call.len()..].trim_start();
                    let Some(lit) = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(l, _)| l) else {
                        continue;
                    };
                    if !lit.is_empty() && lit.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    {
                        let file = path.strip_prefix(&root).unwrap_or(path).display().to_string();
                        out.entry(lit.to_string()).or_default().push((level.to_string(), file));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_table_lists_every_code_in_the_source_at_its_level_and_no_other() {
        let used = codes_in_source();
        for (name, places) in &used {
            let c = find(name).unwrap_or_else(|| panic!("code `{name}` (used in {places:?}) is not in CODES"));
            for (level, file) in places {
                assert_eq!(level, c.level.as_str(), "`{name}` in {file} is not at the level CODES gives");
            }
        }
        for c in CODES {
            assert!(used.contains_key(c.name), "`{}` is in CODES but nothing reports it", c.name);
        }
        let names: Vec<&str> = CODES.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "CODES must be sorted by name, without repeats");
    }

    #[test]
    fn examples_are_first_lines_at_their_level() {
        for c in CODES {
            let tag = format!(": {}: ", c.level.as_str());
            assert!(c.example.contains(&tag), "the example of `{}` is not at level {}", c.name, c.level.as_str());
        }
    }

    #[test]
    fn docs_diagnostics_md_is_generated_from_the_table() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
        if std::env::var_os("CASEBOOK_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().expect("docs")).expect("mkdir docs");
            std::fs::write(&path, markdown()).expect("write docs/diagnostics.md");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == markdown(),
            "docs/diagnostics.md is out of date: run `CASEBOOK_BLESS=1 cargo test --lib codes`"
        );
    }
}
