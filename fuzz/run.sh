#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each (default 600), one after another on one core, then
# minimises its corpus; prints a line per target: executions, seconds, corpus files, crashes (artifacts/<target>/).
#   bash fuzz/run.sh [SECONDS] [TARGET ...]        from the repository's root; needs the nightly toolchain
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(form config words stored submission carried request)
logs=${FUZZ_LOGS:-target/fuzz-logs}
mkdir -p "$logs"
cargo +nightly fuzz build -O >/dev/null 2>&1 || { echo "the fuzz targets do not build: cargo +nightly fuzz build -O" >&2; exit 1; }
for t in "${targets[@]}"; do
  before=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
  timeout $((secs + 120)) cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=10 >"$logs/$t.log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$logs/$t.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
  # Kept: the fewest inputs that reach every edge (not every hit count, which keeps several times as many).
  timeout 600 cargo +nightly fuzz cmin -O "$t" -- -use_counters=0 >"$logs/$t.cmin.log" 2>&1
  after=$(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)
  printf '%s\texecutions %s\tseconds %s\tcorpus %s files\tnew crashes %s\texit %s\n' \
    "$t" "${runs:-?}" "${took:-?}" "$(ls "fuzz/corpus/$t" | wc -l)" "$((after - before))" "$status"
done
