//! The cells of an action item that the incident and the pattern page print alike: its status
//! pill, its (linked) title and when it is due or was done.

use super::{esc, text};
use crate::render::doc_views::ActionView;

/// An action's status pill, as both the incident and the pattern page show it.
pub(super) fn action_status(out: &mut String, a: &ActionView) {
    out.push_str("<span class=\"status status-");
    esc(out, &a.status);
    out.push_str("\">");
    if a.status == "wont-do" {
        out.push_str("won’t do");
    } else {
        esc(out, &a.status.replace('-', " "));
    }
    out.push_str("</span>");
}

/// An action's title, linked when it has a link.
pub(super) fn action_title(out: &mut String, a: &ActionView) {
    match text(a.link.as_deref()) {
        Some(href) => super::link(out, href, &a.title),
        None => esc(out, &a.title),
    }
}

/// "done DATE" or "due DATE".
pub(super) fn action_when(out: &mut String, a: &ActionView) {
    if let Some(done) = text(a.done.as_deref()) {
        out.push_str("done ");
        esc(out, done);
    } else if let Some(due) = text(a.due.as_deref()) {
        out.push_str("due ");
        esc(out, due);
    }
}
