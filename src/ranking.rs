//! `casebook patterns`: the library read and analysed (nothing is written), its factors ranked
//! by recurrence as an aligned table or as the objects of `api/patterns.json`; or, with
//! `--suggest`, a factors.yaml draft from the texts no registered factor matches.

use crate::site::{self, Options, Outcome};
use crate::urls::Urls;
use anyhow::Result;
use std::path::Path;

/// How the ranking is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingFormat {
    /// An aligned table for people.
    Table,
    /// A JSON array of the objects `api/patterns.json` holds, in rank order.
    Json,
}

/// What `casebook patterns` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct RankingRequest {
    /// Table or JSON.
    pub format: RankingFormat,
    /// Only factors in at least this many incidents.
    pub min: usize,
    /// ANSI colour in the table (a terminal, no `NO_COLOR`).
    pub color: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Print a factors.yaml draft instead (docs/suggest.md).
    pub suggest: bool,
}

/// Reads and analyses the library at `root` and returns the ranking as text for stdout, with
/// the outcome (diagnostics, counts) of reading it.
pub fn patterns(root: &Path, req: RankingRequest) -> Result<(String, Outcome)> {
    let a = site::analyse(
        root,
        Options { keep_going: false, drafts: req.drafts },
        None,
        &crate::progress::Progress::hidden(),
    )?;
    if req.suggest {
        let proposals = crate::analysis::suggest::for_library(&a.lib);
        let texts = a.lib.incidents.iter().map(|i| i.unclassified.len()).sum();
        return Ok((crate::analysis::suggest::to_yaml(&proposals, texts), a.outcome(false)));
    }
    let text = match req.format {
        RankingFormat::Table => crate::render::pattern_table(&a.lib, &a.an, req.min, req.color),
        RankingFormat::Json => {
            let urls = Urls::new(&a.config);
            let items: Vec<serde_json::Value> =
                a.an.patterns
                    .iter()
                    .filter(|p| p.count() >= req.min)
                    .map(|p| crate::render::pattern_json(&a.lib, &urls, p))
                    .collect();
            let mut s = serde_json::to_string_pretty(&items)?;
            s.push('\n');
            s
        }
    };
    Ok((text, a.outcome(false)))
}
