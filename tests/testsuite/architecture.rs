//! The layering of ARCHITECTURE.md, checked: every `use crate::…`, `crate::x::…` and `super::…`
//! path in `src/` is read, and a module that reaches a layer above its own fails the test with
//! the file, the line and both layers. Today's known upward arrows are listed in `EXCEPTIONS`;
//! an exception that no longer occurs fails the test too, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of `src/`, bottom to top, grouped in layers (ARCHITECTURE.md explains each). A
/// module may use only modules listed before it. `markdown` is two modules here: its parsing
/// half ([`PARSING`]), which content and model use, and the rest, which renders HTML.
const LAYERS: &[(&str, &[&str])] = &[
    ("leaves", &["testing", "switches", "diagnostic", "fs", "sink", "text", "url_scheme", "progress"]),
    ("config", &["config", "theme"]),
    ("markdown parsing", &["markdown::scan", "markdown::text", "markdown::outline"]),
    ("content", &["content"]),
    ("model", &["model"]),
    ("urls", &["urls"]),
    ("analysis", &["analysis"]),
    ("rendering", &["markdown", "render"]),
    ("search", &["search"]),
    ("output", &["output"]),
    ("site", &["site"]),
    ("commands", &["authoring", "lookalike", "ranking", "serve"]),
    ("cli and main", &["cli", "lib", "main"]),
];

/// The files of `markdown/` that make its parsing half: blocks, the cheap scan and plain text.
const PARSING: &[&str] = &["scan", "text", "outline"];

/// Arrows that run up today, as "from → to" (none now). Each is a debt: remove its line when the arrow is
/// fixed (the test fails while a listed arrow no longer occurs, so the list only shrinks).
const EXCEPTIONS: &[&str] = &[];

/// One place in `src/` that names a module of the crate.
#[derive(Debug)]
struct Use {
    file: String,
    line: usize,
    from: String,
    to: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/markdown/outline.rs` → `["markdown", "outline"]`,
/// `src/render/native/mod.rs` → `["render", "native"]`, `src/lib.rs` → `["lib"]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.len() > 1 && parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file with comments, strings and character literals blanked out (newlines
/// kept, so line numbers still hold).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = if c == '/' && next == Some('/') {
            chars[i..].iter().position(|&c| c == '\n').map_or(chars.len(), |n| i + n)
        } else if c == '/' && next == Some('*') {
            (i + 2..chars.len()).find(|&j| chars[j - 1] == '*' && chars[j] == '/').map_or(chars.len(), |j| j + 1)
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i].last().is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let body: String = chars[i + 2 + hashes..].iter().collect();
            body.find(&close).map_or(chars.len(), |n| i + 2 + hashes + body[..n].chars().count() + close.len())
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if c == '\'' && next == Some('\\') {
            (i + 3..chars.len()).find(|&j| chars[j] == '\'').map_or(chars.len(), |j| j + 1)
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i + 3
        } else {
            out.push(c);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        out.extend(chars[i..end].iter().map(|&c| blank(c)));
        i = end;
    }
    out
}

/// Every path of a `use` tree: `a::{b, c::{d, e as f}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let mut tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    for (spaced, tight) in [(" ::", "::"), (":: ", "::"), ("{ ", "{"), (" }", "}"), (" ,", ","), (", ", ",")] {
        tree = tree.replace(spaced, tight);
    }
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or(&tree).to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(expand).map(|p| format!("{prefix}{p}")).collect()
}

/// For each byte of the code, how many inline modules (`mod tests { … }`) enclose it: a
/// `super::` inside one names the file's own module first.
fn inline_depths(code: &str) -> Vec<usize> {
    let (mut depths, mut stack) = (Vec::with_capacity(code.len()), Vec::new());
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for (at, c) in code.char_indices() {
        match c {
            '{' => {
                let before = code[..at].trim_end();
                let name_start =
                    before.len() - before.chars().rev().take_while(|&c| ident(c)).map(char::len_utf8).sum::<usize>();
                let keyword = before[..name_start].trim_end();
                let is_mod = name_start < before.len()
                    && keyword.ends_with("mod")
                    && !keyword[..keyword.len() - 3].chars().last().is_some_and(ident);
                stack.push(is_mod);
            }
            '}' => {
                stack.pop();
            }
            _ => {}
        }
        let depth = stack.iter().filter(|m| **m).count();
        depths.extend(std::iter::repeat_n(depth, c.len_utf8()));
    }
    depths
}

/// A path named in the code: its line, the path, and how many inline modules enclose it.
type Found = (usize, String, usize);

/// Paths named in the code: whole `use` trees expanded, and inline `crate::a::b` / `super::a`
/// paths.
fn paths(code: &str) -> Vec<Found> {
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    let depths = inline_depths(code);
    let depth_at = |at: usize| depths.get(at).copied().unwrap_or(0);
    let mut found = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for (at, _) in code.match_indices("use ") {
        if at > 0 && code[..at].chars().last().is_some_and(ident) {
            continue;
        }
        let rest = &code[at + 4..];
        let Some(end) = rest.find(';') else { continue };
        let tree = rest[..end].trim();
        if tree.starts_with("crate::") || tree.starts_with("super::") || tree.starts_with("self::") {
            found.extend(expand(tree).into_iter().map(|p| (line_at(at), p, depth_at(at))));
        }
    }
    for root in ["crate::", "super::"] {
        for (at, _) in code.match_indices(root) {
            if at > 0 && code[..at].chars().last().is_some_and(|c| ident(c) || c == ':') {
                continue;
            }
            let len = code[at..].find(|c: char| !(ident(c) || c == ':')).unwrap_or(code.len() - at);
            // `crate::a::{…}` and `super::*` are the heads of use trees, read whole above.
            if !code[at..at + len].ends_with("::") {
                found.push((line_at(at), code[at..at + len].to_string(), depth_at(at)));
            }
        }
    }
    found
}

/// The names `markdown/mod.rs` re-exports from its parsing half, so `crate::markdown::Block`
/// counts as a use of `markdown::outline`.
fn parsing_exports() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(src().join("markdown/mod.rs")).expect("src/markdown/mod.rs");
    let mut names = BTreeMap::new();
    for line in text.lines() {
        let Some(tree) = line.strip_prefix("pub use ").and_then(|l| l.strip_suffix(';')) else { continue };
        for path in expand(tree) {
            let mut segs = path.split("::");
            if let (Some(module), Some(name)) = (segs.next(), segs.next()) {
                if PARSING.contains(&module) {
                    names.insert(name.to_string(), format!("markdown::{module}"));
                }
            }
        }
    }
    names
}

/// The module a path reaches, as `LAYERS` names modules, or `None` when it names no module.
/// `inline` is how many inline modules enclose the path (their `super::` stays in the file).
fn target(path: &str, file_module: &[String], inline: usize, exports: &BTreeMap<String, String>) -> Option<String> {
    let segs: Vec<&str> = path.split("::").collect();
    let absolute: Vec<String> = match segs.first() {
        Some(&"crate") => segs[1..].iter().map(|s| s.to_string()).collect(),
        Some(&"super") => {
            let ups = segs.iter().take_while(|s| **s == "super").count();
            let base = &file_module[..file_module.len().saturating_sub(ups.saturating_sub(inline))];
            base.iter().cloned().chain(segs[ups..].iter().map(|s| s.to_string())).collect()
        }
        Some(&"self") => file_module.iter().cloned().chain(segs[1..].iter().map(|s| s.to_string())).collect(),
        _ => return None,
    };
    let first = absolute.first()?.clone();
    if first.is_empty() || first == "self" {
        return None;
    }
    let unit = if first == "markdown" {
        match absolute.get(1).map(String::as_str) {
            Some(m) if PARSING.contains(&m) => format!("markdown::{m}"),
            Some(name) => exports.get(name).cloned().unwrap_or(first),
            None => first,
        }
    } else {
        first
    };
    Some(unit)
}

/// The module a file belongs to, as `LAYERS` names modules.
fn unit_of(module: &[String]) -> String {
    match module {
        [m, sub, ..] if m == "markdown" && PARSING.contains(&sub.as_str()) => format!("markdown::{sub}"),
        [m, ..] => m.clone(),
        [] => String::new(),
    }
}

fn rank(unit: &str) -> Option<(usize, &'static str)> {
    let mut at = 0;
    for (layer, units) in LAYERS {
        for u in *units {
            if *u == unit {
                return Some((at, layer));
            }
            at += 1;
        }
    }
    None
}

/// Every use of another module in `src/`.
fn uses() -> Vec<Use> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let exports = parsing_exports();
    let mut all = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).expect("under src").to_path_buf();
        let module = module_of(&rel);
        let from = unit_of(&module);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (line, p, inline) in paths(&code_only(&text)) {
            let Some(to) = target(&p, &module, inline, &exports) else { continue };
            if to != from {
                let file = format!("src/{}", rel.to_string_lossy().replace('\\', "/"));
                all.push(Use { file, line, from: from.clone(), to });
            }
        }
    }
    all
}

#[test]
fn no_module_reaches_a_layer_above_its_own() {
    let uses = uses();
    assert!(uses.len() > 100, "found only {} uses of other modules in src/", uses.len());
    let mut problems = BTreeSet::new();
    let mut seen_exceptions = BTreeSet::new();
    for u in &uses {
        let (Some((from_rank, from_layer)), Some((to_rank, to_layer))) = (rank(&u.from), rank(&u.to)) else {
            let which = if rank(&u.from).is_none() { &u.from } else { &u.to };
            problems.insert(format!(
                "{}:{}: module `{which}` has no layer: add it to LAYERS in tests/testsuite/architecture.rs and to ARCHITECTURE.md",
                u.file, u.line
            ));
            continue;
        };
        if to_rank < from_rank {
            continue;
        }
        let arrow = format!("{} → {}", u.from, u.to);
        if EXCEPTIONS.contains(&arrow.as_str()) {
            seen_exceptions.insert(arrow);
            continue;
        }
        problems.insert(format!(
            "{}:{}: `{}` (layer {from_layer}) uses `{}` (layer {to_layer}), which is not below it",
            u.file, u.line, u.from, u.to
        ));
    }
    for gone in EXCEPTIONS.iter().filter(|e| !seen_exceptions.contains(**e)) {
        problems.insert(format!(
            "the exception `{gone}` no longer occurs: remove it from EXCEPTIONS (tests/testsuite/architecture.rs)"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.into_iter().collect::<Vec<_>>().join("\n"));
}

#[test]
fn every_module_of_the_crate_has_a_layer() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("pub(crate) mod ")))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(declared.len() > 10, "{declared:?}");
    let missing: Vec<&&str> = declared.iter().filter(|m| rank(m).is_none()).collect();
    assert!(missing.is_empty(), "modules with no layer in tests/testsuite/architecture.rs: {missing:?}");
}

#[test]
fn the_reader_finds_uses_in_every_form() {
    let code = code_only(
        "use crate::{config::Config, model::{Kind, Date as D}};\n\
         // crate::serve::x in a comment\n\
         let s = \"crate::site in a string\";\n\
         let c = '\"'; let r = r#\"crate::cli\"#;\n\
         fn f() { crate::output::staging_path(x); super::sibling::g(); }\n\
         #[cfg(test)]\nmod tests {\n    use super::*;\n    use super::super::infer::x;\n}\n",
    );
    let found = paths(&code);
    let module = vec!["content".to_string(), "walk".to_string()];
    let exports = BTreeMap::from([("Block".to_string(), "markdown::outline".to_string())]);
    let mut targets: Vec<(usize, String)> =
        found.iter().filter_map(|(line, p, inline)| Some((*line, target(p, &module, *inline, &exports)?))).collect();
    targets.sort();
    targets.dedup();
    let at = |line: usize, m: &str| (line, m.to_string());
    assert_eq!(
        targets,
        vec![at(1, "config"), at(1, "model"), at(5, "content"), at(5, "output"), at(8, "content"), at(9, "content")],
        "{found:?}"
    );
    let markdown_test = vec!["markdown".to_string(), "outline".to_string()];
    assert_eq!(
        target("super::*", &markdown_test, 1, &exports),
        Some("markdown::outline".into()),
        "the file's own module"
    );
    assert_eq!(target("crate::markdown::Block", &module, 0, &exports), Some("markdown::outline".into()));
    assert_eq!(target("crate::markdown::escape", &module, 0, &exports), Some("markdown".into()));
    assert_eq!(unit_of(&module_of(Path::new("markdown/outline.rs"))), "markdown::outline");
    assert_eq!(unit_of(&module_of(Path::new("render/native/mod.rs"))), "render");
}
