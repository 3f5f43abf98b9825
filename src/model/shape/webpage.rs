//! A web page saved as text: its real title found among the site's chrome (taglines, menus,
//! breadcrumbs), the lines before it and later repeats of it set aside, and a `By NAME` line
//! read as its authors (docs/notes.md).

use crate::markdown::collapse;

/// How many of a page's first lines (blank lines not counted) may hold its title.
const TITLE_WITHIN: usize = 40;

/// Why a line of a saved page is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOut {
    /// Before the title: the site's chrome.
    Chrome,
    /// The title again, alone on a line.
    Repeat,
    /// `By NAME`, read as the authors.
    Byline,
}

/// What was found in a saved page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The title.
    pub title: String,
    /// Index of the line that is the title.
    pub title_line: usize,
    /// The other lines left out, by index, with why.
    pub left_out: Vec<(usize, LeftOut)>,
    /// Authors from a `By NAME` line right after the title.
    pub authors: Vec<String>,
}

/// The title of a page saved as text and what stands around it, when a line passes for its
/// title: short (two to twelve words with letters, not ending in `.`) and written elsewhere
/// among the first lines too, alone or ending another line (a breadcrumb).
pub fn read(lines: &[&str]) -> Option<Page> {
    let first: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .take(TITLE_WITHIN)
        .map(|(i, l)| (i, collapse(l)))
        .collect();
    let (title_line, title) = first.iter().find(|(i, t)| {
        is_short(t)
            && first.iter().any(|(j, other)| {
                j != i && (other == t || other.strip_suffix(t.as_str()).is_some_and(|head| head.ends_with(' ')))
            })
    })?;
    let mut left_out: Vec<(usize, LeftOut)> =
        first.iter().take_while(|(i, _)| i < title_line).map(|(i, _)| (*i, LeftOut::Chrome)).collect();
    let mut authors = Vec::new();
    let next = lines.iter().enumerate().skip(title_line + 1).find(|(_, l)| !l.trim().is_empty());
    if let Some((i, line)) = next {
        authors = byline(line);
        if !authors.is_empty() {
            left_out.push((i, LeftOut::Byline));
        }
    }
    for (i, line) in lines.iter().enumerate().skip(title_line + 1) {
        if line.contains(title.as_str()) && collapse(line) == *title {
            left_out.push((i, LeftOut::Repeat));
        }
    }
    left_out.sort_unstable();
    Some(Page { title: title.clone(), title_line: *title_line, left_out, authors })
}

/// Two to twelve words with letters, not ending in `.`.
fn is_short(line: &str) -> bool {
    let words = line.split(' ').filter(|w| w.chars().any(char::is_alphabetic)).count();
    (2..=12).contains(&words) && !line.ends_with('.')
}

/// Words of a name that may start in lower case (`Ana de Souza`, `Jan van Dijk`).
const PARTICLES: &[&str] =
    &["de", "da", "das", "do", "dos", "du", "del", "della", "di", "van", "von", "der", "den", "la", "le", "bin", "ibn"];

/// The names of a line `By NAME` or `By NAME, ...` (`and` or `&` between names); none when the
/// line reads as a sentence (`By the way, ...`).
fn byline(line: &str) -> Vec<String> {
    let line = collapse(line);
    let Some(rest) = line.strip_prefix("By ").or_else(|| line.strip_prefix("by ")) else { return Vec::new() };
    let names = rest.split(',').next().unwrap_or("");
    let names: Vec<String> = names
        .split(" and ")
        .flat_map(|n| n.split(" & "))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let is_name = |n: &String| {
        let words: Vec<&str> = n.split(' ').collect();
        words.len() <= 5
            && words.first().is_some_and(|w| w.starts_with(char::is_uppercase))
            && words.iter().all(|w| w.starts_with(char::is_uppercase) || PARTICLES.contains(w))
    };
    if names.is_empty() || !names.iter().all(is_name) {
        return Vec::new();
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn page(text: &str) -> Option<Page> {
        let lines: Vec<&str> = text.lines().collect();
        read(&lines)
    }

    #[test]
    fn finds_the_title_after_a_breadcrumb() {
        let text =
            "A tagline for a magazine of ideas\n\nSubscribe\n\nHome  Articles  On Call Fatigue\n\nOn Call Fatigue\n\n\
                    By Ana de Souza, March 2021\n\nThe pager went off.\n\nOn Call Fatigue\n";
        let p = page(text).expect("a title");
        assert_eq!(p.title, "On Call Fatigue");
        assert_eq!(p.title_line, 6);
        assert_eq!(
            p.left_out,
            vec![
                (0, LeftOut::Chrome),
                (2, LeftOut::Chrome),
                (4, LeftOut::Chrome),
                (8, LeftOut::Byline),
                (12, LeftOut::Repeat)
            ]
        );
        assert_eq!(p.authors, vec!["Ana de Souza"]);
    }

    #[test]
    fn the_first_line_repeated_is_the_title() {
        let p =
            page("Notes From the Game Day\n\nWhat we learned\n\nNotes From the Game Day\n\nBy the way, it rained.\n")
                .unwrap();
        assert_eq!((p.title.as_str(), p.title_line), ("Notes From the Game Day", 0));
        assert_eq!(p.left_out, vec![(4, LeftOut::Repeat)]);
        assert!(p.authors.is_empty());
    }

    #[test]
    fn no_repeated_short_line_is_no_title() {
        assert_eq!(page("One line here\n\nA sentence that ends.\n\nA sentence that ends.\n"), None);
        assert_eq!(page("Word\n\nWord\n"), None);
        assert_eq!(byline("By Bo Chen and Ana Lima, editors"), vec!["Bo Chen", "Ana Lima"]);
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        #[test]
        fn never_panics_and_the_title_is_a_line(text in "(.|\n|By |Home ){0,300}") {
            let lines: Vec<&str> = text.lines().collect();
            if let Some(p) = read(&lines) {
                prop_assert_eq!(collapse(lines[p.title_line]), p.title.clone());
                prop_assert!(p.left_out.iter().all(|(i, _)| *i < lines.len() && *i != p.title_line));
                prop_assert!(is_short(&p.title));
            }
        }

        #[test]
        fn the_repeated_line_wins_over_chrome(chrome in proptest::collection::vec("[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}", 0..8),
                                              title in "[A-Z][a-z]{2,8}( [a-z]{2,8}){1,5}") {
            prop_assume!(!chrome.iter().any(|c| c == &title || c.ends_with(&format!(" {title}"))));
            let mut text = chrome.join("\n\n");
            text.push_str(&format!("\n\nSite Home {title}\n\n{title}\n\nBody text.\n"));
            let p = page(&text).unwrap();
            // A chrome line written twice may be taken first; else the title is found.
            let repeated_chrome = chrome.iter().enumerate().any(|(i, c)| is_short(c) && chrome.iter().skip(i + 1).any(|d| d == c));
            prop_assume!(!repeated_chrome);
            prop_assert_eq!(p.title, title);
        }
    }
}
