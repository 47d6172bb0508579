//! Bit rows for the best-linked nodes: for a hub, one bit per node of the
//! graph saying "is my neighbour". Asking whether two nodes are linked is
//! then one load instead of a binary search through a hub's long list
//! (each step of which is a cache miss once the adjacency outgrows the
//! cache), and the first neighbour two hubs share is an AND of two rows.

use petgraph::graph::NodeIndex;

use super::Link;

/// Nodes with fewer neighbours than this get no row: their lists are
/// short enough to search.
const MIN_DEGREE: usize = 64;

/// Rows may take at most this many bytes per byte of adjacency list, so
/// the rows never outweigh the lists they shortcut.
const BUDGET_PER_LIST_BYTE: usize = 1;

#[derive(Debug, Default)]
pub(super) struct HubRows {
    /// Per node, its row number, or `u32::MAX` for none.
    row_of: Vec<u32>,
    words_per_row: usize,
    bits: Vec<u64>,
}

impl HubRows {
    /// Rows for the nodes of highest degree, within the budget.
    pub(super) fn new(offsets: &[usize], links: &[Link]) -> HubRows {
        let nodes = offsets.len().saturating_sub(1);
        let words_per_row = nodes.div_ceil(64);
        let degree = |n: usize| offsets[n + 1] - offsets[n];
        let mut hubs: Vec<usize> = (0..nodes).filter(|&n| degree(n) >= MIN_DEGREE).collect();
        hubs.sort_by_key(|&n| (std::cmp::Reverse(degree(n)), n));
        let budget_words = std::mem::size_of_val(links) * BUDGET_PER_LIST_BYTE / 8;
        let rows = budget_words.checked_div(words_per_row).unwrap_or(0);
        hubs.truncate(rows);
        let mut row_of = vec![u32::MAX; nodes];
        let mut bits = vec![0u64; hubs.len() * words_per_row];
        for (row, &hub) in hubs.iter().enumerate() {
            row_of[hub] = row as u32;
            let words = &mut bits[row * words_per_row..(row + 1) * words_per_row];
            for link in &links[offsets[hub]..offsets[hub + 1]] {
                let n = link.node().index();
                words[n / 64] |= 1 << (n % 64);
            }
        }
        HubRows {
            row_of,
            words_per_row,
            bits,
        }
    }

    /// The row of `node`, if it has one.
    pub(super) fn row(&self, node: NodeIndex) -> Option<&[u64]> {
        let row = *self.row_of.get(node.index())?;
        if row == u32::MAX {
            return None;
        }
        let start = row as usize * self.words_per_row;
        self.bits.get(start..start + self.words_per_row)
    }
}

/// Whether `node`'s bit is set in `row`.
pub(crate) fn has(row: &[u64], node: NodeIndex) -> bool {
    let n = node.index();
    row.get(n / 64).is_some_and(|w| w & (1 << (n % 64)) != 0)
}

/// The smallest node set in both rows.
pub(crate) fn first_in_both(a: &[u64], b: &[u64]) -> Option<NodeIndex> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x & y != 0)
        .map(|w| NodeIndex::new(w * 64 + (a[w] & b[w]).trailing_zeros() as usize))
}

/// Where `node` sits among the set bits of `row` (how many come before
/// it): its place in the hub's neighbour list, which holds the same nodes
/// in the same order. Reads words the AND has just brought into cache,
/// where a binary search would chase new lines.
pub(super) fn rank(row: &[u64], node: NodeIndex) -> usize {
    let n = node.index();
    let (whole, rest) = row.split_at((n / 64).min(row.len()));
    let below = rest
        .first()
        .map_or(0, |w| (w & ((1u64 << (n % 64)) - 1)).count_ones());
    whole.iter().map(|w| w.count_ones() as usize).sum::<usize>() + below as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_of(nodes: &[usize]) -> Vec<u64> {
        let mut row = vec![0u64; 3];
        for &n in nodes {
            row[n / 64] |= 1 << (n % 64);
        }
        row
    }

    #[test]
    fn rank_is_the_place_in_the_sorted_list() {
        let nodes = [0, 5, 63, 64, 100, 191];
        let row = row_of(&nodes);
        for (place, &n) in nodes.iter().enumerate() {
            assert!(has(&row, NodeIndex::new(n)));
            assert_eq!(rank(&row, NodeIndex::new(n)), place, "node {n}");
        }
        assert!(!has(&row, NodeIndex::new(65)));
        assert!(!has(&row, NodeIndex::new(10_000)));
        assert_eq!(rank(&row, NodeIndex::new(10_000)), nodes.len());
    }

    #[test]
    fn first_in_both_is_the_smallest_shared_node() {
        let a = row_of(&[3, 70, 130, 150]);
        let b = row_of(&[4, 130, 150]);
        assert_eq!(first_in_both(&a, &b), Some(NodeIndex::new(130)));
        assert_eq!(first_in_both(&a, &row_of(&[1, 2])), None);
    }
}
