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

/// About how wide a time chart is drawn, in pixels, before it needs to scroll.
const TARGET: f64 = 680.0;

/// One band of a stacked bar chart: its label and CSS class (`band-1` … for severities).
pub struct Band<'a> {
    /// Shown in the legend and the tooltip.
    pub label: &'a str,
    /// CSS class of its rectangles.
    pub class: String,
}

/// Stacked bars, one per period (`labels`), each split into `bands` by `counts[period][band]`.
/// Periods are labelled below where `tick` says so (e.g. every January); the largest total is
/// written on the axis. Each rectangle has a `<title>` with its numbers.
pub fn stacked_bars(
    labels: &[String],
    tick: &[Option<String>],
    bands: &[Band],
    counts: &[Vec<usize>],
    label: &str,
) -> String {
    let max = counts.iter().map(|c| c.iter().sum::<usize>()).max().unwrap_or(0).max(1);
    let (gap, left, top, plot, bottom) = (3.0, 30.0, 12.0, 160.0, 30.0);
    // Bars share a width of about TARGET pixels, within readable bounds.
    let bar = (TARGET / labels.len().max(1) as f64 - gap).clamp(4.0, 28.0).floor();
    let width = left + labels.len() as f64 * (bar + gap) + gap;
    let height = top + plot + bottom;
    let mut svg = open_svg("chart stacked", width, height, label);
    axis_y(&mut svg, left, top, plot, width, max);
    for (k, per_band) in counts.iter().enumerate() {
        let x = left + gap + k as f64 * (bar + gap);
        let mut y = top + plot;
        for (b, &c) in per_band.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let h = c as f64 / max as f64 * plot;
            y -= h;
            let _ = write!(
                svg,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar}\" height=\"{h:.1}\"><title>{}: {c} {}</title></rect>",
                bands[b].class,
                esc(&labels[k]),
                esc(bands[b].label)
            );
        }
        if let Some(Some(t)) = tick.get(k) {
            let _ = write!(
                svg,
                "<line class=\"tick\" x1=\"{x:.1}\" y1=\"{0:.1}\" x2=\"{x:.1}\" y2=\"{1:.1}\"/><text class=\"label\" x=\"{x:.1}\" y=\"{2:.1}\">{3}</text>",
                top + plot,
                top + plot + 5.0,
                top + plot + 17.0,
                esc(t)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A heat map: one row per `rows` (label, counts per column), one column per `columns`, each
/// cell shaded by count ÷ `max` in five steps (`heat-0` for none … `heat-5`) and holding its
/// count. Column labels are shown where `tick` says so.
pub fn heat_map(
    rows: &[(String, Vec<usize>)],
    columns: &[String],
    tick: &[Option<String>],
    max: usize,
    label: &str,
) -> String {
    let (cell, left, top) = (26.0, 210.0, 34.0);
    let width = left + columns.len() as f64 * cell + 2.0;
    let height = top + rows.len() as f64 * cell + 4.0;
    let mut svg = open_svg("chart heat", width, height, label);
    for (k, t) in tick.iter().enumerate() {
        if let Some(t) = t {
            let (a, b) = t.split_once(' ').unwrap_or((t.as_str(), ""));
            let x = left + k as f64 * cell + cell / 2.0;
            let _ = write!(
                svg,
                "<text class=\"label\" x=\"{x:.1}\" y=\"12\" text-anchor=\"middle\">{}</text><text class=\"label\" x=\"{x:.1}\" y=\"26\" text-anchor=\"middle\">{}</text>",
                esc(a),
                esc(b)
            );
        }
    }
    for (r, (name, counts)) in rows.iter().enumerate() {
        let y = top + r as f64 * cell;
        let _ = write!(
            svg,
            "<text class=\"row-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + cell / 2.0 + 4.0,
            esc(&cut(name, 32))
        );
        for (k, &c) in counts.iter().enumerate() {
            let x = left + k as f64 * cell;
            let step = shade(c, max);
            let _ = write!(
                svg,
                "<rect class=\"heat-{step}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{0:.1}\" height=\"{0:.1}\"><title>{1}, {2}: {c}</title></rect>",
                cell - 2.0,
                esc(name),
                esc(&columns[k])
            );
            if c > 0 {
                let _ = write!(
                    svg,
                    "<text class=\"cell heat-text-{step}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{c}</text>",
                    x + (cell - 2.0) / 2.0,
                    y + cell / 2.0 + 3.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The shade step of a heat-map cell: 0 for none, else ⌈5 × count ÷ max⌉ (1–5).
pub fn shade(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (count * 5).div_ceil(max).clamp(1, 5)
    }
}

/// Paired bars per period: the median (solid) and the p90 (light) of a duration in minutes,
/// `None` where the period has no value. The largest p90 is written on the axis.
pub fn median_p90(
    labels: &[String],
    tick: &[Option<String>],
    values: &[(Option<f64>, Option<i64>)],
    label: &str,
) -> String {
    let max = values.iter().filter_map(|v| v.1).max().unwrap_or(0).max(1) as f64;
    let (gap, left, top, plot, bottom) = (6.0, 70.0, 12.0, 120.0, 30.0);
    let bar = ((TARGET / 2.0 / labels.len().max(1) as f64 - gap) / 2.0).clamp(3.0, 14.0).floor();
    let width = left + labels.len() as f64 * (2.0 * bar + gap) + gap;
    let height = top + plot + bottom;
    let mut svg = open_svg("chart durations", width, height, label);
    let _ = write!(
        svg,
        "<text class=\"label\" x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"end\">{2}</text><text class=\"label\" x=\"{0:.1}\" y=\"{3:.1}\" text-anchor=\"end\">0</text>",
        left - 4.0,
        top + 8.0,
        esc(&super::format::minutes(max as i64)),
        top + plot
    );
    let _ = write!(svg, "<line class=\"axis\" x1=\"{left}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\"/>", top + plot);
    for (k, (median, p90)) in values.iter().enumerate() {
        let x = left + gap + k as f64 * (2.0 * bar + gap);
        for (dx, v, class, what) in [(0.0, *median, "median", "median"), (bar, p90.map(|p| p as f64), "p90", "p90")] {
            let Some(v) = v else { continue };
            let h = (v / max * plot).max(1.0);
            let _ = write!(
                svg,
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\"><title>{}: {what} {}</title></rect>",
                x + dx,
                top + plot - h,
                esc(&labels[k]),
                esc(&super::format::minutes_f(v))
            );
        }
        if let Some(Some(t)) = tick.get(k) {
            let _ = write!(svg, "<text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\">{}</text>", top + plot + 17.0, esc(t));
        }
    }
    svg.push_str("</svg>");
    svg
}

fn open_svg(class: &str, width: f64, height: f64, label: &str) -> String {
    format!(
        "<svg class=\"{class}\" role=\"img\" aria-label=\"{0}\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\"><title>{0}</title>",
        esc(label)
    )
}

/// The y axis of a count chart: a baseline, and the largest value and 0 on the left.
fn axis_y(svg: &mut String, left: f64, top: f64, plot: f64, width: f64, max: usize) {
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{0}\" x2=\"{width:.1}\" y2=\"{0}\"/><line class=\"grid\" x1=\"{left}\" y1=\"{top}\" x2=\"{width:.1}\" y2=\"{top}\"/><text class=\"label\" x=\"{1:.1}\" y=\"{2:.1}\" text-anchor=\"end\">{max}</text><text class=\"label\" x=\"{1:.1}\" y=\"{0:.1}\" text-anchor=\"end\">0</text>",
        top + plot,
        left - 4.0,
        top + 4.0
    );
}

fn esc(s: &str) -> String {
    crate::markdown::escape(s)
}

/// `s` cut to `max` characters, the last one `…`.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_span_years() {
        assert_eq!(quarter_range((2023, 3), (2024, 2)), vec![(2023, 3), (2023, 4), (2024, 1), (2024, 2)]);
    }

    #[test]
    fn heat_shades_in_five_steps() {
        // (count, max, step)
        for (c, max, want) in [(0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (10, 10, 5), (5, 0, 0), (1, 1, 5)] {
            assert_eq!(shade(c, max), want, "{c}/{max}");
        }
    }

    #[test]
    fn new_charts_escape_and_title_their_parts() {
        let bands = [Band { label: "<b>", class: "band-1".into() }];
        let svg = stacked_bars(&["Jan 2024".into()], &[Some("2024".into())], &bands, &[vec![2]], "a&b");
        assert!(
            svg.contains("aria-label=\"a&amp;b\"") && svg.contains("<title>Jan 2024: 2 &lt;b&gt;</title>"),
            "{svg}"
        );
        let svg = heat_map(&[("<x>".into(), vec![0, 3])], &["Q1 2024".into(), "Q2 2024".into()], &[None, None], 3, "h");
        assert!(
            svg.contains("&lt;x&gt;, Q2 2024: 3")
                && svg.contains("class=\"heat-5\"")
                && svg.contains("class=\"heat-0\""),
            "{svg}"
        );
        let svg = median_p90(&["Q1 2024".into()], &[None], &[(Some(7.5), Some(20))], "d");
        assert!(svg.contains("median 7.5 min") && svg.contains("p90 20 min"), "{svg}");
    }

    #[test]
    fn labels_are_escaped() {
        assert!(sparkline(&[1, 0, 2], "<x>").contains("&lt;x&gt;"));
        assert!(bars(&[("Q1 2024".into(), 2)], "a").contains(">Q1</text>"));
    }
}
