"""`make help` and the README as a newcomer reads them: every public target is listed,
every port variable is in the Quick start, and no link leaves the repository."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO


def _quick_start() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_make_help_lists_every_public_target():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    assert {"run", "test", "install", "lint", "types", "bench", "messages", "clean-test"} <= targets
    shown = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = set(re.findall(r"^make ([a-z][a-z-]*)", shown, flags=re.MULTILINE))
    assert targets - {"help"} <= listed, targets - listed


def test_the_quick_start_names_every_port_variable():
    settings = (REPO / "src/securact/settings.py").read_text(encoding="utf-8")
    ports = set(re.findall(r'env\("([A-Z_]*PORT)"', settings))
    assert {"PORT", "DEMO_PKI_PORT", "SMTP_PORT", "UNOSERVER_PORT"} <= ports
    quick_start = _quick_start()
    for name in ports:
        assert f"`SECURACT_{name}`" in quick_start, name


def test_the_readme_points_to_nothing_outside_the_repository():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme
    for path in re.findall(r"`((?:docs|samples)/[^`*]+)`", readme):
        assert (REPO / path.split()[0]).exists(), path
