"""The bailiff's side of the qualified signature (F3.5, F4.2).

The PIN exists only in the memory of the request (or command) that received it: the
worker prepares what is to be signed and waits; this session signs it on the token and
wakes the worker. Two rounds per signification whatever its number of acts, each one token
login: the PAdES signatures of every PDF/A, then the detached CAdES ``.p7s`` of every signed
PDF. A wrong PIN raises at once and changes nothing.
"""

from __future__ import annotations

import logging
import time

from asn1crypto import x509
from django.db import transaction

from securact.core import wake
from securact.significations import process
from securact.significations.models import Act, Signification, Step
from securact.signing.errors import TokenBusy
from securact.signing.pades import PendingSignature
from securact.signing.token import sign_with_token

logger = logging.getLogger(__name__)


def _pending(signification_id: int) -> list[tuple[Act, str, bytes]]:
    items = []
    for act in Act.objects.filter(signification_id=signification_id):
        if act.pades_pending and act.pades_signature is None:
            items.append(
                (act, "pades_signature", PendingSignature.from_json(act.pades_pending).tbs)
            )
        if act.cades_pending and act.cades_signature is None:
            items.append(
                (act, "cades_signature", PendingSignature.from_json(act.cades_pending).tbs)
            )
    return items


def provide_signatures(signification_id: int, pin: str) -> int:
    """Sign what the worker prepared; returns how many signatures were made."""
    items = _pending(signification_id)
    if not items:
        return 0
    signification = Signification.objects.get(pk=signification_id)
    certificate = x509.Certificate.load(bytes(signification.signing_certificate))
    values = sign_with_token(
        signification.signing_token_label, pin, certificate, [tbs for _act, _field, tbs in items]
    )
    with transaction.atomic():
        for (act, field, _tbs), value in zip(items, values, strict=True):
            Act.objects.filter(pk=act.pk, **{f"{field}__isnull": True}).update(**{field: value})
        process.resume(signification_id, Step.Name.SIGN)
    return len(items)


def _failed(signification_id: int) -> bool:
    return Signification.objects.filter(
        pk=signification_id, state=Signification.State.FAILED
    ).exists()


def run_signing_session(
    signification_id: int, pin: str, timeout: float = 600, poll: float = wake.SAFETY_POLL
) -> None:
    """Answer the worker's signing requests until the sign step is over (or time runs out).

    Woken by the engine when a step of the signification changes state (the sign step
    waiting for a round, done or failed); ``poll`` is only the safety net."""
    with wake.Waiter(process.channel(signification_id)) as waiter:
        _answer(signification_id, pin, time.monotonic() + timeout, poll, waiter)


def _answer(
    signification_id: int, pin: str, deadline: float, poll: float, waiter: wake.Waiter
) -> None:
    while time.monotonic() < deadline:
        try:
            signed = provide_signatures(signification_id, pin)
        except TokenBusy:
            # The token failed for a moment (another process's session): what was not
            # signed is still pending, so the next round signs it.
            logger.warning("signification %s: token busy, signing again", signification_id)
            time.sleep(0.2)
            continue
        state = Step.objects.get(signification_id=signification_id, name=Step.Name.SIGN).state
        if state in (Step.State.DONE, Step.State.FAILED) or _failed(signification_id):
            return  # signed, or nothing will be to sign (a step before it failed)
        if state == Step.State.WAITING and not signed and not _pending(signification_id):
            # Waiting with every signature already given: this session signed what the worker
            # had just written, and woke the step, before the worker marked it waiting (the
            # wake found it still running). Wake it again, or it would wait for ever.
            process.resume(signification_id, Step.Name.SIGN)
        waiter.wait(max(0.0, min(poll, deadline - time.monotonic())))
