//! Filter values and the documents that have them: kind, severity, factor and service, each
//! value a compact set of document numbers with its count; years are ranges of numbers, since
//! documents are numbered in date order. Factor and service sets are the analysis's own, so the
//! counts a search shows are the ones the pattern and service pages show.
//!
//! Each field is its own file (`search/f/NAME.js`), so the search page fetches only what it
//! shows: the small fields at once, the large ones (many values, each a set) when their group is
//! opened or the URL chooses one of their values. The manifest lists the fields ([`Field::meta`]).

use super::docs::{Entry, KINDS};
use super::encode;
use crate::analysis::Analysis;
use crate::model::Library;
use crate::render::Sink;
use crate::urls::Urls;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::HashMap;

/// One filter value.
struct FacetValue {
    value: String,
    label: String,
    docs: Vec<u32>,
}

/// One filter field, written as `search/f/{name}.js`.
struct Field {
    /// The URL parameter and file name: `kind`, `severity`, `factor`, `service`.
    name: &'static str,
    label: &'static str,
    /// Fetched only when its group is opened or one of its values is chosen: a field of many
    /// values, listed most documents first.
    lazy: bool,
    /// No document has two of its values (kind, severity), so each value's set can be written
    /// among the documents none of the values before it has, which is shorter.
    disjoint: bool,
    values: Vec<FacetValue>,
}

impl Field {
    fn new(name: &'static str, label: &'static str, lazy: bool, mut values: Vec<FacetValue>) -> Field {
        values.retain(|v| !v.docs.is_empty());
        if lazy {
            values.sort_by(|a, b| b.docs.len().cmp(&a.docs.len()).then_with(|| a.label.cmp(&b.label)));
        }
        Field { name, label, lazy, disjoint: !lazy, values }
    }

    /// The manifest's entry: `{"name", "label", "lazy", "values"}`, the last the number of values.
    fn meta(&self) -> Value {
        json!({"name": self.name, "label": self.label, "lazy": self.lazy, "values": self.values.len()})
    }

    /// The field's file: `{"name", "label", "disjoint", "values": [{"v", "l", "n", "d"}]}` with
    /// `d` the value's documents as an [`encode::id_set`] of the `n` documents; or, when
    /// `disjoint` is true, of their positions among the documents no earlier value has.
    fn json(&self, n: usize) -> Value {
        let relative = if self.disjoint { relative_sets(&self.values, n) } else { None };
        let disjoint = relative.is_some();
        let sets = relative.unwrap_or_else(|| self.values.iter().map(|v| encode::id_set(&v.docs, n)).collect());
        let values: Vec<Value> = self
            .values
            .iter()
            .zip(sets)
            .map(|(v, d)| json!({"v": v.value, "l": v.label, "n": v.docs.len(), "d": d}))
            .collect();
        json!({ "name": self.name, "label": self.label, "disjoint": disjoint, "values": values })
    }
}

/// Each value's documents as an [`encode::id_set`] of their positions among the `n` documents
/// that no earlier value has; `None` if two values share a document.
fn relative_sets(values: &[FacetValue], n: usize) -> Option<Vec<String>> {
    let mut taken = vec![false; n];
    let mut left = n;
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        let mut positions = Vec::with_capacity(v.docs.len());
        let mut wanted = v.docs.iter().copied().peekable();
        let mut at = 0u32;
        for (d, gone) in taken.iter().enumerate() {
            if *gone {
                continue;
            }
            if wanted.peek() == Some(&(d as u32)) {
                positions.push(at);
                wanted.next();
            }
            at += 1;
        }
        if positions.len() != v.docs.len() {
            return None;
        }
        out.push(encode::id_set(&positions, left));
        for &d in &v.docs {
            taken[d as usize] = true;
        }
        left -= v.docs.len();
    }
    Some(out)
}

/// Writes each field's file, `search/f/NAME.js`, through `sink`; returns the manifest's list
/// of the fields ([`Field::meta`]).
pub(crate) fn write(
    entries: &[Entry],
    lib: &Library,
    an: &Analysis,
    severities: &[String],
    sink: &dyn Sink,
) -> Result<Vec<Value>> {
    let fields = fields(entries, lib, an, severities);
    for f in &fields {
        let name = format!("f/{}", f.name);
        sink.put(&format!("search/{name}.js"), &encode::data_file(&name, &f.json(entries.len())))?;
    }
    Ok(fields.iter().map(Field::meta).collect())
}

/// Every filter field but the year, in the order the search page shows them.
fn fields(entries: &[Entry], lib: &Library, an: &Analysis, severities: &[String]) -> Vec<Field> {
    let number: HashMap<&str, u32> = entries.iter().enumerate().map(|(i, e)| (e.path.as_str(), i as u32)).collect();
    let doc = |path: String| number.get(path.as_str()).copied();
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
    vec![
        Field::new("kind", "Kind", false, kinds),
        Field::new("severity", "Severity", false, sevs),
        Field::new("factor", "Factor", true, factors),
        Field::new("service", "Service", true, services),
    ]
}

fn numbers(entries: &[Entry], keep: impl Fn(&Entry) -> bool) -> Vec<u32> {
    entries.iter().enumerate().filter(|(_, e)| keep(e)).map(|(i, _)| i as u32).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn value(docs: &[u32]) -> FacetValue {
        FacetValue { value: String::new(), label: String::new(), docs: docs.to_vec() }
    }

    #[test]
    fn disjoint_sets_number_only_the_documents_left() {
        // 0 and 2 of five; then 1 and 3 are the first two of the three left (1, 3, 4); then 4
        // is the only one left.
        let sets = relative_sets(&[value(&[0, 2]), value(&[1, 3]), value(&[4])], 5);
        let want = [encode::id_set(&[0, 2], 5), encode::id_set(&[0, 1], 3), encode::id_set(&[0], 1)];
        assert_eq!(sets, Some(want.to_vec()));
        assert_eq!(relative_sets(&[value(&[0, 2]), value(&[2])], 5), None, "a shared document");
    }

    #[test]
    fn a_field_whose_values_share_documents_is_written_whole() {
        let mut f = Field::new("severity", "Severity", false, vec![value(&[0, 1]), value(&[1])]);
        assert_eq!(f.json(4)["disjoint"], false);
        assert_eq!(f.json(4)["values"][1]["d"], encode::id_set(&[1], 4));
        f.values = vec![value(&[0, 1]), value(&[3])];
        assert_eq!(f.json(4)["disjoint"], true);
        assert_eq!(f.json(4)["values"][1]["d"], encode::id_set(&[1], 2));
    }
}
