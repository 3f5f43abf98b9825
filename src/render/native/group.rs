//! `group.html` of the default theme: one service, team or tag with its incident table, pager
//! and (tags only) reading notes.

use super::chrome::Frame;
use super::rows::{incident_table, note_list, pager};
use super::{esc, num};
use crate::render::group_page::GroupView;
use crate::render::SiteView;

/// Prints a whole group page.
pub(in crate::render) fn group_page(out: &mut String, site: &SiteView, title: &str, v: &GroupView) {
    let frame = Frame { title, active: v.section, body_class: "", scripts: "" };
    super::chrome::page(out, site, &frame, |out| {
        out.push_str("\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"");
        esc(out, &site.home);
        out.push_str("\">Home</a> / <a href=\"");
        esc(out, &v.index);
        out.push_str("\">");
        esc(out, v.heading);
        out.push_str("</a></nav>\n<header class=\"doc-head\"><h1>");
        esc(out, title);
        out.push_str("</h1>\n<p class=\"lead\">");
        num(out, v.incident_count);
        out.push_str(if v.incident_count != 1 { " incidents" } else { " incident" });
        if !v.notes.is_empty() {
            out.push_str(" and ");
            num(out, v.notes.len());
            out.push_str(if v.notes.len() != 1 { " notes" } else { " note" });
        }
        out.push_str(", newest first.</p></header>\n");
        if !v.incidents.is_empty() {
            incident_table(out, &v.incidents, false);
        }
        out.push('\n');
        pager(out, v.pager.as_ref());
        out.push('\n');
        if !v.notes.is_empty() {
            out.push_str("<h2>Reading notes</h2>");
            note_list(out, &v.notes);
        }
        out.push('\n');
    });
}
