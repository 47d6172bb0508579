#!/usr/bin/env bash
# End to end, as a user waits for it: one shell script of PAIRS `.path`
# commands over a generated corpus, every hop printed with its evidence,
# against the Python peer (benches/shell_paths_peer.py: networkx plus a
# dict from each edge to its facts) on the same pairs. Ours is the
# script's wall time minus that of a one-path script (the start: opening
# the store, loading the projection); the peer's is its loop over the
# pairs (its corpus load not counted). Prints one Markdown table row per
# corpus size.
#   bash benches/shell_paths.sh [PAIRS] [FACTS...]   (default: 20000 20000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-20000}"
shift || true
sizes=("${@:-20000 100000}")
read -r -a sizes <<<"${sizes[*]}"
venv="${STORYGRAPH_BENCH_VENV:-$HOME/.cache/storygraph/bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import networkx' 2>/dev/null || "$venv/bin/pip" install --quiet networkx

cargo build --release --quiet --examples
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/storygraph"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wall() { # seconds of wall time of a command whose stdin and stdout are files
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

printf '| facts | pairs | storygraph shell µs per .path | Python peer µs per pair | peer / ours |\n|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  "$target_dir/release/examples/generate_corpus" "$n" > "$work/c.jsonl"
  rm -rf "$work/store"
  "$bin" --store "$work/store" ingest "$work/c.jsonl" 2>"$work/ingest.log" || { cat "$work/ingest.log" >&2; exit 1; }
  python3 - "$work/c.jsonl" "$pairs" "$work" <<'PY'
import json, random, sys
corpus, pairs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ids = sorted({e["id"] for line in open(corpus, encoding="utf-8") for e in json.loads(line)["entities"]
              if not e["id"].endswith("-alt")})
random.seed(42)
chosen = [random.sample(ids, 2) for _ in range(pairs + 1)]
open(f"{work}/one.sg", "w").write(".path %s %s\n" % tuple(chosen[0]))
open(f"{work}/all.sg", "w").write("".join(".path %s %s\n" % tuple(p) for p in chosen))
PY
  # Untimed: the projection snapshot is built and the store's files cached.
  "$bin" --store "$work/store" shell --keep-going < "$work/one.sg" > /dev/null 2>&1 || true
  one=$(wall sh -c "'$bin' --store '$work/store' shell --keep-going < '$work/one.sg' > '$work/one.out' 2>/dev/null || true")
  all=$(wall sh -c "'$bin' --store '$work/store' shell --keep-going < '$work/all.sg' > '$work/ours.out' 2>/dev/null || true")
  "$venv/bin/python" benches/shell_paths_peer.py "$work/c.jsonl" "$work/all.sg" >"$work/peer.out" 2>"$work/peer.log" \
    || { echo "the peer failed at $n facts:" >&2; tail -5 "$work/peer.log" >&2; exit 1; }
  peer=$(tail -1 "$work/peer.log")
  python3 - "$n" "$pairs" "$one" "$all" "$peer" <<'PY'
import json, sys
n, pairs, one, all_, peer = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), json.loads(sys.argv[5])
ours = (all_ - one) / pairs * 1e6
theirs = peer["seconds"] / peer["pairs"] * 1e6
print(f"| {n:,} | {pairs:,} | {ours:.1f} | {theirs:.1f} | {theirs / ours:.2f}x |")
PY
done
