//! The list macros of the default theme's `macros.html`: `incident_table`, `note_list` and
//! `pager`, as `{{ m::name(...) }}` prints them (macro output is not escaped again).

use super::{chips, esc, joined, num, severity, text};
use crate::render::lists::Pager;
use crate::render::views::{IncidentRow, NoteRow};
use std::borrow::Borrow;

/// `{{ m::incident_table(rows=rows, sortable=sortable) }}` (no caption).
pub(super) fn incident_table<R: Borrow<IncidentRow>>(out: &mut String, rows: &[R], sortable: bool) {
    out.push_str("\n<div class=\"table-wrap\">\n<table class=\"incidents");
    if sortable {
        out.push_str(" sortable");
    }
    out.push_str(
        "\">\n  \n  <thead>\n    <tr>\n      \
         <th scope=\"col\" data-sort=\"text\">Date</th>\n      \
         <th scope=\"col\" data-sort=\"text\">Title</th>\n      \
         <th scope=\"col\" data-sort=\"num\">Severity</th>\n      \
         <th scope=\"col\" data-sort=\"text\">Services</th>\n      \
         <th scope=\"col\" data-sort=\"text\">Factors</th>\n      \
         <th scope=\"col\" data-sort=\"num\" class=\"num\"><abbr title=\"Time to detect: detected − started\">TTD</abbr></th>\n      \
         <th scope=\"col\" data-sort=\"num\" class=\"num\"><abbr title=\"Impact duration: resolved − started\">Impact</abbr></th>\n    \
         </tr>\n  </thead>\n  <tbody>\n  ",
    );
    for r in rows {
        incident_row(out, r.borrow());
    }
    out.push_str("\n  </tbody>\n</table>\n</div>\n");
}

fn incident_row(out: &mut String, r: &IncidentRow) {
    let date = text(r.date.as_deref());
    out.push_str("\n    <tr>\n      <td class=\"date\" data-value=\"");
    if let Some(d) = date {
        esc(out, d);
    }
    out.push_str("\">");
    match date {
        Some(d) => {
            out.push_str("<time datetime=\"");
            esc(out, d);
            out.push_str("\">");
            esc(out, d);
            out.push_str("</time>");
        }
        None => out.push_str("<span class=\"muted\">undated</span>"),
    }
    out.push_str("</td>\n      <td class=\"title\"><a href=\"");
    esc(out, &r.href);
    out.push_str("\">");
    esc(out, &r.title);
    out.push_str("</a></td>\n      <td data-value=\"");
    num(out, if r.sev_rank > 0 { r.sev_rank } else { 99 });
    out.push_str("\">");
    severity(out, r.severity.as_deref(), r.sev_rank);
    out.push_str("</td>\n      <td>");
    chips(out, "chip", &r.services);
    out.push_str("</td>\n      <td>");
    chips(out, "chip factor", &r.factors);
    out.push_str("</td>\n      ");
    for (i, fig) in [&r.ttd, &r.impact].into_iter().enumerate() {
        out.push_str("<td class=\"num\" data-value=\"");
        match fig {
            Some(f) => {
                crate::render::format::push_int(out, f.minutes);
                out.push_str("\">");
                esc(out, &f.value);
            }
            None => out.push_str("-1\"><span class=\"muted\">–</span>"),
        }
        out.push_str(if i == 0 { "</td>\n      " } else { "</td>\n    </tr>\n  " });
    }
}

/// `{{ m::note_list(rows=rows) }}`.
pub(super) fn note_list(out: &mut String, rows: &[NoteRow]) {
    out.push_str("\n<ul class=\"cards\">\n");
    for n in rows {
        out.push_str("\n  <li class=\"card\">\n    <p class=\"card-kicker\">");
        if let Some(k) = text(n.kind.as_deref()) {
            out.push_str("<span class=\"kind\">");
            esc(out, k);
            out.push_str("</span>");
        }
        if !n.authors.is_empty() {
            out.push(' ');
            joined(out, &n.authors);
        }
        if let Some(p) = text(n.published.as_deref()) {
            out.push_str(" · ");
            esc(out, p);
        }
        out.push_str("</p>\n    <h3><a href=\"");
        esc(out, &n.href);
        out.push_str("\">");
        esc(out, &n.title);
        out.push_str("</a></h3>\n    ");
        if let Some(s) = text(n.summary.as_deref()) {
            out.push_str("<p>");
            esc(out, s);
            out.push_str("</p>");
        }
        out.push_str("\n    ");
        if !n.factors.is_empty() {
            out.push_str("<p class=\"chips\">");
            chips(out, "chip factor", &n.factors);
            out.push_str("</p>");
        }
        out.push_str("\n  </li>\n");
    }
    out.push_str("\n</ul>\n");
}

/// `{{ m::pager(p=pager) }}`.
pub(super) fn pager(out: &mut String, pager: Option<&Pager>) {
    out.push('\n');
    if let Some(p) = pager {
        out.push_str("\n<nav class=\"pager\" aria-label=\"Pages\">\n  ");
        if let Some(prev) = text(p.prev.as_deref()) {
            out.push_str("<a rel=\"prev\" href=\"");
            esc(out, prev);
            out.push_str("\">← Newer</a>");
        }
        out.push_str("\n  <ol>");
        for (n, href) in &p.links {
            out.push_str("<li>");
            if *n == p.page {
                out.push_str("<span aria-current=\"page\">");
                num(out, *n);
                out.push_str("</span>");
            } else {
                out.push_str("<a href=\"");
                esc(out, href);
                out.push_str("\">");
                num(out, *n);
                out.push_str("</a>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>\n  ");
        if let Some(next) = text(p.next.as_deref()) {
            out.push_str("<a rel=\"next\" href=\"");
            esc(out, next);
            out.push_str("\">Older →</a>");
        }
        out.push_str("\n</nav>\n");
    }
    out.push('\n');
}
