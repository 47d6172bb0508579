"""networkx side of the path benchmark: shortest_path over the same entity
graph and pairs that examples/bench_paths.rs wrote, after the same untimed
warm-up pairs. Prints one JSON line."""
import json
import statistics
import sys
import time

import networkx as nx

prefix = sys.argv[1]
graph = nx.Graph()
with open(prefix + ".edges") as f:
    for line in f:
        a, b = line.split()
        graph.add_edge(int(a), int(b))


def read_pairs(name):
    return [tuple(map(int, line.split())) for line in open(prefix + "." + name)]


def shortest(a, b):
    try:
        nx.shortest_path(graph, a, b)
    except nx.NetworkXNoPath:
        pass


for a, b in read_pairs("warmup"):
    shortest(a, b)
pairs = read_pairs("pairs")
micros = []
for a, b in pairs:
    t = time.perf_counter()
    shortest(a, b)
    micros.append((time.perf_counter() - t) * 1e6)
micros.sort()
print(json.dumps({
    "networkx": nx.__version__,
    "shortest_median_us": round(statistics.median(micros), 1),
    "shortest_p99_us": round(micros[round((len(micros) - 1) * 0.99)], 1),
}))
