#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it: lint, types, then every test on SQLite and
# again on PostgreSQL (a real server: SECURACT_TEST_DATABASE_URL, else a throwaway one). Both
# runs share one S3 server for the vault's object-store tests (SECURACT_TEST_S3_ENDPOINT_URL,
# else a throwaway moto server); whatever this script started is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== Lint (ruff)"
$bin/ruff check src tests deploy verifier
$bin/ruff format --check src tests deploy verifier
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

echo "== Tests on SQLite"
env -u SECURACT_DATABASE_URL $bin/pytest "$@"

echo "== Tests on PostgreSQL"
pg_url=$(scripts/test-postgres.sh start)
if [[ -z ${SECURACT_TEST_DATABASE_URL:-} ]]; then
  pg_dir=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).hostname or ""))' "$pg_url")
fi
SECURACT_DATABASE_URL=$pg_url $bin/pytest "$@"
