//! `export` (and the shell's `.export`): choose what to draw (everything,
//! a neighborhood, the paths found, the facts a query names), then write
//! it in the asked format to `-o FILE` or to `out`. The drawing and RDF
//! writers are the library's `export` module.

use std::io::Write;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use storygraph::deadline::CancellationToken;
use storygraph::export::{select, write_rdf, ExportFormat, Selector};
use storygraph::graph::search::{Search, Weight};
use storygraph::graph::{EntityIndex, PredicateIndex, Projection};
use storygraph::keyword::Keyword;
use storygraph::store::{GraphStore, QueryError, QueryOptions};
use storygraph::{Error, Result};

use super::explore::two_entities;
use crate::args::ExportArgs;
use crate::outcome::{write_error, write_file, Outcome};
use crate::settings::{k_shortest, path_filter, walk};

/// Draws the selected part of the graph in an export format, to `-o FILE`
/// or to `out`.
pub fn export(
    store: &GraphStore,
    projection: &Projection,
    request: &ExportArgs,
    token: &CancellationToken,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let filter = path_filter(projection, &request.filter)?;
    let selector = match (&request.focus, &request.path, &request.query) {
        (_, _, Some(text)) => Selector::Facts(query_facts(store, projection, text, token)?),
        (Some(name), _, None) => Selector::Focus {
            entity: projection.resolve_entity(name)?,
            hops: request.hops,
            directed: request.filter.directed,
        },
        (None, Some(ends), None) => {
            let [from, to] = ends.as_slice() else {
                return Err(Error::Usage(
                    "--path takes two entities: --path FROM TO".into(),
                ));
            };
            let hint = format!("; --focus {from} draws its neighborhood");
            let (a, b) = two_entities(projection, from, to, &hint)?;
            let search = Search::new(projection, &filter, walk(&request.filter, Weight::Hops));
            let (paths, _) = search.find(
                projection.node(a),
                projection.node(b),
                k_shortest(request.k)?,
            );
            if paths.is_empty() {
                return Err(Error::Usage(format!(
                    "no path between \"{from}\" and \"{to}\" under these filters; nothing to draw"
                )));
            }
            Selector::Paths(paths)
        }
        (None, None, None) => Selector::Everything,
    };
    let format = match (request.format, &request.output) {
        (Some(format), _) => format,
        (None, Some(path)) => ExportFormat::from_extension(path).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the format from the name {}; use --format {}",
                path.display(),
                ExportFormat::ALL
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join("|")
            ))
        })?,
        (None, None) => ExportFormat::Dot,
    };
    let stopped = || match token.is_cancelled() {
        true => Err(Error::Query(QueryError::Cancelled)),
        false => Ok(()),
    };
    stopped()?;
    let subgraph = select(projection, &filter, &selector);
    stopped()?;
    let quads = match format.rdf_format() {
        Some(_) => {
            let (entities, statements) = subgraph.provenance(projection);
            store.provenance_quads(&entities, &statements)?
        }
        None => Vec::new(),
    };
    stopped()?;
    let write = |out: &mut dyn Write| {
        let mut out = Stoppable { out, token };
        match format.rdf_format() {
            Some(rdf) => write_rdf(&mut out, &quads, rdf, request.no_triple_terms),
            None => format.write(&mut out, projection, &subgraph, &request.lang, Some(token)),
        }
    };
    match &request.output {
        Some(path) => {
            write_file(path, write)?;
            eprintln!(
                "wrote {} nodes and {} edges to {}",
                subgraph.nodes.len(),
                subgraph.edges.len(),
                path.display()
            );
        }
        None => write(out).map_err(write_error)?,
    }
    Ok(Outcome::found(subgraph.nodes.is_empty()))
}

/// Fails every write once `token` is cancelled, so that a long drawing
/// stops where it is (its output, spooled or a temporary file, is then
/// dropped whole).
struct Stoppable<'w> {
    out: &'w mut dyn Write,
    token: &'w CancellationToken,
}

impl Write for Stoppable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.token.is_cancelled() {
            // Not `Interrupted`, which `write_all` would retry.
            return Err(std::io::Error::other("the export was stopped"));
        }
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The (source, target, predicate) facts a query names: a CONSTRUCT's
/// triples or a SELECT's `?source ?target [?edge]` rows. Rows that do not
/// name two entities are counted on stderr, not drawn.
fn query_facts(
    store: &GraphStore,
    projection: &Projection,
    text: &str,
    token: &CancellationToken,
) -> Result<Vec<(EntityIndex, EntityIndex, Option<PredicateIndex>)>> {
    let entity = |term: Option<&Term>| match term {
        Some(Term::NamedNode(n)) => projection.entities.by_iri(n.as_str()),
        _ => None,
    };
    let predicate = |term: Option<&Term>| match term {
        Some(Term::NamedNode(n)) => projection.predicate_named(n.as_str()),
        _ => None,
    };
    let mut facts = Vec::new();
    let mut skipped = 0usize;
    let options = QueryOptions {
        cancellation: Some(token.clone()),
        ..QueryOptions::default()
    };
    match store.query(text, &options)? {
        QueryResults::Solutions(solutions) => {
            let names: Vec<&str> = solutions.variables().iter().map(|v| v.as_str()).collect();
            if !(names.contains(&"source") && names.contains(&"target")) {
                return Err(Error::Usage(format!(
                    "--query: a SELECT needs the variables ?source and ?target (and may have ?edge), not {}",
                    names.iter().map(|n| format!("?{n}")).collect::<Vec<_>>().join(" ")
                )));
            }
            for row in solutions {
                let row = row.map_err(QueryError::from)?;
                let edge = row.get("edge");
                match (entity(row.get("source")), entity(row.get("target"))) {
                    (Some(s), Some(t)) if edge.is_none() || predicate(edge).is_some() => {
                        facts.push((s, t, predicate(edge)))
                    }
                    _ => skipped += 1,
                }
            }
        }
        QueryResults::Graph(triples) => {
            for triple in triples {
                let triple = triple.map_err(QueryError::from)?;
                let subject = Term::from(triple.subject.clone());
                let p = Term::from(triple.predicate.clone());
                match (
                    entity(Some(&subject)),
                    entity(Some(&triple.object)),
                    predicate(Some(&p)),
                ) {
                    (Some(s), Some(t), Some(p)) => facts.push((s, t, Some(p))),
                    _ => skipped += 1,
                }
            }
        }
        QueryResults::Boolean(_) => {
            return Err(Error::Usage(
                "--query takes a CONSTRUCT or a SELECT with ?source and ?target, not an ASK".into(),
            ))
        }
    }
    if skipped > 0 {
        let (what, verb) = if skipped == 1 {
            ("result", "names")
        } else {
            ("results", "name")
        };
        eprintln!("{skipped} {what} {verb} no fact between two entities; not drawn");
    }
    Ok(facts)
}
