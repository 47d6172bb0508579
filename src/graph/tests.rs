//! Property tests of path search on random graphs ingested through the
//! normal path (JSON -> store -> projection), against plain oracles built
//! from the generated facts. Deterministic: a seeded generator, many cases.

use std::collections::{HashSet, VecDeque};

use super::search::{PathFilter, Search, Walk};
use super::Projection;
use crate::ingest::{ingest, IngestOptions, InputSource};
use crate::store::GraphStore;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const PREDICATES: [&str; 3] = ["warned", "contacted", "memberOf"];

/// A random graph: (subject, predicate, object, negated) over `n` entities.
fn random_facts(rng: &mut Rng, n: usize, m: usize) -> Vec<(usize, usize, usize, bool)> {
    (0..m)
        .map(|_| {
            let s = rng.below(n);
            let mut o = rng.below(n);
            if o == s {
                o = (o + 1) % n;
            }
            (s, rng.below(PREDICATES.len()), o, rng.below(10) == 0)
        })
        .collect()
}

fn ingest_facts(n: usize, facts: &[(usize, usize, usize, bool)]) -> Projection {
    let entities: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "e{i}", "type": "Person"}}"#))
        .collect();
    let facts: Vec<String> = facts
        .iter()
        .enumerate()
        .map(|(i, (s, p, o, neg))| {
            format!(r#"{{"id": "f{i}", "subject": "e{s}", "predicate": "{}", "object": "e{o}", "negated": {neg}}}"#, PREDICATES[*p])
        })
        .collect();
    let doc = format!(
        r#"{{"storygraph": 1, "entities": [{}], "articles": [{{"id": "a", "title": "t", "language": "en", "published": "2025-01-01", "facts": [{}]}}]}}"#,
        entities.join(","),
        facts.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.json");
    std::fs::write(&path, doc).unwrap();
    let store = GraphStore::memory().unwrap();
    ingest(&store, &[InputSource::Path(path)], IngestOptions::default()).unwrap();
    Projection::build(&store).unwrap()
}

/// Distinct (s, p, o) edges of asserted facts.
fn edges(facts: &[(usize, usize, usize, bool)]) -> Vec<(usize, usize, usize)> {
    let mut set: Vec<(usize, usize, usize)> = facts
        .iter()
        .filter(|f| !f.3)
        .map(|f| (f.0, f.1, f.2))
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

fn bfs(
    n: usize,
    edges: &[(usize, usize, usize)],
    from: usize,
    to: usize,
    directed: bool,
) -> Option<usize> {
    let mut adjacency = vec![Vec::new(); n];
    for &(s, _, o) in edges {
        adjacency[s].push(o);
        if !directed {
            adjacency[o].push(s);
        }
    }
    let mut dist = vec![usize::MAX; n];
    dist[from] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(x) = queue.pop_front() {
        for &y in &adjacency[x] {
            if dist[y] == usize::MAX {
                dist[y] = dist[x] + 1;
                queue.push_back(y);
            }
        }
    }
    (dist[to] != usize::MAX && from != to).then_some(dist[to])
}

/// Simple paths (as edge sequences with directions) of at most `max` hops.
fn count_simple_paths(
    n: usize,
    edges: &[(usize, usize, usize)],
    from: usize,
    to: usize,
    max: usize,
) -> usize {
    fn go(
        at: usize,
        to: usize,
        left: usize,
        edges: &[(usize, usize, usize)],
        seen: &mut Vec<bool>,
    ) -> usize {
        if left == 0 {
            return 0;
        }
        let mut count = 0;
        for &(s, _, o) in edges {
            for (a, b) in [(s, o), (o, s)] {
                if a != at || seen[b] {
                    continue;
                }
                if b == to {
                    count += 1;
                } else {
                    seen[b] = true;
                    count += go(b, to, left - 1, edges, seen);
                    seen[b] = false;
                }
            }
        }
        count
    }
    let mut seen = vec![false; n];
    seen[from] = true;
    go(from, to, max, edges, &mut seen)
}

fn entity_node(projection: &Projection, i: usize) -> petgraph::graph::NodeIndex {
    projection.node(
        projection
            .entities
            .by_iri(&crate::vocab::entity(&format!("e{i}")).into_string())
            .unwrap(),
    )
}

#[test]
fn shortest_paths_match_a_bfs_oracle() {
    let mut rng = Rng(0x5eed);
    for case in 0..12 {
        let n = 6 + rng.below(20);
        let m = n + rng.below(2 * n);
        let facts = random_facts(&mut rng, n, m);
        let projection = ingest_facts(n, &facts);
        let edges = edges(&facts);
        for directed in [false, true] {
            let filter = PathFilter::default();
            let walk = Walk {
                directed,
                ..Walk::default()
            };
            let search = Search::new(&projection, &filter, walk);
            for from in 0..n {
                for to in 0..n {
                    let expected = bfs(n, &edges, from, to, directed);
                    let got = search
                        .shortest(entity_node(&projection, from), entity_node(&projection, to));
                    assert_eq!(
                        got.as_ref().map(|p| p.len()),
                        expected,
                        "case {case}, {from}->{to}, directed {directed}"
                    );
                    if let Some(path) = &got {
                        let nodes = path.nodes();
                        assert_eq!(nodes.first(), Some(&entity_node(&projection, from)));
                        assert_eq!(nodes.last(), Some(&entity_node(&projection, to)));
                        for hop in &path.hops {
                            let ends = projection.graph.edge_endpoints(hop.edge);
                            let walked = if hop.forward {
                                (hop.from, hop.to)
                            } else {
                                (hop.to, hop.from)
                            };
                            assert_eq!(ends, Some(walked), "case {case}, {from}->{to}");
                        }
                    }
                }
            }
            if !directed {
                assert_open_matches_general(&projection, n, case);
            }
        }
    }
}

/// The open hot path (open.rs) finds exactly the path of the general
/// search, which `no_events` (no event entities here) sends the other way.
fn assert_open_matches_general(projection: &Projection, n: usize, case: usize) {
    let open = PathFilter::default();
    let open = Search::new(projection, &open, Walk::default());
    let general = PathFilter {
        no_events: true,
        ..PathFilter::default()
    };
    let general = Search::new(projection, &general, Walk::default());
    for from in 0..n {
        for to in 0..n {
            let (a, b) = (entity_node(projection, from), entity_node(projection, to));
            assert_eq!(
                open.shortest(a, b),
                general.shortest(a, b),
                "case {case}, {from}->{to}"
            );
        }
    }
}

#[test]
fn dense_graphs_whose_hubs_get_bit_rows_match_the_general_search() {
    // Degrees above 64 give hubs bit rows (hubs.rs); sparse and dense
    // halves mix hub-hub, hub-leaf and leaf-leaf pairs.
    let mut rng = Rng(0xb175);
    for case in 0..3 {
        let n = 160 + rng.below(80);
        let hubs = n / 2;
        let mut facts = random_facts(&mut rng, hubs, 50 * hubs);
        facts.extend(random_facts(&mut rng, n, n));
        let projection = ingest_facts(n, &facts);
        assert!(
            (0..n).any(|i| projection
                .neighbors
                .row(entity_node(&projection, i))
                .is_some()),
            "case {case} has no hub rows to test"
        );
        assert_open_matches_general(&projection, n, case);
    }
}

#[test]
fn k_shortest_paths_are_loopless_distinct_and_ordered() {
    let mut rng = Rng(0xfeed);
    for case in 0..10 {
        let n = 6 + rng.below(6);
        let m = 2 * n + rng.below(n);
        let facts = random_facts(&mut rng, n, m);
        let projection = ingest_facts(n, &facts);
        let filter = PathFilter::default();
        let search = Search::new(&projection, &filter, Walk::default());
        for _ in 0..8 {
            let (from, to) = (rng.below(n), rng.below(n));
            let paths = search.k_shortest(
                entity_node(&projection, from),
                entity_node(&projection, to),
                6,
            );
            let shortest = bfs(n, &edges(&facts), from, to, false);
            assert_eq!(paths.first().map(|p| p.len()), shortest, "case {case}");
            let mut seen = HashSet::new();
            for pair in paths.windows(2) {
                assert!(
                    pair[0].cost <= pair[1].cost,
                    "case {case}: costs out of order"
                );
            }
            for path in &paths {
                let nodes = path.nodes();
                let unique: HashSet<_> = nodes.iter().collect();
                assert_eq!(
                    unique.len(),
                    nodes.len(),
                    "case {case}: a loop in {nodes:?}"
                );
                let key: Vec<_> = path.hops.iter().map(|h| (h.edge, h.forward)).collect();
                assert!(seen.insert(key), "case {case}: a path twice");
            }
            // Yen finds as many as exist, up to k.
            let all = count_simple_paths(n, &edges(&facts), from, to, n);
            assert_eq!(paths.len(), all.min(6), "case {case}, {from}->{to}");
        }
    }
}

#[test]
fn all_paths_respect_max_hops_and_count_right() {
    let mut rng = Rng(0xabcd);
    for case in 0..10 {
        let n = 5 + rng.below(8);
        let m = n + rng.below(n);
        let facts = random_facts(&mut rng, n, m);
        let projection = ingest_facts(n, &facts);
        let filter = PathFilter::default();
        let search = Search::new(&projection, &filter, Walk::default());
        for max_hops in 1..=4 {
            let (from, to) = (rng.below(n), rng.below(n));
            if from == to {
                continue;
            }
            let (paths, truncated) = search.all_paths(
                entity_node(&projection, from),
                entity_node(&projection, to),
                max_hops,
                100_000,
            );
            assert!(!truncated);
            assert!(paths.iter().all(|p| p.len() <= max_hops), "case {case}");
            assert_eq!(
                paths.len(),
                count_simple_paths(n, &edges(&facts), from, to, max_hops),
                "case {case}, max {max_hops}"
            );
        }
    }
}

#[test]
fn all_paths_cut_at_a_limit_keeps_the_shortest() {
    let mut rng = Rng(0x5eed);
    for case in 0..10 {
        let n = 8 + rng.below(6);
        let facts = random_facts(&mut rng, n, 3 * n);
        let projection = ingest_facts(n, &facts);
        for directed in [false, true] {
            let filter = PathFilter::default();
            let walk = Walk {
                directed,
                ..Walk::default()
            };
            let search = Search::new(&projection, &filter, walk);
            let (from, to) = (entity_node(&projection, 0), entity_node(&projection, 1));
            let (all, truncated) = search.all_paths(from, to, 4, 100_000);
            assert!(!truncated);
            if all.len() < 2 {
                continue;
            }
            let limit = all.len() / 2;
            let (cut, truncated) = search.all_paths(from, to, 4, limit);
            assert!(truncated, "case {case}");
            assert_eq!(cut.len(), limit);
            let mut lengths: Vec<usize> = all.iter().map(|p| p.len()).collect();
            lengths.sort_unstable();
            let mut kept: Vec<usize> = cut.iter().map(|p| p.len()).collect();
            kept.sort_unstable();
            assert_eq!(kept, lengths[..limit], "case {case}, directed {directed}");
        }
    }
}
