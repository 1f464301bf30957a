#!/bin/sh
# Builds the floor as the app is built and prints raw and brotli bytes of the WASM (and the JS glue), for each variant.
set -e
cd "$(dirname "$0")"
PATH="$PWD/../../../node_modules/.bin:$HOME/.cargo/bin:$PATH"
for variant in hello screens; do
  features=""; [ $variant = screens ] && features="--features screens"
  RUSTFLAGS="--cfg erase_components" cargo build -q --release --target wasm32-unknown-unknown $features
  rm -rf target/wb && wasm-bindgen --target web --no-typescript --out-dir target/wb --out-name app \
    target/wasm32-unknown-unknown/release/leptosfloor.wasm
  # The app's wasm-opt settings (index.html).
  wasm-opt -Os --remove-exports --pass-arg=remove-exports@*intounderlying* --reorder-functions-by-name \
    --low-memory-unused --converge --strip-producers --strip-target-features --enable-bulk-memory \
    --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
    --enable-multivalue --enable-mutable-globals target/wb/app_bg.wasm -o target/wb/app.opt.wasm
  node -e '
    const z = require("zlib"), fs = require("fs");
    const br = (f) => z.brotliCompressSync(fs.readFileSync(f), { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const [v, w, j] = process.argv.slice(1);
    console.log(`${v}: wasm ${fs.statSync(w).size} raw, ${br(w)} brotli; js glue ${br(j)} brotli (unminified)`);
  ' $variant target/wb/app.opt.wasm target/wb/app.js
done
