"""The one-size-only run for corpora too big for the peers' side of
benches/run.py (10M facts: pyoxigraph's bulk load of our dump needs the
dump, ~40 GB, and rdflib tens of GiB): storygraph's own figures at that
size, once each, with pyoxigraph only where it reads our store in place
(the SPARQL queries). Writes benches/large-figures.md, which the main
report includes. Same helpers and definitions as run.py.

Usage: python benches/large.py TARGET_DIR OUT.md FACTS
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import run
from run import HERE, PYTHON, compacting, neighborhood_of, timed

# The queries that end in seconds at this size (1 and 5 touch every
# statement: minutes each, already compared with pyoxigraph at 1M; 3, two
# hops out from the entity of fewest neighbors, is most of the graph when
# that has 204 of 5,000: ours ran 6 minutes before it was stopped).
QUERIES = ["2-facts-about-an-entity.rq", "4-arabic-label-search.rq"]


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def main():
    target, out_md, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    binary = os.path.join(target, "release", "storygraph")
    generate = os.path.join(target, "release", "examples", "generate_corpus")
    bench_paths = os.path.join(target, "release", "examples", "bench_paths")
    work = tempfile.mkdtemp(prefix="storygraph-large-")
    rows = []
    row = lambda what, figure, note="": rows.append((what, figure, note))
    try:
        corpus = os.path.join(work, "corpus.jsonl")
        with open(corpus, "w") as f:
            subprocess.run([generate, str(n)], stdout=f, check=True)
        corpus_bytes = os.path.getsize(corpus)
        store = os.path.join(work, "store")
        s, rss, err, merge = timed([binary, "--store", store, "ingest", corpus], watch=compacting)
        facts = int(re.search(r", (\d+) facts", err).group(1))
        quads = int(re.search(r", (\d+) triples", err).group(1))
        os.remove(corpus)
        row("ingest", f"{s:,.0f} s, {facts / s:,.0f} facts/s, {quads / s:,.0f} quads/s",
            f"{facts:,} facts, {quads:,} quads from a {corpus_bytes / 2**30:.1f} GiB JSON Lines file; "
            f"{merge:,.0f} s of it waiting for RocksDB's merge ({facts / (s - merge):,.0f} facts/s before it)")
        row("ingest peak memory", f"{rss:,.0f} MiB")
        row("store on disk after the ingest", f"{du(store) / 2**30:.1f} GiB", "RocksDB files and the snapshot of records")

        prefix = os.path.join(work, "g")
        paths = json.loads(subprocess.run([bench_paths, store, "1000", prefix], check=True,
                                          capture_output=True, text=True).stdout)
        row("projection build, first (from the snapshot), in process", f"{paths['build_seconds']:,.1f} s",
            f"{paths['nodes']:,} entities, {paths['edges']:,} edges, {paths['statements']:,} statements; writes the projection image")
        row("shortest path, 1000 random connected pairs, in process",
            f"median {paths['shortest_median_us']:.2f} µs, p99 {paths['shortest_p99_us']:.2f} µs")
        row("all paths up to 4 hops (at most 1000)", f"median {paths['all4_median_us']:,.0f} µs")
        row("store on disk with the projection image", f"{du(store) / 2**30:.1f} GiB")

        nodes = [line.strip() for line in open(prefix + ".nodes")]
        pairs = [tuple(map(int, line.split())) for line in open(prefix + ".pairs")]
        a, b = nodes[pairs[0][0]], nodes[pairs[0][1]]
        timed([binary, "--store", store, "path", a, b])  # the image's pages read once
        s, rss, _, _ = timed([binary, "--store", store, "path", a, b])
        row("`storygraph path A B`, whole process (projection from the image)", f"{s * 1000:,.0f} ms, {rss:,.0f} MiB")

        shell = subprocess.run([PYTHON, os.path.join(HERE, "shell_startup.py"), binary, store, a, b, "3"],
                               check=True, capture_output=True, text=True).stdout
        figure = lambda name: float(re.search(rf"shell {name}.*?: median ([\d.]+) ms", shell).group(1))
        row("shell: to the prompt / first `.path` / next `.path`",
            f"{figure('to prompt'):,.0f} / {figure('first .path'):,.0f} / {figure('next .path'):,.0f} ms",
            "median of 3 launches on a pseudo-terminal")

        one = subprocess.run([generate, "15", "1000"], check=True, capture_output=True, text=True).stdout.splitlines()[0]
        article = os.path.join(work, "one.json")
        with open(article, "w") as f:
            f.write(one)
        s, rss, _, _ = timed([binary, "--store", store, "ingest", article])
        row("one more article (another seed's first document)", f"{s * 1000:,.0f} ms, {rss:,.0f} MiB")
        s, rss, _, _ = timed([binary, "--store", store, "path", a, b])
        row("the next `path`, whole process", f"{s:,.1f} s, {rss:,.0f} MiB",
            "builds the projection from the snapshot plus the article's delta and writes a new image")

        entity = neighborhood_of(prefix, 30)[0]
        for q in QUERIES:
            ours_cmd, py_cmd = run.sparql_sides(work, q, entity, binary, store)
            answer = os.path.join(work, "answer.tsv")
            for cmd in (ours_cmd, py_cmd):
                timed(cmd())  # pages read from disk once, for both
            ours, theirs = run.alternating_medians([ours_cmd, py_cmd], 3, output_first=answer)
            answers = sum(1 for _ in open(answer)) - 1
            row(f"SPARQL {q[:-3]} ({answers:,} rows): storygraph / pyoxigraph",
                f"{ours:,.3f} s / {theirs:,.3f} s", "whole processes, median of 3 taking turns")

        focus, neighbors = neighborhood_of(prefix, 300)
        dot = os.path.join(work, "n.dot")
        s, rss, _, _ = timed([binary, "--store", store, "export", "--focus", focus, "--hops", "1",
                              "--format", "dot", "-o", dot])
        row(f"`export --focus E --hops 1` as DOT ({neighbors + 1} entities)",
            f"{s:,.2f} s, {rss:,.0f} MiB", f"{os.path.getsize(dot):,} bytes")
    finally:
        write(out_md, n, rows)
        shutil.rmtree(work, ignore_errors=True)


def write(out_md, n, rows):
    import datetime
    lines = [f"## At {n:,} facts: storygraph alone", "",
             f"Measured {datetime.date.today().isoformat()} on {run.machine()}, once each "
             f"(`bash benches/large.sh {n}`, about 45 minutes): the generated corpus of the default shape. The peers' "
             "loads are left out at this size (pyoxigraph would load our dump, ~40 GB of N-Quads; rdflib "
             "would need tens of GiB); pyoxigraph answers the SPARQL queries on our store in place.", "",
             "| what | figure | notes |", "|---|---|---|"]
    lines += [f"| {what} | {figure} | {note} |" for what, figure, note in rows]
    with open(out_md, "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
