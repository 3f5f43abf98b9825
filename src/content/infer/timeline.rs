//! The first timestamp of a timeline (docs/content.md#reading-plain-postmortems): a `YYYY-MM-DD`, optionally followed by a time
//! `HH:MM` on the same line (`2024-03-12 14:02`, `2024-03-12T14:02`, `| 2024-03-12 | 14:02 |`)
//! or at the start of the next line, as the Google SRE template writes its timeline.

/// A timestamp found in a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, when one follows the date.
    pub time: Option<String>,
    /// Index of the line it was found on.
    pub line: usize,
}

/// The first timestamp in `lines`, in order.
pub fn first_stamp(lines: &[&str]) -> Option<Stamp> {
    for (i, line) in lines.iter().enumerate() {
        let Some((date, rest)) = find_date(line) else { continue };
        let time = time_after(rest).or_else(|| lines.get(i + 1).and_then(|next| time_at(next.trim_start())));
        return Some(Stamp { date: date.to_string(), time, line: i });
    }
    None
}

/// The first plausible `YYYY-MM-DD` in `s` (not inside a longer number) and the text after it.
fn find_date(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    for i in 0..b.len().saturating_sub(9) {
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        if !(digits(i..i + 4) && b[i + 4] == b'-' && digits(i + 5..i + 7) && b[i + 7] == b'-' && digits(i + 8..i + 10))
        {
            continue;
        }
        if b.get(i + 10).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let month: u32 = s[i + 5..i + 7].parse().ok()?;
        let day: u32 = s[i + 8..i + 10].parse().ok()?;
        if (1..=12).contains(&month) && (1..=31).contains(&day) {
            return Some((&s[i..i + 10], &s[i + 10..]));
        }
    }
    None
}

/// A time right after a date: separators (` `, `T`, `,`, `|`, `at`, `@`) then `HH:MM`.
fn time_after(rest: &str) -> Option<String> {
    let mut r = rest;
    for _ in 0..4 {
        let t = r.trim_start_matches([' ', 'T', ',', '|', '@', '(', '*', '\t']);
        let t = t.strip_prefix("at ").unwrap_or(t);
        if t.len() == r.len() {
            break;
        }
        r = t;
    }
    time_at(r)
}

/// `HH:MM` at the start of `s` (one-digit hours allowed), not followed by another digit.
fn time_at(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let h_len = if b.get(1) == Some(&b':') { 1 } else { 2 };
    let h: u32 = s.get(..h_len)?.parse().ok()?;
    if b.get(h_len) != Some(&b':') {
        return None;
    }
    let m: u32 = s.get(h_len + 1..h_len + 3)?.parse().ok()?;
    if b.get(h_len + 3).is_some_and(u8::is_ascii_digit) || h > 23 || m > 59 {
        return None;
    }
    Some(format!("{h:02}:{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(lines: &[&str]) -> Option<(String, Option<String>, usize)> {
        first_stamp(lines).map(|s| (s.date, s.time, s.line))
    }

    #[test]
    fn dates_with_and_without_times() {
        let some = |d: &str, t: Option<&str>, l: usize| Some((d.to_string(), t.map(str::to_string), l));
        assert_eq!(stamp(&["Time | Event", "2024-03-12 14:02 | paged"]), some("2024-03-12", Some("14:02"), 1));
        assert_eq!(stamp(&["2024-03-12T09:05:00Z deploy"]), some("2024-03-12", Some("09:05"), 0));
        assert_eq!(stamp(&["2024-03-12 | 9:05 | deploy"]), some("2024-03-12", Some("09:05"), 0));
        assert_eq!(stamp(&["**2015-10-21** at 14:51 reports"]), some("2015-10-21", Some("14:51"), 0));
        assert_eq!(stamp(&["2015-10-21 (all times UTC)", "14:51 News reports"]), some("2015-10-21", Some("14:51"), 0));
        assert_eq!(stamp(&["On 2020-02-03 we deployed", "nothing"]), some("2020-02-03", None, 0));
        assert_eq!(stamp(&["ticket 12024-03-12", "2024-13-01", "14:02 only a time"]), None);
        assert_eq!(stamp(&["2024-03-12 25:61"]), some("2024-03-12", None, 0));
    }
}
