//! The hottest pages printed without Tera: the default theme's `base.html` chrome around
//! `incident.html`, `note.html`, `group.html`, `incidents.html`, `notes.html` and
//! `pattern.html` (with the macros of `macros.html` they call), written as Rust straight into one reused buffer, byte
//! for byte what Tera prints from those templates.
//!
//! Tera looks every `{{ page.x.y }}` up in a `serde_json::Value` built from the view, which cost
//! about a quarter of a build's CPU; here the same view structs are read directly. A theme that
//! overrides `base.html`, `macros.html` or the page's own template gets Tera exactly as before
//! (see [`Native::new`]), and a view this printer does not reproduce exactly (an odd `source`
//! block) goes to Tera too.
//!
//! Tera's rules are mirrored where they matter: `{{ }}` output is escaped with
//! [`crate::markdown::escape_into`] (the function Tera is given), `{% if x %}` is false for a
//! missing value, an empty string and an empty list, and the text between tags is kept as is.
//!
//! Diagnosis: `CASEBOOK_TERA=1` in the environment renders every page with Tera, so a suspected
//! difference can be checked with `diff -r` of the two sites (the test suite does this).

mod action;
mod chrome;
mod group;
mod incident;
mod lists;
mod note;
mod pattern;
mod rows;

use super::Sink;
use anyhow::Result;
use std::cell::RefCell;

pub(super) use group::group_page;
pub(super) use incident::{incident_page, supports as supports_incident};
pub(super) use lists::{incident_list, note_list_page};
pub(super) use note::note_page;
pub(super) use pattern::pattern_page;

/// Which document pages may be printed natively for the loaded theme.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Native {
    /// `incident.html` and what it extends and imports are the embedded defaults.
    pub(super) incident: bool,
    /// `note.html` and what it extends and imports are the embedded defaults.
    pub(super) note: bool,
    /// `group.html` (a service, team or tag) and what it extends and imports are embedded.
    pub(super) group: bool,
    /// `incidents.html` (the incident list) and what it extends and imports are embedded.
    pub(super) incident_list: bool,
    /// `notes.html` (the note list) and what it extends and imports are embedded.
    pub(super) note_list: bool,
    /// `pattern.html` and what it extends and imports are embedded.
    pub(super) pattern: bool,
}

impl Native {
    /// Native printing where the theme leaves the templates involved as embedded, unless
    /// `CASEBOOK_TERA=1` asks for Tera everywhere.
    pub(super) fn new(theme: &crate::theme::Theme) -> Native {
        if crate::switches::Switches::get().tera_everywhere {
            return Native::default();
        }
        let chrome = theme.is_default("base.html") && theme.is_default("macros.html");
        let own = |name: &str| chrome && theme.is_default(name);
        Native {
            incident: own("incident.html"),
            note: own("note.html"),
            group: own("group.html"),
            incident_list: own("incidents.html"),
            note_list: own("notes.html"),
            pattern: own("pattern.html"),
        }
    }
}

thread_local! {
    /// One page buffer per rendering thread, reused from page to page.
    static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Prints one page into this thread's buffer and hands it to `sink` at `file`.
pub(super) fn write_page(sink: &dyn Sink, file: &str, print: impl FnOnce(&mut String)) -> Result<()> {
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            print(&mut buf);
            sink.put(file, buf.as_bytes())
        }
        // Only if a sink rendered a page from inside `put`: a fresh buffer is still right.
        Err(_) => {
            let mut buf = String::new();
            print(&mut buf);
            sink.put(file, buf.as_bytes())
        }
    })
}

/// `{{ s }}` with autoescape on.
fn esc(out: &mut String, s: &str) {
    crate::markdown::escape_into(out, s);
}

/// `{{ n }}` for a count.
fn num(out: &mut String, n: usize) {
    super::format::push_uint(out, n as u64);
}

/// A text that `{% if %}` holds true: present and not empty.
fn text(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// `{% for l in links %}<a class="CLASS" href="{{ l.href }}">{{ l.label }}</a>{% endfor %}`.
fn chips(out: &mut String, class: &str, links: &[super::views::Link]) {
    for l in links {
        out.push_str("<a class=\"");
        out.push_str(class);
        out.push_str("\" href=\"");
        esc(out, &l.href);
        out.push_str("\">");
        esc(out, &l.label);
        out.push_str("</a>");
    }
}

/// `{% if severity %}<span class="sev sev-{{ rank }}">{{ severity }}</span>{% endif %}`: the
/// severity badge of an incident's header and of its rows.
fn severity(out: &mut String, severity: Option<&str>, rank: usize) {
    if let Some(s) = text(severity) {
        out.push_str("<span class=\"sev sev-");
        num(out, rank);
        out.push_str("\">");
        esc(out, s);
        out.push_str("</span>");
    }
}

/// `<a href="{{ href }}">{{ label }}</a>`.
fn link(out: &mut String, href: &str, label: &str) {
    out.push_str("<a href=\"");
    esc(out, href);
    out.push_str("\">");
    esc(out, label);
    out.push_str("</a>");
}

/// `{{ list | join(sep=", ") }}`.
fn joined(out: &mut String, list: &[String]) {
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        esc(out, s);
    }
}

/// The `backlinks` macro of `macros.html`, as `{{ m::backlinks(d=d) }}` prints it.
fn backlinks(out: &mut String, d: &super::doc_views::DocView) {
    out.push('\n');
    if !d.backlinks.is_empty() {
        out.push_str(
            "\n<section aria-labelledby=\"backlinks-h\">\n  <h2 id=\"backlinks-h\">Linked from</h2>\n  <ul class=\"backlinks\">",
        );
        for l in &d.backlinks {
            out.push_str("<li><span class=\"kind\">");
            esc(out, l.kind);
            out.push_str("</span> <a href=\"");
            esc(out, &l.href);
            out.push_str("\">");
            esc(out, &l.label);
            out.push_str("</a></li>");
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push('\n');
}

/// `{% if d.edit_url %}…{% endif %}`, the last line of both document pages.
fn edit_link(out: &mut String, d: &super::doc_views::DocView) {
    if let Some(url) = text(d.edit_url.as_deref()) {
        out.push_str("<p class=\"edit\"><a href=\"");
        esc(out, url);
        out.push_str("\">Edit this page</a></p>");
    }
}

#[cfg(test)]
mod tests {
    use super::Native;
    use crate::theme::Theme;

    fn overriding(name: &str) -> Native {
        let mut theme = Theme::load(None).expect("embedded theme");
        let slot = theme.templates.iter_mut().find(|(n, _)| n == name).expect("template");
        slot.1.push_str("<!-- ours -->");
        Native::new(&theme)
    }

    #[test]
    fn pages_are_native_only_where_their_templates_are_embedded() {
        let all = Native::new(&Theme::load(None).expect("embedded theme"));
        assert!(all.incident && all.note && all.group && all.incident_list && all.note_list && all.pattern);
        let n = overriding("incident.html");
        assert!(!n.incident && n.note);
        let n = overriding("note.html");
        assert!(n.incident && !n.note);
        for shared in ["base.html", "macros.html"] {
            let n = overriding(shared);
            assert!(!n.incident && !n.note && !n.group && !n.incident_list && !n.note_list && !n.pattern, "{shared}");
        }
        let n = overriding("group.html");
        assert!(n.incident && n.note && !n.group);
        let n = overriding("incidents.html");
        assert!(n.incident && !n.incident_list && n.note_list);
        let n = overriding("notes.html");
        assert!(n.incident_list && !n.note_list);
        let n = overriding("pattern.html");
        assert!(n.incident && n.note && n.group && n.incident_list && n.note_list && !n.pattern);
        let n = overriding("home.html");
        assert!(n.incident && n.note && n.group && n.incident_list && n.note_list && n.pattern);
    }
}
