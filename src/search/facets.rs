//! Filter values and the documents that have them: kind, severity, factor and service, each
//! value a compact set of document numbers with its count; years are ranges of numbers, since
//! documents are numbered in date order. Factor and service sets are the analysis's own, so the
//! counts a search shows are the ones the pattern and service pages show.

use super::docs::{Entry, KINDS};
use super::encode;
use crate::analysis::Analysis;
use crate::model::Library;
use crate::urls::Urls;
use serde_json::{json, Value};
use std::collections::HashMap;

/// One filter value.
struct FacetValue {
    value: String,
    label: String,
    docs: Vec<u32>,
}

/// The facets file: `{"fields": [{"name", "label", "values": [{"v", "l", "n", "d"}]}]}`.
pub(crate) fn facets(entries: &[Entry], lib: &Library, an: &Analysis, severities: &[String]) -> Value {
    let number: HashMap<&str, u32> = entries.iter().enumerate().map(|(i, e)| (e.path.as_str(), i as u32)).collect();
    let doc = |path: String| number.get(path.as_str()).copied();
    let n = entries.len();
    let kinds = KINDS
        .iter()
        .enumerate()
        .map(|(k, name)| FacetValue {
            value: name.to_string(),
            label: format!("{}{}", name[..1].to_uppercase(), &name[1..]),
            docs: numbers(entries, |e| e.kind == k),
        })
        .collect();
    let sevs = severities
        .iter()
        .map(|s| FacetValue {
            value: s.clone(),
            label: s.clone(),
            docs: numbers(entries, |e| e.severity.as_deref() == Some(s)),
        })
        .collect();
    let factors = an
        .patterns
        .iter()
        .map(|p| {
            let incidents = p.incidents.iter().map(|o| Urls::page("incidents", &lib.incidents[o.incident].doc.id));
            let notes = p.notes.iter().map(|&i| Urls::page("notes", &lib.notes[i].doc.id));
            let own = std::iter::once(Urls::page("patterns", &p.id));
            let mut docs: Vec<u32> = incidents.chain(notes).chain(own).filter_map(doc).collect();
            docs.sort_unstable();
            docs.dedup();
            let label = lib.factors.all.get(&p.id).map_or_else(|| p.id.clone(), |f| f.title.clone());
            FacetValue { value: p.id.clone(), label, docs }
        })
        .collect();
    let services = an
        .services
        .iter()
        .map(|g| {
            let mut docs: Vec<u32> =
                g.incidents.iter().filter_map(|&i| doc(Urls::page("incidents", &lib.incidents[i].doc.id))).collect();
            docs.sort_unstable();
            FacetValue { value: g.id.clone(), label: g.name.clone(), docs }
        })
        .collect();
    let fields = [
        ("kind", "Kind", kinds, false),
        ("severity", "Severity", sevs, false),
        ("factor", "Factor", factors, true),
        ("service", "Service", services, true),
    ];
    let fields: Vec<Value> =
        fields.into_iter().map(|(name, label, values, by_count)| field(name, label, values, by_count, n)).collect();
    json!({ "fields": fields })
}

fn numbers(entries: &[Entry], keep: impl Fn(&Entry) -> bool) -> Vec<u32> {
    entries.iter().enumerate().filter(|(_, e)| keep(e)).map(|(i, _)| i as u32).collect()
}

/// A field's values, most documents first when `by_count`, empty ones left out.
fn field(name: &str, label: &str, mut values: Vec<FacetValue>, by_count: bool, n: usize) -> Value {
    values.retain(|v| !v.docs.is_empty());
    if by_count {
        values.sort_by(|a, b| b.docs.len().cmp(&a.docs.len()).then_with(|| a.label.cmp(&b.label)));
    }
    let values: Vec<Value> = values
        .iter()
        .map(|v| json!({"v": v.value, "l": v.label, "n": v.docs.len(), "d": encode::id_set(&v.docs, n)}))
        .collect();
    json!({ "name": name, "label": label, "values": values })
}

/// `[[year, first, end], ...]`: the documents of each year are the numbers `first..end`.
pub(crate) fn years(entries: &[Entry]) -> Vec<(i32, usize, usize)> {
    let mut out: Vec<(i32, usize, usize)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(d) = e.date else { continue };
        match out.last_mut() {
            Some(last) if last.0 == d.year => last.2 = i + 1,
            _ => out.push((d.year, i, i + 1)),
        }
    }
    out
}
