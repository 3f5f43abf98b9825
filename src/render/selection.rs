//! Which pages one render writes: all of them (`casebook build`), or the few an edit touched
//! (`casebook serve`'s incremental rebuild). Index pages, the home page, the feed and the data
//! files are cheap next to document pages and depend on nearly everything, so a partial render
//! always writes them.

use std::collections::BTreeSet;

/// The pages to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Every page.
    pub all: bool,
    /// Incidents, notes and plain pages by id (ids are unique across kinds).
    pub docs: BTreeSet<String>,
    /// Pattern pages by factor id.
    pub patterns: BTreeSet<String>,
    /// Group pages as (section, group id): `("services", "checkout")`.
    pub groups: BTreeSet<(String, String)>,
}

impl Selection {
    /// Every page of the site.
    pub fn everything() -> Selection {
        Selection { all: true, ..Selection::default() }
    }

    /// Whether the page of this document is selected.
    pub fn doc(&self, id: &str) -> bool {
        self.all || self.docs.contains(id)
    }

    /// Whether the page of this pattern is selected.
    pub fn pattern(&self, id: &str) -> bool {
        self.all || self.patterns.contains(id)
    }

    /// Whether the page of this group is selected.
    pub fn group(&self, section: &str, id: &str) -> bool {
        self.all || self.groups.iter().any(|(s, g)| s == section && g == id)
    }

    /// How many document, pattern and group pages are selected (for timings; 0 with `all`).
    pub fn len(&self) -> usize {
        self.docs.len() + self.patterns.len() + self.groups.len()
    }

    /// Whether nothing but the always-written pages is selected.
    pub fn is_empty(&self) -> bool {
        !self.all && self.len() == 0
    }
}
