//! `note.html` of the default theme: a reading note's header, facts card, body and backlinks.

use super::chrome::Frame;
use super::{backlinks, chips, edit_link, esc, joined, text};
use crate::render::doc_views::NoteView;
use crate::render::SiteView;

/// Prints a whole note page.
pub(in crate::render) fn note_page(out: &mut String, site: &SiteView, title: &str, v: &NoteView) {
    let frame = Frame { title, active: "notes", body_class: "", scripts: "" };
    super::chrome::page(out, site, &frame, |out| {
        let d = &v.doc;
        out.push_str("\n\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"");
        esc(out, &site.home);
        out.push_str("\">Home</a> / <a href=\"");
        esc(out, site.links.get("notes").map_or("", |s| s.as_str()));
        out.push_str("\">Notes</a></nav>\n<article class=\"note\">\n");
        header(out, v);
        out.push_str("  ");
        card(out, v);
        out.push_str("\n  <div class=\"prose\">");
        out.push_str(&d.body_html);
        out.push_str("</div>\n  ");
        backlinks(out, d);
        out.push_str("\n  ");
        edit_link(out, d);
        out.push_str("\n</article>\n");
    });
}

fn header(out: &mut String, v: &NoteView) {
    let d = &v.doc;
    out.push_str("  <header class=\"doc-head\">\n    <p class=\"kicker\">");
    if let Some(k) = text(v.row.kind.as_deref()) {
        out.push_str("<span class=\"kind\">");
        esc(out, k);
        out.push_str("</span>");
    }
    if let Some(date) = text(d.date.as_deref()) {
        out.push_str("<span>Noted on <time datetime=\"");
        esc(out, date);
        out.push_str("\">");
        esc(out, d.date_human.as_deref().unwrap_or(""));
        out.push_str("</time></span>");
    }
    out.push_str("</p>\n    <h1>");
    esc(out, &d.title);
    out.push_str("</h1>\n    ");
    let published = text(v.row.published.as_deref());
    if !d.authors.is_empty() || published.is_some() {
        out.push_str("<p class=\"byline\">");
        joined(out, &d.authors);
        if let Some(p) = published {
            out.push_str(" · ");
            esc(out, p);
        }
        out.push_str("</p>");
    }
    out.push_str("\n    ");
    if let Some(s) = text(d.summary.as_deref()) {
        out.push_str("<p class=\"lead\">");
        esc(out, s);
        out.push_str("</p>");
    }
    out.push_str("\n    ");
    if let Some(url) = text(v.url.as_deref()) {
        out.push_str("<p><a class=\"source-link\" href=\"");
        esc(out, url);
        out.push_str("\">Read the original</a></p>");
    }
    out.push_str("\n  </header>\n");
}

fn card(out: &mut String, v: &NoteView) {
    let d = &v.doc;
    if v.row.factors.is_empty() && v.incidents.is_empty() && d.tags.is_empty() {
        return;
    }
    out.push_str("\n  <section class=\"card\">\n    <dl class=\"facts\">\n      ");
    if !v.row.factors.is_empty() {
        out.push_str("<div class=\"wide\"><dt>Factors</dt><dd>");
        chips(out, "chip factor", &v.row.factors);
        out.push_str("</dd></div>");
    }
    out.push_str("\n      ");
    if !v.incidents.is_empty() {
        out.push_str("<div class=\"wide\"><dt>Sheds light on</dt><dd><ul class=\"link-list\">");
        for l in &v.incidents {
            out.push_str("<li>");
            super::link(out, &l.href, &l.label);
            out.push_str("</li>");
        }
        out.push_str("</ul></dd></div>");
    }
    out.push_str("\n      ");
    if !d.tags.is_empty() {
        out.push_str("<div class=\"wide\"><dt>Tags</dt><dd>");
        chips(out, "chip tag", &d.tags);
        out.push_str("</dd></div>");
    }
    out.push_str("\n    </dl>\n  </section>\n  ");
}
