//! A reading note (docs/notes.md): what was read, by whom, and which factors and incidents it
//! sheds light on.

use super::doc::Doc;
use super::fields::{scalar, Fields};
use super::incident::{read_factors, FactorRef};
use crate::diagnostic::Location;
use serde_json::Value;

/// A reading note.
#[derive(Debug, Clone)]
pub struct Note {
    /// Common fields (`authors` are the source's authors).
    pub doc: Doc,
    /// article, paper, talk, ...
    pub kind: Option<String>,
    /// When the source was published: a date, `YYYY-MM` or `YYYY`.
    pub published: Option<String>,
    /// Where the source is.
    pub url: Option<String>,
    /// Factors it puts the note on.
    pub factors: Vec<FactorRef>,
    /// Incidents it sheds light on.
    pub incidents: Vec<(String, Location)>,
}

/// Every top-level key a note reads.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "summary",
    "status",
    "kind",
    "authors",
    "published",
    "url",
    "factors",
    "contributing_factors",
    "incidents",
    "tags",
    "aliases",
    "slug",
    "type",
    "description",
    "draft",
];

/// What a note is about (`kind:`).
pub const KINDS: &[&str] =
    &["article", "blog-post", "paper", "talk", "book", "podcast", "video", "thread", "incident-report", "other"];

/// Reads the note-specific fields.
pub fn read(f: &mut Fields, doc: Doc) -> Note {
    let kind = f.choice("kind", KINDS);
    let published = read_published(f);
    let url = f.text("url");
    if let (Some(u), Some((_, path))) = (&url, f.lookup("url")) {
        super::doc::check_url(f, &path, u);
    }
    let factors = read_factors(f);
    let incidents = f.list("incidents");
    Note { doc, kind, published, url, factors, incidents }
}

/// `published` is a date, `YYYY-MM` or `YYYY`; a boolean means draft and is read elsewhere.
fn read_published(f: &mut Fields) -> Option<String> {
    let (v, path) = f.lookup("published")?;
    if v.is_boolean() {
        return None;
    }
    let s = scalar(v)?;
    let s = s.trim();
    let ok = super::date::parse_date(s).map(|d| d.to_string()).or_else(|| {
        let parts: Vec<&str> = s.split('-').collect();
        let year_ok = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if year_ok(y) => Some(y.to_string()),
            [y, m] if year_ok(y) && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)) => {
                Some(format!("{y}-{m:0>2}"))
            }
            _ => None,
        }
    });
    if ok.is_none() {
        f.error(
            "invalid-date",
            &path,
            format!("invalid date `{s}`"),
            Some("expected a date, `YYYY-MM` or `YYYY`".into()),
        );
    }
    ok.or_else(|| matches!(v, Value::Null).then(String::new))
}
