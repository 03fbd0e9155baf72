#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it: lint, types, then every test on SQLite and
# again on PostgreSQL (a real server: SECURACT_TEST_DATABASE_URL, else a throwaway one).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "== Lint (ruff)"
$bin/ruff check src tests deploy
$bin/ruff format --check src tests deploy
echo "== Types (mypy)"
$bin/mypy
echo "== Layers (import-linter: pyproject.toml, docs/architecture.md)"
$bin/lint-imports

echo "== Tests on SQLite"
env -u SECURACT_DATABASE_URL $bin/pytest "$@"

echo "== Tests on PostgreSQL"
pg_url=$(scripts/test-postgres.sh start)
if [[ -z ${SECURACT_TEST_DATABASE_URL:-} ]]; then
  pg_dir=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).hostname or ""))' "$pg_url")
  trap 'scripts/test-postgres.sh stop "$pg_dir"' EXIT
fi
SECURACT_DATABASE_URL=$pg_url $bin/pytest "$@"
