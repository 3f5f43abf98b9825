//! `incident.html` of the default theme: the header, summary card, contributing factors, body,
//! action items, related incidents, backlinks and source line of one incident page.

use super::action::{action_status, action_title, action_when};
use super::chrome::Frame;
use super::{backlinks, chips, edit_link, esc, joined, num, severity, text};
use crate::render::doc_views::{ActionView, FactorView, IncidentView};
use crate::render::SiteView;
use serde_json::Value;

/// Whether [`incident_page`] prints `v` exactly as Tera would: `source` must be absent or an
/// object (whose printed fields `safe_source` has made text). Tera prints a `source` that is a
/// bare value in its own way, so those pages go to Tera.
pub(in crate::render) fn supports(v: &IncidentView) -> bool {
    matches!(v.source, None | Some(Value::Null) | Some(Value::Object(_)))
}

/// Prints a whole incident page (call only where [`supports`] holds).
pub(in crate::render) fn incident_page(out: &mut String, site: &SiteView, title: &str, v: &IncidentView) {
    let frame = Frame { title, active: "incidents", body_class: "incident-page", scripts: "" };
    super::chrome::page(out, site, &frame, |out| {
        let d = &v.doc;
        out.push_str("\n\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"");
        esc(out, &site.home);
        out.push_str("\">Home</a> / <a href=\"");
        esc(out, site.links.get("incidents").map_or("", |s| s.as_str()));
        out.push_str("\">Incidents</a></nav>\n<article class=\"incident\">\n");
        header(out, v);
        out.push('\n');
        card(out, v);
        out.push_str("\n  ");
        factors(out, &v.factors, &v.unclassified);
        out.push_str("\n\n  <div class=\"prose\">");
        out.push_str(&d.body_html);
        out.push_str("</div>\n\n  ");
        actions(out, &v.actions);
        out.push_str("\n\n  ");
        related(out, v);
        out.push_str("\n\n  ");
        similar(out, v);
        out.push_str("\n\n  ");
        backlinks(out, d);
        out.push_str("\n\n  ");
        source(out, v.source.as_ref());
        out.push_str("\n  ");
        edit_link(out, d);
        out.push_str("\n</article>\n");
    });
}

fn header(out: &mut String, v: &IncidentView) {
    let d = &v.doc;
    out.push_str("  <header class=\"doc-head\">\n    <p class=\"kicker\">\n      ");
    severity(out, v.severity.as_deref(), v.sev_rank);
    out.push_str("\n      ");
    match text(d.date.as_deref()) {
        Some(date) => {
            out.push_str("<time datetime=\"");
            esc(out, date);
            out.push_str("\">");
            esc(out, d.date_human.as_deref().unwrap_or(""));
            out.push_str("</time>");
        }
        None => out.push_str("<span class=\"muted\">Undated</span>"),
    }
    out.push_str("\n      ");
    if d.status != "published" {
        out.push_str("<span class=\"badge status\">");
        esc(out, d.status);
        out.push_str("</span>");
    }
    out.push_str("\n    </p>\n    <h1>");
    esc(out, &d.title);
    out.push_str("</h1>\n    ");
    if let Some(s) = text(d.summary.as_deref()) {
        out.push_str("<p class=\"lead\">");
        esc(out, s);
        out.push_str("</p>");
    }
    out.push_str("\n  </header>\n");
}

fn card(out: &mut String, v: &IncidentView) {
    out.push_str(
        "  <section class=\"card summary-card\" aria-labelledby=\"card-h\">\n    \
         <h2 id=\"card-h\" class=\"visually-hidden\">Summary card</h2>\n    ",
    );
    if !v.figures.is_empty() {
        out.push_str("\n    <ul class=\"figures\" aria-label=\"Response figures\">\n      ");
        for f in &v.figures {
            out.push_str("\n      <li><span class=\"fig-key\"><abbr title=\"");
            esc(out, f.label);
            out.push_str("\">");
            esc(out, f.key);
            out.push_str("</abbr></span><span class=\"fig-value\">");
            esc(out, &f.value);
            out.push_str("</span><span class=\"fig-formula\">");
            esc(out, f.formula);
            out.push_str("</span></li>\n      ");
        }
        out.push_str("\n    </ul>\n    ");
    }
    out.push_str("\n    <dl class=\"facts\">\n      ");
    facts(out, v);
    out.push_str("\n    </dl>\n    ");
    if !v.times.is_empty() {
        out.push_str(
            "\n    <details class=\"times\">\n      <summary>Key moments (UTC)</summary>\n      <table><tbody>\n      ",
        );
        for t in &v.times {
            out.push_str("<tr><th scope=\"row\">");
            esc(out, t.label);
            out.push_str("</th><td><time datetime=\"");
            esc(out, &t.iso);
            out.push_str("\">");
            esc(out, &t.value);
            out.push_str("</time></td></tr>");
        }
        out.push_str("\n      </tbody></table>\n    </details>\n    ");
    }
    out.push_str("\n  </section>\n");
}

/// `<div><dt>LABEL</dt><dd>…</dd></div>` when the value is there.
fn fact(out: &mut String, class: &str, label: &str, value: Option<&str>, pill: bool) {
    let Some(value) = text(value) else { return };
    out.push_str(class);
    out.push_str("<dt>");
    out.push_str(label);
    out.push_str("</dt><dd>");
    if pill {
        out.push_str("<span class=\"pill\">");
        esc(out, value);
        out.push_str("</span>");
    } else {
        esc(out, value);
    }
    out.push_str("</dd></div>");
}

fn chip_fact(out: &mut String, label: &str, class: &str, links: &[crate::render::views::Link]) {
    if links.is_empty() {
        return;
    }
    out.push_str("<div><dt>");
    out.push_str(label);
    out.push_str("</dt><dd>");
    chips(out, class, links);
    out.push_str("</dd></div>");
}

fn facts(out: &mut String, v: &IncidentView) {
    let d = &v.doc;
    chip_fact(out, "Services", "chip", &v.services);
    out.push_str("\n      ");
    chip_fact(out, "Teams", "chip", &v.teams);
    out.push_str("\n      ");
    if let Some(i) = &v.impact {
        out.push_str("\n        ");
        fact(out, "<div>", "Users affected", i.users_affected.as_deref(), false);
        out.push_str("\n        ");
        fact(out, "<div>", "Blast radius", i.blast_radius.as_deref(), true);
        out.push_str("\n        ");
        fact(out, "<div>", "Reversibility", i.reversibility.as_deref(), true);
        out.push_str("\n        ");
        fact(out, "<div>", "Time sensitivity", i.time_sensitivity.as_deref(), true);
        out.push_str("\n      ");
    }
    out.push_str("\n      ");
    if !d.authors.is_empty() {
        out.push_str("<div><dt>Written by</dt><dd>");
        joined(out, &d.authors);
        out.push_str("</dd></div>");
    }
    out.push_str("\n      ");
    chip_fact(out, "Tags", "chip tag", &d.tags);
    out.push_str("\n      ");
    fact(out, "<div class=\"wide\">", "Trigger", v.trigger.as_deref(), false);
    out.push_str("\n      ");
    if let Some(det) = &v.detection {
        out.push_str("<div class=\"wide\"><dt>Detected by</dt><dd>");
        if let Some(m) = text(det.method.as_deref()) {
            out.push_str("<span class=\"pill\">");
            esc(out, m);
            out.push_str("</span>");
        }
        if let Some(n) = text(det.note.as_deref()) {
            out.push(' ');
            esc(out, n);
        }
        out.push_str("</dd></div>");
    }
    out.push_str("\n      ");
    fact(out, "<div class=\"wide\">", "Impact", v.impact.as_ref().and_then(|i| i.summary.as_deref()), false);
}

fn factors(out: &mut String, factors: &[FactorView], unclassified: &[String]) {
    if factors.is_empty() && unclassified.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section class=\"factors\" aria-labelledby=\"factors-h\">\n    \
         <h2 id=\"factors-h\">Contributing factors</h2>\n    <ul class=\"factor-list\">\n    ",
    );
    for f in factors {
        factor(out, f);
    }
    out.push_str("\n    </ul>\n    ");
    if !unclassified.is_empty() {
        out.push_str(
            "\n    <h3 class=\"unclassified-h\">Not yet classified</h3>\n    <ul class=\"unclassified\">\n    ",
        );
        for t in unclassified {
            out.push_str("<li>");
            esc(out, t);
            out.push_str("</li>");
        }
        out.push_str(
            "\n    </ul>\n    <p class=\"muted\">No factor in factors.yaml matches these; a <code>match:</code> \
             phrase there, or <code>casebook patterns --suggest</code>, puts them on pattern pages.</p>\n    ",
        );
    }
    out.push_str("\n  </section>\n  ");
}

fn factor(out: &mut String, f: &FactorView) {
    let role = text(f.role.as_deref());
    out.push_str("\n      <li");
    if let Some(r) = role {
        out.push_str(" class=\"factor-");
        esc(out, r);
        out.push('"');
    }
    out.push_str(">\n        <a class=\"factor-name\" href=\"");
    esc(out, &f.href);
    out.push_str("\">");
    esc(out, &f.title);
    out.push_str("</a>\n        ");
    if let Some(r) = role {
        out.push_str("<span class=\"role role-");
        esc(out, r);
        out.push_str("\">");
        esc(out, r);
        out.push_str("</span>");
    }
    out.push_str("\n        ");
    if f.recurring {
        out.push_str("<span class=\"badge recurring\" title=\"Seen in ");
        num(out, f.count);
        out.push_str(" incidents\">recurring · ");
        num(out, f.count);
        out.push_str(" incidents</span>");
    }
    out.push_str("\n        ");
    if let Some(n) = text(f.note.as_deref()) {
        out.push_str("<p>");
        esc(out, n);
        out.push_str("</p>");
    }
    out.push_str("\n      </li>\n    ");
}

fn actions(out: &mut String, actions: &[ActionView]) {
    if actions.is_empty() {
        return;
    }
    out.push_str(
        "\n  <section aria-labelledby=\"actions-h\">\n    <h2 id=\"actions-h\">Tracked action items</h2>\n    \
         <div class=\"table-wrap\"><table class=\"actions\">\n      <thead><tr><th scope=\"col\">Status</th>\
         <th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Due / done</th>\
         <th scope=\"col\">Addresses</th></tr></thead>\n      <tbody>\n      ",
    );
    for a in actions {
        action(out, a);
    }
    out.push_str("\n      </tbody>\n    </table></div>\n  </section>\n  ");
}

fn action(out: &mut String, a: &ActionView) {
    out.push_str("\n        <tr>\n          <td>");
    action_status(out, a);
    out.push_str("</td>\n          <td>");
    action_title(out, a);
    out.push_str("</td>\n          <td>");
    if let Some(o) = text(a.owner.as_deref()) {
        esc(out, o);
    }
    out.push_str("</td>\n          <td class=\"when\">");
    action_when(out, a);
    out.push_str("</td>\n          <td>");
    chips(out, "chip factor", &a.addresses);
    out.push_str("</td>\n        </tr>\n      ");
}

fn related(out: &mut String, v: &IncidentView) {
    if v.related.is_empty() && v.named_related.is_empty() {
        return;
    }
    out.push_str("\n  <section aria-labelledby=\"related-h\">\n    <h2 id=\"related-h\">Related incidents</h2>\n    ");
    if !v.named_related.is_empty() {
        out.push_str("<p>Named by the authors: ");
        for (i, l) in v.named_related.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            super::link(out, &l.href, &l.label);
        }
        out.push_str("</p>");
    }
    out.push_str("\n    ");
    if !v.related.is_empty() {
        out.push_str(
            "\n    <p class=\"muted\">By the factors they share with this one, a rare factor counting for more than \
             a common one (each shared factor weighs ln(incidents ÷ incidents with it)); ties go to shared \
             services, then the newer incident.</p>\n    <ul class=\"related\">\n      ",
        );
        for r in &v.related {
            out.push_str("\n      <li><a href=\"");
            esc(out, &r.row.href);
            out.push_str("\">");
            esc(out, &r.row.title);
            out.push_str("</a> <span class=\"muted\">");
            if text(r.row.date.as_deref()).is_some() {
                esc(out, r.row.date_human.as_deref().unwrap_or(""));
                out.push_str(" · ");
            }
            num(out, r.shared);
            out.push_str(if r.shared != 1 { " shared factors" } else { " shared factor" });
            out.push_str("</span></li>\n      ");
        }
        out.push_str("\n    </ul>\n    ");
    }
    out.push_str("\n  </section>\n  ");
}

fn similar(out: &mut String, v: &IncidentView) {
    if v.similar.is_empty() && v.problem.is_none() {
        return;
    }
    out.push_str("\n  <section aria-labelledby=\"similar-h\">\n    <h2 id=\"similar-h\">Similar incidents</h2>\n    ");
    if let Some(p) = &v.problem {
        out.push_str("<p class=\"came-back\">This problem came back: <a href=\"");
        esc(out, &p.href);
        out.push_str("\">");
        esc(out, &p.label);
        out.push_str("</a> <span class=\"muted\">");
        num(out, p.count);
        out.push_str(" incidents</span></p>");
    }
    out.push_str("\n    ");
    if !v.similar.is_empty() {
        out.push_str(
            "\n    <p class=\"muted\">By the words they share with this one, words few incidents use counting \
             most.</p>\n    <ul class=\"related similar\">\n      ",
        );
        for s in &v.similar {
            out.push_str("\n      <li><a href=\"");
            esc(out, &s.row.href);
            out.push_str("\">");
            esc(out, &s.row.title);
            out.push_str("</a> <span class=\"muted\">");
            if text(s.row.date.as_deref()).is_some() {
                esc(out, s.row.date_human.as_deref().unwrap_or(""));
                out.push_str(" · ");
            }
            esc(out, &s.words);
            out.push_str("</span></li>\n      ");
        }
        out.push_str("\n    </ul>\n    ");
    }
    out.push_str("\n  </section>\n  ");
}

fn source(out: &mut String, source: Option<&Value>) {
    let Some(Value::Object(map)) = source else { return };
    if map.is_empty() {
        return;
    }
    let field = |k: &str| text(map.get(k).and_then(Value::as_str));
    out.push_str("<p class=\"muted source\">Source: ");
    if let Some(org) = field("organization") {
        esc(out, org);
    }
    if let Some(url) = field("url") {
        out.push_str(" · <a href=\"");
        esc(out, url);
        out.push_str("\">original</a>");
    }
    if let Some(license) = field("license") {
        out.push_str(" · ");
        esc(out, license);
    }
    out.push_str("</p>");
}
