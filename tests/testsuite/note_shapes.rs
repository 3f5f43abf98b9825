//! Notes kept as people keep them read well (docs/notes.md): web pages saved as text lose their
//! chrome (named under `check --verbose`), caption dumps read as transcripts, talk exports'
//! header lines become fields, and a summary taken from the body shows once.

use crate::support::Lib;
use std::path::Path;

/// Every fixture note of `tests/fixtures/notes`, in a library of notes alone.
fn notes_library() -> Lib {
    let lib = Lib::empty();
    lib.copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes"), "content/notes");
    lib
}

/// Everything the search index holds, in one string.
fn search_files(lib: &Lib) -> String {
    lib.site_files().iter().filter(|f| f.starts_with("search/") && f.ends_with(".js")).map(|f| lib.read(f)).collect()
}

/// The page's `<main>`, so the header and footer do not count.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

#[test]
fn a_saved_web_page_is_titled_by_its_real_title_and_loses_its_chrome() {
    let lib = notes_library();
    lib.build_clean();
    let page = lib.html("notes/magazine-article/index.html");
    let main = main_of(&page);
    assert!(main.contains("<h1>The Pager on the Wrong Desk</h1>"), "{main}");
    for chrome in
        ["Longform writing", "Subscribe", "Sign in", "Choose your language", "Home  Essays", "Share this essay"]
    {
        if chrome == "Share this essay" {
            // After the title: the reader's own text is kept.
            assert!(main.contains(chrome), "{chrome} was dropped");
        } else {
            assert!(!main.contains(chrome), "{chrome} is still on the page:\n{main}");
        }
    }
    assert_eq!(
        main.matches("The Pager on the Wrong Desk").count(),
        1,
        "the title once (the later repeat dropped):\n{main}"
    );
    assert!(!main.contains("By Marta"), "the byline is read into authors:\n{main}");
    assert!(main.contains(r#"<p class="byline">Marta Quillfeather</p>"#), "{main}");
    let note = lib.json_item("api/notes.json", "magazine-article");
    assert_eq!(note["title"], "The Pager on the Wrong Desk");
    assert_eq!(note["authors"], serde_json::json!(["Marta Quillfeather"]));
    // The summary is the first paragraph after the title, not the tagline.
    let list = lib.html("notes/index.html");
    assert!(list.contains("Our team kept a single pager"), "{list}");
    assert!(!list.contains("Longform writing"), "{list}");
    // Search knows the words of the note, not the chrome's.
    let search = search_files(&lib);
    assert!(search.contains("pager"), "search holds the body");
    assert!(!search.contains("longform"), "search holds the tagline");
    assert!(!search.contains("Longform"), "search holds the tagline");
}

#[test]
fn other_saved_pages_find_their_titles_and_authors() {
    let lib = notes_library();
    lib.build_clean();
    let talk = lib.json_item("api/notes.json", "conference-talk-page");
    assert_eq!(talk["title"], "Slow Rollouts Save Weekends");
    let blog = lib.json_item("api/notes.json", "personal-blog-post");
    assert_eq!(blog["title"], "Reading the Timeline Backwards");
    assert_eq!(blog["authors"], serde_json::json!(["Sam Ortiz", "Lee Park"]));
    let docs = lib.json_item("api/notes.json", "docs-site-guide");
    assert_eq!(docs["title"], "Runbook Handbook");
    let main = lib.html("notes/docs-site-guide/index.html");
    assert_eq!(main_of(&main).matches("Runbook Handbook").count(), 1, "{main}");
    let talk_page = lib.html("notes/conference-talk-page/index.html");
    assert!(!talk_page.contains("Write for us"), "{talk_page}");
    // Text a person wrote after the title stays, headings-to-be included.
    assert!(talk_page.contains("Stages and Gates"), "{talk_page}");
}

#[test]
fn check_verbose_names_every_line_left_out() {
    let lib = notes_library();
    let run = lib.check(&[]);
    run.assert_clean();
    assert!(!run.stderr.contains("left out"), "notes only under --verbose:\n{}", run.stderr);
    let run = lib.check(&["--verbose"]);
    let p = "content/notes/magazine-article.txt";
    for line in [
        format!("{p}:1:1: note: left out `Longform writing about the craft of keeping systems up` before the title, as the saved page's chrome"),
        format!("{p}:3:1: note: left out `Subscribe` before the title, as the saved page's chrome"),
        format!("{p}:5:1: note: left out `Sign in` before the title, as the saved page's chrome"),
        format!("{p}:7:1: note: left out `Choose your language` before the title, as the saved page's chrome"),
        format!("{p}:9:1: note: left out `Home Essays The Pager on the Wrong Desk` before the title, as the saved page's chrome"),
        format!("{p}:13:1: note: left out `By Marta Quillfeather, 12 March 2021` as a byline, read into `authors`"),
        format!("{p}:21:1: note: left out `The Pager on the Wrong Desk` as a repeat of the title"),
    ] {
        run.assert_line(&line);
    }
    let t = "content/notes/talk-export.txt";
    run.assert_line(&format!("{t}:10:1: note: left out `Captions:`, the label of the captions"));
    run.assert_line(&format!("{t}:11:1: note: read 6 caption cues as a transcript, their timings left out"));
    run.assert_line(&format!(
        "{t}:28:1: note: read `YouTube URL: https://www.youtube.com/watch?v=dQw4w9WgXcQ` as the note's `url`"
    ));
}

#[test]
fn a_talk_export_reads_its_header_lines_and_links_each_minute_to_the_video() {
    let lib = notes_library();
    lib.build_clean();
    let note = lib.json_item("api/notes.json", "talk-export");
    assert_eq!(note["title"], "Bo Lindqvist - Blameless Reviews in a Small Team - OpsDays 2022");
    assert_eq!(note["authors"], serde_json::json!(["Bo Lindqvist"]));
    assert_eq!(note["kind"], "talk");
    assert_eq!(note["source_url"], "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    let page = lib.html("notes/talk-export/index.html");
    let main = main_of(&page);
    assert!(main.contains("2022-10-04"), "published:\n{main}");
    assert!(!main.contains("-->") && !main.contains("00:00:03"), "timings on the page:\n{main}");
    assert!(!main.contains("Speaker:") && !main.contains("YouTube URL"), "{main}");
    assert!(
        main.contains(
            "<p><a class=\"at\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=3\">0:03</a> thanks everyone for coming after lunch \
             I&#39;m Bo and I run reviews for a team of six which means I also write most of them</p>"
        ),
        "{main}"
    );
    assert!(
        main.contains(
            "&amp;t=62\">1:02</a> the question we stopped asking was who and the one we started asking was how</p>"
        ),
        "{main}"
    );
    // The first paragraph shows (once), and the transcript's words are searchable, not its timings.
    assert!(main.contains("A small team cannot hide behind process."), "{main}");
    let search = search_files(&lib);
    assert!(search.contains("lunch"), "spoken words indexed");
    assert!(!search.contains("-->") && !search.contains("00:00:03"), "timings indexed");
}

#[test]
fn caption_dumps_read_as_prose_with_or_without_cue_numbers() {
    let lib = notes_library();
    lib.build_clean();
    let numbered = lib.json_item("api/notes.json", "captions-numbered");
    assert_eq!(numbered["title"], "captions-numbered", "no title written: the file name");
    assert_eq!(numbered["kind"], "talk");
    let page = lib.html("notes/captions-numbered/index.html");
    let main = main_of(&page);
    assert!(
        main.contains(
            "<p><span class=\"at\">0:01</span> so today I want to talk about the night our queue filled up and why nobody noticed for an hour</p>"
        ),
        "{main}"
    );
    assert!(main.contains("<span class=\"at\">1:00</span> the first thing we learned"), "{main}");
    assert!(main.contains("<span class=\"at\">2:10</span> so we moved it"), "{main}");
    assert!(!main.contains("<i>") && !main.contains("-->"), "{main}");
    let rolling = lib.html("notes/captions-rolling/index.html");
    let main = main_of(&rolling);
    assert!(
        main.contains(
            "<a class=\"at\" href=\"https://vimeo.com/76979871#t=0\">0:00</a> every client retried at the same moment and the database fell over again</p>"
        ),
        "{main}"
    );
    assert!(main.contains("#t=61\">1:01</a> jitter fixed it in the end</p>"), "{main}");
    assert_eq!(main.matches("every client retried").count(), 1, "rolling repeats once:\n{main}");
    assert!(!main.contains("WEBVTT") && !main.contains("align:start"), "{main}");
}

#[test]
fn a_summary_taken_from_the_first_paragraph_shows_once() {
    let first = "The resolver cache hid the change for an hour.";
    let lib = Lib::new(&[
        ("content/notes/cache.md", &format!("---\ntitle: Cache\n---\n{first}\n\nThen it expired.\n")),
        ("content/notes/written.md", "---\ntitle: Written\nsummary: A summary of its own.\n---\nThe body.\n"),
    ]);
    lib.build_clean();
    let page = lib.html("notes/cache/index.html");
    assert_eq!(main_of(&page).matches(first).count(), 1, "{page}");
    assert!(!page.contains("class=\"lead\""), "{page}");
    let written = lib.html("notes/written/index.html");
    assert!(written.contains("<p class=\"lead\">A summary of its own.</p>"), "{written}");
    // Lists still show the summary.
    assert!(lib.html("notes/index.html").contains(first));
}
