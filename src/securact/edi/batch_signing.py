"""The signers of a batch: one per bailiff, asked of the caller's ``signer_factory`` once.

Both signing modes plug in through ``workflow.serving``'s signer interface (``check_pin``,
``sign``, ``token_label``, ``certificate``):

* *remote*: ``serving.Signer`` (the bailiff's token on the platform, the PIN in the memory
  of the request that received it). The batch records every item first, then answers the
  workers' signing requests of all the significations it created, several sessions at a
  time (``SECURACT_EDI_SIGNING_SESSIONS``), within the request, for at most
  ``SECURACT_EDI_SIGNING_SECONDS``: the PIN never leaves the request. What is not signed
  by then waits at *sign* (the item says *awaiting_signature*) and is resumed by
  re-submitting the batch with the PIN.
* *client-side*: the practice software signs with its own token; its signer's ``sign``
  returns at once (the signature values come later, through their own service).

A bailiff's PIN is tried on the token once per batch: a wrong one refuses each of his items
without another try (the token would lock after a few).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.directory.models import Bailiff
from securact.signing.errors import SigningRefused
from securact.workflow import serving

logger = logging.getLogger(__name__)

SignerFactory = Callable[[Bailiff], serving.Signer]


class BatchSigner(serving.Signer):
    """A bailiff's signer for the whole batch: its PIN checked once, its signing deferred
    until every item of the batch is recorded (``pending``)."""

    def __init__(self, inner: serving.Signer) -> None:  # no PIN of its own: ``inner``'s
        self.inner = inner
        self.token_label = inner.token_label
        self.certificate = inner.certificate
        self._checked = False
        self._refusal: SigningRefused | None = None
        self.pending: list[int] = []

    def __repr__(self) -> str:
        return f"BatchSigner({self.inner!r})"

    def check_pin(self) -> None:
        if self._refusal is not None:
            raise self._refusal
        if not self._checked:
            try:
                self.inner.check_pin()
            except SigningRefused as refused:
                self._refusal = refused
                raise
            self._checked = True

    def sign(self, signification_id: int, timeout: float) -> None:
        self.pending.append(signification_id)

    @property
    def checked(self) -> bool:
        return self._checked


@dataclass
class Signers:
    """The batch's signers by bailiff; a factory's refusal is kept for the bailiff too."""

    factory: SignerFactory
    _signers: dict[int, BatchSigner] = field(default_factory=dict)
    _refusals: dict[int, Refusal] = field(default_factory=dict)

    def of(self, bailiff: Bailiff) -> BatchSigner:
        """``bailiff``'s signer, its PIN checked; raises the French refusal otherwise."""
        if bailiff.pk in self._refusals:
            raise self._refusals[bailiff.pk]
        signer = self._signers.get(bailiff.pk)
        if signer is None:
            try:
                signer = BatchSigner(self.factory(bailiff))
            except Refusal as refused:
                self._refusals[bailiff.pk] = refused
                raise
            self._signers[bailiff.pk] = signer
        signer.check_pin()
        return signer

    def sign_pending(self, also: dict[int, int], budget: float) -> dict[int, str]:
        """Run the deferred signing of the significations created now, and of ``also``
        (signification id → bailiff id: earlier items still waiting for their signature),
        ``SECURACT_EDI_SIGNING_SESSIONS`` at a time, until all are signed or ``budget``
        seconds have passed. Returns the token's refusal by signification id."""
        jobs: list[tuple[serving.Signer, int]] = []
        for signer in self._signers.values():
            jobs.extend((signer.inner, pk) for pk in signer.pending)
            signer.pending = []
        for pk, bailiff_id in also.items():
            earlier = self._signers.get(bailiff_id)
            if earlier is not None and earlier.checked:
                jobs.append((earlier.inner, pk))
        if not jobs:
            return {}
        deadline = time.monotonic() + budget
        refusals: dict[int, str] = {}
        sessions = max(1, int(settings.SECURACT_EDI_SIGNING_SESSIONS))
        with ThreadPoolExecutor(max_workers=min(sessions, len(jobs))) as pool:
            for pk, message in pool.map(lambda job: _sign_one(job[0], job[1], deadline), jobs):
                if message:
                    refusals[pk] = message
        return refusals


def _sign_one(signer: serving.Signer, signification_id: int, deadline: float) -> tuple[int, str]:
    """One signification's signing session (in a thread of the pool, with its own database
    connection, closed at the end)."""
    try:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            signer.sign(signification_id, remaining)
        return signification_id, ""
    except SigningRefused as refused:
        logger.warning("signification %s: signing refused by the token", signification_id)
        return signification_id, refused.message
    except Exception:  # the others go on; this one waits at *sign*, to be resumed
        logger.exception("signification %s: signing session failed", signification_id)
        return signification_id, gettext(
            "Erreur interne pendant la signature ; la signification attend la signature."
        )
    finally:
        connection.close()
