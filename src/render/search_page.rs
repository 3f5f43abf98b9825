//! The search page (`/search/`): its filters and results are filled in by `search-page.js`
//! from the index that [`crate::search`] writes; without JavaScript it says so and links the
//! incident table.

use super::{Renderer, Sink};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct SearchView {
    script: String,
}

impl Renderer<'_> {
    pub(super) fn search_page(&self, sink: &dyn Sink) -> Result<()> {
        let path = "search/";
        let view = SearchView { script: self.b.href(crate::urls::Urls::depth(path), "search-page.js") };
        sink.put(&super::file_of(path), &self.page(path, "search.html", "Search", "search", view)?)
    }
}
