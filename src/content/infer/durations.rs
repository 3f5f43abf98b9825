//! Durations as people write them in postmortems: `31 minutes`, `54 hours 10 minutes`,
//! `20 hours 20 minutes.`, `279 minutes [^3]`, `1h 5m`, `about 2 hours`, `1:05`, `PT1H5M`.

/// Minutes in `text`, rounded down, or `None` when it is not a duration.
pub fn parse_minutes(text: &str) -> Option<i64> {
    let s = clean(text);
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix("pt") {
        return iso(rest);
    }
    if let Some((h, m)) = s.split_once(':') {
        let (h, m) = (h.trim().parse::<i64>().ok()?, m.trim().parse::<i64>().ok()?);
        return (m < 60).then_some(h * 60 + m);
    }
    let mut total = 0f64;
    let mut tokens = tokens(&s).into_iter().peekable();
    let mut any = false;
    while let Some(tok) = tokens.next() {
        let Ok(n) = tok.parse::<f64>() else {
            if tok == "and" || tok == "," {
                continue;
            }
            return None;
        };
        let unit = match tokens.peek() {
            Some(u) if u.parse::<f64>().is_err() && u != "and" && u != "," => tokens.next().unwrap_or_default(),
            _ => String::new(),
        };
        total += n * unit_minutes(&unit)?;
        any = true;
    }
    any.then_some(total.floor() as i64)
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

fn iso(s: &str) -> Option<i64> {
    let mut total = 0f64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'h' => 60.0,
            'm' => 1.0,
            's' => 1.0 / 60.0,
            _ => return None,
        };
    }
    num.is_empty().then_some(total.floor() as i64)
}

#[cfg(test)]
mod tests {
    use super::parse_minutes;

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
            assert_eq!(parse_minutes(text), minutes, "{text}");
        }
    }
}
