#!/usr/bin/env bash
# The benchmarks in one command: builds storygraph (release), sets up the
# peers in a Python venv (pyoxigraph, rdflib, networkx from PyPI),
# generates corpora of the given sizes, measures ingest, incremental
# ingest, paths, shell start-up, SPARQL and export against the peers, and
# writes BENCHMARKS.md (figures, machine, date). Never part of the tests.
#   bash benches/run.sh [FACTS...]          (default: 100000 1000000)
#   ENTITIES=250000 bash benches/run.sh 1000000   (the entity-sparse corpus:
#                                            benches/sparse-figures.md, which
#                                            the main report includes)
#   RUNS=5 bash benches/run.sh 100000       (runs per figure, default 3;
#                                            a third of that above 200k facts;
#                                            SPARQL_RUNS, default 15, for the
#                                            SPARQL queries under a second)
# About 30 minutes for the default sizes on 2 cores; needs GNU time and
# ~25 GB of free disk for the 1M-fact stores and dumps.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000}")
[ $# -eq 0 ] && sizes=(100000 1000000)
. benches/setup.sh
# ENTITIES=N: the entity-sparse run, whose report the main one includes.
out=BENCHMARKS.md
[ -n "${ENTITIES:-}" ] && out=benches/sparse-figures.md
"$venv/bin/python" benches/run.py "$target_dir" "$out" "${sizes[@]}"
