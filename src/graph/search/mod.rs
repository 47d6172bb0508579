//! Path search over the projection: shortest paths (Dijkstra, which with
//! unit weights walks like BFS, and bidirectional BFS for `hops`), the k
//! shortest loopless paths (Yen), and every simple path up to a length
//! (`all_paths`), all under the same statement filter.
//!
//! A hop may use an edge only if at least one of its statements passes the
//! filter (certainty, time, article, publication date, predicate).
//! Costs: `hops` gives every hop 1. `evidence` gives a hop
//! `1 + 1 / support`, where `support` sums, over the independent origins of
//! the hop's admitted statements, the best certainty rank / 4 (a confirmed
//! source adds 1, a speculated one 0.25). An origin is the first party a
//! source cites (`via`), else the source itself, so a claim relayed by three
//! outlets from one official counts once. Every hop costs more than 1, so a
//! shorter path is never beaten by a longer one with the same support.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::{ArticleIndex, EntityIndex, Facets, PredicateIndex, Projection, Statement};
use crate::deadline::CancellationToken;
use crate::keyword::keyword_enum;
use crate::model::Certainty;
use crate::timespec::Day;

mod all_paths;
mod bidirectional;
mod open;

use bidirectional::Side;
use open::OpenSides;

keyword_enum! {
    /// How paths are weighed.
    #[derive(Default)]
    pub enum Weight {
        /// Fewest hops
        Hops = "hops" as default,
        /// Prefer hops backed by more independent sources and stronger
        /// certainty (cost of a hop = 1 + 1 / sum over independent sources
        /// of rank/4)
        Evidence = "evidence",
        /// Fewest hops, but passing through an entity costs log2 of its
        /// neighbors, so a path does not run through a hub (a country
        /// everyone is a citizen of) when another way exists
        Hubs = "hubs",
    }
}

keyword_enum! {
    /// Roles a statement gives entities besides its subject and object,
    /// which `--links` lets count as hops.
    pub enum Role {
        /// From a fact's subject to what it is about (often an event)
        About = "about",
        /// From a fact's source to its subject
        Source = "source",
        /// From a fact's subject to where it happened
        Place = "place",
    }
}

impl Role {
    /// The ontology property of the role.
    pub fn property(self) -> &'static str {
        match self {
            Role::About => "about",
            Role::Source => "source",
            Role::Place => "place",
        }
    }
}

/// How a search walks: which way along edges, and what a hop costs. (What
/// it may walk on is the [`PathFilter`].)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Follow edges only in their direction.
    pub directed: bool,
    pub weight: Weight,
}

/// What to look for between two entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathQuery {
    /// The cheapest path.
    Shortest,
    /// Up to this many cheapest loopless paths.
    KShortest(usize),
    /// Every simple path up to `max_hops`, stopping after `limit`.
    All { max_hops: usize, limit: usize },
}

/// The longest path `--all` lists unless told.
pub const DEFAULT_MAX_HOPS: usize = 4;
/// How many paths `--all` lists unless told.
pub const DEFAULT_ALL_LIMIT: usize = 1000;

/// Who stands behind a statement, for counting independent support: the
/// first party its source cites, else the source, else (unattributed) the
/// article itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Party(EntityIndex),
    Unattributed(ArticleIndex),
}

impl Origin {
    pub fn of(statement: &Statement) -> Origin {
        match statement.via.first().copied().or(statement.source) {
            Some(party) => Origin::Party(party),
            None => Origin::Unattributed(statement.article),
        }
    }
}

/// `1 + 1 / support` over the statements' independent origins (see the
/// module docs), or `None` when there are no statements.
pub fn evidence_cost<'s>(statements: impl Iterator<Item = &'s Statement>) -> Option<f64> {
    let mut origins: Vec<(Origin, u8)> = Vec::new();
    for s in statements {
        let origin = Origin::of(s);
        match origins.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, rank)) => *rank = (*rank).max(s.certainty.rank()),
            None => origins.push((origin, s.certainty.rank())),
        }
    }
    if origins.is_empty() {
        return None;
    }
    let support: f64 = origins.iter().map(|(_, rank)| f64::from(*rank) / 4.0).sum();
    Some(1.0 + 1.0 / support)
}

/// Which statements and hops a search may use.
#[derive(Clone, Debug, Default)]
pub struct PathFilter {
    pub min_certainty: Option<Certainty>,
    pub since: Option<Day>,
    pub until: Option<Day>,
    /// Allowed predicates; empty: all.
    pub via: Vec<PredicateIndex>,
    pub not_via: Vec<PredicateIndex>,
    /// Allowed articles; empty: all.
    pub articles: Vec<ArticleIndex>,
    /// Only statements from articles published on or before this day.
    pub as_of: Option<Day>,
    /// Event entities may not be intermediate nodes.
    pub no_events: bool,
    /// Entities a path may not pass through.
    pub avoid: Vec<EntityIndex>,
    /// Roles whose links count as hops (none: facts only).
    pub links: Vec<Role>,
}

impl PathFilter {
    /// Whether a statement passes the filter (predicates are checked per edge).
    pub fn admits(&self, projection: &Projection, statement: &Facets) -> bool {
        if statement.negated {
            return false;
        }
        if self
            .min_certainty
            .is_some_and(|min| statement.certainty < min)
        {
            return false;
        }
        if !self.articles.is_empty() && !self.articles.contains(&statement.article) {
            return false;
        }
        if let Some(as_of) = self.as_of {
            match projection.articles[statement.article].published {
                Some(published) if published <= as_of => {}
                _ => return false,
            }
        }
        if self.since.is_some() || self.until.is_some() {
            let (Some(earliest), Some(latest)) = (statement.earliest, statement.latest) else {
                return false;
            };
            if self.since.is_some_and(|since| latest < since)
                || self.until.is_some_and(|until| earliest > until)
            {
                return false;
            }
        }
        true
    }

    /// True when the filter admits every asserted statement and every
    /// predicate (so an edge's cost needs no look at its statements).
    fn admits_everything(&self) -> bool {
        self.min_certainty.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.via.is_empty()
            && self.not_via.is_empty()
            && self.articles.is_empty()
            && self.as_of.is_none()
            && self.links.is_empty()
    }

    /// Whether `--via`/`--not-via` let a statement of this predicate count.
    pub fn predicate_ok(&self, predicate: PredicateIndex) -> bool {
        (self.via.is_empty() || self.via.contains(&predicate)) && !self.not_via.contains(&predicate)
    }
}

/// One step of a path, in the direction it is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hop {
    pub edge: EdgeIndex,
    pub from: NodeIndex,
    pub to: NodeIndex,
    /// True when walked along the edge's own direction.
    pub forward: bool,
}

/// A path's hops, inline up to four.
pub type Hops = smallvec::SmallVec<[Hop; 4]>;

#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub hops: Hops,
    pub cost: f64,
}

impl Path {
    pub fn len(&self) -> usize {
        self.hops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hops.is_empty()
    }

    /// The nodes visited, start and end included.
    pub fn nodes(&self) -> Vec<NodeIndex> {
        let mut nodes: Vec<NodeIndex> = self.hops.iter().map(|h| h.from).collect();
        nodes.extend(self.hops.last().map(|h| h.to));
        nodes
    }
}

/// A search over one projection with one filter.
pub struct Search<'a> {
    projection: &'a Projection,
    filter: &'a PathFilter,
    walk: Walk,
    /// The filter admits everything: edge costs come precomputed.
    open: bool,
    /// Fewest hops, both ways, over an open filter, nothing banned: the
    /// hot path of `open.rs` answers.
    hot: bool,
    /// Both halves of the bidirectional search, reused by the next one.
    sides: std::cell::RefCell<Option<(Side, Side)>>,
    /// The state of the open, undirected hot path (`open.rs`).
    open_sides: std::cell::RefCell<Option<OpenSides>>,
    /// Cancelled by `--timeout` or Ctrl-C: the enumeration of all paths,
    /// whose work can grow factorially, stops where it is.
    stop: Option<CancellationToken>,
}

#[derive(PartialEq)]
struct Queued(f64, NodeIndex);

impl Eq for Queued {}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on cost; ties by node for determinism.
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'a> Search<'a> {
    pub fn new(projection: &'a Projection, filter: &'a PathFilter, walk: Walk) -> Search<'a> {
        let open = filter.admits_everything();
        Search {
            projection,
            filter,
            walk,
            open,
            hot: open
                && walk.weight == Weight::Hops
                && !walk.directed
                && !filter.no_events
                && filter.avoid.is_empty(),
            sides: std::cell::RefCell::new(None),
            open_sides: std::cell::RefCell::new(None),
            stop: None,
        }
    }

    /// Lets `token` stop the search (`--timeout`, Ctrl-C): it then returns
    /// what it found so far, and the caller, seeing the token cancelled,
    /// reports the stop instead of those paths.
    pub fn stoppable(mut self, token: &CancellationToken) -> Search<'a> {
        self.stop = Some(token.clone());
        self
    }

    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
    }

    /// The statements of an edge that pass the filter.
    pub fn admitted(&self, edge: EdgeIndex) -> impl Iterator<Item = &'a Statement> + '_ {
        let projection = self.projection;
        let edge = &projection.graph[edge];
        // A role link's statements have predicates of their own, which
        // `--via` and `--not-via` judge.
        let role = edge.role.is_some();
        edge.statements
            .iter()
            .filter(move |&&s| {
                let facets = projection.statements.facets(s);
                self.filter.admits(projection, &facets)
                    && (!role || self.filter.predicate_ok(facets.predicate))
            })
            .map(move |&s| &projection.statements[s])
    }

    /// The cost of walking an edge, or `None` when the filter closes it.
    pub fn edge_cost(&self, edge: EdgeIndex) -> Option<f64> {
        if let Some(role) = self.projection.graph[edge].role {
            if !self.filter.links.contains(&role) {
                return None;
            }
        }
        if self.open {
            // Every edge has an asserted statement (denials are not edges).
            return Some(match self.walk.weight {
                Weight::Hops | Weight::Hubs => 1.0,
                Weight::Evidence => self.projection.graph[edge].evidence_cost,
            });
        }
        let weight = &self.projection.graph[edge];
        if weight.role.is_none() && !self.filter.predicate_ok(weight.predicate) {
            return None;
        }
        match self.walk.weight {
            Weight::Hops | Weight::Hubs => self.admitted(edge).next().map(|_| 1.0),
            Weight::Evidence => evidence_cost(self.admitted(edge)),
        }
    }

    /// The hops arriving at `node` (the reverse of `steps`), for the
    /// backward half of a bidirectional search.
    fn steps_into(&self, node: NodeIndex) -> impl Iterator<Item = Hop> + '_ {
        let graph = &self.projection.graph;
        let along = graph
            .edges_directed(node, Direction::Incoming)
            .map(move |e| Hop {
                edge: e.id(),
                from: e.source(),
                to: node,
                forward: true,
            });
        let against = graph
            .edges_directed(node, Direction::Outgoing)
            .filter(move |e| self.walks_backward(e.weight()))
            .filter(move |e| e.source() != e.target())
            .map(move |e| Hop {
                edge: e.id(),
                from: e.target(),
                to: node,
                forward: false,
            });
        along
            .chain(against)
            .filter(move |hop| self.edge_cost(hop.edge).is_some())
    }

    /// The hops leaving `node`, with their cost.
    fn steps(&self, node: NodeIndex) -> impl Iterator<Item = (Hop, f64)> + '_ {
        let graph = &self.projection.graph;
        let forward = graph
            .edges_directed(node, Direction::Outgoing)
            .map(move |e| Hop {
                edge: e.id(),
                from: node,
                to: e.target(),
                forward: true,
            });
        let backward = graph
            .edges_directed(node, Direction::Incoming)
            .filter(move |e| self.walks_backward(e.weight()))
            .filter(move |e| e.source() != e.target())
            .map(move |e| Hop {
                edge: e.id(),
                from: node,
                to: e.source(),
                forward: false,
            });
        forward
            .chain(backward)
            .filter_map(move |hop| self.edge_cost(hop.edge).map(|cost| (hop, cost)))
    }

    /// The nodes one usable hop away from `node`, with the hop.
    pub fn neighbors(&self, node: NodeIndex) -> impl Iterator<Item = (NodeIndex, Hop)> + '_ {
        self.steps(node).map(|(hop, _)| (hop.to, hop))
    }

    /// Whether an edge may be walked against its direction: always, unless
    /// the walk is directed and its predicate reads one way only.
    fn walks_backward(&self, edge: &super::Edge) -> bool {
        !self.walk.directed || self.projection.predicates[edge.predicate].symmetric
    }

    fn may_pass_through(&self, node: NodeIndex) -> bool {
        let event = self.filter.no_events && self.projection.entity(node).is_event;
        let avoided = self.filter.avoid.contains(&self.projection.graph[node]);
        !(event || avoided)
    }

    /// What passing through `node` adds to a path's cost: under
    /// `--weight hubs`, log2 of its neighbors (a leaf 0, a hub of 64
    /// neighbors 6); else nothing.
    fn pass_cost(&self, node: NodeIndex) -> f64 {
        match self.walk.weight {
            Weight::Hubs => (self.projection.neighbors.degree(node).max(1) as f64).log2(),
            Weight::Hops | Weight::Evidence => 0.0,
        }
    }

    /// The cheapest path, avoiding `banned_nodes` and `banned_hops`.
    fn shortest_avoiding(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_hops: &HashSet<(NodeIndex, EdgeIndex)>,
    ) -> Option<Path> {
        if from == to || banned_nodes.contains(&from) {
            return None;
        }
        if self.walk.weight == Weight::Hops {
            return self.bidirectional(from, to, banned_nodes, banned_hops);
        }
        let n = self.projection.graph.node_count();
        let mut cost = vec![f64::INFINITY; n];
        let mut came_from: Vec<Option<(Hop, f64)>> = vec![None; n];
        let mut queue = BinaryHeap::new();
        cost[from.index()] = 0.0;
        queue.push(Queued(0.0, from));
        while let Some(Queued(c, node)) = queue.pop() {
            if node == to {
                break;
            }
            if c > cost[node.index()] {
                continue;
            }
            if node != from && !self.may_pass_through(node) {
                continue;
            }
            for (hop, step) in self.steps(node) {
                if banned_nodes.contains(&hop.to) || banned_hops.contains(&(hop.from, hop.edge)) {
                    continue;
                }
                let pass = if hop.to == to {
                    0.0
                } else {
                    self.pass_cost(hop.to)
                };
                let next = c + step + pass;
                if next < cost[hop.to.index()] {
                    cost[hop.to.index()] = next;
                    came_from[hop.to.index()] = Some((hop, step));
                    queue.push(Queued(next, hop.to));
                }
            }
        }
        if !cost[to.index()].is_finite() || from == to {
            return None;
        }
        let mut hops = Hops::new();
        let mut node = to;
        while node != from {
            let (hop, _) = came_from[node.index()]?;
            hops.push(hop);
            node = hop.from;
        }
        hops.reverse();
        Some(Path {
            hops,
            cost: cost[to.index()],
        })
    }

    /// The paths `query` asks for, and whether `All` stopped at its limit.
    pub fn find(&self, from: NodeIndex, to: NodeIndex, query: PathQuery) -> (Vec<Path>, bool) {
        match query {
            PathQuery::Shortest => (self.shortest(from, to).into_iter().collect(), false),
            PathQuery::KShortest(k) => (self.k_shortest(from, to, k), false),
            PathQuery::All { max_hops, limit } => self.all_paths(from, to, max_hops, limit),
        }
    }

    /// The cheapest path from `from` to `to`.
    pub fn shortest(&self, from: NodeIndex, to: NodeIndex) -> Option<Path> {
        if from == to {
            return None;
        }
        if self.hot {
            return self.open_shortest(from, to);
        }
        self.shortest_avoiding(from, to, &HashSet::new(), &HashSet::new())
    }

    /// Up to `k` cheapest loopless paths, in non-decreasing cost (Yen's
    /// algorithm). Two paths differ when any hop differs in its entities or
    /// predicate (i.e. its edge).
    pub fn k_shortest(&self, from: NodeIndex, to: NodeIndex, k: usize) -> Vec<Path> {
        let mut found: Vec<Path> = Vec::new();
        let Some(first) = self.shortest(from, to) else {
            return found;
        };
        found.push(first);
        let mut candidates: Vec<Path> = Vec::new();
        while found.len() < k {
            let Some(previous) = found.last().cloned() else {
                break;
            };
            for i in 0..previous.hops.len() {
                let spur = previous.hops[i].from;
                let root = &previous.hops[..i];
                let mut banned_hops = HashSet::new();
                for path in &found {
                    if path.hops.len() > i && path.hops[..i] == *root {
                        banned_hops.insert((path.hops[i].from, path.hops[i].edge));
                    }
                }
                let banned_nodes: HashSet<NodeIndex> = root.iter().map(|h| h.from).collect();
                if let Some(spur_path) =
                    self.shortest_avoiding(spur, to, &banned_nodes, &banned_hops)
                {
                    let mut hops = Hops::from_slice(root);
                    hops.extend(spur_path.hops);
                    let candidate = self.priced(hops);
                    if !found
                        .iter()
                        .chain(&candidates)
                        .any(|p| p.hops == candidate.hops)
                    {
                        candidates.push(candidate);
                    }
                }
            }
            if candidates.is_empty() {
                break;
            }
            let best = (0..candidates.len())
                .min_by(|&a, &b| {
                    candidates[a]
                        .cost
                        .total_cmp(&candidates[b].cost)
                        .then_with(|| candidates[a].hops.len().cmp(&candidates[b].hops.len()))
                })
                .unwrap_or(0);
            found.push(candidates.swap_remove(best));
        }
        found
    }

    pub(super) fn priced(&self, hops: Hops) -> Path {
        let edges: f64 = hops
            .iter()
            .map(|h| self.edge_cost(h.edge).unwrap_or(f64::INFINITY))
            .sum();
        let passed: f64 = hops
            .iter()
            .take(hops.len().saturating_sub(1))
            .map(|h| self.pass_cost(h.to))
            .sum();
        Path {
            hops,
            cost: edges + passed,
        }
    }
}
