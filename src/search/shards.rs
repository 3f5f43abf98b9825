//! The index split by key range into shards of about the same size. Words and stems share one
//! sorted key space, so a shard holds the words in its range (with their stems) and the stems in
//! its range (with their postings). The manifest lists only each shard's first key, so a query
//! fetches just the shards its words fall in, and the shard count (hence the manifest) is capped
//! however large the library grows.

use super::encode;
use super::index::Index;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// About how many bytes a shard holds, at least.
pub(crate) const TARGET_BYTES: usize = 12 * 1024;
/// At most this many shards; past that, shards grow instead.
pub(crate) const MAX_SHARDS: usize = 1000;

/// One shard: its first key, its words (word → stem) and its stems (stem → encoded postings);
/// the tests' view of what [`json`] writes.
#[cfg(test)]
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Shard {
    /// The smallest key it holds (`""` for the first shard).
    pub(crate) first: String,
    /// Word → stem.
    pub(crate) words: BTreeMap<String, String>,
    /// Stem → base64 postings.
    pub(crate) postings: BTreeMap<String, String>,
}

#[cfg(test)]
impl Shard {
    /// The shard as JSON: `{"w": {word: stem}, "p": {stem: postings}}`.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::json!({ "w": self.words, "p": self.postings })
    }
}

/// Splits an index into shards of about `target` bytes (a key never spans two shards).
#[cfg(test)]
pub(crate) fn split(index: &Index, target: usize) -> Vec<Shard> {
    let encoded = encode_all(index);
    let keys = keys(&index.words, &encoded);
    plan(&keys, target).into_iter().enumerate().map(|(i, r)| shard(&keys[r], i == 0)).collect()
}

/// Every stem's postings, encoded.
pub(crate) fn encode_all(index: &Index) -> BTreeMap<String, String> {
    let encoded: Vec<(String, String)> = index
        .postings
        .par_iter()
        .map(|(stem, list)| (stem.clone(), encode::postings(index.weights(list), index.documents())))
        .collect();
    encoded.into_iter().collect()
}

/// One key of the shards: a word with its stem, a stem with its postings, or both.
pub(crate) struct Key<'a> {
    /// The word or stem.
    pub(crate) key: &'a str,
    /// Its stem, when it is a word whose stem differs.
    stem: Option<&'a str>,
    /// Its encoded postings, when it is a stem.
    postings: Option<&'a str>,
}

/// The keys of words and of stems, in one sorted list.
pub(crate) fn keys<'a>(words: &'a BTreeMap<String, String>, encoded: &'a BTreeMap<String, String>) -> Vec<Key<'a>> {
    let mut keys = Vec::with_capacity(words.len() + encoded.len());
    let (mut w, mut p) = (words.iter().peekable(), encoded.iter().peekable());
    loop {
        let key = match (w.peek(), p.peek()) {
            (Some((a, _)), Some((b, _))) => a.as_str().min(b.as_str()),
            (Some((a, _)), None) => a.as_str(),
            (None, Some((b, _))) => b.as_str(),
            (None, None) => return keys,
        };
        let stem = w.next_if(|(k, _)| k.as_str() == key).map(|(_, s)| s.as_str());
        let postings = p.next_if(|(k, _)| k.as_str() == key).map(|(_, e)| e.as_str());
        keys.push(Key { key, stem, postings });
    }
}

/// Where the shards begin and end in `keys`: at least `target` bytes each where the library
/// is large enough, and no more than about [`MAX_SHARDS`] of them.
pub(crate) fn plan(keys: &[Key], target: usize) -> Vec<std::ops::Range<usize>> {
    let total: usize = keys.iter().map(size).sum();
    // A cut happens only when the next key would overflow the shard, so any two neighbouring
    // shards hold more than `target` bytes together: this caps the count at about MAX_SHARDS.
    // The target is rounded up to whole 4 KiB, so that one edit rarely moves every cut.
    let spread = total.div_ceil(MAX_SHARDS / 2);
    let target = if spread > target { spread.next_multiple_of(4096) } else { target };
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    ranges.push(0..0);
    let mut filled = 0;
    for (i, key) in keys.iter().enumerate() {
        let bytes = size(key);
        if filled > 0 && filled + bytes > target {
            ranges.push(i..i);
            filled = 0;
        }
        filled += bytes;
        if let Some(last) = ranges.last_mut() {
            last.end = i + 1;
        }
    }
    ranges
}

/// The shard holding `keys` (the `first` shard's first key is `""`).
#[cfg(test)]
pub(crate) fn shard(keys: &[Key], first: bool) -> Shard {
    let mut shard = Shard::default();
    if !first {
        shard.first = keys.first().map_or_else(String::new, |k| k.key.to_string());
    }
    for k in keys {
        if let Some(stem) = k.stem {
            shard.words.insert(k.key.to_string(), stem.to_string());
        }
        if let Some(p) = k.postings {
            shard.postings.insert(k.key.to_string(), p.to_string());
        }
    }
    shard
}

/// The shard holding `keys` as JSON, `{"p": {stem: postings}, "w": {word: stem}}`, written
/// straight from the keys (in key order, as a sorted map prints them).
pub(crate) fn json(keys: &[Key]) -> Vec<u8> {
    let mut out = Vec::with_capacity(keys.iter().map(size).sum::<usize>() + 16);
    out.extend_from_slice(b"{\"p\":{");
    let postings = keys.iter().filter_map(|k| k.postings.map(|p| (k.key, p)));
    members(&mut out, postings);
    out.extend_from_slice(b"},\"w\":{");
    members(&mut out, keys.iter().filter_map(|k| k.stem.map(|s| (k.key, s))));
    out.extend_from_slice(b"}}");
    out
}

/// `"key":"value"` pairs, comma-separated.
fn members<'a>(out: &mut Vec<u8>, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    for (i, (key, value)) in pairs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        encode::json_string(out, key);
        out.push(b':');
        encode::json_string(out, value);
    }
}

/// Bytes a key takes in a shard file (quotes, colons and commas included).
fn size(k: &Key) -> usize {
    k.stem.map_or(0, |s| k.key.len() + s.len() + 6) + k.postings.map_or(0, |p| k.key.len() + p.len() + 6)
}

#[cfg(test)]
mod tests {
    use super::super::index::Posting;
    use super::*;

    fn index(stems: &[&str], words: &[(&str, &str)]) -> Index {
        let mut i = Index::default();
        for s in stems {
            i.postings.insert(s.to_string(), vec![Posting { doc: 0, tf: 1, bits: 0 }; 10]);
        }
        for (w, s) in words {
            i.words.insert(w.to_string(), s.to_string());
        }
        i
    }

    #[test]
    fn shards_split_by_key_range_and_keep_words_with_their_range() {
        let idx = index(&["alpha", "beta", "fail", "gamma", "zeta"], &[("failed", "fail"), ("failing", "fail")]);
        let shards = split(&idx, 60);
        assert!(shards.len() >= 3, "{shards:?}");
        assert_eq!(shards[0].first, "");
        let firsts: Vec<&str> = shards.iter().map(|s| s.first.as_str()).collect();
        let mut sorted = firsts.clone();
        sorted.sort_unstable();
        assert_eq!(firsts, sorted, "first keys ascend");
        // Every key lands in the last shard whose first key is at most the key.
        for key in ["alpha", "beta", "fail", "failed", "failing", "gamma", "zeta"] {
            let at = firsts.iter().rposition(|f| *f <= key).unwrap_or(0);
            let s = &shards[at];
            assert!(s.words.contains_key(key) || s.postings.contains_key(key), "{key} in shard {at}: {shards:?}");
        }
    }

    #[test]
    fn shards_print_as_their_maps_do() {
        let idx = index(&["alpha", "b\"eta", "fail", "z<eta"], &[("failed", "fail"), ("\u{2028}x", "fail")]);
        let encoded = encode_all(&idx);
        let keys = keys(&idx.words, &encoded);
        for (i, r) in plan(&keys, 40).into_iter().enumerate() {
            let want = encode::data_file("s/0", &shard(&keys[r.clone()], i == 0).json());
            assert_eq!(encode::wrap("s/0", &json(&keys[r])), want);
        }
    }

    #[test]
    fn one_small_index_is_one_shard_and_the_count_is_capped() {
        let idx = index(&["alpha", "beta"], &[]);
        assert_eq!(split(&idx, TARGET_BYTES).len(), 1);
        let many: Vec<String> = (0..5000).map(|i| format!("w{i:05}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let shards = split(&index(&refs, &[]), 1);
        assert!(shards.len() <= MAX_SHARDS, "{}", shards.len());
    }
}
