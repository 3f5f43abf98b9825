//! Notes kept as people keep them, read as a person would have tidied them: a web page saved
//! as text loses its site's chrome, a caption dump becomes a transcript, and a talk export's
//! header lines become fields. Whatever is set aside is named by a `note` diagnostic
//! (docs/notes.md).

mod cues;
mod webpage;

use crate::content::RawDocument;
use crate::diagnostic::Diagnostic;
use serde_json::{Map, Value};
use std::sync::Arc;
use webpage::LeftOut;

/// A transcript read from caption cues. The body holds a copy of its words (for the summary
/// and search) and whatever followed the cues; pages show these paragraphs in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// Its paragraphs, one per minute.
    pub paragraphs: Vec<Said>,
    /// How many bytes at the end of the body are the transcript's copy and what follows it.
    pub tail: usize,
    /// How many of those are what followed it (Markdown, rendered as the body is).
    pub after: usize,
}

/// One paragraph of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// When it starts, as a clock (`12:03`).
    pub at: String,
    /// That moment of the video, when the note's `url` is a YouTube or Vimeo page.
    pub href: Option<String>,
    /// What was said.
    pub text: String,
}

/// A note read anew: its front matter and body as casebook reads them from here on.
pub struct Shaped {
    /// The document with fields added and the body tidied.
    pub raw: RawDocument,
    /// The transcript, when the body held caption cues.
    pub transcript: Option<Arc<Transcript>>,
    /// What was set aside or read, as `note` diagnostics.
    pub diags: Vec<Diagnostic>,
}

/// A note in one of the shapes people keep, read anew; `None` when it is in none of them.
pub fn reshape(raw: &RawDocument) -> Option<Shaped> {
    let lines: Vec<&str> = raw.body.lines().collect();
    let run = cues::find_run(&lines);
    let talk_header = ["playlist", "speaker"].iter().any(|k| raw.front.fields.contains_key(*k))
        || description(&raw.front.fields).is_some_and(|d| d.contains("Speaker:"));
    if run.is_some() || talk_header {
        return Some(talk(raw, &lines, run));
    }
    if raw.front.fields.is_empty() && !has_structure(&raw.body) {
        return webpage::read(&lines).map(|p| saved_page(raw, &lines, p));
    }
    None
}

/// Whether a body has Markdown structure: a heading, a list, a table or a code fence.
fn has_structure(body: &str) -> bool {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    Parser::new_ext(body, crate::markdown::options()).any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading { .. } | Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(CodeBlockKind::Fenced(_)))
        )
    })
}

fn note(raw: &RawDocument, line: usize, message: String) -> Diagnostic {
    Diagnostic::note("note-shape", &raw.path, message).at(raw.body_line + line, 1)
}

/// A line's text as a diagnostic quotes it.
fn quoted(line: &str) -> String {
    crate::markdown::truncate(&crate::markdown::collapse(line), 60).replace('`', "'")
}

fn saved_page(raw: &RawDocument, lines: &[&str], p: webpage::Page) -> Shaped {
    let mut out = raw.clone();
    let fields = &mut out.front.fields;
    fields.insert("title".into(), Value::String(p.title.clone()));
    if !p.authors.is_empty() {
        fields.insert("authors".into(), p.authors.iter().cloned().map(Value::String).collect());
    }
    let mut diags = Vec::new();
    for &(i, why) in &p.left_out {
        let what = match why {
            LeftOut::Chrome => "before the title, as the saved page's chrome",
            LeftOut::Repeat => "as a repeat of the title",
            LeftOut::Byline => "as a byline, read into `authors`",
        };
        diags.push(note(raw, i, format!("left out `{}` {what}", quoted(lines[i]))));
    }
    let dropped = |i: usize| i == p.title_line || p.left_out.iter().any(|(j, _)| *j == i);
    let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| !dropped(*i)).map(|(_, l)| *l).collect();
    out.body = kept.join("\n").into();
    Shaped { raw: out, transcript: None, diags }
}

/// The `description:` header's text, if it is text.
fn description(fields: &Map<String, Value>) -> Option<&str> {
    fields.get("description").and_then(Value::as_str)
}

fn has_any(fields: &Map<String, Value>, keys: &[&str]) -> bool {
    keys.iter().any(|k| fields.get(*k).is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty())))
}

/// A talk export or a caption dump: header lines read into fields, the cues into a transcript.
fn talk(raw: &RawDocument, lines: &[&str], run: Option<cues::Run>) -> Shaped {
    let mut out = raw.clone();
    let mut diags = Vec::new();
    let fields = &mut out.front.fields;
    let speakers = speakers(fields);
    if !speakers.is_empty() && !has_any(fields, &["authors", "author"]) {
        fields.insert("authors".into(), speakers.into_iter().map(Value::String).collect());
    }
    let playlist_talks =
        fields.get("playlist").and_then(Value::as_str).is_some_and(|p| p.trim().eq_ignore_ascii_case("talks"));
    if (playlist_talks || run.is_some()) && !has_any(fields, &["kind"]) {
        fields.insert("kind".into(), Value::String("talk".into()));
    }
    let from = run.as_ref().map_or(0, |r| r.end);
    let closing = (from..lines.len()).rev().find(|&i| !lines[i].trim().is_empty());
    let url = closing.and_then(|i| closing_url(lines[i]).map(|u| (i, u)));
    if let Some((i, u)) = &url {
        diags.push(note(raw, *i, format!("read `{}` as the note's `url`", quoted(lines[*i]))));
        if !has_any(fields, &["url", "source_url", "link"]) {
            fields.insert("url".into(), Value::String(u.clone()));
        }
    }
    // Every line but the closing URL line, which is now a field.
    let kept = |i: &usize| url.as_ref().is_none_or(|(u, _)| u != i);
    let Some(run) = run else {
        let keep: Vec<&str> = (0..lines.len()).filter(kept).map(|i| lines[i]).collect();
        out.body = keep.join("\n").into();
        return Shaped { raw: out, transcript: None, diags };
    };
    if !has_any(fields, &["title"]) && lines[..run.first].iter().all(|l| l.trim().is_empty()) {
        fields.insert("title".into(), Value::String(raw.stem.clone()));
    }
    let video = fields.get("url").and_then(Value::as_str).map(str::to_string);
    let after: Vec<&str> = (run.end..lines.len()).filter(kept).map(|i| lines[i]).collect();
    let transcript = transcript(raw, lines, &run, video.as_deref(), &after.join("\n"), &mut out, &mut diags);
    Shaped { raw: out, transcript: Some(Arc::new(transcript)), diags }
}

/// The cues of `run` as a transcript: `out`'s body becomes the text before the cues (a label
/// such as `Captions:` left out), a copy of the words, and `after`.
fn transcript(
    raw: &RawDocument,
    lines: &[&str],
    run: &cues::Run,
    video: Option<&str>,
    after: &str,
    out: &mut RawDocument,
    diags: &mut Vec<Diagnostic>,
) -> Transcript {
    let mut before_end = run.first;
    if let Some(label) = (0..run.first).rev().find(|&i| !lines[i].trim().is_empty()).filter(|&i| is_label(lines[i])) {
        diags.push(note(raw, label, format!("left out `{}`, the label of the captions", quoted(lines[label]))));
        before_end = label;
    }
    for (i, line) in &run.header {
        diags.push(note(raw, *i, format!("left out `{}`, the captions' header", quoted(line))));
    }
    let cues = run.cues.len();
    diags.push(note(raw, run.first, format!("read {cues} caption cues as a transcript, their timings left out")));
    let said: Vec<Said> = cues::paragraphs(&run.cues)
        .into_iter()
        .map(|(at, text)| Said { at: cues::clock(at), href: video.and_then(|v| moment(v, at)), text })
        .collect();
    let after = after.trim();
    let copy: Vec<String> = said.iter().map(|s| escape_markdown(&s.text)).collect();
    let tail = format!("{}\n\n{after}", copy.join("\n\n"));
    let before = lines[..before_end].join("\n");
    out.body = format!("{}\n\n{tail}", before.trim_end()).into();
    Transcript { paragraphs: said, tail: tail.len(), after: after.len() }
}

/// A line that only labels what follows (`Captions:`).
fn is_label(line: &str) -> bool {
    let line = line.trim();
    line.strip_suffix(':').is_some_and(|l| !l.is_empty() && l.len() <= 30 && !l.contains(':'))
}

/// The names of `Speaker:` lines, in a `speaker:` header or inside `description:` (whose
/// speaker lines are then taken out of it, and the key too when nothing else is left).
fn speakers(fields: &mut Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = fields.get("speaker").and_then(Value::as_str).map(split_names).unwrap_or_default();
    if let Some(d) = description(fields).map(str::to_string) {
        let mut rest = Vec::new();
        for line in d.lines() {
            match line.trim().strip_prefix("Speaker:").or_else(|| line.trim().strip_prefix("Speakers:")) {
                Some(n) => names.extend(split_names(n)),
                None => rest.push(line),
            }
        }
        let rest = rest.join("\n").trim().to_string();
        if rest.is_empty() {
            fields.remove("description");
        } else if rest.len() != d.trim().len() {
            fields.insert("description".into(), Value::String(rest));
        }
    }
    names.dedup();
    names
}

fn split_names(s: &str) -> Vec<String> {
    s.split([',', '&'])
        .flat_map(|n| n.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// The address of a closing `YouTube URL:` or `URL:` line.
fn closing_url(line: &str) -> Option<String> {
    let line = line.trim();
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    let value = value.trim();
    let is_web = value.starts_with("https://") || value.starts_with("http://");
    (matches!(key.as_str(), "youtube url" | "url" | "video url") && is_web && !value.contains(char::is_whitespace))
        .then(|| value.to_string())
}

/// `url` at `seconds` in: a YouTube page's `t=` parameter, or a Vimeo page's `#t=` fragment.
fn moment(url: &str, seconds: u32) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host);
    let (page, fragment) = url.split_once('#').map_or((url, None), |(p, f)| (p, Some(f)));
    match host {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" => {
            let sep = if page.contains('?') { '&' } else { '?' };
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            Some(format!("{page}{sep}t={seconds}{fragment}"))
        }
        "vimeo.com" | "player.vimeo.com" => Some(format!("{page}#t={seconds}")),
        _ => None,
    }
}

/// Text as Markdown that reads back as the same text (every ASCII punctuation mark escaped).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_of_videos() {
        assert_eq!(
            moment("https://www.youtube.com/watch?v=abc", 62).as_deref(),
            Some("https://www.youtube.com/watch?v=abc&t=62")
        );
        assert_eq!(moment("https://youtu.be/abc", 5).as_deref(), Some("https://youtu.be/abc?t=5"));
        assert_eq!(moment("https://vimeo.com/123#x", 70).as_deref(), Some("https://vimeo.com/123#t=70"));
        assert_eq!(moment("https://example.com/talk", 70), None);
        assert_eq!(
            closing_url("YouTube URL: https://www.youtube.com/watch?v=abc").as_deref(),
            Some("https://www.youtube.com/watch?v=abc")
        );
        assert_eq!(closing_url("URL: not a link"), None);
    }

    #[test]
    fn escaped_text_reads_back() {
        let text = "1. *so* [we] said <b> & # that_ok - 100%";
        let md = escape_markdown(text);
        let read: String = pulldown_cmark::Parser::new_ext(&md, crate::markdown::options())
            .filter_map(|e| match e {
                pulldown_cmark::Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(read, text);
    }
}
