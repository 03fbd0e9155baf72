"""Client-side signing's guards (issue 13, item 3): the platform never signs with a token a
signification the practice's software signs, the practice's software cannot post for one the
platform signs, and a post that arrives while the worker is still marking the step waiting
is not lost."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.pki.certificates import pem_to_der
from securact.significations import process
from securact.significations.client_signing import (
    RoundNotReady,
    UnknownSignification,
    WrongSigningMode,
    provide_client_signatures,
    signatures_to_provide,
)
from securact.significations.models import Act, Signification, Step
from securact.significations.signing_session import provide_signatures, run_signing_session
from securact.signing.errors import SigningRefused
from securact.signing.pending import PendingSignature
from securact.signing.token import logins_made
from securact.workflow import serving
from securact.workflow.steps import SignStep
from tests.significations import practice_software

pytestmark = pytest.mark.django_db

TBS = b"1\x03\x02\x01\x00"  # any bytes: what is verified is the value over the stored ones


def _signification(identity, mode: str, reference: str, sign_state: str) -> Signification:
    bailiff = Bailiff.objects.get(full_name="Claire DURAND")
    certificate = identity.record["practice_signing" if mode == "client" else "sign_cert"]
    path = certificate["sign_cert"] if mode == "client" else certificate
    signification = Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=Recipient.objects.get(name="BANQUE TEST"),
        nature=ActNature.objects.get(code="mainlevee"),
        reference=reference,
        actor_fingerprint="a" * 64,
        signing_certificate=pem_to_der(Path(path).read_bytes()),
        signing_token_label="" if mode == "client" else identity.record["token_label"],
        signing_mode=mode,
    )
    Step.objects.bulk_create(
        Step(
            signification=signification,
            name=name,
            position=position,
            state=(
                Step.State.DONE
                if name == Step.Name.CONVERT
                else sign_state
                if name == Step.Name.SIGN
                else Step.State.PENDING
            ),
        )
        for position, name in enumerate(process.ORDER, start=1)
    )
    return signification


def _prepared_act(signification: Signification) -> Act:
    pending = PendingSignature(
        kind="pades",
        tbs=TBS,
        digest_algorithm="sha256",
        signature_mechanism="sha256_rsa",
        document_digest=bytes(32),
        signer_cert=bytes(signification.signing_certificate),
        chain=(),
        file_size=0,
        file_sha256=bytes(32),
    )
    return Act.objects.create(
        signification=signification,
        position=1,
        original_name="acte.pdf",
        kind="pdf",
        upload_path="",
        size=1,
        pades_pending=pending.to_json(),
    )


def _practice_value(identity) -> bytes:
    practice = identity.record["practice_signing"]
    answer = practice_software.run(
        practice,
        pem_to_der(Path(practice["sign_cert"]).read_bytes()),
        [{"id": "1", "signed_attributes": base64.b64encode(TBS).decode(), "digest": ""}],
    )
    return base64.b64decode(answer["values"]["1"])


def test_each_mode_refuses_the_other(declared_bailiff):
    client = _signification(declared_bailiff, "client", "CS-GARDE-1", Step.State.WAITING)
    remote = _signification(declared_bailiff, "remote", "CS-GARDE-2", Step.State.WAITING)
    _prepared_act(client)
    pin = declared_bailiff.record["pin"]
    logins = logins_made()
    # The platform's signing paths (the page's *Relancer*, the session) refuse, PIN unused.
    for attempt in (
        lambda: serving.Signer.of(client, pin),
        lambda: provide_signatures(client.pk, pin),
        lambda: run_signing_session(client.pk, pin, timeout=2),
    ):
        with pytest.raises(SigningRefused, match="signée par le logiciel de votre étude"):
            attempt()
    assert logins_made() == logins
    assert Act.objects.get(signification=client).pades_signature is None
    # The practice's software's paths refuse a signification the platform signs.
    with pytest.raises(WrongSigningMode, match="signature à distance"):
        signatures_to_provide(remote.pk)
    with pytest.raises(WrongSigningMode):
        provide_client_signatures(remote.pk, {(1, "pades"): b"x"})
    with pytest.raises(UnknownSignification):
        signatures_to_provide(remote.pk + client.pk + 1000)
    assert [item.kind for item in signatures_to_provide(client.pk)] == ["pades"]


def test_a_failed_sign_step_takes_no_signature(declared_bailiff):
    client = _signification(declared_bailiff, "client", "CS-GARDE-3", Step.State.FAILED)
    act = _prepared_act(client)
    with pytest.raises(RoundNotReady, match="en échec"):
        provide_client_signatures(client.pk, {(act.pk, "pades"): b"x"})


def test_values_posted_while_the_step_still_runs_wake_it_once_it_waits(
    declared_bailiff, monkeypatch
):
    """The worker has written the round (the software sees it) but not yet marked the step
    waiting: the post finds the step running and cannot wake it. The engine then asks the
    step whether its input is all there, and wakes it — it would wait for ever otherwise."""
    client = _signification(declared_bailiff, "client", "CS-GARDE-4", Step.State.PENDING)
    act = _prepared_act(client)
    value = _practice_value(declared_bailiff)
    seen: list[str] = []

    def prepared_the_round(self, signification):
        provided = provide_client_signatures(signification.pk, {(act.pk, "pades"): value})
        assert provided.stored == [(act.pk, "pades")]
        seen.append(Step.objects.get(signification=signification, name="sign").state)
        return process.Outcome.WAITING

    monkeypatch.setattr(SignStep, "run", prepared_the_round)
    process.execute(client.pk, Step.Name.SIGN)
    assert seen == [Step.State.RUNNING]
    assert Step.objects.get(signification=client, name="sign").state == Step.State.PENDING
    assert bytes(Act.objects.get(pk=act.pk).pades_signature or b"") == value
