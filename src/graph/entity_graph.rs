//! The projection's graph of entities behind one API: a petgraph graph
//! built in memory, or the projection image's edges, read a chunk at a
//! time when an edge is asked for by its index. A path's hops are a few
//! edges of a million, found by the adjacency lists; decoding every edge
//! into petgraph was a third of a cold `path` at a million facts. A walk
//! by node (`edges_directed`) reads each node's edges from lists made
//! from the chunks; only what needs petgraph itself (every edge in its
//! order, algorithms) puts the whole graph together.

use std::ops::{Deref, Index};
use std::sync::{Arc, OnceLock};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

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

// One per projection, never moved in bulk: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Rows {
    Built(Graph),
    Image {
        /// Each node's weight: its entity, node `i` being entity `i`.
        nodes: Vec<EntityIndex>,
        edges: Chunks<EdgeRow>,
        fallback: Arc<Fallback>,
        /// The whole graph, once something needed it (`None`: a chunk was
        /// damaged, and the fallback's graph answers).
        whole: OnceLock<Option<Graph>>,
        /// Each node's edges, once something walked by node (`None` as
        /// for `whole`).
        by_node: OnceLock<Option<ByNode>>,
    },
}

/// An edge as a walk sees it (petgraph's `EdgeRef`), from the built
/// graph or the image alike.
#[derive(Clone, Copy, Debug)]
pub struct GraphEdge<'g> {
    id: EdgeIndex,
    source: NodeIndex,
    target: NodeIndex,
    weight: &'g Edge,
}

impl EdgeRef for GraphEdge<'_> {
    type NodeId = NodeIndex;
    type EdgeId = EdgeIndex;
    type Weight = Edge;

    fn source(&self) -> NodeIndex {
        self.source
    }

    fn target(&self) -> NodeIndex {
        self.target
    }

    fn weight(&self) -> &Edge {
        self.weight
    }

    fn id(&self) -> EdgeIndex {
        self.id
    }
}

/// Per node, the indices of its edges in one array (compressed sparse
/// rows), newest first: the order petgraph walks a node's edges in, so a
/// walk over the image chooses as one over the built graph does.
struct Incidence {
    offsets: Vec<u32>,
    edges: Vec<u32>,
}

impl Incidence {
    /// From each edge's node on this side (`ends[e]`).
    fn new(nodes: usize, ends: &[u32]) -> Incidence {
        let mut offsets = vec![0u32; nodes + 1];
        for &n in ends {
            offsets[n as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor = offsets.clone();
        let mut edges = vec![0u32; ends.len()];
        for (e, &n) in ends.iter().enumerate().rev() {
            edges[cursor[n as usize] as usize] = e as u32;
            cursor[n as usize] += 1;
        }
        Incidence { offsets, edges }
    }

    fn of(&self, node: NodeIndex) -> &[u32] {
        let i = node.index();
        &self.edges[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

struct ByNode {
    outgoing: Incidence,
    incoming: Incidence,
}

/// The edges of one node in one direction.
pub struct EdgesOf<'g>(EdgesFrom<'g>);

enum EdgesFrom<'g> {
    Built(petgraph::graph::Edges<'g, Edge, petgraph::Directed, u32>),
    Listed {
        graph: &'g EntityGraph,
        ids: std::slice::Iter<'g, u32>,
    },
}

impl<'g> Iterator for EdgesOf<'g> {
    type Item = GraphEdge<'g>;

    fn next(&mut self) -> Option<GraphEdge<'g>> {
        match &mut self.0 {
            EdgesFrom::Built(edges) => edges.next().map(|e| GraphEdge {
                id: e.id(),
                source: e.source(),
                target: e.target(),
                weight: e.weight(),
            }),
            EdgesFrom::Listed { graph, ids } => {
                let id = EdgeIndex::new(*ids.next()? as usize);
                let (source, target, weight) = graph.row(id)?;
                Some(GraphEdge {
                    id,
                    source,
                    target,
                    weight,
                })
            }
        }
    }
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
            by_node: OnceLock::new(),
        })
    }

    /// The edges leaving (`Outgoing`) or entering (`Incoming`) `node`,
    /// newest first as petgraph gives them; over the image, without
    /// putting the whole graph together.
    pub fn edges_directed(&self, node: NodeIndex, direction: Direction) -> EdgesOf<'_> {
        fn built(graph: &Graph, node: NodeIndex, direction: Direction) -> EdgesOf<'_> {
            EdgesOf(EdgesFrom::Built(graph.edges_directed(node, direction)))
        }
        let Rows::Image {
            nodes,
            edges,
            fallback,
            whole,
            by_node,
        } = &self.0
        else {
            return built(self.whole(), node, direction);
        };
        if let Some(Some(graph)) = whole.get() {
            return built(graph, node, direction);
        }
        let lists = by_node.get_or_init(|| {
            let mut sources = Vec::with_capacity(edges.len());
            let mut targets = Vec::with_capacity(edges.len());
            for e in 0..edges.len() {
                let row = edges.get(e)?;
                sources.push(row.source.index() as u32);
                targets.push(row.target.index() as u32);
            }
            Some(ByNode {
                outgoing: Incidence::new(nodes.len(), &sources),
                incoming: Incidence::new(nodes.len(), &targets),
            })
        });
        match lists {
            Some(lists) => {
                let side = match direction {
                    Direction::Outgoing => &lists.outgoing,
                    Direction::Incoming => &lists.incoming,
                };
                EdgesOf(EdgesFrom::Listed {
                    graph: self,
                    ids: side.of(node).iter(),
                })
            }
            None => fallback.projection().graph.edges_directed(node, direction),
        }
    }

    /// The edges leaving `node`.
    pub fn edges(&self, node: NodeIndex) -> EdgesOf<'_> {
        self.edges_directed(node, Direction::Outgoing)
    }

    /// The edges from `a` to `b`.
    pub fn edges_connecting(
        &self,
        a: NodeIndex,
        b: NodeIndex,
    ) -> impl Iterator<Item = GraphEdge<'_>> + '_ {
        self.edges(a).filter(move |e| e.target == b)
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
                ..
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

/// What needs petgraph itself (every edge in order, its algorithms) needs
/// the graph whole.
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
