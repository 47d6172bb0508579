# Sourced by the benchmark scripts: checks for GNU time, sets up the peers'
# Python venv (pyoxigraph, rdflib, networkx from PyPI) as $venv, builds
# storygraph and the bench examples (release) and sets $target_dir.
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
venv="${STORYGRAPH_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/storygraph/bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import networkx, pyoxigraph, rdflib' 2>/dev/null ||
  "$venv/bin/pip" install --quiet networkx pyoxigraph rdflib
cargo build --release --quiet --example generate_corpus --example bench_paths
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
