"""F1.1 behind a proxy: whatever arrives in X-SSL-Client-Cert / X-SSL-Client-Verify, a bad
or untrusted header always ends on the French 403 page naming the cause, never a 500.

In-process (Django test client) with ``SECURACT_CLIENT_CERT_SOURCE=proxy``; the test
client's REMOTE_ADDR is 127.0.0.1, which the tests list as the trusted proxy.
"""

from __future__ import annotations

import html
import socket
from base64 import encodebytes
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from asn1crypto import x509
from django.test import Client

from securact.pki.certificates import pem_to_der

UNREADABLE = "Le certificat présenté est illisible."
NO_CERTIFICATE = "Aucun certificat n'a été présenté."
MAX_HEADER = 16 * 1024


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _get(
    client: Client,
    cert_header: str | None,
    verify: str | None = "SUCCESS",
    meta: dict[str, Any] | None = None,
):
    meta = dict(meta or {})
    if cert_header is not None:
        meta["HTTP_X_SSL_CLIENT_CERT"] = cert_header
    if verify is not None:
        meta["HTTP_X_SSL_CLIENT_VERIFY"] = verify
    return client.get("/", secure=True, **meta)


def _assert_refused(response, cause: str) -> None:
    assert response.status_code == 403
    assert response.headers["Content-Language"] == "fr"
    page = html.unescape(response.content.decode())
    assert "Accès refusé" in page
    assert cause in page
    assert "Que faire ?" in page
    assert "Traceback" not in page


def _pem(identity) -> str:
    return Path(identity.cert).read_text(encoding="ascii")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        pytest.param("not-a-certificate", id="garbage"),
        pytest.param(quote("-----BEGIN CERTIFICATE-----\nMIIB\n", safe=""), id="only-begin"),
        pytest.param("%ff%fe%00%C3", id="percent-bytes-not-utf8"),
        pytest.param("%ZZ%%4", id="broken-percent-escapes"),
        pytest.param("Certificat é ü 証明書", id="non-ascii"),
        pytest.param(quote("\x00" * 64, safe=""), id="nul-bytes"),
    ],
)
def test_garbage_in_the_certificate_header_is_unreadable(client, header):
    _assert_refused(_get(client, header), UNREADABLE)


@pytest.mark.django_db
def test_a_pem_cut_before_its_end_line_is_unreadable(client, identities):
    pem = _pem(identities["bailiff-durand"])
    truncated = pem[: len(pem) // 2]
    assert "-----END" not in truncated
    _assert_refused(_get(client, quote(truncated, safe="")), UNREADABLE)


@pytest.mark.django_db
def test_a_pem_whose_body_lost_lines_is_unreadable(client, identities):
    """Well-formed armour and base64, but the DER inside is truncated."""
    lines = _pem(identities["bailiff-durand"]).splitlines()
    shortened = "\n".join([lines[0], *lines[1:-1][:-4], lines[-1]]) + "\n"
    _assert_refused(_get(client, quote(shortened, safe="")), UNREADABLE)


@pytest.mark.django_db
def test_a_pem_of_another_kind_is_unreadable(client, identities):
    """A private key (or anything not a certificate) in the header is not a certificate."""
    key_pem = Path(identities["bailiff-durand"].key).read_text(encoding="ascii")
    _assert_refused(_get(client, quote(key_pem, safe="")), UNREADABLE)


@pytest.mark.django_db
def test_a_header_over_16_kib_is_unreadable_even_with_a_good_certificate_inside(client, identities):
    escaped = identities["bailiff-durand"].escaped_pem
    padding = "%0A" * ((MAX_HEADER - len(escaped)) // 3 + 1)  # trailing newlines
    oversized = escaped + padding
    assert len(oversized) > MAX_HEADER
    _assert_refused(_get(client, oversized), UNREADABLE)


@pytest.mark.django_db
def test_a_header_just_under_16_kib_is_still_read(client, identities, pki_server, demo_directory):
    """The same padding below the limit: the certificate is read and accepted, so it is
    the size alone that refuses the oversized header above."""
    escaped = identities["bailiff-durand"].escaped_pem
    padded = escaped + "%0A" * ((MAX_HEADER - len(escaped)) // 3)
    assert MAX_HEADER - 3 < len(padded) <= MAX_HEADER
    response = _get(client, padded)
    assert response.status_code == 302
    assert response["Location"] == "/declaration/"


@pytest.mark.django_db
def test_a_megabyte_header_is_unreadable(client):
    _assert_refused(_get(client, "A" * (1024 * 1024)), UNREADABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("verify", ["NONE", None], ids=["verify-NONE", "verify-missing"])
def test_a_certificate_with_verify_none_or_missing_is_ignored(client, identities, verify):
    response = _get(client, identities["bailiff-durand"].escaped_pem, verify=verify)
    _assert_refused(response, NO_CERTIFICATE)


@pytest.mark.django_db
@pytest.mark.parametrize("verify", ["SUCCESS", "NONE"])
def test_an_empty_certificate_header_means_no_certificate(client, verify):
    _assert_refused(_get(client, "", verify=verify), NO_CERTIFICATE)


@pytest.mark.django_db
@pytest.mark.parametrize("peer", ["203.0.113.7", "10.0.0.1", "::1", ""])
def test_a_certificate_header_from_an_untrusted_address_is_ignored(client, identities, peer):
    """A client that reaches the app directly cannot claim a certificate by header."""
    response = _get(client, identities["bailiff-durand"].escaped_pem, meta={"REMOTE_ADDR": peer})
    _assert_refused(response, NO_CERTIFICATE)


@pytest.mark.django_db
def test_headers_from_a_unix_socket_peer_are_ignored_unless_unix_is_trusted(client, identities):
    """Only "unix" in SECURACT_TRUSTED_PROXIES trusts a unix-socket peer; its REMOTE_ADDR
    (whatever gunicorn puts there) does not count."""
    unix_peer = SimpleNamespace(family=socket.AF_UNIX)
    response = _get(
        client,
        identities["bailiff-durand"].escaped_pem,
        meta={"REMOTE_ADDR": "127.0.0.1", "gunicorn.socket": unix_peer},
    )
    _assert_refused(response, NO_CERTIFICATE)


@pytest.mark.django_db
def test_headers_from_a_trusted_unix_socket_peer_are_believed(
    client, settings, identities, pki_server, demo_directory
):
    settings.SECURACT_TRUSTED_PROXIES = ["unix"]
    unix_peer = SimpleNamespace(family=socket.AF_UNIX)
    response = _get(
        client,
        identities["bailiff-durand"].escaped_pem,
        meta={"REMOTE_ADDR": "", "gunicorn.socket": unix_peer},
    )
    assert response.status_code == 302
    assert response["Location"] == "/declaration/"


def _corrupted(pem: str, where: str) -> str:
    """The certificate with one byte changed in place (lengths unchanged), so that its
    serial, names and dates still read but another part is invalid DER."""
    der = pem_to_der(pem.encode("ascii"))
    broken = bytearray(der)
    if where == "extension":
        # The authorityKeyIdentifier's OID tag becomes a private-class tag.
        at = der.find(bytes.fromhex("0603551d23"))
        assert at > 0, "the demo certificate has no authorityKeyIdentifier"
        broken[at] = 0x9B
    else:
        # The signature BIT STRING (last in the DER) claims 16 unused bits.
        signature = x509.Certificate.load(der).signature
        broken[len(der) - len(signature) - 1] = 16
    body = encodebytes(bytes(broken)).decode("ascii")
    return f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["extension", "signature"])
def test_a_certificate_with_a_corrupt_part_is_unreadable_not_a_server_error(
    client, identities, pki_server, where
):
    corrupt = _corrupted(_pem(identities["bailiff-durand"]), where)
    _assert_refused(_get(client, quote(corrupt, safe="")), UNREADABLE)
