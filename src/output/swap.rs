//! Puts a finished site in place of the build dir. Where the OS has an atomic exchange of two
//! folders (Linux `renameat2(RENAME_EXCHANGE)`, macOS `renameatx_np(RENAME_SWAP)`), the build
//! dir holds the old site or the new one at every moment, whatever kills the process. Elsewhere,
//! or on a file system without it, the fallback renames the old site away and the new one in,
//! back to back: a process killed between the two leaves no build dir (both sites stay whole in
//! the staging folder, and the next build puts one back). See docs/build.md.

use anyhow::{Context as _, Result};
use std::path::Path;

/// Swaps the folders `new` and `build` (both exist): afterwards `build` holds the new site and
/// `new` the old one. Returns whether it was one atomic step.
pub(super) fn swap(new: &Path, build: &Path) -> Result<bool> {
    let cannot = || format!("cannot swap `{}` into `{}`", new.display(), build.display());
    if exchange(new, build).with_context(cannot)? {
        return Ok(true);
    }
    two_renames(new, build).with_context(cannot)?;
    Ok(false)
}

/// The atomic exchange; `Ok(false)` when the OS or the file system has none.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // No renameat2 (an old kernel), or a file system without exchange (some network ones).
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// The fallback: `build` to a free name beside `new`, `new` to `build`, then the old site to
/// `new`. Only the moment between the first two renames has no build dir.
pub(super) fn two_renames(new: &Path, build: &Path) -> std::io::Result<()> {
    let aside = new.with_extension("swap");
    std::fs::rename(build, &aside)?;
    std::fs::rename(new, build)?;
    std::fs::rename(&aside, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swapped_with(swap: impl Fn(&Path, &Path)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (new, build) = (dir.path().join("staging/new"), dir.path().join("site"));
        for (at, text) in [(&new, "new"), (&build, "old")] {
            std::fs::create_dir_all(at.join("a")).expect("mkdir");
            std::fs::write(at.join("a/index.html"), text).expect("write");
        }
        swap(&new, &build);
        assert_eq!(std::fs::read_to_string(build.join("a/index.html")).expect("read"), "new");
        assert_eq!(std::fs::read_to_string(new.join("a/index.html")).expect("read"), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("staging")).expect("read").collect();
        assert_eq!(left.len(), 1, "nothing is left beside the old site");
    }

    #[test]
    fn a_swap_puts_the_new_site_in_and_the_old_one_where_the_new_one_was() {
        swapped_with(|new, build| {
            swap(new, build).expect("swap");
        });
    }

    #[test]
    fn the_fallback_leaves_the_same_folders_as_the_exchange() {
        swapped_with(|new, build| two_renames(new, build).expect("renames"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_swap_is_one_atomic_exchange() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (new, build) = (dir.path().join("new"), dir.path().join("site"));
        std::fs::create_dir_all(&new).expect("mkdir");
        std::fs::create_dir_all(&build).expect("mkdir");
        // tmpfs and ext4, where tests run, both have RENAME_EXCHANGE.
        assert!(swap(&new, &build).expect("swap"));
    }
}
