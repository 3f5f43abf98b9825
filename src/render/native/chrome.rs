//! The page chrome of the default theme's `base.html`: head, masthead with the section nav and
//! search box, footer. The page's own `content` block is written by a closure in between.

use super::{esc, text};
use crate::render::SiteView;

/// What a page puts into `base.html` besides its content.
pub(super) struct Frame<'f> {
    /// `{{ title }}`.
    pub(super) title: &'f str,
    /// `{{ active }}`: the nav entry marked current (its label, lowercased).
    pub(super) active: &'f str,
    /// The `body_class` block.
    pub(super) body_class: &'f str,
    /// The `scripts` block.
    pub(super) scripts: &'f str,
}

/// Writes a whole page: `base.html` with the frame's blocks and `content` filled in (its
/// `head` block is empty in every template printed natively).
pub(super) fn page(out: &mut String, site: &SiteView, frame: &Frame, content: impl FnOnce(&mut String)) {
    head(out, site, frame.title);
    out.push_str("<body class=\"");
    out.push_str(frame.body_class);
    out.push_str("\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
    masthead(out, site, frame.active);
    out.push_str("<main id=\"main\" class=\"wrap\">\n");
    content(out);
    out.push_str("\n</main>\n");
    footer(out, site, frame.scripts);
}

fn head(out: &mut String, site: &SiteView, title: &str) {
    out.push_str("<!doctype html>\n<html lang=\"");
    esc(out, site.lang);
    out.push_str(
        "\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>",
    );
    if title != site.title {
        esc(out, title);
        out.push_str(" · ");
    }
    esc(out, site.title);
    out.push_str("</title>\n");
    if let Some(d) = text(site.description) {
        out.push_str("<meta name=\"description\" content=\"");
        esc(out, d);
        out.push_str("\">");
    }
    out.push_str("\n<link rel=\"stylesheet\" href=\"");
    esc(out, &site.css);
    out.push_str("\">\n<link rel=\"stylesheet\" href=\"");
    esc(out, &site.syntax_css);
    out.push_str("\">\n<link rel=\"icon\" href=\"");
    esc(out, &site.icon);
    out.push_str("\" type=\"image/svg+xml\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
    esc(out, site.title);
    out.push_str("\" href=\"");
    esc(out, &site.feed);
    out.push_str("\">\n\n</head>\n");
}

fn masthead(out: &mut String, site: &SiteView, active: &str) {
    out.push_str("<header class=\"masthead\">\n  <div class=\"wrap masthead-inner\">\n    <a class=\"brand\" href=\"");
    esc(out, &site.home);
    out.push_str("\"><span class=\"brand-mark\" aria-hidden=\"true\"></span>");
    esc(out, site.title);
    out.push_str("</a>\n    <nav aria-label=\"Sections\">\n      <ul>\n      ");
    for item in &site.nav {
        out.push_str("\n        <li><a href=\"");
        esc(out, &item.href);
        out.push('"');
        if item.label.to_lowercase() == active {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        esc(out, &item.label);
        out.push_str("</a></li>\n      ");
    }
    out.push_str("\n      </ul>\n    </nav>\n    <form class=\"search-box\" role=\"search\" action=\"");
    esc(out, &site.search);
    out.push_str("\" method=\"get\" data-root=\"");
    esc(out, &site.root);
    out.push_str(
        "\">\n      <label for=\"search-q\" class=\"visually-hidden\">Search incidents, notes and patterns</label>\n      \
         <input id=\"search-q\" type=\"search\" name=\"q\" placeholder=\"Search\" autocomplete=\"off\" spellcheck=\"false\" aria-keyshortcuts=\"/\">\n      \
         <kbd class=\"search-key\" aria-hidden=\"true\">/</kbd>\n      \
         <div class=\"search-dropdown\" id=\"search-dropdown\" role=\"listbox\" aria-label=\"Search results\" hidden></div>\n      \
         <p class=\"search-status visually-hidden\" role=\"status\" aria-live=\"polite\"></p>\n    \
         </form>\n  </div>\n</header>\n",
    );
}

fn footer(out: &mut String, site: &SiteView, scripts: &str) {
    out.push_str("<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <p>");
    esc(out, site.title);
    if let Some(d) = text(site.description) {
        out.push_str(" · ");
        esc(out, d);
    }
    out.push_str("</p>\n    <p><a href=\"");
    esc(out, &site.feed);
    out.push_str("\">Atom feed</a>");
    if let Some(r) = text(site.repository) {
        out.push_str(" · <a href=\"");
        esc(out, r);
        out.push_str("\">Source repository</a>");
    }
    out.push_str(" · Built with casebook</p>\n  </div>\n</footer>\n<script src=\"");
    esc(out, &site.search_js);
    out.push_str("\" defer></script>\n");
    out.push_str(scripts);
    out.push_str("\n</body>\n</html>\n");
}
