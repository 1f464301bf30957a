#!/usr/bin/env bash
# Installs what the project needs, idempotently: quick when everything is already there.
#   scripts/setup.sh          tools to build and run the product
#   scripts/setup.sh --test   also the browser and test packages
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The two tools are built for building, not for speed: trunk's own profile asks for fat LTO and one codegen unit.
# Without them, at opt-level 1, trunk installs in 3.5 minutes instead of 8 and wasm-bindgen-cli in 1.3 instead of
# 3.8 (measured on a fresh cargo home here), and both give byte-for-byte the same dist/ (compared file by file),
# in the same time. A fresh machine's test run is kept under 45 minutes.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# fmt and clippy run in the test command.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 4 minutes, once)"
  quick_install --locked "trunk@$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the registry here lacks one of its locked dependencies.
  quick_install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

# npm packages: binaryen (wasm-opt 132) for the build; Playwright and axe-core for the tests.
# (Not when node_modules is a link to another checkout's: npm ci would empty that one.)
if [ ! -L node_modules ] && { [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if ! command -v java >/dev/null; then
    say "installing a Java runtime for the Nu Html Checker"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq default-jre-headless >/dev/null
  fi
fi
say "tools ready (in ${SECONDS}s)"
