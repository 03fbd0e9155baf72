"""The page benchmark's databases, fresh on every run.

* SQLite: ``var/bench/pages.sqlite3`` (never the process benchmark's ``securact.sqlite3``,
  never ``var/securact.sqlite3`` of ``make run``).
* PostgreSQL: ``SECURACT_BENCH_DATABASE_URL`` if set — its database is dropped and created
  again, so its name must contain ``bench`` and the role needs ``CREATEDB`` — else a
  throwaway server started by ``scripts/test-postgres.sh`` (a unix socket in ``/tmp``,
  durable: ``fsync`` on, unlike the tests' server), stopped and removed on the way out,
  also on an error or Ctrl-C. The
  trigram indexes' migration creates the ``pg_trgm`` extension: a trusted extension since
  PostgreSQL 13, so the database owner may (the throwaway server's superuser can).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import dj_database_url
import psycopg
from django.conf import settings
from psycopg import sql

from securact.bench.environment import BenchPaths

BENCH_DATABASE_URL = "SECURACT_BENCH_DATABASE_URL"
BENCH_DATABASE_NAME = "securact_bench_pages"
SQLITE_NAME = "pages.sqlite3"
SCRIPT = Path(settings.REPO_DIR) / "scripts" / "test-postgres.sh"


@contextlib.contextmanager
def sqlite_database(paths: BenchPaths) -> Iterator[str]:
    database = paths.root / SQLITE_NAME
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    yield f"sqlite:///{database}"


@contextlib.contextmanager
def postgresql_database(given: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database's URL (see the module's docstring)."""
    given = given if given is not None else os.environ.get(BENCH_DATABASE_URL, "")
    if given:
        name = urlsplit(given).path.lstrip("/")
        if "bench" not in name:
            raise RuntimeError(
                f"{BENCH_DATABASE_URL}: the database is dropped and created again; its name "
                f"must contain 'bench' (got {name!r})"
            )
        recreate(given)
        yield given
        return
    with throwaway_server() as server_url:
        url = server_url.rsplit("/", 1)[0] + f"/{BENCH_DATABASE_NAME}"
        recreate(url)
        yield url


def recreate(url: str) -> None:
    """Drop and create the URL's database, connected to the server's ``postgres`` one."""
    config = dj_database_url.parse(url)
    name = config["NAME"]
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as maintenance:
        quoted = sql.Identifier(name)
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(quoted))
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(quoted))


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SECURACT_TEST_DATABASE_URL"}
    environment["SECURACT_PG_DURABLE"] = "1"  # measured as in production: commits on disk
    started = subprocess.run(
        [str(SCRIPT), "start"], env=environment, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()}")
    url = started.stdout.strip().splitlines()[-1]
    directory = unquote(urlsplit(url).hostname or "")
    try:
        yield url
    finally:
        subprocess.run([str(SCRIPT), "stop", directory], env=environment, check=False)


def redacted(url: str) -> str:
    """The URL without its password, for the report."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = quote(unquote(parts.username or ""), safe="")
    netloc = f"{user}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()
