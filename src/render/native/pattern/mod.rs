//! `pattern.html` of the default theme: one contributing factor's page. This file prints the
//! frame (crumbs, header, the lead of a later page) and hands each part to the file that prints
//! it: the figures and "came back after a fix" (`figures`), the incident table (`incidents`) and,
//! on the first page, what surrounds the factor (`context`). Later pages of a split pattern hold
//! the incidents only.

mod context;
mod figures;
mod incidents;

use super::chrome::Frame;
use super::{esc, joined, num, text};
use crate::render::pattern_page::PatternView;
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
            figures::figures(out, v);
            out.push_str("\n\n  ");
            figures::recurrences(out, v);
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
        incidents::incidents(out, v);
        out.push_str("\n\n  ");
        if v.first_page {
            context::sections(out, v);
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
