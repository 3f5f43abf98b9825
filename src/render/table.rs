//! The pattern ranking as an aligned plain-text table for the terminal (`casebook patterns`):
//! rank, id, title, incidents, notes, last seen, trend and recurring (`helped` for a protective
//! factor), coloured only when asked.

use crate::analysis::{Analysis, Pattern, Trend};
use crate::model::Library;

/// Titles longer than this many characters are cut with `…`, so rows stay on one line.
const TITLE_WIDTH: usize = 48;

/// The column headings, in order.
const HEADINGS: [&str; 8] = ["rank", "id", "title", "incidents", "notes", "last seen", "trend", "recurring"];

/// Which columns hold numbers (right-aligned).
const NUMERIC: [bool; 8] = [true, false, false, true, true, false, false, false];

/// The ranking of every pattern in at least `min` incidents, one row each, with a heading row;
/// `color` adds ANSI styles (bold heading, recurring rows' trend and flag coloured).
pub fn pattern_table(lib: &Library, an: &Analysis, min: usize, color: bool) -> String {
    let rows: Vec<[String; 8]> = an
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| p.count() >= min)
        .map(|(rank, p)| row(lib, rank + 1, p))
        .collect();
    let mut widths = HEADINGS.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out =
        line(&HEADINGS.map(String::from), &widths, |_, s| paint(s, color.then_some(anstyle::Style::new().bold())));
    for (r, p) in rows.iter().zip(an.patterns.iter().filter(|p| p.count() >= min)) {
        out.push_str(&line(r, &widths, |col, s| match col {
            6 => paint(s, color.then(|| trend_style(p.trend)).flatten()),
            7 if p.protective => paint(s, color.then_some(anstyle::AnsiColor::Green.on_default())),
            7 if p.recurring => paint(s, color.then_some(anstyle::AnsiColor::Yellow.on_default().bold())),
            _ => s.to_string(),
        }));
    }
    out
}

/// One pattern's cells.
fn row(lib: &Library, rank: usize, p: &Pattern) -> [String; 8] {
    let title = lib.factors.all.get(&p.id).map_or(p.id.as_str(), |f| f.title.as_str());
    [
        rank.to_string(),
        p.id.clone(),
        cut(title, TITLE_WIDTH),
        p.count().to_string(),
        p.notes.len().to_string(),
        p.last_seen.map_or_else(|| "-".to_string(), |d| d.to_string()),
        p.trend.as_str().to_string(),
        // A protective factor is something that helped, never recurring trouble (docs/site.md).
        recurring_word(p).to_string(),
    ]
}

/// `helped` for a protective factor, else whether it recurs.
fn recurring_word(p: &Pattern) -> &'static str {
    match (p.protective, p.recurring) {
        (true, _) => "helped",
        (false, true) => "yes",
        (false, false) => "no",
    }
}

/// One line: cells padded to their column's width (numbers on the right), styled by `style`
/// after padding so escape codes never count towards a width; no trailing spaces.
fn line(cells: &[String; 8], widths: &[usize; 8], style: impl Fn(usize, &str) -> String) -> String {
    let mut out = String::new();
    for (col, cell) in cells.iter().enumerate() {
        let pad = widths[col].saturating_sub(cell.chars().count());
        if col > 0 {
            out.push_str("  ");
        }
        if NUMERIC[col] {
            out.push_str(&" ".repeat(pad));
            out.push_str(&style(col, cell));
        } else {
            out.push_str(&style(col, cell));
            if col + 1 < cells.len() {
                out.push_str(&" ".repeat(pad));
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `s` cut to `max` characters, the last one `…`, when it is longer.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// The colour of a trend word: rising and new stand out, falling reads as good news.
fn trend_style(t: Trend) -> Option<anstyle::Style> {
    use anstyle::AnsiColor;
    match t {
        Trend::Rising => Some(AnsiColor::Red.on_default()),
        Trend::New => Some(AnsiColor::Magenta.on_default()),
        Trend::Falling => Some(AnsiColor::Green.on_default()),
        Trend::Steady | Trend::Quiet => None,
    }
}

fn paint(s: &str, style: Option<anstyle::Style>) -> String {
    match style {
        Some(style) if !s.is_empty() => format!("{style}{s}{style:#}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_and_padded() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcdef", 4), "abc…");
        let cells = ["1", "a", "T", "12", "0", "-", "new", "yes"].map(String::from);
        let widths = [4, 3, 5, 9, 5, 9, 5, 9];
        assert_eq!(
            line(&cells, &widths, |_, s| s.to_string()),
            "   1  a    T             12      0  -          new    yes\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        assert_eq!(paint("rising", None), "rising");
        let red = anstyle::AnsiColor::Red.on_default();
        assert_eq!(paint("rising", Some(red)), "\x1b[31mrising\x1b[0m");
        assert_eq!(paint("", Some(red)), "");
    }
}
