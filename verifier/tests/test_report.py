"""The HTML report escapes what it shows and stands alone (no external resource)."""

from __future__ import annotations

from pathlib import Path

from securact_verifier.bundle import Check
from securact_verifier.report import render


def test_report_escapes_and_stands_alone() -> None:
    checks = [
        Check(True, "actes/<b>.pdf", "signature de <script>alert(1)</script> valide"),
        Check(False, "journal/entries/1.json", "preuve & racine différentes"),
    ]
    html = render(Path("dossier <x>.zip"), checks, ["ATTENTION : <i>"], "VERDICT : échec")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "actes/&lt;b&gt;.pdf" in html and "preuve &amp; racine" in html
    assert "&lt;i&gt;" in html and "dossier &lt;x&gt;.zip" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert 'lang="fr"' in html and html.count("<tr>") == 3
