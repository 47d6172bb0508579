#!/usr/bin/env bash
# storygraph against a remote store, measured as a user waits for it: the
# whole command, on loopback, against the Oxigraph server from PyPI (the
# test venv's `oxigraph`, .ci/provision). On a generated corpus of FACTS
# facts: `ingest` into a fresh embedded store and into a fresh server, by
# transactional updates and by the server's bulk loader (`--bulk-load`)
# (rates and their ratio to the embedded one; the embedded and bulk
# ingests are medians of INGEST_RUNS (3) runs taking turns, the rest one); the first `path` with no local copy (the copy
# rebuilt from the server by paged SELECTs, then the projection); `path`
# with the copy current (median of RUNS, each one process, which also asks
# the server whether it changed) beside the embedded store's; and peak
# memory of both ingests. Prints a Markdown table.
#   bash benches/remote.sh [FACTS] [RUNS]   (default: 100000 21)
set -euo pipefail
cd "$(dirname "$0")/.."
facts="${1:-100000}"
runs="${2:-21}"
cargo build --release --quiet --example generate_corpus
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/storygraph"
venv="${STORYGRAPH_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/storygraph/test-venv}"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$target_dir/release/examples/generate_corpus" "$facts" > "$work/c.jsonl"
# A fresh server in DIR: sets port and server.
start_server() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$venv/bin/oxigraph" serve --location "$1" --bind "127.0.0.1:$port" 2>"$1.log" &
  server=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/query?query=ASK%7B%7D" && break; sleep 0.1; done
}

# seconds and peak MB of one command
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { tail -3 "$work/err" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$work/time"
}
# The embedded ingest and the bulk loader (--bulk-load, each time into a
# fresh server and a fresh copy) take turns INGEST_RUNS times, so that a
# passing load on the shared machine falls on both; their medians (a
# single embedded run was 6.2 s in one run and 10.9 s in the next).
ingest_runs="${INGEST_RUNS:-3}"
median_of() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$work/embedded.runs"; : >"$work/bulk.runs"
for i in $(seq "$ingest_runs"); do
  rm -rf "$work/local"
  timed "$bin" --store "$work/local" ingest "$work/c.jsonl" >>"$work/embedded.runs"
  rm -rf "$work/bulk-server" "$work/cache0"
  start_server "$work/bulk-server"
  bulk=(--endpoint "http://127.0.0.1:$port/query" --update-endpoint "http://127.0.0.1:$port/update" --graph-store "http://127.0.0.1:$port/store" --bulk-load)
  timed "$bin" "${bulk[@]}" --cache "$work/cache0" ingest "$work/c.jsonl" >>"$work/bulk.runs"
  bulk_sent=$(grep -o 'in [0-9]* requests' "$work/err" || true)
  kill "$server"; wait "$server" 2>/dev/null || true
done
embedded_s=$(cut -d' ' -f1 "$work/embedded.runs" | median_of)
embedded_mb=$(cut -d' ' -f2 "$work/embedded.runs" | sort -n | tail -1)
bulk_s=$(cut -d' ' -f1 "$work/bulk.runs" | median_of)
bulk_mb=$(cut -d' ' -f2 "$work/bulk.runs" | sort -n | tail -1)
embedded_all=$(cut -d' ' -f1 "$work/embedded.runs" | tr '\n' ' ')
bulk_all=$(cut -d' ' -f1 "$work/bulk.runs" | tr '\n' ' ')
# The default (transactional updates) into another server, which the
# rest of the runs use.
start_server "$work/server"
remote=(--endpoint "http://127.0.0.1:$port/query" --update-endpoint "http://127.0.0.1:$port/update")
read -r remote_s remote_mb < <(timed "$bin" "${remote[@]}" --cache "$work/cache1" ingest "$work/c.jsonl")
sent=$(grep -o 'in [0-9]* requests' "$work/err" || true)

# Two entities a path joins (the generator's ids), the same for every run.
read -r from to < <(python3 - "$work/c.jsonl" <<'PY'
import json, random, sys
ids = sorted({e["id"] for line in open(sys.argv[1], encoding="utf-8") for e in json.loads(line)["entities"] if not e["id"].endswith("-alt")})
random.seed(7)
print(*random.sample(ids, 2))
PY
)
path() { "$bin" "$@" path "$from" "$to" >/dev/null 2>&1 || [ $? -eq 1 ]; }
read -r first_s first_mb < <(timed "$bin" "${remote[@]}" --cache "$work/cache2" path "$from" "$to")
median() {
  local label=$1; shift
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); path "$@"; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | median_of | awk '{printf "%.1f", $1*1000}'
}
path --store "$work/local"   # the local projection snapshot is written once
warm_remote=$(median remote "${remote[@]}" --cache "$work/cache2")
warm_local=$(median local --store "$work/local")

rate() { python3 -c "print(f'{$facts/$1:,.0f}')"; }
ratio() { python3 -c "print(f'{($facts/$1)/($facts/$embedded_s):.2f}')"; }
printf '| %s facts | embedded store | Oxigraph server (loopback) |\n|---|---|---|\n' "$(printf "%'d" "$facts")"
printf '| ingest, whole command (median) | %s s, %s facts/s, %s MB peak | %s s, %s facts/s, %s MB peak (%s; %sx the embedded rate) |\n' \
  "$embedded_s" "$(rate "$embedded_s")" "$embedded_mb" "$remote_s" "$(rate "$remote_s")" "$remote_mb" "$sent" "$(ratio "$remote_s")"
printf '| ingest `--bulk-load`, whole command | | %s s, %s facts/s, %s MB peak (%s; %sx the embedded rate) |\n' \
  "$bulk_s" "$(rate "$bulk_s")" "$bulk_mb" "$bulk_sent" "$(ratio "$bulk_s")"
printf '| first `path`, no local copy (copy rebuilt + projection) | | %s s, %s MB peak |\n' "$first_s" "$first_mb"
printf '| `path`, warm (median of %s processes) | %s ms | %s ms |\n' "$runs" "$warm_local" "$warm_remote"
printf '\nIngest runs, in turn (s): embedded %s; `--bulk-load` %s\n' "$embedded_all" "$bulk_all"
