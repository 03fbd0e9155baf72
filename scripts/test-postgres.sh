#!/usr/bin/env bash
# PostgreSQL for the test suite.
#   start: prints a database URL. SECURACT_TEST_DATABASE_URL if set (it must answer),
#          else a throwaway server started from the installed PostgreSQL binaries,
#          listening on a unix socket only (no port to collide with); fsync off for the
#          tests, on when SECURACT_PG_DURABLE=1 (the benchmarks: a commit is on disk).
#   stop DIR: stops and removes the throwaway server started in DIR.
set -euo pipefail
action=${1:?start|stop}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir ]] || { echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

case $action in
  start)
    if [[ -n ${SECURACT_TEST_DATABASE_URL:-} ]]; then
      echo "$SECURACT_TEST_DATABASE_URL"
      exit 0
    fi
    bin=$(pg_bin)
    # digits only: URL host names are case-folded, so the path must survive lower-casing
    dir=/tmp/securact-pg-$(date +%s%N)-$$
    mkdir "$dir"
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    options="-k $dir -c listen_addresses='' -p 5432"
    [[ ${SECURACT_PG_DURABLE:-0} == 1 ]] || options+=" -c fsync=off -c full_page_writes=off"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@${dir//\//%2F}:5432/securact"
    ;;
  stop)
    dir=${2:?stop needs the server directory}
    [[ -d $dir/data ]] || exit 0
    as_postgres "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
esac
