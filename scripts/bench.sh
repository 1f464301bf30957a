#!/usr/bin/env bash
# Measures the receiving server: accepted submissions a second and p50/p99 latency at
# 1, 16 and 64 clients on loopback, against the release collector binary in its own
# process with a fresh temporary database. Arguments go to the load generator
# (collector/examples/bench.rs), e.g. `scripts/bench.sh --seconds 10`.
# Then, if it is there, the browser outbox's drain benchmark (scripts/bench-drain.mjs).
#
# Needs only cargo (and node for the drain benchmark), so it does not run
# scripts/setup.sh: run that (or scripts/test.sh) once first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "the receiving server under load (release build)"
cargo build --release -p collector
cargo run --release -p collector --example bench -- --bin target/release/collector "$@"

if [ -f scripts/bench-drain.mjs ]; then
  step "the browser outbox draining queued submissions"
  node scripts/bench-drain.mjs
fi
