//! Every simple path of at most N hops, found shortest first. Around hubs the
//! number of walks explodes while few of them reach the target, so the walk
//! is pruned by each node's distance to the target (one backward BFS): a
//! step is taken only if the target is still reachable in the hops left,
//! which makes the work grow with the paths found, not with the graph.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::graph::NodeIndex;

use super::{Hop, Hops, Path, Search};

/// What one enumeration carries through its depth-first walk.
struct Walk {
    to: NodeIndex,
    /// Fewest hops from each node to the target (`u32::MAX`: out of reach).
    distance: Vec<u32>,
    /// The hops into the target, by the node they leave: the last step
    /// reads these instead of scanning a hub's every edge.
    last_hops: HashMap<NodeIndex, Vec<Hop>>,
    limit: usize,
    stack: Vec<Hop>,
    on_path: HashSet<NodeIndex>,
    paths: Vec<Path>,
    truncated: bool,
}

impl Search<'_> {
    /// Every simple path of at most `max_hops` hops, cheapest first; stops
    /// after `limit` paths, keeping those of fewest hops (the count of all
    /// paths can grow factorially), and says whether it stopped.
    pub fn all_paths(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        max_hops: usize,
        limit: usize,
    ) -> (Vec<Path>, bool) {
        if from == to || max_hops == 0 {
            return (Vec::new(), false);
        }
        let mut walk = Walk {
            to,
            distance: self.distances_to(to, max_hops),
            last_hops: HashMap::new(),
            limit,
            stack: Vec::new(),
            on_path: HashSet::from([from]),
            paths: Vec::new(),
            truncated: false,
        };
        for hop in self.steps_into(to) {
            if hop.from != to {
                walk.last_hops.entry(hop.from).or_default().push(hop);
            }
        }
        let nearest = walk.distance[from.index()] as usize;
        // One exact length at a time, so a cut keeps the shortest paths.
        for length in nearest..=max_hops {
            if walk.truncated {
                break;
            }
            self.walk(&mut walk, from, length);
        }
        let Walk {
            mut paths,
            truncated,
            ..
        } = walk;
        paths.sort_by(|a: &Path, b: &Path| {
            a.cost
                .total_cmp(&b.cost)
                .then_with(|| a.hops.len().cmp(&b.hops.len()))
        });
        (paths, truncated)
    }

    /// Fewest usable hops from every node to `to`, up to `max_hops` (a
    /// backward BFS; a node that may not be passed through ends a walk).
    fn distances_to(&self, to: NodeIndex, max_hops: usize) -> Vec<u32> {
        let mut distance = vec![u32::MAX; self.projection.graph.node_count()];
        distance[to.index()] = 0;
        let mut queue = VecDeque::from([to]);
        while let Some(node) = queue.pop_front() {
            let d = distance[node.index()];
            if d as usize >= max_hops || (node != to && !self.may_pass_through(node)) {
                continue;
            }
            let mut reach = |near: NodeIndex| {
                if distance[near.index()] == u32::MAX {
                    distance[near.index()] = d + 1;
                    queue.push_back(near);
                }
            };
            if self.open && !self.walk.directed {
                // Distances need each neighbor once: the compact adjacency
                // is one read where the edge lists are a miss per edge.
                for link in self.projection.neighbors.of(node) {
                    reach(link.node());
                }
            } else {
                for hop in self.steps_into(node) {
                    reach(hop.from);
                }
            }
        }
        distance
    }

    /// Extends the walk's path from `node` by exactly `left` more hops to
    /// the target.
    fn walk(&self, walk: &mut Walk, node: NodeIndex, left: usize) {
        if walk.truncated {
            return;
        }
        if self.stopped() {
            walk.truncated = true;
            return;
        }
        if left == 1 {
            let Some(last) = walk.last_hops.get(&node) else {
                return;
            };
            for &hop in last {
                if walk.paths.len() == walk.limit {
                    walk.truncated = true;
                    return;
                }
                walk.stack.push(hop);
                walk.paths.push(self.priced(Hops::from_slice(&walk.stack)));
                walk.stack.pop();
            }
            return;
        }
        for (hop, _) in self.steps(node) {
            let next = hop.to;
            // The target only ends a path; a step must leave it in reach.
            if next == walk.to
                || walk.distance[next.index()] as usize > left - 1
                || walk.on_path.contains(&next)
                || !self.may_pass_through(next)
            {
                continue;
            }
            walk.stack.push(hop);
            walk.on_path.insert(next);
            self.walk(walk, next, left - 1);
            walk.on_path.remove(&next);
            walk.stack.pop();
            if walk.truncated {
                return;
            }
        }
    }
}
