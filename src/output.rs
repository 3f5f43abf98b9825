//! Pages → disk, atomically: everything is written into a staging folder beside the build dir
//! (`.site.staging/new`), and swapped in only when complete. A failed build leaves the previous
//! site untouched. Nothing is written outside the build dir and its staging folder.

use crate::render::Sink;
use anyhow::{bail, Result};
use std::path::{Component, Path, PathBuf};

/// The staging folder for a build dir: `.NAME.staging` beside it.
pub fn staging_path(build: &Path) -> PathBuf {
    let name = build.file_name().map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    build.with_file_name(format!(".{name}.staging"))
}

/// A site being written.
pub struct Staging {
    build: PathBuf,
    staging: PathBuf,
    new: PathBuf,
}

impl Staging {
    /// Starts a fresh staging folder (removing a stale one from an interrupted build).
    pub fn create(build: &Path) -> Result<Staging> {
        let staging = staging_path(build);
        crate::fs::remove_dir_all(&staging)?;
        let new = staging.join("new");
        crate::fs::create_dir_all(&new)?;
        Ok(Staging { build: build.to_path_buf(), staging, new })
    }

    /// Copies a file from the source folder into the site at `site_path`. The copy shares
    /// nothing with the source, so editing the source in place never changes a built site.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        crate::fs::copy(from, &self.target(site_path)?)
    }

    /// Places at `site_path` a file already written into the site at `existing`: hard-linked
    /// when the file system allows (an asset beside many pages is stored once), else copied.
    pub fn duplicate(&self, existing: &str, site_path: &str) -> Result<()> {
        let (from, to) = (self.target(existing)?, self.target(site_path)?);
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
        Ok(self.new.join(rel))
    }

    /// Swaps the new site in for the old one, then removes the staging folder.
    pub fn commit(self) -> Result<()> {
        if self.build.exists() {
            let old = self.staging.join("old");
            crate::fs::rename(&self.build, &old)?;
        }
        crate::fs::rename(&self.new, &self.build)?;
        remove_in_parallel(&self.staging)
    }

    /// Drops the staging folder, leaving the build dir as it was.
    pub fn abandon(self) -> Result<()> {
        crate::fs::remove_dir_all(&self.staging)
    }
}

/// Removes a folder tree, its second-level entries in parallel: the old site of a large library
/// holds tens of thousands of folders, and one thread removing them dominated the swap.
fn remove_in_parallel(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let mut entries = Vec::new();
    for first in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        for second in std::fs::read_dir(first.path()).into_iter().flatten().flatten() {
            entries.push(second.path());
        }
    }
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() {
            crate::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p).map_err(|e| anyhow::anyhow!("cannot remove `{}`: {e}", p.display()))
        }
    })?;
    crate::fs::remove_dir_all(dir)
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        crate::fs::write(&self.target(path)?, bytes)
    }

    /// The first copy is a real copy; the others are hard links to it where possible.
    fn copy_to(&self, from: &Path, site_paths: &[String]) -> Result<()> {
        let Some((first, rest)) = site_paths.split_first() else { return Ok(()) };
        self.copy(from, first)?;
        rest.iter().try_for_each(|p| self.duplicate(first, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_swaps_in_only_on_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let build = dir.path().join("site");
        std::fs::create_dir_all(&build).expect("mkdir");
        std::fs::write(build.join("old.html"), "old").expect("write");

        let s = Staging::create(&build).expect("staging");
        s.put("a/index.html", b"new").expect("put");
        assert!(s.put("../escape.html", b"x").is_err());
        s.abandon().expect("abandon");
        assert!(build.join("old.html").exists());

        let s = Staging::create(&build).expect("staging");
        s.put("a/index.html", b"new").expect("put");
        s.commit().expect("commit");
        assert!(!build.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(build.join("a/index.html")).expect("read"), "new");
        assert!(!staging_path(&build).exists());
    }
}
