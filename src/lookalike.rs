//! `casebook similar FILE|ID [DIR]`: the incidents of a library that read most like a draft
//! file or one of its own incidents, with the words they share (docs/similar.md); and the
//! incidents whose titles read like a new one's, which `casebook new incident` prints.

use crate::analysis::Similar;
use crate::config::Config;
use crate::content::RawDocument;
use crate::diagnostic::Level;
use crate::model::{Incident, Library, Terms};
use crate::site::{self, Options, Outcome};
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

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
    let mut a = site::analyse(root, Options::default(), None, &crate::progress::Progress::hidden())?;
    let path = Path::new(&req.target);
    let own = if path.is_file() {
        match own_index(root, &a.lib, path) {
            Some(i) => i,
            None => {
                // A draft is weighed as one more incident of the library, so that it and a
                // library incident of the same text have the same words and weights.
                a.lib.incidents.push(draft_incident(path, &a.config)?);
                a.an.similar = crate::analysis::similarity(&a.lib);
                a.lib.incidents.len() - 1
            }
        }
    } else {
        let id = crate::model::slugify(&req.target);
        match a.lib.incidents.iter().position(|i| i.doc.id == id) {
            Some(i) => i,
            None => bail!("no file `{}` and no incident with the id `{id}` in `{}`", req.target, root.display()),
        }
    };
    let lib = &a.lib;
    let found = a.an.similar.query(lib, &lib.incidents[own].terms, Some(own), req.top);
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

/// A draft file read as the library reads an incident (docs/similar.md): modelled as a
/// postmortem of the incidents folder, so its title, summary, body and factor texts are found
/// and weighed as a library incident's are.
fn draft_incident(path: &Path, config: &Config) -> Result<Arc<Incident>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = crate::content::frontmatter_normalise(text);
    let shown = path.display().to_string();
    let split = match crate::content::split(&shown, &text) {
        Ok(s) => s,
        Err(d) => bail!("{}: {}", shown, d.message),
    };
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let raw = RawDocument {
        path: shown.clone(),
        // In the incidents folder, so it is read as a postmortem whatever its name.
        src_rel: format!("incidents/{name}"),
        stem,
        front: split.front,
        body: split.body.into(),
        body_line: split.body_line,
    };
    let modelled = crate::model::model_document(&raw, config, false);
    match modelled.incident() {
        Some(i) => Ok(i.clone()),
        None => {
            let why = modelled.diagnostics().iter().find(|d| d.level == Level::Error).map(|d| d.message.clone());
            bail!("{shown}: {}", why.unwrap_or_else(|| "cannot be read as an incident".into()))
        }
    }
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
