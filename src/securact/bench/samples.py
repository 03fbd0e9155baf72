"""The files the benchmark serves, made on this machine by the tools that make such files:
a one-page PDF written by Ghostscript, a one-page DOCX written by LibreOffice (through the
benchmark's unoserver), and a 50 MB PDF of incompressible page images written by pikepdf.
Each is checked with the same upload checks a bailiff's file goes through."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import pikepdf
from django.conf import settings
from unoserver.client import UnoClient

from securact.documents.services import check_upload

POSTSCRIPT = """%!PS
<< /PageSize [595 842] >> setpagedevice
/Helvetica findfont 16 scalefont setfont
72 760 moveto (Acte de saisie-attribution - proces-verbal) show
/Helvetica findfont 11 scalefont setfont
1 1 40 {
  /n exch def
  72 730 n 16 mul sub moveto
  (Ligne ) show n 3 string cvs show
  ( : le commissaire de justice soussigne signifie le present acte au tiers saisi.) show
} for
0.1 0.3 0.8 setrgbcolor 72 60 200 30 rectfill 0 setgray
showpage
"""
PARAGRAPH = (
    "Le commissaire de justice soussigné signifie au tiers saisi le présent acte de "
    "mainlevée ; la saisie-attribution pratiquée le 2 janvier est levée en totalité."
)
FLAT_ODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  <text:h text:outline-level="1">Acte de mainlevée</text:h>
{paragraphs}
 </office:text></office:body>
</office:document>
"""
GHOSTSCRIPT = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"]
BIG_PAGES = 50
BIG_TARGET_BYTES = 50_000_000  # "50 MB", under the 50 MiB upload limit


def one_page_pdf(out: Path) -> Path:
    program = out.with_suffix(".ps")
    program.write_text(POSTSCRIPT, encoding="ascii")
    subprocess.run(
        [*GHOSTSCRIPT, f"-sOutputFile={out}", str(program)],
        check=True,
        timeout=60,
    )
    return _checked(out)


def one_page_docx(out: Path) -> Path:
    """A one-page DOCX saved by LibreOffice (Word 2007 XML) from a flat ODT."""
    source = out.with_suffix(".fodt")
    paragraphs = "\n".join(f"  <text:p>{PARAGRAPH}</text:p>" for _ in range(12))
    source.write_text(FLAT_ODT.format(paragraphs=paragraphs), encoding="utf-8")
    client = UnoClient(server="127.0.0.1", port=str(settings.SECURACT_UNOSERVER_PORT))
    client.convert(inpath=str(source), outpath=str(out), filtername="MS Word 2007 XML")
    return _checked(out)


def big_pdf(out: Path, pages: int = BIG_PAGES, target: int = BIG_TARGET_BYTES) -> Path:
    """About ``target`` bytes of PDF: ``pages`` A4 pages, each an RGB image of random bytes
    (incompressible, stored unfiltered so that the size is what it says) and a line of text,
    as a large scan would be."""
    side = math.ceil((target / pages / 3) ** 0.5)
    with pikepdf.new() as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        for number in range(1, pages + 1):
            image = pikepdf.Stream(pdf, os.urandom(side * side * 3))
            image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            image.Width = image.Height = side
            image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
            content = (
                f"q 451 0 0 451 72 300 cm /Im0 Do Q BT /F1 12 Tf 72 780 Td "
                f"(Acte - page {number}) Tj ET"
            ).encode("ascii")
            page = pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 595, 842],
                    Resources=pikepdf.Dictionary(
                        XObject=pikepdf.Dictionary(Im0=image),
                        Font=pikepdf.Dictionary(F1=font),
                    ),
                    Contents=pikepdf.Stream(pdf, content),
                )
            )
            pdf.pages.append(page)
        pdf.save(out, compress_streams=False)
    size = out.stat().st_size
    if not target <= size <= settings.SECURACT_MAX_FILE_BYTES:
        raise RuntimeError(f"{out} is {size} bytes, not between {target} and the upload limit")
    return _checked(out)


def _checked(path: Path) -> Path:
    check_upload(path, path.name)  # raises UploadRefused, as for a bailiff's file
    return path
