//! Incidents for the analysis unit tests, built field by field (tests only).

use crate::diagnostic::Location;
use crate::model::{ActionItem, Date, Doc, FactorRef, Figures, Incident, Status, Times};

/// A date written `YYYY-MM-DD`.
pub(crate) fn day(s: &str) -> Date {
    crate::model::date::parse_date(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

/// A published incident with an id, a date (`""` for none), services and factors.
pub(crate) fn incident(id: &str, date: &str, services: &[&str], factors: &[&str]) -> Incident {
    let doc = Doc {
        id: id.into(),
        path: format!("content/incidents/{id}.md"),
        src_rel: format!("incidents/{id}.md"),
        title: id.into(),
        summary: None,
        date: (!date.is_empty()).then(|| day(date)),
        status: Status::Published,
        tags: Vec::new(),
        authors: Vec::new(),
        aliases: Vec::new(),
        body: "".into(),
        links: Vec::new(),
        extra: Default::default(),
        summary_from_body: false,
        title_from_heading: false,
        transcript: None,
    };
    Incident {
        doc,
        severity: None,
        services: services.iter().map(|s| s.to_string()).collect(),
        teams: Vec::new(),
        times: Times::default(),
        figures: Figures::default(),
        detection: None,
        trigger: None,
        impact: None,
        factors: factors
            .iter()
            .map(|f| FactorRef {
                id: f.to_string(),
                written: f.to_string(),
                role: None,
                note: None,
                loc: Location::START,
            })
            .collect(),
        factor_texts: Vec::new(),
        unclassified: Vec::new(),
        action_items: Vec::new(),
        related: Vec::new(),
        source: None,
        terms: Default::default(),
        counted: None,
        snippet: Vec::new(),
    }
}

/// An action item with a status, owner, due and done dates (`""` for none).
pub(crate) fn action(status: &str, owner: &str, due: &str, done: &str, addresses: &[&str]) -> ActionItem {
    ActionItem {
        title: format!("{status} action"),
        status: status.into(),
        done: (!done.is_empty()).then(|| day(done)),
        owner: (!owner.is_empty()).then(|| owner.to_string()),
        due: (!due.is_empty()).then(|| day(due)),
        link: None,
        addresses: addresses.iter().map(|s| s.to_string()).collect(),
        addresses_locs: Vec::new(),
    }
}
