//! The hot path of [`Search::shortest`]: fewest hops, both directions, with
//! a filter that admits everything and nothing banned, which is what most
//! path questions are. The same bidirectional search as `bidirectional.rs`
//! (same side choice, same order, so the same path), on a leaner state:
//! per node one 16-byte [`Mark`] holding both sides' stamp and parent, so
//! reaching a neighbor and asking whether the other side has reached it
//! touch one cache line, and a parent is a node (4 bytes), its link looked
//! up again only for the few nodes of the path found.

use petgraph::graph::NodeIndex;

use std::iter::once;

use super::bidirectional::grow_ahead;
use smallvec::smallvec;

use super::{Hop, Hops, Path, Search};
use crate::graph::hubs::{first_in_both, Row};
use crate::graph::{Adjacency, Link};

/// What both sides of the search know of one node.
#[derive(Clone, Copy, Default)]
struct Mark {
    /// The search that reached the node from each side (0: ahead, 1: behind).
    stamp: [u32; 2],
    /// The node it was reached from, on each side.
    parent: [u32; 2],
}

/// The state of the hot path, kept between searches: a node counts as
/// reached when its stamp is this search's, so a search costs what it
/// visits, not the size of the graph.
pub(super) struct OpenSides {
    marks: Vec<Mark>,
    stamp: u32,
    frontiers: [Vec<u32>; 2],
    next: Vec<u32>,
}

impl OpenSides {
    pub(super) fn new(nodes: usize) -> OpenSides {
        OpenSides {
            marks: vec![Mark::default(); nodes],
            stamp: 0,
            frontiers: [Vec::new(), Vec::new()],
            next: Vec::new(),
        }
    }

    fn restart(&mut self, from: u32, to: u32) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.marks.fill(Mark::default());
            self.stamp = 1;
        }
        for (side, start) in [(0, from), (1, to)] {
            self.frontiers[side].clear();
            self.frontiers[side].push(start);
            self.marks[start as usize].stamp[side] = self.stamp;
        }
    }

    /// Grows `side` by one level; the first node the other side has
    /// reached too, if any.
    fn expand(&mut self, side: usize, neighbors: &Adjacency) -> Option<u32> {
        let stamp = self.stamp;
        let other = 1 - side;
        let mut next = std::mem::take(&mut self.next);
        next.clear();
        let mut meeting = None;
        'frontier: for &node in &self.frontiers[side] {
            for link in neighbors.of(NodeIndex::new(node as usize)) {
                let reached = link.node().index();
                let mark = &mut self.marks[reached];
                if mark.stamp[side] == stamp {
                    continue;
                }
                mark.stamp[side] = stamp;
                mark.parent[side] = node;
                if mark.stamp[other] == stamp {
                    // Every meeting of this level makes a path of the same
                    // length, so the first one will do.
                    meeting = Some(reached as u32);
                    break 'frontier;
                }
                next.push(reached as u32);
            }
        }
        self.next = std::mem::replace(&mut self.frontiers[side], next);
        meeting
    }
}

/// The first node two neighbor lists (sorted by node) share, with its
/// link in each list. A merge of both when they are of similar length
/// (branch-free steps: which list moves on is data, not a jump to
/// mispredict), else the shorter one's nodes looked up in the longer (a
/// hub's list can be a hundred times longer); both find the smallest
/// common node.
fn first_common(a: &[Link], b: &[Link]) -> Option<(Link, Link)> {
    let find = |list: &[Link], node: NodeIndex| list.binary_search_by_key(&node, |l| l.node());
    if a.len() > 16 * b.len() {
        return b
            .iter()
            .find_map(|y| find(a, y.node()).ok().map(|i| (a[i], *y)));
    }
    if b.len() > 16 * a.len() {
        return a
            .iter()
            .find_map(|x| find(b, x.node()).ok().map(|j| (*x, b[j])));
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i].node(), b[j].node());
        if x == y {
            return Some((a[i], b[j]));
        }
        i += usize::from(x < y);
        j += usize::from(y < x);
    }
    None
}

/// [`first_common`] of two nodes' lists, asking a hub's bit row instead
/// of searching its long list where one has a row: the same node, found
/// with independent loads (which overlap) instead of a binary search's
/// chain of dependent ones; the hub's own link then comes from
/// [`Adjacency::link`], which ranks it in the row.
fn first_common_of(neighbors: &Adjacency, a: NodeIndex, b: NodeIndex) -> Option<(Link, Link)> {
    let (list_a, list_b) = (neighbors.of(a), neighbors.of(b));
    // The first of `list` (in node order) that `hub`'s row holds, with the
    // hub's link to it and the list's.
    let in_row = |hub: NodeIndex, row: Row<'_>, list: &[Link]| {
        let other = list.iter().find(|l| row.has(l.node()))?;
        Some((neighbors.link(hub, other.node())?, *other))
    };
    match (neighbors.row(a), neighbors.row(b)) {
        (Some(row_a), Some(row_b)) => {
            let common = first_in_both(row_a, row_b)?;
            Some((neighbors.link(a, common)?, neighbors.link(b, common)?))
        }
        (Some(row_a), None) => in_row(a, row_a, list_b),
        (None, Some(row_b)) => in_row(b, row_b, list_a).map(|(y, x)| (x, y)),
        (None, None) => first_common(list_a, list_b),
    }
}

/// The hop between a node and one of its neighbors (`link`, in the node's
/// list) as a side walks it: the ahead side away from the node, the
/// behind side towards it.
fn walked(ahead: bool, link: Link, node: NodeIndex) -> Hop {
    if ahead {
        Hop {
            edge: link.edge(),
            from: node,
            to: link.node(),
            forward: link.forward(),
        }
    } else {
        Hop {
            edge: link.edge(),
            from: link.node(),
            to: node,
            forward: !link.forward(),
        }
    }
}

impl Search<'_> {
    /// Fewest hops from `from` to `to` under an open filter, undirected.
    pub(super) fn open_shortest(&self, from: NodeIndex, to: NodeIndex) -> Option<Path> {
        if let Some(path) = self.open_near(from, to) {
            return Some(path);
        }
        self.open_search(from, to)
    }

    /// The path of at most two hops that the search would find, without
    /// the search: most pairs of a news graph are two hops apart (through
    /// a hub), and for them the search's two levels amount to "is the end
    /// among the first side's neighbors, else the first neighbor of the
    /// second side (in node order) that the first side has too", which a
    /// merge of the two sorted lists answers with no writes at all. `None`
    /// when the search would take another turn (a longer path, or growing
    /// the first side twice): then the search itself decides.
    fn open_near(&self, from: NodeIndex, to: NodeIndex) -> Option<Path> {
        let neighbors = &self.projection.neighbors;
        neighbors.prefetch_pair(from, to);
        let ahead_first = grow_ahead(once(from), once(to), neighbors);
        let (first, second) = if ahead_first { (from, to) } else { (to, from) };
        if let Some(link) = neighbors.link(first, second) {
            return Some(Path {
                hops: smallvec![walked(ahead_first, link, first)],
                cost: 1.0,
            });
        }
        // The search's next turn: the second side, unless the first side's
        // new frontier (its neighbors) has less to look at (`grow_ahead`'s
        // rule, on sums kept in the adjacency).
        let first_side = neighbors.second_level(first);
        let second_side = neighbors.degree(second).max(1);
        let grows_ahead = if ahead_first {
            first_side <= second_side
        } else {
            second_side <= first_side
        };
        if neighbors.degree(first) == 0 || grows_ahead == ahead_first {
            return None;
        }
        let (a, b) = first_common_of(neighbors, first, second)?;
        let mut hops: Hops = smallvec![
            walked(ahead_first, a, first),
            walked(!ahead_first, b, second),
        ];
        if !ahead_first {
            hops.reverse();
        }
        Some(Path { hops, cost: 2.0 })
    }

    /// The bidirectional search itself.
    fn open_search(&self, from: NodeIndex, to: NodeIndex) -> Option<Path> {
        let neighbors = &self.projection.neighbors;
        let mut state = self.open_sides.borrow_mut();
        let sides = state.get_or_insert_with(|| OpenSides::new(self.projection.graph.node_count()));
        let (start, end) = (from.index() as u32, to.index() as u32);
        sides.restart(start, end);
        let middle = loop {
            if sides.frontiers[0].is_empty() || sides.frontiers[1].is_empty() {
                return None;
            }
            let nodes = |side: usize| {
                sides.frontiers[side]
                    .iter()
                    .map(|&n| NodeIndex::new(n as usize))
            };
            let ahead = grow_ahead(nodes(0), nodes(1), neighbors);
            if let Some(middle) = sides.expand(if ahead { 0 } else { 1 }, neighbors) {
                break middle;
            }
        };
        let mut hops = Hops::new();
        for (side, stop) in [(0, start), (1, end)] {
            let mut part = Hops::new();
            let mut node = middle;
            while node != stop {
                let parent = sides.marks[node as usize].parent[side];
                let (p, n) = (
                    NodeIndex::new(parent as usize),
                    NodeIndex::new(node as usize),
                );
                // The link in the parent's list: the list the search walked.
                part.push(walked(side == 0, neighbors.link(p, n)?, p));
                node = parent;
            }
            if side == 0 {
                part.reverse();
            }
            hops.extend(part);
        }
        let cost = hops.len() as f64;
        Some(Path { hops, cost })
    }
}
