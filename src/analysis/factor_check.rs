//! `check` on factors (docs/diagnostics.md): a factor named in a single document whose id is within two
//! edits of another factor's is probably a misspelling of it. Both are reported, with where
//! each is written, so the author can pick one spelling or register one as an alias.
//!
//! Registered factors are left alone: the registry's author made them distinct on purpose, and
//! an unregistered spelling close to a registered one already gets `unknown-factor` with a
//! did-you-mean. What remains is two unregistered spellings, the common case in a library
//! without a registry (`db-failover` in five incidents, `db-failvoer` in one).

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Library;
use std::collections::BTreeMap;

/// Where a factor is written: the documents naming it, first as sorted by path.
struct Uses<'a> {
    /// (path, location, spelling as written), one per document.
    places: Vec<(&'a str, Location, &'a str)>,
}

/// The factors named once that are within two edits of another factor, as warnings at the
/// single use, naming the other factor's first use and how many documents name it.
pub(crate) fn near_duplicates(lib: &Library) -> Vec<Diagnostic> {
    let mut uses: BTreeMap<&str, Uses> = BTreeMap::new();
    let refs = lib.incidents.iter().map(|i| (&i.doc, &i.factors)).chain(lib.notes.iter().map(|n| (&n.doc, &n.factors)));
    for (doc, factors) in refs {
        for f in factors {
            if lib.factors.all.get(&f.id).is_some_and(|x| x.registered) {
                continue;
            }
            let u = uses.entry(f.id.as_str()).or_insert_with(|| Uses { places: Vec::new() });
            // A document naming the factor twice counts once.
            if u.places.last().is_none_or(|(p, _, _)| *p != doc.path) {
                u.places.push((doc.path.as_str(), f.loc, f.written.as_str()));
            }
        }
    }
    for u in uses.values_mut() {
        u.places.sort_by(|a, b| (a.0, a.1.line, a.1.column).cmp(&(b.0, b.1.line, b.1.column)));
    }
    let mut out = Vec::new();
    for (id, u) in uses.iter().filter(|(_, u)| u.places.len() == 1) {
        let len = id.chars().count();
        // Ids that differ in length by more than two cannot be within two edits.
        let others = uses.keys().copied().filter(|o| o != id && o.chars().count().abs_diff(len) <= 2);
        let Some(near) = crate::diagnostic::did_you_mean(id, others) else { continue };
        // Two single spellings close to each other: report the pair once, at the later path.
        let theirs = &uses[near];
        if theirs.places.len() == 1 && theirs.places[0].0 > u.places[0].0 {
            continue;
        }
        let (path, loc, written) = u.places[0];
        let (their_path, their_loc, their_written) = theirs.places[0];
        let n = theirs.places.len();
        let where_else = if n == 1 {
            String::new()
        } else {
            format!(" and in {} other document{}", n - 1, if n == 2 { "" } else { "s" })
        };
        out.push(
            Diagnostic::warning(
                "near-duplicate-factor",
                path,
                format!("factor `{written}` is named only here and is close to `{their_written}`"),
            )
            .at_loc(loc)
            .help(format!(
                "`{their_written}` is written at {their_path}:{}:{}{where_else}",
                their_loc.line, their_loc.column
            ))
            .help(format!(
                "if they are the same factor, write one spelling, or register `{near}` in factors.yaml with `{written}` among its aliases"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testlib::incident;
    use crate::model::Factor;

    fn lib(factor_lists: &[&[&str]]) -> Library {
        let incidents: Vec<_> =
            factor_lists.iter().enumerate().map(|(k, fs)| incident(&format!("i{k}"), "2024-01-01", &[], fs)).collect();
        let mut lib =
            Library { incidents: incidents.into_iter().map(std::sync::Arc::new).collect(), ..Library::default() };
        for inc in &lib.incidents {
            for f in &inc.factors {
                lib.factors.all.entry(f.id.clone()).or_insert_with(|| Factor { id: f.id.clone(), ..Factor::default() });
            }
        }
        lib
    }

    #[test]
    fn a_single_use_close_to_another_factor_is_a_warning() {
        // (factor lists of incidents, headlines expected)
        let cases: &[(&[&[&str]], &[&str])] = &[
            (
                &[&["db-failover"], &["db-failover"], &["db-failvoer"]],
                &["content/incidents/i2.md:1:1: warning: factor `db-failvoer` is named only here and is close to `db-failover`"],
            ),
            // Both named once: one warning, at the later path.
            (
                &[&["retry-storm"], &["retry-storms"]],
                &["content/incidents/i1.md:1:1: warning: factor `retry-storms` is named only here and is close to `retry-storm`"],
            ),
            // Named twice each: no warning. Far apart: none. Short ids need a closer match.
            (&[&["db-failover", "db-failvoer"], &["db-failover", "db-failvoer"]], &[]),
            (&[&["dns"], &["disk"]], &[]),
            (&[&["ab"], &["ac"]], &[]),
        ];
        for (lists, want) in cases {
            let got: Vec<String> = near_duplicates(&lib(lists)).iter().map(|d| d.headline()).collect();
            assert_eq!(got, *want, "{lists:?}");
        }
    }

    #[test]
    fn registered_factors_are_left_alone() {
        let mut l = lib(&[&["config-change"], &["config-change"], &["config-chnage"]]);
        l.factors.all.get_mut("config-change").expect("factor").registered = true;
        assert!(near_duplicates(&l).is_empty(), "unknown-factor's did-you-mean covers it");
        let d = &near_duplicates(&lib(&[&["config-change"], &["config-change"], &["config-chnage"]]))[0];
        assert_eq!(d.help[0], "`config-change` is written at content/incidents/i0.md:1:1 and in 1 other document");
    }
}
