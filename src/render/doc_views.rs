//! The data a document's page receives: `incident.html`, `note.html` and `page.html` get a
//! [`DocView`] (inside an [`IncidentView`] or a [`NoteView`] for the first two). Built by
//! `pages`, read by Tera and by the native printers alike, so both print from the same data.

use super::views::{Figure, IncidentRow, Link, NoteRow};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Serialize)]
pub(super) struct Backlink {
    pub(super) href: String,
    pub(super) label: String,
    pub(super) kind: &'static str,
}

#[derive(Serialize)]
pub(super) struct DocView {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) status: &'static str,
    pub(super) tags: Vec<Link>,
    pub(super) authors: Vec<String>,
    pub(super) body_html: String,
    pub(super) backlinks: Vec<Backlink>,
    pub(super) edit_url: Option<String>,
    pub(super) extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct TimeRow {
    pub(super) label: &'static str,
    pub(super) value: String,
    pub(super) iso: String,
}

#[derive(Serialize)]
pub(super) struct FactorView {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) role: Option<String>,
    pub(super) note: Option<String>,
    pub(super) recurring: bool,
    pub(super) count: usize,
}

#[derive(Clone, Serialize)]
pub(super) struct ActionView {
    pub(super) title: String,
    pub(super) status: String,
    pub(super) owner: Option<String>,
    pub(super) due: Option<String>,
    pub(super) done: Option<String>,
    pub(super) link: Option<String>,
    pub(super) addresses: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct RelatedView<'r> {
    pub(super) row: Cow<'r, IncidentRow>,
    pub(super) shared: usize,
}

/// An incident that reads like the page's, with the words they share.
#[derive(Serialize)]
pub(super) struct SimilarView<'r> {
    pub(super) row: Cow<'r, IncidentRow>,
    /// The shared words, joined (`certificate, expired, renewal`).
    pub(super) words: String,
}

/// The recurring problem an incident belongs to.
#[derive(Serialize)]
pub(super) struct ProblemView {
    pub(super) href: String,
    pub(super) label: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct IncidentView<'r> {
    pub(super) doc: DocView,
    pub(super) severity: Option<String>,
    pub(super) sev_rank: usize,
    pub(super) services: Vec<Link>,
    pub(super) teams: Vec<Link>,
    pub(super) times: Vec<TimeRow>,
    pub(super) figures: Vec<Figure>,
    pub(super) detection: Option<crate::model::Detection>,
    pub(super) trigger: Option<String>,
    pub(super) impact: Option<crate::model::Impact>,
    pub(super) factors: Vec<FactorView>,
    /// Contributing-factor texts no registered factor matches (docs/content.md#reading-plain-postmortems).
    pub(super) unclassified: Vec<String>,
    pub(super) actions: Vec<ActionView>,
    pub(super) related: Vec<RelatedView<'r>>,
    pub(super) named_related: Vec<Link>,
    pub(super) similar: Vec<SimilarView<'r>>,
    pub(super) problem: Option<ProblemView>,
    pub(super) source: Option<serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct NoteView {
    pub(super) doc: DocView,
    pub(super) row: NoteRow,
    pub(super) url: Option<String>,
    pub(super) incidents: Vec<Link>,
}
