"""The benchmark driver behind `bash benches/run.sh`: generates corpora,
measures storygraph and its peers on the same data in one run on this
machine, and writes BENCHMARKS.md. Every figure is the median of RUNS runs
(wall time of the whole process, as a user waits for it) with peak memory
from GNU time. Needs the release binaries and a Python with pyoxigraph,
rdflib and networkx (run.sh builds and sets up both).

Usage: python benches/run.py TARGET_DIR OUT.md [FACTS...]
Environment: RUNS (default 3), SPARQL_RUNS (default 15: a SPARQL query
under a second takes tens of milliseconds beyond start-up, so its overhead
column, a difference of differences, needs many runs at every size to
rise above the noise),
RDFLIB_MAX_FACTS (default 100000: rdflib holds everything in Python
objects; at 1M facts it needs tens of GiB), ENTITIES (the corpus's number
of entities, as `generate_corpus --entities`; default: the generator's
1 per 40 facts, 200 to 5,000). A run with ENTITIES set is the
entity-sparse report: OUT.md then holds its sections alone, and the main
report includes benches/sparse-figures.md, where run.sh writes it.
"""

import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable
RUNS = int(os.environ.get("RUNS", "3"))
SPARQL_RUNS = int(os.environ.get("SPARQL_RUNS", "15"))
RDFLIB_MAX_FACTS = int(os.environ.get("RDFLIB_MAX_FACTS", "100000"))
ENTITIES = os.environ.get("ENTITIES")
SHAPE = ["--entities", ENTITIES] if ENTITIES else []


def timed(cmd, stdout=subprocess.DEVNULL, stdin=None, watch=None):
    """Runs cmd under GNU time: (seconds, peak RSS MiB, stderr text, seconds
    from when `watch`, polled with GNU time's pid, first said yes to the end;
    0 without a watch or a yes)."""
    started = time.perf_counter()
    watched = None
    # stderr to a file, not a pipe: nothing reads a pipe while polling.
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], stdout=stdout, stdin=stdin, stderr=err, text=True)
        while watch and watched is None and proc.poll() is None:
            if watch(proc.pid):
                watched = time.perf_counter()
            else:
                time.sleep(0.2)
        proc.wait()
        ended = time.perf_counter()
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return (ended - started, int(rss.group(1)) / 1024 if rss else float("nan"), stderr,
            ended - watched if watched else 0.0)


def compacting(time_pid):
    """Whether a RocksDB compaction thread of GNU time's child has run: a
    stream's files go into the store only at its end, so from then on an
    ingest waits for RocksDB to merge them."""
    try:
        for pid in open(f"/proc/{time_pid}/task/{time_pid}/children").read().split():
            for task in os.listdir(f"/proc/{pid}/task"):
                stat = open(f"/proc/{pid}/task/{task}/stat").read()
                name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
                if name.startswith("rocksdb:low") and int(fields[11]) + int(fields[12]) > 0:
                    return True
    except (OSError, ValueError):
        pass  # the process is starting or gone
    return False


def median_run(make_cmd, runs=RUNS, before=None, output=None, watch=None):
    """Median seconds, the peak RSS, the last stderr and the median watched
    seconds (see `timed`) over `runs` runs; `before` resets; stdout goes to
    the file `output` (else nowhere)."""
    seconds, peaks, watched, last = [], [], [], ""
    for _ in range(runs):
        if before:
            before()
        with open(output or os.devnull, "w") as out:
            s, rss, last, w = timed(make_cmd(), stdout=out, watch=watch)
        seconds.append(s)
        peaks.append(rss)
        watched.append(w)
    return statistics.median(seconds), max(peaks), last, statistics.median(watched)


def alternating_medians(makers, runs, output_first=None):
    """Median seconds of each command run `runs` times, taking turns, so
    that a passing load on this shared machine falls on all alike; the
    first one's stdout goes to the file `output_first`."""
    seconds = [[] for _ in makers]
    for _ in range(runs):
        for i, make in enumerate(makers):
            with open(output_first if i == 0 and output_first else os.devnull, "w") as out:
                seconds[i].append(timed(make(), stdout=out)[0])
    return [statistics.median(s) for s in seconds]


def py(script, *args):
    return [PYTHON, os.path.join(HERE, script), *map(str, args)]


def main():
    target, out_md, sizes = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]] or [100000, 1000000]
    binary = os.path.join(target, "release", "storygraph")
    generate = os.path.join(target, "release", "examples", "generate_corpus")
    bench_paths = os.path.join(target, "release", "examples", "bench_paths")
    work = tempfile.mkdtemp(prefix="storygraph-bench-")
    rows = {"ingest": [], "incremental": [], "paths": [], "shell": [], "sparql": [], "export": [], "commands": []}
    try:
        for n in sizes:
            runs = RUNS if n <= 200_000 else max(1, RUNS // 3)
            corpus = os.path.join(work, f"corpus-{n}.jsonl")
            with open(corpus, "w") as f:
                subprocess.run([generate, str(n), *SHAPE], stdout=f, check=True)
            store = os.path.join(work, f"store-{n}")
            reset = lambda: shutil.rmtree(store, ignore_errors=True)
            ours, ours_rss, err, merge = median_run(lambda: [binary, "--store", store, "ingest", corpus],
                                                    runs, reset, watch=compacting)
            facts = int(re.search(r", (\d+) facts", err).group(1))
            quads = int(re.search(r", (\d+) triples", err).group(1))
            # The same triples for the peers: our own dump of the result.
            nquads = os.path.join(work, f"dump-{n}.nq")
            with open(nquads, "w") as f:
                subprocess.run([binary, "--store", store, "dump", "--format", "nquads"], stdout=f, check=True)
            dumped = sum(1 for _ in open(nquads, "rb"))
            pystore = os.path.join(work, f"pyoxigraph-{n}")
            pyox, pyox_rss, _, _ = median_run(lambda: py("peer_load.py", "pyoxigraph", nquads, pystore), runs,
                                           lambda: shutil.rmtree(pystore, ignore_errors=True))
            shutil.rmtree(pystore, ignore_errors=True)
            rdflib = rdflib_rss = None
            if n <= RDFLIB_MAX_FACTS:
                # rdflib 7 reads no RDF 1.2 triple terms: the statement nodes
                # without their rdf:reifies line are the SPARQL 1.1 form.
                plain = os.path.join(work, f"plain-{n}.nq")
                with open(nquads, "rb") as src, open(plain, "wb") as dst:
                    dst.writelines(line for line in src if b"<<(" not in line)
                rdflib, rdflib_rss, _, _ = median_run(lambda: py("peer_load.py", "rdflib", plain), runs)
                os.remove(plain)
            os.remove(nquads)
            rows["ingest"].append(dict(facts=facts, quads=quads, dumped=dumped, ours=ours, ours_rss=ours_rss, merge=merge,
                                       pyox=pyox, pyox_rss=pyox_rss, rdflib=rdflib, rdflib_rss=rdflib_rss,
                                       runs=runs))

            # Paths (builds the projection and its snapshot first).
            prefix = os.path.join(work, f"g-{n}")
            # Per-query figures move with this shared machine's load: each
            # side runs `runs` times (at least 3), alternating, and every
            # figure is the median of its runs' medians.
            ours_runs, nx_runs = [], []
            for _ in range(max(runs, 3)):
                ours_runs.append(json.loads(subprocess.run([bench_paths, store, "1000", prefix], check=True,
                                                           capture_output=True, text=True).stdout))
                nx_runs.append(json.loads(subprocess.run(py("paths.py", prefix), check=True,
                                                         capture_output=True, text=True).stdout))
            ours_paths = {key: statistics.median(r[key] for r in ours_runs) if key.endswith("_us") else value
                          for key, value in ours_runs[-1].items()}
            # The first run built the projection from the quads (and wrote
            # its snapshot); the later ones read the snapshot.
            ours_paths["build_seconds"] = ours_runs[0]["build_seconds"]
            ours_paths["snapshot_seconds"] = statistics.median(r["build_seconds"] for r in ours_runs[1:])
            ours_paths["shortest_runs"] = [r["shortest_median_us"] for r in ours_runs]
            nx = {key: statistics.median(r[key] for r in nx_runs) for key in ["shortest_median_us", "shortest_p99_us"]}
            nx["runs"] = [r["shortest_median_us"] for r in nx_runs]
            ask = json.loads(subprocess.run(py("paths_sparql.py", store, prefix, 50), check=True,
                                            capture_output=True, text=True).stdout)
            rows["paths"].append(dict(facts=facts, **ours_paths, networkx=nx["shortest_median_us"],
                                      networkx_p99=nx["shortest_p99_us"], networkx_runs=nx["runs"],
                                      ask=ask["ask_median_us"]))

            # The CLI's first path: the projection from the snapshot.
            nodes = [line.strip() for line in open(prefix + ".nodes")]
            pairs = [tuple(map(int, line.split())) for line in open(prefix + ".pairs")]
            a, b = nodes[pairs[0][0]], nodes[pairs[0][1]]
            cli_path, cli_path_rss, _, _ = median_run(lambda: [binary, "--store", store, "path", a, b], runs)

            # Incremental: new articles of the same generated world (its
            # generator run on past the corpus's last article, same entities
            # and names): what a user adds day by day.
            entities_n = ENTITIES or str(min(max(n // 40, 200), 5000))
            more = subprocess.run([generate, str(n + 40 * (2 * runs + 2)), "--entities", entities_n], check=True,
                                  capture_output=True, text=True).stdout.splitlines()
            new_articles = more[sum(1 for _ in open(corpus)):]
            def add_article(i):
                path = os.path.join(work, f"one-{n}-{i}.json")
                with open(path, "w") as f:
                    f.write(new_articles[i])
                return timed([binary, "--store", store, "ingest", path])
            article_times = [add_article(i) for i in range(runs)]
            one_facts = len(json.loads(new_articles[0])["articles"][0]["facts"])
            after, after_rss, _, _ = median_run(lambda: [binary, "--store", store, "path", a, b], runs)
            # With a search index: the first search builds it; each ingest
            # then adds its article to it; a search after reads it as it is.
            word = json.loads(new_articles[0])["articles"][0]["facts"][0]["evidence"].split()[0]
            search = [binary, "--store", store, "search", word, "--limit", "5"]
            first_search = timed(search)
            indexed_times = [add_article(runs + i) for i in range(runs)]
            search_after = timed(search)
            rows["incremental"].append(dict(facts=facts, one_facts=one_facts,
                                            ingest=statistics.median(t[0] for t in article_times),
                                            ingest_rss=max(t[1] for t in article_times),
                                            cli_path=cli_path, path_after=after, path_after_rss=after_rss,
                                            first_search=first_search[0],
                                            indexed=statistics.median(t[0] for t in indexed_times),
                                            indexed_rss=max(t[1] for t in indexed_times),
                                            search_after=search_after[0]))

            # Shell start-up and the first .path.
            shell = subprocess.run([PYTHON, os.path.join(HERE, "shell_startup.py"), binary, store,
                                    a, b, str(max(runs, 3))], check=True, capture_output=True, text=True).stdout
            figure = lambda name: float(re.search(rf"shell {name}.*?: median ([\d.]+) ms", shell).group(1))
            rows["shell"].append(dict(facts=facts, prompt=figure("to prompt"),
                                      first=figure("first .path"), next=figure("next .path")))

            # SPARQL: the same queries through `storygraph query` and pyoxigraph,
            # about an entity of ~30 neighbors (two hops from a hub are millions).
            entity = neighborhood_of(prefix, 30)[0]
            ours_start_cmd = lambda: [binary, "--store", store, "query", "ASK {}"]
            py_start_cmd = lambda: py("peer_query.py", store, "-")
            for q in sorted(os.listdir(os.path.join(HERE, "queries"))):
                ours_cmd, py_cmd = sparql_sides(work, q, entity, binary, store)
                answer = os.path.join(work, "answer.tsv")
                # One untimed run of each side first: whichever ran first
                # paid for reading the query's pages from disk (at 1M facts
                # a single run, ours first, was twice pyoxigraph's time; run
                # again, both took the same).
                warm = [timed(cmd())[0] for cmd in (ours_cmd, py_cmd)]
                # Start-up noise matters only to short queries; a long one
                # gets the other figures' number of runs. The start-ups
                # (an empty ASK) take turns with the query, so that the
                # difference of the two is taken under the same load.
                o, p, ours_start, py_start = alternating_medians(
                    [ours_cmd, py_cmd, ours_start_cmd, py_start_cmd],
                    SPARQL_RUNS if max(warm) < 1 else runs, output_first=answer)
                rows_out = sum(1 for _ in open(answer)) - 1
                rows["sparql"].append(dict(facts=facts, query=q[:-3], rows=rows_out, ours=o, pyox=p,
                                           ours_start=ours_start, py_start=py_start))

            # Export of a neighborhood of about 300 entities.
            focus = neighborhood_of(prefix, 300)
            for fmt in ["dot", "svg", "graphml", "cytoscape", "html", "mermaid"]:
                target_file = os.path.join(work, f"n.{fmt}")
                s, rss, _, _ = median_run(lambda: [binary, "--store", store, "export", "--focus", focus[0],
                                                "--hops", "1", "--format", fmt, "-o", target_file], runs)
                rows["export"].append(dict(facts=facts, format=fmt, nodes=focus[1] + 1, seconds=s, rss=rss,
                                           bytes=os.path.getsize(target_file)))
            # The commands a user runs on the store every day, whole
            # processes, about the same entity.
            for args in [["stats"], ["articles"], ["neighbors", "E"], ["neighbors", "E", "--hops", "2"],
                         ["timeline", "E"], ["conflicts", "E"], ["corroboration", "E"], ["conflicts"],
                         ["corroboration"]]:
                answer = os.path.join(work, "answer.txt")
                argv = [focus[0] if a == "E" else a for a in args]
                s, rss, _, _ = median_run(lambda: [binary, "--store", store, *argv], runs, output=answer)
                rows["commands"].append(dict(facts=facts, command=" ".join(["storygraph", *args]),
                                             seconds=s, rss=rss, bytes=os.path.getsize(answer)))
            shutil.rmtree(store, ignore_errors=True)
            os.remove(corpus)
            write_report(out_md, rows, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def sparql_sides(work, q, entity, binary, store):
    """Writes the query file `q` about `entity` to `work`; returns the
    commands running it through storygraph and pyoxigraph."""
    query = os.path.join(work, q)
    with open(query, "w") as f:
        f.write(open(os.path.join(HERE, "queries", q)).read().replace("ent:FOCUS", f"<{entity}>"))
    return (lambda: [binary, "--store", store, "query", "-f", query, "--format", "tsv"],
            lambda: py("peer_query.py", store, query))


def neighborhood_of(prefix, size):
    """The entity whose distinct neighbors number closest to `size`."""
    neighbors = {}
    for line in open(prefix + ".edges"):
        s, o = map(int, line.split())
        neighbors.setdefault(s, set()).add(o)
        neighbors.setdefault(o, set()).add(s)
    nodes = [line.strip() for line in open(prefix + ".nodes")]
    best = min(neighbors, key=lambda n: (abs(len(neighbors[n]) - (size - 1)), n))
    return nodes[best], len(neighbors[best])


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB RAM, {platform.system()} {platform.release()}"


def write_report(out_md, rows, sizes):
    import importlib.metadata as meta
    versions = ", ".join(f"{p} {meta.version(p)}" for p in ["pyoxigraph", "rdflib", "networkx"])
    f = lambda x, d=2: "–" if x is None else f"{x:,.{d}f}"
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine()}; peers: {versions}, Python {platform.python_version()}.",
        "Corpora from `examples/generate_corpus.rs` (seeded). Times are wall-clock medians of whole processes",
        "(start, open the store, work, exit: what a user waits for), memory is the peak RSS (GNU time);",
        f"{RUNS} runs at up to 200k facts, {max(1, RUNS // 3)} above ({SPARQL_RUNS} at every size for SPARQL under a second). Rerun: `bash benches/run.sh {' '.join(map(str, sizes))}`.",
        "",
        "## 1. Ingest into an on-disk store",
        "",
        "storygraph reads the JSON facts; pyoxigraph `bulk_load`s exactly the quads storygraph wrote (its own",
        "`dump --format nquads`); rdflib parses the same N-Quads without the RDF 1.2 `rdf:reifies` triple-term",
        "lines (rdflib 7 cannot read them) into an in-memory Dataset.",
        "",
        "The merge column is the end of our ingest that waits for RocksDB's compaction of the files it",
        "took (from when its compaction threads first run; the median over the runs).",
        "",
        "| facts | quads | storygraph s | of it waiting for RocksDB's merge s | facts/s | quads/s | peak MiB | pyoxigraph bulk_load s | peak MiB | ours / pyoxigraph | rdflib s | peak MiB | rdflib / ours |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows["ingest"]:
        ratio = r["ours"] / r["pyox"]
        rd = None if r["rdflib"] is None else r["rdflib"] / r["ours"]
        lines.append(f"| {r['facts']:,} | {r['quads']:,} | {f(r['ours'])} | {f(r['merge'])} | {r['facts'] / r['ours']:,.0f} | "
                     f"{r['quads'] / r['ours']:,.0f} | {r['ours_rss']:,.0f} | {f(r['pyox'])} | {r['pyox_rss']:,.0f} | "
                     f"{ratio:.2f} | {f(r['rdflib'])} | {f(r['rdflib_rss'], 0)} | {f(rd)}x |")
    lines += ["", "## 2. Incremental ingest and the next path", "",
              "New articles of the same generated world (its generator run on past the corpus) into the store above,",
              "one `ingest` each, then `storygraph path` between the first benchmark pair: before, its projection is",
              "read from the image the earlier commands wrote; after, it is built from the snapshot plus the ingest's",
              "delta (and a new image written). Then the first `search` (which builds the search index), more new",
              "articles one `ingest` each (each added to the index in place), and a `search` after them.", "",
              "| store facts | article facts | ingest s | peak MiB | `path` before s | `path` after the ingest s | first `search` s | ingest with a search index s | peak MiB | `search` after s |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows["incremental"]:
        lines.append(f"| {r['facts']:,} | {r['one_facts']} | {f(r['ingest'], 3)} | {r['ingest_rss']:,.0f} | "
                     f"{f(r['cli_path'])} | {f(r['path_after'])} | {f(r['first_search'])} | {f(r['indexed'], 3)} | "
                     f"{r['indexed_rss']:,.0f} | {f(r['search_after'])} |")
    lines += ["", "## 3. Paths over 1000 random connected entity pairs", "",
              "In process, each query timed alone, after both sides have answered 1000 other random pairs untimed (a",
              "session that has been asking questions, not a cold start, and not the timed pairs, whose answers the caches",
              "and branch predictor would remember); ours and networkx 3 `shortest_path` on the same entity graph and",
              "pairs, each run 3 times alternately, figures the median of the runs' medians",
              "(every run's median in the last columns). The SPARQL a user could write: pyoxigraph answering",
              "`ASK { <a> (P|^P)/((P|^P)/((P|^P)/(P|^P)?)?)? <b> }` over every fact predicate (50 pairs).",
              "Projection build: the first (from the snapshot the ingest extended by its delta, writing the projection image), then from the image.", "",
              "| facts | entities | edges | projection build s (first / image) | shortest median µs | p99 µs | k=5 median µs | all ≤4 hops median µs | networkx median µs | networkx / ours | SPARQL ASK median µs | ASK / ours | runs: ours / networkx µs |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows["paths"]:
        runs = " ".join(f"{x:.3f}" for x in r["shortest_runs"]) + " / " + " ".join(f"{x:.1f}" for x in r["networkx_runs"])
        lines.append(f"| {r['facts']:,} | {r['nodes']:,} | {r['edges']:,} | {f(r['build_seconds'])} / {f(r['snapshot_seconds'])} | "
                     f"{f(r['shortest_median_us'])} | {f(r['shortest_p99_us'])} | {f(r['k5_median_us'], 1)} | "
                     f"{f(r['all4_median_us'], 0)} | {f(r['networkx'], 1)} | {r['networkx'] / r['shortest_median_us']:.0f}x | "
                     f"{f(r['ask'], 0)} | {r['ask'] / r['shortest_median_us']:,.0f}x | {runs} |")
    lines += ["", "## 4. Shell start-up", "",
              "`storygraph shell` on a pseudo-terminal: time to the prompt, and from there to the answer of the",
              "first `.path` (which waits for the projection the shell builds in the background).", "",
              "| facts | to prompt ms | first `.path` ms | next `.path` ms |", "|---|---|---|---|"]
    for r in rows["shell"]:
        lines.append(f"| {r['facts']:,} | {f(r['prompt'], 0)} | {f(r['first'], 0)} | {f(r['next'], 0)} |")
    lines += ["", "## 5. SPARQL: `storygraph query` and pyoxigraph on the same store", "",
              "Queries in `benches/queries/`. Each side is a whole process writing TSV; its start-up (an empty",
              "`ASK {}` on the same store) takes turns with the query and is subtracted for the work columns,",
              "whose ratio less one is the overhead. Each query runs once on each side untimed first, so that",
              "neither pays for reading the store's pages from disk; then, taking turns, "
              f"{SPARQL_RUNS} times on each side",
              "if it took under a second, else as many times as the other figures (medians). Where pyoxigraph's",
              "work is a few milliseconds, the percentage is a ratio of two small differences of noisy medians:",
              "the milliseconds say more.", "",
              "| facts | query | rows | storygraph s | pyoxigraph s | start-up ms: ours / pyoxigraph | "
              "work beyond start-up ms: ours / pyoxigraph | overhead beyond start-up |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows["sparql"]:
        ours = r["ours"] - r["ours_start"]
        theirs = r["pyox"] - r["py_start"]
        lines.append(f"| {r['facts']:,} | {r['query']} | {r['rows']:,} | {f(r['ours'], 3)} | {f(r['pyox'], 3)} | "
                     f"{r['ours_start'] * 1000:.0f} / {r['py_start'] * 1000:.0f} | "
                     f"{ours * 1000:,.0f} / {theirs * 1000:,.0f} | "
                     f"{f'{(ours / theirs - 1) * 100:+.0f}%' if theirs > 0 else '–'} |")
    lines += ["", "## 6. Export of a neighborhood", "",
              "`storygraph export --focus E --hops 1` of the entity whose neighbors number closest to 299.", "",
              "| facts | format | entities | seconds | peak MiB | bytes |", "|---|---|---|---|---|---|"]
    for r in rows["export"]:
        lines.append(f"| {r['facts']:,} | {r['format']} | {r['nodes']} | {f(r['seconds'])} | {r['rss']:,.0f} | {r['bytes']:,} |")
    lines += ["", "## 6b. Everyday commands", "",
              "Whole processes on the same store, E the entity of section 6; the output goes to a file.", "",
              "| facts | command | seconds | peak MiB | output bytes |", "|---|---|---|---|---|"]
    for r in rows["commands"]:
        lines.append(f"| {r['facts']:,} | `{r['command']}` | {f(r['seconds'])} | {r['rss']:,.0f} | {r['bytes']:,} |")
    if ENTITIES:
        # The entity-sparse report: its own sections, included by the main one.
        lines[0] = f"## Entity-sparse corpus: {int(ENTITIES):,} entities"
        lines[2] = lines[2].replace("Measured", "The same measurements on a corpus of many entities, measured", 1)
        lines = [line.replace("Rerun: `bash", f"Rerun: `ENTITIES={ENTITIES} bash", 1) for line in lines]
        lines = [line.replace("## ", "### ", 1) if line.startswith("## ") and i > 0 else line
                 for i, line in enumerate(lines)]
        with open(out_md, "w") as out:
            out.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        return
    # The runs of their own scripts' (an entity-sparse corpus, 10M facts).
    for own in ["sparse-figures.md", "large-figures.md"]:
        if os.path.exists(os.path.join(HERE, own)):
            lines += [""] + open(os.path.join(HERE, own)).read().rstrip("\n").split("\n")
    # Sections measured by their own scripts, kept by hand.
    separate = open(os.path.join(HERE, "separate-figures.md")).read()
    lines += [""] + separate[separate.index("-->") + 3:].strip("\n").split("\n")
    lines += ["", "## How the figures scale with size", ""] + scaling(rows)
    # The hand-kept figures behind design decisions, after the measured ones.
    lines += [""] + open(os.path.join(HERE, "design-figures.md")).read().rstrip("\n").split("\n")
    with open(out_md, "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def scaling(rows):
    """One line per figure: its value at each size, and the change."""
    def across(section, key, unit, digits=0, where=lambda r: True):
        values = [(r["facts"], r[key] if not callable(key) else key(r)) for r in rows[section] if where(r)]
        if not values:
            return "no data"
        text = " → ".join(f"{v:,.{digits}f}{unit} at {n:,}" for n, v in values)
        if len(values) > 1 and values[0][1]:
            text += f" (×{values[-1][1] / values[0][1]:.2f} for ×{values[-1][0] / values[0][0]:.0f} the facts)"
        return text
    return [
        f"- Ingest rate: {across('ingest', lambda r: r['facts'] / r['ours'], ' facts/s')}; "
        f"before the wait for RocksDB's merge: {across('ingest', lambda r: r['facts'] / (r['ours'] - r['merge']), ' facts/s')}.",
        f"- Ingest time over pyoxigraph's bulk load: {across('ingest', lambda r: r['ours'] / r['pyox'], '', 2)}.",
        f"- Ingest peak memory: {across('ingest', 'ours_rss', ' MiB')}.",
        f"- One more article: {across('incremental', lambda r: r['ingest'] * 1000, ' ms')}; "
        f"the next `path` {across('incremental', lambda r: r['path_after'] * 1000, ' ms')}.",
        f"- Projection build (the first, from the snapshot): {across('paths', 'build_seconds', ' s', 1)}.",
        f"- Shortest path median: {across('paths', 'shortest_median_us', ' µs', 2)}; "
        f"networkx {across('paths', 'networkx', ' µs', 1)}.",
        f"- All paths up to 4 hops (at most 1000): {across('paths', 'all4_median_us', ' µs')}.",
        f"- Shell to prompt: {across('shell', 'prompt', ' ms')}; first `.path` {across('shell', 'first', ' ms')}.",
        f"- SPARQL, facts by certainty per article (touches every statement): "
        f"{across('sparql', 'ours', ' s', 2, lambda r: r['query'].startswith('1-'))}.",
        f"- Export of ~300 entities as SVG: {across('export', 'seconds', ' s', 2, lambda r: r['format'] == 'svg')}.",
    ]


if __name__ == "__main__":
    main()
