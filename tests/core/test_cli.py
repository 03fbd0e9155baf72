"""`securact` as a user types it: its help is French and lists SECURACT's own commands
first, each with one line; the password and development-server commands are refused."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.processes import BIN

SECURACT_COMMANDS = [
    "start",
    "worker",
    "serve",
    "declare",
    "demo_pki",
    "demo_data",
    "add_operator",
    "check_journal",
    "vault",
    "sweep_deliveries",
    "bench",
]
REFUSED = ["changepassword", "createsuperuser", "runserver", "testserver"]


def _securact(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "securact"), *args],
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("asking", [["--help"], ["help"], []])
def test_the_main_help_lists_securact_commands_first_in_french(asking):
    done = _securact(*asking)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Commandes SECURACT" in text
    assert text.index("Commandes SECURACT") < text.index("migrate")
    for name in SECURACT_COMMANDS:
        line = next((ln for ln in text.splitlines() if ln.split()[:1] == [name]), "")
        assert line, f"{name} is not listed"
        assert len(line.split()) > 2, f"{name} has no description: {line!r}"
    assert "check_journal" in text and "migrate" in text
    assert "Available subcommands" not in text and "Type '" not in text


def test_the_main_help_does_not_offer_password_or_development_server_commands():
    text = _securact("--help").stdout
    for name in REFUSED:
        assert not re.search(rf"\b{name}\b", text), name


@pytest.mark.parametrize("name", REFUSED)
def test_password_and_development_server_commands_are_refused_in_french(name):
    for args in ([name], ["help", name]):
        done = _securact(*args)
        assert done.returncode != 0
        assert "refusée" in done.stderr and "certificat" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["serve", "declare", "migrate"])
def test_a_command_help_is_french_options_included(name):
    done = _securact(name, "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "utilisation :" in text
    assert "Affiche cette aide" in text
    for english in ("show this help", "Verbosity level", "Display a full stack", "usage:"):
        assert english not in text


def test_every_serve_option_is_explained():
    text = _securact("serve", "--help").stdout
    flat = " ".join(text.split())
    assert "certificat d'authentification" in flat
    assert "--timeout" in flat and "secondes" in flat
    for status in ("0", "1", "2"):
        assert f"{status} :" in flat or f"{status} =" in flat
    options = re.findall(r"^\s+(--[a-z-]+)", text, flags=re.MULTILINE)
    assert {"--bailiff-cert", "--pin-file", "--out", "--elements", "--timeout"} <= set(options)
    for option in ("--bailiff-cert", "--recipient", "--nature", "--reference", "--pin-file"):
        block = text.split(option, 1)[1].split("\n  -", 1)[0]
        assert len(block.split()) > 3, f"{option} has no help"


# `start`'s --port and --bind: their help comes with the stopping work on start.py.
@pytest.mark.parametrize("name", [n for n in SECURACT_COMMANDS if n != "start"])
def test_every_option_of_a_securact_command_is_explained_in_french(name):
    text = _securact(name, "--help").stdout
    for english in ("regenerate", "URL where", "usage:"):
        assert english not in text
    body = text.split("\narguments:", 1)[-1].split("\noptions:", 1)
    entries = re.findall(r"^  (\S[^\n]*)((?:\n {10,}[^\n]*)*)", "\n".join(body), flags=re.MULTILINE)
    for head, more in entries:
        parts = re.split(r"\s{2,}", head.strip(), maxsplit=1)
        assert len(parts) == 2 or more.strip(), f"{name}: {head.strip()} has no help"


def test_an_unknown_command_is_answered_in_french_with_the_closest_one():
    done = _securact("serv")
    assert done.returncode == 1
    assert "Commande inconnue : « serv »" in done.stderr
    assert "« serve »" in done.stderr
    assert "Unknown command" not in done.stderr
