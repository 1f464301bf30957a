#!/bin/sh
# Measures how much of the app's WebAssembly Leptos 0.8's `#[lazy]` code splitting moves out of the first load
# (docs/measurements/wasm-split/README.md). From the repository's root:
#
#   sh docs/measurements/wasm-split/measure.sh        # OUT=/tmp/wasm-split-measure by default
#
# Two builds of the app's wasm, as trunk builds it (cargo, wasm-bindgen, wasm-opt with index.html's flags):
# 1. the baseline: the app as it is (no `--cfg wasm_split`);
# 2. split (and 3. split-questions, with `--cfg wasm_split_questions` too; QUESTIONS=0 skips it): `--cfg wasm_split` turns on the split points (src/split.rs and the SPIKE comments), the linker keeps
#    its relocations (`--emit-relocs`), `wasm-split-cli` splits cargo's output, wasm-bindgen runs on the main
#    module (keeping lld's exports, names not demangled, as cargo-leptos does), then wasm-opt on every module.
# Then brotli (quality 11) of every file (measure.mjs). About 5 minutes on 2 cores (three full cargo builds).
set -eu
ROOT=$(git rev-parse --show-toplevel)
cd "$ROOT"
OUT=${OUT:-/tmp/wasm-split-measure}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
SPLITTER=${SPLITTER:-/tmp/wsplit/bin/wasm-split-cli}

# The splitter: wasm_split_cli_support 0.2.4 (the newest; wasm_split_helpers 0.2.x's, which cargo-leptos 0.3 uses
# as a library, `wasm_split_cli_support = "0.2.2"`).
if [ ! -x "$SPLITTER" ]; then
  timeout 1800 cargo install --locked wasm_split_cli_support@0.2.4 --features build-binary --root /tmp/wsplit -j 1
  SPLITTER=/tmp/wsplit/bin/wasm-split-cli
fi

# wasm-opt exactly as trunk runs it: `-O` + data-wasm-opt, then data-wasm-opt-params (index.html).
LEVEL=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html)
PARAMS=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)
opt() { set -f; timeout 600 wasm-opt "-O$LEVEL" $PARAMS "$1" -o "$1"; set +f; } # set -f: the flags hold a `*`

build() { # $1: extra RUSTFLAGS (none: .cargo/config.toml's build.rustflags, `--cfg erase_components`)
  if [ -n "$1" ]; then
    RUSTFLAGS="--cfg erase_components $1" timeout 1800 cargo build --release --target wasm32-unknown-unknown \
      -p feedback-form --features hydrate --no-default-features
  else
    env -u RUSTFLAGS timeout 1800 cargo build --release --target wasm32-unknown-unknown \
      -p feedback-form --features hydrate --no-default-features
  fi
}
RAW="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/feedback-form.wasm"

rm -rf "$OUT" && mkdir -p "$OUT/base"

# 1. Baseline.
build ""
cp "$RAW" "$OUT/base.raw.wasm"
timeout 600 wasm-bindgen --target web --no-typescript --out-dir "$OUT/base" --out-name app "$OUT/base.raw.wasm"
opt "$OUT/base/app_bg.wasm"

# 2. Split: $1 the output's name, $2 the cfgs on top of `wasm_split`.
split() {
  build "--cfg wasm_split $2 -C link-arg=--emit-relocs"
  mkdir -p "$OUT/$1.pre" "$OUT/$1"
  cp "$RAW" "$OUT/$1.raw.wasm"
  # Writes $1.pre/app.wasm (the main module, for wasm-bindgen), split_*.wasm, chunk_*.wasm (code two or more
  # splits share), and __wasm_split.js, the loader, which imports `initSync` from ./app.js (wasm-bindgen's glue).
  timeout 600 "$SPLITTER" "$OUT/$1.raw.wasm" "$OUT/$1.pre" --target web --out-name app
  timeout 600 wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
    --out-dir "$OUT/$1" --out-name app "$OUT/$1.pre/app.wasm"
  for f in "$OUT/$1.pre"/split_*.wasm "$OUT/$1.pre"/chunk_*.wasm; do cp "$f" "$OUT/$1/"; done
  cp "$OUT/$1.pre/__wasm_split.js" "$OUT/$1/"
  for f in "$OUT/$1"/*.wasm; do opt "$f"; done
}
split split ""
# 3. Beyond the brief: the question pages split off too (the start page alone in the first load).
[ "${QUESTIONS:-1}" = 0 ] || split split-questions "--cfg wasm_split_questions"

node docs/measurements/wasm-split/measure.mjs "$OUT"
