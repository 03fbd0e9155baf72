"""The detail of one signification (F6): its acts, steps, delivery, answer and history,
as the signed-in bailiff's practice sees it. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from securact.core import clock
from securact.delivery.services import letter_due_date
from securact.directory.models import Bailiff, Practice
from securact.directory.validators import normalize_name
from securact.evidence.journal import entries_for
from securact.evidence.models import JournalEntry
from securact.returns.deadlines import AnswerStatus
from securact.returns.models import ActReturn
from securact.returns.status import (
    MAINLEVEE_CODES,
    answer_state_label,
    answer_status_of,
)
from securact.significations import process
from securact.significations.models import Act, DeliveryState, Signification, Step
from securact.significations.queries import (
    FILTER_MAX_LENGTH,
    PARIS,
    delivery_state_of,
    state_detail,
)
from securact.vault.models import StoredFile

# --- detail (F6) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    sequence: int
    at: datetime  # Europe/Paris
    message: str


@dataclass(frozen=True)
class SignificationDetail:
    signification: Signification
    acts: list[Act]
    delivery_state: DeliveryState | None
    state_detail: str
    steps: list[Step]
    archive: StoredFile | None
    deposit_certificate: StoredFile | None
    delivery_certificate: StoredFile | None
    # The engine's DELIVERY step while the certificate is not made (its last error shown).
    delivery_step: Step | None
    # À domicile (art. 662-1 CPC): the day the ordinary letter is due.
    letter_due: date | None
    # The archive is in its author's vault: only that bailiff may download from it.
    viewer_is_author: bool
    delivery_certificate_name: str
    return_name: str
    # Section 4 (F6.4): the sealed act return in the author's vault, the R.211-4 deadline
    # and where the answer stands.
    act_return: StoredFile | None
    # An answer received but not yet sealed (the RETURN_SEAL step, e.g. the timestamp
    # authority down): its receipt time, and the step with its last error.
    return_received_at: datetime | None
    return_seal: Step | None
    answer: AnswerStatus | None
    answer_state: str
    # A mainlevée: its author links it to the seizure it releases (``web:release``).
    is_release: bool
    history: list[HistoryRow]

    @property
    def failed_step(self) -> Step | None:
        return next((s for s in self.steps if s.state == Step.State.FAILED), None)


def practice_signification(practice: Practice, pk: int) -> Signification:
    """The practice's signification ``pk``; ``Signification.DoesNotExist`` for any other
    (another practice's and a missing one are indistinguishable)."""
    return (
        Signification.objects.select_related(
            "recipient", "nature", "practice", "bailiff", "act_return"
        )
        .defer("signing_certificate", "act_return__pending_pdf")
        .get(pk=pk, practice=practice)
    )


def _received_return(signification: Signification) -> ActReturn | None:
    """The recipient's answer as recorded (sealed or still waiting for its seal)."""
    try:
        return signification.act_return
    except ObjectDoesNotExist:
        return None


def signification_detail(practice: Practice, pk: int, viewer: Bailiff) -> SignificationDetail:
    """Everything the *fiche détaillée* shows, in six queries."""
    signification = practice_signification(practice, pk)
    acts = list(
        signification.acts.defer(
            "pades_pending", "pades_signature", "cades_pending", "cades_signature"
        )
    )
    files = {
        stored.kind: stored
        for stored in StoredFile.objects.filter(
            signification_id=signification.pk,
            vault__bailiff_id=signification.bailiff_id,
            kind__in=[
                StoredFile.Kind.ARCHIVE,
                StoredFile.Kind.DEPOSIT_CERTIFICATE,
                StoredFile.Kind.DELIVERY_CERTIFICATE,
                StoredFile.Kind.ACT_RETURN,
            ],
        ).order_by("deposited_at", "pk")
    }
    stem = acts[0].deposited_name.removesuffix(".pdf") if acts and acts[0].deposited_name else ""
    nature = signification.nature
    act_return = files.get(StoredFile.Kind.ACT_RETURN)
    # Deposited at the answer's time; an answer still waiting for its seal is received.
    received = None if act_return else _received_return(signification)
    now = clock.now()
    answered_at = act_return.deposited_at if act_return else None
    answer = answer_status_of(
        signification, answered_at=received.created_at if received else answered_at, at=now
    )
    steps = {step.name: step for step in signification.steps.all()}  # one query
    return SignificationDetail(
        signification=signification,
        acts=acts,
        delivery_state=delivery_state_of(signification),
        state_detail=state_detail(signification),
        steps=[step for name, step in steps.items() if name not in process.EVENT_STEPS],
        archive=files.get(StoredFile.Kind.ARCHIVE),
        deposit_certificate=files.get(StoredFile.Kind.DEPOSIT_CERTIFICATE),
        delivery_certificate=files.get(StoredFile.Kind.DELIVERY_CERTIFICATE),
        delivery_step=steps.get(Step.Name.DELIVERY),
        letter_due=_letter_due(signification),
        viewer_is_author=viewer.pk == signification.bailiff_id,
        delivery_certificate_name=f"{stem}_REMISE.pdf" if stem else "",
        return_name=(f"{stem}_{nature.return_label}.pdf" if stem and nature.expects_return else ""),
        act_return=act_return,
        return_received_at=received.created_at if received and not act_return else None,
        return_seal=steps.get(Step.Name.RETURN_SEAL),
        answer=answer,
        answer_state=answer_state_label(answer, at=now),
        is_release=nature.code in MAINLEVEE_CODES,
        history=history_of(signification),
    )


def _letter_due(signification: Signification) -> date | None:
    if signification.delivery_state != DeliveryState.AT_HOME or signification.sent_at is None:
        return None
    return letter_due_date(signification.sent_at, signification.recipient.department)


def history_of(signification: Signification) -> list[HistoryRow]:
    """Every journal entry of the signification, oldest first, dated in Paris."""
    return [
        HistoryRow(
            sequence=entry.sequence,
            at=timezone.localtime(entry.recorded_at, PARIS),
            message=history_message(entry, signification.recipient.name),
        )
        for entry in entries_for(signification.pk)
    ]


def filter_history(rows: list[HistoryRow], text: str) -> list[HistoryRow]:
    """The history's filter box: rows whose date or message contains ``text``."""
    wanted = normalize_name(text[:FILTER_MAX_LENGTH])
    if not wanted:
        return rows
    return [
        row for row in rows if wanted in normalize_name(f"{row.at:%d/%m/%Y %H:%M:%S} {row.message}")
    ]


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) and value else default


def history_message(entry: JournalEntry, recipient: str) -> str:
    """The French line of the F6 history for one journal entry: the message recorded with
    the entry when there is one, else a label for its action code."""
    data = entry.data if isinstance(entry.data, dict) else {}
    if message := _text(data, "message"):
        return message
    recipient = _text(data, "recipient", recipient)
    values = {
        "recipient": recipient,
        "file": _text(data, "file"),
        "to": _text(data, "to"),
        "error": _text(data, "error", gettext("raison non précisée")),
    }
    if entry.action == "signification.submitted":
        files = data.get("files")
        names = [f["name"] for f in files if isinstance(f, dict)] if isinstance(files, list) else []
        values["files"] = ", ".join(str(name) for name in names)
    label = _HISTORY_LABELS.get(entry.action)
    if label is None:
        return gettext("Événement « %(action)s »") % {"action": entry.action}
    return str(label) % values


_HISTORY_LABELS = {
    "signification.submitted": gettext_lazy(
        "Signification transmise pour le destinataire %(recipient)s (fichier(s) : %(files)s)"
    ),
    "signification.converted": gettext_lazy("Actes convertis au format PDF/A"),
    "signification.signed": gettext_lazy("Actes signés (signature électronique qualifiée)"),
    "signification.deposited": gettext_lazy(
        "Fichier %(file)s déposé dans le coffre destinataire %(recipient)s"
    ),
    "alert.email.sent": gettext_lazy(
        "Mail d'alerte pour dépôt transmis au destinataire %(recipient)s (%(to)s)"
    ),
    "alert.email.failed": gettext_lazy(
        "Échec du mail d'alerte au destinataire %(recipient)s : %(error)s"
    ),
    "alert.sms.sent": gettext_lazy(
        "SMS d'alerte pour dépôt transmis au destinataire %(recipient)s (%(to)s)"
    ),
    "alert.sms.failed": gettext_lazy(
        "Échec du SMS d'alerte au destinataire %(recipient)s : %(error)s"
    ),
    "deposit_certificate.created": gettext_lazy("Création de l'attestation de dépôt %(file)s"),
    "signification.archived": gettext_lazy(
        "Fichier %(file)s déposé dans votre coffre pour archivage"
    ),
    "act.downloaded": gettext_lazy("Téléchargement par le destinataire"),
}
