#!/usr/bin/env bash
# Full-text search against what a user would write instead, SPARQL REGEX
# over the same evidence, each a whole `storygraph` process, on a generated
# corpus: the index build (the first search after an ingest), its size,
# and the latency of a selective and a frequent query, warm.
#   bash benches/search.sh [FACTS]        (default 1000000)
# Prints a Markdown table for BENCHMARKS.md. Never part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
facts="${1:-1000000}"
runs="${RUNS:-5}"
cargo build --release --quiet --example generate_corpus
cargo build --release --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target/release/storygraph"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$target/release/examples/generate_corpus" "$facts" > "$work/corpus.jsonl"
store="$work/store"
"$bin" --store "$store" ingest "$work/corpus.jsonl" 2>/dev/null

# Wall seconds and peak RSS (MB) of one whole command.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2>/dev/null || true
  read -r seconds kb < "$work/time"
  echo "$seconds $((kb / 1024))"
}
# The median wall time of $runs runs, in milliseconds.
median_ms() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e' -o "$work/time" "$@" > /dev/null 2>&1 || true
    cat "$work/time"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.0f", 1000 * a[int((NR + 1) / 2)]}'
}

# A rare term (one article's number) and a frequent one (the name of the
# corpus's most mentioned entity, in Arabic).
rare="رقم 54321"
frequent=$(python3 - "$work/corpus.jsonl" <<'EOF'
import json, sys, collections
count = collections.Counter()
names = {}
with open(sys.argv[1]) as f:
    for n, line in enumerate(f):
        if n > 2000:
            break
        doc = json.loads(line)
        for e in doc.get("entities", []):
            names[e["id"]] = e["name"]["ar"].split()[0]
        for a in doc["articles"]:
            for fact in a["facts"]:
                count[fact["subject"]] += 1
print(names[count.most_common(1)[0][0]])
EOF
)

read -r build_s build_mb < <(measure "$bin" --store "$store" search "$rare" --limit 20)
index_mb=$(du -sm "$store/storygraph-search" | cut -f1)
store_mb=$(du -sm --exclude storygraph-search "$store" | cut -f1)
ours_rare=$(median_ms "$bin" --store "$store" search "$rare" --limit 20)
ours_frequent=$(median_ms "$bin" --store "$store" search "$frequent" --limit 20)
regex() {
  echo "SELECT ?s ?e WHERE { ?s sg:evidence ?e FILTER(REGEX(?e, \"$1\")) } LIMIT 20"
}
peer_rare=$(median_ms "$bin" --store "$store" query "$(regex "$rare")")
peer_frequent=$(median_ms "$bin" --store "$store" query "$(regex "$frequent")")
matches_rare=$(median_ms "$bin" --store "$store" query "SELECT ?s ?e WHERE { ?s sg:evidence ?e FILTER(sg:matches(?e, \"$rare\")) } LIMIT 20")
hits=$("$bin" --store "$store" search "$rare" --format json --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')
regex_hits=$("$bin" --store "$store" query --format tsv "SELECT ?s WHERE { ?s sg:evidence ?e FILTER(REGEX(?e, \"$rare\")) }" | tail -n +2 | wc -l)

cat <<EOF
| $facts facts | storygraph search | SPARQL REGEX (peer) | ratio |
|---|---|---|---|
| index build (first search after the ingest) | ${build_s} s, ${build_mb} MB peak | none | |
| index size | ${index_mb} MB (store ${store_mb} MB) | none | |
| selective query "$rare" ($hits hits; REGEX finds $regex_hits) | ${ours_rare} ms | ${peer_rare} ms | $(python3 -c "print(f'{$peer_rare / max($ours_rare, 1):.1f}x')") |
| frequent query "$frequent", first 20 | ${ours_frequent} ms | ${peer_frequent} ms | $(python3 -c "print(f'{$peer_frequent / max($ours_frequent, 1):.1f}x')") |
| \`sg:matches\` in SPARQL, selective | ${matches_rare} ms | | |
EOF
