//! The table that finds a word's number in a vocabulary (search's, and similar incidents'
//! forms), looked up once per word of the library.
//! A word is keyed by its first sixteen bytes packed into two numbers and its length, so a look-up
//! hashes and compares two numbers (with two or four loads of the word, no copy and no `memcmp`),
//! and only a word longer than sixteen bytes compares the rest of its bytes.

/// The bytes of a word that its [`Key`] holds.
const PACKED: usize = 16;

/// A word's first [`PACKED`] bytes, little-endian and zero-padded, and its length: two words
/// of at most [`PACKED`] bytes have the same key only when they are the same word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    lo: u64,
    hi: u64,
    len: usize,
}

impl Key {
    fn of(w: &[u8]) -> Key {
        let n = w.len();
        let (lo, hi) = if n <= 8 {
            (upto8(w), 0)
        } else if n <= PACKED {
            // The last eight bytes, shifted down so that byte 8 lands at the bottom.
            (load8(w, 0), load8(w, n - 8) >> (8 * (PACKED - n)))
        } else {
            (load8(w, 0), load8(w, 8))
        };
        Key { lo, hi, len: n }
    }

    /// A multiplicative hash: its high bits depend on every bit of the key.
    fn hash(&self) -> u64 {
        const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;
        (self.lo ^ self.hi.rotate_left(29) ^ (self.len as u64).rotate_right(8)).wrapping_mul(SPREAD)
    }
}

/// Eight bytes of `w` from `at`, little-endian.
fn load8(w: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&w[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Four bytes of `w` from `at`, little-endian.
fn load4(w: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&w[at..at + 4]);
    u64::from(u32::from_le_bytes(b))
}

/// At most eight bytes packed as a little-endian number: two overlapping loads, each byte
/// landing at its own place (the bytes both loads read are the same bytes, at the same place).
fn upto8(w: &[u8]) -> u64 {
    let n = w.len();
    if n >= 4 {
        load4(w, 0) | load4(w, n - 4) << (8 * (n - 4))
    } else if n > 0 {
        let byte = |i: usize| u64::from(w[i]) << (8 * i);
        byte(0) | byte(n / 2) | byte(n - 1)
    } else {
        0
    }
}

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// Words numbered in the order they were added: open addressing with linear probing over
/// slots holding word numbers, at most half full.
#[derive(Debug)]
pub(crate) struct WordTable {
    /// Per slot: a word number, or [`EMPTY`].
    slots: Vec<u32>,
    /// Per word number: its key.
    keys: Vec<Key>,
    /// Per word number: its bytes past the packed ones (empty for most words).
    tails: Vec<Box<[u8]>>,
    /// `64 - log2(slots.len())`: the hash's high bits pick the slot.
    shift: u32,
}

impl Default for WordTable {
    fn default() -> Self {
        WordTable { slots: vec![EMPTY; 64], keys: Vec::new(), tails: Vec::new(), shift: 64 - 6 }
    }
}

impl WordTable {
    /// The number of `word`, or where it would go (a slot) when it is not in the table.
    #[inline(always)]
    pub(crate) fn find(&self, word: &str) -> Result<u32, Slot> {
        let w = word.as_bytes();
        let key = Key::of(w);
        let mask = self.slots.len() - 1;
        let mut at = (key.hash() >> self.shift) as usize;
        loop {
            let id = self.slots[at];
            if id == EMPTY {
                return Err(Slot { at, key });
            }
            if self.keys[id as usize] == key && (w.len() <= PACKED || self.tails[id as usize][..] == w[PACKED..]) {
                return Ok(id);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `word`, not in the table, at `slot` (from [`WordTable::find`] for the same word,
    /// with nothing added since); its number is the count of words added before it.
    pub(crate) fn add(&mut self, word: &str, slot: Slot) -> u32 {
        let id = self.keys.len() as u32;
        self.slots[slot.at] = id;
        self.keys.push(slot.key);
        self.tails.push(word.as_bytes().get(PACKED..).unwrap_or_default().into());
        if self.keys.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// Doubles the slots and places every word again.
    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.shift -= 1;
        self.slots = vec![EMPTY; size];
        for (id, key) in self.keys.iter().enumerate() {
            let mut at = (key.hash() >> self.shift) as usize;
            while self.slots[at] != EMPTY {
                at = (at + 1) & (size - 1);
            }
            self.slots[at] = id as u32;
        }
    }
}

/// Where a word not in a [`WordTable`] goes, and its key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    at: usize,
    key: Key,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(w: &[u8]) -> (u64, u64) {
        let mut b = [0u8; 16];
        let n = w.len().min(16);
        b[..n].copy_from_slice(&w[..n]);
        (u64::from_le_bytes(b[..8].try_into().unwrap()), u64::from_le_bytes(b[8..].try_into().unwrap()))
    }

    #[test]
    fn keys_are_the_packed_bytes_at_every_length() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..text.len() {
            let k = Key::of(&text[..n]);
            assert_eq!((k.lo, k.hi), packed(&text[..n]), "length {n}");
            assert_eq!(k.len, n);
        }
    }

    #[test]
    fn words_are_numbered_once_and_found_again() {
        let mut t = WordTable::default();
        let mut words: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
        words.extend(["", "a", "ab", "timeout", "timeouts", "certificate", "certificates"].map(String::from));
        words.push("a-very-long-word-past-sixteen-bytes".into());
        words.push("a-very-long-word-past-sixteen-bytez".into());
        for (i, w) in words.iter().enumerate() {
            let slot = t.find(w).expect_err(w);
            assert_eq!(t.add(w, slot), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.find(w).ok(), Some(i as u32), "{w}");
        }
        assert!(t.find("a-very-long-word-past-sixteen-bytex").is_err());
        assert!(t.find("timeou").is_err());
    }
}
