#!/usr/bin/env bash
# Measures the receiving server: accepted submissions a second and p50/p99 latency at
# 1, 16 and 64 clients on loopback, against the release collector binary in its own
# process with a fresh temporary database, each rate beside the disk's fdatasync rate
# measured in the same run (as a ratio). Arguments go to the load generator
# (collector/examples/bench.rs), e.g. `scripts/bench.sh --seconds 10`. Then the same on PostgreSQL (a throwaway
# server from scripts/postgres.sh), with one collector and with two on one database.
# Then the receiving server under abuse (collector/examples/abuse.rs): valid submissions from 64
# clients alone, then beside a client sending at 10 times the rate limit and slow clients holding
# connections open; throughput and p50/p99 latency side by side as ratios, and every valid
# submission stored exactly once (it exits 1 if not). About 15 s.
# Then exports' memory (scripts/bench-export-memory.sh): the export process's peak memory for 1,000,000 stored
# submissions beside 100,000, on SQLite and on a throwaway PostgreSQL.
# Then the browser outbox's drain benchmark (scripts/bench-drain.mjs): 100 submissions
# queued with no network, timed from the network's return until all are stored.
# Then the proof of work (scripts/bench-stamp.mjs): the app's 12-bit stamps at 4x CPU slowdown and at 1x,
# beside a bare SHA-256 digest's time in the same page.
# Then long sessions (scripts/bench-memory.mjs): 100 people answer and send on one page
# with no reload; the JS heap and WebAssembly memory after the last beside after the first.
# Then Lighthouse (scripts/bench-lighthouse.mjs): the app from the collector beside the
# same start page as plain static HTML (the limit), median of 3 each, as ratios.
# Installs what it needs, as scripts/test.sh does. Prints figures; asserts nothing
# about speed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "the receiving server under load (release build)"
cargo build --profile server -p collector
cargo run --release -p collector --example bench -- --bin target/server/collector "$@"

step "the receiving server on PostgreSQL (a throwaway server on loopback): one collector, then two on one database"
# shellcheck disable=SC2016 # the URL is the inner shell's, set by scripts/postgres.sh
scripts/postgres.sh sh -c 'for n in 1 2; do cargo run --release -p collector --example bench -- --bin target/server/collector \
  --postgres "$COLLECTOR_TEST_POSTGRES" --collectors "$n" "$@" || exit 1; done' sh "$@"

step "the receiving server under abuse: a client at 10x the rate limit and slow clients beside valid traffic"
cargo run --release -p collector --example abuse -- --bin target/server/collector

step "exports in constant memory: a million stored submissions beside a hundred thousand, SQLite and PostgreSQL"
scripts/bench-export-memory.sh

step "the browser outbox draining queued submissions (release build of the app)"
source scripts/wasm-flags.sh && trunk build --release --offline
node scripts/bench-drain.mjs

step "the start page drawn by the collector for each request, beside a static file it sends"
node scripts/bench-pages.mjs

step "the proof of work: 12-bit stamps in Chromium at 4x CPU slowdown and at 1x, beside a bare digest"
node scripts/bench-stamp.mjs

step "a long session on one page: memory after 100 people beside after the first"
node scripts/bench-memory.mjs

step "Lighthouse (mobile): the app from the collector beside the same start page as static HTML"
# Lighthouse is only for this benchmark, so it lives in target/, not in package.json.
[ -x target/bench-tools/node_modules/.bin/lighthouse ] ||
  npm install --prefix target/bench-tools --no-audit --no-fund --no-save lighthouse@13.5.0
node scripts/bench-lighthouse.mjs
