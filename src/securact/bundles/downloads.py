"""Who downloads a signification's evidence bundle, and what each gets (the pages call
these; ``bundle.build_bundle`` does the work).

The same owners as the files' downloads: the bailiff who served it (the files are in his
vault: the other bailiffs of the practice see the detail page but download nothing), and
the recipient it was served on, from its portal. Anyone else — and a signification not
yet deposited — is :class:`BundleNotFound`, found by one query filtered by owner, like a
missing id.

The recipient's bundle holds the journal entries its portal shows
(``significations.visibility``). It carries the acts: once built (documents checked), its
download is recorded like an act's (``delivery.services.record_opening``: the opening time
once, ETSI ContentHandover / ContentAccessTracking, *remise à personne* before the
deadline) before the first byte leaves; a bundle that cannot be built records nothing.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from typing import BinaryIO

from securact.bundles.bundle import BundleResult, build_bundle
from securact.delivery.services import record_opening
from securact.significations.models import Signification
from securact.significations.visibility import recipient_history_q
from securact.vault.models import Vault


class BundleNotFound(Exception):
    """Not a signification of the signed-in owner (or not deposited yet)."""


def bailiff_may_download(vault: Vault, pk: int) -> bool:
    return (
        vault.bailiff_id is not None
        and Signification.objects.filter(
            pk=pk, bailiff_id=vault.bailiff_id, sent_at__isnull=False
        ).exists()
    )


def bailiff_bundle(vault: Vault, pk: int) -> tuple[BundleResult, BinaryIO]:
    """The bundle of signification ``pk`` for the bailiff who served it (``vault`` is his
    own): the result and the ZIP, rewound (the caller serves it, then closes it)."""
    if not bailiff_may_download(vault, pk):
        raise BundleNotFound(pk)
    return _built(pk, None)


def recipient_bundle(
    vault: Vault, pk: int, *, actor: str, at: datetime
) -> tuple[BundleResult, BinaryIO]:
    """The bundle of deposit ``pk`` for the recipient it was served on (``vault`` is its
    own), its download recorded as the acts' (module docstring)."""
    served = (
        vault.recipient_id is not None
        and Signification.objects.filter(
            pk=pk, recipient_id=vault.recipient_id, sent_at__isnull=False
        )
        .exclude(delivery_state="")
        .exists()
    )
    if not served:
        raise BundleNotFound(pk)
    result, handle = _built(pk, recipient=True)
    try:
        record_opening(pk, actor=actor, at=at)
    except BaseException:
        handle.close()
        raise
    return result, handle


def _built(pk: int, recipient: bool | None) -> tuple[BundleResult, BinaryIO]:
    handle = tempfile.TemporaryFile(prefix="securact-bundle-")  # noqa: SIM115 - served, then closed
    try:
        result = build_bundle(pk, handle, entries=recipient_history_q() if recipient else None)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return result, handle
