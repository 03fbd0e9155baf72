"""Issue 9, item 4: an act's file name is judged the same on every entry point. A name too
long for the database (PostgreSQL: ``value too long``) is refused at upload in French, on
the web form and through ``create_signification`` (the command line, EDI); the characters
that make a name look like another (U+202E "right-to-left override" turning ``exe.pdf``
into ``fdp.exe``, the other bidirectional controls, zero-width marks, NUL…) are removed by
one function, whichever way the file came in — the web path already lost them in Django's
multipart parser, the command line kept them."""

from __future__ import annotations

import io
import json
import os
import subprocess

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.documents.uploads import MAX_NAME_CHARS, clean_file_name
from securact.evidence.models import JournalEntry
from securact.significations.models import Act, Signification
from securact.significations.services import IncomingFile, ServiceRefused
from securact.vault.models import Vault
from securact.workflow.recording import create_signification
from tests.conftest import server_environment
from tests.processes import BIN

BANQUE_TEST = "99999001300016"  # accepts the mainlevée at any legal time
LONG_NAME = "a" * 252 + ".pdf"  # 256 characters


def _pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def _serve(name: str) -> Signification:
    vault = Vault.objects.select_related("bailiff").get(owner_kind="bailiff")
    bailiff: Bailiff = vault.bailiff  # type: ignore[assignment]
    return create_signification(
        bailiff=bailiff,
        actor_fingerprint=vault.certificate_fingerprint or "",
        recipient=Recipient.objects.get(siret=BANQUE_TEST),
        nature=ActNature.objects.get(code="mainlevee"),
        reference="NOMS-1",
        files=[IncomingFile(io.BytesIO(_pdf()), name)],
        signing_certificate=b"",
        signing_token_label="t",
        source=Signification.Source.EDI,
    )


@pytest.mark.parametrize(
    "hidden",
    [
        *("\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u200e", "\u200f"),
        *("\u2066", "\u2069", "\u200b", "\ufeff", "\x00", "\x07", "\x1b", "\n", "\u2028"),
    ],
)
def test_the_cleaning_removes_every_format_and_control_character(hidden):
    assert clean_file_name(f"acte{hidden}fdp.pdf") == "actefdp.pdf"


def test_the_cleaning_keeps_letters_accents_and_spaces():
    assert clean_file_name("PV de saisie — créance n°2.pdf") == "PV de saisie — créance n°2.pdf"
    assert clean_file_name("PV\u00a0saisie.pdf") == "PV saisie.pdf"  # a no-break space


@pytest.mark.django_db
def test_the_web_form_refuses_a_name_too_long_in_french(signed_in, settings, tmp_path):
    settings.SECURACT_UPLOAD_DIR = tmp_path / "uploads"
    bailiff = signed_in("bailiff-durand")
    answer = bailiff.post(
        "/signifier/actes/", {"file": SimpleUploadedFile(LONG_NAME, _pdf())}, secure=True
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert f"dépasse {MAX_NAME_CHARS} caractères" in page
    assert "raccourcissez-le" in page
    assert not list((tmp_path / "uploads").rglob("*.upload"))


@pytest.mark.django_db
def test_create_signification_refuses_a_name_too_long_in_french(declared_bailiff, service_dirs):
    with pytest.raises(ServiceRefused) as refused:
        _serve(LONG_NAME)
    assert refused.value.field == "files"
    assert f"dépasse {MAX_NAME_CHARS} caractères" in refused.value.message
    assert Signification.objects.count() == 0
    assert not list(service_dirs.upload.rglob("*.upload"))


@pytest.mark.django_db
def test_create_signification_records_the_name_without_its_bidirectional_override(
    declared_bailiff, service_dirs
):
    signification = _serve("acte\u202efdp.exe\u202c.pdf")
    act = Act.objects.get(signification=signification)
    assert act.original_name == "actefdp.exe.pdf"
    submitted = JournalEntry.objects.get(
        signification_id=signification.pk, action="signification.submitted"
    )
    assert submitted.data["files"][0]["name"] == "actefdp.exe.pdf"


@pytest.mark.django_db(transaction=True)
def test_the_command_line_strips_a_bidirectional_override_from_the_name(
    django_db_blocker, demo_layout, tmp_path, declared_bailiff
):
    """Through `securact serve`: the refusal names the file as cleaned (nothing recorded)."""
    with django_db_blocker.unblock():
        env = server_environment(
            demo_layout,
            SECURACT_UPLOAD_DIR=str(tmp_path / "uploads"),
            SOFTHSM2_CONF=str(demo_layout.softhsm_conf),
            SECURACT_ENFORCE_LEGAL_HOURS="0",
            SECURACT_ENFORCE_SUNDAYS="0",
            SECURACT_ENFORCE_HOLIDAYS="0",
        )
    act = tmp_path / "acte\u202efdp.pdf"
    act.write_bytes(b"PK\x03\x04 not a pdf at all")
    pin_file = tmp_path / "pin"
    pin_file.write_text(declared_bailiff.record["pin"])
    done = subprocess.run(
        [
            str(BIN / "securact"),
            "serve",
            "--bailiff-cert",
            declared_bailiff.cert,
            "--recipient",
            BANQUE_TEST,
            "--nature",
            "mainlevee",
            "--reference",
            "CLI-RLO",
            "--pin-file",
            str(pin_file),
            str(act),
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    refusal = json.loads(done.stdout)["refusal"]
    assert "« actefdp.pdf »" in refusal
    assert "\u202e" not in refusal
    assert Signification.objects.count() == 0
