//! The path and exploration commands: resolve names, run the search on a
//! projection, write the result to `out`. The CLI subcommands and the
//! shell's dot-commands both call these functions.

use storygraph::explore;
use storygraph::graph::explain::explain;
use storygraph::graph::names::Lookup;
use storygraph::graph::search::{PathFilter, Search, Weight};
use storygraph::graph::Projection;
use storygraph::render::explore as render;
use storygraph::render::path::{write_dot, write_text, PathsDocument};
use storygraph::render::OutputFormat;
use storygraph::store::GraphStore;
use storygraph::{Error, Result};

use std::io::Write;

use crate::app::{write_json_to, Outcome};
use crate::cli::{
    ConnectionsArgs, EntityFilterArgs, ExploreCommand, FilterArgs, FindArgs, KPathsArgs,
    NeighborsArgs, PathArgs, PathFormat, TimelineArgs, WeightArg,
};

/// Runs a path or exploration command on a projection (of `store`).
pub fn run(
    store: &GraphStore,
    projection: &Projection,
    command: &ExploreCommand,
    out: &mut dyn Write,
) -> Result<Outcome> {
    match command {
        ExploreCommand::Path(request) => path(projection, request, out),
        ExploreCommand::Neighbors(request) => neighbors(projection, request, out),
        ExploreCommand::Timeline(request) => timeline(projection, request, out),
        ExploreCommand::Find(request) => find(projection, request, out),
        ExploreCommand::Conflicts(request) => conflicts(projection, request, out),
        ExploreCommand::Corroboration(request) => corroboration(projection, request, out),
        ExploreCommand::Connections(request) => connections(projection, request, out),
        ExploreCommand::Export(request) => {
            crate::export_command::export(store, projection, request, out)
        }
    }
}

/// Projects the store for one command (the shell keeps its own).
pub fn projection(store: &GraphStore) -> Result<Projection> {
    Projection::build(store).map_err(|e| Error::Store(e.into()))
}

pub(crate) fn io_error(e: std::io::Error) -> Error {
    Error::io("writing the result", e)
}

/// Resolves a name to an entity, or explains why it cannot.
pub fn resolve(projection: &Projection, name: &str) -> Result<usize> {
    match projection.entities.lookup(name) {
        Lookup::Found(i) => Ok(i),
        Lookup::Ambiguous(candidates) => {
            let mut text = format!(
                "\"{name}\" names {} entities; name one by its id:",
                candidates.len()
            );
            for i in candidates {
                let e = projection.entities.get(i);
                text.push_str(&format!(
                    "\n  {:<24} {} ({})",
                    e.id(),
                    e.label,
                    e.class_name()
                ));
            }
            Err(Error::Usage(text))
        }
        Lookup::NotFound { nearest } => {
            let hint = nearest
                .map(|n| format!(" (did you mean \"{n}\"?)"))
                .unwrap_or_default();
            Err(Error::Usage(format!(
                "no entity is called \"{name}\"{hint}; `storygraph find {name}` lists near names"
            )))
        }
    }
}

/// The index of the article with this id, or a usage error with the
/// nearest id.
fn article_named(projection: &Projection, id: &str) -> Result<usize> {
    projection
        .articles
        .iter()
        .position(|a| a.id == id)
        .ok_or_else(|| {
            let ids = projection.articles.iter().map(|a| a.id.as_str());
            let hint = storygraph::input::suggest::did_you_mean(id, ids)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            Error::Usage(format!(
                "no article has the id \"{id}\"{hint}; `storygraph articles` lists them"
            ))
        })
}

pub(crate) fn filter(
    projection: &Projection,
    args: &FilterArgs,
    weight: Weight,
) -> Result<PathFilter> {
    let predicate = |name: &String| {
        projection.predicate_named(name).ok_or_else(|| {
            let names: Vec<&str> = projection
                .predicates
                .iter()
                .map(|p| p.iri.rsplit(['#', '/']).next().unwrap_or(""))
                .collect();
            let hint = storygraph::input::suggest::did_you_mean(name, names)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            Error::Usage(format!(
                "no fact in the store uses the predicate \"{name}\"{hint}"
            ))
        })
    };
    if let (Some(since), Some(until)) = (args.since, args.until) {
        if until < since {
            return Err(Error::Usage(format!(
                "--until {until} is before --since {since}"
            )));
        }
    }
    Ok(PathFilter {
        directed: args.directed,
        min_certainty: args.min_certainty,
        since: args.since,
        until: args.until,
        via: args.via.iter().map(predicate).collect::<Result<_>>()?,
        not_via: args.not_via.iter().map(predicate).collect::<Result<_>>()?,
        articles: args
            .article
            .iter()
            .map(|id| article_named(projection, id))
            .collect::<Result<_>>()?,
        as_of: args.as_of,
        no_events: args.no_events,
        weight,
    })
}

/// The K shortest paths: `path --k K` under another name.
pub fn k_paths(
    projection: &Projection,
    request: &KPathsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let request = PathArgs {
        from: request.from.clone(),
        to: request.to.clone(),
        k: request.k,
        all: false,
        max_hops: 4,
        limit: 1000,
        weight: request.weight,
        format: request.format,
        filter: request.filter.clone(),
    };
    path(projection, &request, out)
}

pub fn path(projection: &Projection, request: &PathArgs, out: &mut dyn Write) -> Result<Outcome> {
    if request.k == 0 {
        return Err(Error::Usage(
            "--k counts paths: it must be at least 1".to_owned(),
        ));
    }
    let from = resolve(projection, &request.from)?;
    let to = resolve(projection, &request.to)?;
    if from == to {
        return Err(Error::Usage(format!(
            "\"{}\" and \"{}\" name the same entity",
            request.from, request.to
        )));
    }
    let weight = match request.weight {
        WeightArg::Hops => Weight::Hops,
        WeightArg::Evidence => Weight::Evidence,
    };
    let filter = filter(projection, &request.filter, weight)?;
    let search = Search::new(projection, &filter);
    let (a, b) = (projection.node(from), projection.node(to));
    let (paths, truncated) = if request.all {
        search.all_paths(a, b, request.max_hops, request.limit)
    } else if request.k > 1 {
        (search.k_shortest(a, b, request.k), false)
    } else {
        (search.shortest(a, b).into_iter().collect(), false)
    };
    let explanation = explain(projection, &search, from, to, &paths);
    match request.format {
        PathFormat::Text => {
            write_text(out, projection, &search, &paths, &explanation).map_err(io_error)?;
            if truncated {
                writeln!(
                    out,
                    "(stopped after {} paths; raise --limit to see more)",
                    request.limit
                )
                .map_err(io_error)?;
            }
        }
        PathFormat::Json => {
            let doc = PathsDocument::new(
                projection,
                &search,
                from,
                to,
                &paths,
                explanation,
                truncated,
            );
            write_json_to(out, &doc)?;
        }
        PathFormat::Dot => write_dot(out, projection, &search, &paths).map_err(io_error)?,
    }
    Ok(if paths.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Success
    })
}

pub fn neighbors(
    projection: &Projection,
    request: &NeighborsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let hops = request.hops;
    let entity = resolve(projection, &request.entity)?;
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let groups = explore::neighbors(projection, entity, &filter);
    let reached = if hops > 1 {
        explore::reach(projection, entity, hops, &filter)
    } else {
        Vec::new()
    };
    text_or_json(
        out,
        "neighbors",
        request.format,
        groups.is_empty(),
        || render::neighbors_json(projection, entity, &groups, &reached),
        |out| render::write_neighbors_text(out, projection, entity, &groups, &reached),
    )
}

pub fn timeline(
    projection: &Projection,
    request: &TimelineArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = resolve(projection, &request.entity)?;
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let facts = explore::timeline(projection, entity, &filter);
    text_or_json(
        out,
        "timeline",
        request.format,
        facts.is_empty(),
        || render::timeline_json(projection, entity, &facts),
        |out| render::write_timeline_text(out, projection, &facts),
    )
}

pub fn find(projection: &Projection, request: &FindArgs, out: &mut dyn Write) -> Result<Outcome> {
    let found = explore::find(projection, &request.text, request.as_of);
    match request.format {
        OutputFormat::Json => write_json_to(out, &render::found_json(projection, &found))?,
        OutputFormat::Table => {
            render::write_found_table(out, projection, &found).map_err(io_error)?
        }
        other => {
            return Err(Error::Usage(format!(
                "find writes table or json, not {other}"
            )))
        }
    }
    Ok(if found.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Success
    })
}

fn optional_entity(projection: &Projection, name: Option<&str>) -> Result<Option<usize>> {
    name.map(|n| resolve(projection, n)).transpose()
}

pub fn conflicts(
    projection: &Projection,
    request: &EntityFilterArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = optional_entity(projection, request.entity.as_deref())?;
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let found = explore::conflicts(projection, entity, &filter);
    text_or_json(
        out,
        "conflicts",
        request.format,
        found.is_empty(),
        || render::conflicts_json(projection, &found),
        |out| render::write_conflicts_text(out, projection, &found),
    )
}

pub fn corroboration(
    projection: &Projection,
    request: &EntityFilterArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let entity = optional_entity(projection, request.entity.as_deref())?;
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let rows = explore::corroboration(projection, entity, &filter);
    text_or_json(
        out,
        "corroboration",
        request.format,
        rows.is_empty(),
        || render::corroboration_json(projection, &rows),
        |out| render::write_corroboration_text(out, projection, &rows),
    )
}

/// Writes a result as JSON or text (DOT is for paths only); exit code 1
/// when it is empty.
fn text_or_json(
    out: &mut dyn Write,
    command: &str,
    format: PathFormat,
    empty: bool,
    json: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Outcome> {
    match format {
        PathFormat::Json => write_json_to(out, &json())?,
        PathFormat::Text => text(out).map_err(io_error)?,
        PathFormat::Dot => {
            return Err(Error::Usage(format!(
                "{command} writes text or json, not dot"
            )))
        }
    }
    Ok(if empty {
        Outcome::NoResult
    } else {
        Outcome::Success
    })
}

pub fn connections(
    projection: &Projection,
    request: &ConnectionsArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let paths = !request.entity_overlap;
    let [a, b] = [&request.a, &request.b].map(|id| article_named(projection, id));
    let (a, b) = (a?, b?);
    let connection = explore::connections(projection, a, b, &filter, paths);
    let search = Search::new(projection, &filter);
    let path: Vec<_> = connection.path.iter().cloned().collect();
    match request.format {
        PathFormat::Json => {
            let shared: Vec<serde_json::Value> = connection
                .shared
                .iter()
                .map(|&e| serde_json::json!({"entity": projection.entities.get(e).iri, "label": projection.entities.get(e).label}))
                .collect();
            let path_doc = connection.path.as_ref().and_then(|p| {
                let (first, last) = (p.hops.first()?, p.hops.last()?);
                let (from, to) = (projection.graph[first.from], projection.graph[last.to]);
                Some(PathsDocument::new(
                    projection,
                    &search,
                    from,
                    to,
                    std::slice::from_ref(p),
                    String::new(),
                    false,
                ))
            });
            write_json_to(
                out,
                &serde_json::json!({"shared": shared, "path": path_doc}),
            )?;
        }
        PathFormat::Text => (|| -> std::io::Result<()> {
            if connection.shared.is_empty() {
                writeln!(out, "The two articles have no entity in common.")?;
            } else {
                writeln!(out, "Shared entities ({}):", connection.shared.len())?;
                for &e in &connection.shared {
                    let info = projection.entities.get(e);
                    writeln!(
                        out,
                        "  {} ({}, {})",
                        info.label,
                        info.class_name(),
                        info.id()
                    )?;
                }
            }
            if !path.is_empty() {
                writeln!(out, "Nearest connection:")?;
                write_text(out, projection, &search, &path, "")?;
            }
            Ok(())
        })()
        .map_err(io_error)?,
        PathFormat::Dot => write_dot(out, projection, &search, &path).map_err(io_error)?,
    }
    Ok(
        if connection.shared.is_empty() && connection.path.is_none() {
            Outcome::NoResult
        } else {
            Outcome::Success
        },
    )
}
