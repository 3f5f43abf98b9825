//! The one fast hasher for in-memory maps keyed by the library's words, stems, stem hashes and
//! numbers (the search index's, similar incidents' and recurring problems'). Their keys come
//! from the library itself and are hashed millions of times in a build; std's SipHash guards
//! against keys chosen to collide, which a build of one's own content does not need, and costs
//! several times more. Only iteration order could differ from std's maps, and nothing written
//! depends on it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by words, hashed with [`WordHasher`].
pub(crate) type WordMap<K, V> = HashMap<K, V, Hashed>;

/// [`WordHasher`] for any `HashMap`.
pub(crate) type Hashed = BuildHasherDefault<WordHasher>;

/// Multiply-and-rotate over eight bytes at a time: one multiplication per word of input.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

/// An odd constant with well-spread bits (2^64 divided by the golden ratio).
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

impl WordHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SPREAD);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(c);
            self.mix(u64::from_le_bytes(eight));
        }
        // The last under-eight bytes, with their count in the top byte (which they never fill),
        // so trailing NULs and lengths tell inputs apart.
        let rest = chunks.remainder();
        let mut eight = [0u8; 8];
        eight[..rest.len()].copy_from_slice(rest);
        eight[7] = rest.len() as u8;
        self.mix(u64::from_le_bytes(eight));
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        // A product's low bits depend only on its inputs' low bits, and hashbrown picks the
        // bucket from the low bits: rotating brings the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_differing_in_a_byte_or_a_length_hash_apart() {
        let h = |s: &str| {
            let mut w = WordHasher::default();
            w.write(s.as_bytes());
            w.write_u8(0xff);
            w.finish()
        };
        let words = ["timeout", "timeouts", "timeout\0", "a", "b", "ab", "abcdefgh", "abcdefghi", ""];
        let hashes: std::collections::HashSet<u64> = words.iter().map(|w| h(w)).collect();
        assert_eq!(hashes.len(), words.len());
        let mut m: WordMap<String, u32> = WordMap::default();
        m.insert("timeout".into(), 1);
        assert_eq!(m.get("timeout"), Some(&1));
    }
}
