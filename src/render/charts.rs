//! Charts drawn at build time as inline SVG, each with its numbers in a table beside it, so they
//! work without JavaScript and in print. Colours come from CSS variables (light and dark).

use std::fmt::Write as _;

/// A sparkline of counts: small bars, one per period.
pub fn sparkline(counts: &[usize], label: &str) -> String {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let bar = 4.0;
    let gap = 1.0;
    let height = 20.0;
    let width = (counts.len() as f64 * (bar + gap)).max(bar);
    let mut svg = format!(
        "<svg class=\"spark\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" preserveAspectRatio=\"none\"><title>{}</title>",
        crate::markdown::escape(label),
        crate::markdown::escape(label)
    );
    for (i, c) in counts.iter().enumerate() {
        let h = if *c == 0 { 1.0 } else { (*c as f64 / max as f64 * (height - 2.0)).max(3.0) };
        let class = if *c == 0 { "zero" } else { "bar" };
        let _ = write!(
            svg,
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\"/>",
            i as f64 * (bar + gap),
            height - h
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A labelled bar chart of counts (e.g. occurrences per quarter).
pub fn bars(items: &[(String, usize)], label: &str) -> String {
    let max = items.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    let bar = 22.0;
    let gap = 8.0;
    let plot = 120.0;
    let top = 16.0;
    let bottom = 34.0;
    let width = (items.len() as f64 * (bar + gap) + gap).max(60.0);
    let height = top + plot + bottom;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{0}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{0}</title>",
        crate::markdown::escape(label)
    );
    let _ = write!(svg, "<line class=\"axis\" x1=\"0\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\"/>", top + plot);
    for (i, (name, c)) in items.iter().enumerate() {
        let x = gap + i as f64 * (bar + gap);
        let h = *c as f64 / max as f64 * plot;
        let y = top + plot - h;
        let _ = write!(svg, "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar}\" height=\"{h:.1}\"/>");
        if *c > 0 {
            let _ = write!(
                svg,
                "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{c}</text>",
                x + bar / 2.0,
                y - 3.0
            );
        }
        let (a, b) = name.split_once(' ').unwrap_or((name.as_str(), ""));
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\">{2}</text><text class=\"label\" x=\"{0:.1}\" y=\"{3:.1}\" text-anchor=\"middle\">{4}</text>",
            x + bar / 2.0,
            top + plot + 13.0,
            crate::markdown::escape(a),
            top + plot + 26.0,
            crate::markdown::escape(b)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Every quarter from `first` to `last` inclusive, as (year, quarter).
pub fn quarter_range(first: (i32, u32), last: (i32, u32)) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut q) = first;
    while (y, q) <= last && out.len() < 400 {
        out.push((y, q));
        if q == 4 {
            y += 1;
            q = 1;
        } else {
            q += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_span_years() {
        assert_eq!(quarter_range((2023, 3), (2024, 2)), vec![(2023, 3), (2023, 4), (2024, 1), (2024, 2)]);
    }

    #[test]
    fn labels_are_escaped() {
        assert!(sparkline(&[1, 0, 2], "<x>").contains("&lt;x&gt;"));
        assert!(bars(&[("Q1 2024".into(), 2)], "a").contains(">Q1</text>"));
    }
}
