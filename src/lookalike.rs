//! `casebook similar FILE|ID [DIR]`: the incidents of a library that read most like a draft
//! file or one of its own incidents, with the words they share (docs/similar.md); and the
//! incidents whose titles read like a new one's, which `casebook new incident` prints.

use crate::analysis::Similar;
use crate::model::{Library, Terms};
use crate::site::{self, Options, Outcome};
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::path::Path;

/// What `casebook similar` was asked for.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    /// A file (when such a path exists) or an incident id.
    pub target: String,
    /// How many to list at most.
    pub top: usize,
    /// A JSON array instead of a table.
    pub json: bool,
}

/// Reads and analyses the library at `root` and returns what to print on stdout (empty when no
/// incident reads alike), with the outcome of reading the library.
pub fn similar(root: &Path, req: &SimilarRequest) -> Result<(String, Outcome)> {
    let a = site::analyse(root, Options::default(), None, &crate::progress::Progress::hidden())?;
    let lib = &a.lib;
    let path = Path::new(&req.target);
    let (terms, own) = if path.is_file() {
        match own_index(root, lib, path) {
            Some(i) => (lib.incidents[i].terms.clone(), Some(i)),
            None => (draft_terms(path)?, None),
        }
    } else {
        let id = crate::model::slugify(&req.target);
        match lib.incidents.iter().position(|i| i.doc.id == id) {
            Some(i) => (lib.incidents[i].terms.clone(), Some(i)),
            None => bail!("no file `{}` and no incident with the id `{id}` in `{}`", req.target, root.display()),
        }
    };
    let found = a.an.similar.query(lib, &terms, own, req.top);
    let text = if found.is_empty() {
        String::new()
    } else if req.json {
        json_of(lib, &found)?
    } else {
        table(lib, &found)
    };
    Ok((text, a.outcome(false)))
}

/// The index of the library incident at `path`, if it is one.
fn own_index(root: &Path, lib: &Library, path: &Path) -> Option<usize> {
    let want = path.canonicalize().ok()?;
    lib.incidents.iter().position(|i| root.join(&i.doc.path).canonicalize().ok().as_ref() == Some(&want))
}

/// The words of a draft file: its front-matter `title` (or first `# ` heading, or file name),
/// its `summary` and its body text.
fn draft_terms(path: &Path) -> Result<Terms> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = crate::content::frontmatter_normalise(text);
    let shown = path.display().to_string();
    let split = match crate::content::split(&shown, &text) {
        Ok(s) => s,
        Err(d) => bail!("{}: {}", shown, d.message),
    };
    let field = |k: &str| split.front.fields.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let scan = crate::markdown::scan_prose(split.body, split.body_line);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let title = field("title").or(scan.heading.map(|h| h.0)).unwrap_or(stem);
    let summary = field("summary").unwrap_or_default();
    Ok(Terms::read(&title, [summary.as_str(), scan.prose.as_str()]))
}

/// score, date, id, title, shared words; columns aligned.
fn table(lib: &Library, found: &[Similar]) -> String {
    let rows: Vec<[String; 5]> = found
        .iter()
        .map(|s| {
            let d = &lib.incidents[s.incident].doc;
            [
                format!("{:.2}", s.score),
                d.date.map_or_else(|| "-".to_string(), |d| d.to_string()),
                d.id.clone(),
                d.title.clone(),
                s.words.join(", "),
            ]
        })
        .collect();
    let width = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2, w3) = (width(0), width(1), width(2), width(3));
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!("{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n", r[0], r[1], r[2], r[3], r[4]));
    }
    out
}

/// `[{id, title, date, score, words}]`, most similar first.
fn json_of(lib: &Library, found: &[Similar]) -> Result<String> {
    let items: Vec<serde_json::Value> = found
        .iter()
        .map(|s| {
            let d = &lib.incidents[s.incident].doc;
            json!({
                "id": d.id,
                "title": d.title,
                "date": d.date,
                "score": (f64::from(s.score) * 1000.0).round() / 1000.0,
                "words": s.words,
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&items)? + "\n")
}

/// Up to three incidents of the library at `root` whose titles read most like `title`, as
/// `date  title  (id)` lines, for `casebook new incident`; the new file itself, at `new`
/// (relative to `root`), is left out. A library that cannot be read gives none: the new file
/// is written all the same.
pub fn titles_like(root: &Path, title: &str, new: &Path) -> Vec<String> {
    let Ok(a) = site::analyse(root, Options::default(), None, &crate::progress::Progress::hidden()) else {
        return Vec::new();
    };
    let new = new.to_string_lossy().replace('\\', "/");
    a.an.similar
        .titles_like(&a.lib, &Terms::read(title, []), 4)
        .into_iter()
        .filter(|&i| a.lib.incidents[i].doc.path != new)
        .take(3)
        .map(|i| {
            let d = &a.lib.incidents[i].doc;
            let date = d.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
            format!("{date}  {}  ({})", d.title, d.id)
        })
        .collect()
}
