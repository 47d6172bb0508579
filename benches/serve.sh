#!/usr/bin/env bash
# A bounded load test of `storygraph serve` on loopback: a store of FACTS
# generated facts, then 1, 4 and 16 concurrent clients (examples/load_serve.rs,
# keep-alive connections) for SECONDS each, on two workloads: a
# neighbourhood SPARQL query (an entity's facts with their certainty, by
# GET) and /path between two entities (the JSON document with every hop's
# evidence). Prints a Markdown table: requests per second, median and p99
# latency, errors; and the server's resident memory before and after.
#   bash benches/serve.sh [FACTS] [SECONDS]   (default: 100000 30)
set -euo pipefail
cd "$(dirname "$0")/.."
facts="${1:-100000}"
seconds="${2:-30}"
cargo build --release --quiet --examples
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/storygraph"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$target_dir/release/examples/generate_corpus" "$facts" > "$work/c.jsonl"
"$bin" --store "$work/store" ingest "$work/c.jsonl" >/dev/null 2>"$work/ingest.log" || { tail -5 "$work/ingest.log" >&2; exit 1; }
python3 - "$work/c.jsonl" "$work" <<'PY'
import json, random, sys, urllib.parse
corpus, work = sys.argv[1], sys.argv[2]
ids = sorted({e["id"] for line in open(corpus, encoding="utf-8") for e in json.loads(line)["entities"]
              if not e["id"].endswith("-alt")})
random.seed(42)
q = lambda text: "/sparql?query=" + urllib.parse.quote(text, safe="")
with open(f"{work}/neighbors.txt", "w") as f:
    for e in random.choices(ids, k=5000):
        f.write(q("SELECT ?p ?o ?certainty ?article WHERE { ?stmt rdf:subject ent:%s ; rdf:predicate ?p ; rdf:object ?o ; sg:certainty ?certainty ; sg:article ?article }" % e) + "\n")
with open(f"{work}/paths.txt", "w") as f:
    for a, b in (random.sample(ids, 2) for _ in range(5000)):
        f.write("/path?from=%s&to=%s\n" % (urllib.parse.quote(a), urllib.parse.quote(b)))
PY
"$bin" --store "$work/store" serve --bind 127.0.0.1:0 --workers 16 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do grep -q "at http://" "$work/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1 | sed 's|/sparql||')
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status"; }
# Untimed: the projection is built and the store's files are cached.
curl -sS -o /dev/null "$base$(head -1 "$work/paths.txt")"
curl -sS -o /dev/null "$base$(head -1 "$work/neighbors.txt")"
before=$(rss)
printf '| workload (%s facts) | clients | requests | per second | median ms | p99 ms | errors |\n|---|---|---|---|---|---|---|\n' "$(printf "%'d" "$facts")"
for workload in neighbors paths; do
  for clients in 1 4 16; do
    "$target_dir/release/examples/load_serve" "$base" "$work/$workload.txt" "$clients" "$seconds" "$workload"
  done
done
after=$(rss)
printf '\nserver resident memory: %s MB before, %s MB after\n' "$before" "$after"
