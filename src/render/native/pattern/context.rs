//! What surrounds a pattern on its first page in `pattern.html`, after the incident table:
//! incidents per quarter (chart and numbers), factors seen together with it, services involved,
//! actions that address it and the reading notes that name it.

use crate::render::native::action::{action_status, action_title, action_when};
use crate::render::native::rows::note_list;
use crate::render::native::{esc, link, num, text};
use crate::render::pattern_page::{ActionRow, PatternView};

/// Everything inside `{% if page.first_page %}` after the incident table.
pub(super) fn sections(out: &mut String, v: &PatternView) {
    out.push_str("\n  ");
    quarters(out, v);
    out.push_str("\n\n  <div class=\"columns even\">\n  ");
    co_occurring(out, v);
    out.push_str("\n  ");
    services(out, v);
    out.push_str("\n  </div>\n\n  ");
    actions(out, v);
    out.push_str("\n\n  ");
    notes(out, v);
    out.push_str("\n  ");
}

fn quarters(out: &mut String, v: &PatternView) {
    if v.quarters.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section aria-labelledby=\"q-h\">\n    <h2 id=\"q-h\">Incidents per quarter</h2>\n    \
         <figure class=\"chart-figure\">\n      ",
    );
    out.push_str(&v.chart_html);
    out.push_str(
        "\n      <figcaption>\n        <details><summary>The numbers</summary>\n        \
         <table class=\"compact\"><thead><tr><th scope=\"col\">Quarter</th><th scope=\"col\" class=\"num\">Incidents</th>\
         </tr></thead><tbody>\n        ",
    );
    for q in &v.quarters {
        out.push_str("<tr><td>");
        esc(out, &q.label);
        out.push_str("</td><td class=\"num\">");
        num(out, q.count);
        out.push_str("</td></tr>");
    }
    out.push_str("\n        </tbody></table></details>\n      </figcaption>\n    </figure>\n  </section>\n  ");
}

fn co_occurring(out: &mut String, v: &PatternView) {
    if v.co_occurring.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section aria-labelledby=\"co-h\">\n    <h2 id=\"co-h\">Seen together with</h2>\n    \
         <table class=\"compact\"><thead><tr><th scope=\"col\">Factor</th><th scope=\"col\" class=\"num\">Incidents</th>\
         <th scope=\"col\" class=\"num\"><abbr title=\"Jaccard index: incidents with both ÷ incidents with either\">\
         Jaccard</abbr></th></tr></thead><tbody>\n    ",
    );
    for c in &v.co_occurring {
        out.push_str("<tr><td>");
        link(out, &c.link.href, &c.link.label);
        out.push_str("</td><td class=\"num\">");
        num(out, c.count);
        out.push_str("</td><td class=\"num\">");
        esc(out, &c.jaccard);
        out.push_str("</td></tr>");
    }
    out.push_str("\n    </tbody></table>\n  </section>\n  ");
}

fn services(out: &mut String, v: &PatternView) {
    if v.services.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section aria-labelledby=\"svc-h\">\n    <h2 id=\"svc-h\">Services involved</h2>\n    \
         <table class=\"compact\"><thead><tr><th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Incidents</th>\
         </tr></thead><tbody>\n    ",
    );
    for (l, n) in &v.services {
        out.push_str("<tr><td>");
        link(out, &l.href, &l.label);
        out.push_str("</td><td class=\"num\">");
        num(out, *n);
        out.push_str("</td></tr>");
    }
    out.push_str("\n    </tbody></table>\n  </section>\n  ");
}

fn actions(out: &mut String, v: &PatternView) {
    if v.actions.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section aria-labelledby=\"act-h\">\n    <h2 id=\"act-h\">Actions that address it</h2>\n    \
         <div class=\"table-wrap\"><table class=\"actions\">\n      <thead><tr><th scope=\"col\">Status</th>\
         <th scope=\"col\">Action</th><th scope=\"col\">From</th><th scope=\"col\">Owner</th>\
         <th scope=\"col\">Due / done</th></tr></thead>\n      <tbody>\n      ",
    );
    for a in &v.actions {
        action_cells(out, a);
    }
    out.push_str("\n      </tbody>\n    </table></div>\n  </section>\n  ");
}

/// One row of the "Actions that address it" table.
fn action_cells(out: &mut String, a: &ActionRow) {
    out.push_str("\n      <tr>\n        <td>");
    action_status(out, &a.action);
    out.push_str("</td>\n        <td>");
    action_title(out, &a.action);
    out.push_str("</td>\n        <td>");
    link(out, &a.incident.href, &a.incident.label);
    out.push_str("</td>\n        <td>");
    if let Some(o) = text(a.action.owner.as_deref()) {
        esc(out, o);
    }
    out.push_str("</td>\n        <td class=\"when\">");
    action_when(out, &a.action);
    out.push_str("</td>\n      </tr>\n      ");
}

/// `{{ m::note_list(rows=page.notes) }}` inside its section.
fn notes(out: &mut String, v: &PatternView) {
    if v.notes.is_empty() {
        return;
    }
    out.push_str("\n  <section aria-labelledby=\"notes-h\">\n    <h2 id=\"notes-h\">Reading notes</h2>\n    ");
    note_list(out, &v.notes);
    out.push_str("\n  </section>\n  ");
}
