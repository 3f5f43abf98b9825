//! Pages → disk, atomically: everything is written into a staging folder beside the build dir
//! (`.site.staging/new`), and swapped in only when complete, in one atomic step where the OS has
//! one (`swap`). A failed build leaves the previous site untouched. Nothing is written outside
//! the build dir, its staging folder and its lock file; and the build dir is written only where
//! `place` and `owner` show it is casebook's (docs/build.md).
//!
//! The swap keeps the site it replaces in `.site.staging/old`, and the next build writes over
//! that copy instead of starting from an empty folder: a page whose bytes did not change is not
//! written at all, and files the new site no longer has are removed before the swap. So a
//! rebuild creates and deletes (almost) no files or folders; on a large library that was most of
//! the write stage's cost (a `mkdir` ~450 µs and an `openat` ~130 µs on the benchmark machine,
//! more when the file system must step over many recently deleted inodes), and removing the old
//! site is no longer on the critical path at all. The price is a second copy of the site on disk.
//!
//! Beside the two copies, the staging folder keeps a manifest of each (`site.manifest` for the
//! build dir, `old.manifest` for the kept copy; see `manifest`): the hash of every page's bytes
//! and the state of its file just after the write. A page whose file is still in that state and
//! whose new bytes hash the same is not even opened.

use crate::sink::Sink;
use anyhow::{bail, Context as _, Result};
use manifest::{Entry, FileState};
use std::collections::{HashMap, HashSet};
use std::io::{Read as _, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

mod listing;
pub mod lock;
mod manifest;
pub mod owner;
mod place;
mod recycle;
mod swap;

pub use place::{place, Place};
pub use recycle::{Foreign, Prepared, Ready};

/// The earlier site being written over.
struct Earlier {
    /// Its files (site paths).
    files: Vec<String>,
    /// Those of its files that provably still hold what its manifest says.
    known: HashMap<String, Entry>,
}

/// A site being written.
pub struct Staging {
    build: PathBuf,
    staging: PathBuf,
    new: PathBuf,
    /// The earlier site being written over, when there is one.
    earlier: Option<Earlier>,
    /// The site paths written so far, with what the manifest will say of each (nothing for a
    /// copied file, which is always copied again).
    written: Mutex<HashMap<String, Option<Entry>>>,
}

impl Staging {
    /// Starts making the kept earlier site (or an interrupted build's folder) ready to be
    /// written over, in the background while the library is read; it also finds the files in
    /// the build dir and the kept site that casebook did not write. Call it holding the lock.
    pub fn prepare(place: &Place) -> Prepared {
        recycle::prepare(place)
    }

    /// Starts a staging folder over what `ready` made ready (or a fresh one). `ready` must have
    /// found no file casebook did not write.
    pub fn over(place: &Place, ready: Ready) -> Result<Staging> {
        if let Some(f) = ready.foreign.first() {
            bail!("`{}` was not written by casebook", f.path.display());
        }
        owner::make_staging(&place.staging)?;
        let new = place.staging.join("new");
        crate::fs::create_dir_all(&new)?;
        let earlier = ready.earlier;
        let written = Mutex::new(HashMap::with_capacity(earlier.as_ref().map_or(0, |e| e.files.len())));
        Ok(Staging { build: place.build.clone(), staging: place.staging.clone(), new, earlier, written })
    }

    /// How many files the site written over had (about as many as the new one will have).
    pub fn expected_files(&self) -> Option<u64> {
        self.earlier.as_ref().map(|e| e.files.len() as u64)
    }

    /// Copies a file from the source folder into the site at `site_path`. The copy shares
    /// nothing with the source, so editing the source in place never changes a built site.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let to = self.claim(site_path)?;
        self.clear(&to)?;
        crate::fs::copy(from, &to)
    }

    /// Places at `site_path` a file already written into the site at `existing`: hard-linked
    /// when the file system allows (an asset beside many pages is stored once), else copied.
    pub fn duplicate(&self, existing: &str, site_path: &str) -> Result<()> {
        let (from, to) = (self.target(existing)?, self.claim(site_path)?);
        self.clear(&to)?;
        if let Some(parent) = to.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        if std::fs::hard_link(&from, &to).is_ok() {
            return Ok(());
        }
        crate::fs::copy(&from, &to)
    }

    fn target(&self, site_path: &str) -> Result<PathBuf> {
        let rel = Path::new(site_path);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            bail!("refusing to write `{site_path}` outside the site");
        }
        if site_path == owner::MARKER {
            bail!("refusing to write over casebook's marker `{site_path}`");
        }
        Ok(self.new.join(rel))
    }

    /// The path to write a copied file at, noted as written.
    fn claim(&self, site_path: &str) -> Result<PathBuf> {
        let to = self.target(site_path)?;
        self.note(site_path, None)?;
        Ok(to)
    }

    /// Notes `site_path` as written, and what the manifest says of it.
    fn note(&self, site_path: &str, entry: Option<Entry>) -> Result<()> {
        self.written.lock().map_err(|_| anyhow::anyhow!("a writer panicked"))?.insert(site_path.to_string(), entry);
        Ok(())
    }

    /// Over an earlier site, removes the file at `to` (it may be a hard link that other paths
    /// share, which writing in place would change too).
    fn clear(&self, to: &Path) -> Result<()> {
        if self.earlier.is_some() {
            match std::fs::remove_file(to) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => clear_way(&self.new, to)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Removes what the new site no longer has, marks it as casebook's, swaps it in for the old
    /// one and keeps the old one for the next build to write over.
    pub fn commit(self) -> Result<()> {
        let written = self.written.into_inner().map_err(|_| anyhow::anyhow!("a writer panicked"))?;
        if let Some(earlier) = &self.earlier {
            remove_stale(&self.new, &earlier.files, &written)?;
        }
        // The marker lists the site's files and is swapped in with them (docs/build.md).
        let marker = owner::marker(written.keys().map(String::as_str));
        write_new(&self.new.join(owner::MARKER), marker.as_bytes())
            .with_context(|| format!("cannot write `{}`", self.new.join(owner::MARKER).display()))?;
        let (site_manifest, old_manifest) = (self.staging.join("site.manifest"), self.staging.join("old.manifest"));
        let new_manifest = self.staging.join("new.manifest");
        manifest::write(&new_manifest, written.iter().filter_map(|(p, e)| Some((p.as_str(), e.as_ref()?))))?;
        let old = self.staging.join("old");
        crate::fs::remove_dir_all(&old)?;
        let swapped = std::fs::symlink_metadata(&self.build).is_ok();
        if swapped {
            swap::swap(&self.new, &self.build)?;
        } else {
            crate::fs::rename(&self.new, &self.build)?;
        }
        // A manifest that ends up beside the wrong copy is harmless (entries are checked against
        // the files), only wasted.
        match std::fs::rename(&site_manifest, &old_manifest) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => crate::fs::remove_file(&old_manifest)?,
            other => other.with_context(|| format!("cannot move `{}`", site_manifest.display()))?,
        }
        crate::fs::rename(&new_manifest, &site_manifest)?;
        if swapped {
            crate::fs::rename(&self.new, &old)?;
        } else {
            crate::fs::remove_dir_all(&self.staging)?;
        }
        Ok(())
    }

    /// Drops the staging folder, leaving the build dir as it was.
    pub fn abandon(self) -> Result<()> {
        crate::fs::remove_dir_all(&self.staging)
    }
}

/// Removes the earlier site's files that were not written again, and the folders that leaves
/// empty.
fn remove_stale(new: &Path, earlier: &[String], written: &HashMap<String, Option<Entry>>) -> Result<()> {
    let mut dirs = HashSet::new();
    for rel in earlier.iter().filter(|r| !written.contains_key(*r)) {
        let path = new.join(rel);
        use std::io::ErrorKind::{IsADirectory, NotADirectory, NotFound};
        // A path that became a folder, or lies under one that became a file, is the new site's.
        match std::fs::remove_file(&path) {
            Err(e) if !matches!(e.kind(), NotFound | IsADirectory | NotADirectory) => {
                return Err(e).with_context(|| format!("cannot remove `{}`", path.display()))
            }
            _ => {}
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != new) {
            if !dirs.insert(d.to_path_buf()) {
                break;
            }
            dir = d.parent();
        }
    }
    let mut dirs: Vec<PathBuf> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(d); // fails, as it should, while the folder holds anything
    }
    Ok(())
}

/// Makes room for a file at `to` in the folder being written over: removes a folder in its
/// place, and files where its parent folders must be.
fn clear_way(new: &Path, to: &Path) -> Result<()> {
    let rel = to.strip_prefix(new).unwrap_or(to);
    let mut at = new.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else { return Ok(()) };
        let last = i + 1 == parts.len();
        if meta.is_dir() && last {
            crate::fs::remove_dir_all(&at)?;
        } else if !meta.is_dir() && !last {
            std::fs::remove_file(&at).with_context(|| format!("cannot remove `{}`", at.display()))?;
        }
    }
    Ok(())
}

/// Writes `bytes` at `path` over an earlier site's file: left alone when its bytes are the
/// same, written in place when it is that path's own file, replaced when it is shared. Returns
/// the file's stamp after.
fn overwrite(path: &Path, bytes: &[u8]) -> std::io::Result<Option<FileState>> {
    let mut file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
    let meta = file.metadata()?;
    if links(&meta) > 1 {
        drop(file);
        std::fs::remove_file(path)?;
        return write_new(path, bytes);
    }
    if meta.len() == bytes.len() as u64 && same_bytes(&mut file, bytes)? {
        return Ok(FileState::of(&meta));
    }
    use std::io::Seek as _;
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(bytes)?;
    if meta.len() > bytes.len() as u64 {
        file.set_len(bytes.len() as u64)?;
    }
    Ok(FileState::of(&file.metadata()?))
}

/// Writes `bytes` into a new file at `path` (its folder must exist); returns its stamp.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<Option<FileState>> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    Ok(FileState::of(&file.metadata()?))
}

/// Whether the rest of `file` holds exactly `bytes` (read in blocks, no buffer the size of it).
fn same_bytes(file: &mut std::fs::File, mut bytes: &[u8]) -> std::io::Result<bool> {
    let mut block = [0u8; 16 * 1024];
    while !bytes.is_empty() {
        let n = file.read(&mut block[..bytes.len().min(16 * 1024)])?;
        if n == 0 || block[..n] != bytes[..n] {
            return Ok(false);
        }
        bytes = &bytes[n..];
    }
    Ok(true)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

/// Without a link count, every file is treated as shared (replaced, never written in place).
#[cfg(not(unix))]
fn links(_meta: &std::fs::Metadata) -> u64 {
    2
}

impl Staging {
    /// Writes `bytes` at `to`, as [`Sink::put`] does; returns the file's stamp after.
    fn write(&self, to: &Path, bytes: &[u8]) -> Result<Option<FileState>> {
        if self.earlier.is_none() {
            // A fresh folder: try the file first, creating its folders only when missing.
            return match write_new(to, bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if let Some(parent) = to.parent() {
                        crate::fs::create_dir_all(parent)?;
                    }
                    write_new(to, bytes).with_context(|| format!("cannot write `{}`", to.display()))
                }
                other => other.with_context(|| format!("cannot write `{}`", to.display())),
            };
        }
        if let Ok(stamp) = overwrite(to, bytes) {
            return Ok(stamp);
        }
        clear_way(&self.new, to)?;
        if let Some(parent) = to.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        overwrite(to, bytes).with_context(|| format!("cannot write `{}`", to.display()))
    }
}

impl Sink for Staging {
    /// A page the manifest shows unchanged on disk is left alone, unread.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let to = self.target(path)?;
        let hash = manifest::hash(bytes);
        let known = self.earlier.as_ref().and_then(|e| e.known.get(path)).filter(|e| e.holds(bytes, hash));
        if let Some(entry) = known {
            return self.note(path, Some(*entry));
        }
        let stamp = self.write(&to, bytes)?;
        self.note(path, stamp.map(|stamp| Entry { hash, stamp }))
    }

    /// The first copy is a real copy; the others are hard links to it where possible.
    fn copy_to(&self, from: &Path, site_paths: &[String]) -> Result<()> {
        let Some((first, rest)) = site_paths.split_first() else { return Ok(()) };
        self.copy(from, first)?;
        rest.iter().try_for_each(|p| self.duplicate(first, p))
    }
}

#[cfg(test)]
mod tests;
