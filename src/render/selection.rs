//! Which pages one render writes: all of them (`casebook build`), or the few an edit touched
//! (`casebook serve`'s incremental rebuild). Index pages, the home page, the feed and the data
//! files are cheap next to document pages and depend on nearly everything, so a partial render
//! always writes them; `/trends/` and `/actions/` are not cheap (they go over every incident),
//! so a partial render writes them only when what they show of an edited incident changed.

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
    /// When set, the incident and note lists hold the same documents in the same order as
    /// before, and only these documents' rows changed: a list page is rendered only if it
    /// shows one of them.
    pub rows: Option<BTreeSet<String>>,
    /// Group pages whose members are as before: like the lists under `rows`, only their pages
    /// that show one of `rows` are rendered.
    pub group_rows: BTreeSet<(String, String)>,
    /// Pattern pages whose pattern (members, order, figures) is as before: only their pages
    /// that show one of `rows` are rendered: the page holding its row, and the first page when
    /// its actions, a fix it came back after, or a note row are shown there.
    pub pattern_rows: BTreeSet<String>,
    /// `/trends/`: a changed incident's date, severity, durations or factors moved.
    pub trends: bool,
    /// `/actions/`: a changed incident's action items, or what the page shows beside them
    /// (its title and date, the factors and services that decide "came back after a fix"),
    /// moved.
    pub actions: bool,
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

    /// Whether `/trends/` is selected.
    pub fn trends_page(&self) -> bool {
        self.all || self.trends
    }

    /// Whether `/actions/` is selected.
    pub fn actions_page(&self) -> bool {
        self.all || self.actions
    }

    /// Whether the page of this pattern is selected.
    pub fn pattern(&self, id: &str) -> bool {
        self.all || self.patterns.contains(id) || self.pattern_rows_of(id)
    }

    /// Whether only the pages of this pattern that show one of `rows` are selected.
    pub fn pattern_rows_of(&self, id: &str) -> bool {
        !self.all && !self.patterns.contains(id) && self.pattern_rows.contains(id)
    }

    /// Whether the page of this group is selected.
    pub fn group(&self, section: &str, id: &str) -> bool {
        self.all || self.groups.iter().any(|(s, g)| s == section && g == id) || self.rows_of(section, id)
    }

    /// Whether only the pages of this group that show one of `rows` are selected.
    pub fn rows_of(&self, section: &str, id: &str) -> bool {
        !self.all && self.group_rows.iter().any(|(s, g)| s == section && g == id)
    }

    /// Whether a list page showing these documents must be rendered.
    pub fn shows<'i>(&self, mut ids: impl Iterator<Item = &'i str>) -> bool {
        match &self.rows {
            Some(rows) if !self.all => ids.any(|id| rows.contains(id)),
            _ => true,
        }
    }

    /// How many document, pattern and group pages are selected (for timings; 0 with `all`).
    pub fn len(&self) -> usize {
        self.docs.len() + self.patterns.len() + self.groups.len() + self.group_rows.len() + self.pattern_rows.len()
    }

    /// Whether nothing but the always-written pages is selected.
    pub fn is_empty(&self) -> bool {
        !self.all && self.len() == 0 && !self.trends && !self.actions
    }
}
