//! Turning command-line arguments into the library's settings: the one
//! place where `args` meets the library's types. Names are resolved
//! against the projection; a name that names nothing is a usage error.

use storygraph::graph::search::{PathFilter, PathQuery, Walk, Weight};
use storygraph::graph::{EntityIndex, Projection};
use storygraph::{Error, Result};

use crate::args::{FilterArgs, KPathsArgs, PathArgs, PathOptions};

/// The statements a path or exploration command may use.
pub fn path_filter(projection: &Projection, args: &FilterArgs) -> Result<PathFilter> {
    if let (Some(since), Some(until)) = (args.since, args.until) {
        if until < since {
            return Err(Error::Usage(format!(
                "--until {until} is before --since {since}"
            )));
        }
    }
    let predicates = |names: &[String]| -> Result<Vec<_>> {
        names
            .iter()
            .map(|name| Ok(projection.resolve_predicate(name)?))
            .collect()
    };
    Ok(PathFilter {
        min_certainty: args.min_certainty,
        since: args.since,
        until: args.until,
        via: predicates(&args.via)?,
        not_via: predicates(&args.not_via)?,
        articles: args
            .article
            .iter()
            .map(|id| Ok(projection.resolve_article(id)?))
            .collect::<Result<_>>()?,
        as_of: args.as_of,
        no_events: args.no_events,
        avoid: Vec::new(),
        links: Vec::new(),
    })
}

/// The filter of a path command between `from` and `to`: the shared
/// filters, plus the entities to go around and the roles that count.
pub fn path_filter_between(
    projection: &Projection,
    options: &PathOptions,
    (from, to): (EntityIndex, EntityIndex),
) -> Result<PathFilter> {
    let mut filter = path_filter(projection, &options.filter)?;
    for name in &options.avoid {
        let entity = projection.resolve_entity(name)?;
        if entity == from || entity == to {
            return Err(Error::Usage(format!(
                "--avoid {name} names an end of the path; a path cannot go around its own ends"
            )));
        }
        filter.avoid.push(entity);
    }
    filter.links = options.links.clone();
    Ok(filter)
}

/// How a search walks.
pub fn walk(args: &FilterArgs, weight: Weight) -> Walk {
    Walk {
        directed: args.directed,
        weight,
    }
}

/// What `path` looks for.
pub fn path_query(args: &PathArgs) -> Result<PathQuery> {
    if args.all {
        return Ok(PathQuery::All {
            max_hops: args.max_hops,
            limit: args.limit,
        });
    }
    k_shortest(args.k)
}

/// What `.paths` looks for.
pub fn k_paths_query(args: &KPathsArgs) -> Result<PathQuery> {
    k_shortest(args.k)
}

/// The `k` shortest paths (one: the shortest).
pub fn k_shortest(k: usize) -> Result<PathQuery> {
    match k {
        0 => Err(Error::Usage(
            "--k counts paths: it must be at least 1".to_owned(),
        )),
        1 => Ok(PathQuery::Shortest),
        k => Ok(PathQuery::KShortest(k)),
    }
}
