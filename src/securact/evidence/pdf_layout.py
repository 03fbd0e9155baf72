"""The layout of the PDFs the platform draws itself with reportlab (the delivery certificate
and the ordinary letter of ``delivery.documents``, the act return of ``returns.documents``):
one look, one way to write times, one escaping rule.

These are legal documents read by French courts and recipients: callers draw them inside
``translation.override(LEGAL_LANGUAGE)``, whatever the language of the request or worker.
Times are shown in Paris time (the UTC instant beside them where it matters).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from securact.core.legal_calendar import PARIS

LEGAL_LANGUAGE = "fr"
# The width between A4's 20 mm margins, for tables that fill the line.
TEXT_WIDTH = 170 * mm
RULE_COLOUR = colors.HexColor("#bbbbbb")


def paris_time(moment: datetime) -> str:
    """« 14/03/2026 à 10:26:53 (heure de Paris) »."""
    local = moment.astimezone(PARIS)
    return gettext("%(day)s à %(time)s (heure de Paris)") % {
        "day": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M:%S"),
    }


def utc_time(moment: datetime) -> str:
    """« 2026-03-14T09:26:53Z », the instant without any zone to misread."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def long_day(day: date) -> str:
    """« lundi 16 mars 2026 »."""
    return date_format(day, "l j F Y")


def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=15
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, alignment=TA_CENTER, textColor=colors.HexColor("#333333")
        ),
        "heading": ParagraphStyle(
            "heading", parent=base["Heading3"], fontName="Helvetica-Bold", fontSize=11
        ),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "label": ParagraphStyle("label", parent=body, fontName="Helvetica-Bold", fontSize=9),
        "hash": ParagraphStyle("hash", parent=body, fontName="Courier", fontSize=7.5, leading=9),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
    }


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names come from the directory, the bailiff and
    the recipient, never trusted as reportlab markup)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def facts_table(rows: list[tuple[str, Flowable | str]], sheet: dict[str, ParagraphStyle]) -> Table:
    """Label / value rows, the labels in bold on the left."""
    cells = [
        [
            paragraph(label, sheet["label"]),
            value if isinstance(value, Flowable) else paragraph(value, sheet["cell"]),
        ]
        for label, value in rows
    ]
    table = Table(cells, colWidths=[52 * mm, 118 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOUR),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def document(target: Path | BinaryIO, title: str, subject: str, author: str) -> SimpleDocTemplate:
    """An A4 document with the platform's margins and its descriptive metadata (kept through
    the PDF/A conversion by ``documents.conversion``)."""
    return SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        subject=subject,
        author=author,
        creator=author,
    )
