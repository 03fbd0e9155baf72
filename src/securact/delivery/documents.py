"""The two PDFs of the delivery, drawn with reportlab from plain data (no database here):
the delivery certificate (*attestation de remise*, F6.3), made PDF/A and sealed afterwards,
and the ordinary letter of art. 662-1 CPC that the bailiff prints (*lettre simple*).

Both are legal documents read by French courts and recipients: they are written in French
whatever the language of the request or worker. Times are shown in Paris time, with the UTC
instant beside them for the certificate (art. 664-1: the time of sending is the time of
service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from securact.core.legal_calendar import DELIVERY_RULE_24H, PARIS
from securact.evidence.pdf_layout import (
    LEGAL_LANGUAGE,
    long_day,
    paris_time,
    utc_time,
)
from securact.evidence.pdf_layout import document as _document
from securact.evidence.pdf_layout import facts_table as _facts
from securact.evidence.pdf_layout import paragraph as _p
from securact.evidence.pdf_layout import styles as _styles
from securact.significations.models import DeliveryState

# A line to fill in by hand where the platform does not know the value.
BLANK = "." * 60


@dataclass(frozen=True)
class ActLine:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Parties:
    practice_code: str
    practice_name: str
    bailiff_name: str
    recipient_name: str
    recipient_siret: str
    recipient_address: str


@dataclass(frozen=True)
class CertificateContent:
    """What the delivery certificate states."""

    platform: str
    signification_id: int
    reference: str
    nature: str
    parties: Parties
    acts: tuple[ActLine, ...]
    sent_at: datetime
    deadline: datetime
    rule: str
    mode: DeliveryState
    delivered_at: datetime
    opened_at: datetime | None
    letter_due: date | None
    issued_at: datetime


@dataclass(frozen=True)
class LetterContent:
    """What the ordinary letter states (art. 662-1 CPC)."""

    platform: str
    public_url: str
    reference: str
    nature: str
    parties: Parties
    act_names: tuple[str, ...]
    sent_at: datetime
    deadline: datetime
    letter_due: date


# --- the delivery certificate ------------------------------------------------------------------


def _rule_text(rule: str) -> str:
    if rule == DELIVERY_RULE_24H:
        return gettext(
            "consultation dans les 24 heures suivant l'envoi (règle de la plateforme, "
            "manuel SECURACT)"
        )
    return gettext(
        "consultation le jour de la transmission, heure de Paris (article 662-1 du code de "
        "procédure civile)"
    )


def _legal_basis(content: CertificateContent) -> str:
    values = {
        "deadline": paris_time(content.deadline),
        "opened": paris_time(content.opened_at) if content.opened_at else "",
    }
    if content.mode == DeliveryState.IN_PERSON:
        return (
            gettext(
                "Le destinataire a ouvert (téléchargé) l'acte le %(opened)s, avant l'échéance "
                "du %(deadline)s : conformément à l'article 662-1 du code de procédure civile, "
                "la signification est faite à personne. L'heure d'ouverture est celle que "
                "mentionne l'article 663 du même code."
            )
            % values
        )
    text = (
        gettext(
            "Le destinataire n'a pas ouvert l'acte avant l'échéance du %(deadline)s : "
            "conformément à l'article 662-1 du code de procédure civile, la signification est "
            "faite à domicile. Le commissaire de justice en informe le destinataire par lettre "
            "simple le premier jour ouvrable suivant."
        )
        % values
    )
    if content.letter_due is not None:
        text += " " + gettext("Lettre simple à envoyer le %(day)s.") % {
            "day": long_day(content.letter_due)
        }
    return text


def _acts_table(acts: tuple[ActLine, ...], styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[tuple[str, Flowable | str]] = []
    for number, act in enumerate(acts, start=1):
        rows.append((gettext("Acte n° %(n)d") % {"n": number}, act.name))
        rows.append((gettext("Empreinte SHA-256"), _p(act.sha256, styles["hash"])))
        rows.append((gettext("Taille"), gettext("%(size)d octets") % {"size": act.size}))
    return _facts(rows, styles)


def _certificate_story(content: CertificateContent) -> list[Flowable]:
    styles = _styles()
    parties = content.parties
    mode = (
        gettext("Remise à personne")
        if content.mode == DeliveryState.IN_PERSON
        else gettext("Remise à domicile")
    )
    opened = (
        paris_time(content.opened_at)
        if content.opened_at
        else gettext("non ouvert avant l'échéance")
    )
    recipient = gettext("%(name)s — N° SIRET %(siret)s") % {
        "name": parties.recipient_name,
        "siret": parties.recipient_siret,
    }
    if parties.recipient_address:
        recipient += "\n" + parties.recipient_address
    return [
        _p(gettext("Attestation de remise"), styles["title"]),
        _p(
            gettext("Acte signifié par voie électronique — plateforme %(platform)s")
            % {"platform": content.platform},
            styles["subtitle"],
        ),
        Spacer(1, 6 * mm),
        _facts(
            [
                (gettext("Mode de remise"), mode),
                (gettext("Date et heure de la remise"), paris_time(content.delivered_at)),
                (gettext("Fondement"), _legal_basis(content)),
            ],
            styles,
        ),
        Spacer(1, 4 * mm),
        _p(gettext("La signification"), styles["heading"]),
        _facts(
            [
                (gettext("Référence de dépôt"), content.reference),
                (gettext("N° de signification"), str(content.signification_id)),
                (gettext("Nature de l'acte"), content.nature),
                (
                    gettext("Commissaire de justice"),
                    gettext("%(bailiff)s — étude %(practice)s (code %(code)s)")
                    % {
                        "bailiff": parties.bailiff_name,
                        "practice": parties.practice_name,
                        "code": parties.practice_code,
                    },
                ),
                (gettext("Destinataire"), recipient),
                (
                    gettext("Date et heure de l'envoi (art. 664-1 CPC)"),
                    f"{paris_time(content.sent_at)}\n{utc_time(content.sent_at)}",
                ),
                (gettext("Règle de remise"), _rule_text(content.rule)),
                (gettext("Échéance"), paris_time(content.deadline)),
                (gettext("Ouverture par le destinataire (art. 663 CPC)"), opened),
            ],
            styles,
        ),
        Spacer(1, 4 * mm),
        _p(gettext("Acte(s) signifié(s)"), styles["heading"]),
        _acts_table(content.acts, styles),
        Spacer(1, 6 * mm),
        _p(
            gettext(
                "Attestation établie le %(issued)s et scellée par la plateforme %(platform)s "
                "(cachet électronique PAdES horodaté). Son intégrité et son origine se vérifient "
                "avec tout lecteur PDF qui valide les signatures, ou hors ligne avec pyHanko."
            )
            % {"issued": paris_time(content.issued_at), "platform": content.platform},
            styles["small"],
        ),
    ]


def render_certificate(content: CertificateContent, path: Path) -> None:
    """Draw the delivery certificate (a plain PDF: PDF/A conversion and seal come next)."""
    with translation.override(LEGAL_LANGUAGE):
        document = _document(
            path,
            title=gettext("Attestation de remise — %(reference)s")
            % {"reference": content.reference},
            subject=gettext("Attestation de remise d'un acte signifié par voie électronique"),
            author=content.platform,
        )
        document.build(_certificate_story(content))


# --- the ordinary letter -----------------------------------------------------------------------


def _letter_story(content: LetterContent) -> list[Flowable]:
    styles = _styles()
    parties = content.parties
    sender = gettext("%(bailiff)s\nCommissaire de justice\nÉtude %(practice)s (code %(code)s)") % {
        "bailiff": parties.bailiff_name,
        "practice": parties.practice_name,
        "code": parties.practice_code,
    }
    address = parties.recipient_address or "\n".join(
        [gettext("[adresse du destinataire]"), BLANK, BLANK]
    )
    sent = content.sent_at.astimezone(PARIS)
    body = gettext(
        "Madame, Monsieur,\n\nJe vous informe qu'un acte de nature « %(nature)s » vous a été "
        "signifié par voie électronique le %(day)s à %(time)s (heure de Paris), par "
        "l'intermédiaire de la plateforme %(platform)s, à la requête de : %(requester)s.\n\n"
        "Cet acte n'ayant pas été ouvert avant le %(deadline)s, la signification est faite à "
        "domicile (article 662-1 du code de procédure civile). L'acte reste disponible dans "
        "votre coffre-fort électronique sur la plateforme %(platform)s (%(url)s), sous le nom "
        "%(names)s (référence %(reference)s).\n\nJe vous prie d'agréer, Madame, Monsieur, "
        "l'expression de mes salutations distinguées."
    ) % {
        "nature": content.nature,
        "day": sent.strftime("%d/%m/%Y"),
        "time": sent.strftime("%H:%M"),
        "platform": content.platform,
        "requester": BLANK,
        "deadline": paris_time(content.deadline),
        "url": content.public_url,
        "names": ", ".join(content.act_names),
        "reference": content.reference,
    }
    return [
        _p(sender, styles["body"]),
        Spacer(1, 12 * mm),
        Table(
            [[_p(f"{parties.recipient_name}\n{address}", styles["body"])]],
            colWidths=[80 * mm],
            hAlign="RIGHT",
        ),
        Spacer(1, 10 * mm),
        _p(
            gettext("À %(place)s, le %(day)s")
            % {"place": "." * 30, "day": long_day(content.letter_due)},
            styles["body"],
        ),
        Spacer(1, 6 * mm),
        _p(
            gettext(
                "Objet : signification d'un acte par voie électronique — information par "
                "lettre simple (article 662-1 du code de procédure civile)"
            ),
            styles["label"],
        ),
        Spacer(1, 6 * mm),
        _p(body, styles["body"]),
        Spacer(1, 12 * mm),
        _p(parties.bailiff_name, styles["body"]),
    ]


def render_letter(content: LetterContent, target: Path | BinaryIO) -> None:
    """Draw the pre-filled ordinary letter for the bailiff to print and post."""
    with translation.override(LEGAL_LANGUAGE):
        document = _document(
            target,
            title=gettext("Lettre simple — %(reference)s") % {"reference": content.reference},
            subject=gettext("Information du destinataire d'une signification électronique"),
            author=content.parties.bailiff_name,
        )
        document.build(_letter_story(content))
