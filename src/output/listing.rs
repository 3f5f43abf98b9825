//! Lists the files of the earlier site being written over, folder level by folder level, on the
//! reader pool (`fs::on_readers`), so that several folders are read at once.
//!
//! A site has a folder per page (`incidents/ID/index.html`), so listing it reads some 11,000
//! folders at 10,000 incidents. On the benchmark VM the kept copy's folder blocks are often no
//! longer cached when the next build starts, and each read then waits on the disk: walked one
//! folder at a time, that was 150–230 ms the build stood waiting for after loading its library.
//! Reading many folders at once keeps the disk's queue full instead.

use super::manifest::{Entry, FileState};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What listing the earlier site found.
#[derive(Default)]
pub(super) struct Listing {
    /// Its files, as site paths (`incidents/x/index.html`).
    pub(super) files: Vec<String>,
    /// The recorded entries whose files are still as recorded.
    pub(super) known: HashMap<String, Entry>,
    /// What is neither a plain file nor a folder (a symbolic link, say), as site paths.
    pub(super) others: Vec<String>,
}

/// One folder to read: its path on disk and its site path (`""` for the root).
struct Folder {
    path: PathBuf,
    site: String,
}

/// Lists every plain file under `root`, checking each one `recorded` holds against its stamp,
/// and whatever is neither a plain file nor a folder (a symbolic link, say: no write may follow
/// it out of the site, so the caller removes it or refuses the folder).
pub(super) fn list(root: &Path, recorded: &HashMap<String, Entry>) -> Result<Listing> {
    crate::fs::on_readers("list", || {
        let mut listing = Listing::default();
        let mut level = vec![Folder { path: root.to_path_buf(), site: String::new() }];
        while !level.is_empty() {
            // Each of the pool's threads gathers what its share of this level's folders holds.
            let found: Vec<(Listing, Vec<Folder>)> = level
                .par_iter()
                .try_fold(
                    || (Listing::default(), Vec::new()),
                    |(mut part, mut folders), folder| {
                        read_folder(folder, recorded, &mut part, &mut folders)?;
                        Ok::<_, anyhow::Error>((part, folders))
                    },
                )
                .collect::<Result<_>>()?;
            level = Vec::new();
            for (part, folders) in found {
                listing.files.extend(part.files);
                listing.known.extend(part.known);
                listing.others.extend(part.others);
                level.extend(folders);
            }
        }
        Ok(listing)
    })
}

/// Reads one folder: its files into `listing`, its sub-folders into `folders`.
fn read_folder(
    folder: &Folder,
    recorded: &HashMap<String, Entry>,
    listing: &mut Listing,
    folders: &mut Vec<Folder>,
) -> Result<()> {
    let cannot = || format!("cannot read `{}`", folder.path.display());
    for entry in fs::read_dir(&folder.path).with_context(cannot)? {
        let entry = entry.with_context(cannot)?;
        let path = entry.path();
        let name = entry.file_name();
        let site = match folder.site.as_str() {
            "" => name.to_string_lossy().into_owned(),
            parent => format!("{parent}/{}", name.to_string_lossy()),
        };
        let kind = entry.file_type().with_context(|| format!("cannot read `{}`", path.display()))?;
        if kind.is_dir() {
            folders.push(Folder { path, site });
        } else if kind.is_file() {
            if let Some(e) = recorded.get(&site) {
                // A stat per recorded page, here in the background rather than a read while writing.
                if entry.metadata().ok().and_then(|m| FileState::of(&m)) == Some(e.stamp) {
                    listing.known.insert(site.clone(), *e);
                }
            }
            listing.files.push(site);
        } else {
            listing.others.push(site);
        }
    }
    Ok(())
}
