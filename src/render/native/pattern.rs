//! `pattern.html` of the default theme: one contributing factor's page (figures, "came back
//! after a fix", its text, the incidents naming it, and on the first page the per-quarter chart,
//! co-occurring factors, services, actions and notes). Later pages of a split pattern hold the
//! incidents only.

use super::action::{action_status, action_title, action_when};
use super::chrome::Frame;
use super::rows::{note_list, pager};
use super::{esc, joined, num, text};
use crate::render::pattern_page::{Occ, PatternView, Recurrence};
use crate::render::SiteView;

/// Prints one page of a pattern.
pub(in crate::render) fn pattern_page(out: &mut String, site: &SiteView, title: &str, v: &PatternView) {
    let frame = Frame { title, active: "patterns", body_class: "", scripts: "" };
    super::chrome::page(out, site, &frame, |out| {
        out.push_str("\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"");
        esc(out, &site.home);
        out.push_str("\">Home</a> / <a href=\"");
        esc(out, site.links.get("patterns").map_or("", |s| s.as_str()));
        out.push_str("\">Patterns</a></nav>\n<article class=\"pattern\">\n");
        header(out, v);
        out.push_str("\n  ");
        if v.first_page {
            figures(out, v);
            out.push_str("\n\n  ");
            recurrences(out, v);
            out.push_str("\n\n  ");
            if let Some(t) = text(v.text_html.as_deref()) {
                out.push_str("<div class=\"prose\">");
                out.push_str(t);
                out.push_str("</div>");
            }
            out.push_str("\n  ");
        } else {
            later_lead(out, v);
        }
        out.push_str("\n\n");
        incidents(out, v);
        out.push_str("\n\n  ");
        if v.first_page {
            super::pattern_rest::first_page_rest(out, v);
        }
        out.push_str("\n</article>\n");
    });
}

fn header(out: &mut String, v: &PatternView) {
    out.push_str("  <header class=\"doc-head\">\n    <p class=\"kicker\">");
    if let Some(c) = text(v.category.as_deref()) {
        out.push_str("<span class=\"kind\">");
        esc(out, c);
        out.push_str("</span>");
    }
    if v.protective {
        out.push_str(" <span class=\"badge helped\">helped</span>");
    } else if v.recurring {
        out.push_str(" <span class=\"badge recurring\">recurring</span>");
    }
    out.push_str(" <span class=\"trend trend-");
    esc(out, v.trend);
    out.push_str("\">");
    esc(out, v.trend);
    out.push_str("</span></p>\n    <h1>");
    esc(out, &v.title);
    out.push_str("</h1>\n    ");
    if let Some(d) = text(v.description.as_deref()) {
        out.push_str("<p class=\"lead\">");
        esc(out, d);
        out.push_str("</p>");
    }
    out.push_str("\n    ");
    if !v.aliases.is_empty() {
        out.push_str("<p class=\"muted\">Also written as: ");
        joined(out, &v.aliases);
        out.push_str("</p>");
    }
    out.push_str("\n  </header>\n");
}

/// `<li>` of one figure: key, value, and an optional formula line.
fn figure(out: &mut String, key: &str, value: impl FnOnce(&mut String), formula: Option<&dyn Fn(&mut String)>) {
    out.push_str("<li><span class=\"fig-key\">");
    out.push_str(key);
    out.push_str("</span><span class=\"fig-value\">");
    value(out);
    out.push_str("</span>");
    if let Some(f) = formula {
        out.push_str("<span class=\"fig-formula\">");
        f(out);
        out.push_str("</span>");
    }
    out.push_str("</li>");
}

fn figures(out: &mut String, v: &PatternView) {
    out.push_str("\n  <ul class=\"figures\" aria-label=\"Pattern figures\">\n    ");
    let threshold = |out: &mut String| {
        out.push_str(if v.recurring { "recurring: " } else { "recurring from " });
        num(out, v.recurring_threshold);
        if v.recurring {
            out.push_str(" or more");
        }
    };
    figure(out, "Incidents", |out| num(out, v.count), Some(&threshold));
    out.push_str("\n    ");
    figure(out, "First seen", |out| or_dash(out, v.first_seen.as_deref()), None);
    out.push_str("\n    ");
    figure(out, "Last seen", |out| or_dash(out, v.last_seen.as_deref()), None);
    out.push_str("\n    ");
    let trend = |out: &mut String| {
        num(out, v.last_12);
        out.push_str(" in the 12 months to ");
        esc(out, text(v.reference.as_deref()).unwrap_or("now"));
        out.push_str(", ");
        num(out, v.previous_12);
        out.push_str(" in the 12 before");
    };
    figure(out, "Trend", |out| esc(out, v.trend), Some(&trend));
    out.push_str("\n    ");
    let stats = [(&v.ttd, "<abbr title=\"Time to detect\">TTD</abbr>", "\n    "), (&v.impact, "Impact", "\n  ")];
    for (stat, key, after) in stats {
        if let Some((median, p90, n)) = stat {
            let formula = |out: &mut String| {
                out.push_str("median · p90 ");
                esc(out, p90);
                out.push_str(" · ");
                num(out, *n);
                out.push_str(" incidents");
            };
            figure(out, key, |out| esc(out, median), Some(&formula));
        }
        out.push_str(after);
    }
    out.push_str("</ul>");
}

/// `{% if x %}{{ x }}{% else %}–{% endif %}`.
fn or_dash(out: &mut String, s: Option<&str>) {
    esc(out, text(s).unwrap_or("–"));
}

fn recurrences(out: &mut String, v: &PatternView) {
    if v.recurrences.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section class=\"callout warn\" aria-labelledby=\"recur-h\">\n    \
         <h2 id=\"recur-h\">Came back after a fix</h2>\n    <ul>\n    ",
    );
    for r in &v.recurrences {
        out.push_str("\n      <li>");
        recurrence(out, r);
        out.push_str("</li>\n    ");
    }
    out.push_str("\n    </ul>\n    ");
    if v.recurrence_count > v.recurrences.len() {
        out.push_str("<p class=\"muted\">Showing the ");
        num(out, v.recurrences.len());
        out.push_str(" most recent of ");
        num(out, v.recurrence_count);
        out.push_str(" fixes it came back after.</p>");
    }
    out.push_str("\n  </section>\n  ");
}

fn recurrence(out: &mut String, r: &Recurrence) {
    out.push('“');
    esc(out, &r.action);
    out.push_str("” was done");
    if let Some(done) = text(Some(&r.done)) {
        out.push_str(" on ");
        esc(out, done);
    }
    out.push_str(" (from ");
    super::link(out, &r.fixed_in.href, &r.fixed_in.label);
    out.push_str("), yet the factor appeared again in ");
    super::link(out, &r.recurred_in.href, &r.recurred_in.label);
    if !r.shared.is_empty() {
        out.push_str(", on the same service (");
        joined(out, &r.shared);
        out.push(')');
    } else if r.fixed_has_services {
        out.push_str(", on another service");
    }
    if r.after > 1 {
        out.push_str(", and in ");
        num(out, r.after - 1);
        out.push_str(if r.after > 2 { " later incidents" } else { " later incident" });
    }
    out.push('.');
    if r.fixed_has_services && r.after > 1 {
        out.push_str(" <span class=\"muted\">");
        num(out, r.same_service);
        out.push_str(" of the ");
        num(out, r.after);
        out.push_str(" share a service with the fixed incident.</span>");
    }
}

fn later_lead(out: &mut String, v: &PatternView) {
    let (page, pages, first) = match &v.pager {
        Some(p) => (p.page, p.pages, p.links.first().map_or("", |l| l.1.as_str())),
        None => (1, 1, ""),
    };
    out.push_str("\n  <p class=\"lead\">Page ");
    num(out, page);
    out.push_str(" of ");
    num(out, pages);
    out.push_str(" of the ");
    num(out, v.count);
    out.push_str(" incidents with this factor. Its figures, over all of them, are on <a href=\"");
    esc(out, first);
    out.push_str("\">the first page</a>.</p>\n  ");
}

fn incidents(out: &mut String, v: &PatternView) {
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
    super::link(out, &r.href, &r.title);
    out.push_str("</td>\n          <td>");
    if let Some(s) = text(r.severity.as_deref()) {
        out.push_str("<span class=\"sev sev-");
        num(out, r.sev_rank);
        out.push_str("\">");
        esc(out, s);
        out.push_str("</span>");
    }
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

/// One row of the "Actions that address it" table.
pub(super) fn action_cells(out: &mut String, a: &crate::render::pattern_page::ActionRow) {
    out.push_str("\n      <tr>\n        <td>");
    action_status(out, &a.action);
    out.push_str("</td>\n        <td>");
    action_title(out, &a.action);
    out.push_str("</td>\n        <td>");
    super::link(out, &a.incident.href, &a.incident.label);
    out.push_str("</td>\n        <td>");
    if let Some(o) = text(a.action.owner.as_deref()) {
        esc(out, o);
    }
    out.push_str("</td>\n        <td class=\"when\">");
    action_when(out, &a.action);
    out.push_str("</td>\n      </tr>\n      ");
}

/// `{{ m::note_list(rows=page.notes) }}` inside its section.
pub(super) fn notes(out: &mut String, v: &PatternView) {
    if v.notes.is_empty() {
        return;
    }
    out.push_str("\n  <section aria-labelledby=\"notes-h\">\n    <h2 id=\"notes-h\">Reading notes</h2>\n    ");
    note_list(out, &v.notes);
    out.push_str("\n  </section>\n  ");
}
