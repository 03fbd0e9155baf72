"""Issue 12, item 5, end to end — WAITING FOR `securact.bundles` (branch i12-bundle): skipped
only while `securact.bundles.bundle` (or the bundle tests' `serve_answered`) cannot be
imported; the lead enables it by merging that branch.

A PDF and a DOCX served through real workers, delivered in person, answered; the evidence
bundle built by the service; `securact-verify` with the PKI stopped (no network): only `OK`
lines and exit 0, with the demo roots given and with the bundle's own. Then one byte changed
in each member in turn: exit 1, naming that member. Then a journal entry altered in the
database and a new bundle: exit 1, naming the entry."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.db import connection

from securact.pki.demo_pki import DemoLayout
from securact_verifier.cli import main, verify
from tests.evidence import verifier_bundle as vb

bundles = pytest.importorskip(
    "securact.bundles.bundle", reason="waiting for securact.bundles (branch i12-bundle)"
)
bundle_fixtures = pytest.importorskip(
    "tests.bundles.conftest", reason="waiting for the bundle tests (branch i12-bundle)"
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_the_verifier_on_a_served_delivered_answered_signification(
    declared_bailiff,
    acts,
    workers,
    tmp_path: Path,
    demo_layout: DemoLayout,
    pki_server,
    triggers_off_later,
    capsys: pytest.CaptureFixture[str],
) -> None:
    workers.start(2)
    signification = bundle_fixtures.serve_answered(declared_bailiff, acts, tmp_path)
    out = tmp_path / "dossier.zip"
    bundles.build_bundle(signification.pk, out)
    roots = str(demo_layout.trust / "roots.pem")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        members = {name: archive.read(name) for name in names}
    assert sum(n.startswith("actes/") and n.endswith(".pdf") for n in names) == 2
    assert {"certificats/depot.xml", "message-de-donnees.xml"} <= set(names)
    assert any(n.startswith("certificats/remise") for n in names)
    assert any(n.startswith("retours/") for n in names)

    pki_server.stop()  # offline: no OCSP, no CRL, no TSA
    try:
        capsys.readouterr()
        report = tmp_path / "rapport.html"
        assert main([str(out), "--trust", roots, "--report", str(report)]) == 0
        lines = _lines(capsys)
        assert all(line.startswith("OK ") for line in lines[:-1]), "\n".join(lines)
        assert lines[-1].startswith("VERDICT : dossier vérifié")
        assert main([str(out)]) == 0  # the bundle's own roots, with a warning
        assert _lines(capsys)[0].startswith("ATTENTION")

        for name in names:
            changed = vb.rewrite_member(
                out, tmp_path / "changed.zip", name, vb.flip_one_byte(members[name])
            )
            assert main([str(changed), "--trust", roots]) == 1, name
            failed = {c.subject for c in verify(changed, Path(roots)).checks if not c.ok}
            assert name in failed, (name, failed)
        capsys.readouterr()
    finally:
        pki_server.start()

    # A journal entry of this signification rewritten in the database, then a new bundle.
    sequence = int(next(n for n in names if n.startswith("journal/entries/")).split("/")[-1][:-5])
    with triggers_off_later(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evidence_journalentry SET actor = %s WHERE sequence = %s",
            ["f" * 64, sequence],
        )
    again = tmp_path / "nouveau.zip"
    bundles.build_bundle(signification.pk, again)
    assert main([str(again), "--trust", roots]) == 1
    failed = {c.subject for c in verify(again, Path(roots)).checks if not c.ok}
    assert f"journal/entries/{sequence}.json" in failed, failed


@pytest.fixture
def triggers_off_later(request: pytest.FixtureRequest):
    """`triggers_off` (tests/evidence/conftest.py) as a context manager, used once the
    bundle is checked: the journal's triggers dropped, as a tamperer with SQL access would."""
    import contextlib

    @contextlib.contextmanager
    def off():
        request.getfixturevalue("triggers_off")
        yield

    return off
