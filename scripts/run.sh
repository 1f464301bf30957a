#!/usr/bin/env bash
# Runs the product: builds the form and serves it, with its receiving server, on
# SQLite at data/feedback.sqlite. Open http://127.0.0.1:8080/ (ADDR and DB change these).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
source scripts/wasm-flags.sh && trunk build --release --offline
cargo build --profile server -p collector
exec target/server/collector serve --db "${DB:-data/feedback.sqlite}" --static dist --addr "${ADDR:-127.0.0.1:8080}"
