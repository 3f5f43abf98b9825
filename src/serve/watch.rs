//! Watching the library (notify): the source folder, `book.toml` and the theme folder, never
//! the build dir or its staging folder. Raw events go through a [`Debouncer`], so an editor's
//! save (write, rename, chmod) or a `git checkout` of hundreds of files becomes one rebuild.

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How long the file system must stay quiet before a rebuild starts: an editor's save and a
/// `git checkout` send their events well under a millisecond apart, and a batch split by a
/// slow disk still builds right (the second rebuild picks up the rest), so the wait is kept
/// short, being part of every save's time to the browser.
pub(crate) const QUIET: Duration = Duration::from_millis(15);
/// A burst that never goes quiet still rebuilds after this long.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(2);

/// Merges bursts of changed paths into batches: a batch is ready once no event has arrived for
/// `quiet`, or `max_wait` after its first event. Pure: the caller passes the time.
#[derive(Debug)]
pub(crate) struct Debouncer {
    quiet: Duration,
    max_wait: Duration,
    pending: BTreeSet<PathBuf>,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Debouncer {
    /// A debouncer with these windows.
    pub(crate) fn new(quiet: Duration, max_wait: Duration) -> Debouncer {
        Debouncer { quiet, max_wait, pending: BTreeSet::new(), first: None, last: None }
    }

    /// Records that `path` changed at `now`.
    pub(crate) fn push(&mut self, path: PathBuf, now: Instant) {
        self.pending.insert(path);
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    /// When the pending batch will be ready, if there is one.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        let (first, last) = (self.first?, self.last?);
        Some((last + self.quiet).min(first + self.max_wait))
    }

    /// The batch, if it is ready at `now`.
    pub(crate) fn take_ready(&mut self, now: Instant) -> Option<Vec<PathBuf>> {
        if self.deadline()? > now {
            return None;
        }
        self.first = None;
        self.last = None;
        Some(std::mem::take(&mut self.pending).into_iter().collect())
    }
}

/// What to watch and what to ignore.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// The library root (only `book.toml` in it counts).
    pub(crate) root: PathBuf,
    /// The source folder.
    pub(crate) src: PathBuf,
    /// The theme folder, if the config names one.
    pub(crate) theme: Option<PathBuf>,
    /// Never watched: the build dir and its staging folder.
    pub(crate) ignored: Vec<PathBuf>,
}

impl Scope {
    /// Whether a change to `path` should trigger a rebuild.
    pub(crate) fn wants(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return false;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Editors' swap, backup and probe files, and hidden folders such as `.git`.
        if name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name == "4913" {
            return false;
        }
        let under = |base: &Path| {
            path.strip_prefix(base)
                .is_ok_and(|rel| !rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.'))))
        };
        path == self.root.join("book.toml") || under(&self.src) || self.theme.as_deref().is_some_and(under)
    }
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watch {
    _watcher: Box<dyn Watcher + Send>,
}

/// Starts watching `scope`, sending each wanted changed path to `tx`. `poll` uses notify's
/// polling watcher, for file systems (network mounts, some containers) where events don't arrive.
pub(crate) fn start(scope: Scope, poll: bool, tx: Sender<PathBuf>) -> Result<Watch> {
    let filter = scope.clone();
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        // Reading a file is not changing it (and the rebuild itself reads every file).
        if matches!(event.kind, EventKind::Access(a) if a != notify::event::AccessKind::Close(notify::event::AccessMode::Write))
        {
            return;
        }
        for p in event.paths {
            if filter.wants(&p) {
                let _ = tx.send(p);
            }
        }
    };
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        Box::new(notify::PollWatcher::new(handler, config).context("cannot start the polling watcher")?)
    } else {
        Box::new(notify::recommended_watcher(handler).context("cannot start watching files")?)
    };
    let mut watch = |p: &Path, mode| watcher.watch(p, mode).with_context(|| format!("cannot watch `{}`", p.display()));
    watch(&scope.src, RecursiveMode::Recursive)?;
    // The root itself, not recursively: `book.toml` is replaced by editors, so watching the file
    // alone would lose it after the first save.
    watch(&scope.root, RecursiveMode::NonRecursive)?;
    if let Some(theme) = scope.theme.as_deref().filter(|t| t.is_dir()) {
        watch(theme, RecursiveMode::Recursive)?;
    }
    Ok(Watch { _watcher: watcher })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_burst_of_events_becomes_one_batch() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(QUIET, MAX_WAIT);
        assert_eq!(d.take_ready(t0), None, "nothing pending");
        // An editor's save: write to a temp file, rename over, chmod, all within a few ms.
        d.push("a.md".into(), t0);
        d.push("a.md".into(), t0 + ms(1));
        d.push(".a.md.tmp".into(), t0 + ms(2));
        assert_eq!(d.take_ready(t0 + ms(2) + QUIET - ms(1)), None, "still inside the quiet window");
        let batch = d.take_ready(t0 + ms(2) + QUIET).expect("ready once quiet");
        assert_eq!(batch, vec![PathBuf::from(".a.md.tmp"), PathBuf::from("a.md")]);
        assert_eq!(d.take_ready(t0 + ms(100)), None, "the batch went out once");
    }

    #[test]
    fn a_checkout_of_500_files_is_one_rebuild() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(QUIET, MAX_WAIT);
        let mut batches = Vec::new();
        for i in 0..500u64 {
            let now = t0 + Duration::from_micros(i * 400);
            if let Some(b) = d.take_ready(now) {
                batches.push(b);
            }
            d.push(format!("content/incidents/{i}.md").into(), now);
        }
        let end = t0 + ms(200) + QUIET;
        batches.extend(d.take_ready(end));
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].len(), 500);
    }

    #[test]
    fn events_that_never_stop_still_rebuild_after_the_longest_wait() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(ms(30), ms(100));
        let mut ready_at = None;
        for i in 0..50u64 {
            let now = t0 + ms(i * 10);
            if d.take_ready(now).is_some() {
                ready_at = Some(i * 10);
                break;
            }
            d.push("busy.md".into(), now);
        }
        assert_eq!(ready_at, Some(100));
    }

    #[test]
    fn the_build_dir_staging_folder_and_editor_files_are_not_watched() {
        let root = PathBuf::from("/lib");
        let scope = Scope {
            root: root.clone(),
            src: root.join("content"),
            theme: Some(root.join("theme")),
            ignored: vec![root.join("site"), root.join(".site.staging")],
        };
        assert!(scope.wants(&root.join("content/incidents/a.md")));
        assert!(scope.wants(&root.join("content/factors.yaml")));
        assert!(scope.wants(&root.join("book.toml")));
        assert!(scope.wants(&root.join("theme/templates/base.html")));
        assert!(!scope.wants(&root.join("site/index.html")));
        assert!(!scope.wants(&root.join(".site.staging/new/index.html")));
        assert!(!scope.wants(&root.join("README.md")));
        assert!(!scope.wants(&root.join("content/.git/index")));
        assert!(!scope.wants(&root.join("content/incidents/.a.md.swp")));
        assert!(!scope.wants(&root.join("content/incidents/a.md~")));
        assert!(!scope.wants(&root.join("content/incidents/4913")));
    }
}
