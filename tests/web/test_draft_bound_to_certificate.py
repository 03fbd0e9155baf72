"""Issue 9, item 1, over real TLS: a draft belongs to the certificate that made it. When the
same session cookie comes back with another bailiff's certificate, that bailiff starts a
fresh session: he sees no draft, the first bailiff's preview is a 404 to him, and the first
bailiff's files stay on disk (his session cannot delete them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.services import declare_vault
from tests.documents import samples
from tests.pki.live import fresh_gunicorn

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]


def _browser(identity, roots: str) -> requests.Session:
    declare_vault(parse_certificate(pem_to_der(Path(identity.cert).read_bytes())))
    browser = requests.Session()
    browser.cert, browser.verify = identity.pair, roots
    browser.trust_env = False  # else REQUESTS_CA_BUNDLE would override `verify`
    return browser


def _add_act(browser: requests.Session, base: str, act: Path) -> str:
    """Add ``act`` to the browser's draft through the form; the new file's id."""
    form = browser.get(base + "/signifier/", timeout=30)
    assert form.status_code == 200, form.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    with act.open("rb") as stream:
        added = browser.post(
            base + "/signifier/actes/",
            data={"csrfmiddlewaretoken": token.group(1)},
            files={"file": (act.name, stream, "application/pdf")},
            headers={"Referer": base + "/signifier/"},
            timeout=60,
        )
    assert added.status_code == 200, added.text
    found = re.search(r'/signifier/actes/([0-9a-f]+)/apercu/"', added.text)
    assert found is not None, added.text
    return found.group(1)


def test_another_certificate_on_the_same_session_sees_no_draft(
    demo_layout, pki_server, demo_directory, identities, tmp_path
):
    roots = str(demo_layout.trust / "roots.pem")
    act = samples.ghostscript_pdf(tmp_path / "pv-de-durand.pdf")
    with fresh_gunicorn(demo_layout) as (base, data_dir):
        durand = _browser(identities["bailiff-durand"], roots)
        file_id = _add_act(durand, base, act)
        pdfa = f"{base}/signifier/actes/{file_id}/apercu/pdfa/"
        assert durand.get(pdfa, timeout=60).status_code == 200
        drafted = sorted((data_dir / "uploads" / "drafts").rglob("*.upload"))
        assert drafted

        martin = _browser(identities["bailiff-martin"], roots)
        martin.cookies.update(durand.cookies)  # the same browser session, another certificate
        form = martin.get(base + "/signifier/", timeout=30)
        assert form.status_code == 200
        assert "pv-de-durand" not in form.text
        assert file_id not in form.text
        assert martin.get(pdfa, timeout=60).status_code == 404
        assert martin.get(pdfa.replace("/pdfa/", "/"), timeout=60).status_code == 404
        assert martin.cookies.get("sessionid") != durand.cookies.get("sessionid")

        assert all(path.exists() for path in drafted)  # not deleted by Martin's session
