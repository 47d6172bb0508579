#!/usr/bin/env bash
# The tour: build storygraph, ingest the sample stories into the default
# store, and answer the example questions in examples/queries/.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
storygraph() { cargo run --release --quiet -- "$@"; }

storygraph ingest data/*.json
storygraph stats
for query in examples/queries/*.rq; do
  echo
  sed -n 's/^# \{0,1\}//p; /^[^#]/q' "$query" | sed 's/^/## /'
  storygraph query --format table -f "$query" || true
done
