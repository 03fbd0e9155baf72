"""PDF/A facts about a converted act, and preparing it so that signing keeps it PDF/A.

Signing appends an incremental update with pyHanko. Validators then find three faults unless
the file was prepared (see STACK-NOTES "PDF/A"): the info dictionary and the XMP packet name
different Producers, Ghostscript's ``Z00'00'`` (and LibreOffice's ``Z'``) dates do not match
their XMP twins, and a signature field created at signing time has no appearance. So before
signing: one Producer everywhere, dates rewritten as ``+00'00'`` on both sides, and an
invisible, empty signature field ``Signature1`` created in advance, which pyHanko fills with
``existing_fields_only=True, field_name="Signature1"``.
"""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf
from lxml import etree
from pyhanko.pdf_utils.metadata.model import VENDOR as PYHANKO_PRODUCER

SIGNATURE_FIELD = "Signature1"
# pyHanko always writes its own name as the XMP Producer when it signs, and keeps the info
# dictionary's Producer only if that already contains its name: the one value that stays
# identical on both sides after signing is pyHanko's own.
PRODUCER = PYHANKO_PRODUCER
# Print (4) | Locked (128), as pyHanko flags its own invisible fields: PDF/A requires the
# Print flag and forbids Hidden/Invisible/NoView even on a zero-size widget.
WIDGET_FLAGS = 132
# SignaturesExist | AppendOnly: what pyHanko sets when it signs, set now so that the signed
# revision does not need to rewrite the AcroForm.
SIG_FLAGS = 3
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_DESCRIPTION = f"{{{RDF_NS}}}Description"
# The XMP packet was written by Ghostscript or LibreOffice, but parse it as untrusted anyway.
_XMP_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
DATE_PAIRS = (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate"))
_PDF_DATE = re.compile(
    r"(?:D:)?(?P<date>\d{14})(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<hours>\d\d)'?(?P<minutes>\d\d)?)?"
)


def pdfa_claim(path: Path) -> str | None:
    """The PDF/A claim of ``path``'s XMP metadata ("2B", "1B", "1A"…), None if none."""
    try:
        with pikepdf.open(path) as pdf:
            return pdf.open_metadata().pdfa_status or None
    except (pikepdf.PdfError, OSError, ValueError):
        return None


def is_signing_ready(path: Path) -> bool:
    """Has ``make_signing_ready`` already been applied to ``path``, or has it even been
    signed since (pyHanko then rewrote the dates its own way)?"""
    try:
        with pikepdf.open(path) as pdf:
            if _is_signed(pdf):
                return True
            return _metadata_ready(pdf) and _signature_field(pdf) is not None
    except (pikepdf.PdfError, OSError, ValueError):
        return False


def make_signing_ready(path: Path) -> None:
    """Prepare ``path`` in place (see the module docstring); a no-op when already done.

    The new file is written next to the old one and renamed over it, so a crash leaves the
    previous version intact. A signed file is never rewritten: that would break its
    signature.
    """
    if is_signing_ready(path):
        return
    temporary = path.with_name(f".{path.name}.signing-ready")
    try:
        with pikepdf.open(path) as pdf:
            _unify_metadata(pdf)
            _group_xmp_properties(pdf)
            _ensure_signature_field(pdf)
            pdf.save(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _metadata_ready(pdf: pikepdf.Pdf) -> bool:
    info = pdf.trailer.get("/Info")
    if info is None or str(info.get("/Producer", "")) != PRODUCER:
        return False
    meta = pdf.open_metadata()
    if meta.get("pdf:Producer") != PRODUCER or meta.get("pdfaid:conformance") == "A":
        return False
    return all(str(info[key]).endswith("+00'00'") for key, _ in DATE_PAIRS if key in info)


def _unify_metadata(pdf: pikepdf.Pdf) -> None:
    # Our own writes only: pikepdf must neither name itself editor nor re-encode the info
    # dictionary's dates in its own ("+00'00" without the closing quote) format.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for info_key, xmp_key in DATE_PAIRS:
            moment = _parse_pdf_date(pdf.docinfo.get(info_key)) or _parse_xmp_date(
                meta.get(xmp_key)
            )
            if moment is None:
                _drop(pdf.docinfo, info_key)
                if xmp_key in meta:
                    del meta[xmp_key]
                continue
            pdf.docinfo[info_key] = pikepdf.String(moment.strftime("D:%Y%m%d%H%M%S+00'00'"))
            meta[xmp_key] = moment.isoformat()
        pdf.docinfo["/Producer"] = pikepdf.String(PRODUCER)
        meta["pdf:Producer"] = PRODUCER
        if meta.get("pdfaid:conformance") == "A":
            # Level A means every item is in the structure tree; the signature widget is
            # not, so the honest claim once it exists is level B (which A implied anyway).
            meta["pdfaid:conformance"] = "B"


def _group_xmp_properties(pdf: pikepdf.Pdf) -> None:
    """Move each XMP property into an ``rdf:Description`` that declares its namespace.

    pikepdf adds new properties (a restored ``dc:creator``, say) to the first Description
    whatever its namespace, declaring the namespace on the property itself; valid XML, but
    PDFBox Preflight then reports the schema as missing (error 7.3).
    """
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return
    root = etree.fromstring(stream.read_bytes(), parser=_XMP_PARSER)
    rdf = root.find(f"{{{RDF_NS}}}RDF")
    if rdf is None:
        return
    moved = False
    for description in rdf.findall(RDF_DESCRIPTION):
        for prop in list(description):
            namespace = etree.QName(prop).namespace
            if namespace is not None and namespace not in _declared_on(description):
                _description_for(rdf, namespace, prop.prefix).append(prop)
                moved = True
    if moved:
        stream.write(etree.tostring(root.getroottree(), encoding="utf-8"))


def _declared_on(element: etree._Element) -> set[str]:
    """Namespaces declared on ``element`` itself, not inherited from its parent."""
    parent = element.getparent()
    inherited = parent.nsmap if parent is not None else {}
    return {uri for prefix, uri in element.nsmap.items() if inherited.get(prefix) != uri}


def _description_for(rdf: etree._Element, namespace: str, prefix: str | None) -> etree._Element:
    for description in rdf.findall(RDF_DESCRIPTION):
        if namespace in _declared_on(description):
            return description
    return etree.SubElement(
        rdf, RDF_DESCRIPTION, {f"{{{RDF_NS}}}about": ""}, nsmap={prefix: namespace}
    )


def _drop(dictionary: pikepdf.Object, key: str) -> None:
    if key in dictionary:
        del dictionary[key]


def _parse_pdf_date(value: object) -> datetime | None:
    match = _PDF_DATE.match(str(value)) if value is not None else None
    if match is None:
        return None
    moment = datetime.strptime(match["date"], "%Y%m%d%H%M%S")
    offset = timedelta(0)
    if match["sign"]:
        offset = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"] or 0))
        offset = -offset if match["sign"] == "-" else offset
    # No zone at all means "unknown": the converters on this server write UTC.
    return moment.replace(tzinfo=timezone(offset)).astimezone(UTC)


def _parse_xmp_date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    acroform = pdf.Root.get("/AcroForm")
    if acroform is None:
        return False
    fields = acroform.get("/Fields", pikepdf.Array())
    return any(field.get("/FT") == pikepdf.Name.Sig and "/V" in field for field in fields)


def _signature_field(pdf: pikepdf.Pdf) -> pikepdf.Object | None:
    acroform = pdf.Root.get("/AcroForm")
    if acroform is None:
        return None
    for field in acroform.get("/Fields", pikepdf.Array()):
        if str(field.get("/T", "")) == SIGNATURE_FIELD and field.get("/FT") == pikepdf.Name.Sig:
            return field
    return None


def _ensure_signature_field(pdf: pikepdf.Pdf) -> None:
    if _signature_field(pdf) is not None:
        return
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=pikepdf.Array()))
    acroform = pdf.Root.AcroForm
    if "/Fields" not in acroform:
        acroform.Fields = pikepdf.Array()
    _drop(acroform, "/NeedAppearances")  # PDF/A forbids asking the reader to draw fields
    acroform.SigFlags = SIG_FLAGS
    page = pdf.pages[0]
    field = pdf.make_indirect(_invisible_signature_widget(pdf, page.obj))
    acroform.Fields.append(field)
    if "/Annots" not in page.obj:
        page.obj.Annots = pikepdf.Array()
    page.obj.Annots.append(field)


def _invisible_signature_widget(pdf: pikepdf.Pdf, page: pikepdf.Object) -> pikepdf.Dictionary:
    """A merged field and widget of zero size, with an empty appearance stream: some
    validators want an appearance on every widget, and a zero-size one draws nothing."""
    appearance = pdf.make_stream(
        b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 0, 0]
    )
    # Compressed by us: left plain, qpdf would mark it /FlateDecode with no data at all.
    appearance.write(zlib.compress(b""), filter=pikepdf.Name.FlateDecode)
    return pikepdf.Dictionary(
        FT=pikepdf.Name.Sig,
        T=pikepdf.String(SIGNATURE_FIELD),
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Widget,
        F=WIDGET_FLAGS,
        Rect=[0, 0, 0, 0],
        P=page,
        AP=pikepdf.Dictionary(N=appearance),
    )
