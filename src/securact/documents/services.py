"""What other apps call to accept and convert acts (F3.4, F4.1).

Thin on purpose: the rules live in ``uploads`` (and the inspection modules) and
``conversion``; this module is the one import path for views, the API and tasks.
"""

from __future__ import annotations

from securact.documents.conversion import (
    ConversionFailed,
    PdfaLevel,
    convert_to_pdfa,
    pdfa_claim,
)
from securact.documents.uploads import (
    DocumentKind,
    UploadRefused,
    check_total_size,
    check_upload,
    clean_file_name,
    save_upload,
)

__all__ = [
    "ConversionFailed",
    "DocumentKind",
    "PdfaLevel",
    "UploadRefused",
    "check_total_size",
    "check_upload",
    "clean_file_name",
    "convert_to_pdfa",
    "pdfa_claim",
    "save_upload",
]
