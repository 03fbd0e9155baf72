"""The vocabulary shared by the documents modules: what a file is, which PDF/A level is
wanted, and the two ways handling a file can fail.

Kept in one small module so that uploads, inspection, conversion and the unoserver client can
all use it without importing each other; ``uploads`` and ``conversion`` re-export it.
"""

from __future__ import annotations

from enum import StrEnum

from securact.core.errors import Refusal


class DocumentKind(StrEnum):
    """What a file is, decided by its content (the extension must merely agree)."""

    PDF = "pdf"
    DOC = "doc"
    DOCX = "docx"
    ODT = "odt"


class PdfaLevel(StrEnum):
    """PDF/A level of a converted act: 2b by default (survives signing and transparency),
    1b when a recipient asks for it (PDF 1.4, what the original manual called PDF/A-1)."""

    A2B = "2b"
    A1B = "1b"

    @property
    def part(self) -> int:
        return int(self.value[0])

    @property
    def claim(self) -> str:
        """The claim pikepdf reports for a conforming file: "2B", "1B"."""
        return self.value.upper()


class UploadRefused(Refusal):
    """A file refused at upload; ``message`` is French, names the file, and tells the bailiff
    what is wrong with it."""


class ConversionFailed(Refusal):
    """Conversion to PDF/A failed; ``message`` is French.

    ``transient`` is True when the same call may succeed later (the converter was unreachable
    or timed out); the process engine retries those and marks the others failed.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
