"""Batches of significations submitted by a practice's software (F9.1).

``submit_batch`` serves each item through the one serve call (``workflow.serving.serve``,
source EDI): the same legal clock, consent, reference, elements and file checks as the form.
Each refusal (unknown SIRET or nature, a nature the recipient does not accept or outside its
hours, a reference already used, a file refused, a wrong PIN…) is recorded on its item with
its French message and field, and the other items go on.

**Synchronous, in the call.** The items are recorded, then created one after the other in
the call; the engine's workers then convert, sign, deposit… as for any signification. With
remote signing the call also holds the signing sessions (the PIN lives only in its memory,
``edi.batch_signing``); with client-side signing it returns once every signification exists.

**Never served twice.** A batch is known by its practice and client reference; its items
are recorded in one transaction before any is served, and an item's reference is the
deposit reference, held by at most one item of the practice that is not refused (a
constraint). Each item is then claimed (``received → processing``, with this process's
identity) and its signification created *in the same transaction* as the item's move to
``created``: after a crash either both exist or neither does. Submitting the same batch
again creates nothing new: created and refused items are returned as they are, items never
processed (or left ``processing`` by a dead process, or past ``SECURACT_EDI_ITEM_LEASE_SECONDS``)
are processed now, and items still waiting for their signature are signed with the signer
given. A refused item holds nothing: its reference may come again in another batch.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.core.workers import worker_gone, worker_identity
from securact.directory.models import ActNature, Bailiff, Practice, Recipient
from securact.edi.batch_signing import BatchSigner, SignerFactory, Signers
from securact.edi.batch_status import BatchStatus, batch_status, signature_awaited
from securact.edi.models import Batch, BatchItem, Upload
from securact.edi.uploads import OpenedUploads, uploads_for_item
from securact.significations.models import Signification
from securact.significations.services import REFERENCE, ServiceRefused
from securact.signing.errors import SigningRefused
from securact.workflow import serving

logger = logging.getLogger(__name__)

__all__ = ["BatchRefused", "ItemRequest", "SignerFactory", "find_bailiff", "submit_batch"]


class BatchRefused(Refusal):
    """The whole batch is refused (too many items, a reference reused for other items)."""


@dataclass(frozen=True)
class ItemRequest:
    """One signification asked for: its deposit reference (the item's idempotency key),
    the recipient's SIRET, the nature's code, the bailiff who signs (of the practice: his
    id, or his full name), the ids of its uploaded acts, the act's essential elements (F8.3)
    when the nature needs a data message, and the bailiff's signing certificate (PEM; for
    client-side signing, or to choose among his certificates on the platform's tokens)."""

    reference: str
    recipient_siret: str
    nature: str
    bailiff: int | str
    uploads: Sequence[str]
    elements: Mapping[str, Any] | None = None
    signing_certificate: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "recipient_siret": self.recipient_siret,
            "nature": self.nature,
            "bailiff": self.bailiff,
            "uploads": [str(upload) for upload in self.uploads],
            "elements": dict(self.elements) if self.elements is not None else None,
            "signing_certificate": self.signing_certificate,
        }


def submit_batch(
    practice: Practice,
    caller_fingerprint: str,
    client_reference: str,
    items: Sequence[ItemRequest],
    signer_factory: SignerFactory,
    *,
    signing_seconds: float | None = None,
    signers: Signers | None = None,
    only_bailiff: int | None = None,
) -> BatchStatus:
    """Record and serve the batch ``client_reference`` of ``practice``, submitted by the
    certificate ``caller_fingerprint`` (the journal's actor); ``signer_factory`` gives the
    signer of a bailiff (remote or client-side). Returns the batch and each item's state.
    Raises ``BatchRefused`` (French) when the batch as a whole cannot be taken.
    ``signers``: the factory's signers already asked for (an entry point that checked the
    PIN before anything is recorded); ``only_bailiff``: a bailiff's own certificate submits
    in his name only (the practice's EDI software, for any of its bailiffs)."""
    batch = _record(practice, caller_fingerprint, client_reference, items)
    signers = signers or Signers(signer_factory)
    # Created by an earlier submission and still waiting for their signature: signed again
    # with this call's signers (before this call creates others, which it signs anyway).
    refusals, earlier = _earlier_awaiting(batch, signers)
    for item in _unprocessed(batch):
        if _claim(item):
            _process(item, practice, caller_fingerprint, signers, only_bailiff)
    budget = settings.SECURACT_EDI_SIGNING_SECONDS if signing_seconds is None else signing_seconds
    refusals.update(signers.sign_pending(earlier, budget))
    batch.items.exclude(signification_id__in=list(refusals)).exclude(signing_error="").update(
        signing_error=""
    )
    for signification_id, message in refusals.items():
        BatchItem.objects.filter(signification_id=signification_id).update(signing_error=message)
    return batch_status(batch)


# --- recording ----------------------------------------------------------------------------


def _record(
    practice: Practice, caller: str, client_reference: str, items: Sequence[ItemRequest]
) -> Batch:
    client_reference = client_reference.strip()
    if not client_reference or len(client_reference) > 100:
        raise BatchRefused(
            gettext("Indiquez la référence du lot (100 caractères au plus)."), "reference"
        )
    limit = int(settings.SECURACT_EDI_MAX_BATCH_ITEMS)
    if not items:
        raise BatchRefused(gettext("Le lot ne contient aucune signification."), "items")
    if len(items) > limit:
        raise BatchRefused(
            gettext(
                "Un lot contient au plus %(limit)d significations ; celui-ci en contient "
                "%(count)d : scindez-le."
            )
            % {"limit": limit, "count": len(items)},
            "items",
        )
    for attempt in range(3):  # a reference taken meanwhile by another batch: look again
        try:
            with transaction.atomic():
                batch, created = Batch.objects.get_or_create(
                    practice=practice,
                    client_reference=client_reference,
                    defaults={"submitted_by": caller},
                )
                if created:
                    _record_items(batch, items)
                else:
                    _check_same_items(batch, items)
                return batch
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _check_same_items(batch: Batch, items: Sequence[ItemRequest]) -> None:
    recorded = list(batch.items.order_by("position").values_list("reference", flat=True))
    if recorded != [item.reference.strip() for item in items]:
        raise BatchRefused(
            gettext(
                "Le lot « %(batch)s » a déjà été reçu avec d'autres significations : "
                "donnez une autre référence de lot."
            )
            % {"batch": batch.client_reference},
            "reference",
        )


def _record_items(batch: Batch, items: Sequence[ItemRequest]) -> None:
    references = [item.reference.strip() for item in items]
    held = dict(
        BatchItem.objects.filter(practice_id=batch.practice_id, reference__in=references)
        .exclude(state=BatchItem.State.REFUSED)
        .values_list("reference", "batch__client_reference")
    )
    seen: set[str] = set()
    rows = []
    for position, (item, reference) in enumerate(zip(items, references, strict=True), start=1):
        row = BatchItem(
            batch=batch,
            practice_id=batch.practice_id,
            position=position,
            reference=reference[:100],
            request=item.as_json(),
        )
        refusal = _refusal_at_recording(reference, seen, held)
        if refusal is not None:
            row.state = BatchItem.State.REFUSED
            row.refusal_message, row.refusal_field = refusal.message, refusal.field
            row.processed_at = timezone.now()
            row.request = {**row.request, "elements": None}
        seen.add(reference)
        rows.append(row)
    BatchItem.objects.bulk_create(rows)


def _refusal_at_recording(reference: str, seen: set[str], held: dict[str, str]) -> Refusal | None:
    if not REFERENCE.match(reference):
        return Refusal(
            gettext(
                "Référence de dépôt invalide : 1 à 100 caractères parmi lettres sans accent, "
                "chiffres, espace, tiret, point et souligné."
            ),
            "reference",
        )
    if reference in seen:
        return Refusal(
            gettext("La référence de dépôt « %(ref)s » figure plusieurs fois dans le lot.")
            % {"ref": reference},
            "reference",
        )
    if reference in held:
        return Refusal(
            gettext(
                "La référence de dépôt « %(ref)s » a déjà été transmise dans le lot « %(batch)s »."
            )
            % {"ref": reference, "batch": held[reference]},
            "reference",
        )
    return None


# --- processing ---------------------------------------------------------------------------


def _unprocessed(batch: Batch) -> list[BatchItem]:
    return list(
        batch.items.filter(
            state__in=[BatchItem.State.RECEIVED, BatchItem.State.PROCESSING]
        ).order_by("position")
    )


def _lease() -> timedelta:
    return timedelta(seconds=float(settings.SECURACT_EDI_ITEM_LEASE_SECONDS))


def _claim(item: BatchItem) -> bool:
    """``received → processing`` for this process; an item left ``processing`` by a process
    that is gone (or past its lease) is taken over. Compare-and-set: one claimer wins."""
    now = timezone.now()
    if item.state == BatchItem.State.PROCESSING:
        stale = item.claimed_at is None or item.claimed_at < now - _lease()
        if not (stale or worker_gone(item.claimed_by)):
            return False  # another request is serving it right now
    claimed = BatchItem.objects.filter(
        pk=item.pk, state=item.state, claimed_by=item.claimed_by
    ).update(state=BatchItem.State.PROCESSING, claimed_by=worker_identity(), claimed_at=now)
    return claimed == 1


def _process(
    item: BatchItem, practice: Practice, caller: str, signers: Signers, only_bailiff: int | None
) -> None:
    try:
        resolved = _resolve(item, practice)
        if only_bailiff is not None and resolved.bailiff.pk != only_bailiff:
            raise ServiceRefused(
                gettext(
                    "Avec votre certificat, vous ne signifiez qu'en votre nom ; le logiciel "
                    "EDI de l'étude signifie pour chacun de ses commissaires de justice."
                ),
                "bailiff",
            )
        # Its PIN checked (once a batch), before the transaction.
        signer = signers.of(resolved.bailiff, _certificate(item))
        with OpenedUploads(resolved.uploads) as files, transaction.atomic():
            serving.serve(
                serving.ServeRequest(
                    bailiff=resolved.bailiff,
                    actor_fingerprint=caller,
                    recipient=resolved.recipient,
                    nature=resolved.nature,
                    reference=item.reference,
                    files=files,
                    source=Signification.Source.EDI,
                    elements=item.request.get("elements"),
                ),
                signer,
                timeout=0,
                on_created=lambda signification: _created(item, signification),
            )
    except (ServiceRefused, SigningRefused) as refused:
        _refused(item, refused.message, refused.field)
    except Refusal as refused:  # a signer factory's own refusal
        _refused(item, refused.message, refused.field)
    except IntegrityError:  # the reference was taken meanwhile (the web form, a command)
        _refused(
            item,
            gettext("La référence de dépôt « %(ref)s » a déjà été utilisée par votre étude.")
            % {"ref": item.reference},
            "reference",
        )
    except _ClaimLost:
        logger.warning("EDI item %s: taken over by another process, left to it", item.pk)
    except Exception:
        logger.exception("EDI item %s: internal error", item.pk)
        _refused(
            item,
            gettext("Erreur interne lors de l'enregistrement ; transmettez-la à nouveau."),
            "",
        )


@dataclass(frozen=True)
class _Resolved:
    bailiff: Bailiff
    recipient: Recipient
    nature: ActNature
    uploads: list[Upload]


def _resolve(item: BatchItem, practice: Practice) -> _Resolved:
    """What the item names, found; else the French refusal on the item's field."""
    request = item.request
    siret = str(request.get("recipient_siret") or "").replace(" ", "")
    recipient = Recipient.objects.filter(siret=siret).first()
    if recipient is None:
        raise ServiceRefused(
            gettext("Aucun destinataire n'a le SIRET %(s)s.") % {"s": siret}, "recipient_siret"
        )
    nature = ActNature.objects.filter(code=str(request.get("nature") or "")).first()
    if nature is None:
        raise ServiceRefused(
            gettext("Nature d'acte inconnue : %(c)s.") % {"c": request.get("nature")}, "nature"
        )
    bailiff = find_bailiff(practice, request.get("bailiff"))
    uploads = uploads_for_item(practice, list(request.get("uploads") or []))
    return _Resolved(bailiff, recipient, nature, uploads)


def find_bailiff(practice: Practice, named: Any) -> Bailiff:
    """The practice's bailiff the item names, by id or by full name."""
    found = Bailiff.objects.select_related("practice").filter(practice=practice)
    if isinstance(named, int) and not isinstance(named, bool):
        bailiff = found.filter(pk=named).first()
    elif isinstance(named, str) and named.strip():
        bailiff = found.filter(full_name__iexact=named.strip()).first()
    else:
        bailiff = None
    if bailiff is None:
        raise ServiceRefused(
            gettext("Aucun commissaire de justice « %(name)s » dans votre étude.")
            % {"name": named},
            "bailiff",
        )
    return bailiff


def _certificate(item: BatchItem) -> bytes | None:
    given = item.request.get("signing_certificate")
    return given.encode() if isinstance(given, str) and given else None


class _ClaimLost(Exception):
    """Another process took the item over (this one was past its lease): roll back."""


def _created(item: BatchItem, signification: Signification) -> None:
    """In the transaction that created the signification: the item holds it, or nothing is
    kept."""
    moved = BatchItem.objects.filter(
        pk=item.pk, state=BatchItem.State.PROCESSING, claimed_by=worker_identity()
    ).update(
        state=BatchItem.State.CREATED,
        signification=signification,
        processed_at=timezone.now(),
        claimed_by="",
        request={**item.request, "elements": None},
    )
    if moved != 1:
        raise _ClaimLost(item.pk)


def _refused(item: BatchItem, message: str, field: str) -> None:
    BatchItem.objects.filter(
        pk=item.pk, state=BatchItem.State.PROCESSING, claimed_by=worker_identity()
    ).update(
        state=BatchItem.State.REFUSED,
        refusal_message=message,
        refusal_field=field or "",
        processed_at=timezone.now(),
        claimed_by="",
        request={**item.request, "elements": None},
    )


def _earlier_awaiting(
    batch: Batch, signers: Signers
) -> tuple[dict[int, str], dict[int, BatchSigner]]:
    """The batch's significations that still wait for their signature, with this call's
    signer for each (signification id → signer), and the refusal of those whose signer
    could not be had (signification id → French message)."""
    items = list(
        batch.items.filter(
            state=BatchItem.State.CREATED, signification__state=Signification.State.IN_PROGRESS
        ).select_related("signification__bailiff")
    )
    waiting = signature_awaited([i.signification_id for i in items if i.signification_id])
    refusals: dict[int, str] = {}
    earlier: dict[int, BatchSigner] = {}
    for item in items:
        if item.signification is None or item.signification_id not in waiting:
            continue
        try:
            earlier[item.signification.pk] = signers.of(
                item.signification.bailiff, _certificate(item)
            )
        except Refusal as refused:
            refusals[item.signification.pk] = refused.message
    return refusals, earlier
