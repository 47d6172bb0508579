#!/usr/bin/env bash
# The crash test with more kills than the default run's 6 (at least 30:
# each of the five writes killed 6+ times at random points), e.g. before
# a release or after a change to how the store writes.
#
#   bash tests/crash-loop.sh [KILLS]    # default 36
set -euo pipefail
cd "$(dirname "$0")/.."
STORYGRAPH_KILLS="${1:-36}" cargo test --release --test integration \
  crash::a_killed_write -- --nocapture
