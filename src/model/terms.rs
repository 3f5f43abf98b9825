//! An incident's words, counted once when it is read for both their readers: its terms for
//! similar incidents (docs/similar.md) and the search index's count of its title, summary, tags
//! and body ([`crate::text::vocab`]).

use super::Incident;
use crate::markdown::Text;
use crate::text::vocab::{self, Counted, Field, Similar};

pub use crate::text::terms::{stem_hash, Term, Terms};

/// What of an incident's body `text` the search index reads, which must be the body the
/// document keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// All of it.
    Body,
    /// All but its first level-1 heading, taken out as the title.
    BodyButTitle,
    /// Nothing: the search index reads the body itself.
    No,
}

/// Counts the words of an incident: for similar incidents its title, summary, running text
/// (its headings but the first level-1 one, and its blocks marked [`Text::running`]) and the
/// factors written in its front matter with their notes; for
/// the search index, unless `search` says no, the texts every document is indexed by (title,
/// summary, tags, headings and blocks of the body it keeps).
pub(crate) fn count_incident(i: &Incident, text: &Text, search_body: Search) -> (Terms, Option<Counted>) {
    let for_search = search_body != Search::No;
    let search = |f: Field| for_search.then_some(f);
    let (counted, terms) = vocab::count_with(|v| {
        let d = &i.doc;
        let mut length = v.count_text(&d.title, search(Field::Title), Similar::Title);
        if let Some(s) = &d.summary {
            length += v.count_text(s, search(Field::Strong), Similar::Text(1));
        }
        for t in &d.tags {
            length += v.count_text(t, search(Field::Strong), Similar::No);
        }
        for (k, h) in text.headings.iter().enumerate() {
            // The first level-1 heading is a title: no running text, and not in the body the
            // document keeps when it was taken out as the title.
            let (field, similar) = if Some(k) == text.first_h1 {
                ((search_body == Search::Body).then_some(Field::Strong), Similar::No)
            } else {
                (search(Field::Strong), Similar::Text(1))
            };
            length += v.count_text(h, field, similar);
        }
        for (b, running) in text.blocks.iter().zip(&text.running) {
            length += v.count_text(b, search(Field::Body), if *running { Similar::Text(1) } else { Similar::No });
        }
        for f in &i.factors {
            v.count_text(&f.written, None, Similar::Text(1));
            if let Some(n) = &f.note {
                v.count_text(n, None, Similar::Text(1));
            }
        }
        // The factor sections say what went wrong, the rest of a body mostly what happened
        // around it: counted twice more (they are in the body too), they weigh more.
        for t in &i.factor_texts {
            v.count_text(&t.text, None, Similar::Text(FACTOR_REPEAT));
        }
        length
    });
    (terms, for_search.then_some(counted))
}

/// How many more times the contributing-factor texts read from a body count (chosen on the
/// labelled library, docs/similar.md: a partner in the top 3 for 31 of 34 incidents with
/// none, 34 with two).
const FACTOR_REPEAT: u16 = 2;
