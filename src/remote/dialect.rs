//! What a remote server can do, asked once per command: whether it takes
//! RDF 1.2 triple terms (Virtuoso does not), whether its default graph is
//! the union of all graphs (Virtuoso's, GraphDB's and Neptune's are;
//! Oxigraph server's only with `--union-default-graph`), and which server
//! it is (Virtuoso gets one article per request).

use super::{Endpoint, RemoteError, META_GRAPH};

/// A server's abilities that change what storygraph sends.
#[derive(Clone, Debug)]
pub struct Dialect {
    /// Whether `<<( s p o )>>` is understood. Without it statements are
    /// written without `rdf:reifies` (their `rdf:subject`, `rdf:predicate`
    /// and `rdf:object` remain) and everything else works the same.
    pub triple_terms: bool,
    /// Whether a pattern outside `GRAPH` sees the triples of every graph.
    /// When not, storygraph names every graph as the query's dataset.
    pub union_default_graph: bool,
    /// The `Server` header, e.g. `Virtuoso/07.20.3229 (Linux) ...`.
    pub server: String,
}

impl Dialect {
    /// Asks the server (three small queries).
    pub fn probe(endpoint: &Endpoint) -> Result<Dialect, RemoteError> {
        let (triple_terms, server) = endpoint.accepts_query(
            "ASK { <urn:storygraph:probe> <urn:storygraph:probe> <<( <urn:storygraph:s> <urn:storygraph:p> <urn:storygraph:o> )>> }",
        )?;
        Ok(Dialect {
            triple_terms,
            union_default_graph: union_default_graph(endpoint)?,
            server: server.unwrap_or_default(),
        })
    }

    /// Whether the server is Virtuoso, whose update requests are not one
    /// transaction: each article then goes in a request of its own.
    pub fn is_virtuoso(&self) -> bool {
        self.server.to_ascii_lowercase().contains("virtuoso")
    }
}

/// Whether a triple of some named graph is also seen outside `GRAPH`: the
/// marker storygraph writes when there is one, else any one triple. A
/// store with no named graph at all answers the same either way.
fn union_default_graph(endpoint: &Endpoint) -> Result<bool, RemoteError> {
    let meta = META_GRAPH.as_str();
    let query = format!(
        "ASK {{ {{ SELECT ?s ?p ?o WHERE {{ {{ GRAPH <{meta}> {{ ?s ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }} LIMIT 1 }} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
    );
    match endpoint.query(&query, false)? {
        oxigraph::sparql::QueryResults::Boolean(missing) => Ok(!missing),
        _ => Err(RemoteError::Answer(format!(
            "{} did not answer an ASK with a boolean",
            endpoint.config().query
        ))),
    }
}
