"""The nearest SPARQL a user could write for "are these two connected
within 4 hops?": a property path over every fact predicate, both ways,
bounded by nesting (SPARQL 1.1 has no {1,4}), run by pyoxigraph on the same
store and the same pairs as examples/bench_paths.rs. Prints one JSON line.
Usage: python benches/paths_sparql.py STORE PREFIX [PAIRS]
(the store must not be open in another process)."""
import json
import statistics
import sys
import time

import pyoxigraph

store_dir, prefix = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 100
nodes = [line.strip() for line in open(prefix + ".nodes")]
predicates = [line.strip() for line in open(prefix + ".predicates") if line.strip()]
pairs = [tuple(map(int, line.split())) for line in open(prefix + ".pairs")][:limit]
step = "(" + "|".join(f"<{p}>|^<{p}>" for p in predicates) + ")"
path = f"{step}/({step}/({step}/{step}?)?)?"
store = pyoxigraph.Store.read_only(store_dir)
micros, found = [], 0
for a, b in pairs:
    query = f"ASK {{ <{nodes[a]}> {path} <{nodes[b]}> }}"
    t = time.perf_counter()
    answer = store.query(query, use_default_graph_as_union=True)
    found += bool(answer)
    micros.append((time.perf_counter() - t) * 1e6)
micros.sort()
print(json.dumps({
    "pyoxigraph": pyoxigraph.__version__,
    "pairs": len(pairs),
    "reachable": found,
    "ask_median_us": round(statistics.median(micros), 1),
    "ask_p99_us": round(micros[round((len(micros) - 1) * 0.99)], 1),
}))
