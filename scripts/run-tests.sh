#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it: lint, types, then every test on SQLite and
# again on PostgreSQL (a real server: SECURACT_TEST_DATABASE_URL, else a throwaway one). Both
# runs share one S3 server for the vault's object-store tests (SECURACT_TEST_S3_ENDPOINT_URL,
# else a throwaway moto server); whatever this script started is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== Lint (ruff)"
$bin/ruff check src tests deploy verifier edi-client
$bin/ruff format --check src tests deploy verifier edi-client
echo "== Types (mypy)"
$bin/mypy
echo "== Layers (import-linter: pyproject.toml, docs/architecture.md)"
$bin/lint-imports

# One EXIT trap stops every server this script started (a second `trap … EXIT` would
# replace the first).
s3_started="" pg_dir=""
cleanup() {
  if [[ -n $pg_dir ]]; then scripts/test-postgres.sh stop "$pg_dir" || true; fi
  if [[ -n $s3_started ]]; then scripts/test-s3.sh stop "$s3_started" || true; fi
}
trap cleanup EXIT

echo "== S3 server (moto)"
s3_url=$(scripts/test-s3.sh start)
[[ -n ${SECURACT_TEST_S3_ENDPOINT_URL:-} ]] || s3_started=$s3_url
export SECURACT_TEST_S3_ENDPOINT_URL=$s3_url
echo "$s3_url"

echo "== PostgreSQL server"
pg_url=$(scripts/test-postgres.sh start)
if [[ -z ${SECURACT_TEST_DATABASE_URL:-} ]]; then
  pg_dir=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).hostname or ""))' "$pg_url")
fi

# The SQLite and the PostgreSQL passes run side by side (much of each is spent waiting on
# workers, LibreOffice, the TSA and browsers): each has its own PKI port and scratch folder
# (SECURACT_TEST_RUN, see tests/conftest.py; PostgreSQL's PKI on port + 2, since the bench
# takes 9792) and its own log, printed when both are done.
# Side by side only with SECURACT_TEST_PARALLEL=1 for now: not yet measured on a quiet
# machine (on a loaded one, timing-bound tests failed), so the default stays one after the
# other, streaming their output.
pki_port=${SECURACT_TEST_PKI_PORT:-9791}
sqlite_pass() {
  env -u SECURACT_DATABASE_URL SECURACT_TEST_RUN=sqlite SECURACT_TEST_PKI_PORT=$pki_port \
    $bin/pytest "$@"
}
postgres_pass() {
  SECURACT_DATABASE_URL=$pg_url SECURACT_TEST_RUN=postgresql \
    SECURACT_TEST_PKI_PORT=$((pki_port + 2)) $bin/pytest "$@"
}

if [[ -z ${SECURACT_TEST_PARALLEL:-} ]]; then
  echo "== Tests on SQLite"
  sqlite_pass "$@"
  echo "== Tests on PostgreSQL"
  postgres_pass "$@"
  exit 0
fi

mkdir -p var/test
echo "== Tests on SQLite and on PostgreSQL, side by side (logs: var/test/pass-*.log)"
sqlite_pass "$@" >var/test/pass-sqlite.log 2>&1 &
sqlite_pid=$!
postgres_pass "$@" >var/test/pass-postgresql.log 2>&1 &
postgres_pid=$!
sqlite_status=0 postgres_status=0
wait $sqlite_pid || sqlite_status=$?
wait $postgres_pid || postgres_status=$?
echo "== Tests on SQLite"
cat var/test/pass-sqlite.log
echo "== Tests on PostgreSQL"
cat var/test/pass-postgresql.log
[[ $sqlite_status -eq 0 ]] || echo "FAILED: the SQLite pass (exit $sqlite_status)" >&2
[[ $postgres_status -eq 0 ]] || echo "FAILED: the PostgreSQL pass (exit $postgres_status)" >&2
[[ $sqlite_status -eq 0 && $postgres_status -eq 0 ]]
