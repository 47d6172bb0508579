//! Path benchmark driver: builds the projection of a store, then times
//! shortest path, 5 shortest paths and all paths up to 4 hops over random
//! entity pairs, after answering as many other pairs untimed (the warm-up).
//! Writes the entity graph, its node IRIs and predicates, the pairs and the
//! warm-up pairs for the networkx comparison (`benches/paths.sh`).
//!
//! ```text
//! cargo run --release --example bench_paths -- STORE_DIR PAIRS OUT_PREFIX
//! ```

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use storygraph::graph::search::{PathFilter, Search, Walk};
use storygraph::graph::Projection;
use storygraph::store::GraphStore;

// The allocator of the storygraph binary, so the build figures are its.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One timed shortest-path query, kept out of line so that a profiler
/// (`valgrind --tool=callgrind --toggle-collect=*timed_shortest*`) can count
/// the timed queries alone.
#[inline(never)]
fn timed_shortest(search: &Search<'_>, a: usize, b: usize) -> usize {
    search
        .shortest(NodeIndex::new(a), NodeIndex::new(b))
        .map_or(0, |_| 1)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, store_dir, pairs, out] = args.as_slice() else {
        eprintln!("usage: bench_paths STORE_DIR PAIRS OUT_PREFIX");
        std::process::exit(2);
    };
    let pairs: usize = pairs.parse()?;
    let store = GraphStore::open(Path::new(store_dir))?;
    let started = Instant::now();
    let projection = Projection::build(&store)?;
    let build_seconds = started.elapsed().as_secs_f64();

    let graph = &projection.graph;
    let mut edges = BufWriter::new(std::fs::File::create(format!("{out}.edges"))?);
    // Fact edges only: role links (about, place, source) are walked only
    // on request, and networkx must get the same graph.
    for e in graph
        .edge_references()
        .filter(|e| e.weight().role.is_none())
    {
        writeln!(edges, "{}\t{}", e.source().index(), e.target().index())?;
    }
    edges.flush()?;
    // Node IRIs and fact predicates, for the SPARQL comparison.
    let mut nodes = BufWriter::new(std::fs::File::create(format!("{out}.nodes"))?);
    for n in graph.node_indices() {
        writeln!(nodes, "{}", projection.entity(n).iri)?;
    }
    nodes.flush()?;
    let mut predicates = BufWriter::new(std::fs::File::create(format!("{out}.predicates"))?);
    for p in &projection.predicates {
        writeln!(predicates, "{}", p.iri)?;
    }
    predicates.flush()?;
    // Random pairs of connected nodes (splitmix64, fixed seed).
    let connected: Vec<usize> = graph
        .node_indices()
        .filter(|&n| projection.neighbors.degree(n) > 0)
        .map(|n| n.index())
        .collect();
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as usize
    };
    let mut draw = |count: usize| -> Vec<(usize, usize)> {
        (0..count)
            .map(|_| {
                (
                    connected[next() % connected.len()],
                    connected[next() % connected.len()],
                )
            })
            .filter(|(a, b)| a != b)
            .collect()
    };
    let chosen = draw(pairs);
    // Other pairs, answered untimed before the timed ones: a session that
    // has been asking questions, with the graph in cache, not a cold start
    // (and not the timed pairs themselves, whose answers would then be
    // remembered by the caches and the branch predictor).
    let warm_up = draw(pairs);
    for (name, list) in [("pairs", &chosen), ("warmup", &warm_up)] {
        let mut file = BufWriter::new(std::fs::File::create(format!("{out}.{name}"))?);
        for (a, b) in list {
            writeln!(file, "{a}\t{b}")?;
        }
        file.flush()?;
    }

    let filter = PathFilter::default();
    let search = Search::new(&projection, &filter, Walk::default());
    // k shortest and all paths cost far more per pair: they run on the
    // first tenth (k = 5) and the first fiftieth (all paths) of the pairs.
    let time = |f: &mut dyn FnMut(usize, usize) -> usize, share: usize| {
        let mut micros: Vec<f64> = Vec::with_capacity(chosen.len());
        let mut found = 0;
        for &(a, b) in &chosen[..chosen.len() / share] {
            let t = Instant::now();
            found += f(a, b);
            micros.push(t.elapsed().as_secs_f64() * 1e6);
        }
        micros.sort_by(f64::total_cmp);
        (percentile(&micros, 0.5), percentile(&micros, 0.99), found)
    };
    let node = NodeIndex::new;
    for &(a, b) in &warm_up {
        std::hint::black_box(search.shortest(node(a), node(b)));
    }
    let shortest = time(&mut |a, b| timed_shortest(&search, a, b), 1);
    let k5 = time(&mut |a, b| search.k_shortest(node(a), node(b), 5).len(), 10);
    let all4 = time(
        &mut |a, b| search.all_paths(node(a), node(b), 4, 1000).0.len(),
        50,
    );
    println!(
        "{{\"nodes\": {}, \"edges\": {}, \"statements\": {}, \"build_seconds\": {build_seconds:.3}, \"pairs\": {}, \
         \"shortest_median_us\": {:.3}, \"shortest_p99_us\": {:.2}, \"k5_median_us\": {:.1}, \"k5_p99_us\": {:.1}, \
         \"all4_median_us\": {:.1}, \"all4_p99_us\": {:.1}, \"found\": {}}}",
        graph.node_count(), graph.edge_weights().filter(|e| e.role.is_none()).count(),
        projection.statements.len(), chosen.len(),
        shortest.0, shortest.1, k5.0, k5.1, all4.0, all4.1, shortest.2
    );
    Ok(())
}
