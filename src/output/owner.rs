//! What casebook wrote: the marker it leaves in every build dir (the list of the site's files,
//! swapped in with the site), and the questions it answers before a build moves anything:
//! is this folder casebook's, and which files in it did casebook not write (docs/build.md).

use super::listing;
use anyhow::{Context as _, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The marker's name in a site.
pub const MARKER: &str = ".casebook-site";
/// The marker's first line.
const HEADER: &str = "casebook site 1";
/// The staging folder's marker (the staging folder is never published, so it needs no list).
const STAGING_MARKER: &str = ".casebook-staging";

/// What an existing build dir is, before a build writes it.
#[derive(Debug)]
pub enum BuildDir {
    /// There is none yet, or an empty folder.
    Free,
    /// casebook wrote it: the files its marker lists.
    Ours(HashSet<String>),
    /// A folder with files and no marker: an earlier casebook's site, or someone else's folder.
    Unmarked,
}

/// Looks at the build dir `build` (reads its marker and at most one entry, nothing more).
pub fn inspect(build: &Path) -> Result<BuildDir> {
    let mut entries = match std::fs::read_dir(build) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BuildDir::Free),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", build.display())),
    };
    if entries.next().is_none() {
        return Ok(BuildDir::Free);
    }
    Ok(read_marker(build).map_or(BuildDir::Unmarked, BuildDir::Ours))
}

/// The files the marker in `site` lists; `None` when it has none or it is damaged.
pub(super) fn read_marker(site: &Path) -> Option<HashSet<String>> {
    let meta = std::fs::symlink_metadata(site.join(MARKER)).ok()?;
    if !meta.is_file() {
        return None;
    }
    parse_marker(&std::fs::read_to_string(site.join(MARKER)).ok()?)
}

/// The files a marker's text lists; `None` when it is not a whole marker.
fn parse_marker(text: &str) -> Option<HashSet<String>> {
    let mut lines = text.split_terminator('\n');
    if lines.next()? != HEADER {
        return None;
    }
    let mut files = HashSet::new();
    for line in lines.filter(|l| !l.starts_with('#')) {
        if let Some(count) = line.strip_prefix("end ") {
            return (count.parse::<usize>().ok()? == files.len()).then_some(files);
        }
        files.insert(unescape(line.strip_prefix('/')?)?);
    }
    None // no `end` line: cut short
}

/// The marker's text for a site of `files`: sorted, so the same site gives the same bytes.
/// Each path is on its own line after a `/`; the last line counts them, so a marker cut short
/// is told from a whole one.
pub(super) fn marker<'f>(files: impl Iterator<Item = &'f str>) -> String {
    let mut files: Vec<&str> = files.collect();
    files.sort_unstable();
    let mut text = format!(
        "{HEADER}\n# casebook wrote this folder and replaces it whole on every build: a file of your own\n\
         # belongs in the source folder's static/ folder, from where it is copied into every build.\n"
    );
    for f in &files {
        // Each path after a `/`, so that no file name reads as a comment or the `end` line.
        text.push('/');
        text.push_str(&escape(f));
        text.push('\n');
    }
    text.push_str(&format!("end {}\n", files.len()));
    text
}

/// A site path on one line: `\` and line breaks escaped.
fn escape(path: &str) -> String {
    path.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

fn unescape(line: &str) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

/// Every file or link under `site` that `ours` does not list (site paths, sorted): what
/// casebook did not write there. (An empty folder holds nothing to lose, so it is not counted.)
pub fn foreign(site: &Path, ours: &HashSet<String>) -> Result<Vec<String>> {
    Ok(unlisted(&listing::list(site, &HashMap::new())?, ours))
}

/// What `listing` holds that `ours` does not list, sorted.
pub(super) fn unlisted(listing: &listing::Listing, ours: &HashSet<String>) -> Vec<String> {
    let files = listing.files.iter().filter(|f| *f != MARKER && !ours.contains(*f));
    let mut found: Vec<String> = files.chain(&listing.others).cloned().collect();
    found.sort();
    found
}

/// The files under an unmarked `site` that neither `written` (what the new build writes) nor the
/// kept manifest at `manifest` lists: none when it is an earlier casebook's site.
pub fn unclaimed(site: &Path, manifest: &Path, written: &HashSet<String>) -> Result<Vec<String>> {
    let kept = super::manifest::read_paths(manifest);
    let mut ours: HashSet<String> = written.clone();
    ours.extend(kept);
    foreign(site, &ours)
}

/// A sink that writes nothing and notes the site paths a build would write: what decides whether
/// an unmarked build dir is an earlier casebook's site.
#[derive(Default)]
pub struct PathsOnly(std::sync::Mutex<HashSet<String>>);

impl PathsOnly {
    /// The paths noted.
    pub fn into_paths(self) -> HashSet<String> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn note<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Result<()> {
        let mut set = self.0.lock().map_err(|_| anyhow::anyhow!("a writer panicked"))?;
        set.extend(paths.map(str::to_string));
        Ok(())
    }
}

impl crate::sink::Sink for PathsOnly {
    fn put(&self, path: &str, _bytes: &[u8]) -> Result<()> {
        self.note(std::iter::once(path))
    }

    fn copy_to(&self, _from: &Path, site_paths: &[String]) -> Result<()> {
        self.note(site_paths.iter().map(String::as_str))
    }
}

/// Whether the staging folder at `staging` may be used: there is none, or casebook made it (it
/// holds the staging marker, or is empty, or holds only what an earlier casebook kept there).
pub fn staging_is_ours(staging: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(staging) else { return true };
    if !meta.is_dir() {
        return false;
    }
    if std::fs::symlink_metadata(staging.join(STAGING_MARKER)).is_ok_and(|m| m.is_file()) {
        return true;
    }
    const EARLIER: &[&str] = &["new", "old", "site.manifest", "old.manifest", "new.manifest", "new.tmp"];
    std::fs::read_dir(staging)
        .is_ok_and(|entries| entries.into_iter().all(|e| e.is_ok_and(|e| EARLIER.iter().any(|n| e.file_name() == *n))))
}

/// Creates the staging folder (marked as casebook's) when it is not there.
pub fn make_staging(staging: &Path) -> Result<()> {
    crate::fs::create_dir_all(staging)?;
    let marker = staging.join(STAGING_MARKER);
    if !marker.is_file() {
        let text = "casebook staging folder: casebook writes its next site here and keeps the last one; it deletes what it finds here\n";
        crate::fs::write(&marker, text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_lists_its_files_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ["b/index.html", "a\nodd\\name", "index.html"];
        std::fs::write(dir.path().join(MARKER), marker(files.iter().copied())).expect("write");
        let read = read_marker(dir.path()).expect("marker");
        assert_eq!(read, files.iter().map(|f| f.to_string()).collect::<HashSet<_>>());
        let text = std::fs::read_to_string(dir.path().join(MARKER)).expect("read");
        let cut = text.replace("end 3\n", "");
        std::fs::write(dir.path().join(MARKER), cut).expect("write");
        assert!(read_marker(dir.path()).is_none(), "a marker cut short lists nothing");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(128))]

        /// Any site paths, line breaks and backslashes included, read back as written.
        #[test]
        fn any_list_of_paths_round_trips(paths in proptest::collection::hash_set("(#|end 1|\\PC|[\\\\\n\r/ ]){0,6}", 0..8)) {
            let text = marker(paths.iter().map(String::as_str));
            proptest::prop_assert_eq!(parse_marker(&text), Some(paths));
        }

        /// Any text is read without a panic, and nothing but a whole marker lists files.
        #[test]
        fn any_text_is_read_without_a_panic(body in "(\\PC|[\\\\\n])*") {
            let text = format!("{HEADER}\n{body}");
            if let Some(files) = parse_marker(&text) {
                let end = format!("end {}", files.len());
                let counted = text.lines().any(|l| l == end);
                proptest::prop_assert!(counted, "a marker without its count line was read");
            }
        }
    }
}
