#!/usr/bin/env bash
# SPIKE (docs/ssr-design.md): Lighthouse mobile defaults, performance only, for two URLs taken in turn,
# RUNS times each; prints each run's figures (the median is read off by eye).
#   scripts/ssr-spike-lighthouse.sh RUNS URL...
set -euo pipefail
runs=$1; shift
lh=${LIGHTHOUSE:-target/bench-tools/node_modules/.bin/lighthouse}
out=$(mktemp -d)
for i in $(seq "$runs"); do
  for url in "$@"; do
    CHROME_PATH=/usr/bin/chromium "$lh" "$url" --only-categories=performance --output=json --output-path="$out/r.json" \
      --quiet --chrome-flags="--headless=new --no-sandbox --disable-gpu"
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), a = r.audits;
      console.log([process.argv[2], "perf", Math.round(r.categories.performance.score * 100),
        "FCP", Math.round(a["first-contentful-paint"].numericValue), "LCP", Math.round(a["largest-contentful-paint"].numericValue),
        "TBT", Math.round(a["total-blocking-time"].numericValue), "CLS", a["cumulative-layout-shift"].numericValue.toFixed(3),
        "KB", Math.round(a["total-byte-weight"].numericValue / 1000)].join(" "));' "$out/r.json" "$url"
  done
done
rm -rf "$out"
