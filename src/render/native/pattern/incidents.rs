//! The table of incidents naming a pattern, with its pager, as `pattern.html` prints it on
//! every page of the pattern.

use crate::render::native::rows::pager;
use crate::render::native::{esc, link, num, severity, text};
use crate::render::pattern_page::{Occ, PatternView};

/// The "Incidents with this factor" section.
pub(super) fn incidents(out: &mut String, v: &PatternView) {
    out.push_str("  <section aria-labelledby=\"inc-h\">\n    <h2 id=\"inc-h\">Incidents with this factor");
    if let Some(p) = &v.pager {
        out.push_str(" <span class=\"muted\">(");
        num(out, v.count);
        out.push_str(", page ");
        num(out, p.page);
        out.push_str(" of ");
        num(out, p.pages);
        out.push_str(")</span>");
    }
    out.push_str("</h2>\n    ");
    if v.incidents.is_empty() {
        out.push_str("<p class=\"empty\">No incident names this factor yet.</p>");
    } else {
        out.push_str(
            "\n    <div class=\"table-wrap\"><table class=\"occurrences\">\n      <thead><tr><th scope=\"col\">Date</th>\
             <th scope=\"col\">Incident</th><th scope=\"col\">Severity</th><th scope=\"col\">Role</th>\
             <th scope=\"col\">Note</th></tr></thead>\n      <tbody>\n      ",
        );
        for o in &v.incidents {
            occurrence(out, o);
        }
        out.push_str("\n      </tbody>\n    </table></div>\n    ");
        pager(out, v.pager.as_ref());
        out.push_str("\n    ");
    }
    out.push_str("\n  </section>");
}

fn occurrence(out: &mut String, o: &Occ) {
    let r = &o.row;
    out.push_str("\n        <tr>\n          <td class=\"date\">");
    match text(r.date.as_deref()) {
        Some(d) => {
            out.push_str("<time datetime=\"");
            esc(out, d);
            out.push_str("\">");
            esc(out, d);
            out.push_str("</time>");
        }
        None => out.push_str("<span class=\"muted\">undated</span>"),
    }
    out.push_str("</td>\n          <td class=\"title\">");
    link(out, &r.href, &r.title);
    out.push_str("</td>\n          <td>");
    severity(out, r.severity.as_deref(), r.sev_rank);
    out.push_str("</td>\n          <td>");
    if let Some(role) = text(o.role.as_deref()) {
        out.push_str("<span class=\"role role-");
        esc(out, role);
        out.push_str("\">");
        esc(out, role);
        out.push_str("</span>");
    }
    out.push_str("</td>\n          <td>");
    if let Some(n) = text(o.note.as_deref()) {
        esc(out, n);
    }
    out.push_str("</td>\n        </tr>\n      ");
}
