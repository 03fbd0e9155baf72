"""Real sample files for the documents tests, good and bad, built from tools on this machine.

Good samples: Ghostscript writes a PDF from a small PostScript program; LibreOffice (the test
unoserver) writes DOCX, ODT and DOC from a flat ODT. Bad samples are derived from those with
the tool that makes such files in real life: pikepdf for encrypted or scripted PDFs,
msoffcrypto-tool for an encrypted DOCX, LibreOffice itself for password-protected DOC and
ODT, and ``zipfile`` for containers with macros, bombs or a foreign mimetype.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from msoffcrypto.format.ooxml import OOXMLFile
from pikepdf import Array, Dictionary, Name, String
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from unoserver.client import UnoClient

ACT_TEXT = "Acte de signification"
ACCENTED_TEXT = "Le commissaire de justice soussigné signifie à la société Exemple."
POSTSCRIPT = """%!PS
<< /PageSize [595 842] >> setpagedevice
/Helvetica findfont 14 scalefont setfont
1 1 2 {
  /n exch def
  72 760 moveto (Acte de signification - page ) show n 1 string cvs show
  0.1 0.3 0.8 setrgbcolor 72 600 200 80 rectfill 0 setgray
  showpage
} for
"""
FLAT_ODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  <text:h text:outline-level="1">{ACT_TEXT}</text:h>
  <text:p>{ACCENTED_TEXT}</text:p>
 </office:text></office:body>
</office:document>
"""
Converter = Callable[..., Path]  # the ``converted`` fixture: converted(kind, level) -> PDF/A
GHOSTSCRIPT = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER"]
EXPORT_FILTERS = {"docx": "MS Word 2007 XML", "odt": "writer8", "doc": "MS Word 97"}
UNO_PASSWORD_SCRIPT = Path(__file__).with_name("uno_save_with_password.py")
PREFLIGHT_JARS = (
    "preflight",
    "pdfbox2",
    "fontbox2",
    "xmpbox",
    "commons-logging",
    "javax.activation",
    "jaxb-api",
)


# --- good samples --------------------------------------------------------------------------


def ghostscript_pdf(out: Path) -> Path:
    """A plain two-page PDF (not PDF/A), as office software or a scanner would give."""
    program = out.with_suffix(".ps")
    program.write_text(POSTSCRIPT, encoding="ascii")
    subprocess.run(
        [*GHOSTSCRIPT, "-sDEVICE=pdfwrite", f"-sOutputFile={out}", str(program)],
        check=True,
    )
    return out


def ghostscript_png(out: Path) -> Path:
    program = out.with_suffix(".ps")
    program.write_text(POSTSCRIPT, encoding="ascii")
    subprocess.run(
        [
            *GHOSTSCRIPT,
            "-sDEVICE=png16m",
            "-r20",
            "-dLastPage=1",
            f"-sOutputFile={out}",
            str(program),
        ],
        check=True,
    )
    return out


def libreoffice_document(client: UnoClient, directory: Path, extension: str) -> Path:
    """A word-processing document written by LibreOffice from the flat ODT above."""
    source = directory / "acte.fodt"
    if not source.exists():
        source.write_text(FLAT_ODT, encoding="utf-8")
    out = directory / f"acte.{extension}"
    client.convert(inpath=str(source), outpath=str(out), filtername=EXPORT_FILTERS[extension])
    return out


def libreoffice_with_password(uno_port: int, directory: Path, extension: str) -> Path:
    """The same document saved by LibreOffice with a password (its own encryption)."""
    source = directory / "acte.fodt"
    out = directory / f"acte-protege.{extension}"
    arguments = [str(uno_port), str(source), str(out), EXPORT_FILTERS[extension], "motdepasse"]
    for attempt in (1, 2):
        done = subprocess.run(
            ["/usr/bin/python3", str(UNO_PASSWORD_SCRIPT), *arguments],
            check=False,
            timeout=60,
        )
        if done.returncode == 0:
            return out
        # Debian's pyuno client sometimes dies of SIGSEGV (seen under heavy load, in a full
        # run): a sample-making crash, not the product's; make the sample once more.
        if done.returncode != -11 or attempt == 2:
            done.check_returncode()
        out.unlink(missing_ok=True)
    return out


# --- PDFs ---------------------------------------------------------------------------------


def edited_pdf(source: Path, out: Path, edit: Callable[[pikepdf.Pdf], None]) -> Path:
    with pikepdf.open(source) as pdf:
        edit(pdf)
        pdf.save(out)
    return out


def encrypted_pdf(source: Path, out: Path, user_password: str) -> Path:
    with pikepdf.open(source) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="proprietaire", user=user_password))
    return out


def javascript_action(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('acte');")))


def add_open_action_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = javascript_action(pdf)


def add_document_javascript(pdf: pikepdf.Pdf) -> None:
    scripts = Dictionary(Names=Array([String("init"), javascript_action(pdf)]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(scripts))


def add_link_javascript(pdf: pikepdf.Pdf) -> None:
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 600, 272, 680]),
        A=javascript_action(pdf),
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])


def add_page_open_javascript(pdf: pikepdf.Pdf) -> None:
    # Direct, not indirect: the scan must look inside nested direct dictionaries too.
    script = Dictionary(S=Name.JavaScript, JS=String("app.alert('page');"))
    pdf.pages[1].obj.AA = Dictionary(O=script)


def add_launch_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe"))


def add_attachment(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["annexe.txt"] = pikepdf.AttachedFileSpec(
        pdf, b"Piece jointe cachee", mime_type="text/plain"
    )


def add_file_attachment_annotation(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"Piece jointe", mime_type="text/plain")
    annotation = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([72, 500, 92, 520]),
        FS=spec.obj,
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])


def handwritten_pdf(out: Path, catalog_extra: bytes) -> Path:
    """A minimal one-page PDF written byte by byte (with a correct cross-reference table),
    for what pikepdf would normalise away, such as hex-escaped names."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 8 >>\nstream\n0 0 m S\n\nendstream",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    out.write_bytes(body)
    return out


def truncated(source: Path, out: Path, fraction: float = 0.6) -> Path:
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * fraction)])
    return out


# --- ZIP containers -----------------------------------------------------------------------


def rezipped(
    source: Path,
    out: Path,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
) -> Path:
    """``source`` rewritten entry by entry, with some entries replaced or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        for entry in original.infolist():
            data = replace.get(entry.filename, original.read(entry))
            copy.writestr(entry, data, compress_type=entry.compress_type)
        for name, data in add.items():
            copy.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out


def with_zeros_entry(source: Path, out: Path, megabytes: int) -> Path:
    """``source`` plus one entry of ``megabytes`` MiB of zeros, written in chunks."""
    shutil.copyfile(source, out)
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(megabytes):
            entry.write(chunk)
    return out


def with_lying_directory(source: Path, out: Path, declared: int = 1000) -> Path:
    """``source`` plus a 5 MiB entry of zeros whose headers claim only ``declared`` bytes:
    nothing in the directory looks wrong, only reading the entry shows it."""
    rezipped(source, out, add={"word/media/image1.bin": bytes(5 * 1024 * 1024)})
    with zipfile.ZipFile(out) as archive:
        entry = archive.getinfo("word/media/image1.bin")
    data = bytearray(out.read_bytes())
    struct.pack_into("<I", data, entry.header_offset + 22, declared)  # local header
    name = entry.filename.encode()
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    struct.pack_into("<I", data, central + 24, declared)  # central directory
    out.write_bytes(bytes(data))
    return out


def long_odt(source: Path, out: Path, paragraphs: int = 20_000) -> Path:
    """``source`` with hundreds of pages of (varied) text: slow for LibreOffice to lay out."""
    with zipfile.ZipFile(source) as archive:
        content = archive.read("content.xml").decode()
    body = "".join(
        f"<text:p>Paragraphe {number} : le commissaire de justice soussigné signifie "
        f"l'acte numéro {number * 7919 % 100_003} à la société Exemple.</text:p>"
        for number in range(paragraphs)
    )
    content = content.replace("</office:text>", body + "</office:text>")
    return rezipped(source, out, replace={"content.xml": content.encode()})


def encrypted_docx(source: Path, out: Path) -> Path:
    with source.open("rb") as plain, out.open("wb") as encrypted:
        OOXMLFile(plain).encrypt("motdepasse", encrypted)
    return out


def doc_with_macros_entry(source: Path, out: Path) -> Path:
    """A Word 97 file whose compound-file directory holds an entry named ``Macros``.

    Crafted: nothing on this machine writes VBA projects into .doc files, so the directory
    entry of ``\\x01CompObj`` is renamed in place (same sector, same size).
    """
    data = bytearray(source.read_bytes())
    old = "\x01CompObj".encode("utf-16-le")
    position = data.find(old + b"\x00\x00")
    new = "Macros".encode("utf-16-le")
    data[position : position + 64] = (new + bytes(64))[:64]
    struct.pack_into("<H", data, position + 64, len(new) + 2)
    out.write_bytes(bytes(data))
    return out


# --- signing ------------------------------------------------------------------------------


def self_signed_signer(directory: Path) -> signers.SimpleSigner:
    """A throw-away self-signed key: only the PDF structure is under test here."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Commissaire de test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (directory / "key.pem").write_bytes(key_pem)
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(str(directory / "key.pem"), str(directory / "cert.pem"))


def sign_prepared_field(source: Path, out: Path, signer: signers.SimpleSigner) -> Path:
    """Sign as the signing step will: into the prepared field, creating none."""
    with source.open("rb") as stream, out.open("wb") as signed:
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer
        ).sign_pdf(IncrementalPdfFileWriter(stream), existing_fields_only=True, output=signed)
    return out


# --- validators ---------------------------------------------------------------------------


def preflight_a1b(path: Path) -> subprocess.CompletedProcess[str]:
    """Apache PDFBox Preflight (Debian's libpdfbox2-java) on ``path``."""
    classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in PREFLIGHT_JARS)
    return subprocess.run(
        ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
