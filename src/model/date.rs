//! Calendar dates and timestamps: `YYYY-MM-DD`, and RFC 3339-like timestamps turned into seconds
//! since the epoch (UTC), in the library's time zone (jiff's, daylight saving included) when
//! they are written without an offset.

pub use crate::content::infer::{whole_minutes, DurationError, MAX_MINUTES};
use serde::Serialize;
use std::fmt;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date of a day count since 1970-01-01.
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// "12 Mar 2024".
    pub fn human(self) -> String {
        format!("{} {} {}", self.day, MONTHS[(self.month - 1) as usize], self.year)
    }

    /// "Mar 2024".
    pub fn month_name(self) -> String {
        format!("{} {}", MONTHS[(self.month - 1) as usize], self.year)
    }

    /// Calendar quarter, 1–4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// The same day `n` months earlier (clamped to the month's length).
    pub fn months_before(self, n: u32) -> Date {
        let total = self.year * 12 + self.month as i32 - 1 - n as i32;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Reads the `YYYY-MM-DD` that starts `s`; what follows (a time) must be separated by `T` or a
/// space. The day is the one written, whatever the offset.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    let mut parts = head.split('-');
    let (y, m, d) = (digits(parts.next()?, 4)?, digits(parts.next()?, 2)?, digits(parts.next()?, 2)?);
    let date = Date::new(y as i32, m, d)?;
    if !rest.is_empty() {
        parse_timestamp(s, &jiff::tz::TimeZone::UTC)?;
    }
    Some(date)
}

/// Reads a timestamp (`2024-03-12T14:02:00Z`, `2024-03-12 14:02`, `...-05:00`, or a bare date
/// meaning midnight) as seconds since the epoch in UTC. `zone` applies when no offset is written:
/// its offset at that moment (daylight saving included); a local time that occurs twice takes
/// the earlier offset, and one that does not exist is moved forward by the gap.
pub fn parse_timestamp(s: &str, zone: &jiff::tz::TimeZone) -> Option<i64> {
    let s = s.trim();
    let date_part = s.get(..10)?;
    let mut parts = date_part.split('-');
    let (y, m, d) = (digits(parts.next()?, 4)?, digits(parts.next()?, 2)?, digits(parts.next()?, 2)?);
    let date = Date::new(y as i32, m, d)?;
    let rest = &s[10..];
    if rest.is_empty() {
        return in_zone(date, 0, 0, 0, zone);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (time, offset) = split_offset(rest)?;
    let mut t = time.split(':');
    let h = digits(t.next()?, 2)?;
    let min = digits(t.next()?, 2)?;
    let sec = match t.next() {
        Some(sec) => digits(sec.split('.').next()?, 2)?,
        None => 0,
    };
    if t.next().is_some() || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    match offset {
        Some(offset) => Some(date.days() * 86_400 + i64::from(h * 3600 + min * 60 + sec) - i64::from(offset) * 60),
        None => in_zone(date, h, min, sec, zone),
    }
}

/// A local time in `zone` as seconds since the epoch, by jiff's "compatible" rule (the earlier
/// offset for a time that occurs twice, moved forward by the gap for one that does not exist).
/// A leap second (`:60`) is the second after `:59`.
fn in_zone(date: Date, h: u32, min: u32, sec: u32, zone: &jiff::tz::TimeZone) -> Option<i64> {
    let civil = jiff::civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(h).ok()?,
        i8::try_from(min).ok()?,
        i8::try_from(sec.min(59)).ok()?,
        0,
    )
    .ok()?;
    let instant = zone.to_ambiguous_timestamp(civil).compatible().ok()?;
    Some(instant.as_second() + i64::from(sec.saturating_sub(59)))
}

/// Splits `14:02:00Z` / `14:02:00-05:00` / `14:02` into the time and an offset in minutes.
fn split_offset(s: &str) -> Option<(&str, Option<i32>)> {
    let s = s.trim();
    if let Some(t) = s.strip_suffix(['Z', 'z']) {
        return Some((t.trim(), Some(0)));
    }
    if let Some(i) = s.rfind(['+', '-']) {
        let off = s[i + 1..].replace(':', "");
        let sign = if &s[i..=i] == "-" { -1 } else { 1 };
        let h = digits(off.get(..2)?, 2)? as i32;
        let m = if off.len() == 4 {
            digits(&off[2..], 2)? as i32
        } else if off.len() == 2 {
            0
        } else {
            return None;
        };
        return Some((s[..i].trim(), Some(sign * (h * 60 + m))));
    }
    Some((s, None))
}

/// Formats seconds since the epoch as RFC 3339 in UTC.
pub fn rfc3339(secs: i64) -> String {
    let date = Date::from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    if !(0..=9999).contains(&date.year) {
        return format!("{date}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60);
    }
    // Digit by digit: every timestamp of every page and data file passes here.
    let mut out = String::with_capacity(20);
    let year = i64::from(date.year);
    for n in [year / 100, year % 100] {
        push_two(&mut out, n);
    }
    let parts = [
        ('-', i64::from(date.month)),
        ('-', i64::from(date.day)),
        ('T', rem / 3600),
        (':', rem % 3600 / 60),
        (':', rem % 60),
    ];
    for (sep, n) in parts {
        out.push(sep);
        push_two(&mut out, n);
    }
    out.push('Z');
    out
}

/// Appends `n` (0–99) as two digits.
fn push_two(out: &mut String, n: i64) {
    for d in [n / 10, n % 10] {
        out.push(char::from(b'0' + d.clamp(0, 9) as u8));
    }
}

/// A duration: `17m`, `1h 5m`, `66 minutes`, `2 hours`, `PT1H5M`, `1d 2h`, or a bare number of
/// minutes → whole minutes; a duration of more than [`MAX_MINUTES`] is
/// [`DurationError::TooLarge`], never a wrapped or saturated value.
pub fn parse_duration(s: &str) -> Result<i64, DurationError> {
    use DurationError::Unreadable;
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        // Past `i64` it is still a number, and too large.
        return s.parse::<i64>().map_or(Err(DurationError::TooLarge), |n| whole_minutes(n as f64).map(|_| n));
    }
    if let Some(iso) = s.strip_prefix("PT").or_else(|| s.strip_prefix("pt")) {
        return iso_duration(iso);
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut unit = String::new();
    let mut any = false;
    let flush = |num: &mut String, unit: &mut String, total: &mut f64| -> Option<()> {
        if num.is_empty() {
            return if unit.is_empty() { Some(()) } else { None };
        }
        let n: f64 = num.parse().ok()?;
        let per = match unit.trim_end_matches('.').to_lowercase().as_str() {
            "" | "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "d" | "day" | "days" => 1440.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 60.0,
            _ => return None,
        };
        *total += n * per;
        num.clear();
        unit.clear();
        Some(())
    };
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            if !unit.is_empty() {
                flush(&mut num, &mut unit, &mut total).ok_or(Unreadable)?;
            }
            num.push(c);
            any = true;
        } else if c.is_alphabetic() {
            unit.push(c);
        } else if c.is_whitespace() || c == ',' {
            continue;
        } else {
            return Err(Unreadable);
        }
    }
    flush(&mut num, &mut unit, &mut total).ok_or(Unreadable)?;
    if !any {
        return Err(Unreadable);
    }
    whole_minutes(total)
}

fn iso_duration(s: &str) -> Result<i64, DurationError> {
    let mut total = 0f64;
    let mut num = String::new();
    for c in s.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'h' | 'M' | 'm' | 'S' | 's' => {
                let n: f64 = num.parse().map_err(|_| DurationError::Unreadable)?;
                num.clear();
                total += n * match c.to_ascii_uppercase() {
                    'H' => 60.0,
                    'M' => 1.0,
                    _ => 1.0 / 60.0,
                };
            }
            _ => return Err(DurationError::Unreadable),
        }
    }
    if !num.is_empty() {
        return Err(DurationError::Unreadable);
    }
    whole_minutes(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_day_as_written() {
        assert_eq!(parse_date("2024-03-12").map(|d| d.to_string()).as_deref(), Some("2024-03-12"));
        assert_eq!(parse_date("2015-09-30 22:00:00").map(|d| d.to_string()).as_deref(), Some("2015-09-30"));
        assert_eq!(parse_date("2024-03-12T23:30:00-05:00").map(|d| d.to_string()).as_deref(), Some("2024-03-12"));
        for bad in ["2024-02-30", "2024-13-01", "12/03/2024", "2024-03-12x", "2024-03-12T25:00"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_counts_round_trip() {
        for d in [
            Date { year: 1970, month: 1, day: 1 },
            Date { year: 2024, month: 2, day: 29 },
            Date { year: 1999, month: 12, day: 31 },
        ] {
            assert_eq!(Date::from_days(d.days()), d);
        }
        assert_eq!(Date { year: 1970, month: 1, day: 2 }.days(), 1);
    }

    /// A fixed offset of `minutes` east of UTC.
    fn fixed(minutes: i32) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(minutes * 60).expect("an offset in range"))
    }

    fn zone(name: &str) -> jiff::tz::TimeZone {
        crate::config::parse_timezone(name).unwrap_or_else(|| panic!("{name}"))
    }

    #[test]
    fn timestamps_in_utc() {
        let a = parse_timestamp("2024-03-12T14:02:00Z", &zone("UTC")).expect("valid");
        let b = parse_timestamp("2024-03-12T09:02:00-05:00", &zone("+03:00")).expect("valid");
        let c = parse_timestamp("2024-03-12 15:02", &zone("+01:00")).expect("valid");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(rfc3339(a), "2024-03-12T14:02:00Z");
        assert_eq!(parse_timestamp("2024-03-12T23:59:60Z", &zone("UTC")), Some(a + 9 * 3600 + 57 * 60 + 60));
    }

    #[test]
    fn timestamps_without_an_offset_take_the_zone_of_their_own_day() {
        let utc = |s: &str, z: &str| parse_timestamp(s, &zone(z)).map(rfc3339);
        // Copenhagen is CET (+01:00) in winter and CEST (+02:00) in summer.
        assert_eq!(utc("2024-01-15 10:00", "Europe/Copenhagen").as_deref(), Some("2024-01-15T09:00:00Z"));
        assert_eq!(utc("2024-07-15 10:00", "Europe/Copenhagen").as_deref(), Some("2024-07-15T08:00:00Z"));
        assert_eq!(utc("2024-07-15", "Europe/Copenhagen").as_deref(), Some("2024-07-14T22:00:00Z"));
        // An offset written wins over the zone.
        assert_eq!(utc("2024-07-15T10:00:00Z", "Europe/Copenhagen").as_deref(), Some("2024-07-15T10:00:00Z"));
        // 2024-10-27 02:30 happens twice in Copenhagen: the earlier (summer) offset is taken.
        assert_eq!(utc("2024-10-27 02:30", "Europe/Copenhagen").as_deref(), Some("2024-10-27T00:30:00Z"));
        // 2024-03-31 02:30 does not exist there: it is moved forward by the hour's gap.
        assert_eq!(utc("2024-03-31 02:30", "Europe/Copenhagen").as_deref(), Some("2024-03-31T01:30:00Z"));
        // An impact across the spring change lasts the hour less that the clocks skipped.
        let start = parse_timestamp("2024-03-31 01:00", &zone("Europe/Copenhagen")).expect("valid");
        let end = parse_timestamp("2024-03-31 04:00", &zone("Europe/Copenhagen")).expect("valid");
        assert_eq!((end - start) / 60, 120);
    }

    #[test]
    fn rfc3339_writes_what_format_writes() {
        let slow = |secs: i64| {
            let date = Date::from_days(secs.div_euclid(86_400));
            let rem = secs.rem_euclid(86_400);
            format!("{date}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
        };
        let days = 86_400i64;
        for secs in [0, 1, 59, 3599, days - 1, -1, -days, 951_782_400, 1_710_252_120, 253_402_300_799, 253_402_300_800]
            .into_iter()
            .chain((0..2000).map(|k| k * 7_919_993 - 62_167_219_200))
        {
            assert_eq!(rfc3339(secs), slow(secs), "{secs}");
        }
    }

    #[test]
    fn durations() {
        for (s, m) in
            [("17m", 17), ("1h 5m", 65), ("66 minutes", 66), ("PT1H5M", 65), ("2 hours", 120), ("90", 90), ("1d", 1440)]
        {
            assert_eq!(parse_duration(s), Ok(m), "{s}");
        }
        assert_eq!(parse_duration("soon"), Err(DurationError::Unreadable));
        for big in ["99999999999999999999", "9007199254740992", "999999999999999999999 hours", "PT1e3H"] {
            let want = if big.contains('e') { DurationError::Unreadable } else { DurationError::TooLarge };
            assert_eq!(parse_duration(big), Err(want), "{big}");
        }
        assert_eq!(parse_duration("9007199254740991"), Ok(MAX_MINUTES));
    }

    #[test]
    fn months_before_clamps() {
        let d = Date { year: 2024, month: 3, day: 31 };
        assert_eq!(d.months_before(1), Date { year: 2024, month: 2, day: 29 });
        assert_eq!(d.months_before(12), Date { year: 2023, month: 3, day: 31 });
    }

    /// A valid date of years 0000 to 9999.
    fn any_date() -> impl proptest::strategy::Strategy<Value = Date> {
        use proptest::strategy::Strategy;
        (0i32..=9999, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| Date {
            year: y,
            month: m,
            day: d.min(days_in_month(y, m)),
        })
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// No text makes a reader of dates, times or durations panic.
        #[test]
        fn any_text_reads_without_a_panic(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]?[0-9:.+Zz -]{0,14}|\\PC{0,30}", offset in -900i32..900) {
            if let Some(d) = parse_date(&text) {
                proptest::prop_assert!(Date::new(d.year, d.month, d.day).is_some());
            }
            let _ = parse_timestamp(&text, &fixed(offset));
            let _ = parse_timestamp(&text, &zone("Europe/Copenhagen"));
            if let Ok(m) = parse_duration(&text) {
                proptest::prop_assert!((0..=MAX_MINUTES).contains(&m));
            }
        }

        /// A date written out reads back, and its day count is its own.
        #[test]
        fn dates_round_trip(d in any_date()) {
            proptest::prop_assert_eq!(parse_date(&d.to_string()), Some(d));
            proptest::prop_assert_eq!(Date::from_days(d.days()), d);
            proptest::prop_assert_eq!(Date::from_days(d.days() + 1).days(), d.days() + 1);
        }

        /// A timestamp written by `rfc3339` reads back; one written with an offset is that
        /// much earlier in UTC.
        #[test]
        fn timestamps_round_trip(d in any_date(), secs in 0i64..86_400, offset in -(14 * 60)..=(14 * 60i32)) {
            let t = d.days() * 86_400 + secs;
            proptest::prop_assert_eq!(parse_timestamp(&rfc3339(t), &fixed(0)), Some(t));
            let sign = if offset < 0 { '-' } else { '+' };
            let local = format!("{}{sign}{:02}:{:02}", &rfc3339(t)[..19], offset.abs() / 60, offset.abs() % 60);
            proptest::prop_assert_eq!(parse_timestamp(&local, &fixed(0)), Some(t - i64::from(offset) * 60));
            proptest::prop_assert_eq!(parse_timestamp(&rfc3339(t)[..19], &fixed(offset)), Some(t - i64::from(offset) * 60));
            proptest::prop_assert_eq!(parse_date(&local), Some(d));
        }

        /// Durations in the shapes both readers take read the same in front matter as in a
        /// body, and a bare number of minutes reads back.
        #[test]
        fn front_matter_and_body_read_durations_alike(parts in proptest::collection::vec((0u32..10_000, 0usize..6), 1..4), m in 0..=MAX_MINUTES) {
            let units = ["m", "min", "minutes", "h", "hours", "days"];
            let text: Vec<String> = parts.iter().map(|(n, u)| format!("{n} {}", units[*u])).collect();
            let text = text.join(" ");
            proptest::prop_assert_eq!(parse_duration(&text), crate::content::infer::parse_minutes(&text), "{}", text);
            proptest::prop_assert_eq!(parse_duration(&m.to_string()), Ok(m));
            proptest::prop_assert_eq!(parse_duration(&(i128::from(m) + i128::from(MAX_MINUTES) + 1).to_string()), Err(DurationError::TooLarge));
        }
    }
}
