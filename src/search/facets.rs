//! Filter values and the documents that have them: kind, severity, factor and service, each
//! value a compact set of document numbers with its count; years are ranges of numbers, since
//! documents are numbered in date order. Factor and service sets are the analysis's own, so the
//! counts a search shows are the ones the pattern and service pages show.
//!
//! Each field is its own file (`search/f/NAME.js`), so the search page fetches only what it
//! shows: the small fields at once, the large ones (many values, each a set) when their group is
//! opened or the URL chooses one of their values. The manifest lists the fields ([`Field::meta`]).

use super::docs::{Entry, Source, KINDS};
use super::encode;
use crate::analysis::Analysis;
use crate::model::Library;
use crate::sink::Sink;
use anyhow::Result;
use serde_json::{json, Value};

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
    /// `d` the value's documents as an [`id_set`] of the `n` documents; or, when
    /// `disjoint` is true, of their positions among the documents no earlier value has.
    fn json(&self, n: usize) -> Value {
        let relative = if self.disjoint { relative_sets(&self.values, n) } else { None };
        let disjoint = relative.is_some();
        let sets = relative.unwrap_or_else(|| self.values.iter().map(|v| id_set(&v.docs, n)).collect());
        let values: Vec<Value> = self
            .values
            .iter()
            .zip(sets)
            .map(|(v, d)| json!({"v": v.value, "l": v.label, "n": v.docs.len(), "d": d}))
            .collect();
        json!({ "name": self.name, "label": self.label, "disjoint": disjoint, "values": values })
    }
}

/// Each value's documents as an [`id_set`] of their positions among the `n` documents
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
        out.push(id_set(&positions, left));
        for &d in &v.docs {
            taken[d as usize] = true;
        }
        left -= v.docs.len();
    }
    Some(out)
}

/// A sorted set of numbers below `n`, as the shortest of [`encode::id_set`]'s two forms and a
/// Rice code: `R`, the parameter `k` as one hex digit, then base64 of a bit stream (bit `i % 8`
/// of byte `i / 8`) holding, for each number, its gap from the one after the number before (0
/// for the first) as `gap >> k` zeros, a one, and the low `k` bits of the gap, lowest first.
/// The stream ends where a run of zeros does; filter sets are about a quarter shorter so.
fn id_set(ids: &[u32], n: usize) -> String {
    let plain = encode::id_set(ids, n);
    match rice(ids) {
        Some(r) if r.len() < plain.len() => r,
        _ => plain,
    }
}

/// The Rice form of [`id_set`]; `None` unless `ids` rise strictly.
fn rice(ids: &[u32]) -> Option<String> {
    let mut gaps = Vec::with_capacity(ids.len());
    let mut next = 0u32;
    for &id in ids {
        gaps.push(id.checked_sub(next)?);
        next = id.checked_add(1)?;
    }
    let cost = |k: u32| gaps.iter().map(|&g| u64::from(g >> k) + 1 + u64::from(k)).sum::<u64>();
    let k = (0..16).min_by_key(|&k| cost(k))?;
    let mut bytes = vec![0u8; usize::try_from(cost(k).div_ceil(8)).ok()?];
    let mut at = 0usize;
    let mut put = |bit: bool, at: &mut usize| {
        if bit {
            bytes[*at / 8] |= 1 << (*at % 8);
        }
        *at += 1;
    };
    for &g in &gaps {
        at += (g >> k) as usize;
        put(true, &mut at);
        for j in 0..k {
            put(g >> j & 1 == 1, &mut at);
        }
    }
    Some(format!("R{:x}{}", k, encode::base64(&bytes)))
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
    let number = Numbers::new(entries, lib, an);
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
        .enumerate()
        .map(|(pi, p)| {
            let incidents = p.incidents.iter().filter_map(|o| number.incidents[o.incident]);
            let notes = p.notes.iter().filter_map(|&i| number.notes[i]);
            let own = number.patterns[pi];
            let mut docs: Vec<u32> = incidents.chain(notes).chain(own).collect();
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
            let mut docs: Vec<u32> = g.incidents.iter().filter_map(|&i| number.incidents[i]).collect();
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

/// Each source document's number, by its place in the library or the analysis (documents are
/// numbered from their sources, so this is the same as looking each up by its page's path,
/// without building the paths).
struct Numbers {
    incidents: Vec<Option<u32>>,
    notes: Vec<Option<u32>>,
    patterns: Vec<Option<u32>>,
}

impl Numbers {
    fn new(entries: &[Entry], lib: &Library, an: &Analysis) -> Numbers {
        let mut n = Numbers {
            incidents: vec![None; lib.incidents.len()],
            notes: vec![None; lib.notes.len()],
            patterns: vec![None; an.patterns.len()],
        };
        for (i, e) in entries.iter().enumerate() {
            let slot = match e.source {
                Source::Incident(s) => n.incidents.get_mut(s),
                Source::Note(s) => n.notes.get_mut(s),
                Source::Pattern(s) => n.patterns.get_mut(s),
            };
            if let Some(slot) = slot {
                *slot = Some(i as u32);
            }
        }
        n
    }
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
        let want = [id_set(&[0, 2], 5), id_set(&[0, 1], 3), id_set(&[0], 1)];
        assert_eq!(sets, Some(want.to_vec()));
        assert_eq!(relative_sets(&[value(&[0, 2]), value(&[2])], 5), None, "a shared document");
    }

    #[test]
    fn a_field_whose_values_share_documents_is_written_whole() {
        let mut f = Field::new("severity", "Severity", false, vec![value(&[0, 1]), value(&[1])]);
        assert_eq!(f.json(4)["disjoint"], false);
        assert_eq!(f.json(4)["values"][1]["d"], id_set(&[1], 4));
        f.values = vec![value(&[0, 1]), value(&[3])];
        assert_eq!(f.json(4)["disjoint"], true);
        assert_eq!(f.json(4)["values"][1]["d"], id_set(&[1], 2));
    }

    /// Reads a Rice form back, as the browser does.
    fn unrice(d: &str) -> Vec<u32> {
        let k = u32::from_str_radix(&d[1..2], 16).unwrap_or(0);
        let bytes = base64_decode(&d[2..]);
        let bit = |i: usize| bytes[i / 8] >> (i % 8) & 1 == 1;
        let (mut out, mut at, mut id) = (Vec::new(), 0, 0u32);
        loop {
            let mut q = 0;
            while at < bytes.len() * 8 && !bit(at) {
                q += 1;
                at += 1;
            }
            if at >= bytes.len() * 8 {
                return out;
            }
            at += 1;
            let mut low = 0;
            for j in 0..k {
                low |= u32::from(bit(at)) << j;
                at += 1;
            }
            id += (q << k) + low;
            out.push(id);
            id += 1;
        }
    }

    fn base64_decode(s: &str) -> Vec<u8> {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let six: Vec<u32> = s
            .bytes()
            .filter(|&c| c != b'=')
            .map(|c| alphabet.iter().position(|&a| a == c).unwrap_or(0) as u32)
            .collect();
        let mut out = Vec::new();
        for chunk in six.chunks(4) {
            let n = chunk.iter().enumerate().fold(0, |acc, (i, &v)| acc | v << (18 - 6 * i));
            out.extend((0..chunk.len().saturating_sub(1)).map(|i| (n >> (16 - 8 * i)) as u8));
        }
        out
    }

    #[test]
    fn rice_sets_read_back_and_are_shorter_for_spread_sets() {
        let spread: Vec<u32> = (0..2000).map(|i| i * 17 + i % 5).collect();
        let d = id_set(&spread, 40_000);
        assert!(d.starts_with('R'), "{}", &d[..8]);
        assert!(d.len() < encode::id_set(&spread, 40_000).len());
        assert_eq!(unrice(&d), spread);
        for ids in [vec![0], vec![5, 6, 7, 300], vec![0, 1 << 20]] {
            assert_eq!(unrice(&rice(&ids).unwrap_or_default()), ids, "{ids:?}");
        }
        assert_eq!(rice(&[3, 3]), None, "not rising");
    }
}
