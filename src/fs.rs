//! File-system wrappers that put the path into every error, so no I/O failure reaches a user
//! without saying which file it was about.

use anyhow::{Context, Result};
use std::path::Path;

/// More readers than cores: a library or a kept site is often not in the page cache when it is
/// built, and a reader waiting on the disk leaves its core idle; with a few more, the disk has
/// several reads to serve at once while the cores do the rest.
const READERS: usize = 8;

/// Runs `work` on a pool of [`READERS`] threads named `NAME-N` (on the current pool when one
/// cannot be started), so that the parallel iterators in it keep several reads waiting on the
/// disk at once.
pub(crate) fn on_readers<T: Send>(name: &'static str, work: impl FnOnce() -> T + Send) -> T {
    let readers = READERS.max(rayon::current_num_threads());
    match rayon::ThreadPoolBuilder::new().num_threads(readers).thread_name(move |i| format!("{name}-{i}")).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Writes a new file, creating its parent folders; fails (naming the path) if it exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Copies a file, creating the destination's parent folders.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to).with_context(|| format!("cannot copy `{}` to `{}`", from.display(), to.display()))?;
    Ok(())
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create folder `{}`", path.display()))
}

/// Removes a folder and everything in it; a folder that is not there is fine.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.with_context(|| format!("cannot remove folder `{}`", path.display())),
    }
}

/// Removes a file; a file that is not there is fine.
pub fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.with_context(|| format!("cannot remove `{}`", path.display())),
    }
}

/// Renames a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).with_context(|| format!("cannot move `{}` to `{}`", from.display(), to.display()))
}

/// A memory figure of this process from `/proc/self/status` in MB (`VmRSS:` now, `VmHWM:` the
/// peak so far; Linux only, 0 elsewhere), for the figures `CASEBOOK_TIMINGS` and
/// `CASEBOOK_SEARCH_TIMINGS` print. Never fails: a figure that cannot be read is 0.
pub fn memory_mb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.split_whitespace().next());
    kb.and_then(|k| k.parse::<u64>().ok()).unwrap_or(0) / 1024
}
