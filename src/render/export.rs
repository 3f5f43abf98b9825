//! One item of `api/incidents.json` (docs/export.md), serialized straight from the incident: the
//! fields in the order a sorted JSON map prints them (the order the file has always had), so no
//! map of the item is built, no string is copied into it and none is freed after.

use crate::model::date::rfc3339;
use crate::model::{Date, Incident};
use serde::Serialize;
use serde_json::Value;

/// An incident as `api/incidents.json` lists it. The fields are in alphabetical order: serde
/// writes a struct's fields as they are declared, and the file's keys are sorted.
#[derive(Serialize)]
pub(super) struct IncidentItem<'a> {
    action_items: Value,
    date: Option<Date>,
    detection: Value,
    factors: Vec<&'a str>,
    id: &'a str,
    impact: Value,
    impact_minutes: Option<i64>,
    services: &'a [String],
    severity: Option<&'a str>,
    similar: Vec<SimilarItem<'a>>,
    status: &'static str,
    summary: Option<&'a str>,
    tags: &'a [String],
    teams: &'a [String],
    times: Times,
    title: &'a str,
    trigger: Option<&'a str>,
    tta_minutes: Option<i64>,
    ttd_minutes: Option<i64>,
    ttm_minutes: Option<i64>,
    ttr_minutes: Option<i64>,
    unclassified_factors: &'a [String],
    url: String,
}

/// An incident that reads like the item's (docs/similar.md), in alphabetical order.
#[derive(Serialize)]
pub(super) struct SimilarItem<'a> {
    id: &'a str,
    score: f64,
    words: &'a [String],
}

impl<'a> SimilarItem<'a> {
    /// The item of `s`, one of the similar incidents of an incident of `lib`.
    pub(super) fn new(lib: &'a crate::model::Library, s: &'a crate::analysis::Similar) -> Self {
        SimilarItem { id: &lib.incidents[s.incident].doc.id, score: rounded(s.score), words: &s.words }
    }
}

/// A score to three decimals: more would only show the noise of floating point.
pub(super) fn rounded(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

/// The incident's times as RFC 3339 stamps, in alphabetical order.
#[derive(Serialize)]
struct Times {
    acknowledged: Option<String>,
    detected: Option<String>,
    mitigated: Option<String>,
    resolved: Option<String>,
    started: Option<String>,
}

impl<'a> IncidentItem<'a> {
    /// The item of `i`, whose page has the public URL `url`. The model's own structs
    /// (detection, impact, action items) go through a JSON value, which sorts their keys.
    pub(super) fn new(i: &'a Incident, url: String, similar: Vec<SimilarItem<'a>>) -> serde_json::Result<Self> {
        let (t, f) = (&i.times, &i.figures);
        Ok(IncidentItem {
            action_items: serde_json::to_value(&i.action_items)?,
            date: i.doc.date,
            detection: serde_json::to_value(&i.detection)?,
            factors: i.factors.iter().map(|f| f.id.as_str()).collect(),
            id: &i.doc.id,
            impact: serde_json::to_value(&i.impact)?,
            impact_minutes: f.impact,
            services: &i.services,
            severity: i.severity.as_deref(),
            similar,
            status: i.doc.status.as_str(),
            summary: i.doc.summary.as_deref(),
            tags: &i.doc.tags,
            teams: &i.teams,
            times: Times {
                acknowledged: t.acknowledged.map(rfc3339),
                detected: t.detected.map(rfc3339),
                mitigated: t.mitigated.map(rfc3339),
                resolved: t.resolved.map(rfc3339),
                started: t.started.map(rfc3339),
            },
            title: &i.doc.title,
            trigger: i.trigger.as_deref(),
            tta_minutes: f.tta,
            ttd_minutes: f.ttd,
            ttm_minutes: f.ttm,
            ttr_minutes: f.ttr,
            unclassified_factors: &i.unclassified,
            url,
        })
    }
}
