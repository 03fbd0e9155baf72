"""The act return's PDF, drawn with reportlab from plain data (no database here): the
garnishee's declaration in French — the parties, the R.211-4 deadline, the accounts table
with its totals, the protected balance, earlier seizures — followed by the pages of the
recipient's own PDF when it sent one too (pikepdf). PDF/A conversion and the platform's seal
come next (``evidence.pdf_seal.seal_as_pdfa``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pikepdf
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from securact.delivery.documents import Parties
from securact.evidence.pdf_layout import (
    LEGAL_LANGUAGE,
    RULE_COLOUR,
    document,
    facts_table,
    long_day,
    paragraph,
    paris_time,
    styles,
)
from securact.returns.declaration import Declaration
from securact.returns.models import AccountKind, Direction


@dataclass(frozen=True)
class Attachment:
    """The recipient's own PDF, reproduced after the declaration."""

    name: str
    pages: int


@dataclass(frozen=True)
class ReturnContent:
    platform: str
    signification_id: int
    reference: str
    nature: str
    parties: Parties
    act_names: tuple[str, ...]
    sent_at: datetime
    deadline: date
    deposited_at: datetime
    declaration: Declaration
    attachment: Attachment | None


def euros(amount: Decimal) -> str:
    """« 1 234,56 € » (French grouping and decimal comma)."""
    return gettext("%(amount)s €") % {
        "amount": number_format(amount, 2, use_l10n=True, force_grouping=True)
    }


def _direction(value: str) -> str:
    return str(Direction(value).label).lower()


def _accounts_table(declaration: Declaration, sheet: dict[str, ParagraphStyle]) -> Flowable:
    if not declaration.accounts:
        return paragraph(
            gettext("Le tiers saisi ne tient aucun compte au nom du débiteur."), sheet["body"]
        )
    # Account numbers in a fixed-width font, large enough to copy by eye.
    number_style = ParagraphStyle("number", parent=sheet["cell"], fontName="Courier")
    header = [gettext("N°"), gettext("Type de compte"), gettext("Numéro"), gettext("Solde")]
    header.append(gettext("Sens"))
    rows: list[list[object]] = [[paragraph(text, sheet["label"]) for text in header]]
    for number, account in enumerate(declaration.accounts, start=1):
        rows.append(
            [
                str(number),
                paragraph(str(AccountKind(account.kind).label), sheet["cell"]),
                paragraph(account.number, number_style),
                euros(account.balance),
                _direction(account.direction),
            ]
        )
    totals = declaration.totals
    net_sense = Direction.CREDIT if totals.net >= 0 else Direction.DEBIT
    for label, amount, sense in (
        (gettext("Total des soldes créditeurs"), totals.credit, ""),
        (gettext("Total des soldes débiteurs"), totals.debit, ""),
        (gettext("Solde global"), abs(totals.net), _direction(net_sense)),
    ):
        rows.append(["", paragraph(label, sheet["label"]), "", euros(amount), sense])
    table = Table(rows, colWidths=[10 * mm, 48 * mm, 62 * mm, 30 * mm, 20 * mm], repeatRows=1)
    first_total = len(declaration.accounts) + 1
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOUR),
                ("LINEABOVE", (0, first_total), (-1, first_total), 0.8, colors.black),
                ("SPAN", (1, first_total), (2, first_total)),
                ("SPAN", (1, first_total + 1), (2, first_total + 1)),
                ("SPAN", (1, first_total + 2), (2, first_total + 2)),
                ("FONT", (3, first_total + 2), (-1, first_total + 2), "Helvetica-Bold", 9),
            ]
        )
    )
    return table


def _protected_balance(declaration: Declaration) -> str:
    if not declaration.debtor_is_individual or declaration.protected_balance is None:
        return gettext("Sans objet : le débiteur n'est pas une personne physique.")
    return gettext(
        "%(amount)s laissés à la disposition du débiteur, personne physique (article R.162-2 "
        "du code des procédures civiles d'exécution)."
    ) % {"amount": euros(declaration.protected_balance)}


def _facts(content: ReturnContent, sheet: dict[str, ParagraphStyle]) -> Flowable:
    parties = content.parties
    return facts_table(
        [
            (
                gettext("Tiers saisi (destinataire)"),
                gettext("%(name)s — N° SIRET %(siret)s")
                % {"name": parties.recipient_name, "siret": parties.recipient_siret},
            ),
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
            (gettext("Acte(s) signifié(s)"), "\n".join(content.act_names)),
            (gettext("Date de la signification"), paris_time(content.sent_at)),
            (
                gettext("Date limite de réponse (art. R.211-4 CPCE)"),
                long_day(content.deadline),
            ),
            (gettext("Réponse déposée le"), paris_time(content.deposited_at)),
        ],
        sheet,
    )


def _story(content: ReturnContent) -> list[Flowable]:
    sheet = styles()
    declaration = content.declaration
    story: list[Flowable] = [
        paragraph(gettext("Déclaration du tiers saisi"), sheet["title"]),
        paragraph(
            gettext(
                "Réponse à un acte signifié par voie électronique — plateforme %(platform)s "
                "(articles L.211-3 et R.211-4 du code des procédures civiles d'exécution)"
            )
            % {"platform": content.platform},
            sheet["subtitle"],
        ),
        Spacer(1, 6 * mm),
        _facts(content, sheet),
        Spacer(1, 5 * mm),
        paragraph(
            gettext(
                "Comptes du débiteur et leur solde au jour de la saisie (article L.162-1 du "
                "code des procédures civiles d'exécution)"
            ),
            sheet["heading"],
        ),
        _accounts_table(declaration, sheet),
        Spacer(1, 4 * mm),
        paragraph(gettext("Solde bancaire insaisissable"), sheet["heading"]),
        paragraph(_protected_balance(declaration), sheet["body"]),
        Spacer(1, 4 * mm),
        paragraph(gettext("Saisies, nantissements ou cessions antérieurs"), sheet["heading"]),
        paragraph(declaration.prior_encumbrances or gettext("Néant."), sheet["body"]),
    ]
    if content.attachment is not None:
        story += [
            Spacer(1, 4 * mm),
            paragraph(gettext("Pièce jointe"), sheet["heading"]),
            paragraph(
                gettext(
                    "Le destinataire a joint le document « %(name)s » (%(pages)d page(s)), "
                    "reproduit à la suite de cette déclaration."
                )
                % {"name": content.attachment.name, "pages": content.attachment.pages},
                sheet["body"],
            ),
        ]
    story += [
        Spacer(1, 6 * mm),
        paragraph(
            gettext(
                "Déclaration déposée par le destinataire le %(at)s sur la plateforme "
                "%(platform)s, qui l'a scellée (cachet électronique PAdES horodaté). Son "
                "intégrité et son origine se vérifient avec tout lecteur PDF qui valide les "
                "signatures, ou hors ligne avec pyHanko."
            )
            % {"at": paris_time(content.deposited_at), "platform": content.platform},
            sheet["small"],
        ),
    ]
    return story


def render_declaration(content: ReturnContent, path: Path) -> None:
    """Draw the declaration (a plain PDF: the attachment, PDF/A and seal come next)."""
    with translation.override(LEGAL_LANGUAGE):
        document(
            path,
            title=gettext("Déclaration du tiers saisi — %(reference)s")
            % {"reference": content.reference},
            subject=gettext("Retour d'acte : déclaration du tiers saisi"),
            author=content.parties.recipient_name,
        ).build(_story(content))


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as document_:
        return len(document_.pages)


def append_pages(first: Path, then: Path, out: Path) -> None:
    """``first`` followed by every page of ``then``, written to ``out``."""
    with pikepdf.open(first) as combined, pikepdf.open(then) as attachment:
        combined.pages.extend(attachment.pages)
        combined.save(out)
