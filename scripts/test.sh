#!/usr/bin/env bash
# Runs every test: formatting and lints, the model and receiving server (cargo test), the size budget of
# the release build, and the whole journey in headless Chromium against the real
# receiving server. Builds the app once and reuses it across the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
mkdir -p target/e2e
log=target/e2e/cargo-test.log

# Each step says how long the run has taken so far (a fresh machine's run is kept under 45 minutes).
step() { printf '\n\033[1m== %s\033[0m (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "habits: cargo fmt --check, cargo clippy -D warnings (native crates and the wasm app)"
cargo fmt --all --check
cargo clippy -p feedback-model -p collector --all-targets -- -D warnings
cargo clippy -p feedback-form --features ssr --all-targets -- -D warnings
cargo clippy -p feedback-form --target wasm32-unknown-unknown --features hydrate -- -D warnings

step "model and receiving server: cargo test (the collector's storage tests on SQLite and on a throwaway PostgreSQL)"
scripts/postgres.sh cargo test -p feedback-model -p collector 2>&1 | tee "$log"
cargo test -p feedback-form --features ssr 2>&1 | tee -a "$log"   # the server drawing of the app's pages (doc tests)

step "the stored formats through the JavaScript engine's JSON.parse (wasm, in Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p feedback-model --target wasm32-unknown-unknown --test wasm_json 2>&1 | tee -a "$log"

step "build the app once (release)"
source scripts/wasm-flags.sh && trunk build --release --offline

step "compressed copies: a .br and a .gz beside each text and WASM file in dist/, each decompressing to it"
node scripts/compress.mjs --check dist

step "first-load size (budget: 167.9 KB brotli)"
node scripts/size.mjs dist --budget 167900

step "the journey in headless Chromium (phone and tablet)"
cargo build -p collector   # the server binary the browser tests talk to (already built by cargo test)
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test

# One closing line for everything: cargo's counts plus Playwright's.
node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const m of fs.readFileSync(process.argv[1], "utf8").matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
  passed += +m[1]; failed += +m[2];
}
const s = JSON.parse(fs.readFileSync("target/e2e/results.json", "utf8")).stats;
passed += s.expected; failed += s.unexpected + (s.flaky || 0);
console.log(`\nthe whole run took ${Math.floor(process.argv[2] / 60)}m${String(process.argv[2] % 60).padStart(2, "0")}s`);
console.log(`all tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
' "$log" "$SECONDS"
