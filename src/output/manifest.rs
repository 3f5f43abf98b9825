//! What each page of a written site holds, kept in the staging folder so that the next build
//! writing over that site leaves an unchanged page alone without reading it back (on a cold page
//! cache, reading the old site was most of the write stage's waiting).
//!
//! An entry is trusted only while the file it describes is provably the one written: its inode,
//! size and change time (ctime) must be what they were just after the write. Any later change to
//! the file by anyone (a write, truncation, rename, new hard link, `chmod`) moves its ctime on, and
//! userland cannot set a ctime back. So a manifest that is stale, belongs to another copy of the
//! site, or was edited can only make a page be compared or written again, never skipped wrongly.
//! A missing, truncated or unreadable manifest is simply empty. (One limit: two changes within
//! one tick of the kernel's coarse clock, a few milliseconds, can share a ctime; a change of the
//! same size made by someone else within milliseconds of our own write would go unseen.)

use anyhow::{Context as _, Result};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The first line of a manifest; a file starting otherwise is not read.
const HEADER: &str = "casebook output manifest 1";

/// Where a file is on disk and what state it is in: any change to it changes this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileState {
    ino: u64,
    len: u64,
    ctime: i64,
    ctime_ns: i64,
}

impl FileState {
    /// The stamp of a plain file (`None` for anything else, and where there are no inodes).
    pub(super) fn of(meta: &std::fs::Metadata) -> Option<FileState> {
        if !meta.file_type().is_file() {
            return None;
        }
        stamp(meta)
    }
}

#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> Option<FileState> {
    use std::os::unix::fs::MetadataExt as _;
    Some(FileState { ino: meta.ino(), len: meta.len(), ctime: meta.ctime(), ctime_ns: meta.ctime_nsec() })
}

/// Without inodes and change times nothing can be trusted unread, so nothing is recorded.
#[cfg(not(unix))]
fn stamp(_meta: &std::fs::Metadata) -> Option<FileState> {
    None
}

/// One file as written: the hash of its bytes and its stamp just after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// The hash of the bytes written.
    pub(super) hash: u128,
    /// The file just after it was written.
    pub(super) stamp: FileState,
}

impl Entry {
    /// Whether the file this entry describes holds `bytes` (hashing to `hash`).
    pub(super) fn holds(&self, bytes: &[u8], hash: u128) -> bool {
        self.stamp.len == bytes.len() as u64 && self.hash == hash
    }
}

/// The hash recorded for a file's bytes.
pub(super) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Reads the manifest at `path`: site path → entry. Empty when missing or damaged in any way.
pub(super) fn read(path: &Path) -> HashMap<String, Entry> {
    std::fs::read_to_string(path).ok().and_then(|text| parse(&text)).unwrap_or_default()
}

fn parse(text: &str) -> Option<HashMap<String, Entry>> {
    let mut lines = text.split_terminator('\n');
    if lines.next()? != HEADER {
        return None;
    }
    let mut entries = HashMap::new();
    for line in lines {
        if let Some(count) = line.strip_prefix("end ") {
            return (count.parse::<usize>().ok()? == entries.len()).then_some(entries);
        }
        let mut f = line.splitn(6, ' ');
        let hash = u128::from_str_radix(f.next()?, 16).ok()?;
        let len = f.next()?.parse().ok()?;
        let ino = f.next()?.parse().ok()?;
        let ctime = f.next()?.parse().ok()?;
        let ctime_ns = f.next()?.parse().ok()?;
        let path = f.next().filter(|p| !p.is_empty())?;
        entries.insert(path.to_string(), Entry { hash, stamp: FileState { ino, len, ctime, ctime_ns } });
    }
    None // no `end` line: cut short
}

/// Writes the manifest of `entries` at `path` (through a temporary file, so a reader sees the
/// old one or the new one whole).
pub(super) fn write<'e>(path: &Path, entries: impl Iterator<Item = (&'e str, &'e Entry)>) -> Result<()> {
    let mut text = String::with_capacity(64 * 1024);
    text.push_str(HEADER);
    text.push('\n');
    let mut count = 0;
    for (site_path, e) in entries.filter(|(p, _)| !p.contains('\n')) {
        let s = &e.stamp;
        let _ = writeln!(text, "{:032x} {} {} {} {} {site_path}", e.hash, s.len, s.ino, s.ctime, s.ctime_ns);
        count += 1;
    }
    let _ = writeln!(text, "end {count}");
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    crate::fs::rename(&tmp, path)
}

/// The site paths the manifest at `path` lists (none when it is missing or damaged).
pub(super) fn read_paths(path: &Path) -> impl Iterator<Item = String> {
    read(path).into_keys()
}
