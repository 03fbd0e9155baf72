"""Issue 9, item 8: ``securact start`` (what ``make run`` runs), stopped by Ctrl-C (SIGINT to
its process group, as a terminal sends it) or by SIGTERM, stops every process it started and
their descendants — LibreOffice and unoserver included, started here by a draft's preview —
leaves no port listening and prints no traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.processes import BIN, free_port, port_open, wait_for

pytestmark = [pytest.mark.tls, pytest.mark.slow]

STARTUP_SECONDS = 240


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return "?"


def _environment(tmp_path: Path) -> tuple[dict[str, str], dict[str, int]]:
    ports = {name: free_port() for name in ("PORT", "DEMO_PKI_PORT", "SMTP_PORT", "UNOSERVER_PORT")}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SECURACT_")
        and key not in ("SOFTHSM2_CONF", "DJANGO_SETTINGS_MODULE")
    }
    env.update({f"SECURACT_{name}": str(port) for name, port in ports.items()})
    env["SECURACT_DATA_DIR"] = str(tmp_path / "data")
    env["SECURACT_WORKERS"] = "1"
    return env, ports


def _preview_an_office_act(base: str, data_dir: Path, act: Path) -> None:
    """Declare the demo bailiff's vault, add an ODT to the draft and preview it: the web
    process starts unoserver and its LibreOffice."""
    demo = data_dir / "demo"
    records = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    bailiff = next(r for r in records if r["label"] == "bailiff-durand")
    with requests.Session() as session:
        session.trust_env = False
        session.cert = (bailiff["auth_cert"], bailiff["auth_key"])
        session.verify = str(demo / "pki" / "trust" / "roots.pem")
        page = session.get(base + "/declaration/", timeout=60)
        assert page.status_code == 200, page.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None, page.text[:500]
        headers = {"Referer": base + "/declaration/", "X-CSRFToken": token.group(1)}
        session.post(base + "/declaration/", headers=headers, timeout=60)
        with act.open("rb") as handle:
            added = session.post(
                base + "/signifier/actes/",
                files={"file": ("acte.odt", handle)},
                headers={**headers, "Referer": base + "/signifier/"},
                timeout=60,
            )
        assert added.status_code == 200, re.findall(r'<p class="lead">(.*?)</p>', added.text)
        file_id = re.search(r"/signifier/actes/([^/]+)/apercu/", added.text)
        assert file_id is not None, added.text[:1000]
        preview = session.get(
            f"{base}/signifier/actes/{file_id.group(1)}/apercu/",
            headers={"HX-Request": "true"},
            timeout=240,
        )
        assert preview.status_code == 200, preview.text[:500]


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_start_stops_every_process_and_port(how, acts, tmp_path):
    env, ports = _environment(tmp_path)
    output = tmp_path / "start.log"
    with output.open("wb") as log:
        start = subprocess.Popen(
            [str(BIN / "securact"), "start"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    started: set[int] = set()
    try:
        every_port = lambda: all(port_open(ports[name]) for name in ("PORT", "DEMO_PKI_PORT"))  # noqa: E731
        wait_for(every_port, "securact start", start, STARTUP_SECONDS)
        base = f"https://localhost:{ports['PORT']}"
        _preview_an_office_act(base, tmp_path / "data", acts[2])
        assert port_open(ports["UNOSERVER_PORT"]), "unoserver did not start"
        started = _descendants(start.pid)
        commands = " ".join(_command(pid) for pid in started)
        assert "soffice" in commands and "unoserver" in commands, commands

        if how == "ctrl-c":
            os.killpg(start.pid, signal.SIGINT)
        else:
            start.send_signal(signal.SIGTERM)
        start.wait(timeout=90)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in started):
            time.sleep(0.2)
        left = {pid: _command(pid) for pid in started if _alive(pid)}
        assert left == {}
        listening = {name: port for name, port in ports.items() if port_open(port)}
        assert listening == {}
        text = output.read_text(errors="replace")
        assert "Traceback" not in text, text[-3000:]
        assert start.returncode == 0, text[-2000:]
    finally:
        for pid in [start.pid, *(started or _descendants(start.pid))]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        start.wait()
