"""The Python peer of a shell script of `.path` commands: what an analyst
would write instead of storygraph. It reads the same corpus (.jsonl in
storygraph's input format), builds a networkx graph with a dict from each
edge to its facts (denials left out of the walk, as `.path` does), and for
each pair of the script prints every hop of a shortest path with its
predicate, certainty, source, article, time and evidence.

    python shell_paths_peer.py CORPUS.jsonl SCRIPT.sg > out.txt

Prints to stderr one JSON line: the pairs and the seconds the loop over
them took (the corpus load is not counted, as storygraph's start is not).
"""
import json
import sys
import time

import networkx as nx

corpus, script = sys.argv[1], sys.argv[2]
graph = nx.Graph()
facts = {}
names = {}
for line in open(corpus, encoding="utf-8"):
    doc = json.loads(line)
    for entity in doc["entities"]:
        names[entity["id"]] = entity["name"].get("en") or next(iter(entity["name"].values()))
    for article in doc["articles"]:
        for fact in article["facts"]:
            obj = fact.get("object")
            if fact.get("negated") or not isinstance(obj, str):
                continue
            a, b = fact["subject"], obj
            graph.add_edge(a, b)
            facts.setdefault((a, b), []).append((fact, article))

pairs = [line.split()[1:3] for line in open(script) if line.startswith(".path ")]
out = sys.stdout
started = time.perf_counter()
for a, b in pairs:
    try:
        path = nx.shortest_path(graph, a, b)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        out.write(f"no path between {a} and {b}\n")
        continue
    for x, y in zip(path, path[1:]):
        found = facts.get((x, y)) or facts.get((y, x))
        fact, article = found[0]
        arrow = "—" if (x, y) in facts else "←"
        out.write(
            f"{names.get(x, x)} {arrow}{fact['predicate']}— {names.get(y, y)}  "
            f"[{fact.get('certainty', 'reported')} by {names.get(fact.get('source'), '-')}; "
            f"{article['id']}; {fact.get('time', '')}]\n"
            f"    “{fact.get('evidence', '')}”\n"
        )
    out.write(f"\n{names.get(a, a)} is linked to {names.get(b, b)} in {len(path) - 1} steps.\n")
out.flush()
elapsed = time.perf_counter() - started
print(json.dumps({"pairs": len(pairs), "seconds": elapsed}), file=sys.stderr)
