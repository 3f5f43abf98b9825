//! An incident read from a document's fields: each value checked against the tables of
//! `incident` (severity levels, roles, statuses, ...), every bad one a diagnostic at its key,
//! and the figures (TTD, TTR, ...) worked out from the times.

use super::{
    ActionItem, Detection, FactorRef, Figures, Impact, Incident, Times, ACTION_STATUSES, BLAST_RADII,
    DETECTION_METHODS, DURATION_KEYS, REVERSIBILITY, ROLES, TIME_NAMES, TIME_SENSITIVITY, UNKNOWN_STATUS,
};
use crate::content::infer::{too_large, DurationError};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::date::{self, Date};
use crate::model::doc::Doc;
use crate::model::fields::{scalar, Fields};
use crate::model::terms::Terms;
use serde_json::{Map, Value};

/// Reads the incident-specific fields.
pub fn read(f: &mut Fields, doc: Doc, levels: Option<&[String]>) -> Incident {
    let severity = read_severity(f, levels);
    let services = f.values("services");
    let teams = f.values("teams");
    let times = read_times(f, doc.date);
    let figures = read_figures(f, &times);
    let detection = read_detection(f);
    let trigger = f.text("trigger");
    let impact = read_impact(f);
    let factors = read_factors(f);
    let factor_texts = match f.inferred() {
        Some(inf) if factors.is_empty() => inf.factor_texts.clone(),
        _ => Vec::new(),
    };
    let action_items = read_actions(f);
    let related = f.list("related");
    let source = f.lookup("source").map(|(v, _)| v.clone());
    if let Some(url) = source.as_ref().and_then(|s| s.get("url")).and_then(Value::as_str) {
        crate::model::doc::check_url(f, "source.url", url);
    }
    Incident {
        doc,
        severity,
        services,
        teams,
        times,
        figures,
        detection,
        trigger,
        impact,
        factors,
        action_items,
        factor_texts,
        unclassified: Vec::new(),
        related,
        source,
        terms: Terms::default(),
        counted: None,
        snippet: Vec::new(),
    }
}

fn read_severity(f: &mut Fields, levels: Option<&[String]>) -> Option<String> {
    let sev = f.text("severity")?;
    let Some(levels) = levels else { return Some(sev) };
    if let Some(l) = levels.iter().find(|l| l.eq_ignore_ascii_case(&sev)) {
        return Some(l.clone());
    }
    let list = levels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
    let path = f.path_of("severity");
    f.error(
        "unknown-severity",
        &path,
        format!("unknown severity `{sev}`"),
        Some(format!("expected one of {list} (book.toml [severity])")),
    );
    None
}

fn read_times(f: &mut Fields, date: Option<Date>) -> Times {
    // `times: yesterday` would otherwise be dropped without a word: it must be a mapping.
    let _ = f.object("times");
    let mut t = Times::default();
    if f.lookup("times.started").is_none() {
        t.started = started_from_timeline(f, date);
    }
    for name in TIME_NAMES {
        let v = f.timestamp(&format!("times.{name}"));
        match name {
            "started" if v.is_none() => {}
            "started" => t.started = v,
            "detected" => t.detected = v,
            "acknowledged" => t.acknowledged = v,
            "mitigated" => t.mitigated = v,
            _ => t.resolved = v,
        }
    }
    let mut latest: Option<(&str, i64)> = None;
    for (name, v) in t.all() {
        let Some(v) = v else { continue };
        if let Some((prev, pv)) = latest {
            if v < pv {
                let path = f.path_of(&format!("times.{name}"));
                f.error(
                    "times-out-of-order",
                    &path,
                    format!("`{name}` ({}) is before `{prev}` ({})", date::rfc3339(v), date::rfc3339(pv)),
                    Some("times must be ordered: started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved".into()),
                );
                continue;
            }
        }
        latest = Some((name, v));
    }
    t
}

/// `times.started` from the timeline's first timestamp when it has a time and falls on the
/// incident's date (or the timeline gave the date), with a note saying so.
fn started_from_timeline(f: &mut Fields, date: Option<Date>) -> Option<i64> {
    let start = f.timeline()?;
    let time = start.time.as_ref()?;
    if date.is_some_and(|d| Some(d) != date::parse_date(&start.date)) {
        return None;
    }
    let stamp = format!("{}T{time}:00", start.date);
    let secs = date::parse_timestamp(&stamp, f.tz)?;
    let path = f.raw().path.clone();
    f.diags.push(
        Diagnostic::note("inferred", path, format!("inferred times.started {} {time} from the timeline", start.date))
            .at_loc(start.loc),
    );
    Some(secs)
}

fn read_figures(f: &mut Fields, t: &Times) -> Figures {
    let diff = |a: Option<i64>, b: Option<i64>| match (a, b) {
        (Some(a), Some(b)) if b >= a => Some((b - a) / 60),
        _ => None,
    };
    let mut fig = Figures {
        ttd: diff(t.started, t.detected),
        tta: diff(t.detected, t.acknowledged),
        ttm: diff(t.started, t.mitigated),
        impact: diff(t.started, t.resolved),
        ttr: diff(t.detected, t.resolved),
    };
    if let Some((map, path)) = f.object("durations") {
        for (key, v) in map {
            let slot = match key.as_str() {
                "ttd" => &mut fig.ttd,
                "tta" => &mut fig.tta,
                "ttm" => &mut fig.ttm,
                "impact" => &mut fig.impact,
                "ttr" => &mut fig.ttr,
                _ => {
                    f.error(
                        "unknown-key",
                        &format!("{path}.{key}"),
                        format!("unknown duration `{key}`"),
                        Some("expected one of `ttd`, `tta`, `ttm`, `impact`, `ttr`".into()),
                    );
                    continue;
                }
            };
            let text = scalar(v).unwrap_or_default();
            // A YAML number past `i64` arrives as a double, written `1e20`.
            let minutes = match v.as_f64() {
                Some(n) if !v.is_i64() => date::whole_minutes(n),
                _ => date::parse_duration(&text),
            };
            match minutes {
                // Times win: durations are only for what the times do not tell.
                Ok(m) => *slot = slot.or(Some(m)),
                Err(DurationError::TooLarge) => {
                    let d = too_large(&f.raw().path, &format!("durations.{key}"), &text)
                        .at_loc(f.loc(&format!("{path}.{key}")));
                    f.diags.push(d);
                }
                Err(DurationError::Unreadable) => f.error(
                    "invalid-duration",
                    &format!("{path}.{key}"),
                    format!("invalid duration `{text}`"),
                    Some("expected minutes like `17m`, `1h 5m`, `66 minutes` or `PT1H5M`".into()),
                ),
            }
        }
    }
    // Front matter's `durations` may name some; the body may give the others.
    for key in DURATION_KEYS {
        let slot = match *key {
            "ttd" => &mut fig.ttd,
            "tta" => &mut fig.tta,
            "ttm" => &mut fig.ttm,
            "impact" => &mut fig.impact,
            _ => &mut fig.ttr,
        };
        if slot.is_none() {
            *slot = f
                .lookup(&format!("durations.{key}"))
                .and_then(|(v, _)| scalar(v))
                .and_then(|s| date::parse_duration(&s).ok());
        }
    }
    fig
}

fn read_detection(f: &mut Fields) -> Option<Detection> {
    let (v, path) = f.lookup("detection")?;
    match v {
        Value::Object(m) => {
            let method = m
                .get("method")
                .and_then(scalar)
                .and_then(|s| f.check_choice(&s, &format!("{path}.method"), "detection method", DETECTION_METHODS));
            let note = m.get("note").and_then(scalar).or_else(|| f.text("detection.note"));
            Some(Detection { method, note })
        }
        other => {
            let s = f.scalar_text(other, &path, "detection")?;
            let method = f.check_choice(&s, &path, "detection method", DETECTION_METHODS);
            Some(Detection { method, note: None })
        }
    }
}

fn read_impact(f: &mut Fields) -> Option<Impact> {
    let (v, path) = f.lookup("impact")?;
    let m = match v {
        Value::Object(m) => m,
        other => {
            return f.scalar_text(other, &path, "impact").map(|s| Impact { summary: Some(s), ..Impact::default() })
        }
    };
    let mut choice = |key: &str, allowed: &[&str]| -> Option<String> {
        let s = m.get(key).and_then(scalar)?;
        f.check_choice(&s, &format!("{path}.{key}"), &key.replace('_', " "), allowed)
    };
    let blast_radius = choice("blast_radius", BLAST_RADII);
    let reversibility = choice("reversibility", REVERSIBILITY);
    let time_sensitivity = choice("time_sensitivity", TIME_SENSITIVITY);
    Some(Impact {
        summary: m.get("summary").and_then(scalar).or_else(|| f.text("impact.summary")),
        blast_radius,
        reversibility,
        time_sensitivity,
        users_affected: m.get("users_affected").and_then(scalar),
    })
}

/// Reads `factors` (bare ids or maps with `factor`, `role`, `note`). Shared with notes.
pub fn read_factors(f: &mut Fields) -> Vec<FactorRef> {
    let Some((v, path)) = f.lookup("factors") else { return Vec::new() };
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let item_path = if v.is_array() { format!("{path}[{i}]") } else { path.clone() };
        match item {
            Value::Object(m) => {
                let Some(name) = m.get("factor").or_else(|| m.get("id")).or_else(|| m.get("name")).and_then(scalar)
                else {
                    f.error(
                        "missing-field",
                        &item_path,
                        "factor entry has no `factor`".into(),
                        Some("write `- factor: some-id`".into()),
                    );
                    continue;
                };
                let role = m
                    .get("role")
                    .and_then(scalar)
                    .and_then(|r| f.check_choice(&r, &format!("{item_path}.role"), "factor role", ROLES));
                let loc = f.loc(&format!("{item_path}.factor"));
                out.push(FactorRef {
                    id: String::new(),
                    written: name.trim().to_string(),
                    role,
                    note: m.get("note").and_then(scalar),
                    loc,
                });
            }
            other => match scalar(other) {
                // A label read from the body that is punctuation alone names nothing.
                Some(s) if item_path.starts_with('~') && !s.chars().any(char::is_alphanumeric) => {}
                Some(s) if !s.trim().is_empty() => out.push(FactorRef {
                    id: String::new(),
                    written: s.trim().to_string(),
                    role: None,
                    note: None,
                    loc: f.loc(&item_path),
                }),
                Some(_) => {}
                None => f.error("wrong-type", &item_path, "a factor must be an id or a mapping".into(), None),
            },
        }
    }
    out
}

fn read_actions(f: &mut Fields) -> Vec<ActionItem> {
    let Some((v, path)) = f.lookup("action_items") else { return Vec::new() };
    let Value::Array(items) = v else {
        f.error("wrong-type", &path, "`action_items` must be a list".into(), None);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let m: Map<String, Value> = match item {
            Value::Object(m) => m.clone(),
            other => match scalar(other) {
                Some(s) => [("title".to_string(), Value::String(s))].into_iter().collect(),
                None => {
                    f.error("wrong-type", &p, "an action item must be a mapping".into(), None);
                    continue;
                }
            },
        };
        let Some(title) = m.get("title").and_then(scalar).filter(|t| !t.trim().is_empty()) else {
            f.error(
                "missing-field",
                &p,
                "action item has no `title`".into(),
                Some("write `- title: What to do`".into()),
            );
            continue;
        };
        let status = m
            .get("status")
            .and_then(scalar)
            .and_then(|s| {
                if p.starts_with('~') && s == UNKNOWN_STATUS {
                    return Some(s);
                }
                f.check_choice(&s, &format!("{p}.status"), "action status", ACTION_STATUSES)
            })
            .unwrap_or_else(|| "open".into());
        let mut date_of = |key: &str| -> Option<Date> {
            let s = m.get(key).and_then(scalar).filter(|s| !s.is_empty())?;
            let d = date::parse_date(&s);
            if d.is_none() {
                f.error(
                    "invalid-date",
                    &format!("{p}.{key}"),
                    format!("invalid date `{s}`"),
                    Some("expected a date like `2024-03-12`".into()),
                );
            }
            d
        };
        let done = date_of("done");
        let due = date_of("due");
        let link = m.get("link").and_then(scalar);
        // An inferred item's link is a Markdown link of the body, warned about where it is.
        if let Some(url) = link.as_deref().filter(|_| !p.starts_with('~')) {
            crate::model::doc::check_url(f, &format!("{p}.link"), url);
        }
        let (addresses, addresses_locs): (Vec<String>, Vec<Location>) = match m.get("addresses") {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(j, x)| scalar(x).map(|s| (s, f.loc(&format!("{p}.addresses[{j}]")))))
                .unzip(),
            Some(x) => scalar(x).map(|s| (vec![s], vec![f.loc(&format!("{p}.addresses"))])).unwrap_or_default(),
            None => Default::default(),
        };
        out.push(ActionItem {
            title: title.trim().to_string(),
            status,
            done,
            owner: m.get("owner").and_then(scalar),
            due,
            link,
            addresses,
            addresses_locs,
        });
    }
    out
}
