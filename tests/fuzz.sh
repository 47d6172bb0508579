#!/usr/bin/env bash
# Runs every fuzz target of tests/fuzz.rs for a bounded time instead of
# the default run's fixed number of cases, and prints the executions of
# each. A panicking input is saved in the temp directory (the failure
# says where); keep it as a regression case.
#
#   bash tests/fuzz.sh [SECONDS-PER-TARGET]    # default 60
set -euo pipefail
cd "$(dirname "$0")/.."
STORYGRAPH_FUZZ_SECONDS="${1:-60}" cargo test --release --test integration \
  fuzz::fuzz_ -- --nocapture --test-threads 1 2>&1 | grep -oE 'fuzz [a-z]+: [0-9]+ executions in [0-9.]+ s|panicked.*|test result.*'
