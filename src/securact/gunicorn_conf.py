"""gunicorn configuration for the embedded default: gunicorn terminates TLS itself.

It asks every client for a certificate (optional) and accepts whatever certificate the
client proves it holds the key of; the application then validates that certificate on
every request (chain, dates, usage, revocation) and answers with a French page when it
refuses. Refusing in the TLS handshake instead would show the user only a browser error.
This is nginx's ``ssl_verify_client optional_no_ca``, which Python's ssl module lacks: we
set OpenSSL's verify callback on the context (see ``accept_any_client_certificate``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import ssl
from typing import Any

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
    accept_any_client_certificate(context)
    return context


worker_class = "gthread"
workers = int(os.environ.get("SECURACT_WORKERS", "2"))
threads = int(os.environ.get("SECURACT_THREADS", "4"))
timeout = 120
control_socket_disable = True
accesslog = "-"
wsgi_app = "securact.wsgi:application"
