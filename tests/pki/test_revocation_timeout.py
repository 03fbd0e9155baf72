"""Issue 9, item 6: a revocation responder that accepts the connection but never answers
(the fetch times out) is "revocation unknown" — the French 403 page in hard-fail, the
bailiff let in in soft-fail — never a server error.

In-process (Django test client), certificate forwarded by a trusted proxy; the test PKI's
port is taken by a socket that accepts connections and stays silent."""

from __future__ import annotations

import contextlib
import html
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import PKI_PORT

REVOCATION_UNKNOWN = "L'état de révocation de votre certificat n'a pas pu être vérifié."


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


@pytest.fixture
def silent_responder(pki_down) -> Iterator[None]:
    """Listens where the OCSP and CRL URLs point, accepts, and never answers."""
    listeners, held = [], []
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, PKI_PORT))
        listener.listen(16)
        listeners.append(listener)

    def hold(listener: socket.socket) -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    for listener in listeners:
        threading.Thread(target=hold, args=(listener,), daemon=True).start()
    try:
        yield
    finally:
        for each in listeners + held:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            each.close()


def _presenting(identity) -> dict[str, Any]:
    return {"HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


@pytest.mark.django_db
def test_a_silent_responder_gives_the_french_revocation_page_not_a_500(
    client, settings, identities, demo_directory, silent_responder
):
    settings.SECURACT_REVOCATION_MODE = "hard-fail"
    client.raise_request_exception = False
    response = client.get("/", secure=True, **_presenting(identities["bailiff-durand"]))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert REVOCATION_UNKNOWN in page
    assert "Réessayez dans quelques minutes." in page


@pytest.fixture
def fetches_time_out(monkeypatch, pki_server) -> None:
    """Every OCSP and CRL fetch raises TimeoutError at once (as a silent responder does
    after its timeout)."""
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import crl_client, ocsp_client

    async def time_out(*args: Any, **kwargs: Any) -> None:
        raise TimeoutError

    monkeypatch.setattr(ocsp_client.AIOHttpOCSPFetcher, "fetch", time_out)
    monkeypatch.setattr(crl_client.AIOHttpCRLFetcher, "fetch", time_out)


@pytest.mark.django_db
@pytest.mark.parametrize(("mode", "status"), [("hard-fail", 403), ("soft-fail", 302)])
def test_a_fetch_timing_out_is_revocation_unknown(
    client, settings, identities, demo_directory, fetches_time_out, mode, status
):
    settings.SECURACT_REVOCATION_MODE = mode
    client.raise_request_exception = False
    response = client.get("/", secure=True, **_presenting(identities["bailiff-durand"]))
    assert response.status_code == status
    if mode == "soft-fail":
        assert response["Location"] == "/declaration/"
    else:
        assert REVOCATION_UNKNOWN in html.unescape(response.content.decode())
