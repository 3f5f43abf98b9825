//! Caption cues (SRT or WebVTT) in a note's body, read as what was said: timings, cue numbers,
//! settings, the `WEBVTT` header and inline tags dropped, rolling repeats kept once, and the
//! words gathered into a paragraph per minute (docs/notes.md).

/// Fewest cues in a row that make a transcript (two timing lines may be prose about timings).
const MIN_CUES: usize = 3;

/// One cue: when it starts and its text lines, tags and entities already taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Start, in whole seconds.
    pub start: u32,
    /// Its lines of text, each with runs of spaces collapsed.
    pub lines: Vec<String>,
}

/// A run of cues in a body: the lines it spans and what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Index of the run's first line (a `WEBVTT` header, a cue number or a timing line).
    pub first: usize,
    /// Index one past its last line.
    pub end: usize,
    /// The cues, in the order written.
    pub cues: Vec<Cue>,
    /// Lines of a `WEBVTT` header (and notes before the first cue) left out, with their index.
    pub header: Vec<(usize, String)>,
}

/// The first run of at least three cues among `lines`, if any.
pub fn find_run(lines: &[&str]) -> Option<Run> {
    let mut at = 0;
    while at < lines.len() {
        let Some(t) = (at..lines.len()).find(|&i| timing(lines[i]).is_some()) else { break };
        let run = run_from(lines, t);
        if run.cues.len() >= MIN_CUES {
            return Some(with_header(lines, run));
        }
        at = run.end.max(t + 1);
    }
    None
}

/// The cues from the timing line at `t` onwards, as long as cues follow one another.
fn run_from(lines: &[&str], t: usize) -> Run {
    let first = if t > 0 && is_cue_id(lines, t - 1) { t - 1 } else { t };
    let mut cues = Vec::new();
    let mut i = t;
    let mut end = t;
    while let Some(start) = lines.get(i).and_then(|l| timing(l)) {
        let mut text = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim().is_empty() && timing(lines[i]).is_none() {
            if is_number(lines[i]) && lines.get(i + 1).is_some_and(|l| timing(l).is_some()) {
                break;
            }
            let clean = clean(lines[i]);
            if !clean.is_empty() {
                text.push(clean);
            }
            i += 1;
        }
        cues.push(Cue { start, lines: text });
        end = i;
        // Blank lines, then a cue number or identifier, then the next timing line.
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        if j < lines.len() && timing(lines[j]).is_none() && lines.get(j + 1).is_some_and(|l| timing(l).is_some()) {
            j += 1;
        }
        if lines.get(j).and_then(|l| timing(l)).is_none() {
            break;
        }
        i = j;
    }
    Run { first, end, cues, header: Vec::new() }
}

/// Whether the line at `i`, right before a timing line, names its cue: a cue number, or a
/// WebVTT identifier standing after a blank line.
fn is_cue_id(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    !line.is_empty() && (is_number(line) || i == 0 || lines[i - 1].trim().is_empty()) && !line.ends_with(':')
}

fn is_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

/// A run whose file opens with `WEBVTT`: the header block (and any block before the first
/// cue) belongs to the run, and is named so it is not dropped silently.
fn with_header(lines: &[&str], mut run: Run) -> Run {
    let opens = lines.iter().position(|l| !l.trim().is_empty());
    if let Some(o) = opens.filter(|&o| o < run.first && lines[o].trim_start().starts_with("WEBVTT")) {
        run.header =
            (o..run.first).filter(|&i| !lines[i].trim().is_empty()).map(|i| (i, lines[i].trim().to_string())).collect();
        run.first = o;
    }
    run
}

/// The start, in seconds, of a timing line `[HH:]MM:SS[,.]mmm --> [HH:]MM:SS[,.]mmm [settings]`.
pub fn timing(line: &str) -> Option<u32> {
    let (from, to) = line.trim().split_once("-->")?;
    let to = to.trim_start();
    let to = to.split(char::is_whitespace).next()?;
    time(to)?;
    time(from.trim())
}

/// `[HH:]MM:SS[,.]mmm` in whole seconds.
fn time(s: &str) -> Option<u32> {
    let (clock, millis) = s.split_once([',', '.'])?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let two = |p: &str| (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?;
    let (h, m, sec) = match parts.as_slice() {
        [m, s] => (0, two(m)?, two(s)?),
        [h, m, s] if (1..=4).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_digit()) => {
            (h.parse::<u32>().ok()?, two(m)?, two(s)?)
        }
        _ => return None,
    };
    (sec < 60 && m < 60).then_some(h * 3600 + m * 60 + sec)
}

/// A cue's line without inline tags (`<c>`, `<i>`, `<00:00:01.000>`, `<v Name>`), with the
/// entities WebVTT requires decoded and runs of spaces collapsed.
fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let tag = after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/');
        match after.find('>').filter(|_| tag) {
            Some(close) => {
                out.push(' ');
                rest = &after[close + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    crate::markdown::collapse(&out)
}

/// What a transcript says, a paragraph per minute: each with the start of its first cue, in
/// seconds. A cue that begins with the previous cue's last line (rolling captions) has that
/// repeat dropped.
pub fn paragraphs(cues: &[Cue]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut previous_last: Option<&str> = None;
    for cue in cues {
        let joined = cue.lines.join(" ");
        let said = match previous_last {
            Some(p) if joined == p => "",
            Some(p) if joined.starts_with(p) && joined[p.len()..].starts_with(' ') => joined[p.len()..].trim_start(),
            _ => joined.as_str(),
        };
        if let Some(last) = cue.lines.last() {
            previous_last = Some(last);
        }
        if said.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((start, text)) if cue.start / 60 <= *start / 60 => {
                text.push(' ');
                text.push_str(said);
            }
            _ => out.push((cue.start, said.to_string())),
        }
    }
    out
}

/// A time as a transcript marks it: `12:03`, or `1:02:03` past an hour.
pub fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(text: &str) -> Option<Run> {
        let lines: Vec<&str> = text.lines().collect();
        find_run(&lines)
    }

    fn said(text: &str) -> Vec<(u32, String)> {
        run(text).map(|r| paragraphs(&r.cues)).unwrap_or_default()
    }

    #[test]
    fn reads_srt_with_numbers() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nwe kept the pager\n\n2\n00:00:03,500 --> 00:00:05,000\n\
                   on the <i>wrong</i> desk\n\n3\n00:01:02,000 --> 00:01:04,000 align:start\nfor a week\n";
        let r = run(srt).expect("a run");
        assert_eq!((r.first, r.end), (0, 11));
        assert_eq!(
            paragraphs(&r.cues),
            vec![(1, "we kept the pager on the wrong desk".into()), (62, "for a week".into())]
        );
    }

    #[test]
    fn reads_webvtt_rolling_captions_once() {
        let vtt = "WEBVTT\nKind: captions\nLanguage: en\n\n00:00:00.000 --> 00:00:02.000\nthe queue <00:00:01.000><c>filled</c>\n\n\
                   00:00:02.000 --> 00:00:02.010\nthe queue filled\n\n00:00:02.010 --> 00:00:04.000\nthe queue filled\nand nobody looked\n\n\
                   00:00:04.000 --> 00:00:06.000\nand nobody looked\nuntil &amp; after lunch\n";
        let r = run(vtt).expect("a run");
        assert_eq!(r.first, 0);
        assert_eq!(r.header.len(), 3);
        assert_eq!(paragraphs(&r.cues), vec![(0, "the queue filled and nobody looked until & after lunch".into())]);
    }

    #[test]
    fn reads_cues_without_blank_lines_or_numbers() {
        let dump =
            "Captions:\n\t00:00:02,179 --> 00:00:10,170\nhello all\n\t00:00:04,470 --> 00:00:12,090\nwelcome back\n\
                    \t01:00:10,170 --> 01:00:14,790\nto the talk\n\nYouTube URL: x\n";
        let r = run(dump).expect("a run");
        assert_eq!(r.first, 1);
        assert_eq!(paragraphs(&r.cues), vec![(2, "hello all welcome back".into()), (3610, "to the talk".into())]);
        assert_eq!(clock(3610), "1:00:10");
        assert_eq!(clock(723), "12:03");
    }

    #[test]
    fn two_cues_are_no_transcript() {
        assert_eq!(run("00:01.000 --> 00:02.000\na\n\n00:02.000 --> 00:03.000\nb\n"), None);
        assert_eq!(timing("00:61,000 --> 00:62,000"), None);
        assert_eq!(timing("1:02:03.004 --> 1:02:04.000 line:0"), Some(3723));
    }

    /// Cue text without a timing line or a tag in it: lower-case words.
    fn words() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec("[a-z]{1,8}", 1..5)
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        #[test]
        fn never_panics(text in "(.|\n|-->|[0-9:.,]{1,12}){0,200}") {
            if let Some(r) = run(&text) {
                prop_assert!(r.first <= r.end && r.end <= text.lines().count());
                let _ = paragraphs(&r.cues);
            }
        }

        #[test]
        fn every_word_said_once(cues in proptest::collection::vec((0u32..7200, words()), 3..30), vtt in any::<bool>()) {
            let mut text = String::new();
            let mut expected = Vec::new();
            let mut start = 0;
            for (n, (gap, ws)) in cues.iter().enumerate() {
                start += gap % 90;
                let sep = if vtt { '.' } else { ',' };
                let t = |s: u32| format!("{:02}:{:02}:{:02}{sep}000", s / 3600, s / 60 % 60, s % 60);
                if !vtt { text.push_str(&format!("{}\n", n + 1)); }
                // A numbered word per cue, so no cue begins with the one before it.
                let line = format!("w{n} {}", ws.join(" "));
                text.push_str(&format!("{} --> {}\n{line}\n\n", t(start), t(start + 1)));
                expected.push(line);
            }
            let got: Vec<String> = said(&text).into_iter().map(|(_, p)| p).collect();
            prop_assert_eq!(got.join(" "), expected.join(" "));
        }

        #[test]
        fn rolling_repeats_said_once(lines in proptest::collection::vec(words(), 3..20)) {
            let mut text = String::from("WEBVTT\n\n");
            let lines: Vec<String> = lines.iter().enumerate().map(|(n, ws)| format!("w{n} {}", ws.join(" "))).collect();
            for (n, line) in lines.iter().enumerate() {
                let prev = if n == 0 { String::new() } else { format!("{}\n", lines[n - 1]) };
                text.push_str(&format!("00:00:{n:02}.000 --> 00:00:{n:02}.500\n{prev}{line}\n\n"));
            }
            let got: Vec<String> = said(&text).into_iter().map(|(_, p)| p).collect();
            prop_assert_eq!(got.join(" "), lines.join(" "));
        }
    }
}
