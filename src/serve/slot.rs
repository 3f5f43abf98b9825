//! The cap on open connections: each connection, live-reload streams included, holds a
//! [`Slot`] under [`MAX_CONNECTIONS`] for as long as it is open, whether the HTTP side or the
//! event hub holds it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How many connections may be open at once (live-reload streams included); one more is
/// answered 503 and closed.
pub(crate) const MAX_CONNECTIONS: usize = 256;

/// One open connection's place under [`MAX_CONNECTIONS`], given back when dropped.
pub(crate) struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// A place, unless all of them are taken.
    pub(super) fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_CONNECTIONS).then_some(n + 1))
            .ok()
            .map(|_| Slot(open.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
