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

/// One shard: its first key, its words (word → stem) and its stems (stem → encoded postings).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Shard {
    /// The smallest key it holds (`""` for the first shard).
    pub(crate) first: String,
    /// Word → stem.
    pub(crate) words: BTreeMap<String, String>,
    /// Stem → base64 postings.
    pub(crate) postings: BTreeMap<String, String>,
}

impl Shard {
    /// The shard as JSON: `{"w": {word: stem}, "p": {stem: postings}}`.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::json!({ "w": self.words, "p": self.postings })
    }
}

/// Splits an index into shards of about `target` bytes (a key never spans two shards).
pub(crate) fn split(index: &Index, target: usize) -> Vec<Shard> {
    let encoded: Vec<(&str, String)> = index
        .postings
        .par_iter()
        .map(|(stem, list)| (stem.as_str(), encode::postings(index.weights(list), index.documents())))
        .collect();
    let mut keys: BTreeMap<&str, (Option<&str>, Option<String>)> = BTreeMap::new();
    for (word, stem) in &index.words {
        keys.entry(word).or_default().0 = Some(stem);
    }
    for (stem, list) in encoded {
        keys.entry(stem).or_default().1 = Some(list);
    }
    let total: usize = keys.iter().map(|(k, v)| size(k, v)).sum();
    // A cut happens only when the next key would overflow the shard, so any two neighbouring
    // shards hold more than `target` bytes together: this caps the count at about MAX_SHARDS.
    let target = target.max(total.div_ceil(MAX_SHARDS / 2));
    let mut shards = vec![Shard::default()];
    let mut filled = 0;
    for (key, value) in keys {
        let bytes = size(key, &value);
        if filled > 0 && filled + bytes > target {
            shards.push(Shard { first: key.to_string(), ..Shard::default() });
            filled = 0;
        }
        filled += bytes;
        let shard = shards.last_mut().expect("one shard at least");
        let (stem, postings) = value;
        if let Some(stem) = stem {
            shard.words.insert(key.to_string(), stem.to_string());
        }
        if let Some(p) = postings {
            shard.postings.insert(key.to_string(), p);
        }
    }
    shards
}

/// Bytes a key takes in a shard file (quotes, colons and commas included).
fn size(key: &str, (stem, postings): &(Option<&str>, Option<String>)) -> usize {
    stem.map_or(0, |s| key.len() + s.len() + 6) + postings.as_ref().map_or(0, |p| key.len() + p.len() + 6)
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
    fn one_small_index_is_one_shard_and_the_count_is_capped() {
        let idx = index(&["alpha", "beta"], &[]);
        assert_eq!(split(&idx, TARGET_BYTES).len(), 1);
        let many: Vec<String> = (0..5000).map(|i| format!("w{i:05}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let shards = split(&index(&refs, &[]), 1);
        assert!(shards.len() <= MAX_SHARDS, "{}", shards.len());
    }
}
