"""The act's essential elements and its data message (F8.3): every rule lives here; the
service call, the deposit step, the web form and the recipient API call these.

* ``check_elements``: the elements of a signification, validated (``ActElementsForm``),
  required for a nature that ``needs_data_message``; refused with a French message naming
  the field.
* ``deposit_data_message``: once the acts are in the recipient's vault, the sealed XML goes
  beside them, once: a ``DataMessage`` row records it and is checked before anything is
  redone; the sealed file is kept in the work store, so a retry deposits the same bytes.
* ``recipient_data_message`` / ``recipient_messages_since``: what a recipient may pull.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from lxml import etree

from securact.core.errors import Refusal
from securact.datamessage import message
from securact.datamessage.forms import FIELDS, ActElementsForm
from securact.datamessage.models import ActElements, DataMessage, DebtorKind
from securact.directory.models import ActNature, Recipient
from securact.evidence import journal
from securact.evidence.errors import SealConfigurationError, SealTransientError
from securact.significations import work_store
from securact.significations.models import Signification
from securact.significations.process import PermanentStepError, TransientStepError
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file, recipient_vault, store_content

logger = logging.getLogger(__name__)

DEPOSITED = "data_message.deposited"
DOWNLOADED = "data_message.downloaded"


class ElementsRefused(Refusal):
    """The elements are missing or invalid; ``field`` names the form field at fault."""


def needs_data_message(nature: ActNature | None) -> bool:
    return bool(nature is not None and nature.needs_data_message)


def check_elements(nature: ActNature, raw: Mapping[str, Any] | None) -> ActElements | None:
    """The validated (unsaved) elements, or None when none were given for a nature that
    does not need them. Elements given for another nature are checked and kept too: the
    data message then goes with the deposit all the same."""
    if not raw:
        if needs_data_message(nature):
            raise ElementsRefused(
                gettext(
                    "Les données de l'acte sont obligatoires pour la nature « %(nature)s » : "
                    "débiteur, créancier, titre exécutoire et montants."
                )
                % {"nature": nature.label},
                "debtor_kind",
            )
        return None
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:  # a misspelt key would silently drop what it holds
        raise ElementsRefused(
            gettext("Données de l'acte — champ inconnu : %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    form = ActElementsForm(data={k: "" if v is None else v for k, v in raw.items()})
    if not form.is_valid():
        field, text = form.first_error()
        raise ElementsRefused(gettext("Données de l'acte — %(error)s") % {"error": text}, field)
    elements: ActElements = form.save(commit=False)
    return elements


def record_elements(signification: Signification, elements: ActElements | None) -> None:
    """Keep the checked elements with the signification (inside its creating transaction)."""
    if elements is not None:
        elements.signification = signification
        elements.save()


def _debtor(elements: ActElements) -> message.Person | message.Company:
    if elements.debtor_kind == DebtorKind.COMPANY:
        return message.Company(elements.debtor_company_name, elements.debtor_siren)
    if elements.debtor_birth_date is None:  # the form requires it for a person
        raise PermanentStepError(gettext("Date de naissance du débiteur manquante."))
    return message.Person(
        elements.debtor_surname,
        elements.debtor_given_names,
        elements.debtor_birth_date,
        elements.debtor_birth_place,
    )


def message_data(signification: Signification, elements: ActElements) -> message.DataMessageData:
    """What the message says, from what the database recorded (acts already deposited)."""
    if signification.sent_at is None:
        raise PermanentStepError(gettext("Le message de données ne peut précéder le dépôt."))
    acts = tuple(
        message.ServedAct(act.deposited_name, act.stored_file.size, act.stored_file.sha256)
        for act in signification.acts.select_related("stored_file")
        if act.stored_file is not None
    )
    return message.DataMessageData(
        platform=settings.SECURACT_PLATFORM_NAME,
        signification_id=signification.pk,
        deposit_reference=signification.reference,
        practice_code=signification.practice.code,
        practice_name=signification.practice.name,
        nature_code=signification.nature.code,
        nature_label=signification.nature.label,
        recipient_name=signification.recipient.name,
        recipient_siret=signification.recipient.siret,
        sent_at=signification.sent_at,
        acts=acts,
        debtor=_debtor(elements),
        creditor_name=elements.creditor_name,
        creditor_siren=elements.creditor_siren,
        title=message.Title(
            elements.title_kind,
            elements.title_issuer,
            elements.title_date,
            elements.title_reference,
        ),
        amounts=message.Amounts(elements.principal, elements.interest, elements.costs),
    )


def _still_valid(path: Path) -> bool:
    """A sealed file left by an earlier run is reused only if it is whole and valid."""
    try:
        message.validate_data_message(etree.parse(str(path)).getroot())
    except (OSError, etree.XMLSyntaxError, message.InvalidDataMessage):
        return False
    return True


def _write_sealed(signification: Signification, elements: ActElements, key: str) -> Path:
    """Build, check, seal and timestamp the message; stored under ``key`` once: the seal's
    time and timestamp differ at each sealing, so a retry (on any worker) must reuse this
    very file. Returns a local copy of it."""
    if work_store.exists(key):
        with contextlib.suppress(work_store.MissingWorkFile):
            kept = work_store.local_copy(key)
            if _still_valid(kept):
                return kept
    try:
        sealed = message.sealed_data_message(message_data(signification, elements))
    except SealTransientError as error:
        raise TransientStepError(str(error)) from error
    except (SealConfigurationError, message.InvalidDataMessage) as error:
        raise PermanentStepError(str(error)) from error
    work_store.put_bytes(key, sealed)
    return work_store.local_copy(key)


def deposit_data_message(signification: Signification) -> DataMessage | None:
    """Put the sealed data message into the recipient's vault beside the acts, once.

    Called by the deposit step after every act is deposited. Idempotent: the row says it
    is done; a worker killed between the vault entry and the row finds the same file (in
    the work store) and the same vault entry (same name, same bytes)."""
    done = DataMessage.objects.filter(signification=signification).first()
    if done is not None:
        return done
    elements = ActElements.objects.filter(signification=signification).first()
    if elements is None:
        return None
    first = signification.acts.order_by("position").first()
    if first is None or not first.deposited_name:
        raise PermanentStepError(gettext("Le message de données ne peut précéder le dépôt."))
    name = message.message_name(first.deposited_name)
    sealed = _write_sealed(signification, elements, work_store.key_for(signification.pk, name))
    return _deposit(signification, name, sealed)


def _deposit(signification: Signification, name: str, sealed: Path) -> DataMessage:
    now = timezone.now()
    content = store_content(sealed)  # before the transaction: the TSA is a network call
    with transaction.atomic():
        stored = deposit_file(
            recipient_vault(signification.recipient),
            name,
            content,
            depositor=journal.PLATFORM_ACTOR,
            deposited_at=now,
            kind=StoredFile.Kind.DATA_MESSAGE,
            signification_id=signification.pk,
        )
        recorded, created = DataMessage.objects.get_or_create(
            signification=signification, defaults={"stored_file": stored, "deposited_at": now}
        )
        if created:
            journal.append(
                DEPOSITED,
                actor=journal.PLATFORM_ACTOR,
                signification_id=signification.pk,
                data={
                    "etsi_event": "ContentConsignment",
                    "file": stored.name,
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "message": gettext(
                        "Message de données %(file)s déposé dans le coffre destinataire "
                        "%(recipient)s"
                    )
                    % {"file": stored.name, "recipient": signification.recipient.name},
                },
            )
    logger.info("signification %s: data message %s deposited", signification.pk, stored.name)
    return recorded


def archive_entry(signification: Signification) -> tuple[str, str] | None:
    """(name, work store key) of the deposited data message for the bailiff's archive ZIP:
    the bailiff keeps what the recipient's software was given. None when there is none."""
    recorded = (
        DataMessage.objects.select_related("stored_file")
        .filter(signification=signification)
        .first()
    )
    if recorded is None:
        return None
    name = recorded.stored_file.name
    return name, work_store.key_for(signification.pk, name)


def recipient_data_message(recipient: Recipient, signification_id: int) -> DataMessage | None:
    """The data message of that signification if ``recipient`` is the one it was served on;
    None otherwise, whether it exists or not (the caller answers 404 either way)."""
    return (
        DataMessage.objects.select_related("stored_file", "signification")
        .filter(signification_id=signification_id, signification__recipient=recipient)
        .first()
    )


def recipient_messages_since(recipient: Recipient, since: datetime | None) -> QuerySet[DataMessage]:
    """The recipient's data messages deposited at or after ``since``, oldest first (a
    client pulls again from the last time it saw, and drops ids it already has)."""
    messages = DataMessage.objects.select_related(
        "stored_file", "signification__practice", "signification__nature"
    ).filter(signification__recipient=recipient)
    if since is not None:
        messages = messages.filter(deposited_at__gte=since)
    return messages.order_by("deposited_at", "pk")


def record_download(recorded: DataMessage, actor: str) -> None:
    """Every download of a data message is journaled (it does not decide the delivery:
    the act is the signed PDF, whose first download is the opening, CPC 663)."""
    journal.append(
        DOWNLOADED,
        actor=actor,
        signification_id=recorded.signification_id,
        data={
            "etsi_event": "ContentAccessTracking",
            "file": recorded.stored_file.name,
            "sha256": recorded.stored_file.sha256,
            "message": gettext("Message de données %(file)s téléchargé par le destinataire")
            % {"file": recorded.stored_file.name},
        },
    )
