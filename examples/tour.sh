#!/usr/bin/env bash
# The tour: build storygraph, ingest the sample stories into the default
# store, answer the example questions in examples/queries/, and trace how
# the two stories connect.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
storygraph() { cargo run --release --quiet -- "$@"; }

storygraph ingest data/*.json
storygraph stats
for query in examples/queries/*.rq; do
  echo
  sed -n '/^[^#]/q; s/^# \{0,1\}//p' "$query" | sed 's/^/## /'
  storygraph query --format table -f "$query" || true
done

echo
echo "## How is Putin connected to Indonesia, and on whose word?"
storygraph path putin indonesia
