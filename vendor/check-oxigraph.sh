#!/usr/bin/env bash
# Checks that vendor/oxigraph is the crates.io release of oxigraph named in
# vendor/oxigraph/Cargo.toml plus vendor/oxigraph.patch, nothing else.
# The pristine crate comes from cargo's cache, else from crates.io, and is
# checked against the checksum pinned here.
#
#   bash vendor/check-oxigraph.sh            # check (CI runs this)
#   bash vendor/check-oxigraph.sh --diff     # print the patch the copy holds now
#
# Upgrading: see vendor/oxigraph/PATCH.md.
set -euo pipefail
cd "$(dirname "$0")"

version=0.5.13
sha256=9b993c12c391a7733c93171f9d07fbd80e4b99060ce3e4c76e0875cb3e63d0a8
crate="oxigraph-$version.crate"

grep -q "^version = \"$version\"" oxigraph/Cargo.toml || {
  echo "vendor/oxigraph is not oxigraph $version; update the version and checksum here" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate" 2>/dev/null | head -n 1 || true)
if [ -n "$cached" ]; then
  cp "$cached" "$work/$crate"
else
  curl -sSfL --retry 3 -o "$work/$crate" "https://static.crates.io/crates/oxigraph/$crate"
fi
echo "$sha256  $work/$crate" | sha256sum -c --quiet - || {
  echo "the downloaded $crate does not have the pinned checksum" >&2
  exit 1
}
mkdir "$work/a"
tar xzf "$work/$crate" -C "$work/a" --strip-components=1
# Files of the published crate that the vendored copy leaves out.
rm -f "$work/a/.cargo_vcs_info.json" "$work/a/Cargo.lock" "$work/a/Cargo.toml.orig"
cp -r oxigraph "$work/b"
rm -f "$work/b/PATCH.md"

if [ "${1:-}" = "--diff" ]; then
  (cd "$work" && diff -ruN a b | sed -E 's/^(---|\+\+\+) ([^\t]+)\t.*$/\1 \2/') || true
  exit 0
fi

(cd "$work/a" && patch -p1 --quiet --no-backup-if-mismatch) < oxigraph.patch
if ! diff -r "$work/a" "$work/b" >"$work/differences"; then
  echo "vendor/oxigraph is not oxigraph $version + vendor/oxigraph.patch:" >&2
  cat "$work/differences" >&2
  echo "(bash vendor/check-oxigraph.sh --diff > vendor/oxigraph.patch records the copy's changes)" >&2
  exit 1
fi
echo "vendor/oxigraph = oxigraph $version + vendor/oxigraph.patch"
