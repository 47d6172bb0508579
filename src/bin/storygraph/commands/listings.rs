//! `stats`, `articles` and `schema`: what the store holds, and the input
//! format's JSON Schema.

use std::io::Write;

use storygraph::input::format::json_schema;
use storygraph::render::listing::{write_articles, write_stats};
use storygraph::render::{write_json, ListingFormat};
use storygraph::store::GraphStore;
use storygraph::Result;

use crate::outcome::{write_error, Outcome};

/// The store's counts.
pub fn stats(store: &GraphStore, format: ListingFormat, out: &mut dyn Write) -> Result<Outcome> {
    let stats = store.stats()?;
    write_stats(out, format, &stats).map_err(write_error)?;
    Ok(Outcome::Success)
}

/// The ingested articles; exit code 1 when there are none.
pub fn articles(store: &GraphStore, format: ListingFormat, out: &mut dyn Write) -> Result<Outcome> {
    let articles = store.articles()?;
    write_articles(out, format, &articles).map_err(write_error)?;
    Ok(Outcome::found(articles.is_empty()))
}

/// The JSON Schema of the input format.
pub fn schema(out: &mut dyn Write) -> Result<Outcome> {
    write_json(out, &json_schema()).map_err(write_error)?;
    Ok(Outcome::Success)
}
