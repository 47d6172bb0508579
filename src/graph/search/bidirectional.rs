//! Fewest hops between two entities: breadth-first search from both ends,
//! one level at a time from the side with less to look at, stopping at
//! the first node both sides reach. The two sides are kept between
//! searches (see [`Side`]), so a search costs what it visits.

use std::collections::HashSet;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{Hop, Hops, Path, Search};
use crate::graph::Adjacency;

/// One half of a bidirectional search: its frontier, what it has reached,
/// and the hop by which it reached each node. Kept between searches: a
/// node counts as reached when its stamp is this search's, so a search
/// costs what it visits, not the size of the graph.
pub(super) struct Side {
    frontier: Vec<NodeIndex>,
    next: Vec<NodeIndex>,
    stamps: Vec<u32>,
    stamp: u32,
    parents: Vec<Hop>,
}

impl Side {
    pub(super) fn new(nodes: usize) -> Side {
        let nowhere = Hop {
            edge: EdgeIndex::end(),
            from: NodeIndex::end(),
            to: NodeIndex::end(),
            forward: true,
        };
        Side {
            frontier: Vec::new(),
            next: Vec::new(),
            stamps: vec![0; nodes],
            stamp: 0,
            parents: vec![nowhere; nodes],
        }
    }

    /// Starts a new search from `start`.
    fn restart(&mut self, start: NodeIndex) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.fill(0);
            self.stamp = 1;
        }
        self.frontier.clear();
        self.frontier.push(start);
        self.stamps[start.index()] = self.stamp;
    }

    fn reached(&self, node: NodeIndex) -> bool {
        self.stamps[node.index()] == self.stamp
    }

    fn reach(&mut self, node: NodeIndex, hop: Hop) {
        self.stamps[node.index()] = self.stamp;
        self.parents[node.index()] = hop;
    }
}

impl Search<'_> {
    /// Fewest hops by breadth-first search from both ends, one level at a
    /// time from the smaller frontier.
    pub(super) fn bidirectional(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_hops: &HashSet<(NodeIndex, EdgeIndex)>,
    ) -> Option<Path> {
        if self.hot && banned_nodes.is_empty() && banned_hops.is_empty() {
            return self.open_shortest(from, to);
        }
        let n = self.projection.graph.node_count();
        let mut sides = self.sides.borrow_mut();
        let (ahead, behind) = sides.get_or_insert_with(|| (Side::new(n), Side::new(n)));
        ahead.restart(from);
        behind.restart(to);
        self.meet(ahead, behind, from, to, banned_nodes, banned_hops)
    }

    /// The body of [`Search::bidirectional`], on restarted sides.
    fn meet(
        &self,
        ahead: &mut Side,
        behind: &mut Side,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_hops: &HashSet<(NodeIndex, EdgeIndex)>,
    ) -> Option<Path> {
        // With an open filter and no bans, one edge per neighbor will do:
        // the hot path, read from the compact adjacency.
        let neighbors = &self.projection.neighbors;
        let bans = Bans {
            from,
            to,
            nodes: banned_nodes,
            hops: banned_hops,
        };
        if self.open && !self.walk.directed && banned_nodes.is_empty() && banned_hops.is_empty() {
            let out_of = |node: NodeIndex| {
                neighbors.of(node).iter().map(move |link| Hop {
                    edge: link.edge(),
                    from: node,
                    to: link.node(),
                    forward: link.forward(),
                })
            };
            let into = |node: NodeIndex| {
                neighbors.of(node).iter().map(move |link| Hop {
                    edge: link.edge(),
                    from: link.node(),
                    to: node,
                    forward: !link.forward(),
                })
            };
            self.grow(ahead, behind, &bans, out_of, into)
        } else {
            let out_of = |node: NodeIndex| self.steps(node).map(|(hop, _)| hop);
            let into = |node: NodeIndex| self.steps_into(node);
            self.grow(ahead, behind, &bans, out_of, into)
        }
    }

    /// Grows the two sides a level at a time until they meet; `out_of`
    /// gives the hops leaving a node, `into` those arriving at it.
    fn grow<Out, In>(
        &self,
        ahead: &mut Side,
        behind: &mut Side,
        bans: &Bans<'_>,
        out_of: impl Fn(NodeIndex) -> Out,
        into: impl Fn(NodeIndex) -> In,
    ) -> Option<Path>
    where
        Out: Iterator<Item = Hop>,
        In: Iterator<Item = Hop>,
    {
        let (from, to) = (bans.from, bans.to);
        let neighbors = &self.projection.neighbors;
        loop {
            if ahead.frontier.is_empty() || behind.frontier.is_empty() {
                return None;
            }
            let grow_ahead = grow_ahead(
                ahead.frontier.iter().copied(),
                behind.frontier.iter().copied(),
                neighbors,
            );
            let meeting = if grow_ahead {
                self.expand(ahead, behind, bans, &out_of, |hop| hop.to)
            } else {
                self.expand(behind, ahead, bans, &into, |hop| hop.from)
            };
            if let Some(middle) = meeting {
                let mut hops = Hops::new();
                let mut node = middle;
                while node != from {
                    let hop = ahead.parents[node.index()];
                    hops.push(hop);
                    node = hop.from;
                }
                hops.reverse();
                let mut node = middle;
                while node != to {
                    let hop = behind.parents[node.index()];
                    hops.push(hop);
                    node = hop.to;
                }
                let cost = hops.len() as f64;
                return Some(Path { hops, cost });
            }
        }
    }

    /// Grows `side` by one level; `far` is the end of a hop away from that
    /// side. Returns the first node both sides have reached.
    fn expand<Steps: Iterator<Item = Hop>>(
        &self,
        side: &mut Side,
        other: &Side,
        bans: &Bans<'_>,
        steps: impl Fn(NodeIndex) -> Steps,
        far: fn(&Hop) -> NodeIndex,
    ) -> Option<NodeIndex> {
        let passable =
            |node: NodeIndex| node == bans.from || node == bans.to || self.may_pass_through(node);
        let mut meeting = None;
        let mut next = std::mem::take(&mut side.next);
        next.clear();
        'frontier: for i in 0..side.frontier.len() {
            let node = side.frontier[i];
            if !passable(node) {
                continue;
            }
            for hop in steps(node) {
                let reached = far(&hop);
                if side.reached(reached)
                    || bans.nodes.contains(&reached)
                    || bans.hops.contains(&(hop.from, hop.edge))
                {
                    continue;
                }
                side.reach(reached, hop);
                if other.reached(reached) && passable(reached) {
                    // Every meeting of this level makes a path of the same
                    // length (a shorter one would have met at an earlier
                    // level), so the first one will do.
                    meeting = Some(reached);
                    break 'frontier;
                }
                next.push(reached);
            }
        }
        side.next = std::mem::replace(&mut side.frontier, next);
        meeting
    }
}

/// Whether a search grows its ahead side next: the side whose frontier has
/// less to look at, the sum of its degrees (hubs make frontiers of equal
/// size very unequal). The larger frontier is summed only until it is known
/// to be larger: after one level from a hub-linked entity, that is a few
/// nodes, not all of them.
pub(super) fn grow_ahead<A, B>(ahead: A, behind: B, neighbors: &Adjacency) -> bool
where
    A: ExactSizeIterator<Item = NodeIndex>,
    B: ExactSizeIterator<Item = NodeIndex>,
{
    fn work(frontier: impl Iterator<Item = NodeIndex>, neighbors: &Adjacency, cap: usize) -> usize {
        let mut sum = 0;
        for n in frontier {
            sum += neighbors.degree(n).max(1);
            if sum > cap {
                break;
            }
        }
        sum
    }
    if ahead.len() <= behind.len() {
        let a = work(ahead, neighbors, usize::MAX);
        a <= work(behind, neighbors, a)
    } else {
        let b = work(behind, neighbors, usize::MAX);
        work(ahead, neighbors, b) <= b
    }
}

/// The ends of a search and what it may not use.
struct Bans<'b> {
    from: NodeIndex,
    to: NodeIndex,
    nodes: &'b HashSet<NodeIndex>,
    hops: &'b HashSet<(NodeIndex, EdgeIndex)>,
}
