#!/usr/bin/env bash
# Exports use constant memory (issue 16): `collector export` of 100,000 and of 1,000,000 stored submissions, as
# JSON lines and as CSV, on SQLite and on PostgreSQL (a throwaway server from scripts/postgres.sh), each figure the
# peak memory of the export process (max RSS from /usr/bin/time) beside the same export of ten times fewer rows, in
# the same run: a ratio near 1× means the memory does not grow with the rows. The rows are made by the databases
# themselves (a realistic plain payload of about 400 bytes each). Prints figures; asserts nothing about them.
#
#   scripts/bench-export-memory.sh        (needs target/server/collector: cargo build --profile server -p collector)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${COLLECTOR:-target/server/collector}
[ -x "$bin" ] || { echo "$bin is missing: cargo build --profile server -p collector" >&2; exit 2; }
if [ -z "${COLLECTOR_TEST_POSTGRES:-}" ]; then exec scripts/postgres.sh "$0" "$@"; fi
dir=$(mktemp -d -t export-memory.XXXXXX)
trap 'rm -rf "$dir"' EXIT
base=${COLLECTOR_TEST_POSTGRES%/*}

# One payload per row: its id from the row's number, answers as a person might give them.
answers='"answers":{"services":["housing","mental_health"],"ways":["phone","video"],"rate_phone":4,"rate_video":2,"speed":"slower","set_back":true,"keep":"Phone calls when I could not travel, and someone who knew my name. Being able to text when I could not talk.","prefer":"mix","involved":false}'
row_sql() { # $1: the SQL expression of the row's number
  cat <<SQL
'00000000-0000-4000-8000-' || lpad(CAST($1 AS TEXT), 12, '0'), 'remote-support', '2026-11-23', '2026-11-23T10:00:00.000Z', '2026-11-24T10:00:00.000Z', 'en',
'{"schema_version":1,"submission_id":"00000000-0000-4000-8000-' || lpad(CAST($1 AS TEXT), 12, '0') || '","form_id":"remote-support","form_version":"2026-11-23","sent_at":"2026-11-23T10:00:00.000Z","language":"en",$answers}'
SQL
}

peak() { # the export's peak memory in MB, its output thrown away
  local kb
  kb=$( { /usr/bin/time -f "%M" "$bin" export "$@" --forms public/forms >/dev/null; } 2>&1 | tail -n 1)
  echo "scale=1; $kb / 1024" | bc
}

echo '[]' >"$dir/none.json"
for n in 100000 1000000; do
  # SQLite: the schema from the collector itself (an import of nothing makes the database), the rows from a
  # recursive CTE.
  db="$dir/sqlite-$n.sqlite"
  "$bin" import "$dir/none.json" --db "$db" --forms public/forms >/dev/null
  sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
    INSERT INTO submissions (submission_id, form_id, form_version, sent_at, received_at, language, payload)
    SELECT $(row_sql i | sed "s/lpad(CAST(i AS TEXT), 12, '0')/printf('%012d', i)/g") FROM n;"
  # PostgreSQL: a database of its own, the schema from the collector, the rows from generate_series.
  psql -q "$COLLECTOR_TEST_POSTGRES" -c "CREATE DATABASE export_$n" >/dev/null
  url="$base/export_$n"
  "$bin" import "$dir/none.json" --db "$url" --forms public/forms >/dev/null
  psql -q "$url" -c "INSERT INTO submissions (submission_id, form_id, form_version, sent_at, received_at, language, payload)
    SELECT $(row_sql i) FROM generate_series(1, $n) AS i" >/dev/null
done

for backend in SQLite PostgreSQL; do
  for format in jsonl csv; do
    small_db="$dir/sqlite-100000.sqlite" big_db="$dir/sqlite-1000000.sqlite"
    [ "$backend" = PostgreSQL ] && small_db="$base/export_100000" big_db="$base/export_1000000"
    small=$(peak --db "$small_db" --format "$format" --form remote-support)
    big=$(peak --db "$big_db" --format "$format" --form remote-support)
    printf '%-10s %-5s export: 100,000 rows %6s MB peak; 1,000,000 rows %6s MB peak (%sx)\n' \
      "$backend" "$format" "$small" "$big" "$(echo "scale=2; $big / $small" | bc)"
  done
done
