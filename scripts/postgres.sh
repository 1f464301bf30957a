#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: scripts/postgres.sh COMMAND [ARGS...]
#
# Installs Debian's postgresql package if initdb is missing, makes a cluster in a new temporary folder (as the
# postgres user, which PostgreSQL needs when run by root), starts it on a free port of 127.0.0.1 only (its
# socket in that folder too), prints the URL, runs COMMAND with COLLECTOR_TEST_POSTGRES set to it (and
# COLLECTOR_TEST_PG_STOP and COLLECTOR_TEST_PG_START, commands that stop the server and start it again), then
# stops the server and removes the folder, whatever COMMAND did. Exits with COMMAND's status. Every step is
# bounded in time.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/postgres.sh COMMAND [ARGS...]" >&2; exit 2; }

say() { printf '\033[1m[postgres]\033[0m %s\n' "$*" >&2; }

# Debian puts the binaries under /usr/lib/postgresql/VERSION/bin, not on PATH.
find_bin() {
  if command -v initdb >/dev/null; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  say "installing Debian's postgresql package (once)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin || true)
  [ -n "$bin" ] || { say "initdb is still missing after installing postgresql"; exit 1; }
fi

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user when this runs as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d -t collector-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
data="$dir/data"
pg_ctl=("$bin/pg_ctl" -D "$data")

stop() {
  status=$?
  if [ -f "$data/postmaster.pid" ]; then
    as_owner timeout 60 "${pg_ctl[@]}" -w -t 30 -m fast stop >/dev/null 2>&1 ||
      as_owner timeout 30 "${pg_ctl[@]}" -w -t 20 -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# trust on 127.0.0.1 and the socket: the server is reachable only from this machine, and only while it runs.
as_owner timeout 120 "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

# A port that nothing answers on; pg_ctl fails if it is taken meanwhile, and the next one is tried.
started=
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  if as_owner timeout 60 "${pg_ctl[@]}" -w -t 30 -l "$dir/server.log" \
    -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null; then
    started=1
    break
  fi
done
[ -n "$started" ] || { say "the server did not start; its log:"; cat "$dir/server.log" >&2; exit 1; }

export COLLECTOR_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
# Two commands for the tests that stop the server mid-load and start it again on the same port.
run_as=""
[ "$(id -u)" = 0 ] && run_as="runuser -u postgres --"
printf '#!/bin/sh\nexec %s timeout 60 %s -D %s -w -t 30 -m fast stop\n' "$run_as" "$bin/pg_ctl" "$data" >"$dir/stop"
printf '#!/bin/sh\nexec %s timeout 60 %s -D %s -w -t 30 -l %s -o "%s" start\n' \
  "$run_as" "$bin/pg_ctl" "$data" "$dir/server.log" "-h 127.0.0.1 -p $port -k $dir" >"$dir/start"
chmod 755 "$dir/stop" "$dir/start"
export COLLECTOR_TEST_PG_STOP="$dir/stop" COLLECTOR_TEST_PG_START="$dir/start"
say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $COLLECTOR_TEST_POSTGRES (cluster in $data)"
set +e
"$@"
