//! Output hygiene, tried as a user would: characters XML forbids never reach the feed or the
//! sitemap, URLs from `book.toml` are `http`, `https` or site-relative, URLs from content of
//! another scheme are shown as text with a warning, and a number too large for its field is a
//! warning that leaves the field empty.

use crate::support::{hrefs, Lib};
use serde_json::Value;

/// Every character XML 1.0 forbids in a document (and the C1 controls, dropped too), as YAML
/// double-quoted escapes.
fn forbidden_yaml() -> String {
    let mut out = String::new();
    for c in (0u32..0x20).filter(|c| ![0x09, 0x0a, 0x0d].contains(c)).chain(0x7f..0xa0).chain([0xfffe, 0xffff]) {
        out.push_str(&format!("\\u{c:04X}"));
    }
    out
}

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Checks the entity and character references of `text` (element text or an attribute value).
fn check_text(text: &str) -> Result<(), String> {
    if text.contains('<') {
        return Err(format!("`<` in text: {text:?}"));
    }
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let tail = &rest[at + 1..];
        let end = tail.find(';').ok_or_else(|| format!("`&` without `;` in {text:?}"))?;
        let name = &tail[..end];
        let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || name
                .strip_prefix("#x")
                .is_some_and(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32).is_some_and(xml_char))
            || name
                .strip_prefix('#')
                .is_some_and(|d| d.parse::<u32>().ok().and_then(char::from_u32).is_some_and(xml_char));
        if !ok {
            return Err(format!("bad reference `&{name};`"));
        }
        rest = &tail[end + 1..];
    }
    Ok(())
}

/// A small well-formedness check of the XML casebook writes: allowed characters only, one
/// root, tags nested and closed, attribute values quoted, references valid.
fn well_formed(xml: &str) -> Result<(), String> {
    if let Some(c) = xml.chars().find(|&c| !xml_char(c)) {
        return Err(format!("character U+{:04X} is not allowed in XML", u32::from(c)));
    }
    let body = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>").ok_or("no XML declaration")?;
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        check_text(&rest[..at])?;
        if open.is_empty() && !rest[..at].trim().is_empty() {
            return Err("text outside the root".into());
        }
        let end = rest[at..].find('>').ok_or("unclosed tag")? + at;
        let tag = &rest[at + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name.trim()) {
                return Err(format!("`</{name}>` closes nothing open"));
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ':') {
            return Err(format!("bad tag name in `<{tag}>`"));
        }
        while !attrs.trim().is_empty() {
            let (key, value) =
                attrs.trim_start().split_once("=\"").ok_or_else(|| format!("bad attribute in `<{tag}>`"))?;
            let close = value.find('"').ok_or("unquoted attribute")?;
            if key.is_empty() || key.contains([' ', '"']) {
                return Err(format!("bad attribute name `{key}`"));
            }
            check_text(&value[..close])?;
            attrs = &value[close + 1..];
        }
        if open.is_empty() {
            roots += 1;
        }
        if !empty {
            open.push(name);
        }
    }
    check_text(rest)?;
    match (roots, open.as_slice(), rest.trim().is_empty()) {
        (1, [], true) => Ok(()),
        _ => Err(format!("{roots} roots, still open: {open:?}")),
    }
}

#[test]
fn the_well_formedness_check_rejects_what_xml_readers_reject() {
    let decl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    assert_eq!(well_formed(&format!("{decl}<a x=\"1 &amp; 2\"><b/>t &lt; &#39;</a>\n")), Ok(()));
    for bad in ["<a>\u{7}</a>", "<a>\u{ffff}</a>", "<a>&#7;</a>", "<a>x & y</a>", "<a><b></a>", "<a/><b/>", "<a x=1/>"]
    {
        assert!(well_formed(&format!("{decl}{bad}")).is_err(), "{bad:?}");
    }
}

#[test]
fn feed_and_sitemap_drop_characters_xml_forbids_and_stay_well_formed() {
    let bad = forbidden_yaml();
    let lib = Lib::new(&[
        ("book.toml", "[book]\ntitle = \"Lib\\u0007rary\"\ndescription = \"d\\u001b\\u0000x\"\nauthors = [\"An\\u0008na\"]\n[output.html]\nbase-url = \"https://x.org/a\\u0001b\"\n"),
        (
            "content/incidents/2024-01-02-bell.md",
            &format!("---\ntitle: \"Bell{bad}ed <&>\"\nsummary: \"Sum{bad}mary\"\nauthors: [\"Bo{bad}b\"]\n---\nBody.\n"),
        ),
        ("content/notes/plain.md", "---\ntitle: \"\\x07\"\nauthors: \"x\\uFFFEy\"\n---\nA note.\n"),
    ]);
    lib.build(&[]).assert_code(0);
    for file in ["feed.xml", "sitemap.xml"] {
        let xml = lib.read(file);
        if let Err(e) = well_formed(&xml) {
            panic!("{file} is not well-formed XML: {e}\n{xml:?}");
        }
    }
    // Titles and summaries are collapsed (a vertical tab or NEL is white space), so spaces
    // are left out of the comparison.
    let feed = lib.read("feed.xml").replace(' ', "");
    for text in [
        "<title>Library</title>",
        "<subtitle>dx</subtitle>",
        "<author><name>Anna</name></author>",
        "<title>Belled&lt;&amp;&gt;</title>",
        "<summary>Summary</summary>",
        "<author><name>Bob</name></author>",
        "<author><name>xy</name></author>",
        "<linkhref=\"https://x.org/ab/incidents/2024-01-02-bell/\"/>",
    ] {
        assert!(feed.contains(text), "{text} in\n{feed}");
    }
}

#[test]
fn a_url_of_another_scheme_in_book_toml_is_an_error_naming_the_key() {
    for (key, value) in [
        ("edit-url-template", "javascript:alert(1)//{path}"),
        ("git-repository-url", " JavaScript:alert(1)"),
        ("base-url", "data:text/html,x"),
    ] {
        let lib = Lib::new(&[
            ("book.toml", &format!("[output.html]\n{key} = \"{value}\"\n")),
            ("content/incidents/2024-01-02-a.md", "# A\n\nBody.\n"),
        ]);
        let scheme = if value.contains("data") { "data" } else { "javascript" };
        let headline = format!("book.toml:2:1: error: `{key}` may not use scheme `{scheme}:`");
        for run in [lib.build(&[]), lib.check(&[])] {
            run.assert_code(1);
            run.assert_line(&headline);
            assert_eq!(
                run.help_of(&headline),
                ["write an `http://` or `https://` URL, or a path on this site starting with `/`"]
            );
        }
        assert!(!lib.exists("index.html"), "no site is written");
    }
    let lib = Lib::new(&[
        (
            "book.toml",
            "[output.html]\nedit-url-template = \"/edit/{path}\"\ngit-repository-url = \"http://git.x.org/r\"\n",
        ),
        ("content/incidents/2024-01-02-a.md", "# A\n\nBody.\n"),
    ]);
    lib.build_clean();
    assert!(hrefs(&lib.html("incidents/2024-01-02-a/index.html"))
        .contains(&"/edit/content/incidents/2024-01-02-a.md".to_string()));
}

#[test]
fn urls_of_other_schemes_in_content_are_text_with_a_warning_at_their_line() {
    let lib = Lib::new(&[
        (
            "content/notes/n.md",
            "---\ntitle: N\nurl: \"javascript:alert(1)\"\n---\nSee [the docs](javascript:alert(2)) and\n![a chart](vbscript:x) or [ok](https://x.org).\n\n<a href=\"javascript:raw()\">raw HTML passes through by design</a>\n",
        ),
        (
            "content/incidents/2024-01-02-a.md",
            "---\ntitle: A\nsource:\n  organization: Org\n  url: \"data:text/html,<script>x</script>\"\naction_items:\n  - title: Fix it\n    link: \"file:///etc/passwd\"\n  - title: Page\n    link: \"mailto:ops@x.org\"\n---\nBody with <java\tscript:x> in it.\n",
        ),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let warnings = run.at_level("warning");
    assert_eq!(
        warnings,
        [
            "content/incidents/2024-01-02-a.md:5:8: warning: link `data:text/html,<script>x</script>` is shown as text: scheme `data:` is not allowed",
            "content/incidents/2024-01-02-a.md:8:11: warning: link `file:///etc/passwd` is shown as text: scheme `file:` is not allowed",
            "content/notes/n.md:3:6: warning: link `javascript:alert(1)` is shown as text: scheme `javascript:` is not allowed",
            "content/notes/n.md:5:5: warning: link `javascript:alert(2)` is shown as text: scheme `javascript:` is not allowed",
            "content/notes/n.md:6:1: warning: link `vbscript:x` is shown as text: scheme `vbscript:` is not allowed",
        ],
        "{}",
        run.stderr
    );
    let help = run.help_of(warnings[0]);
    assert_eq!(help, ["a link may be relative or start with `http:`, `https:` or `mailto:`"]);
    let note = lib.html("notes/n/index.html");
    let note_hrefs = hrefs(&note);
    assert!(note_hrefs.contains(&"https://x.org".to_string()), "{note_hrefs:?}");
    assert!(note.contains("See the docs and"), "the link's text stays: {note}");
    assert!(!note.contains("vbscript") && note.contains("a chart"), "the image shows its alt text: {note}");
    assert!(note_hrefs.contains(&"javascript:raw()".to_string()), "raw HTML is the author's, as written");
    assert_eq!(note_hrefs.iter().filter(|h| h.contains("javascript")).count(), 1, "{note_hrefs:?}");
    let page = lib.html("incidents/2024-01-02-a/index.html");
    let page_hrefs = hrefs(&page);
    assert!(page_hrefs.contains(&"mailto:ops@x.org".to_string()), "{page_hrefs:?}");
    assert!(
        !page_hrefs.iter().any(|h| h.starts_with("file:") || h.starts_with("data:") || h.contains("script:")),
        "{page_hrefs:?}"
    );
    assert!(page.contains("Fix it") && page.contains("Org"), "{page}");
}

fn minutes(i: &Value) -> Vec<Option<i64>> {
    ["ttd_minutes", "tta_minutes", "ttm_minutes", "ttr_minutes", "impact_minutes"]
        .iter()
        .map(|k| i[*k].as_i64())
        .collect()
}

#[test]
fn a_duration_too_large_is_a_warning_and_stays_empty() {
    let lib = Lib::new(&[
        (
            "content/incidents/2024-01-02-body.md",
            "# Body\n\nTime to detect: 999999999999999999999 hours\nTime to acknowledge: PT99999999999999999999H\n\n## Stats\n\n- Time to mitigate: 9223372036854775807:00\n\n| Metric | Value |\n|---|---|\n| Time to resolve | 99999999999999999999 days |\n| Duration | 90 minutes |\n",
        ),
        (
            "content/incidents/2024-01-03-front.md",
            "---\ntitle: Front\ndurations:\n  ttd: 99999999999999999999\n  tta: \"PT99999999999999999999H\"\n  ttm: 999999999999999999999 hours\n  ttr: 9007199254740991\n---\nBody.\n",
        ),
        (
            "content/incidents/2024-01-04-times.md",
            "---\ntitle: Times\ntimes:\n  started: 0001-01-01T00:00:00Z\n  resolved: 9999-12-31T23:59:00Z\n---\nBody.\n",
        ),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let warnings = run.at_level("warning");
    assert_eq!(
        warnings,
        [
            "content/incidents/2024-01-02-body.md:3:1: warning: duration `Time to detect: 999999999999999999999 hours` is too large",
            "content/incidents/2024-01-02-body.md:4:1: warning: duration `Time to acknowledge: PT99999999999999999999H` is too large",
            "content/incidents/2024-01-02-body.md:8:1: warning: duration `Time to mitigate: 9223372036854775807:00` is too large",
            "content/incidents/2024-01-02-body.md:12:1: warning: duration `Time to resolve: 99999999999999999999 days` is too large",
            "content/incidents/2024-01-03-front.md:4:8: warning: duration `99999999999999999999` is too large",
            "content/incidents/2024-01-03-front.md:5:8: warning: duration `PT99999999999999999999H` is too large",
            "content/incidents/2024-01-03-front.md:6:8: warning: duration `999999999999999999999 hours` is too large",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(
        run.help_of(warnings[0]),
        ["casebook holds durations up to 9007199254740991 minutes; durations.ttd stays empty"]
    );
    assert_eq!(minutes(&lib.json_item("api/incidents.json", "2024-01-02-body")), [None, None, None, None, Some(90)]);
    assert_eq!(
        minutes(&lib.json_item("api/incidents.json", "2024-01-03-front")),
        [None, None, None, Some(9_007_199_254_740_991), None]
    );
    // The longest span times can give (four-digit years) is exact.
    let span: i64 = 3_652_059 * 1440 - 1;
    assert_eq!(minutes(&lib.json_item("api/incidents.json", "2024-01-04-times"))[4], Some(span));
}
