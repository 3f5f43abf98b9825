//! `casebook new incident|note "Title"`: a document from a template, with today's date, the
//! headings teams use, every field commented, and the schema comment for editors. The library's
//! theme folder may override a template (`templates/new/incident.md`). Never overwrites.

use super::schema::SchemaOf;
use super::{relative, slash, SCHEMA_DIR};
use crate::config::Config;
use crate::model::slugify;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// What kind of document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A postmortem, under `incidents/`, named `<today>-<slug>.md`.
    Incident,
    /// A reading note, under `notes/`, named `<slug>.md`.
    Note,
}

impl DocKind {
    fn name(self) -> &'static str {
        match self {
            DocKind::Incident => "incident",
            DocKind::Note => "note",
        }
    }

    fn embedded(self) -> &'static str {
        match self {
            DocKind::Incident => include_str!("../../themes/default/templates/new/incident.md"),
            DocKind::Note => include_str!("../../themes/default/templates/new/note.md"),
        }
    }

    fn schema(self) -> SchemaOf {
        match self {
            DocKind::Incident => SchemaOf::Incident,
            DocKind::Note => SchemaOf::Note,
        }
    }
}

/// Writes a new document of `kind` titled `title` in the library at `root` and returns its
/// path relative to `root`.
pub fn new_document(root: &Path, kind: DocKind, title: &str) -> Result<PathBuf> {
    let (config, _) = Config::load(root)?;
    let slug = slugify(title);
    if slug.is_empty() {
        bail!("the title `{title}` gives an empty file name; use letters or digits in it");
    }
    let today = super::today();
    let (folder, file) = match kind {
        DocKind::Incident => ("incidents", format!("{today}-{slug}.md")),
        DocKind::Note => ("notes", format!("{slug}.md")),
    };
    let dir_rel = config.src.join(folder);
    let rel = dir_rel.join(file);
    let schema = relative(&dir_rel, &Path::new(SCHEMA_DIR).join(kind.schema().file_name()));
    let template = template(&config, kind)?;
    let title_yaml = serde_json::to_string(title.trim()).context("cannot quote the title")?;
    let text = template
        .replace("{{title}}", &title_yaml)
        .replace("{{date}}", &today.to_string())
        .replace("{{schema}}", &schema);
    let abs = root.join(&rel);
    if abs.symlink_metadata().is_ok() {
        bail!("refusing to overwrite `{}`: it already exists (choose another title, or edit that file)", slash(&rel));
    }
    crate::fs::create_new(&abs, text.as_bytes())?;
    Ok(rel)
}

/// A hint when the schema a new file points to is missing (the library was not made by `init`).
pub fn schema_hint(root: &Path, kind: DocKind) -> Option<String> {
    let of = kind.schema();
    let rel = Path::new(SCHEMA_DIR).join(of.file_name());
    (!root.join(&rel).exists()).then(|| {
        let rel = slash(&rel);
        format!("note: editors find no schema at `{rel}` yet; write it with `casebook schema {} > {rel}`", kind.name())
    })
}

/// The theme folder's `templates/new/<kind>.md`, else the embedded one.
fn template(config: &Config, kind: DocKind) -> Result<String> {
    if let Some(theme) = &config.theme {
        let path = config.root.join(theme).join("templates/new").join(format!("{}.md", kind.name()));
        if path.is_file() {
            let bytes = crate::fs::read(&path)?;
            return String::from_utf8(bytes).with_context(|| format!("`{}` is not UTF-8 text", path.display()));
        }
    }
    Ok(kind.embedded().to_string())
}

/// Opens `path` in `$EDITOR` (or `$VISUAL`) and waits for it to close.
pub fn open_in_editor(path: &Path) -> Result<()> {
    let editor = ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .context("cannot open the file: set $EDITOR or $VISUAL")?;
    let mut words = editor.split_whitespace();
    let program = words.next().context("cannot open the file: $EDITOR is empty")?;
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor `{editor}`"))?;
    if !status.success() {
        bail!("the editor `{editor}` exited with {status}");
    }
    Ok(())
}
