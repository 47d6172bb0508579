#!/usr/bin/env bash
# The tour: build storygraph, ingest the sample stories into the default
# store, answer the example questions in examples/queries/, and trace how
# the two stories connect, then draw them (SVG, an offline HTML page, Mermaid).
set -euo pipefail
cd "$(dirname "$0")/.."

# RocksDB's bindgen needs libclang-dev; installed here when missing.
bash .ci/provision --build
# Not --quiet: the first build compiles RocksDB from C++ (20-30 minutes on
# two cores) and cargo's progress shows it is moving.
echo "building storygraph (the first build compiles RocksDB: 20-30 minutes on 2 cores)" >&2
cargo build --release
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

echo
echo "## Draw it: the stories as SVG and as an interactive page (works offline)"
out="${TMPDIR:-/tmp}/storygraph-tour"
mkdir -p "$out"
storygraph export -o "$out/stories.svg"
storygraph export -o "$out/stories.html"
storygraph export --path putin indonesia --k 3 --format mermaid
