"""Concurrent ``securact serve`` at once on one signing token (issue 10, item 8): before, 1–2 of
them got an unwrapped PKCS#11 ``GeneralError`` (« Erreur d'accès : », exit 2, no id) while
their signification waited at *sign*. Access to a token is now one process at a time, and a
token error is retried: every serve completes, every signification is done, nothing twice."""

from __future__ import annotations

import json
import subprocess

import pytest

from securact.notify.models import Notification
from securact.significations.models import Signification
from securact.vault.models import StoredFile
from tests.processes import BIN
from tests.significations.test_serve_end_to_end import BANQUE_TEST

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# 20 at once, as in the issue (passes in about 1 min; 1 min 20 s with both cores also busy
# with other work, measured 5 December).
SERVES = 20


def _start(env, bailiff, act, pin_file, out, reference) -> subprocess.Popen[str]:
    command = [
        str(BIN / "securact"),
        "serve",
        "--bailiff-cert",
        bailiff.cert,
        "--recipient",
        BANQUE_TEST,
        "--nature",
        "mainlevee",
        "--reference",
        reference,
        "--pin-file",
        str(pin_file),
        "--out",
        str(out),
        str(act),
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_concurrent_serves_on_one_token_all_complete(
    declared_bailiff, acts, workers, tmp_path, smtp_server
):
    import os

    env = {
        **os.environ,
        **workers.env,
        "SECURACT_ENFORCE_LEGAL_HOURS": "0",
        "SECURACT_ENFORCE_SUNDAYS": "0",
        "SECURACT_ENFORCE_HOLIDAYS": "0",
    }
    pin_file = tmp_path / "pin"
    pin_file.write_text(declared_bailiff.record["pin"])
    pin_file.chmod(0o600)
    sent_before = len(smtp_server[1].messages)
    workers.start(2)
    serves = [
        _start(env, declared_bailiff, acts[0], pin_file, tmp_path / f"out-{n}", f"CONC-{n:02d}")
        for n in range(SERVES)
    ]
    reports = []
    for serve in serves:
        stdout, stderr = serve.communicate(timeout=900)
        assert serve.returncode == 0, stdout + stderr
        reports.append(json.loads(stdout))
    assert all(report["succeeded"] for report in reports)
    ids = {report["signification_id"] for report in reports}
    assert len(ids) == SERVES
    significations = Signification.objects.filter(pk__in=ids)
    assert {s.state for s in significations} == {Signification.State.DONE}
    stored = StoredFile.objects.filter(signification_id__in=ids)
    assert stored.filter(kind=StoredFile.Kind.ACT).count() == SERVES
    assert stored.filter(kind=StoredFile.Kind.ARCHIVE).count() == SERVES
    emails = Notification.objects.filter(signification_id__in=ids, channel="email")
    assert emails.filter(status="sent").count() == SERVES
    assert len(smtp_server[1].messages) - sent_before == SERVES
