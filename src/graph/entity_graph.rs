//! The projection's graph of entities behind one API: a petgraph graph
//! built in memory, or the projection image's edges, read a chunk at a
//! time when an edge is asked for by its index and put together into the
//! whole graph only when something walks it. A path's hops are a few edges
//! of a million, found by the adjacency lists; decoding every edge into
//! petgraph was a third of a cold `path` at a million facts.

use std::ops::{Deref, Index};
use std::sync::{Arc, OnceLock};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use super::image::{Chunks, Fallback};
use super::{Edge, EntityIndex};

/// The graph itself: a node per entity (its weight the entity), an edge
/// per distinct triple between two entities, or role link.
pub type Graph = DiGraph<EntityIndex, Edge, u32>;

/// An edge as the image holds it.
pub(super) struct EdgeRow {
    pub(super) source: NodeIndex,
    pub(super) target: NodeIndex,
    pub(super) edge: Edge,
}

pub struct EntityGraph(Rows);

enum Rows {
    Built(Graph),
    Image {
        /// Each node's weight: its entity, node `i` being entity `i`.
        nodes: Vec<EntityIndex>,
        edges: Chunks<EdgeRow>,
        fallback: Arc<Fallback>,
        /// The whole graph, once something walked it (`None`: a chunk was
        /// damaged, and the fallback's graph answers).
        whole: OnceLock<Option<Graph>>,
    },
}

impl Default for EntityGraph {
    fn default() -> Self {
        EntityGraph(Rows::Built(Graph::default()))
    }
}

impl std::fmt::Debug for EntityGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.whole(), f)
    }
}

impl From<Graph> for EntityGraph {
    fn from(graph: Graph) -> Self {
        EntityGraph(Rows::Built(graph))
    }
}

impl EntityGraph {
    pub(super) fn from_image(
        nodes: usize,
        edges: Chunks<EdgeRow>,
        fallback: Arc<Fallback>,
    ) -> EntityGraph {
        EntityGraph(Rows::Image {
            nodes: (0..nodes).map(EntityIndex::new).collect(),
            edges,
            fallback,
            whole: OnceLock::new(),
        })
    }

    /// How many nodes (entities); reads no edge.
    pub fn node_count(&self) -> usize {
        match &self.0 {
            Rows::Built(graph) => graph.node_count(),
            Rows::Image { nodes, .. } => nodes.len(),
        }
    }

    /// How many edges; reads no edge.
    pub fn edge_count(&self) -> usize {
        match &self.0 {
            Rows::Built(graph) => graph.edge_count(),
            Rows::Image { edges, .. } => edges.len(),
        }
    }

    /// The source and target of `edge`, reading only its chunk.
    pub fn edge_endpoints(&self, edge: EdgeIndex) -> Option<(NodeIndex, NodeIndex)> {
        self.row(edge).map(|(source, target, _)| (source, target))
    }

    /// An edge with its endpoints, reading only its chunk (or the whole
    /// graph, once it is there).
    fn row(&self, e: EdgeIndex) -> Option<(NodeIndex, NodeIndex, &Edge)> {
        fn in_graph(graph: &Graph, e: EdgeIndex) -> Option<(NodeIndex, NodeIndex, &Edge)> {
            let (source, target) = graph.edge_endpoints(e)?;
            Some((source, target, &graph[e]))
        }
        match &self.0 {
            Rows::Built(graph) => in_graph(graph, e),
            Rows::Image {
                edges,
                fallback,
                whole,
                ..
            } => {
                if let Some(Some(graph)) = whole.get() {
                    return in_graph(graph, e);
                }
                if e.index() >= edges.len() {
                    return None;
                }
                match edges.get(e.index()) {
                    Some(row) => Some((row.source, row.target, &row.edge)),
                    None => fallback.projection().graph.row(e),
                }
            }
        }
    }

    /// The whole graph, put together from the image's chunks the first
    /// time.
    fn whole(&self) -> &Graph {
        match &self.0 {
            Rows::Built(graph) => graph,
            Rows::Image {
                nodes,
                edges,
                fallback,
                whole,
            } => {
                let assembled = whole.get_or_init(|| {
                    let rows = edges.read_all()?;
                    let mut graph = Graph::with_capacity(nodes.len(), rows.len());
                    for &entity in nodes {
                        graph.add_node(entity);
                    }
                    for row in rows {
                        graph.add_edge(row.source, row.target, row.edge);
                    }
                    Some(graph)
                });
                match assembled {
                    Some(graph) => graph,
                    None => fallback.projection().graph.whole(),
                }
            }
        }
    }
}

/// Walking the graph (its edges by node, every edge) needs it whole.
impl Deref for EntityGraph {
    type Target = Graph;

    fn deref(&self) -> &Graph {
        self.whole()
    }
}

impl Index<EdgeIndex> for EntityGraph {
    type Output = Edge;

    fn index(&self, edge: EdgeIndex) -> &Edge {
        match self.row(edge) {
            Some((_, _, edge)) => edge,
            None => panic!("edge index {} out of range", edge.index()),
        }
    }
}

impl Index<NodeIndex> for EntityGraph {
    type Output = EntityIndex;

    fn index(&self, node: NodeIndex) -> &EntityIndex {
        match &self.0 {
            Rows::Built(graph) => &graph[node],
            Rows::Image { nodes, .. } => &nodes[node.index()],
        }
    }
}
