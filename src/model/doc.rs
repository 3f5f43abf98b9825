//! What every document has (id, title, summary, date, status, tags, links, body) and the
//! fallbacks that fill them in when the front matter is silent (docs/content.md).

use super::date::Date;
use super::fields::{Fields, Scope};
use super::id::slugify;
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::{collapse, truncate, LinkRef, Scan};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Whether a document is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Left out unless drafts are on.
    Draft,
    /// Published, but still being reviewed.
    InReview,
    /// Published.
    Published,
}

impl Status {
    /// The value as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Published => "published",
        }
    }
}

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A postmortem.
    Incident,
    /// A reading note.
    Note,
    /// A plain page (About, Start here).
    Page,
    /// Hand-written text of a pattern page (from `patterns/`).
    PatternText,
}

/// Fields shared by every kind of document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// URL segment, unique across the library.
    pub id: String,
    /// Path relative to the library root.
    pub path: String,
    /// Path relative to the source folder.
    pub src_rel: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: Option<String>,
    /// The document's date.
    pub date: Option<Date>,
    /// Publication status.
    pub status: Status,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Old ids that redirect here, with where each is written.
    pub aliases: Vec<(String, Location)>,
    /// Markdown body (a leading `# ` title removed), shared: `serve` copies every parsed
    /// document from its cache in each rebuild, and the bodies are most of their bytes.
    pub body: std::sync::Arc<str>,
    /// Links that may point inside the library.
    pub links: Vec<LinkRef>,
    /// Unknown front-matter keys.
    pub extra: Map<String, Value>,
    /// The summary is the body's first paragraph (so a page shows it once, in the body).
    pub summary_from_body: bool,
    /// The body's first block, a level-1 heading, was taken out of it as the title.
    pub title_from_heading: bool,
    /// The transcript read from caption cues, which pages show in place of its copy at the
    /// end of the body.
    pub transcript: Option<std::sync::Arc<super::shape::Transcript>>,
}

impl Doc {
    /// The folder of the file, relative to the source root.
    pub fn dir(&self) -> &str {
        self.src_rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// Longest title taken from a first line before it is cut.
const FIRST_LINE_TITLE: usize = 120;
/// Longest summary taken from the body.
const SUMMARY_CHARS: usize = 300;

/// Reads the common fields. Returns `None` when the id is unusable (already reported).
/// `first_line_title` allows the first line of a plain body to become the title (not for
/// pattern texts, whose title is the factor's). `scan` is the body's [`crate::markdown::scan`] when it
/// was already read.
pub fn read(f: &mut Fields, first_line_title: bool, scan: Option<Scan>) -> Option<Doc> {
    let raw = f.raw();
    let id = read_id(f)?;
    let scan = scan.unwrap_or_else(|| crate::markdown::scan(&raw.body, raw.body_line));
    // Copied only when a title is taken out of it.
    let mut body = Cow::Borrowed(&*raw.body);
    let mut title_from_heading = false;
    let fm_title = f.text("title").map(|t| collapse(&t));
    let title = match (fm_title, &scan.heading) {
        (Some(t), Some((h, Some(range)))) if h.eq_ignore_ascii_case(&t) => {
            body.to_mut().replace_range(range.clone(), "");
            title_from_heading = true;
            t
        }
        (Some(t), _) => t,
        (None, Some((h, Some(range)))) if !h.is_empty() => {
            body.to_mut().replace_range(range.clone(), "");
            title_from_heading = true;
            h.clone()
        }
        (None, Some((h, None))) if !h.is_empty() => h.clone(),
        _ if first_line_title => take_first_line(&mut body).unwrap_or_else(|| raw.stem.clone()),
        _ => raw.stem.clone(),
    };
    // `description` (other tools' name) is a built-in alias of `summary`, so front matter's
    // comes before what the body says.
    let written = f.text("summary").or(scan.summary_section);
    let summary_from_body = written.is_none() && scan.first_paragraph.is_some();
    let summary = written.or(scan.first_paragraph).map(|s| truncate(&collapse(&s), SUMMARY_CHARS));
    // Front matter first, then a `Date:` line in the body, then the file name, then the timeline.
    let date = f
        .within(Scope::Front, |f| f.date("date").or_else(|| f.date("times.started")))
        .or_else(|| f.within(Scope::Inferred, |f| f.date("date").or_else(|| f.date("times.started"))))
        .or_else(|| date_from_stem(&raw.stem))
        .or_else(|| date_from_timeline(f));
    let status = read_status(f);
    let tags = f.values("tags");
    let authors = f.values("authors");
    let aliases = read_aliases(f);
    for link in &scan.unlinkable {
        f.diags.push(unlinkable(&raw.path, &link.dest).at_loc(link.loc));
    }
    if raw.body.trim().is_empty() && raw.front.fields.is_empty() {
        f.diags.push(
            Diagnostic::warning("empty-document", &raw.path, "empty document")
                .help("write a title and a body, or remove the file"),
        );
    }
    Some(Doc {
        id,
        path: raw.path.clone(),
        src_rel: raw.src_rel.clone(),
        title,
        summary,
        date,
        status,
        tags,
        authors,
        aliases,
        body: match body {
            Cow::Borrowed(_) => raw.body.clone(),
            Cow::Owned(edited) => edited.into(),
        },
        links: scan.links,
        extra: Map::new(),
        summary_from_body,
        title_from_heading,
        transcript: None,
    })
}

/// Warns, at key path `path`, when a URL from front matter is not one an `href` may hold
/// (pages show it without a link).
pub fn check_url(f: &mut Fields, path: &str, url: &str) {
    if !crate::url_scheme::is_linkable(url) {
        let d = unlinkable(&f.raw().path, url).at_loc(f.loc(path));
        f.diags.push(d);
    }
}

/// The warning for a URL of a scheme pages do not link to.
fn unlinkable(path: &str, url: &str) -> Diagnostic {
    let scheme = crate::url_scheme::scheme(url).unwrap_or_default();
    Diagnostic::warning("unsafe-url", path, format!("link `{url}` is shown as text: scheme `{scheme}:` is not allowed"))
        .help("a link may be relative or start with `http:`, `https:` or `mailto:`")
}

fn read_id(f: &mut Fields) -> Option<String> {
    let raw = f.raw();
    let Some(slug) = f.text("slug") else {
        let id = slugify(&raw.stem);
        if id.is_empty() {
            f.diags.push(
                Diagnostic::error("empty-id", &raw.path, format!("file name `{}` gives an empty id", raw.stem))
                    .help("rename the file, or give it a `slug:` with letters or digits"),
            );
            return None;
        }
        return Some(id);
    };
    let loc = f.loc("slug");
    if slug.contains('/') || slug.contains("..") {
        f.error(
            "invalid-slug",
            "slug",
            format!("slug `{slug}` may not hold `/` or `..`"),
            Some("a slug is one URL segment, like `checkout-ttl`".into()),
        );
        return None;
    }
    let id = slugify(&slug);
    if id.is_empty() {
        f.error("empty-id", "slug", format!("slug `{slug}` gives an empty id"), Some("use letters or digits".into()));
        return None;
    }
    if id != slug.to_lowercase() {
        f.diags.push(
            Diagnostic::warning("changed-slug", &raw.path, format!("slug `{slug}` becomes `{id}`"))
                .at_loc(loc)
                .help(format!("write `slug: {id}` to keep the URL you see")),
        );
    }
    Some(id)
}

/// Takes the first line of the body as the title. A short line that stands alone as a
/// paragraph is removed from the body so it does not show twice.
fn take_first_line(body: &mut Cow<str>) -> Option<String> {
    let start = body.len() - body.trim_start().len();
    let rest = &body[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = rest[..line_end].trim();
    if line.is_empty() {
        return None;
    }
    let plain = collapse(line.trim_start_matches(['#', '>', '*', '-', ' ']));
    if plain.is_empty() {
        return None;
    }
    let alone = rest[line_end..].starts_with("\n\n") || rest[line_end..].trim().is_empty();
    if alone && plain.chars().count() <= FIRST_LINE_TITLE {
        body.to_mut().replace_range(start..start + line_end, "");
        return Some(plain);
    }
    Some(truncate(&plain, 80))
}

/// The timeline's first day, the last fallback (docs/content.md#reading-plain-postmortems), with a note saying so.
fn date_from_timeline(f: &mut Fields) -> Option<Date> {
    let start = f.timeline()?;
    let date = super::date::parse_date(&start.date)?;
    let path = f.raw().path.clone();
    f.diags.push(
        Diagnostic::note("inferred", path, format!("inferred date {} from the timeline", start.date)).at_loc(start.loc),
    );
    Some(date)
}

fn date_from_stem(stem: &str) -> Option<Date> {
    super::date::parse_date(stem.get(..10)?)
}

/// A document's `status:` (only `draft` is left out of the site).
pub const STATUSES: &[&str] = &["draft", "in-review", "published"];

fn read_status(f: &mut Fields) -> Status {
    if f.raw().front.fields.get("published") == Some(&Value::Bool(false)) {
        return Status::Draft;
    }
    if f.raw().front.fields.get("draft") == Some(&Value::Bool(true)) {
        f.mark_used(&["draft"]);
        return Status::Draft;
    }
    f.mark_used(&["draft"]);
    match f.choice("status", STATUSES).as_deref() {
        Some("draft") => Status::Draft,
        Some("in-review") => Status::InReview,
        _ => Status::Published,
    }
}

fn read_aliases(f: &mut Fields) -> Vec<(String, Location)> {
    let mut out = Vec::new();
    for (a, loc) in f.list("aliases") {
        let id = slugify(&a);
        if id.is_empty() || a.contains("..") {
            let path = f.raw().path.clone();
            f.diags
                .push(Diagnostic::error("invalid-alias", path, format!("alias `{a}` is not a usable id")).at_loc(loc));
        } else {
            out.push((id, loc));
        }
    }
    out
}
