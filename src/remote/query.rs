//! Queries and updates sent to the remote as the user wrote them, with
//! storygraph's prefixes expanded (the server need not know them) and the
//! same view of the data as on a local store: the default graph is the
//! union of all graphs, also on a server whose default graph is not (every
//! graph is then named as the query's dataset).

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QueryResults;
use spargebra::algebra::QueryDataset;
use spargebra::term::{GraphName, GraphNamePattern, GroundQuadPattern, QuadPattern};
use spargebra::{GraphUpdateOperation, Query, SparqlParser};

use super::{RemoteError, Replica, ENTITIES_GRAPH, META_GRAPH};
use crate::vocab;

/// More graphs than this and a query is not given them one by one.
const MOST_GRAPHS_NAMED: usize = 10_000;

fn parser() -> SparqlParser {
    let mut parser = SparqlParser::new();
    for (prefix, namespace) in vocab::PREFIXES {
        // Our prefixes are valid IRIs; a failure would be a build defect.
        parser = parser
            .with_prefix(*prefix, *namespace)
            .expect("built-in prefixes are valid IRIs");
    }
    parser
}

impl Replica {
    /// Runs a query at the remote and returns its results as they arrive.
    /// With `default_graph_only` the default graph is the entities graph
    /// (what a local store keeps in its default graph).
    pub fn query(
        &mut self,
        text: &str,
        default_graph_only: bool,
    ) -> Result<QueryResults<'static>, RemoteError> {
        let mut query = parser()
            .parse_query(text)
            .map_err(|e| RemoteError::Config(format!("the query does not parse: {e}")))?;
        let union = self.dialect()?.union_default_graph;
        let dataset = match &mut query {
            Query::Select { dataset, .. }
            | Query::Construct { dataset, .. }
            | Query::Describe { dataset, .. }
            | Query::Ask { dataset, .. } => dataset,
        };
        if dataset.is_none() && (default_graph_only || !union) {
            let graphs = self.remote_graphs()?;
            let default = if default_graph_only {
                vec![ENTITIES_GRAPH.into_owned()]
            } else {
                graphs.clone()
            };
            *dataset = Some(QueryDataset {
                default,
                named: Some(graphs),
            });
        }
        let graph = matches!(query, Query::Construct { .. } | Query::Describe { .. });
        self.endpoint().query(&query.to_string(), graph)
    }

    /// Runs a SPARQL update at the remote: data written to the default
    /// graph goes to the entities graph, where a local store's default
    /// graph is kept. The copy is rebuilt next time.
    pub fn run_update(&mut self, text: &str) -> Result<(), RemoteError> {
        let mut update = parser()
            .parse_update(text)
            .map_err(|e| RemoteError::Config(format!("the update does not parse: {e}")))?;
        let entities = || ENTITIES_GRAPH.into_owned();
        for operation in &mut update.operations {
            match operation {
                GraphUpdateOperation::InsertData { data } => {
                    for quad in data {
                        if quad.graph_name == GraphName::DefaultGraph {
                            quad.graph_name = entities().into();
                        }
                    }
                }
                GraphUpdateOperation::DeleteData { data } => {
                    for quad in data {
                        if quad.graph_name == GraphName::DefaultGraph {
                            quad.graph_name = entities().into();
                        }
                    }
                }
                GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
                    for GroundQuadPattern { graph_name, .. } in delete {
                        default_to(graph_name, entities());
                    }
                    for QuadPattern { graph_name, .. } in insert {
                        default_to(graph_name, entities());
                    }
                }
                _ => {}
            }
        }
        self.update(&update.to_string())
    }

    /// The named graphs at the remote but the marker's.
    fn remote_graphs(&self) -> Result<Vec<NamedNode>, RemoteError> {
        let rows = self.endpoint().select(&format!(
            "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {}",
            MOST_GRAPHS_NAMED + 1
        ))?;
        if rows.len() > MOST_GRAPHS_NAMED {
            return Err(RemoteError::Config(format!(
                "{} keeps more than {MOST_GRAPHS_NAMED} graphs and its default graph is not their union; start the server with a union default graph (Oxigraph: `oxigraph serve --union-default-graph`) or name the graphs in the query (FROM, GRAPH)",
                self.endpoint().config().query
            )));
        }
        Ok(rows
            .iter()
            .filter_map(|row| match row.get("g") {
                Some(Term::NamedNode(g)) if g.as_ref() != META_GRAPH => Some(g.clone()),
                _ => None,
            })
            .collect())
    }
}

fn default_to(graph: &mut GraphNamePattern, entities: NamedNode) {
    if *graph == GraphNamePattern::DefaultGraph {
        *graph = GraphNamePattern::NamedNode(entities);
    }
}
