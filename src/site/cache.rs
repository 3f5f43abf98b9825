//! What `serve` keeps from one run of the pipeline to make the next one cheaper: one value,
//! [`Cache`], handed to the stages that can use it (`build` hands none, and then each stage
//! does all its work). Every part is checked or cleared before it is reused, so a build with a
//! cache gives the same site as one without (`serve`'s partial-equals-full tests hold it).

use crate::config::Config;
use crate::content::{self, Listing, Read};
use crate::model::{self, Modelled, ParseCache};
use crate::render::{ActionChunks, JsonItems, Templates};
use crate::theme::Theme;
use std::path::PathBuf;

use super::Checked;

/// What one build leaves for the next: the source folder as listed, the documents as modelled,
/// the last good analysis and theme, and what rendering and the search index can take again.
#[derive(Default)]
pub(crate) struct Cache {
    /// The source folder as last listed. The next build takes it instead of walking the folder
    /// again; whoever knows that files were added or removed sets it to `None`.
    pub(crate) listing: Option<Listing>,
    /// The documents as last modelled, by source path; forget the ones that changed.
    pub(crate) parsed: ParseCache,
    /// The last good build: the analysis reuses each part of it whose inputs are unchanged.
    pub(crate) previous: Option<Checked>,
    /// The theme of the last good build.
    pub(crate) theme: Option<Theme>,
    /// Items of `api/incidents.json` printed by earlier builds; forget the changed incidents.
    pub(crate) json_items: JsonItems,
    /// Row chunks of `/actions/` rendered by earlier builds.
    pub(crate) action_chunks: ActionChunks,
    /// The theme's templates as last parsed.
    pub(crate) templates: Templates,
    /// The last search index; forget the changed pages.
    pub(crate) search: crate::search::IndexCache,
}

impl Cache {
    /// Forgets everything that depends on more than one document, for a build of every page.
    pub(crate) fn forget_outputs(&mut self) {
        self.json_items = JsonItems::default();
        self.action_chunks = ActionChunks::default();
        self.search.clear();
    }
}

/// The source folder listed: taken from `cache` when it holds the last listing, else walked.
pub(super) fn listing(config: &Config, cache: Option<&mut Cache>) -> anyhow::Result<Listing> {
    match cache.and_then(|c| c.listing.take()) {
        Some(listing) => Ok(listing),
        None => content::list(config),
    }
}

/// Every document of `documents` (from a [`Listing`]) read and modelled on the thread that read
/// it, so what was read is dropped there and a large library's raw documents are never all held
/// at once. With `parsed`, the documents it holds are taken from it instead, and the others
/// are added to it. `indexed`: the search index is written from these documents as modelled
/// (`model::model_document`).
pub(super) fn read_and_model(
    config: &Config,
    documents: &[(PathBuf, String)],
    parsed: Option<&mut ParseCache>,
    indexed: bool,
) -> Read<Modelled> {
    let model = |raw| model::model_document(&raw, config, indexed);
    let Some(parsed) = parsed else { return content::read_each(config, documents, model) };
    let unread: Vec<(PathBuf, String)> = documents.iter().filter(|(_, rel)| !parsed.holds(rel)).cloned().collect();
    let read = content::read_each(config, &unread, model);
    for m in &read.documents {
        parsed.keep(m);
    }
    // A document that could not be read is not kept, so it is read again next time and
    // reported again; every other one is held now, in the order of the listing.
    let documents = documents.iter().filter_map(|(_, rel)| parsed.get(rel)).collect();
    Read { documents, rejected: read.rejected, diagnostics: read.diagnostics }
}
