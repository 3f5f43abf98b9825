//! Before a build writes: finds the files in the build dir and in the kept earlier site that
//! casebook did not write (the build stops on any, moving nothing), and makes the kept site (or
//! an interrupted build's folder) ready to be written over. Both run in the background while the
//! library is read.

use super::{listing, manifest, owner, Earlier, Place};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// A file casebook did not write, found where it would move or delete it.
#[derive(Debug, Clone)]
pub struct Foreign {
    /// The file (absolute).
    pub path: PathBuf,
    /// Its path in the site (`CNAME`, `img/logo.png`).
    pub site: String,
    /// Whether it is in the kept earlier site rather than the build dir.
    pub kept: bool,
}

/// What `Staging::prepare` found.
pub struct Ready {
    /// Files casebook did not write, sorted; a build with any stops before writing.
    pub foreign: Vec<Foreign>,
    /// The earlier site to write over, when there is one and nothing foreign was found.
    pub(super) earlier: Option<Earlier>,
}

/// The work of `Staging::prepare`, running.
pub struct Prepared(std::thread::JoinHandle<Result<Ready>>);

impl Prepared {
    /// Waits for it.
    pub fn finish(self) -> Result<Ready> {
        self.0.join().map_err(|_| anyhow::anyhow!("preparing the staging folder failed"))?
    }
}

/// Starts checking the build dir and readying the kept site in the background.
pub(super) fn prepare(place: &Place) -> Prepared {
    let place = place.clone();
    Prepared(std::thread::spawn(move || ready(&place)))
}

fn ready(place: &Place) -> Result<Ready> {
    let mut foreign = Vec::new();
    if let owner::BuildDir::Ours(ours) = owner::inspect(&place.build)? {
        foreign.extend(found(&place.build, owner::foreign(&place.build, &ours)?, false));
    }
    let (new, old) = (place.staging.join("new"), place.staging.join("old"));
    // The kept site is listed where it is, so that nothing is moved before it is checked.
    let base = if new.is_dir() { &new } else { &old };
    if new.is_dir() && old.is_dir() {
        if let Some(ours) = owner::read_marker(&old) {
            foreign.extend(found(&old, owner::foreign(&old, &ours)?, true));
        }
    }
    let listing = match base.is_dir() {
        true => Some(listing::list(base, &manifest::read(&place.staging.join("old.manifest")))?),
        false => None,
    };
    if let (Some(listing), Some(ours)) = (&listing, owner::read_marker(base).filter(|_| base == &old)) {
        foreign.extend(found(&old, owner::unlisted(listing, &ours), true));
    }
    if !foreign.is_empty() {
        return Ok(Ready { foreign, earlier: None });
    }
    // Left by the fallback swap killed half-way (`swap`): the old site, no longer needed.
    crate::fs::remove_dir_all(&new.with_extension("swap"))?;
    let Some(listing::Listing { files, known, others }) = listing else { return Ok(Ready { foreign, earlier: None }) };
    if base == &new {
        // An interrupted build's folder, or the old site a swap had not yet moved to `old`.
        crate::fs::remove_dir_all(&old)?;
    } else {
        crate::fs::rename(&old, &new)?;
    }
    // What is neither a file nor a folder goes, so that no write follows a link out of the site.
    for other in &others {
        crate::fs::remove_file(&new.join(other))?;
    }
    Ok(Ready { foreign, earlier: Some(Earlier { files, known }) })
}

fn found(root: &Path, sites: Vec<String>, kept: bool) -> impl Iterator<Item = Foreign> + '_ {
    sites.into_iter().map(move |site| Foreign { path: root.join(&site), site, kept })
}
