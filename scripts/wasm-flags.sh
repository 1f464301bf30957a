# Sourced by the scripts that build the WebAssembly (run.sh, test.sh, bench.sh): its compiler flags.
# A target's flags replace .cargo/config.toml's [build] flags, so `--cfg erase_components` is given again here.
# Panic messages name the file of the crate they come from; for crates.io's crates that is a path inside the
# cargo home, which differs from machine to machine (a home 12 characters longer measured +106 bytes brotli of
# first load). Written without it, the download is the same byte for byte wherever it is built.
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
remap=()
for index in "$registry"/*/; do
  [ -d "$index" ] && remap+=("--remap-path-prefix=$index=")
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components ${remap[*]}"
