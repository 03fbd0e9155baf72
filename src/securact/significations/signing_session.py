"""The bailiff's side of the qualified signature (F3.5, F4.2).

The PIN exists only in the memory of the request (or command) that received it: the
worker prepares what is to be signed and waits; this session signs it on the token and
wakes the worker. Two rounds per signification whatever its number of acts, each one token
login: the PAdES signatures of every PDF/A, then the detached CAdES ``.p7s`` of every signed
PDF. A wrong PIN raises at once and changes nothing.

What the rounds wait for (``pending_signatures``) and how a value is recorded
(``store_signatures``) are shared with client-side signing (``client_signing``), where the
practice's software signs with its own token and posts the values.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509
from django.db import transaction
from django.utils.translation import gettext

from securact.core import wake
from securact.significations import process
from securact.significations.models import Act, Signification, Step
from securact.signing.errors import SigningRefused, TokenBusy
from securact.signing.pending import Kind, PendingSignature
from securact.signing.token import sign_with_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingItem:
    """One signature the current round waits for: ``tbs`` is the DER of the act's CMS signed
    attributes (``PendingSignature.tbs``)."""

    act: Act
    kind: Kind
    tbs: bytes

    @property
    def field(self) -> str:
        """The act's column that receives the signature value."""
        return f"{self.kind}_signature"


def pending_signatures(signification_id: int) -> list[PendingItem]:
    """What the worker prepared and no one has signed yet, act by act (at most one round
    at a time: the PAdES signatures, then the CAdES ones)."""
    items = []
    for act in Act.objects.filter(signification_id=signification_id).order_by("position"):
        if act.pades_pending and act.pades_signature is None:
            items.append(
                PendingItem(act, "pades", PendingSignature.from_json(act.pades_pending).tbs)
            )
        if act.cades_pending and act.cades_signature is None:
            items.append(
                PendingItem(act, "cades", PendingSignature.from_json(act.cades_pending).tbs)
            )
    return items


def store_signatures(
    signification_id: int, values: Sequence[tuple[PendingItem, bytes]]
) -> set[tuple[int, Kind]]:
    """Record signature values and wake the sign step, in one transaction; both modes (the
    token's session, the practice's software) store through here. Returns the (act id,
    kind) pairs recorded now: a value already recorded is never replaced
    (compare-and-set), so a repeated or concurrent post records nothing twice.

    The sign step's row is locked first: a worker that has just prepared the round and is
    about to mark the step *waiting* does so after this commit, then finds every signature
    given and wakes itself (``SignStep.input_given``) — a post that came while the step was
    still *running* is never lost."""
    stored: set[tuple[int, Kind]] = set()
    with transaction.atomic():
        list(
            Step.objects.select_for_update()
            .filter(signification_id=signification_id, name=Step.Name.SIGN)
            .values_list("pk", flat=True)
        )
        for item, value in values:
            if Act.objects.filter(pk=item.act.pk, **{f"{item.field}__isnull": True}).update(
                **{item.field: value}
            ):
                stored.add((item.act.pk, item.kind))
        process.resume(signification_id, Step.Name.SIGN)
    return stored


def remote_signification(signification_id: int) -> Signification:
    """A signification the platform signs with the bailiff's token; one signed by the
    practice's software (client-side) is refused: the platform has no key for it."""
    signification = Signification.objects.get(pk=signification_id)
    if signification.signing_mode != Signification.SigningMode.REMOTE:
        raise SigningRefused(
            gettext(
                "Cette signification est signée par le logiciel de votre étude (signature "
                "côté client) : SECURACT ne peut pas la signer avec une clé. Envoyez les "
                "signatures depuis ce logiciel."
            )
        )
    return signification


def provide_signatures(signification_id: int, pin: str) -> int:
    """Sign what the worker prepared; returns how many signatures were made."""
    signification = remote_signification(signification_id)
    items = pending_signatures(signification_id)
    if not items:
        return 0
    certificate = x509.Certificate.load(bytes(signification.signing_certificate))
    values = sign_with_token(
        signification.signing_token_label, pin, certificate, [item.tbs for item in items]
    )
    store_signatures(signification_id, list(zip(items, values, strict=True)))
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
        if state == Step.State.WAITING and not signed and not pending_signatures(signification_id):
            # Waiting with every signature already given: this session signed what the worker
            # had just written, and woke the step, before the worker marked it waiting (the
            # wake found it still running). Wake it again, or it would wait for ever.
            process.resume(signification_id, Step.Name.SIGN)
        waiter.wait(max(0.0, min(poll, deadline - time.monotonic())))
