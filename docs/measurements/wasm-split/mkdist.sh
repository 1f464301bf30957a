#!/bin/sh
# mkdist.sh BUILD DEST: a trunk dist ($DIST: `trunk build --release --offline --dist $DIST`) with the app's wasm and glue replaced by a split build's.
set -eu
B=${OUT:-/tmp/wasm-split-measure}/$1; D=$2; DIST=${DIST:-/tmp/wasm-split-trunkdist}
rm -rf "$D" && cp -r "$DIST" "$D" && cd "$D"
JS=$(ls feedback-form-*.js | head -1); WASM=${JS%.js}_bg.wasm
find . \( -name "*.br" -o -name "*.gz" \) -delete
cp "$B/app.js" "$JS"; cp "$B/app_bg.wasm" "$WASM"; cp "$B"/split_*.wasm "$B"/chunk_*.wasm .
sed "s#\"./app.js\"#\"./$JS\"#" "$B/__wasm_split.js" > __wasm_split.js
