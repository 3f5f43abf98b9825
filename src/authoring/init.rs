//! `casebook init [DIR]`: a ready library (book.toml, an example incident and note, a starter
//! factor registry, a start page, a .gitignore and the schema files) that builds with no warning.
//! It refuses, naming every one, if any file it would write already exists.

use super::schema::{schema_text, SchemaOf};
use super::{existing, SCHEMA_DIR};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// The starter files, written by us; see `src/authoring/starter/`.
const STARTER: &[(&str, &str)] = &[
    ("book.toml", include_str!("starter/book.toml")),
    (".gitignore", include_str!("starter/gitignore")),
    ("content/start-here.md", include_str!("starter/start-here.md")),
    ("content/factors.yaml", include_str!("starter/factors.yaml")),
    ("content/incidents/2025-01-14-checkout-resolver-change.md", include_str!("starter/incident.md")),
    ("content/notes/how-complex-systems-fail.md", include_str!("starter/note.md")),
];

/// Writes a new library into `dir` (created if missing) and returns the paths written,
/// relative to it. Writes nothing when any of them exists.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    let mut files: Vec<(PathBuf, String)> = STARTER.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect();
    for of in SchemaOf::ALL {
        files.push((Path::new(SCHEMA_DIR).join(of.file_name()), schema_text(of)));
    }
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let clash = existing(dir, &paths);
    if !clash.is_empty() {
        bail!(
            "refusing to overwrite {} in `{}`: {} (move them aside, or run init in an empty folder)",
            if clash.len() == 1 { "a file" } else { "files" },
            dir.display(),
            clash.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        );
    }
    for (path, text) in &files {
        crate::fs::create_new(&dir.join(path), text.as_bytes())?;
    }
    Ok(paths.iter().map(|p| super::slash(p)).collect())
}
