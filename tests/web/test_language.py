"""Pages are in French unless the user chose English: the browser's Accept-Language is not
followed, so a bailiff's screens read the same on every workstation.

In-process (Django test client), certificate forwarded by a trusted proxy.
"""

from __future__ import annotations

import ast
import html
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.services import declare_vault

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _as(identity) -> dict[str, Any]:
    return {"HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


def _assert_french(response) -> str:
    assert response["Content-Language"] == "fr"
    page = html.unescape(response.content.decode())
    assert '<html lang="fr">' in page
    return page


ENGLISH_BROWSERS = ["en-US", "en-US,en;q=0.9", "en", "de-DE,en;q=0.8"]


@pytest.mark.parametrize("accept_language", ENGLISH_BROWSERS)
def test_the_refusal_page_is_french_for_an_english_browser(client, accept_language):
    response = client.get("/", secure=True, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 403
    page = _assert_french(response)
    assert "Accès refusé" in page
    assert "Aucun certificat n'a été présenté." in page
    assert "Access denied" not in page


@pytest.mark.usefixtures("pki_server", "demo_directory")
@pytest.mark.parametrize("accept_language", ENGLISH_BROWSERS)
def test_the_declaration_is_french_for_an_english_browser(client, identities, accept_language):
    response = client.get(
        "/declaration/",
        secure=True,
        HTTP_ACCEPT_LANGUAGE=accept_language,
        **_as(identities["bailiff-durand"]),
    )
    assert response.status_code == 200
    page = _assert_french(response)
    assert "Déclaration de votre certificat" in page
    assert "Confirmer la déclaration" in page
    assert "Connexion au service SECURACT" in page


@pytest.mark.usefixtures("pki_server", "demo_directory")
def test_the_admin_is_french_for_an_english_browser(client, identities):
    response = client.get(
        "/admin/", secure=True, HTTP_ACCEPT_LANGUAGE="en-US", **_as(identities["operator"])
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    page = html.unescape(response.content.decode())
    assert '<html lang="fr"' in page
    assert "Site administration" not in page
    assert "Site d’administration" in page  # Django's own French catalogue


@pytest.mark.parametrize("cookie", ["xx", "en-US", ""])
def test_an_unknown_language_cookie_falls_back_to_french(client, cookie):
    client.cookies["django_language"] = cookie
    response = client.get("/", secure=True, HTTP_ACCEPT_LANGUAGE="en-US")
    _assert_french(response)


# --- choosing English (the second language) ------------------------------------------------


@pytest.fixture
def declared_bailiff(identities, pki_server, demo_directory):
    durand = identities["bailiff-durand"]
    declare_vault(parse_certificate(pem_to_der(Path(durand.cert).read_bytes())))
    return durand


def test_a_signed_in_bailiff_can_choose_english(client, declared_bailiff):
    response = client.post(
        "/langue/", {"language": "en", "next": "/"}, secure=True, **_as(declared_bailiff)
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["django_language"].value == "en"
    home = client.get("/", secure=True, HTTP_ACCEPT_LANGUAGE="fr-FR", **_as(declared_bailiff))
    assert home["Content-Language"] == "en"


def test_the_language_form_works_on_the_declaration_page(
    client, identities, pki_server, demo_directory
):
    durand = identities["bailiff-durand"]
    assert client.get("/declaration/", secure=True, **_as(durand)).status_code == 200
    response = client.post(
        "/langue/", {"language": "en", "next": "/declaration/"}, secure=True, **_as(durand)
    )
    assert response.status_code == 302
    assert "django_language" in response.cookies
    assert response.cookies["django_language"].value == "en"


def test_the_page_declares_the_language_chosen(client, declared_bailiff):
    client.cookies["django_language"] = "en"
    response = client.get("/", secure=True, **_as(declared_bailiff))
    assert response["Content-Language"] == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert '<option value="en" selected>' in page


def test_the_dashboard_reads_in_english_once_chosen(client, declared_bailiff):
    client.cookies["django_language"] = "en"
    response = client.get("/", secure=True, **_as(declared_bailiff))
    page = html.unescape(response.content.decode())
    assert "Tableau de bord" not in page
    assert "Historique de session" not in page
    assert "Dashboard" in page
    assert "Session history" in page
    assert "Welcome, Maître" in page


def test_french_stays_the_default_once_the_catalogue_exists(client, declared_bailiff):
    page = html.unescape(client.get("/", secure=True, **_as(declared_bailiff)).content.decode())
    assert "Tableau de bord" in page
    assert "Dashboard" not in page


# --- the English catalogue is complete, current and compiled --------------------------------
# `make messages` gathers the French strings into locale/en/LC_MESSAGES/django.po (README,
# Languages); these tests run the same makemessages on a copy of the sources, so a French string
# added without its English translation, or changed since it was translated, fails here.

SOURCE = Path(__file__).resolve().parents[2] / "src" / "securact"
CATALOGUE = SOURCE / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
GATHERED = (".py", ".html", ".txt")  # what makemessages reads for the django domain


@dataclass
class _Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    where: str = ""

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstrs) and all(self.msgstrs)


def _read_entry(block: str) -> _Entry:
    """One blank-line-separated block of a .po file. PO strings are C-escaped like Python string
    literals; a continuation line ("...") extends the keyword above it."""
    entry, keyword = _Entry(), ""
    for line in block.strip().splitlines():
        if line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
        elif line.startswith("#:"):
            entry.where = entry.where or line[3:].split(" ")[0]
        elif not line.startswith("#"):
            if not line.startswith('"'):
                keyword, _, line = line.partition(" ")
                if keyword.startswith("msgstr"):
                    entry.msgstrs.append("")
            text = ast.literal_eval(line)
            if keyword == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif keyword == "msgid":
                entry.msgid += text
            elif keyword == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            else:
                entry.msgstrs[-1] += text
    return entry


def _read_po(path: Path) -> list[_Entry]:
    """The catalogue's entries; the header (msgid "") and obsolete #~ entries left out."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [entry for entry in map(_read_entry, blocks) if entry.msgid]


def _gathered_again(tmp_path: Path, settings, monkeypatch) -> list[_Entry]:
    """makemessages (as `make messages` runs it) over a copy of the sources and of the
    committed catalogue: the repository is left untouched."""
    copy = tmp_path / "securact"

    def not_gathered(folder: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name in ("migrations", "__pycache__")
            or ((Path(folder) / name).is_file() and not name.endswith((*GATHERED, ".po")))
        ]

    shutil.copytree(SOURCE, copy, ignore=not_gathered)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    return _read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_every_french_string_has_its_english_translation_and_none_is_stale(
    tmp_path, settings, monkeypatch
):
    gathered = _gathered_again(tmp_path, settings, monkeypatch)
    assert len(gathered) > 900
    untranslated = [f"  {e.where}: {e.msgid!r}" for e in gathered if not e.translated]
    assert not untranslated, (
        f"{len(untranslated)} French string(s) without an English translation (new, changed "
        "— `#, fuzzy` — or left empty): run `make messages`, translate them in "
        f"{CATALOGUE.relative_to(SOURCE.parents[1])}, remove the fuzzy flags:\n"
        + "\n".join(untranslated)
    )
    committed = {(e.msgid, e.msgctxt, e.msgid_plural) for e in _read_po(CATALOGUE)}
    current = {(e.msgid, e.msgctxt, e.msgid_plural) for e in gathered}
    stale = sorted(m for m, _, _ in committed - current)
    assert not stale, "no longer in the sources: run `make messages`\n" + "\n".join(stale)


def test_the_compiled_catalogue_is_the_committed_one(tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: `make install` installs gettext (deploy/apt-packages.txt)"
    fresh = tmp_path / "django.mo"
    checked = subprocess.run(
        [msgfmt, "--check-format", "-o", fresh, CATALOGUE], capture_output=True, text=True
    )
    assert checked.returncode == 0, f"msgfmt refuses the catalogue:\n{checked.stderr}"
    assert COMPILED.is_file() and COMPILED.read_bytes() == fresh.read_bytes(), (
        f"{COMPILED.name} is missing or older than {CATALOGUE.name}: run `make install`"
    )
