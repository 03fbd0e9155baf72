"""Reading an evidence bundle (docs/evidence-log.md §4) and the result of one check."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
README = "LISEZMOI.txt"
NOTE = "journal/checkpoint.note"
TSR = "journal/checkpoint.tsr"
JOURNAL_PEM = "certificats/confiance/plateforme-journal.pem"
AUTHORITIES_PEM = "certificats/confiance/autorites.pem"
ENTRIES = "journal/entries/"
PROOFS = "journal/proofs/"

# A bundle holds a few acts: refuse what would exhaust memory (a "zip bomb").
MAX_TOTAL = 2 * 1024**3
MAX_MEMBERS = 100_000


class BundleError(Exception):
    """The bundle cannot be read at all (not a ZIP, unsafe names…): a usage error."""


@dataclass(frozen=True)
class Check:
    """One line of the verdict: `OK subject : detail` or `ÉCHEC subject : detail`."""

    ok: bool
    subject: str
    detail: str

    def line(self) -> str:
        return f"{'OK' if self.ok else 'ÉCHEC'} {self.subject} : {self.detail}"


def passed(subject: str, detail: str) -> Check:
    return Check(True, subject, detail)


def failed(subject: str, detail: str) -> Check:
    return Check(False, subject, detail)


@dataclass
class Bundle:
    """The members of the ZIP, by name, in the order of the archive."""

    path: Path
    members: dict[str, bytes] = field(default_factory=dict)
    damaged: dict[str, str] = field(default_factory=dict)  # name → why it cannot be read

    def names(self, prefix: str = "", suffix: str = "") -> list[str]:
        return sorted(n for n in self.members if n.startswith(prefix) and n.endswith(suffix))


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and not any(ord(ch) < 0x20 for ch in name)
    )


def read_bundle(path: Path) -> Bundle:
    """Every member of the ZIP in memory; BundleError if its directory cannot be read.

    A member whose bytes do not decompress or fail their CRC is kept aside in `damaged`
    (named in the verdict), not a usage error: the rest of the bundle is still checked.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TOTAL:
                raise BundleError(f"{path} : archive trop volumineuse pour un dossier de preuve")
            bundle = Bundle(path)
            for info in infos:
                _read_member(archive, info, bundle)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BundleError(f"{path} : archive ZIP illisible ({exc})") from exc
    return bundle


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bundle: Bundle) -> None:
    name = info.filename
    if not _safe_name(name):
        raise BundleError(f"{bundle.path} : nom de fichier refusé {name!r}")
    if name in bundle.members or name in bundle.damaged:
        raise BundleError(f"{bundle.path} : fichier {name!r} présent deux fois")
    try:
        bundle.members[name] = archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        bundle.damaged[name] = str(exc) or type(exc).__name__
