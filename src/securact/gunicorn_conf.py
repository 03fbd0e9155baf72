"""gunicorn configuration for the embedded default: gunicorn terminates TLS itself.

It asks every client for a certificate (optional) and accepts whatever certificate the
client proves it holds the key of; the application then validates that certificate on
every request (chain, dates, usage, revocation) and answers with a French page when it
refuses. Refusing in the TLS handshake instead would show the user only a browser error.
This is nginx's ``ssl_verify_client optional_no_ca``, which Python's ssl module lacks: we
set OpenSSL's verify callback on the context (see ``accept_any_client_certificate``).

TLS 1.2 offers only ECDHE key exchange with AEAD ciphers (ANSSI, Mozilla "intermediate");
TLS 1.3's suites all qualify. Files are created private to the service user (umask 077).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import ssl
from typing import Any

from gunicorn.http import wsgi as gunicorn_wsgi

os.umask(0o077)  # gunicorn's master and (forked) workers: every file private

# Forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305) only.
TLS12_CIPHERS = ":".join(
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ]
)
# A body above this is never read whole by the app (413, or a refusal before reading):
# close the connection after the answer rather than drain the rest for keep-alive.
DRAIN_LIMIT = 1024 * 1024

_VERIFY_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)


def _always_continue(preverify_ok: int, store_ctx: int) -> int:
    # The chain is judged by the application, which can say why in French.
    return 1


_ACCEPT = _VERIFY_CALLBACK(_always_continue)
_SSL_VERIFY_PEER = 0x01


def _libssl() -> ctypes.CDLL:
    lib = ctypes.CDLL(ctypes.util.find_library("ssl") or "libssl.so.3")
    lib.SSL_CTX_set_verify.argtypes = [ctypes.c_void_p, ctypes.c_int, _VERIFY_CALLBACK]
    lib.SSL_CTX_set_verify.restype = None
    lib.SSL_CTX_get_verify_mode.argtypes = [ctypes.c_void_p]
    lib.SSL_CTX_get_verify_mode.restype = ctypes.c_int
    return lib


def accept_any_client_certificate(context: ssl.SSLContext) -> None:
    """Request a client certificate and let the handshake succeed whatever its issuer.

    CPython's SSLContext object holds the ``SSL_CTX*`` right after its object header; we
    check that pointer by reading the verify mode back through OpenSSL before using it,
    and refuse to start if it does not match (a CPython layout change)."""
    context.verify_mode = ssl.CERT_OPTIONAL
    lib = _libssl()
    pointer = ctypes.c_void_p.from_address(id(context) + object.__basicsize__).value
    if not pointer or lib.SSL_CTX_get_verify_mode(pointer) != _SSL_VERIFY_PEER:
        raise RuntimeError("cannot reach the OpenSSL context: refusing to start")
    lib.SSL_CTX_set_verify(pointer, _SSL_VERIFY_PEER, _ACCEPT)


def ssl_context(conf: Any, default_ssl_context_factory: Any) -> ssl.SSLContext:
    context: ssl.SSLContext = default_ssl_context_factory()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(TLS12_CIPHERS)
    accept_any_client_certificate(context)
    return context


def pre_request(worker: Any, req: Any) -> None:
    """Close after answering a large or chunked body: an early refusal leaves it unread."""
    headers = dict(req.headers)
    length = headers.get("CONTENT-LENGTH", "0")
    if "TRANSFER-ENCODING" in headers or not length.isdigit() or int(length) > DRAIN_LIMIT:
        req.must_close = True


_default_headers = gunicorn_wsgi.Response.default_headers


def _headers_without_server(response: Any) -> list[str]:
    """gunicorn always names itself in a ``Server`` header and has no setting to stop it."""
    return [line for line in _default_headers(response) if not line.startswith("Server:")]


gunicorn_wsgi.Response.default_headers = _headers_without_server


worker_class = "gthread"
workers = int(os.environ.get("SECURACT_WORKERS", "2"))
threads = int(os.environ.get("SECURACT_THREADS", "4"))
timeout = 120
control_socket_disable = True
accesslog = "-"
wsgi_app = "securact.wsgi:application"


def worker_exit(server: Any, worker: Any) -> None:
    """A web worker may have started LibreOffice for a draft's preview: stop it too."""
    from securact.documents.office import stop_office_converter

    stop_office_converter()
