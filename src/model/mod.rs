//! Raw documents → valid domain types: incidents, notes, plain pages, the factor registry,
//! gathered into a [`Library`]. Pure: no disk access.

mod classify;
pub mod date;
mod doc;
mod factor;
mod fields;
mod finish;
mod id;
mod incident;
mod library;
mod note;
mod shape;
mod terms;

pub use classify::is_label;
pub use date::Date;
pub use doc::{Doc, Kind, Status};
pub use factor::{Factor, Factors};
pub use id::slugify;
pub use incident::{ActionItem, Detection, FactorRef, Figures, Impact, Incident, Times};
pub use library::{assemble, model_document, Library, Modelled, ParseCache, RESERVED_IDS};
pub use note::Note;
pub use shape::{Said, Transcript};
pub use terms::{stem_hash, Term, Terms};

/// The tables of keys and allowed values the parser reads with, for `casebook schema` and the
/// `new` templates, so what editors are told cannot drift from what casebook accepts.
pub mod vocab {
    pub use super::doc::STATUSES;
    pub use super::factor::KEYS as FACTOR_KEYS;
    pub use super::incident::{
        ACTION_STATUSES, BLAST_RADII, DETECTION_METHODS, DURATION_KEYS, IMPACT_KEYS, KEYS as INCIDENT_KEYS,
        REVERSIBILITY, ROLES, TIME_NAMES, TIME_SENSITIVITY,
    };
    pub use super::note::{KEYS as NOTE_KEYS, KINDS};
}

pub use crate::config::FIELD_NAMES;
