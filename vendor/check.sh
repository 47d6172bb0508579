#!/usr/bin/env bash
# Checks that each crate in vendor/ is its crates.io release plus
# vendor/NAME.patch, nothing else. The pristine crate comes from cargo's
# cache, else from crates.io, and is checked against the checksum pinned
# below.
#
#   bash vendor/check.sh               # check every vendored crate (CI runs this)
#   bash vendor/check.sh --diff NAME   # print the patch NAME's copy holds now
#
# Upgrading: see vendor/NAME/PATCH.md.
set -euo pipefail
cd "$(dirname "$0")"

# name version sha256-of-the-.crate
crates="
oxigraph 0.5.13 9b993c12c391a7733c93171f9d07fbd80e4b99060ce3e4c76e0875cb3e63d0a8
spareval 0.2.9 072b1b44c9003e54a7b0817b65ce156d94ab46250dcefe0f24a9b3cc4020c1c6
"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Unpacks the pristine NAME (as $work/NAME/a) and the copy (as $work/NAME/b).
unpack() {
  local name=$1 version=$2 sha256=$3
  local crate="$name-$version.crate" dir="$work/$name"
  grep -q "^version = \"$version\"" "$name/Cargo.toml" || {
    echo "vendor/$name is not $name $version; update the version and checksum in vendor/check.sh" >&2
    exit 1
  }
  mkdir -p "$dir"
  local cached
  cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate" 2>/dev/null | head -n 1 || true)
  if [ -n "$cached" ]; then
    cp "$cached" "$dir/$crate"
  else
    curl -sSfL --retry 3 -o "$dir/$crate" "https://static.crates.io/crates/$name/$crate"
  fi
  echo "$sha256  $dir/$crate" | sha256sum -c --quiet - || {
    echo "the downloaded $crate does not have the pinned checksum" >&2
    exit 1
  }
  mkdir "$dir/a"
  tar xzf "$dir/$crate" -C "$dir/a" --strip-components=1
  # Files of the published crate that the vendored copy leaves out.
  rm -f "$dir/a/.cargo_vcs_info.json" "$dir/a/Cargo.lock" "$dir/a/Cargo.toml.orig"
  cp -r "$name" "$dir/b"
  rm -f "$dir/b/PATCH.md"
}

if [ "${1:-}" = "--diff" ]; then
  line=$(echo "$crates" | awk -v n="${2:-}" '$1 == n')
  [ -n "$line" ] || { echo "usage: bash vendor/check.sh --diff NAME (one of:$(echo "$crates" | awk '{printf " %s", $1}'))" >&2; exit 2; }
  # shellcheck disable=SC2086
  unpack $line
  (cd "$work/$2" && diff -ruN a b | sed -E 's/^(---|\+\+\+) ([^\t]+)\t.*$/\1 \2/') || true
  exit 0
fi

echo "$crates" | while read -r name version sha256; do
  [ -n "$name" ] || continue
  unpack "$name" "$version" "$sha256"
  dir="$work/$name"
  (cd "$dir/a" && patch -p1 --quiet --no-backup-if-mismatch) < "$name.patch"
  if ! diff -r "$dir/a" "$dir/b" >"$dir/differences"; then
    echo "vendor/$name is not $name $version + vendor/$name.patch:" >&2
    cat "$dir/differences" >&2
    echo "(bash vendor/check.sh --diff $name > vendor/$name.patch records the copy's changes)" >&2
    exit 1
  fi
  echo "vendor/$name = $name $version + vendor/$name.patch"
done
