//! The environment variables casebook reads, each read once, here (docs/benchmarks.md lists the
//! ones for measuring; `SOURCE_DATE_EPOCH` is the reproducible-builds convention).

use std::sync::OnceLock;

/// What the environment asks of this process.
#[derive(Debug, Clone, Default)]
pub struct Switches {
    /// `SOURCE_DATE_EPOCH`: seconds since 1970 that stand for "now" (the reference date of
    /// trends and `casebook new`'s date), so the same input gives the same bytes.
    pub source_date_epoch: Option<i64>,
    /// `CASEBOOK_TERA=1`: render every page through Tera, also those the native printer would
    /// print, to compare the two.
    pub tera_everywhere: bool,
    /// `CASEBOOK_TIMINGS`: print each stage's and render job's time and memory on stderr. The
    /// build runs exactly as it would without it.
    pub timings: bool,
    /// `CASEBOOK_SEARCH_TIMINGS`: print the search index's own time and memory.
    pub search_timings: bool,
    /// `MIMALLOC_PURGE_DELAY` is set: the allocator's own setting is left to it.
    pub purge_delay_set: bool,
    /// `NO_COLOR` is set and not empty: no colour on a terminal unless `--color always`.
    pub no_color: bool,
}

impl Switches {
    /// The switches of this process, read from the environment on first use.
    pub fn get() -> &'static Switches {
        static SWITCHES: OnceLock<Switches> = OnceLock::new();
        SWITCHES.get_or_init(|| Switches::from_vars(|name| std::env::var_os(name)))
    }

    /// The switches that `var` gives (the environment, or a test's own values).
    pub fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Switches {
        let set = |name: &str| var(name).is_some();
        Switches {
            source_date_epoch: var("SOURCE_DATE_EPOCH").and_then(|v| v.to_str()?.trim().parse().ok()),
            tera_everywhere: var("CASEBOOK_TERA").is_some_and(|v| v == "1"),
            timings: set("CASEBOOK_TIMINGS"),
            search_timings: set("CASEBOOK_SEARCH_TIMINGS"),
            purge_delay_set: set("MIMALLOC_PURGE_DELAY"),
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_are_read_from_their_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            Switches::from_vars(move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).into()))
        };
        let none = vars(&[]);
        assert!(!none.tera_everywhere && !none.timings && !none.search_timings && !none.purge_delay_set);
        assert!(!none.no_color && !vars(&[("NO_COLOR", "")]).no_color && vars(&[("NO_COLOR", "1")]).no_color);
        assert_eq!(none.source_date_epoch, None);
        let all = vars(&[
            ("SOURCE_DATE_EPOCH", " 1700000000 "),
            ("CASEBOOK_TERA", "1"),
            ("CASEBOOK_TIMINGS", ""),
            ("CASEBOOK_SEARCH_TIMINGS", "1"),
            ("MIMALLOC_PURGE_DELAY", "10"),
        ]);
        assert_eq!(all.source_date_epoch, Some(1_700_000_000));
        assert!(all.tera_everywhere && all.timings && all.search_timings && all.purge_delay_set);
        assert!(!vars(&[("CASEBOOK_TERA", "0")]).tera_everywhere);
        assert_eq!(vars(&[("SOURCE_DATE_EPOCH", "soon")]).source_date_epoch, None);
    }
}
