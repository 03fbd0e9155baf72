"""Issue 10, item 1: one place in the code does the serve sequence (PIN, files, creation,
signing session). The web form, ``securact serve`` and the benchmark's serving helper each
only build a ``serving.ServeRequest`` and a ``serving.Signer`` and call
``workflow.serving.serve``; a refusal it raises is each one's own answer, in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from securact.directory.models import ActNature, Recipient
from securact.significations.models import Signification
from securact.significations.services import ServiceRefused
from securact.workflow import serving

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "securact"
REFUSAL = "Refus du service unique (test)."


class Recorder:
    """Stands in for the one serve call: records what each entry point asked, refuses."""

    def __init__(self) -> None:
        self.calls: list[tuple[serving.ServeRequest, serving.Signer]] = []

    def __call__(self, request, signer, **_options):
        self.calls.append((request, signer))
        raise ServiceRefused(REFUSAL)


@pytest.fixture
def one_call(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(serving, "serve", recorder)
    return recorder


def _pdf(path: Path) -> Path:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path)
    return path


def test_only_the_serve_call_creates_a_signification_in_src():
    callers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if re.search(r"\bcreate_signification\(", path.read_text(encoding="utf-8"))
    )
    # recording.py defines it; serving.py is the one caller.
    assert callers == ["workflow/recording.py", "workflow/serving.py"]
    defining = (SRC / "workflow" / "recording.py").read_text(encoding="utf-8")
    assert len(re.findall(r"\bcreate_signification\(", defining)) == 1


def test_the_web_form_serves_through_the_one_call(one_call, signed_in, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    client = signed_in("bailiff-durand")
    pdf = _pdf(tmp_path / "acte.pdf").read_bytes()
    client.post("/signifier/actes/", {"file": SimpleUploadedFile("acte.pdf", pdf)}, secure=True)
    page = client.get("/signifier/", secure=True).content.decode()
    key = page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    bank = Recipient.objects.get(name="BANQUE TEST")
    answer = client.post(
        "/signifier/",
        {
            "reference": "ONE-WEB",
            "recipient": bank.pk,
            "nature": ActNature.objects.get(code="mainlevee").pk,
            "certificate": key,
            "pin": "123456",
        },
        secure=True,
    )
    assert answer.status_code == 400
    assert REFUSAL in answer.content.decode()
    [(request, signer)] = one_call.calls
    assert (request.reference, request.recipient, request.source) == ("ONE-WEB", bank, "web")
    assert [f.name for f in request.files] == ["acte.pdf"]
    assert "123456" not in repr(signer)  # the PIN is held, never shown
    assert Signification.objects.count() == 0


def test_the_command_serves_through_the_one_call(one_call, declared_bailiff, pki_server, tmp_path):
    from securact.workflow.cli import ServeRequest, serve

    pin_file = tmp_path / "pin"
    pin_file.write_text("123456")
    result = serve(
        ServeRequest(
            bailiff_cert=Path(declared_bailiff.cert),
            recipient_siret="99999001300016",
            nature_code="mainlevee",
            reference="ONE-CLI",
            pin_file=pin_file,
            files=[_pdf(tmp_path / "acte.pdf")],
        )
    )
    assert result.refusal == REFUSAL and result.signification_id is None
    [(request, _signer)] = one_call.calls
    assert (request.reference, request.source) == ("ONE-CLI", "cli")
    assert [f.name for f in request.files] == ["acte.pdf"]


def test_the_benchmark_serves_through_the_one_call(
    one_call, declared_bailiff, demo_layout, tmp_path
):
    from securact.bench.serving import ActRun, resolve_party, serve_one

    party = resolve_party(demo_layout)
    run = serve_one(party, ActRun("ONE-BENCH", _pdf(tmp_path / "acte.pdf")), timeout=5)
    assert REFUSAL in run.error and run.signification_id is None
    [(request, signer)] = one_call.calls
    assert (request.reference, request.bailiff) == ("ONE-BENCH", party.bailiff)
    assert signer.token_label == party.signer.token_label


def _refusing_session(monkeypatch) -> None:
    """The PIN is right (checked on the real token) but the token fails in the session."""
    from securact.signing.errors import TokenUnavailable

    def session(*_args, **_kwargs):
        raise TokenUnavailable("Débranchée pendant la signature (test).")

    monkeypatch.setattr(serving, "run_signing_session", session)


def test_a_signing_failure_after_creation_leads_the_form_to_the_signification(
    signed_in, identities, service_dirs, tmp_path, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # service_dirs also lifts the legal calendar: this test must pass at night and on Sundays
    # (a clean-clone CI at 23:08 was refused « hors des heures légales » before it had them).
    _refusing_session(monkeypatch)
    client = signed_in("bailiff-durand")
    pdf = _pdf(tmp_path / "acte.pdf").read_bytes()
    client.post("/signifier/actes/", {"file": SimpleUploadedFile("acte.pdf", pdf)}, secure=True)
    page = client.get("/signifier/", secure=True).content.decode()
    key = page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/signifier/",
        {
            "reference": "ONE-WEB-2",
            "recipient": Recipient.objects.get(name="BANQUE TEST").pk,
            "nature": ActNature.objects.get(code="mainlevee").pk,
            "certificate": key,
            "pin": identities["bailiff-durand"].record["pin"],
        },
        secure=True,
    )
    signification = Signification.objects.get(reference="ONE-WEB-2")
    from django.urls import reverse

    assert answer.status_code == 302
    assert answer.url == reverse("web:progress", kwargs={"pk": signification.pk})
    progress = client.get(answer.url, secure=True).content.decode()
    assert "Débranchée pendant la signature (test)." in progress
    assert client.session.get("securact_draft", {}).get("files", []) == []  # the draft is done


def test_a_signing_failure_after_creation_is_reported_by_the_benchmark(
    declared_bailiff, demo_layout, service_dirs, monkeypatch, tmp_path
):
    from securact.bench.serving import ActRun, resolve_party, serve_one

    _refusing_session(monkeypatch)
    run = serve_one(resolve_party(demo_layout), ActRun("ONE-BENCH-2", _pdf(tmp_path / "a.pdf")), 5)
    assert run.signification_id == Signification.objects.get(reference="ONE-BENCH-2").pk
    assert "Débranchée pendant la signature (test)." in run.error
