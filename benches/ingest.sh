#!/usr/bin/env bash
# Ingest benchmark: generates corpora (examples/generate_corpus.rs) and
# measures `storygraph ingest` of each into a fresh on-disk store (bulk
# loader path), the same file again (every article unchanged: skipped by
# digest), and a changed copy (every "reported" fact now "claimed": each
# article replaced in a transaction that writes the difference).
# Prints facts/s, triples/s and peak memory. Usage:
#   bash benches/ingest.sh [FACTS...]        (default: 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000}")
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

cargo build --release --quiet --example generate_corpus
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/storygraph"
gen="$target_dir/release/examples/generate_corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '| facts | run | seconds | facts/s | triples | triples/s | peak RSS MiB |\n|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  "$gen" "$n" > "$work/corpus-$n.jsonl"
  sed 's/"certainty":"reported"/"certainty":"claimed"/g' "$work/corpus-$n.jsonl" > "$work/changed-$n.jsonl"
  rm -rf "$work/store"
  for run in fresh unchanged changed; do
    file="$work/corpus-$n.jsonl"
    [ "$run" = changed ] && file="$work/changed-$n.jsonl"
    /usr/bin/time -v "$bin" --store "$work/store" ingest "$file" 2> "$work/err" >/dev/null
    line=$(grep '^ingested' "$work/err")
    secs=$(sed -E 's/.* in ([0-9.]+) s.*/\1/' <<<"$line")
    facts=$(sed -E 's/.*, ([0-9]+) facts.*/\1/' <<<"$line")
    triples=$(sed -E 's/.*, ([0-9]+) triples.*/\1/' <<<"$line")
    rss=$(awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$work/err")
    python3 -c "print(f'| $n | $run | {float($secs):.2f} | {int($facts)/float($secs):,.0f} | $triples | {int($triples)/float($secs):,.0f} | $rss |')"
  done
done
