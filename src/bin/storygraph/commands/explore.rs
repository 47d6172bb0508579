//! The path and exploration commands: resolve names and filters, run the
//! search on a projection, write the result to `out`. The CLI subcommands
//! and the shell's dot-commands both call these functions.

use std::io::Write;

use storygraph::deadline::CancellationToken;
use storygraph::graph::explain::explain;
use storygraph::graph::explore;
use storygraph::graph::search::{PathQuery, Search, Weight};
use storygraph::graph::{EntityIndex, Projection};
use storygraph::render::explore as render;
use storygraph::render::listing::{write_duplicates, write_merges};
use storygraph::render::path::write_paths;
use storygraph::render::ListingFormat;
use storygraph::store::{GraphStore, QueryError};
use storygraph::{Error, Result};

use crate::args::{
    ConflictsArgs, ConnectionsArgs, EntityFilterArgs, ExploreCommand, FindArgs, KPathsArgs,
    NeighborsArgs, PathArgs, PathOptions, TimelineArgs,
};
use crate::outcome::{write_error, Outcome};
use crate::settings::{k_paths_query, path_filter, path_filter_between, path_query, walk};

/// Runs a path or exploration command on a projection (of `store`).
pub fn run(
    store: &GraphStore,
    projection: &Projection,
    command: &ExploreCommand,
    token: &CancellationToken,
    out: &mut dyn Write,
) -> Result<Outcome> {
    match command {
        ExploreCommand::Path(request) => path(projection, request, token, out),
        ExploreCommand::Neighbors(request) => neighbors(projection, request, out),
        ExploreCommand::Timeline(request) => timeline(projection, request, out),
        ExploreCommand::Find(request) => find(projection, request, out),
        ExploreCommand::Search(request) => {
            let source = super::search::ProjectionSource::Ready(projection);
            super::search::search(store, source, request, token, out)
        }
        ExploreCommand::Conflicts(request) => conflicts(projection, request, out),
        ExploreCommand::Corroboration(request) => corroboration(projection, request, out),
        ExploreCommand::Connections(request) => connections(projection, request, out),
        ExploreCommand::Duplicates(request) => {
            let pairs = storygraph::graph::duplicates::duplicates(projection);
            let format = request.format.unwrap_or(ListingFormat::Table);
            if pairs.is_empty() && format == ListingFormat::Table {
                eprintln!("no likely duplicates");
                return Ok(Outcome::NoResult);
            }
            write_duplicates(out, format, projection, &pairs).map_err(write_error)?;
            Ok(Outcome::found(pairs.is_empty()))
        }
        ExploreCommand::Merges(request) => {
            let merges = store.editorial_merges()?;
            let format = request.format.unwrap_or(ListingFormat::Table);
            write_merges(out, format, &merges).map_err(write_error)?;
            Ok(Outcome::found(merges.is_empty()))
        }
        ExploreCommand::Export(request) => {
            super::export::export(store, projection, request, token, out)
        }
    }
}

/// Projects the store for one command (the shell keeps its own).
pub fn projection(store: &GraphStore) -> Result<Projection> {
    Ok(Projection::build(store)?)
}

/// [`projection`], given up soon after `token` is cancelled (a deadline,
/// Ctrl-C) when it has to be built from the store; loading a snapshot is
/// bounded by its size and ends first.
pub fn projection_until(store: &GraphStore, token: &CancellationToken) -> Result<Projection> {
    let projection = Projection::build_until(store, token)?;
    if token.is_cancelled() {
        return Err(QueryError::Cancelled.into());
    }
    Ok(projection)
}

/// `path`; `token` stops the enumeration of `--all`.
pub fn path(
    projection: &Projection,
    request: &PathArgs,
    token: &CancellationToken,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let query = path_query(request)?;
    write_path_result(
        projection,
        [&request.from, &request.to],
        query,
        &request.options,
        Some(token),
        out,
    )
}

/// `.paths`: the K shortest paths, `path --k K` under another name.
pub fn k_paths(
    projection: &Projection,
    request: &KPathsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let query = k_paths_query(request)?;
    write_path_result(
        projection,
        [&request.from, &request.to],
        query,
        &request.options,
        None,
        out,
    )
}

fn write_path_result(
    projection: &Projection,
    [from_name, to_name]: [&String; 2],
    query: PathQuery,
    options: &PathOptions,
    token: Option<&CancellationToken>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let (from, to) = two_entities(projection, from_name, to_name, "")?;
    let filter = path_filter_between(projection, options, (from, to))?;
    let mut search = Search::new(projection, &filter, walk(&options.filter, options.weight));
    if let Some(token) = token {
        search = search.stoppable(token);
    }
    let (paths, truncated) = search.find(projection.node(from), projection.node(to), query);
    if token.is_some_and(CancellationToken::is_cancelled) {
        return Err(Error::Query(QueryError::Cancelled));
    }
    let explanation = explain(projection, &search, from, to, &paths);
    write_paths(
        out,
        options.format,
        projection,
        &search,
        (from, to),
        &paths,
        explanation,
        truncated,
    )
    .map_err(write_error)?;
    Ok(Outcome::found(paths.is_empty()))
}

/// Two different entities, by name; `hint` follows the error when they
/// are the same.
pub fn two_entities(
    projection: &Projection,
    from: &str,
    to: &str,
    hint: &str,
) -> Result<(EntityIndex, EntityIndex)> {
    let (a, b) = (
        projection.resolve_entity(from)?,
        projection.resolve_entity(to)?,
    );
    if a == b {
        return Err(Error::Usage(format!(
            "\"{from}\" and \"{to}\" name the same entity{hint}"
        )));
    }
    Ok((a, b))
}

/// `neighbors`.
pub fn neighbors(
    projection: &Projection,
    request: &NeighborsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = projection.resolve_entity(&request.entity)?;
    let filter = path_filter(projection, &request.filter)?;
    let directed = request.filter.directed;
    let neighborhood = explore::neighborhood(projection, entity, request.hops, &filter, directed);
    render::write_neighbors(out, request.format, projection, &neighborhood).map_err(write_error)?;
    Ok(Outcome::found(neighborhood.is_empty()))
}

/// `timeline`.
pub fn timeline(
    projection: &Projection,
    request: &TimelineArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = projection.resolve_entity(&request.entity)?;
    let filter = path_filter(projection, &request.filter)?;
    let facts = explore::timeline(projection, entity, &filter);
    render::write_timeline(out, request.format, projection, entity, &facts).map_err(write_error)?;
    Ok(Outcome::found(facts.is_empty()))
}

/// `find`.
pub fn find(projection: &Projection, request: &FindArgs, out: &mut dyn Write) -> Result<Outcome> {
    let found = explore::find(projection, &request.text, request.as_of);
    if found.is_empty() {
        let hint = projection
            .entities
            .nearest_name(&request.text)
            .map(|n| format!(" (did you mean \"{n}\"?)"))
            .unwrap_or_default();
        eprintln!("no entity matches \"{}\"{hint}", request.text);
        if request.format == ListingFormat::Table {
            return Ok(Outcome::NoResult);
        }
    }
    render::write_found(out, request.format, projection, &found).map_err(write_error)?;
    Ok(Outcome::found(found.is_empty()))
}

fn optional_entity(projection: &Projection, name: Option<&str>) -> Result<Option<EntityIndex>> {
    Ok(name.map(|n| projection.resolve_entity(n)).transpose()?)
}

/// `conflicts`.
pub fn conflicts(
    projection: &Projection,
    request: &ConflictsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = optional_entity(projection, request.entity.as_deref())?;
    let filter = path_filter(projection, &request.filter)?;
    let found = explore::conflicts(projection, entity, &filter, &request.kind);
    render::write_conflicts(out, request.format, projection, &found).map_err(write_error)?;
    Ok(Outcome::found(found.is_empty()))
}

/// `corroboration`.
pub fn corroboration(
    projection: &Projection,
    request: &EntityFilterArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = optional_entity(projection, request.entity.as_deref())?;
    let filter = path_filter(projection, &request.filter)?;
    let rows = explore::corroboration(projection, entity, &filter);
    render::write_corroboration(out, request.format, projection, &rows).map_err(write_error)?;
    Ok(Outcome::found(rows.is_empty()))
}

/// `connections`.
pub fn connections(
    projection: &Projection,
    request: &ConnectionsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let filter = path_filter(projection, &request.filter)?;
    let a = projection.resolve_article(&request.a)?;
    let b = projection.resolve_article(&request.b)?;
    let search = Search::new(projection, &filter, walk(&request.filter, Weight::Hops));
    let connection = explore::connections(
        projection,
        a,
        b,
        (!request.entity_overlap).then_some(&search),
    );
    render::write_connection(out, request.format, projection, &search, &connection)
        .map_err(write_error)?;
    Ok(Outcome::found(
        connection.shared.is_empty() && connection.path.is_none(),
    ))
}
