//! Fewest hops between two entities: breadth-first search from both ends,
//! one level at a time from the side with less to look at, stopping at
//! the first node both sides reach. The two sides are kept between
//! searches (see [`Side`]), so a search costs what it visits.

use std::collections::HashSet;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{Hop, Path, Search};

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
        let n = self.projection.graph.node_count();
        let taken = self.sides.borrow_mut().take();
        let (mut ahead, mut behind) = taken.unwrap_or_else(|| (Side::new(n), Side::new(n)));
        ahead.restart(from);
        behind.restart(to);
        let found = self.meet(&mut ahead, &mut behind, from, to, banned_nodes, banned_hops);
        *self.sides.borrow_mut() = Some((ahead, behind));
        found
    }

    /// The body of [`Search::bidirectional`], on restarted sides.
    fn meet<'s>(
        &'s self,
        ahead: &mut Side,
        behind: &mut Side,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_hops: &HashSet<(NodeIndex, EdgeIndex)>,
    ) -> Option<Path> {
        let passable = |node: NodeIndex| node == from || node == to || self.may_pass_through(node);
        // With an open filter and no bans, one edge per neighbour will do.
        let compact =
            self.open && !self.filter.directed && banned_nodes.is_empty() && banned_hops.is_empty();
        let neighbours = &self.projection.neighbours;
        let out_of = |node: NodeIndex| -> Box<dyn Iterator<Item = Hop> + '_> {
            if compact {
                Box::new(
                    neighbours[node.index()]
                        .iter()
                        .map(move |&(to, edge, forward)| Hop {
                            edge,
                            from: node,
                            to,
                            forward,
                        }),
                )
            } else {
                Box::new(self.steps(node).map(|(hop, _)| hop))
            }
        };
        let into = |node: NodeIndex| -> Box<dyn Iterator<Item = Hop> + '_> {
            if compact {
                Box::new(
                    neighbours[node.index()]
                        .iter()
                        .map(move |&(from, edge, forward)| Hop {
                            edge,
                            from,
                            to: node,
                            forward: !forward,
                        }),
                )
            } else {
                Box::new(self.steps_into(node))
            }
        };
        // Grows one side by a level; `far` is the end of a hop away from
        // that side. Returns the first node both sides have reached.
        let expand = |side: &mut Side,
                      other: &Side,
                      steps: &dyn Fn(NodeIndex) -> Box<dyn Iterator<Item = Hop> + 's>,
                      far: fn(&Hop) -> NodeIndex| {
            let mut meeting = None;
            let mut next = std::mem::take(&mut side.next);
            next.clear();
            for i in 0..side.frontier.len() {
                if meeting.is_some() {
                    break;
                }
                let node = side.frontier[i];
                if !passable(node) {
                    continue;
                }
                for hop in steps(node) {
                    let reached = far(&hop);
                    if side.reached(reached)
                        || banned_nodes.contains(&reached)
                        || banned_hops.contains(&(hop.from, hop.edge))
                    {
                        continue;
                    }
                    side.reach(reached, hop);
                    if other.reached(reached) && passable(reached) {
                        // Every meeting of this level makes a path of the
                        // same length (a shorter one would have met at an
                        // earlier level), so the first one will do.
                        meeting = Some(reached);
                        break;
                    }
                    next.push(reached);
                }
            }
            side.next = std::mem::replace(&mut side.frontier, next);
            meeting
        };
        loop {
            if ahead.frontier.is_empty() || behind.frontier.is_empty() {
                return None;
            }
            // Grow the side with less to look at: the sum of its frontier's
            // degrees (hubs make frontiers of equal size very unequal).
            let work = |side: &Side| -> usize {
                side.frontier
                    .iter()
                    .map(|n| neighbours.get(n.index()).map_or(1, Vec::len))
                    .sum()
            };
            let meeting = if work(ahead) <= work(behind) {
                expand(ahead, behind, &out_of, |hop| hop.to)
            } else {
                expand(behind, ahead, &into, |hop| hop.from)
            };
            if let Some(middle) = meeting {
                let mut hops = Vec::new();
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
}
