//! `Key: value` lines and list items (docs/content.md#reading-plain-postmortems): which casebook field a key fills, and the
//! value cleaned of what people add around it (footnote references, a trailing full stop).

use std::collections::BTreeMap;

/// How a key's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Text, as written.
    Text,
    /// A list, split at commas and semicolons.
    List,
    /// Minutes, read from a duration.
    Minutes,
    /// A detection method.
    Method,
    /// A contributing-factor text (the Google SRE template's `Root Causes:` line).
    FactorText,
}

/// Keys people write (lower-cased, spaces as `_`) → (field path, shape).
const KEYS: &[(&str, &str, Shape)] = &[
    ("date", "date", Shape::Text),
    ("summary", "summary", Shape::Text),
    ("severity", "severity", Shape::Text),
    ("service", "services", Shape::List),
    ("services", "services", Shape::List),
    ("team", "teams", Shape::List),
    ("teams", "teams", Shape::List),
    ("tags", "tags", Shape::List),
    ("category", "tags", Shape::List),
    ("authors", "authors", Shape::List),
    ("author", "authors", Shape::List),
    ("trigger", "trigger", Shape::Text),
    ("impact", "impact.summary", Shape::Text),
    ("detection", "detection.method", Shape::Method),
    ("time_to_detect", "durations.ttd", Shape::Minutes),
    ("time_to_detection", "durations.ttd", Shape::Minutes),
    ("time_to_acknowledge", "durations.tta", Shape::Minutes),
    ("time_to_mitigate", "durations.ttm", Shape::Minutes),
    ("time_to_mitigation", "durations.ttm", Shape::Minutes),
    ("time_to_resolve", "durations.ttr", Shape::Minutes),
    ("time_to_resolution", "durations.ttr", Shape::Minutes),
    ("time_to_recover", "durations.ttr", Shape::Minutes),
    ("time_to_recovery", "durations.ttr", Shape::Minutes),
    ("impact_duration", "durations.impact", Shape::Minutes),
    ("duration", "durations.impact", Shape::Minutes),
    ("root_cause", "factors", Shape::FactorText),
    ("root_causes", "factors", Shape::FactorText),
    ("contributing_factor", "factors", Shape::FactorText),
    ("contributing_factors", "factors", Shape::FactorText),
];

/// Fields whose value is a list, for keys `[fields]` maps to them.
const LIST_FIELDS: &[&str] = &["services", "teams", "tags", "authors", "factors", "related"];

/// Fields a `Key: value` line may fill: the table above, plus `[fields]` mappings.
pub struct Keys {
    mapped: BTreeMap<String, (String, Shape)>,
}

impl Keys {
    /// The keys, with `mapping` (`[fields]`: casebook field → the repo's own keys) applied.
    pub fn new(mapping: &BTreeMap<String, Vec<String>>) -> Self {
        let mut mapped = BTreeMap::new();
        for (field, keys) in mapping {
            let shape = if LIST_FIELDS.contains(&field.as_str()) { Shape::List } else { Shape::Text };
            for k in keys {
                mapped.insert(normalise(k), (field.clone(), shape));
            }
        }
        Keys { mapped }
    }

    /// The field path and shape a key fills.
    pub fn target(&self, key: &str) -> Option<(String, Shape)> {
        if let Some(t) = self.mapped.get(key) {
            return Some(t.clone());
        }
        KEYS.iter().find(|(k, _, _)| *k == key).map(|(_, field, shape)| (field.to_string(), *shape))
    }
}

/// A key lower-cased, a trailing parenthesis (`Time to detect (TTD)`) removed, spaces as `_`.
pub fn normalise(key: &str) -> String {
    let mut k = key.trim().to_lowercase();
    if let Some(open) = k.find('(') {
        k.truncate(open);
    }
    k.split_whitespace().collect::<Vec<_>>().join("_").replace('-', "_")
}

/// A `Key: value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    /// The key normalised.
    pub key: String,
    /// The key as written.
    pub written: &'a str,
    /// The value as written.
    pub value: &'a str,
}

/// Splits `Key: value`. The key is one to four words starting with a letter, so a time such
/// as `14:02` or a sentence with a colon is no key.
pub fn split(line: &str) -> Option<Pair<'_>> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().trim_start_matches(['-', '*', '+']).trim();
    if key.is_empty() || key.split_whitespace().count() > 4 || !key.starts_with(char::is_alphabetic) {
        return None;
    }
    Some(Pair { key: normalise(key), written: key, value: value.trim() })
}

/// The value without footnote references and a trailing full stop; `None` when it says
/// nothing (`?`, `-`, `n/a`, `unknown`, empty).
pub fn clean(value: &str) -> Option<String> {
    let mut v = value.to_string();
    while let Some(start) = v.find("[^") {
        let end = v[start..].find(']').map_or(v.len(), |e| start + e + 1);
        v.replace_range(start..end, "");
    }
    let v = v.trim().trim_end_matches('.').trim();
    let absent = ["", "?", "-", "—", "n/a", "na", "unknown", "none", "tbd"];
    (!absent.contains(&v.to_lowercase().as_str())).then(|| v.to_string())
}

/// Items of a list value: split at commas and semicolons, each trimmed.
pub fn items(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(|s| s.trim().trim_end_matches('.').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A detection method from what people write (`Alert`, `PagerDuty alert`, `customer report`).
pub fn method(value: &str) -> Option<&'static str> {
    let v = value.to_lowercase();
    let has = |w: &str| v.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    if v.contains("external monitor") || has("synthetic") || has("pingdom") {
        Some("external-monitor")
    } else if has("alert") || has("alerts") || has("alerting") || has("page") || has("paged") || has("monitoring") {
        Some("alert")
    } else if has("customer") || has("customers") || has("user") || has("users") || has("support") {
        Some("customer-report")
    } else if has("internal") || has("employee") || has("engineer") || has("staff") {
        Some("internal-report")
    } else if has("other") {
        Some("other")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_fields() {
        let keys = Keys::new(&[("times.started".to_string(), vec!["Start Time".to_string()])].into_iter().collect());
        let p = split("Time to detect (TTD): 5 minutes").expect("pair");
        assert_eq!((p.key.as_str(), p.written, p.value), ("time_to_detect", "Time to detect (TTD)", "5 minutes"));
        assert_eq!(split("- Severity: SEV1").map(|p| p.key), Some("severity".into()));
        assert_eq!(split("14:02 paged the on-call"), None);
        assert_eq!(split("The on-call engineer saw it and then said: no"), None);
        assert_eq!(keys.target("time_to_recovery"), Some(("durations.ttr".into(), Shape::Minutes)));
        assert_eq!(keys.target("category"), Some(("tags".into(), Shape::List)));
        assert_eq!(keys.target("start_time"), Some(("times.started".into(), Shape::Text)));
        assert_eq!(keys.target("status"), None);
        assert_eq!(clean("279 minutes [^3]").as_deref(), Some("279 minutes"));
        assert_eq!(clean(" N/A "), None);
        assert_eq!(clean("?"), None);
        assert_eq!(items("checkout, payments api; dns"), ["checkout", "payments api", "dns"]);
        assert_eq!(method("PagerDuty alert on p99"), Some("alert"));
        assert_eq!(method("Customer Report"), Some("customer-report"));
        assert_eq!(method("we noticed"), None);
    }
}
