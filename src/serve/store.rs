//! The site being served, held in memory: a map from site path to bytes, replaced whole (one
//! pointer swap) when a rebuild succeeds, so a request sees either the old site or the new one,
//! never half of each. Serving from memory also leaves the user's build dir alone.

use crate::sink::Sink;
use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};

/// One built site: site path (`incidents/x/index.html`) → bytes.
pub(crate) type Files = HashMap<String, Arc<[u8]>>;

/// A [`Sink`] that keeps what is written in memory.
#[derive(Default)]
pub(crate) struct MemorySink {
    files: Mutex<Files>,
}

impl MemorySink {
    /// What was written.
    pub(crate) fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    fn insert(&self, path: &str, bytes: Arc<[u8]>) {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string(), bytes);
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.insert(path, Arc::from(bytes));
        Ok(())
    }

    fn put_shared(&self, path: &str, bytes: &Arc<[u8]>) -> Result<()> {
        self.insert(path, bytes.clone());
        Ok(())
    }

    /// One copy in memory, shared by every path.
    fn copy_to(&self, from: &Path, site_paths: &[String]) -> Result<()> {
        let bytes: Arc<[u8]> = Arc::from(crate::fs::read(from)?);
        for p in site_paths {
            self.insert(p, bytes.clone());
        }
        Ok(())
    }
}

/// How the last build went, as the browser is told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServedState {
    /// Bumped each time a new site is swapped in; pages carry the one they were served from.
    pub(crate) generation: u64,
    /// The latest generation that changed the theme, an asset or the config: a page older than
    /// it reloads in full, since its stylesheets and scripts may be stale; any other page may
    /// swap in its new content alone.
    pub(crate) full: u64,
    /// The problems of the last build when it failed (the overlay shows them), else empty.
    pub(crate) errors: Vec<OverlayError>,
    /// The HTML pages (site paths) that differ between this generation and the one before:
    /// an open page of that one that is not named may keep its content. `None` when any page
    /// may have changed (a full build, or more than [`MAX_NAMED`] pages).
    pub(crate) pages: Option<Arc<[String]>>,
}

/// Past this many changed pages, an event names none (any page may have changed) rather than
/// send a long list to every open tab.
pub(crate) const MAX_NAMED: usize = 500;

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct OverlayError {
    /// `path:line:col: error: message`.
    pub(crate) headline: String,
    /// Hints.
    pub(crate) help: Vec<String>,
}

impl ServedState {
    /// The Server-Sent Event that tells pages about this status.
    pub(crate) fn event(&self) -> String {
        let data = serde_json::json!({
            "generation": self.generation,
            "full": self.full,
            "errors": self.errors,
            "pages": self.pages.as_deref(),
        });
        format!("event: build\ndata: {data}\n\n")
    }
}

/// How many statuses the event streams may be behind by: the thread that tells them may wake
/// only after an edit's two renders were both swapped in, and each must still go out as its
/// own event (docs/serve.md).
const KEPT: usize = 16;

/// The served site and the status of the last build, shared by every thread.
pub(crate) struct Live {
    files: RwLock<Arc<Files>>,
    log: Mutex<Log>,
    changed: Condvar,
}

/// The latest statuses, newest last; the newest is status number `last` (counted from 1).
struct Log {
    last: u64,
    recent: std::collections::VecDeque<ServedState>,
}

impl Log {
    fn now(&self) -> &ServedState {
        self.recent.back().expect("the log always holds the current status")
    }

    fn push(&mut self, s: ServedState) {
        if self.recent.len() == KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(s);
        self.last += 1;
    }
}

impl Live {
    /// A live site serving `files` at generation 1 (or nothing yet, with the first build's errors).
    pub(crate) fn new(files: Arc<Files>, errors: Vec<OverlayError>) -> Live {
        let first = ServedState { generation: 1, full: 1, errors, pages: None };
        Live {
            files: RwLock::new(files),
            log: Mutex::new(Log { last: 1, recent: std::iter::once(first).collect() }),
            changed: Condvar::new(),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current site.
    pub(crate) fn files(&self) -> Arc<Files> {
        self.files.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The current status.
    pub(crate) fn status(&self) -> ServedState {
        self.log().now().clone()
    }

    /// The number of the current status (see [`Live::wait_after`]).
    pub(crate) fn last(&self) -> u64 {
        self.log().last
    }

    /// Swaps in a new site, then tells every waiting page (so a reload sees the new site);
    /// `full` says that pages must reload in full (see [`ServedState::full`]); `pages` are the HTML
    /// pages that changed (see [`ServedState::pages`]).
    pub(crate) fn publish(&self, files: Arc<Files>, full: bool, pages: Option<&[String]>) {
        *self.files.write().unwrap_or_else(PoisonError::into_inner) = files;
        let mut log = self.log();
        let mut s = log.now().clone();
        s.generation += 1;
        if full {
            s.full = s.generation;
        }
        s.pages = pages.filter(|p| !full && p.len() <= MAX_NAMED).map(Arc::from);
        s.errors.clear();
        log.push(s);
        self.changed.notify_all();
    }

    /// Records a failed build: the site stays as it was; pages show the errors.
    pub(crate) fn fail(&self, errors: Vec<OverlayError>) {
        let mut log = self.log();
        if log.now().errors != errors {
            let s = ServedState { errors, ..log.now().clone() };
            log.push(s);
            self.changed.notify_all();
        }
    }

    /// Waits until there is a status after number `seen`, or `timeout` passes; returns the
    /// number of the current one and those after `seen`, oldest first (the last [`KEPT`]).
    pub(crate) fn wait_after(&self, seen: u64, timeout: std::time::Duration) -> (u64, Vec<ServedState>) {
        let log = self.log();
        let (log, _) =
            self.changed.wait_timeout_while(log, timeout, |l| l.last <= seen).unwrap_or_else(PoisonError::into_inner);
        let new = usize::try_from(log.last.saturating_sub(seen)).unwrap_or(usize::MAX).min(log.recent.len());
        (log.last, log.recent.iter().skip(log.recent.len() - new).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_data(live: &Live) -> serde_json::Value {
        let event = live.status().event();
        let data = event.strip_prefix("event: build\ndata: ").and_then(|e| e.strip_suffix("\n\n"));
        serde_json::from_str(data.expect("one data line")).expect("json")
    }

    #[test]
    fn the_event_says_which_generation_last_needed_a_full_reload() {
        let live = Live::new(Arc::new(Files::new()), Vec::new());
        let json = |g: u64, f: u64| serde_json::json!({ "generation": g, "full": f, "errors": [], "pages": null });
        assert_eq!(event_data(&live), json(1, 1));
        live.publish(Arc::new(Files::new()), false, None);
        assert_eq!(event_data(&live), json(2, 1), "a content edit leaves `full` where it was");
        live.publish(Arc::new(Files::new()), true, None);
        assert_eq!(event_data(&live), json(3, 3), "a theme edit moves it to its own generation");
        live.fail(vec![OverlayError { headline: "a.md:1:1: error: x".into(), help: vec!["y".into()] }]);
        live.publish(Arc::new(Files::new()), false, None);
        // A page at generation 2 that missed event 3 still learns that it must reload in full.
        assert_eq!(event_data(&live), json(4, 3), "the fix clears the errors and keeps `full`");
    }

    #[test]
    fn a_stream_behind_by_several_statuses_gets_each_of_them() {
        let live = Live::new(Arc::new(Files::new()), Vec::new());
        let seen = live.last();
        let short = std::time::Duration::from_millis(1);
        assert_eq!(live.wait_after(seen, short), (seen, Vec::new()), "nothing new: the wait times out");
        live.publish(Arc::new(Files::new()), false, Some(&["a/index.html".to_string()]));
        live.publish(Arc::new(Files::new()), false, Some(&["d/index.html".to_string()]));
        let (last, news) = live.wait_after(seen, short);
        let pages: Vec<_> = news.iter().map(|s| (s.generation, s.pages.as_deref().map(<[String]>::to_vec))).collect();
        let want = vec![(2, Some(vec!["a/index.html".to_string()])), (3, Some(vec!["d/index.html".to_string()]))];
        assert_eq!(pages, want, "both renders of an edit, in order");
        let errors = vec![OverlayError { headline: "a.md:1:1: error: x".into(), help: Vec::new() }];
        live.fail(errors.clone());
        live.fail(errors);
        let (now, news) = live.wait_after(last, short);
        assert_eq!((now, news.len()), (last + 1, 1), "the same errors again are no new status");
        for _ in 0..2 * KEPT {
            live.publish(Arc::new(Files::new()), false, None);
        }
        let (_, news) = live.wait_after(seen, short);
        assert_eq!(news.len(), KEPT, "a stream far behind gets the latest");
        assert_eq!(news.last().map(|s| s.generation), Some(live.status().generation));
    }

    #[test]
    fn the_event_names_the_pages_that_changed_unless_there_are_too_many_or_all_reload() {
        let live = Live::new(Arc::new(Files::new()), Vec::new());
        let named = |n: usize| (0..n).map(|k| format!("incidents/i{k}/index.html")).collect::<Vec<_>>();
        live.publish(Arc::new(Files::new()), false, Some(&named(2)));
        assert_eq!(
            event_data(&live)["pages"],
            serde_json::json!(["incidents/i0/index.html", "incidents/i1/index.html"])
        );
        live.publish(Arc::new(Files::new()), false, Some(&[]));
        assert_eq!(event_data(&live)["pages"], serde_json::json!([]), "a generation that changed no page");
        live.publish(Arc::new(Files::new()), false, Some(&named(MAX_NAMED)));
        assert_eq!(event_data(&live)["pages"].as_array().map(Vec::len), Some(MAX_NAMED));
        live.publish(Arc::new(Files::new()), false, Some(&named(MAX_NAMED + 1)));
        assert!(event_data(&live)["pages"].is_null(), "too many to name: any page may have changed");
        live.publish(Arc::new(Files::new()), true, Some(&named(1)));
        assert!(event_data(&live)["pages"].is_null(), "a full reload names none");
        live.publish(Arc::new(Files::new()), false, None);
        assert!(event_data(&live)["pages"].is_null(), "a full build names none");
    }
}
