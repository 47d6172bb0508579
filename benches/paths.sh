#!/usr/bin/env bash
# Path benchmark against networkx: for each corpus size, generate, ingest,
# build the projection, time 1000 random entity pairs for the shortest path
# (100 for the 5 shortest, 20 for all paths up to 4 hops), and time
# networkx's shortest_path on the same graph and the same 1000 pairs, and
# pyoxigraph answering a 4-hop property-path ASK on the same store for the
# first 50 pairs. Sets up its own Python venv with networkx and pyoxigraph.
#   bash benches/paths.sh [FACTS...]        (default: 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
venv="${STORYGRAPH_BENCH_VENV:-$HOME/.cache/storygraph/bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import networkx, pyoxigraph' 2>/dev/null || "$venv/bin/pip" install --quiet networkx pyoxigraph

cargo build --release --quiet --examples
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '| facts | edges | projection build s | shortest median µs | p99 µs | k=5 median µs | all≤4 median µs | networkx median µs | networkx / ours | pyoxigraph 4-hop ASK median µs | ASK / ours |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  "$target_dir/release/examples/generate_corpus" "$n" > "$work/c.jsonl"
  rm -rf "$work/store"
  "$target_dir/release/storygraph" --store "$work/store" ingest "$work/c.jsonl" 2>/dev/null
  ours=$("$target_dir/release/examples/bench_paths" "$work/store" 1000 "$work/g")
  theirs=$("$venv/bin/python" benches/paths.py "$work/g")
  sparql=$("$venv/bin/python" benches/paths_sparql.py "$work/store" "$work/g" 50)
  python3 - "$n" "$ours" "$theirs" "$sparql" <<'PY'
import json, sys
n, ours, theirs, sparql = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
ratio = theirs["shortest_median_us"] / ours["shortest_median_us"]
ask = sparql["ask_median_us"] / ours["shortest_median_us"]
print(f"| {int(n):,} | {ours['edges']:,} | {ours['build_seconds']:.2f} | {ours['shortest_median_us']:.1f} | {ours['shortest_p99_us']:.1f} | "
      f"{ours['k5_median_us']:.1f} | {ours['all4_median_us']:.1f} | {theirs['shortest_median_us']:.1f} | {ratio:.1f}x | {sparql['ask_median_us']:.0f} | {ask:,.0f}x |")
PY
done
