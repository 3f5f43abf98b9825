//! Durations as people write them in postmortems: `31 minutes`, `54 hours 10 minutes`,
//! `20 hours 20 minutes.`, `279 minutes [^3]`, `1h 5m`, `about 2 hours`, `1:05`, `PT1H5M`.

/// The most minutes a duration may hold: the largest whole number a double (and so the
/// JavaScript that reads the JSON export) holds exactly, about 17 billion years. A larger
/// number is a mistake to report, never a value to wrap or cut to fit.
pub const MAX_MINUTES: i64 = (1 << 53) - 1;

/// Why a text gives no duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// It is not written as a duration.
    Unreadable,
    /// It is one, of more than [`MAX_MINUTES`].
    TooLarge,
}

/// A total in minutes, rounded down, when it fits.
pub fn whole_minutes(total: f64) -> Result<i64, DurationError> {
    // NaN is no duration either.
    if total.is_nan() || total < 0.0 {
        return Err(DurationError::Unreadable);
    }
    // Compared as a double: `MAX_MINUTES` is exact in one, and anything beyond it is too large.
    if total.floor() > MAX_MINUTES as f64 {
        return Err(DurationError::TooLarge);
    }
    Ok(total.floor() as i64)
}

/// A number written with digits and at most one dot (no sign, exponent, `inf` or `NaN`,
/// which `f64::from_str` would take).
fn number(s: &str) -> Option<f64> {
    let plain = s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    plain.then(|| s.parse().ok()).flatten()
}

/// Minutes in `text`, rounded down.
pub fn parse_minutes(text: &str) -> Result<i64, DurationError> {
    use DurationError::Unreadable;
    let s = clean(text);
    if s.is_empty() {
        return Err(Unreadable);
    }
    if let Some(rest) = s.strip_prefix("pt") {
        return iso(rest);
    }
    if let Some((h, m)) = s.split_once(':') {
        let (h, m) = (number(h.trim()).ok_or(Unreadable)?, number(m.trim()).ok_or(Unreadable)?);
        if h.fract() != 0.0 || m.fract() != 0.0 || m >= 60.0 {
            return Err(Unreadable);
        }
        return whole_minutes(h * 60.0 + m);
    }
    let mut total = 0f64;
    let mut tokens = tokens(&s).into_iter().peekable();
    let mut any = false;
    while let Some(tok) = tokens.next() {
        let Some(n) = number(&tok) else {
            if tok == "and" || tok == "," {
                continue;
            }
            return Err(Unreadable);
        };
        let unit = match tokens.peek() {
            Some(u) if number(u).is_none() && u != "and" && u != "," => tokens.next().unwrap_or_default(),
            _ => String::new(),
        };
        total += n * unit_minutes(&unit).ok_or(Unreadable)?;
        any = true;
    }
    if !any {
        return Err(Unreadable);
    }
    whole_minutes(total)
}

/// Lower-cased, footnote references, parentheses, approximations and trailing dots removed.
fn clean(text: &str) -> String {
    let mut s = text.to_lowercase();
    while let Some(start) = s.find("[^") {
        let end = s[start..].find(']').map_or(s.len(), |e| start + e + 1);
        s.replace_range(start..end, "");
    }
    if let Some(start) = s.find('(') {
        s.truncate(start);
    }
    let mut s = s.trim().trim_end_matches(['.', ';', ',']).trim().to_string();
    for prefix in
        ["approximately ", "approx. ", "approx ", "about ", "around ", "roughly ", "~", "≈", "over ", "almost "]
    {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim().to_string();
        }
    }
    s
}

/// Splits `1h5m` and `54 hours, 10 minutes` into numbers, units and commas.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    for c in s.chars() {
        let is_num = c.is_ascii_digit() || (c == '.' && digits);
        if c.is_whitespace() || c == ',' || (!cur.is_empty() && is_num != digits) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == ',' {
                out.push(",".into());
            }
            if c.is_whitespace() || c == ',' {
                continue;
            }
        }
        digits = is_num;
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unit_minutes(unit: &str) -> Option<f64> {
    Some(match unit.trim_end_matches('.') {
        "" | "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
        "d" | "day" | "days" => 1440.0,
        "w" | "wk" | "week" | "weeks" => 10080.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 60.0,
        _ => return None,
    })
}

fn iso(s: &str) -> Result<i64, DurationError> {
    let mut total = 0f64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n = number(&num).ok_or(DurationError::Unreadable)?;
        num.clear();
        total += n * match c {
            'h' => 60.0,
            'm' => 1.0,
            's' => 1.0 / 60.0,
            _ => return Err(DurationError::Unreadable),
        };
    }
    if !num.is_empty() {
        return Err(DurationError::Unreadable);
    }
    whole_minutes(total)
}

#[cfg(test)]
mod tests {
    use super::{parse_minutes, DurationError, MAX_MINUTES};

    #[test]
    fn durations_in_the_shapes_people_write() {
        for (text, minutes) in [
            ("31 minutes", Some(31)),
            ("54 hours 10 minutes", Some(3250)),
            ("20 hours 20 minutes.", Some(1220)),
            ("279 minutes [^3]", Some(279)),
            ("1h 5m", Some(65)),
            ("1h5m", Some(65)),
            ("2 hours and 5 minutes", Some(125)),
            ("54 hours, 10 minutes", Some(3250)),
            ("about 2 hours", Some(120)),
            ("~45 min (from the first page)", Some(45)),
            ("1.5 hours", Some(90)),
            ("2 days", Some(2880)),
            ("90", Some(90)),
            ("1:05", Some(65)),
            ("PT1H5M", Some(65)),
            ("90 seconds", Some(1)),
            ("a while", None),
            ("soon", None),
            ("", None),
            ("5 parsecs", None),
            ("1:75", None),
        ] {
            assert_eq!(parse_minutes(text).ok(), minutes, "{text}");
        }
    }

    #[test]
    fn numbers_too_large_are_told_apart_and_never_wrap() {
        let over = format!("{} minutes", MAX_MINUTES + 1);
        let nines = "9".repeat(400);
        for (text, want) in [
            ("999999999999999999999 hours", DurationError::TooLarge),
            ("PT99999999999999999999H", DurationError::TooLarge),
            ("9223372036854775807:00", DurationError::TooLarge),
            (over.as_str(), DurationError::TooLarge),
            (nines.as_str(), DurationError::TooLarge),
            ("1e400 minutes", DurationError::Unreadable),
        ] {
            assert_eq!(parse_minutes(text), Err(want), "{text}");
        }
        assert_eq!(parse_minutes(&format!("{MAX_MINUTES} minutes")), Ok(MAX_MINUTES));
    }

    #[test]
    fn words_a_float_parser_takes_are_no_numbers() {
        for text in ["inf hours", "NaN minutes", "infinity", "-1:05", "+5 minutes", "1:-5", "1.5:00"] {
            assert_eq!(parse_minutes(text), Err(DurationError::Unreadable), "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Any text gives minutes in range or an error, without a panic or a wrapped value.
        #[test]
        fn any_text_gives_minutes_in_range_or_an_error(text in "[0-9a-zPT .,:~()\\[\\]^-]{0,40}|\\PC{0,40}") {
            if let Ok(m) = parse_minutes(&text) {
                proptest::prop_assert!((0..=MAX_MINUTES).contains(&m), "{text:?} gave {m}");
            }
        }

        /// Minutes written in each shape read back as themselves.
        #[test]
        fn written_minutes_read_back(m in 0..=MAX_MINUTES, small in 0i64..100_000) {
            let (h, rest) = (small / 60, small % 60);
            for (text, want) in [
                (format!("{m} minutes"), m),
                (format!("{m}"), m),
                (format!("about {m} min."), m),
                (format!("{h}h {rest}m"), small),
                (format!("{h} hours and {rest} minutes"), small),
                (format!("{h}:{rest:02}"), small),
                (format!("PT{h}H{rest}M"), small),
            ] {
                proptest::prop_assert_eq!(parse_minutes(&text), Ok(want), "{}", text);
            }
        }

        /// A number of minutes past the limit, in any shape, is too large, never cut to fit.
        #[test]
        fn past_the_limit_is_too_large(extra in 1u128..u128::MAX / 1_000_000, unit in 0usize..4) {
            let n = MAX_MINUTES as u128 + extra;
            let text = [format!("{n} minutes"), format!("{n} hours"), format!("PT{n}M"), format!("{n}:00")][unit].clone();
            proptest::prop_assert_eq!(parse_minutes(&text), Err(DurationError::TooLarge), "{}", text);
        }
    }
}
