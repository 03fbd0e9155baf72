"""The PDF of a vault file's proof (F7.3), drawn with reportlab from the proof's JSON
document (``vault.proof.proof_document``): the same facts, in French, for a judge.

A plain PDF here; ``proof.proof_archive`` makes it PDF/A-2b and seals it (PAdES B-LTA), like
the delivery certificate. Times are shown in Paris time with the UTC instant beside them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from securact.evidence.journal import PLATFORM_ACTOR
from securact.evidence.pdf_layout import (
    LEGAL_LANGUAGE,
    RULE_COLOUR,
    paris_time,
    utc_time,
)
from securact.evidence.pdf_layout import document as _document
from securact.evidence.pdf_layout import facts_table as _facts
from securact.evidence.pdf_layout import paragraph as _p
from securact.evidence.pdf_layout import styles as _styles
from securact.vault.journaling import VaultAction
from securact.vault.models import StoredFile

# Beyond this many journal entries the PDF refers to proof.json, which holds them all (its
# SHA-256 is in the PDF, so the seal covers it).
PDF_JOURNAL_ROWS = 300


def action_labels() -> dict[str, str]:
    """French names of the vault's journal actions (call under the legal language)."""
    return {
        VaultAction.DEPOSITED: gettext("Dépôt"),
        VaultAction.READ: gettext("Consultation"),
        VaultAction.DOWNLOADED: gettext("Téléchargement"),
        VaultAction.MOVED: gettext("Déplacement"),
        VaultAction.RENAMED: gettext("Renommage"),
        VaultAction.PROPERTIES: gettext("Modification des propriétés"),
        VaultAction.TRANSFERRED: gettext("Transfert d'une copie"),
        VaultAction.DELETED: gettext("Suppression"),
        VaultAction.DELETION_REFUSED: gettext("Suppression refusée"),
        VaultAction.HOLD_SET: gettext("Gel juridique posé"),
        VaultAction.HOLD_RELEASED: gettext("Gel juridique levé"),
        VaultAction.PROOF: gettext("Preuve délivrée"),
        VaultAction.ALTERED: gettext("Contrôle : contenu altéré"),
        VaultAction.MISSING: gettext("Contrôle : contenu introuvable"),
        VaultAction.UNREADABLE: gettext("Contrôle : contenu illisible"),
        VaultAction.AUDITED: gettext("Contrôle d'intégrité"),
    }


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _when(text: str | None) -> str:
    moment = _moment(text)
    return f"{paris_time(moment)}\n{utc_time(moment)}" if moment else ""


def _actor(fingerprint: str, holders: dict[str, str]) -> str:
    if fingerprint == PLATFORM_ACTOR:
        return gettext("la plateforme")
    holder = holders.get(fingerprint)
    return f"{holder} ({fingerprint[:16]}…)" if holder else f"{fingerprint[:16]}…"


def _depositor_rows(
    file: dict[str, Any], sheet: dict[str, ParagraphStyle]
) -> list[tuple[str, Flowable | str]]:
    if file["depositor"] == PLATFORM_ACTOR:
        return [
            (
                gettext("Déposant"),
                gettext("la plateforme (dépôt fait par le processus de signification)"),
            )
        ]
    return [
        (gettext("Déposant"), file["depositor_holder"] or gettext("titulaire du certificat")),
        (gettext("Certificat du déposant (SHA-256)"), _p(file["depositor"], sheet["hash"])),
    ]


def _fixity(fixity: dict[str, Any]) -> str:
    state = fixity["state"]
    label = str(StoredFile.Fixity(state).label) if state in StoredFile.Fixity else state
    if fixity["checked_at"]:
        return f"{label} — {_when(fixity['checked_at'])}"
    return label


def _file_rows(document: dict[str, Any], sheet: dict[str, ParagraphStyle]) -> list[Any]:
    file, vault = document["file"], document["vault"]
    if file["legal_hold"]:
        hold = gettext("oui : %(reason)s") % {
            "reason": file["legal_hold_reason"] or gettext("aucun motif indiqué")
        }
    else:
        hold = gettext("non")
    rows: list[tuple[str, Flowable | str]] = [
        (gettext("Nom"), file["name"]),
        (gettext("Dossier"), file["folder"]),
        (gettext("Nature"), file["kind_label"] or file["kind"]),
        (gettext("Taille"), gettext("%(size)d octets") % {"size": file["size"]}),
        (gettext("Empreinte SHA-256"), _p(file["sha256"], sheet["hash"])),
        *_depositor_rows(file, sheet),
        (gettext("Déposé le"), _when(file["deposited_at"])),
        (
            gettext("Conservé jusqu'au"),
            _when(file["retain_until"]) or gettext("sans durée imposée (fichier personnel)"),
        ),
        (gettext("Gel juridique"), hold),
        (gettext("Dernier contrôle d'intégrité"), _fixity(file["fixity"])),
        (
            gettext("Coffre-fort"),
            gettext("%(owner)s (coffre n° %(id)d)") % {"owner": vault["owner"], "id": vault["id"]},
        ),
    ]
    if file["signification_id"] is not None:
        rows.insert(-4, (gettext("N° de signification"), str(file["signification_id"])))
    return rows


def _timestamp_rows(
    document: dict[str, Any], sheet: dict[str, ParagraphStyle]
) -> list[tuple[str, Flowable | str]]:
    stamp = document["deposit_timestamp"]
    if not stamp["present"]:
        return [
            (
                gettext("Horodatage"),
                gettext(
                    "Aucun : ce fichier a été déposé avant que la plateforme horodate les "
                    "dépôts. Le dépôt est attesté par le journal des preuves ci-dessous."
                ),
            )
        ]
    imprint = stamp["message_imprint"]
    return [
        (gettext("Heure attestée par l'autorité"), _when(stamp["time"])),
        (gettext("Autorité d'horodatage"), stamp["tsa"]),
        (gettext("N° de série du jeton"), _p(stamp["serial_number"], sheet["hash"])),
        (gettext("Politique"), stamp["policy"]),
        (
            gettext("Empreinte horodatée (%(algorithm)s)")
            % {"algorithm": imprint["hash_algorithm"]},
            _p(imprint["hashed_message"], sheet["hash"]),
        ),
        (
            gettext("Jeton"),
            gettext("fichier %(file)s joint à cette preuve") % {"file": stamp["file"]},
        ),
    ]


def _journal_table(document: dict[str, Any], sheet: dict[str, ParagraphStyle]) -> Table:
    labels = action_labels()
    holders = document["journal"]["actors"]
    header = [
        _p(text, sheet["label"])
        for text in (
            gettext("N°"),
            gettext("Date (heure de Paris)"),
            gettext("Opération"),
            gettext("Auteur"),
        )
    ]
    rows: list[list[Any]] = [header]
    spans = []
    for entry in document["journal"]["entries"][:PDF_JOURNAL_ROWS]:
        moment = _moment(entry["recorded_at"])
        rows.append(
            [
                _p(str(entry["sequence"]), sheet["cell"]),
                _p(moment.strftime("%d/%m/%Y %H:%M:%S") if moment else "", sheet["cell"]),
                _p(labels.get(entry["action"], entry["action"]), sheet["cell"]),
                _p(_actor(entry["actor"], holders), sheet["cell"]),
            ]
        )
        rows.append(
            [
                _p(
                    gettext("feuille n° %(index)d de l'arbre — empreinte : %(hash)s")
                    % {"index": entry["leaf_index"], "hash": entry["entry_hash"]},
                    sheet["hash"],
                )
            ]
        )
        spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    table = Table(rows, colWidths=[16 * mm, 40 * mm, 52 * mm, 62 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE_COLOUR),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *spans,
            ]
        )
    )
    return table


def _journal_section(document: dict[str, Any], sheet: dict[str, ParagraphStyle]) -> list[Flowable]:
    entries = document["journal"]["entries"]
    head = document["journal"]["head"]
    story: list[Flowable] = [
        _p(gettext("Journal des preuves : les opérations sur ce fichier"), sheet["heading"]),
        _p(
            gettext(
                "Chaque opération est une entrée numérotée du journal de la plateforme : son "
                "empreinte est le SHA-256 de sa forme canonique, et elle est une feuille de "
                "l'arbre de Merkle du journal (RFC 9162), dont la taille et la racine à "
                "l'émission figurent ci-dessous. Les entrées complètes, avec la preuve "
                "d'inclusion de chacune dans cet arbre, figurent dans %(json)s."
            )
            % {"json": "proof.json"},
            sheet["small"],
        ),
        Spacer(1, 2 * mm),
        _journal_table(document, sheet),
    ]
    if len(entries) > PDF_JOURNAL_ROWS:
        story.append(
            _p(
                gettext("… et %(count)d autres entrées, toutes dans %(json)s.")
                % {"count": len(entries) - PDF_JOURNAL_ROWS, "json": "proof.json"},
                sheet["small"],
            )
        )
    story += [
        Spacer(1, 2 * mm),
        _facts(
            [
                (
                    gettext("Arbre du journal à l'émission"),
                    gettext("%(size)d feuilles") % {"size": head["tree_size"]},
                ),
                (gettext("Racine de l'arbre"), _p(head["root_hash"], sheet["hash"])),
            ],
            sheet,
        ),
    ]
    return story


def _attachment_rows(
    attachments: dict[str, str], sheet: dict[str, ParagraphStyle]
) -> list[tuple[str, Flowable | str]]:
    return [(name, _p(digest, sheet["hash"])) for name, digest in attachments.items()]


def _story(document: dict[str, Any], attachments: dict[str, str]) -> list[Flowable]:
    sheet = _styles()
    platform = document["platform"]["name"]
    issued = datetime.fromisoformat(document["issued_at"].replace("Z", "+00:00"))
    return [
        _p(gettext("Preuve de dépôt et d'intégrité"), sheet["title"]),
        _p(
            gettext("Fichier du coffre-fort électronique — plateforme %(platform)s")
            % {"platform": platform},
            sheet["subtitle"],
        ),
        Spacer(1, 5 * mm),
        _p(
            gettext(
                "La plateforme %(platform)s atteste que le fichier décrit ci-dessous, dont "
                "le contenu a l'empreinte SHA-256 indiquée, a été déposé dans le coffre-fort "
                "à la date indiquée, et que les opérations énumérées sont toutes celles que "
                "son journal des preuves enregistre sur ce fichier à la date d'émission."
            )
            % {"platform": platform},
            sheet["body"],
        ),
        Spacer(1, 3 * mm),
        _p(gettext("Le fichier"), sheet["heading"]),
        _facts(_file_rows(document, sheet), sheet),
        Spacer(1, 3 * mm),
        _p(gettext("Horodatage du dépôt (RFC 3161)"), sheet["heading"]),
        _facts(_timestamp_rows(document, sheet), sheet),
        Spacer(1, 3 * mm),
        *_journal_section(document, sheet),
        Spacer(1, 3 * mm),
        _p(gettext("Pièces jointes à cette preuve (empreintes SHA-256)"), sheet["heading"]),
        _facts(_attachment_rows(attachments, sheet), sheet),
        Spacer(1, 4 * mm),
        _p(
            gettext(
                "Preuve émise le %(issued)s et scellée par la plateforme %(platform)s (cachet "
                "électronique PAdES horodaté, avec les données de révocation). Pour la vérifier "
                "sans la plateforme : le SHA-256 du fichier se recalcule (sha256sum), le jeton "
                "d'horodatage se vérifie avec « openssl ts -verify », ce cachet avec pyHanko, et "
                "chaque entrée du journal se recalcule (voir README.txt)."
            )
            % {"issued": paris_time(issued), "platform": platform},
            sheet["small"],
        ),
    ]


def render_proof_pdf(document: dict[str, Any], attachments: dict[str, str], path: Path) -> None:
    """Draw the proof (a plain PDF: PDF/A conversion and the seal come next)."""
    with translation.override(LEGAL_LANGUAGE):
        pdf = _document(
            path,
            title=gettext("Preuve — %(name)s") % {"name": document["file"]["name"]},
            subject=gettext("Preuve de dépôt et d'intégrité d'un fichier du coffre-fort"),
            author=document["platform"]["name"],
        )
        pdf.build(_story(document, attachments))
