"""Signing in rounds (issue 10, item 2): every act's PAdES is signed in one token login, then
every CAdES in another — 2 logins per signification whatever its number of acts (before: one
round, so one login, per act and per signature). Counted on the real SoftHSM token, where the
code logs in (``token.open(user_pin=…)``), through the one serve call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from securact.significations.models import Signification, Step
from securact.signing import token as token_module
from securact.workflow.cli import ServeRequest, serve
from tests.documents import samples
from tests.significations.test_serve_end_to_end import BANQUE_TEST

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class _CountingToken:
    """The real token; its logged-in sessions are counted."""

    def __init__(self, token: Any, logins: list[str]) -> None:
        self._token = token
        self._logins = logins

    def __getattr__(self, name: str) -> Any:
        return getattr(self._token, name)

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("user_pin") is not None:
            self._logins.append(self._token.label)
        return self._token.open(*args, **kwargs)


def test_five_acts_are_signed_with_two_token_logins_after_the_pin_check(
    declared_bailiff, workers, tmp_path, smtp_server, sms_gateway, monkeypatch
):
    logins: list[str] = []
    real_token = token_module._token
    monkeypatch.setattr(
        token_module, "_token", lambda label: _CountingToken(real_token(label), logins)
    )
    folder = tmp_path / "acts"
    folder.mkdir()
    acts = [samples.ghostscript_pdf(folder / f"acte-{n}.pdf") for n in range(1, 6)]
    pin_file = tmp_path / "pin"
    pin_file.write_text(declared_bailiff.record["pin"])
    pin_file.chmod(0o600)
    workers.start(2)
    result = serve(
        ServeRequest(
            bailiff_cert=Path(declared_bailiff.cert),
            recipient_siret=BANQUE_TEST,
            nature_code="mainlevee",
            reference="SA-2026-0005",
            pin_file=pin_file,
            files=acts,
            timeout=300,
        )
    )
    assert result.succeeded, result.as_dict()
    signification = Signification.objects.get(pk=result.signification_id)
    assert signification.acts.count() == 5
    assert signification.steps.get(name=Step.Name.SIGN).state == Step.State.DONE
    assert all(act.p7s_path and act.signed_path for act in signification.acts.all())
    # The PIN check, then one login for the five PAdES and one for the five CAdES.
    assert len(logins) == 1 + 2, logins
