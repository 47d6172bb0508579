//! `search` and `.search`: full-text search of what was said, through the
//! store's search index (built or rebuilt here when the store has changed).

use std::io::{IsTerminal, Write};

use storygraph::deadline::CancellationToken;
use storygraph::graph::Projection;
use storygraph::render::search::{write_json, write_text, Marks};
use storygraph::render::ExploreFormat;
use storygraph::search::{SearchError, SearchIndex, SearchRequest};
use storygraph::store::{GraphStore, QueryError};
use storygraph::{Error, Result};

use crate::args::SearchArgs;
use crate::outcome::{write_error, Outcome};

/// Where a search gets the projection, which it needs only to resolve
/// `--entity` or to (re)build the index: the shell has one; the CLI builds
/// it only then, so a search of a current index skips the snapshot load.
pub enum ProjectionSource<'a> {
    Ready(&'a Projection),
    OnDemand,
}

/// Runs one search and writes its hits.
pub fn search(
    store: &GraphStore,
    source: ProjectionSource<'_>,
    args: &SearchArgs,
    token: &CancellationToken,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let text = args.text.join(" ");
    if storygraph::terms::terms(&text).is_empty() {
        return Err(Error::Usage(format!(
            "\"{text}\" has no word to search for; give words in any script"
        )));
    }
    if let Some(article) = args
        .article
        .as_deref()
        .filter(|a| !store.contains_article(a).unwrap_or(true))
    {
        return Err(Error::Usage(format!(
            "no article has the id \"{article}\"; `storygraph articles` lists them"
        )));
    }
    // A stale index catches up with writes that only added articles; a
    // failure to do so is a rebuild's to report.
    let current = SearchIndex::catch_up(store).unwrap_or(None);
    let (index, entity) = match (current, &args.entity) {
        (Some(index), None) => (index, None),
        (index, name) => {
            let built;
            let projection = match source {
                ProjectionSource::Ready(projection) => projection,
                ProjectionSource::OnDemand => {
                    built = crate::commands::explore::projection_until(store, token)?;
                    &built
                }
            };
            let entity = match name {
                Some(name) => Some(
                    projection
                        .entities
                        .get(projection.resolve_entity(name)?)
                        .iri
                        .clone(),
                ),
                None => None,
            };
            let index = match index {
                Some(index) => index,
                None => SearchIndex::rebuild(store, projection, token).map_err(search_error)?,
            };
            (index, entity)
        }
    };
    let request = SearchRequest {
        text: text.clone(),
        entity,
        article: args.article.clone(),
        since: args.since,
        until: args.until,
        min_certainty: args.min_certainty,
        limit: args.limit,
    };
    let (hits, some_words) = index.search(&request).map_err(search_error)?;
    if some_words && !hits.is_empty() {
        eprintln!("nothing said has every word of \"{text}\"; these have some of them");
    }
    match args.format {
        ExploreFormat::Json => write_json(out, &text, &hits).map_err(write_error)?,
        _ => {
            if hits.is_empty() {
                eprintln!("nothing said matches \"{text}\"");
                return Ok(Outcome::NoResult);
            }
            let colour = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let marks = if colour {
                Marks::TERMINAL
            } else {
                Marks::PLAIN
            };
            write_text(out, &hits, marks).map_err(write_error)?;
        }
    }
    Ok(Outcome::found(hits.is_empty()))
}

/// Brings the store's search index up to date after a write, when it has
/// one (a store never searched pays nothing); a failure only warns, as
/// the next search rebuilds it.
pub fn refresh_after_write(store: &GraphStore) {
    let refreshed = || -> Result<()> {
        if SearchIndex::is_stale(store) && SearchIndex::catch_up(store).unwrap_or(None).is_none() {
            let projection = Projection::build(store)?;
            let token = CancellationToken::new();
            SearchIndex::rebuild(store, &projection, &token).map_err(search_error)?;
        }
        Ok(())
    };
    if let Err(e) = refreshed() {
        eprintln!("warning: the search index was not refreshed ({e}); the next search rebuilds it");
    }
}

fn search_error(e: SearchError) -> Error {
    match e {
        SearchError::Cancelled => Error::Query(QueryError::Cancelled),
        other => Error::Search(other),
    }
}
