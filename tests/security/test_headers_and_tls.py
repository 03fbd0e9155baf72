"""Issue 9, item 5: over real TLS (gunicorn, the embedded default) every answer carries HSTS,
a Content-Security-Policy, X-Frame-Options and ``Cache-Control: no-store`` (pages, refusal
pages, downloads of acts), no ``Server: gunicorn``; TLS 1.2 offers only ECDHE + AEAD suites."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import pytest
import requests

from tests.web.test_search_support import archive, bailiff_named, make_signification

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]


def _get(server, path: str, holder=None) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False  # else REQUESTS_CA_BUNDLE would override `verify`
        return session.get(
            server.url + path,
            cert=holder.pair if holder else None,
            verify=server.roots,
            allow_redirects=False,
            timeout=30,
        )


def _assert_protected(response: requests.Response) -> None:
    headers = response.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert "no-store" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "gunicorn" not in headers.get("Server", "").lower()


def test_a_page_carries_the_security_headers(tls_server, declared):
    holder = declared("bailiff-durand")
    response = _get(tls_server, "/", holder)
    assert response.status_code == 200
    assert "Tableau de bord" in response.text
    _assert_protected(response)


def test_a_refusal_page_carries_the_security_headers(tls_server):
    response = _get(tls_server, "/")  # no certificate: the middleware refuses at once
    assert response.status_code == 403
    assert "Accès refusé" in response.text
    _assert_protected(response)


def test_a_refused_role_page_carries_the_security_headers(tls_server, declared):
    holder = declared("recipient-banque-test")
    response = _get(tls_server, "/signifier/", holder)
    assert response.status_code == 403
    _assert_protected(response)


def test_the_zip_and_deposit_certificate_are_not_stored(tls_server, declared, settings):
    holder = declared("bailiff-durand")
    settings.SECURACT_VAULT_DIR = tls_server.data_dir / "vault"  # the server's vault
    signification = make_signification(
        bailiff_named("DURAND"), "REF-NOSTORE", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    archived = archive(signification, tls_server.data_dir / "test-work")
    for stored in (archived.archive, archived.certificate):
        response = _get(
            tls_server, f"/significations/{signification.pk}/fichiers/{stored.pk}/", holder
        )
        assert response.status_code == 200, response.text[:300]
        _assert_protected(response)


def test_static_files_may_still_be_cached(tls_server):
    response = _get(tls_server, "/static/securact/securact.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def _handshake(server, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "openssl",
            "s_client",
            "-connect",
            f"127.0.0.1:{server.port}",
            "-servername",
            "localhost",
            "-CAfile",
            server.roots,
            *options,
        ],
        input="Q\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    "suite", ["AES128-SHA", "AES256-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"]
)
def test_tls12_refuses_suites_without_forward_secrecy_or_aead(tls_server, suite):
    result = _handshake(tls_server, "-tls1_2", "-cipher", suite)
    assert result.returncode != 0, result.stdout[-500:]
    assert "Cipher is (NONE)" in result.stdout or "handshake failure" in result.stderr


@pytest.mark.parametrize(
    "suite",
    ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"],
)
def test_tls12_accepts_ecdhe_aead_suites(tls_server, suite):
    result = _handshake(tls_server, "-tls1_2", "-cipher", suite)
    assert result.returncode == 0, result.stderr[-500:]
    assert f"Cipher is {suite}" in result.stdout


def test_tls13_works(tls_server):
    result = _handshake(tls_server, "-tls1_3")
    assert result.returncode == 0, result.stderr[-500:]
    assert "TLSv1.3" in result.stdout
