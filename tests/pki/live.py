"""A gunicorn of the test's own, over real TLS, started fresh (cold) for one test, with a
data folder the test can look into."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from securact.pki.demo_pki import DemoLayout
from tests.conftest import TEST_ROOT, gunicorn_command, server_environment
from tests.processes import free_port, port_open, running


@contextmanager
def fresh_gunicorn(
    layout: DemoLayout, threads: int = 4, **extra: str
) -> Iterator[tuple[str, Path]]:
    """The app's base URL and its data folder, while a new gunicorn serves it."""
    port = free_port()
    env = server_environment(layout, SECURACT_THREADS=str(threads), **extra)
    with running(
        gunicorn_command(layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=env,
        log=TEST_ROOT / f"gunicorn-{port}.log",
    ):
        yield f"https://localhost:{port}", Path(env["SECURACT_DATA_DIR"])
