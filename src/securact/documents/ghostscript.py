"""PDF → PDF/A with Ghostscript (F4.1).

Two traps found on this machine (STACK-NOTES "PDF/A"): Ghostscript only embeds the output
intent when its ``PDFA_def.ps`` names the sRGB profile by an absolute path it is allowed to
read, and it exits 0 even when PDF/A processing aborted — the caller must check the result's
claim (``conversion`` does, with pikepdf).
"""

from __future__ import annotations

import functools
import logging
import re
import subprocess
from pathlib import Path

from django.utils.translation import gettext

from securact.documents.kinds import ConversionFailed, PdfaLevel

logger = logging.getLogger(__name__)

GHOSTSCRIPT = "gs"
ABORTED = "PDF/A processing aborted"
# The sample document title of Ghostscript's template would replace the act's own title.
_SAMPLE_TITLE = re.compile(r"\[\s*/Title \(Title\)[^\n]*\n\s*/DOCINFO pdfmark[^\n]*\n")
_PROFILE_LINE = "/ICCProfile (srgb.icc)"


def ghostscript_to_pdfa(
    source: Path, dest: Path, level: PdfaLevel, work_dir: Path, timeout: float
) -> None:
    """Write ``source`` as PDF/A ``level`` to ``dest``, using ``work_dir`` for the prefix."""
    profile, template = ghostscript_resources()
    definition = write_pdfa_definition(work_dir, template, profile)
    command = [
        GHOSTSCRIPT,
        "-dNOPAUSE",
        "-dBATCH",
        "-dSAFER",
        "-sDEVICE=pdfwrite",
        f"-dPDFA={level.part}",
        "-dPDFACompatibilityPolicy=1",
        "-sColorConversionStrategy=RGB",
        # Keep every page as the bailiff laid it out (pdfwrite would rotate by text flow).
        "-dAutoRotatePages=/None",
        # Stop rather than render a page partially: an act must be served whole.
        "-dPDFSTOPONERROR",
        f"--permit-file-read={profile.parent}/",
        f"-sOutputFile={_escape_output(dest)}",
        str(definition),
        str(source),
    ]
    output = _run(command, timeout)
    if ABORTED in output:
        logger.error("ghostscript aborted PDF/A processing of %s: %s", source, output[-2000:])
        raise _failed()


def _run(command: list[str], timeout: float) -> str:
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, errors="replace", timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise ConversionFailed(
            gettext("La conversion en PDF/A a dépassé le délai de %(seconds)s secondes.")
            % {"seconds": int(timeout)},
            transient=True,
        ) from error
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        logger.error("ghostscript exited with %s: %s", completed.returncode, output[-2000:])
        raise _failed()
    return output


@functools.cache
def ghostscript_resources() -> tuple[Path, Path]:
    """Ghostscript's own sRGB profile and ``PDFA_def.ps`` template, found from its search
    path so that they always match the installed version."""
    help_text = subprocess.run(
        [GHOSTSCRIPT, "-h"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    for entry in re.split(r"\s:\s|\s+", help_text.partition("Search path:")[2]):
        lib = Path(entry.strip())
        template = lib / "PDFA_def.ps"
        profile = lib.parent / "iccprofiles" / "srgb.icc"
        if lib.is_absolute() and template.is_file() and profile.is_file():
            return profile.resolve(), template.resolve()
    raise RuntimeError("Ghostscript's PDFA_def.ps or iccprofiles/srgb.icc was not found")


def write_pdfa_definition(work_dir: Path, template: Path, profile: Path) -> Path:
    """A copy of ``PDFA_def.ps`` that names ``profile`` by its absolute path."""
    text = template.read_text(encoding="latin-1")
    if _PROFILE_LINE not in text:
        raise RuntimeError(f"{template} does not define {_PROFILE_LINE}")
    text = text.replace(_PROFILE_LINE, f"/ICCProfile ({_postscript_string(profile)})")
    text = _SAMPLE_TITLE.sub("", text)
    definition = work_dir / "PDFA_def.ps"
    definition.write_text(text, encoding="latin-1")
    return definition.resolve()


def _postscript_string(path: Path) -> str:
    return str(path).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _escape_output(path: Path) -> str:
    # Ghostscript reads %d in an output file name as a page number pattern.
    return str(path.resolve()).replace("%", "%%")


def _failed() -> ConversionFailed:
    return ConversionFailed(
        gettext(
            "Le PDF n'a pas pu être converti en PDF/A : il contient une erreur que le "
            "convertisseur ne sait pas corriger. Enregistrez-le à nouveau depuis le logiciel "
            "qui l'a produit, puis déposez-le."
        )
    )
