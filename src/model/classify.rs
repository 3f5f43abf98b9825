//! Contributing-factor texts read from a postmortem's body → factors (docs/content.md#reading-plain-postmortems): every
//! registered factor whose id, title, alias or `match` phrase occurs in a text, as whole words
//! compared by their stems (docs/suggest.md); an unmatched short label is a factor of its own; a
//! longer unmatched text is kept as unclassified. Each outcome is a note at the text's line.

use super::factor::Factors;
use super::incident::FactorRef;
use crate::content::infer::FactorText;
use crate::diagnostic::Diagnostic;

/// Longest text, in words, that counts as a label rather than a sentence.
const LABEL_WORDS: usize = 5;

/// Whether `text` is a short label ("Configuration change"): at most five words, no `.`, `,`
/// or `;`.
pub fn is_label(text: &str) -> bool {
    !text.contains(['.', ',', ';']) && text.split_whitespace().count() <= LABEL_WORDS
}

/// Turns the incident's factor texts into factors and unclassified texts.
/// `factors` and `unclassified` are the incident's, added to.
pub fn classify(
    registry: &Factors,
    path: &str,
    texts: &[FactorText],
    factors: &mut Vec<FactorRef>,
    unclassified: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    for t in texts {
        // Punctuation alone (`- [#`) names nothing; it is no factor and no error.
        if !t.text.chars().any(char::is_alphanumeric) {
            continue;
        }
        let found = registry.matcher().find(&t.text);
        let short = crate::markdown::truncate(&t.text, 80);
        if !found.is_empty() {
            for f in found {
                diags.push(
                    Diagnostic::note("inferred-factor", path, format!("inferred factor `{}` from `{short}`", f.name))
                        .at_loc(t.loc)
                        .help(format!("`{}` is a phrase of `{}` in factors.yaml", f.phrase, f.name)),
                );
                factors.push(FactorRef {
                    id: String::new(),
                    written: f.name,
                    role: None,
                    note: (!is_label(&t.text)).then(|| t.text.clone()),
                    loc: t.loc,
                });
            }
        } else if is_label(&t.text) {
            diags.push(
                Diagnostic::note("inferred-factor", path, format!("inferred factor `{}` from a short label", t.text))
                    .at_loc(t.loc),
            );
            factors.push(FactorRef { id: String::new(), written: t.text.clone(), role: None, note: None, loc: t.loc });
        } else {
            diags.push(
                Diagnostic::note("unclassified-factor", path, format!("unclassified factor text `{short}`"))
                    .at_loc(t.loc)
                    .help("no registered factor matches it; add a `match:` phrase to factors.yaml, or run `casebook patterns --suggest`"),
            );
            unclassified.push(t.text.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_label;

    #[test]
    fn labels_are_short_and_unpunctuated() {
        assert!(is_label("Configuration change"));
        assert!(is_label("missing timeout on the resolver"));
        assert!(!is_label("a missing timeout on the resolver client"));
        assert!(!is_label("Bad config."));
        assert!(!is_label("DNS, then the cache"));
    }
}
