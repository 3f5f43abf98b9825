//! The first page's figures of a pattern (incidents, first and last seen, trend, TTD, impact)
//! and its "came back after a fix" callout, as `pattern.html` prints them.

use crate::render::native::{esc, joined, link, num, text};
use crate::render::pattern_page::{PatternView, Recurrence};

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

/// `<ul class="figures">`: incidents, first and last seen, trend, TTD and impact.
pub(super) fn figures(out: &mut String, v: &PatternView) {
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

/// The "Came back after a fix" callout, when the factor came back after a fix.
pub(super) fn recurrences(out: &mut String, v: &PatternView) {
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
    link(out, &r.fixed_in.href, &r.fixed_in.label);
    out.push_str("), yet the factor appeared again in ");
    link(out, &r.recurred_in.href, &r.recurred_in.label);
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
