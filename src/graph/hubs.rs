//! Bit rows for the best-linked nodes: for a hub, one bit per node of the
//! graph saying "is my neighbor". Asking whether two nodes are linked is
//! then one load instead of a binary search through a hub's long list
//! (each step of which is a cache miss once the adjacency outgrows the
//! cache), and the first neighbor two hubs share is an AND of two rows.

use petgraph::graph::NodeIndex;

use super::Link;

/// Nodes with fewer neighbors than this get no row: their lists are
/// short enough to search.
const MIN_DEGREE: usize = 64;

/// Rows may take at most this many bytes per byte of adjacency list, so
/// the rows never outweigh the lists they shortcut.
const BUDGET_PER_LIST_BYTE: usize = 1;

/// Bits of a row per cache line: seven words, the eighth counting the bits
/// set before the line, so ranking a node reads only the line its own bit
/// is on (which testing the bit has just brought in).
const BITS_PER_LINE: usize = 7 * 64;

/// One cache line of a row.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
struct Line {
    /// How many bits are set in the row's earlier lines.
    before: u64,
    words: [u64; 7],
}

impl Line {
    /// How many of the line's own bits are set.
    #[inline(always)]
    fn ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }
}

#[derive(Debug, Default)]
pub(super) struct HubRows {
    /// Per node, its row number, or `u32::MAX` for none.
    row_of: Vec<u32>,
    lines_per_row: usize,
    lines: Vec<Line>,
}

/// One hub's row: one bit per node of the graph.
#[derive(Clone, Copy)]
pub(crate) struct Row<'a> {
    lines: &'a [Line],
}

/// The line, word and bit of `node` in a row.
fn place(node: NodeIndex) -> (usize, usize, u64) {
    let n = node.index();
    let within = n % BITS_PER_LINE;
    (n / BITS_PER_LINE, within / 64, 1 << (within % 64))
}

impl HubRows {
    /// Rows for the nodes of highest degree, within the budget.
    pub(super) fn new(offsets: &[usize], links: &[Link]) -> HubRows {
        let nodes = offsets.len().saturating_sub(1);
        let lines_per_row = nodes.div_ceil(BITS_PER_LINE);
        let degree = |n: usize| offsets[n + 1] - offsets[n];
        let mut hubs: Vec<usize> = (0..nodes).filter(|&n| degree(n) >= MIN_DEGREE).collect();
        hubs.sort_by_key(|&n| (std::cmp::Reverse(degree(n)), n));
        let budget = std::mem::size_of_val(links) * BUDGET_PER_LIST_BYTE;
        let rows = budget
            .checked_div(lines_per_row * std::mem::size_of::<Line>())
            .unwrap_or(0);
        hubs.truncate(rows);
        let mut row_of = vec![u32::MAX; nodes];
        let mut lines = vec![Line::default(); hubs.len() * lines_per_row];
        for (row, &hub) in hubs.iter().enumerate() {
            row_of[hub] = row as u32;
            let row = &mut lines[row * lines_per_row..(row + 1) * lines_per_row];
            for link in &links[offsets[hub]..offsets[hub + 1]] {
                let (line, word, bit) = place(link.node());
                row[line].words[word] |= bit;
            }
            let mut set = 0;
            for line in row {
                line.before = set as u64;
                set += line.ones();
            }
        }
        HubRows {
            row_of,
            lines_per_row,
            lines,
        }
    }

    /// The row of `node`, if it has one.
    pub(super) fn row(&self, node: NodeIndex) -> Option<Row<'_>> {
        let row = *self.row_of.get(node.index())?;
        if row == u32::MAX {
            return None;
        }
        let start = row as usize * self.lines_per_row;
        Some(Row {
            lines: self.lines.get(start..start + self.lines_per_row)?,
        })
    }
}

impl Row<'_> {
    /// Starts loading the lines that testing `node` and that finding the
    /// first node shared with another row read first.
    pub(super) fn prefetch_for(self, node: NodeIndex) {
        if let Some(first) = self.lines.first() {
            prefetch(first);
        }
        if let Some(line) = self.lines.get(place(node).0) {
            prefetch(line);
        }
    }

    /// Whether `node`'s bit is set.
    pub(crate) fn has(self, node: NodeIndex) -> bool {
        let (line, word, bit) = place(node);
        self.lines
            .get(line)
            .is_some_and(|l| l.words[word] & bit != 0)
    }

    /// Where `node` sits among the set bits (how many come before it): its
    /// place in the hub's neighbor list, which holds the same nodes in
    /// the same order. The line's own count and its words below the bit,
    /// where a binary search would chase new lines.
    pub(super) fn rank(self, node: NodeIndex) -> usize {
        // Counting bits is one instruction on every x86-64 CPU since 2008,
        // but not in the baseline Rust compiles for, whose software count
        // took a third of a two-hop query's instructions.
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: this CPU has the instruction `rank_popcnt` may use.
            return unsafe { self.rank_popcnt(node) };
        }
        self.rank_portable(node)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt")]
    fn rank_popcnt(self, node: NodeIndex) -> usize {
        self.rank_portable(node)
    }

    #[inline(always)]
    fn rank_portable(self, node: NodeIndex) -> usize {
        let (line, word, bit) = place(node);
        let Some(l) = self.lines.get(line) else {
            // Past the last node: every set bit comes before it.
            return self
                .lines
                .last()
                .map_or(0, |l| l.before as usize + l.ones());
        };
        let below: u32 = l.words[..word].iter().map(|w| w.count_ones()).sum();
        l.before as usize + (below + (l.words[word] & (bit - 1)).count_ones()) as usize
    }
}

/// Asks the CPU to start loading the cache line `value` is on, so that
/// several lines a search will need arrive together instead of one after
/// the other (on a graph that outgrows the cache, each is a trip to memory).
#[inline(always)]
pub(super) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of the x86-64 baseline, and a prefetch is only a
    // hint: it reads nothing into the program and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// The smallest node set in both rows.
pub(crate) fn first_in_both(a: Row<'_>, b: Row<'_>) -> Option<NodeIndex> {
    a.lines
        .iter()
        .zip(b.lines)
        .enumerate()
        .find_map(|(i, (x, y))| {
            let w = x.words.iter().zip(&y.words).position(|(p, q)| p & q != 0)?;
            let both = x.words[w] & y.words[w];
            Some(NodeIndex::new(
                i * BITS_PER_LINE + w * 64 + both.trailing_zeros() as usize,
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::EdgeIndex;

    const NODES: usize = 600;

    /// Rows for two hubs (nodes 0 and 1) with these neighbors, in a graph
    /// of `NODES` nodes whose other lists are empty.
    fn rows_of(first: &[usize], second: &[usize]) -> HubRows {
        let link = |&n: &usize| Link::new(NodeIndex::new(n), EdgeIndex::new(0), true);
        let links: Vec<Link> = first.iter().chain(second).map(link).collect();
        let mut offsets = vec![0, first.len()];
        offsets.resize(NODES + 1, links.len());
        HubRows::new(&offsets, &links)
    }

    /// Every 7th node, and the nodes either side of word and line edges.
    fn spread(start: usize) -> Vec<usize> {
        let mut nodes: Vec<usize> = (start..NODES).step_by(7).collect();
        nodes.extend([63, 64, 383, 384, 447, 448, 449, 511, 512, NODES - 1]);
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    #[test]
    fn rank_is_the_place_in_the_sorted_list() {
        let nodes = spread(1);
        let rows = rows_of(&nodes, &spread(2));
        let row = rows.row(NodeIndex::new(0)).expect("node 0 is a hub");
        for n in 0..NODES + 70 {
            let node = NodeIndex::new(n);
            assert_eq!(row.has(node), nodes.contains(&n), "node {n}");
            let place = nodes.iter().filter(|&&m| m < n).count();
            assert_eq!(row.rank(node), place, "node {n}");
        }
        assert!(rows.row(NodeIndex::new(2)).is_none());
    }

    #[test]
    fn first_in_both_is_the_smallest_shared_node() {
        let (a, b) = (spread(3), spread(5));
        let rows = rows_of(&a, &b);
        let (row_a, row_b) = (rows.row(NodeIndex::new(0)), rows.row(NodeIndex::new(1)));
        let (row_a, row_b) = (row_a.expect("hub"), row_b.expect("hub"));
        let shared = a.iter().find(|n| b.contains(n)).copied();
        assert_eq!(first_in_both(row_a, row_b).map(|n| n.index()), shared);
        let far: Vec<usize> = (300..380).collect();
        let rows = rows_of(&(0..80).collect::<Vec<_>>(), &far);
        let (row_a, row_b) = (rows.row(NodeIndex::new(0)), rows.row(NodeIndex::new(1)));
        assert_eq!(
            first_in_both(row_a.expect("hub"), row_b.expect("hub")),
            None
        );
    }
}
