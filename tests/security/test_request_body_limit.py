"""Issue 9, item 2: over real TLS (gunicorn), a body larger than the limit is refused with a
French 413 before it is received, and a holder whose role may not use a form is refused
(French 403) before its body is read: nothing is spooled to the temporary folder."""

from __future__ import annotations

import re
import secrets
import socket
import ssl
import time
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]
MIB = 1024 * 1024


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _connect(server, holder=None) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=server.roots)
    if holder is not None:
        context.load_cert_chain(*holder.pair)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return context.wrap_socket(raw, server_hostname="localhost")


PART = (
    b"--securact\r\n"
    b'Content-Disposition: form-data; name="file"; filename="acte.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
)


def _upload_head(server, length: int) -> bytes:
    """An upload to the service form that passes the CSRF check (an unmasked secret as
    cookie and header, the right Origin), then the start of its file part."""
    token = secrets.token_hex(16)
    return (
        f"POST /signifier/actes/ HTTP/1.1\r\nHost: localhost:{server.port}\r\n"
        "Content-Type: multipart/form-data; boundary=securact\r\n"
        f"Content-Length: {length}\r\nOrigin: https://localhost:{server.port}\r\n"
        f"Cookie: csrftoken={token}\r\nX-CSRFToken: {token}\r\n\r\n"
    ).encode() + PART


def _send_until_refused(connection: ssl.SSLSocket, limit: int) -> int:
    """Send body bytes until the server stops reading (or ``limit``); how many were sent."""
    sent = 0
    chunk = b"-" * (256 * 1024)
    try:
        while sent < limit:
            connection.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
        pass
    return sent


def _response(connection: ssl.SSLSocket) -> tuple[int, str]:
    data = b""
    connection.settimeout(10)
    try:
        while b"</html>" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
    except (TimeoutError, ConnectionResetError, ssl.SSLError):
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    assert head, "no answer from the server"
    return int(head.split()[1]), (head + b"\r\n\r\n" + body).decode("utf-8", "replace")


def test_the_limit_follows_the_upload_limit():
    assert settings.SECURACT_MAX_REQUEST_BYTES > settings.SECURACT_MAX_FILE_BYTES
    assert settings.SECURACT_MAX_REQUEST_BYTES <= settings.SECURACT_MAX_FILE_BYTES + 2 * MIB


def test_nginx_has_the_same_limit():
    template = (REPO / "deploy" / "nginx" / "securact.conf.template").read_text()
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", template, re.MULTILINE)
    assert sizes, "client_max_body_size is not set"
    assert {int(size) * MIB for size in sizes} == {settings.SECURACT_MAX_REQUEST_BYTES}


def test_a_body_over_the_limit_gets_413_before_it_is_sent(tls_server, declared):
    holder = declared("bailiff-durand")
    before = _folder_bytes(tls_server.temp_dir)
    started = time.monotonic()
    with _connect(tls_server, holder) as connection:
        connection.sendall(_upload_head(tls_server, 400 * MIB))
        connection.sendall(b"-" * (3 * MIB))  # past Django's in-memory upload size
        status, text = _response(connection)
        sent = 3 * MIB + _send_until_refused(connection, 64 * MIB)
    assert status == 413, text[:500]
    assert "Le fichier envoyé est trop volumineux" in text
    assert "Content-Security-Policy" in text and "no-store" in text  # headers
    assert time.monotonic() - started < 10
    assert sent < 40 * MIB  # the server stopped reading: the rest was never accepted
    assert _folder_bytes(tls_server.temp_dir) == before


def test_a_chunked_body_is_capped(tls_server, declared):
    holder = declared("bailiff-durand")
    with _connect(tls_server, holder) as connection:
        connection.sendall(
            b"POST /signifier/actes/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Transfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        status, text = _response(connection)
    assert status == 411, text[:500]
    assert "Content-Length" in text


def test_a_recipient_posting_to_the_service_form_gets_403_before_its_body_is_read(
    tls_server, declared
):
    holder = declared("recipient-banque-test")
    before = _folder_bytes(tls_server.temp_dir)
    started = time.monotonic()
    with _connect(tls_server, holder) as connection:
        connection.sendall(_upload_head(tls_server, 40 * MIB))
        connection.sendall(b"-" * (3 * MIB))  # past Django's in-memory upload size
        status, text = _response(connection)
    assert status == 403, text[:500]
    assert "Accès refusé" in text
    assert time.monotonic() - started < 10
    assert _folder_bytes(tls_server.temp_dir) == before
