//! The service, team and tag pages (`groups.html` for each section's index, `group.html` for
//! one group, split into pages past `page-size` like the incident table).

use super::lists::Pager;
use super::views::{IncidentRow, NoteRow};
use super::{file_of, Renderer, Selection, Sink};
use crate::analysis::Group;
use crate::urls::Urls;
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Serialize)]
struct GroupRow {
    href: String,
    name: String,
    incidents: usize,
    notes: usize,
}

#[derive(Serialize)]
struct GroupIndex {
    section: &'static str,
    heading: &'static str,
    groups: Vec<GroupRow>,
}

/// One service, team or tag page.
#[derive(Serialize)]
pub(super) struct GroupView<'r> {
    pub(super) section: &'static str,
    pub(super) heading: &'static str,
    pub(super) index: String,
    pub(super) name: String,
    pub(super) incidents: Vec<Cow<'r, IncidentRow>>,
    pub(super) incident_count: usize,
    pub(super) notes: Vec<NoteRow>,
    pub(super) pager: Option<Pager>,
}

impl Renderer<'_> {
    /// Every service, team and tag page, with each section's index.
    pub(super) fn group_pages(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        let an = self.b.an;
        for (section, heading, groups) in
            [("services", "Services", &an.services), ("teams", "Teams", &an.teams), ("tags", "Tags", &an.tags)]
        {
            self.group_section(sink, section, heading, groups, sel)?;
        }
        Ok(())
    }

    fn group_section(
        &self,
        sink: &dyn Sink,
        section: &'static str,
        heading: &'static str,
        groups: &[Group],
        sel: &Selection,
    ) -> Result<()> {
        let b = &self.b;
        let path = format!("{section}/");
        let rows = groups
            .iter()
            .map(|g| GroupRow {
                href: b.href(1, &Urls::page(section, &g.id)),
                name: g.name.clone(),
                incidents: g.incidents.len(),
                notes: g.notes.len(),
            })
            .collect();
        let index = GroupIndex { section, heading, groups: rows };
        sink.put(&file_of(&path), &self.page(&path, "groups.html", heading, section, index)?)?;
        use rayon::prelude::*;
        groups.par_iter().filter(|g| sel.group(section, &g.id)).try_for_each(|g| {
            let base = format!("{section}/{}", g.id);
            // Incidents are split into pages; notes (tags only) are listed on the first.
            let only_rows = sel.rows_of(section, &g.id);
            let keep = |page: usize, range: &std::ops::Range<usize>| {
                let incidents = range.clone().map(|i| b.lib.incidents[g.incidents[i]].doc.id.as_str());
                let notes = g.notes.iter().filter(|_| page == 1).map(|&n| b.lib.notes[n].doc.id.as_str());
                !only_rows || sel.shows(incidents.chain(notes))
            };
            self.each_page(&base, g.incidents.len(), keep, |slot| {
                let d = slot.depth;
                let title = slot.heading(&g.name);
                let view = GroupView {
                    section,
                    heading,
                    index: b.href(d, &format!("{section}/")),
                    name: g.name.clone(),
                    incidents: slot.range.clone().map(|i| b.incident_row(d, g.incidents[i])).collect(),
                    incident_count: g.incidents.len(),
                    notes: if slot.page == 1 {
                        g.notes.iter().map(|&n| b.note_row(d, &b.lib.notes[n])).collect()
                    } else {
                        Vec::new()
                    },
                    pager: slot.pager,
                };
                let file = file_of(&slot.path);
                if self.native.group {
                    let site = self.site(&slot.path);
                    return super::native::write_page(sink, &file, |out| {
                        super::native::group_page(out, site, &title, &view)
                    });
                }
                sink.put(&file, &self.page(&slot.path, "group.html", &title, section, view)?)
            })
        })
    }
}
