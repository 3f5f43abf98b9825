//! Lists the files of the earlier site being written over, folder level by folder level, with
//! several threads reading folders at once.
//!
//! A site has a folder per page (`incidents/ID/index.html`), so listing it reads some 11,000
//! folders at 10,000 incidents. On the benchmark VM the kept copy's folder blocks are often no
//! longer cached when the next build starts, and each read then waits on the disk: walked one
//! folder at a time, that was 150–230 ms the build stood waiting for after loading its library.
//! Reading many folders at once keeps the disk's queue full instead.

use super::manifest::{Entry, Stamp};
use anyhow::{Context as _, Result};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads reading folders at once: enough to overlap waits on the disk (they mostly wait,
/// so more threads than cores is right), as for reading the library's content.
const READERS: usize = 8;

/// What listing the earlier site found.
#[derive(Default)]
pub(super) struct Listing {
    /// Its files, as site paths (`incidents/x/index.html`).
    pub(super) files: Vec<String>,
    /// The recorded entries whose files are still as recorded.
    pub(super) known: HashMap<String, Entry>,
}

/// One folder to read: its path on disk and its site path (`""` for the root).
struct Folder {
    path: PathBuf,
    site: String,
}

/// Lists every plain file under `root`, checking each one `recorded` holds against its stamp,
/// and removes whatever is neither a plain file nor a folder (a symbolic link, say), so that no
/// later write can follow it out of the site.
pub(super) fn list(root: &Path, recorded: &HashMap<String, Entry>) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut level = vec![Folder { path: root.to_path_buf(), site: String::new() }];
    while !level.is_empty() {
        let next = AtomicUsize::new(0);
        let found: Vec<Result<(Listing, Vec<Folder>)>> = std::thread::scope(|scope| {
            let readers: Vec<_> = (0..READERS.min(level.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = (Listing::default(), Vec::new());
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(folder) = level.get(i) else { return Ok(mine) };
                            read_folder(folder, recorded, &mut mine.0, &mut mine.1)?;
                        }
                    })
                })
                .collect();
            readers
                .into_iter()
                .map(|r| r.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a listing thread panicked"))))
                .collect()
        });
        level = Vec::new();
        for part in found {
            let (part, folders) = part?;
            listing.files.extend(part.files);
            listing.known.extend(part.known);
            level.extend(folders);
        }
    }
    Ok(listing)
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
                if entry.metadata().ok().and_then(|m| Stamp::of(&m)) == Some(e.stamp) {
                    listing.known.insert(site.clone(), *e);
                }
            }
            listing.files.push(site);
        } else {
            fs::remove_file(&path).with_context(|| format!("cannot remove `{}`", path.display()))?;
        }
    }
    Ok(())
}
