#!/usr/bin/env bash
# storygraph's own figures at one big size (default 10,000,000 facts), once
# each: ingest (time, peak memory, store size), the projection, paths,
# the shell, one more article, SPARQL (against pyoxigraph on our store in
# place) and an export. Writes benches/large-figures.md, which the main
# report (benches/run.sh) includes. About 45 minutes at 10M facts on 2 cores;
# needs GNU time and ~70 GB of free disk (corpus 4.4 GiB, store 60 GiB).
#   bash benches/large.sh [FACTS]
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/setup.sh
"$venv/bin/python" benches/large.py "$target_dir" benches/large-figures.md "${1:-10000000}"
