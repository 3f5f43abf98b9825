//! The theme: Tera templates and static files embedded in the binary, so any library builds
//! without a theme folder; `[output.html] theme` names a folder whose files override them one
//! by one (`templates/*.html`, `static/*`).

use anyhow::Result;
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "home.html",
    "incidents.html",
    "incident.html",
    "notes.html",
    "note.html",
    "patterns.html",
    "pattern.html",
    "groups.html",
    "group.html",
    "page.html",
    "404.html",
    "redirect.html",
    "search.html",
    "trends.html",
    "recurring.html",
    "actions.html",
    "action_rows.html",
);

const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/static/style.css")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
    ("search-page.js", include_bytes!("../themes/default/static/search-page.js")),
    // Every page names the SVG; the ICO is for what asks the site root (docs/notes.md).
    ("icon.svg", include_bytes!("../themes/default/static/icon.svg")),
    ("favicon.ico", include_bytes!("../themes/default/static/favicon.ico")),
];

/// Templates and static files, embedded ones overridden by the theme folder's.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → source.
    pub templates: Vec<(String, String)>,
    /// Site path → bytes.
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The embedded default template `name`.
    pub(crate) fn embedded(name: &str) -> Option<&'static str> {
        TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// Whether template `name` is the embedded default (no theme folder overrides it), so the
    /// renderer may print it without Tera.
    pub(crate) fn is_default(&self, name: &str) -> bool {
        let embedded = Theme::embedded(name);
        let loaded = self.templates.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str());
        embedded.is_some() && embedded == loaded
    }

    /// The embedded theme, with files from `dir` (if any) taking precedence.
    pub fn load(dir: Option<&Path>) -> Result<Theme> {
        let mut templates: Vec<(String, String)> =
            TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let mut statics: Vec<(String, Vec<u8>)> = STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        let Some(dir) = dir.filter(|d| d.is_dir()) else { return Ok(Theme { templates, statics }) };
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for entry in walkdir::WalkDir::new(&tdir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name =
                    entry.path().strip_prefix(&tdir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                let text = String::from_utf8_lossy(&crate::fs::read(entry.path())?).into_owned();
                match templates.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => templates.push((name, text)),
                }
            }
        }
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for entry in walkdir::WalkDir::new(&sdir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name =
                    entry.path().strip_prefix(&sdir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                let bytes = crate::fs::read(entry.path())?;
                match statics.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = bytes,
                    None => statics.push((name, bytes)),
                }
            }
        }
        Ok(Theme { templates, statics })
    }
}
