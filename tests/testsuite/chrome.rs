//! The header links only the sections the library has, every page names the theme's icon, and
//! the search page is laid out from its first paint (docs/notes.md).

use crate::support::Lib;

/// The labels of the header's section links.
fn nav_labels(html: &str) -> Vec<String> {
    let start = html.find("<nav aria-label=\"Sections\">").expect("the section nav");
    let nav = &html[start..start + html[start..].find("</nav>").expect("nav closes")];
    nav.split("<a href=").skip(1).filter_map(|a| Some(a[a.find('>')? + 1..a.find("</a>")?].to_string())).collect()
}

#[test]
fn a_library_of_notes_alone_shows_no_incident_sections() {
    let lib =
        Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nBody.\n"), ("content/about.md", "# About us\n\nHi.\n")]);
    lib.build_clean();
    for page in ["index.html", "notes/index.html", "notes/n/index.html", "search/index.html", "about/index.html"] {
        assert_eq!(nav_labels(&lib.html(page)), ["Patterns", "Notes", "Services", "About us"], "{page}");
    }
    // The pages stay, so old links keep working.
    assert!(lib.exists("incidents/index.html") && lib.exists("trends/index.html") && lib.exists("actions/index.html"));
}

#[test]
fn a_library_with_incidents_keeps_every_tab() {
    let lib = Lib::new(&[("content/incidents/2024-01-02-a.md", "---\ntitle: A\n---\nBody.\n")]);
    lib.build_clean();
    let labels = nav_labels(&lib.html("index.html"));
    assert_eq!(labels, ["Incidents", "Patterns", "Trends", "Actions", "Notes", "Services"]);
}

#[test]
fn every_page_names_the_icon_the_theme_ships() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-02-a.md", "---\ntitle: A\nfactors: [x]\ntags: [t]\n---\nBody.\n"),
        ("content/notes/n.md", "---\ntitle: N\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let pages: Vec<String> = lib.site_files().into_iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        let html = lib.html(page);
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let depth = page.matches('/').count();
        let want = format!("<link rel=\"icon\" href=\"{}icon.svg\" type=\"image/svg+xml\">", "../".repeat(depth));
        let want_abs = "<link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">";
        assert!(html.contains(&want) || html.contains(want_abs), "{page} names no icon:\n{html}");
    }
    let svg = lib.read("icon.svg");
    assert!(svg.starts_with("<svg") && svg.contains("prefers-color-scheme:dark"), "{svg}");
    let ico = std::fs::read(lib.site().join("favicon.ico")).expect("favicon.ico");
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
}

#[test]
fn the_search_page_is_laid_out_before_its_script_runs() {
    let lib = Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nBody.\n")]);
    lib.build_clean();
    let html = lib.html("search/index.html");
    assert!(html.contains("<div id=\"search-page\" class=\"search-layout\">"), "{html}");
    assert!(html.contains("<noscript><div id=\"search-nojs\" class=\"callout\">"), "{html}");
    let css = lib.read("style.css");
    assert!(css.contains(".search-main { min-height: 80vh; }"), "the results' room is kept");
}

#[test]
fn a_library_s_own_favicon_is_kept() {
    let lib =
        Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nBody.\n"), ("content/static/favicon.ico", "ours")]);
    lib.build_clean();
    assert_eq!(lib.read("favicon.ico"), "ours");
    assert!(lib.read("icon.svg").starts_with("<svg"));
}
