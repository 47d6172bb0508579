//! `export` (and the shell's `.export`): choose what to draw (everything,
//! a neighbourhood, the paths found, the facts a query names), then write
//! it in the asked format to `-o FILE` or to `out`. The drawing and RDF
//! writers are the library's `export` module.

use std::io::Write;

use storygraph::graph::search::{Search, Weight};
use storygraph::graph::Projection;
use storygraph::store::GraphStore;
use storygraph::{Error, Result};

use crate::app::Outcome;
use crate::cli::ExportArgs;
use crate::graph_commands::{filter, io_error, resolve};

/// Draws the selected part of the graph in an export format, to `-o FILE`
/// or to `out`.
pub fn export(
    store: &GraphStore,
    projection: &Projection,
    request: &ExportArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    use storygraph::export::{select, ExportFormat, Selector};
    let filter = filter(projection, &request.filter, Weight::Hops)?;
    let selector = match (&request.focus, &request.path) {
        _ if request.query.is_some() => {
            let text = request.query.as_deref().unwrap_or_default();
            Selector::Facts(query_facts(store, projection, text)?)
        }
        (Some(name), _) => Selector::Focus {
            entity: resolve(projection, name)?,
            hops: request.hops,
        },
        (None, Some(ends)) => {
            let [from, to] = ends.as_slice() else {
                return Err(Error::Usage(
                    "--path takes two entities: --path FROM TO".into(),
                ));
            };
            let (a, b) = (resolve(projection, from)?, resolve(projection, to)?);
            if a == b {
                return Err(Error::Usage(format!(
                    "\"{from}\" and \"{to}\" name the same entity; --focus {from} draws its neighbourhood"
                )));
            }
            let search = Search::new(projection, &filter);
            let (a, b) = (projection.node(a), projection.node(b));
            let paths = if request.k > 1 {
                search.k_shortest(a, b, request.k)
            } else {
                search.shortest(a, b).into_iter().collect()
            };
            if paths.is_empty() {
                return Err(Error::Usage(format!(
                    "no path between \"{from}\" and \"{to}\" under these filters; nothing to draw"
                )));
            }
            Selector::Paths(paths)
        }
        (None, None) => Selector::Everything,
    };
    let format = match (request.format, &request.output) {
        (Some(format), _) => format,
        (None, Some(path)) => ExportFormat::from_extension(path).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the format from the name {}; use --format dot|graphml|mermaid|cytoscape|turtle|trig|nquads|jsonld",
                path.display()
            ))
        })?,
        (None, None) => ExportFormat::Dot,
    };
    let subgraph = select(projection, &filter, &selector);
    let quads = match format.rdf_format() {
        Some(_) => {
            let (entities, statements) = subgraph.provenance(projection);
            store
                .provenance_quads(&entities, &statements)
                .map_err(|e| Error::Store(e.into()))?
        }
        None => Vec::new(),
    };
    let write = |out: &mut dyn Write| match format.rdf_format() {
        Some(rdf) => storygraph::export::write_rdf(out, &quads, rdf, request.no_triple_terms),
        None => format.write(out, projection, &subgraph, &request.lang),
    };
    match &request.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
            let mut file = std::io::BufWriter::new(file);
            write(&mut file)
                .and_then(|()| file.flush())
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            eprintln!(
                "wrote {} nodes and {} edges to {}",
                subgraph.nodes.len(),
                subgraph.edges.len(),
                path.display()
            );
        }
        None => write(out).map_err(io_error)?,
    }
    Ok(if subgraph.nodes.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Success
    })
}

/// The (source, target, predicate) facts a query names: a CONSTRUCT's
/// triples or a SELECT's `?source ?target [?edge]` rows. Rows that do not
/// name two entities are counted on stderr, not drawn.
fn query_facts(
    store: &GraphStore,
    projection: &Projection,
    text: &str,
) -> Result<Vec<(usize, usize, Option<usize>)>> {
    use oxigraph::model::Term;
    use oxigraph::sparql::QueryResults;
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
    let evaluation = |e: oxigraph::sparql::QueryEvaluationError| {
        Error::Query(storygraph::store::QueryError::Evaluation(e.to_string()))
    };
    match store.query(text, &storygraph::store::QueryOptions::default())? {
        QueryResults::Solutions(solutions) => {
            let names: Vec<&str> = solutions.variables().iter().map(|v| v.as_str()).collect();
            if !(names.contains(&"source") && names.contains(&"target")) {
                return Err(Error::Usage(format!(
                    "--query: a SELECT needs the variables ?source and ?target (and may have ?edge), not {}",
                    names.iter().map(|n| format!("?{n}")).collect::<Vec<_>>().join(" ")
                )));
            }
            for row in solutions {
                let row = row.map_err(evaluation)?;
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
                let triple = triple.map_err(evaluation)?;
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
