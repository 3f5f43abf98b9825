//! `incidents.html` and `notes.html` of the default theme: one page of the incident table
//! (sortable, with its sorting script) or of the note cards, with the pager.

use super::chrome::Frame;
use super::rows::{incident_table, note_list, pager};
use super::{esc, num};
use crate::render::lists::ListView;
use crate::render::views::{IncidentRow, NoteRow};
use crate::render::SiteView;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Prints one page of the incident list.
pub(in crate::render) fn incident_list(out: &mut String, site: &SiteView, title: &str, v: &ListView<Cow<IncidentRow>>) {
    let frame = Frame { title, active: "incidents", body_class: "", scripts: incidents_scripts() };
    super::chrome::page(out, site, &frame, |out| {
        out.push_str("\n<header class=\"doc-head\">\n  <h1>");
        esc(out, title);
        out.push_str("</h1>\n  <p class=\"lead\">");
        num(out, v.total);
        out.push_str(if v.total != 1 { " incidents" } else { " incident" });
        out.push_str(
            ", newest first.<span class=\"js-only\"> Select a column heading to sort.</span></p>\n</header>\n",
        );
        if v.rows.is_empty() {
            out.push_str("\n<p class=\"empty\">No incidents yet.</p>\n");
        } else {
            out.push('\n');
            incident_table(out, &v.rows, true);
            out.push('\n');
        }
        out.push('\n');
        pager(out, v.pager.as_ref());
        out.push('\n');
    });
}

/// Prints one page of the note list.
pub(in crate::render) fn note_list_page(out: &mut String, site: &SiteView, title: &str, v: &ListView<NoteRow>) {
    let frame = Frame { title, active: "notes", body_class: "", scripts: "" };
    super::chrome::page(out, site, &frame, |out| {
        out.push_str("\n<header class=\"doc-head\">\n  <h1>");
        esc(out, title);
        out.push_str("</h1>\n  <p class=\"lead\">");
        num(out, v.total);
        out.push_str(if v.total != 1 { " notes" } else { " note" });
        out.push_str(" on articles, papers, talks and books, newest first.</p>\n</header>\n");
        if v.rows.is_empty() {
            out.push_str("<p class=\"empty\">No reading notes yet. Add one under <code>notes/</code>.</p>");
        } else {
            note_list(out, &v.rows);
        }
        out.push('\n');
        pager(out, v.pager.as_ref());
        out.push('\n');
    });
}

/// The `scripts` block of the embedded `incidents.html` (plain text: no tag inside it), taken
/// from the template itself so the sorting script is written once.
fn incidents_scripts() -> &'static str {
    static SCRIPTS: OnceLock<&'static str> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let t = crate::theme::Theme::embedded("incidents.html").unwrap_or("");
        let (open, close) = ("{% block scripts %}", "{% endblock scripts %}");
        let start = t.find(open).map_or(0, |i| i + open.len());
        let end = t.find(close).unwrap_or(start).max(start);
        &t[start..end]
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sorting_script_holds_no_template_tag() {
        let s = super::incidents_scripts();
        assert!(s.starts_with("\n<script>") && s.ends_with("</script>\n"), "{s}");
        assert!(!s.contains("{{") && !s.contains("{%") && !s.contains("{#"));
    }
}
