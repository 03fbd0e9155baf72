"""Small signing-ready PDF/A files for the signing tests.

The converter (documents app) produces the real ones; these tests must not depend on it,
so Ghostscript makes a one-page PDF/A here the same way (absolute ICC and PDFA_def.ps
paths), and pikepdf makes it signing-ready: one Producer in the info dictionary and the
XMP, and an invisible, printable, empty signature field ``Signature1`` with an (empty)
appearance stream, so that signing does not break the PDF/A claim.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

ICC_PROFILE = Path("/usr/share/color/icc/ghostscript/srgb.icc")
PRODUCER = "Securact tests"
SIGNATURE_FIELD = "Signature1"

POSTSCRIPT = """%!PS
<< /PageSize [595 842] >> setpagedevice
/Helvetica findfont 14 scalefont setfont
72 760 moveto (Acte de signification - exemple de test) show
72 740 moveto ({text}) show
showpage
"""


def _pdfa_def(work: Path) -> Path:
    """A copy of Ghostscript's PDFA_def.ps naming the sRGB profile by absolute path."""
    shipped = next(Path("/usr/share/ghostscript").glob("*/lib/PDFA_def.ps"))
    text = shipped.read_text(encoding="latin-1")
    text = text.replace("/ICCProfile (srgb.icc)", f"/ICCProfile ({ICC_PROFILE})")
    path = work / "PDFA_def.ps"
    path.write_text(text, encoding="latin-1")
    return path


def ghostscript_pdfa(out: Path, *, level: int = 2, text: str = "Page unique") -> Path:
    work = out.parent
    source = work / f"{out.stem}.ps"
    source.write_text(POSTSCRIPT.format(text=text), encoding="latin-1")
    subprocess.run(
        [
            "gs",
            "-q",
            "-dBATCH",
            "-dNOPAUSE",
            "-dSAFER",
            f"-dPDFA={level}",
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            f"--permit-file-read={ICC_PROFILE.parent}/",
            f"-sOutputFile={out}",
            str(_pdfa_def(work).resolve()),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return out


def _empty_appearance(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_stream(
        b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 0, 0]), Resources={}
    )


def make_signing_ready(pdf_path: Path) -> None:
    """Unify the Producer, add the invisible ``Signature1`` field; rewrite in place."""
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdf:Producer"] = PRODUCER
        pdf.docinfo[Name.Producer] = String(PRODUCER)
        page = pdf.pages[0]
        widget = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Sig,
                T=String(SIGNATURE_FIELD),
                F=4 | 128,  # print (required by PDF/A) + locked
                Rect=Array([0, 0, 0, 0]),
                P=page.obj,
                AP=Dictionary(N=_empty_appearance(pdf)),
            )
        )
        page.obj[Name.Annots] = Array([widget])
        pdf.Root[Name.AcroForm] = Dictionary(Fields=Array([widget]), SigFlags=3)
        pdf.save(pdf_path)


def sample_pdfa(out: Path, *, level: int = 2, text: str = "Page unique") -> Path:
    ghostscript_pdfa(out, level=level, text=text)
    make_signing_ready(out)
    return out


def pdfa_status(pdf_path: Path) -> str:
    with pikepdf.open(pdf_path) as pdf:
        return str(pdf.open_metadata().pdfa_status)
