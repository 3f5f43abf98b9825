//! Whether a build may write its build dir (docs/build.md): the build dir's place, the lock,
//! and the files casebook did not write in it, as diagnostics that `build` stops on and `check`
//! reports.

use super::{write_site, Checked};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::output::lock::{self, Lock};
use crate::output::owner::{self, BuildDir, PathsOnly};
use crate::output::{Foreign, Place, Prepared, Ready, Staging};
use crate::render::Selection;
use crate::theme::Theme;
use anyhow::Result;
use std::path::Path;

/// A build's hold on its build dir: the lock, and the kept site being made ready.
pub(super) struct Claim {
    pub(super) place: Place,
    pub(super) lock: Lock,
    pub(super) prepared: Prepared,
}

/// Before the library is read: takes the lock and starts readying the kept site, when the
/// build dir is allowed and casebook's (or free). `None` otherwise: a refused build dir is
/// reported with the config, and an unmarked one is decided once the site is known.
pub(super) fn early(root: &Path) -> Result<Option<Claim>> {
    let Ok((config, diags)) = Config::load(root) else { return Ok(None) };
    if diags.iter().any(|d| d.level == crate::diagnostic::Level::Error) {
        return Ok(None);
    }
    let Ok(place) = crate::output::place(&config) else { return Ok(None) };
    if matches!(owner::inspect(&place.build)?, BuildDir::Unmarked) {
        return Ok(None);
    }
    let lock = lock::take(&place.lock)?;
    let prepared = Staging::prepare(&place);
    Ok(Some(Claim { place, lock, prepared }))
}

/// After the library is read (and found writable), for a build that has no claim yet: may it
/// write its build dir? Either a claim, or the diagnostics that stop it.
pub(super) fn late(a: &Checked, theme: &Theme) -> Result<Result<Claim, Vec<Diagnostic>>> {
    let place = match crate::output::place(&a.config) {
        Ok(place) => place,
        Err(d) => return Ok(Err(vec![d])),
    };
    if matches!(owner::inspect(&place.build)?, BuildDir::Unmarked) {
        let refused = unmarked(a, theme, &place)?;
        if !refused.is_empty() {
            return Ok(Err(refused));
        }
    }
    let lock = lock::take(&place.lock)?;
    let prepared = Staging::prepare(&place);
    Ok(Ok(Claim { place, lock, prepared }))
}

/// What `check` reports of the build dir beyond its place: files casebook did not write in it.
pub(super) fn checked(a: &Checked) -> Result<Vec<Diagnostic>> {
    let Ok(place) = crate::output::place(&a.config) else { return Ok(Vec::new()) };
    match owner::inspect(&place.build)? {
        BuildDir::Free => Ok(Vec::new()),
        BuildDir::Ours(ours) => {
            let found = owner::foreign(&place.build, &ours)?;
            let found = found.into_iter().map(|site| Foreign { path: place.build.join(&site), site, kept: false });
            Ok(found.map(|f| foreign(&a.config, &f)).collect())
        }
        BuildDir::Unmarked => unmarked(a, &super::load_theme(&a.config)?, &place),
    }
}

/// The diagnostics for what `ready` found.
pub(super) fn refused(config: &Config, ready: &Ready) -> Vec<Diagnostic> {
    ready.foreign.iter().map(|f| foreign(config, f)).collect()
}

/// An unmarked build dir is an earlier casebook's site when every file in it is one this build
/// writes or one the kept manifest lists; otherwise it is refused, at `book.toml`.
fn unmarked(a: &Checked, theme: &Theme, place: &Place) -> Result<Vec<Diagnostic>> {
    let paths = PathsOnly::default();
    write_site(a, theme, &paths, &Selection::everything(), None, &crate::progress::Progress::hidden(), false)?;
    let manifest = place.staging.join("site.manifest");
    let unclaimed = owner::unclaimed(&place.build, &manifest, &paths.into_paths())?;
    let Some(first) = unclaimed.first() else { return Ok(Vec::new()) };
    let (n, build_dir) = (unclaimed.len(), a.config.build_dir.display());
    let message = format!(
        "build-dir `{build_dir}` holds {n} file{} casebook did not write, such as `{}`",
        if n == 1 { "" } else { "s" },
        a.config.build_dir.join(first).display()
    );
    let help = "casebook writes only a new or empty folder, or one it wrote before; move those files out, or set `build-dir` to a new folder, such as `site`";
    Ok(vec![Diagnostic::error("build-dir", "book.toml", message).at_loc(a.config.build_dir_at).help(help)])
}

/// A file casebook did not write where a build would move it.
fn foreign(config: &Config, f: &Foreign) -> Diagnostic {
    let path = shown(config, &f.path);
    let static_path = config.src.join("static").join(&f.site);
    let (message, help) = if f.kept {
        (
            "casebook did not write this file in its staging folder",
            format!(
                "it was added to the build dir while a build ran; move it out (to `{}` to publish it)",
                static_path.display()
            ),
        )
    } else {
        (
            "casebook did not write this file in its build dir",
            format!("put it in `{}`, from where casebook copies it into every build", static_path.display()),
        )
    };
    Diagnostic::error("foreign-file", path, message).help(help)
}

/// `path` relative to the library root when it lies under it.
fn shown(config: &Config, path: &Path) -> String {
    let root = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}
