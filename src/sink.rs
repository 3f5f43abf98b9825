//! Where a site's files go: the [`Sink`] that rendering and the search index write through, one
//! file at a time, and that `output` (the staging folder beside the build dir) and `serve` (the
//! site in memory) implement. A leaf, so that writers and the places they write to both sit
//! above it.

use anyhow::Result;

/// Where a site's files go (the output stage's staging folder, `serve`'s memory, or a test's).
pub trait Sink: Sync {
    /// Stores one file at a site path such as `incidents/x/index.html`.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Stores bytes already held in memory (`serve`'s kept search files); sinks that can
    /// share them rather than copy override this.
    fn put_shared(&self, path: &str, bytes: &std::sync::Arc<[u8]>) -> Result<()> {
        self.put(path, bytes)
    }

    /// Stores a copy of the file at `from` at each of `site_paths` (an asset beside the pages
    /// of several documents). Sinks that can share one copy override this.
    fn copy_to(&self, from: &std::path::Path, site_paths: &[String]) -> Result<()> {
        let bytes = crate::fs::read(from)?;
        site_paths.iter().try_for_each(|p| self.put(p, &bytes))
    }
}
