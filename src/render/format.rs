//! How numbers, durations and severities are shown: formatting happens here, not in templates.

use std::cmp::Ordering;

/// Minutes as "17 min", "1 h 5 min", "2 d 3 h".
pub fn minutes(m: i64) -> String {
    // Written digit by digit: five figures per incident pass here, and `format!` costs
    // several times the digits.
    let mut out = String::with_capacity(16);
    let mut part = |n: i64, unit: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        push_int(&mut out, n);
        out.push(' ');
        out.push_str(unit);
    };
    if m < 60 {
        part(m, "min");
        return out;
    }
    let (d, h, min) = (m / 1440, m % 1440 / 60, m % 60);
    match (d, h, min) {
        (0, h, 0) => part(h, "h"),
        (0, h, min) => {
            part(h, "h");
            part(min, "min");
        }
        (d, 0, _) => part(d, "d"),
        (d, h, _) => {
            part(d, "d");
            part(h, "h");
        }
    }
    out
}

/// Appends `n` in decimal, as `{n}` prints it.
pub(crate) fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}

/// Appends `n` in decimal, as `{n}` prints it, without the formatting machinery (page tables
/// print several numbers per row).
pub(crate) fn push_uint(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|&d| out.push(char::from(d)));
}

/// A median that may be fractional.
pub fn minutes_f(m: f64) -> String {
    if m.fract() == 0.0 {
        minutes(m as i64)
    } else if m < 60.0 {
        format!("{m:.1} min")
    } else {
        minutes(m.round() as i64)
    }
}

/// Natural order: `SEV2` before `SEV10`.
pub fn natural(a: &str, b: &str) -> Ordering {
    let key = |s: &str| {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let text: String = s.chars().filter(|c| !c.is_ascii_digit()).collect::<String>().to_lowercase();
        (text, digits.parse::<u64>().unwrap_or(u64::MAX))
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// Seconds since the epoch as "2024-03-12 14:02 UTC".
pub fn timestamp(secs: i64) -> String {
    let s = crate::model::date::rfc3339(secs);
    format!("{} {} UTC", &s[..10], &s[11..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        for (m, s) in [(17, "17 min"), (60, "1 h"), (65, "1 h 5 min"), (1440, "1 d"), (1560, "1 d 2 h")] {
            assert_eq!(minutes(m), s);
        }
        assert_eq!(minutes_f(12.5), "12.5 min");
        for m in [i64::MIN, -61, -1, 0, 9, 59, 61, 119, 120, 1439, 1441, 2880, 2941, 100_000, i64::MAX] {
            let (d, h, min) = (m / 1440, m % 1440 / 60, m % 60);
            let want = match (m < 60, d, h, min) {
                (true, ..) => format!("{m} min"),
                (_, 0, h, 0) => format!("{h} h"),
                (_, 0, h, min) => format!("{h} h {min} min"),
                (_, d, 0, _) => format!("{d} d"),
                (_, d, h, _) => format!("{d} d {h} h"),
            };
            assert_eq!(minutes(m), want, "{m}");
        }
        for n in [0, 7, 10, 99, 1000, 4_294_967_296, u64::MAX] {
            let mut out = String::from("x");
            push_uint(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["SEV10", "SEV2", "SEV1"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["SEV1", "SEV2", "SEV10"]);
    }
}
