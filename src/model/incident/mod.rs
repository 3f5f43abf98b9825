//! An incident (docs/content.md#incidents): the summary-card fields, ordered times, derived figures, factors
//! with roles, and action items, with the tables of keys and values it may hold. How one is read
//! from a document's fields is `read`.

mod read;

pub use read::{read, read_factors};

use super::date::Date;
use super::doc::Doc;
use super::terms::Terms;
use crate::content::infer::FactorText;
use crate::diagnostic::Location;
use serde::Serialize;
use serde_json::Value;

/// The five moments of an incident, in seconds since the epoch (UTC).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Times {
    /// Impact began.
    pub started: Option<i64>,
    /// Someone or something noticed.
    pub detected: Option<i64>,
    /// A responder acknowledged.
    pub acknowledged: Option<i64>,
    /// Impact stopped.
    pub mitigated: Option<i64>,
    /// Fully resolved.
    pub resolved: Option<i64>,
}

/// Names of the times, in the order they must come.
pub const TIME_NAMES: [&str; 5] = ["started", "detected", "acknowledged", "mitigated", "resolved"];

impl Times {
    /// The times in order, by name.
    pub fn all(&self) -> [(&'static str, Option<i64>); 5] {
        [
            ("started", self.started),
            ("detected", self.detected),
            ("acknowledged", self.acknowledged),
            ("mitigated", self.mitigated),
            ("resolved", self.resolved),
        ]
    }
}

/// Derived figures in whole minutes (from times, else from `durations`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// detected − started.
    pub ttd: Option<i64>,
    /// acknowledged − detected.
    pub tta: Option<i64>,
    /// mitigated − started.
    pub ttm: Option<i64>,
    /// resolved − started.
    pub impact: Option<i64>,
    /// resolved − detected.
    pub ttr: Option<i64>,
}

/// How the incident was noticed.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// `alert`, `customer-report`, ...
    pub method: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// The impact block.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impact {
    /// What users saw.
    pub summary: Option<String>,
    /// `none` ... `global`.
    pub blast_radius: Option<String>,
    /// `reversible` ... `irreversible`.
    pub reversibility: Option<String>,
    /// `low` ... `critical`.
    pub time_sensitivity: Option<String>,
    /// Free text such as "12%".
    pub users_affected: Option<String>,
}

/// A factor as written on an incident or note, before it is matched to the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorRef {
    /// Canonical factor id (set when the library is assembled).
    pub id: String,
    /// As written.
    pub written: String,
    /// precipitating, predisposing, perpetuating or protective.
    pub role: Option<String>,
    /// Why it mattered here.
    pub note: Option<String>,
    /// Where it is written.
    pub loc: Location,
}

/// A follow-up action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionItem {
    /// What to do.
    pub title: String,
    /// open, in-progress, done, wont-do.
    pub status: String,
    /// When it was done.
    pub done: Option<Date>,
    /// Who owns it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Date>,
    /// Tracker link.
    pub link: Option<String>,
    /// Factor ids it addresses (canonical after assembly).
    pub addresses: Vec<String>,
    /// Where each `addresses` entry is written.
    #[serde(skip)]
    pub addresses_locs: Vec<Location>,
}

/// A postmortem.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Common fields.
    pub doc: Doc,
    /// As configured (`SEV1`...).
    pub severity: Option<String>,
    /// Services involved.
    pub services: Vec<String>,
    /// Teams involved.
    pub teams: Vec<String>,
    /// The timeline's key moments.
    pub times: Times,
    /// Derived figures.
    pub figures: Figures,
    /// How it was noticed.
    pub detection: Option<Detection>,
    /// What set it off.
    pub trigger: Option<String>,
    /// What users saw.
    pub impact: Option<Impact>,
    /// Contributing factors.
    pub factors: Vec<FactorRef>,
    /// Follow-ups.
    pub action_items: Vec<ActionItem>,
    /// Contributing-factor texts read from the body (docs/content.md#reading-plain-postmortems), classified by the registry
    /// when the library is assembled; kept for `patterns --suggest`.
    pub factor_texts: Vec<FactorText>,
    /// Contributing-factor texts that no registered factor matches (docs/content.md#reading-plain-postmortems).
    pub unclassified: Vec<String>,
    /// Ids of related documents, with where they are written.
    pub related: Vec<(String, Location)>,
    /// For imported public postmortems.
    pub source: Option<Value>,
    /// Its words, for similar incidents (docs/similar.md).
    pub terms: Terms,
    /// In a build that writes the search index: its title, summary, tags and body counted for
    /// the index when it was read (in the same pass as `terms`), unless the body it keeps is
    /// not the one read there less a title heading (a first line taken as the title): the
    /// index then reads it itself.
    pub(crate) counted: Option<crate::text::vocab::Counted>,
    /// The first sentences of its body, for search results.
    pub(crate) snippet: Vec<String>,
}

/// Every top-level key an incident reads.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "summary",
    "status",
    "severity",
    "services",
    "teams",
    "tags",
    "authors",
    "times",
    "durations",
    "detection",
    "trigger",
    "impact",
    "factors",
    "contributing_factors",
    "action_items",
    "related",
    "aliases",
    "source",
    "slug",
    "type",
    "description",
    "draft",
    "published",
];

/// The roles a factor may play in an incident (`factors[].role`).
pub const ROLES: &[&str] = &["precipitating", "predisposing", "perpetuating", "protective"];

/// How an incident was detected (`detection.method`).
pub const DETECTION_METHODS: &[&str] = &["alert", "customer-report", "internal-report", "external-monitor", "other"];

/// An action item's `status`.
pub const ACTION_STATUSES: &[&str] = &["open", "in-progress", "done", "wont-do"];

/// The status of an action item read from a plain list item: listed, never counted as open.
pub const UNKNOWN_STATUS: &str = "unknown";

/// `impact.blast_radius`, narrowest first.
pub const BLAST_RADII: &[&str] = &["none", "internal", "single-tenant", "subset", "region", "global"];

/// `impact.reversibility`.
pub const REVERSIBILITY: &[&str] = &["reversible", "recoverable-with-effort", "irreversible"];

/// `impact.time_sensitivity`.
pub const TIME_SENSITIVITY: &[&str] = &["low", "medium", "high", "critical"];

/// The keys of an `impact:` mapping.
pub const IMPACT_KEYS: &[&str] = &["summary", "blast_radius", "reversibility", "time_sensitivity", "users_affected"];

/// The keys of `durations:` (minutes where times are unknown).
pub const DURATION_KEYS: &[&str] = &["ttd", "tta", "ttm", "impact", "ttr"];
