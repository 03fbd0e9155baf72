"""The README's Quick start, followed as written on a fresh data directory: `make run`'s
supervisor (`securact start`) brings up the whole stack with its demo PKI, then the
commands of the README's second block — declare the demo bailiff's vault, write her PIN
file, serve the shipped sample acts — run word for word in a shell, and so does the curl
example. The commands are read from the README itself, so README and test cannot drift.

The one thing set around them: the art. 664 clock (hours, Sundays, holidays), relaxed as
the README's note says, so that the test passes at any hour; the legal clock has its own
tests (tests/core/test_legal_hours.py)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from securact.significations.models import Step
from securact.significations.process import ORDER
from tests.conftest import REPO
from tests.processes import BIN, free_port, port_open, wait_for

pytestmark = pytest.mark.slow

README = REPO / "README.md"
# The six service steps (event steps — delivery certificate, act return — come later).
STEP_LABELS = [str(Step.Name(name).label) for name in ORDER]


def readme_block(marker: str) -> str:
    """The ```sh block that follows ``<!-- quick-start: {marker} … -->`` in the README."""
    text = README.read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- quick-start: {marker}\b[^>]*-->\s*```sh\n(.*?)```", text, flags=re.DOTALL
    )
    assert found, f"no quick-start block {marker!r} in the README"
    return found.group(1)


def _own_processes(needle: str) -> list[int]:
    """Processes whose command line names our temporary folder (a LibreOffice the worker
    started in its own session, should the supervisor leave it behind)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return [pid for pid in pids if pid != os.getpid()]


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """A directory laid out like the clone: .venv and samples/ from the repository, var/
    empty (the data directory, as on a first `make run`)."""
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    (tmp_path / "samples").symlink_to(REPO / "samples")
    return tmp_path


@pytest.fixture
def stack(fresh_clone: Path) -> Iterator[dict[str, str]]:
    """`make run` without its install step: `securact start` on free ports."""
    assert "make run" in readme_block("run")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SECURACT_") and key != "SOFTHSM2_CONF"
    }
    port = free_port()
    env.update(
        SECURACT_DATA_DIR=str(fresh_clone / "var"),
        SECURACT_PORT=str(port),
        SECURACT_DEMO_PKI_PORT=str(free_port()),
        SECURACT_SMTP_PORT=str(free_port()),
        SECURACT_UNOSERVER_PORT=str(free_port()),
        SECURACT_ENFORCE_LEGAL_HOURS="0",
        SECURACT_ENFORCE_SUNDAYS="0",
        SECURACT_ENFORCE_HOLIDAYS="0",
    )
    log = (fresh_clone / "start.log").open("wb")
    supervisor = subprocess.Popen(
        [str(BIN / "securact"), "start"],
        cwd=fresh_clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # The user types the next block once start has printed its summary: by then every
        # server listens (the web, and the PKI that answers the certificate checks).
        pki = int(env["SECURACT_DEMO_PKI_PORT"])
        ready = lambda: port_open(port) and port_open(pki)  # noqa: E731
        wait_for(ready, "securact start", supervisor, timeout=300)
        yield env
    finally:
        supervisor.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            supervisor.kill()
        log.close()
        for pid in _own_processes(str(fresh_clone)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _shell(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_quick_start_declares_the_vault_and_serves_the_samples(fresh_clone, stack):
    served = _shell(readme_block("serve"), fresh_clone, stack)
    assert served.returncode == 0, served.stdout + served.stderr
    assert "Coffre-fort déclaré pour Claire DURAND" in served.stdout
    report = json.loads(served.stdout[served.stdout.index("{") :])
    assert report["succeeded"], report
    assert set(report["steps"]) == {str(name) for name in ORDER}
    assert set(report["steps"].values()) == {"done"}
    # Progress: each step's change to « terminée » printed once, in French, on stderr.
    for label in STEP_LABELS:
        assert served.stderr.count(f"{label} : terminée") == 1, served.stderr
    assert " INFO " not in served.stderr, served.stderr
    # The PIN file is the user's alone; the outputs are under var/serve/<reference>/.
    pin_file = fresh_clone / "var/demo/durand.pin"
    assert pin_file.stat().st_mode & 0o777 == 0o600
    out = Path(report["out"])
    assert out.parent == fresh_clone / "var" / "serve"
    names = {path.name for path in out.iterdir()}
    assert sum(name.endswith(".pdf") for name in names) == 3
    assert sum(name.endswith(".pdf.p7s") for name in names) == 3
    assert "attestation_depot.xml" in names
    assert any(name.endswith(".zip") for name in names)

    # The curl example, on this stack's port: it shows the answer (now the dashboard).
    port = stack["SECURACT_PORT"]
    curl = readme_block("curl").replace("localhost:8443", f"localhost:{port}")
    shown = _shell(curl, fresh_clone, stack)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"^HTTP/\S+ 200", shown.stdout, flags=re.MULTILINE), shown.stdout[:500]
    assert "Claire DURAND" in shown.stdout
