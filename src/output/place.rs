//! Where a build may write: the build dir, resolved and checked against the rules of
//! docs/build.md before anything is written, and the staging folder and lock file beside it.
//!
//! A build swaps its build dir out whole, so a build dir pointed at the wrong folder would carry
//! that folder's files away. The rules refuse every folder that can hold the user's own files
//! for certain (the library, its sources, a git folder), and every folder a swap cannot replace
//! safely (a link, a mount point). Whether an existing folder holds files casebook did not write
//! is `owner`'s question.

use super::owner;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// The folders and file one build writes, all absolute and resolved.
#[derive(Debug, Clone)]
pub struct Place {
    /// The build dir.
    pub build: PathBuf,
    /// The staging folder beside it (`.NAME.staging`).
    pub staging: PathBuf,
    /// The lock file beside it (`.NAME.lock`).
    pub lock: PathBuf,
}

/// A path with `.`, `..` and symbolic links resolved as far as it exists.
struct Resolved {
    path: PathBuf,
    /// Whether its last part is a symbolic link.
    link: bool,
}

/// Resolves `path` (absolute): each part that exists is followed through links, and the parts
/// below the nearest existing folder are taken as written (`..` there just steps back).
fn resolve(path: &Path) -> std::io::Result<Resolved> {
    let mut out = PathBuf::new();
    let (mut existing, mut link) = (true, false);
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                // `out` holds no link (each was replaced by its target), so stepping back is exact.
                out.pop();
                link = false;
            }
            Component::Normal(name) => {
                out.push(name);
                link = false;
                if !existing {
                    continue;
                }
                match std::fs::symlink_metadata(&out) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        link = true;
                        out = std::fs::canonicalize(&out)?;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == ErrorKind::NotFound => existing = false,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(Resolved { path: out, link })
}

/// Why a build dir is refused: the message (after "build-dir `X` ") and the help line.
struct Refusal(String, String);

const OWN_FOLDER: &str =
    "casebook replaces its build dir whole on every build, so it must be a folder of its own; set `build-dir` to a new folder, such as `site`";

/// Checks the configured build dir and the folders beside it; an error at `book.toml` (at the
/// `build-dir` key when it is set) that says what to do when they may not be written.
pub fn place(config: &Config) -> Result<Place, Diagnostic> {
    let refuse = |Refusal(what, help): Refusal| {
        Diagnostic::error("build-dir", "book.toml", format!("build-dir `{}` {what}", config.build_dir.display()))
            .at_loc(config.build_dir_at)
            .help(help)
    };
    let cannot = |e: std::io::Error| Refusal(format!("cannot be resolved: {e}"), OWN_FOLDER.into());
    let root = std::fs::canonicalize(&config.root).map_err(|e| refuse(cannot(e)))?;
    let src = resolve(&root.join(&config.src)).map_err(|e| refuse(cannot(e)))?.path;
    let build = resolve(&root.join(&config.build_dir)).map_err(|e| refuse(cannot(e)))?;
    rules(&root, &src, &config.src, &build).map_err(refuse)?;
    let place = beside(build.path).map_err(refuse)?;
    Ok(place)
}

/// The rules on the build dir's place (docs/build.md, "What a build dir may be").
fn rules(root: &Path, src: &Path, src_name: &Path, build: &Resolved) -> Result<(), Refusal> {
    let b = &build.path;
    let own = || OWN_FOLDER.to_string();
    if b == root {
        return Err(Refusal("is the library root".into(), own()));
    }
    if root.starts_with(b) {
        return Err(Refusal("is a folder above the library root".into(), own()));
    }
    let src_help = || {
        format!(
            "casebook reads every file under the source folder and replaces its build dir whole, so the two may not overlap; set `build-dir` to a folder outside `{}`",
            src_name.display()
        )
    };
    if b == src {
        return Err(Refusal(format!("is the source folder `{}`", src_name.display()), src_help()));
    }
    if b.starts_with(src) {
        return Err(Refusal(format!("lies inside the source folder `{}`", src_name.display()), src_help()));
    }
    if src.starts_with(b) {
        return Err(Refusal(format!("holds the source folder `{}`", src_name.display()), src_help()));
    }
    if b.file_name().is_some_and(|n| n == ".git") {
        return Err(Refusal("is a git folder".into(), own()));
    }
    if b.components().any(|c| c.as_os_str() == ".git") {
        return Err(Refusal("lies inside a git folder".into(), own()));
    }
    if build.link {
        let help = "casebook swaps a real folder in place of its build dir; set `build-dir` to a folder, not a link";
        return Err(Refusal("is a symbolic link".into(), help.into()));
    }
    match std::fs::symlink_metadata(b) {
        Ok(meta) if !meta.is_dir() => Err(Refusal("is not a folder".into(), own())),
        Ok(meta) if mount_point(b, &meta) => {
            let help = "a mount point cannot be swapped for another folder; set `build-dir` to a folder inside it";
            Err(Refusal("is a mount point".into(), help.into()))
        }
        _ => Ok(()),
    }
}

/// The staging folder and lock file beside `build`, refused when something else holds their
/// names.
fn beside(build: PathBuf) -> Result<Place, Refusal> {
    let (staging, lock) = (crate::config::staging_path(&build), crate::config::lock_path(&build));
    let taken = |path: &Path, what: &str| {
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Refusal(
            format!("needs `{file}` beside it for its {what}, but casebook did not make that"),
            format!("move `{file}` away, or set `build-dir` to another folder"),
        )
    };
    if !owner::staging_is_ours(&staging) {
        return Err(taken(&staging, "staging folder"));
    }
    match std::fs::symlink_metadata(&lock) {
        Ok(meta) if !meta.is_file() => return Err(taken(&lock, "lock file")),
        _ => {}
    }
    Ok(Place { build, staging, lock })
}

/// Whether the folder `path` is a mount point: on another device than its parent, or the root.
#[cfg(unix)]
fn mount_point(path: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match path.parent().map(std::fs::metadata) {
        Some(Ok(parent)) => parent.dev() != meta.dev() || parent.ino() == meta.ino(),
        _ => true,
    }
}

/// Without device numbers a mount point cannot be told apart; the swap then fails with the
/// system's own error instead.
#[cfg(not(unix))]
fn mount_point(path: &Path, _meta: &std::fs::Metadata) -> bool {
    path.parent().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving_steps_through_links_and_past_the_nearest_existing_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir_all(root.join("real/inner")).expect("mkdir");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).expect("symlink");
        let r = resolve(&root.join("./real/inner/../missing/deeper/../x")).expect("resolve");
        assert_eq!(r.path, root.join("real/missing/x"));
        assert!(!r.link);
        #[cfg(unix)]
        {
            let r = resolve(&root.join("link")).expect("resolve");
            assert_eq!((r.path, r.link), (root.join("real"), true));
            let r = resolve(&root.join("link/inner/..")).expect("resolve");
            assert_eq!((r.path, r.link), (root.join("real"), false));
            let r = resolve(&root.join("link/..")).expect("resolve");
            assert_eq!(r.path, root);
        }
    }

    #[cfg(unix)]
    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// Wherever the system can resolve a path (it exists), `resolve` finds the same folder.
        #[test]
        fn resolving_agrees_with_the_system(parts in proptest::collection::vec(
            proptest::sample::select(vec![".", "..", "a", "b", "link", "missing"]), 0..7)
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let root = std::fs::canonicalize(dir.path()).expect("canonical");
            std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
            std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).expect("symlink");
            let path = parts.iter().fold(root.clone(), |p, part| p.join(part));
            let resolved = resolve(&path);
            if let Ok(system) = std::fs::canonicalize(&path) {
                proptest::prop_assert_eq!(resolved.expect("resolves").path, system);
            }
        }
    }
}
