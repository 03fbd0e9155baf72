"""Webhook secrets: generated, shown once, stored encrypted, and the signature they make.

The platform signs each delivery with the endpoint's secret, so it must be able to read it:
it cannot be stored as a hash. It is stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256)
with a key derived by HKDF-SHA256 from ``SECRET_KEY``; a database dump alone does not give
it. A key change is survived through ``SECRET_KEY_FALLBACKS`` (the old keys still decrypt);
without them the secrets are lost and each client registers its webhook again.

The signature (``X-Securact-Signature: t=<unix time>,v1=<hex>``) is the HMAC-SHA256, keyed
with the secret (its UTF-8 bytes, ``whsec_`` included), of ``"<t>." + body``: the receiver
recomputes it over the raw body, compares in constant time, and refuses a ``t`` more than
five minutes from its clock (a replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SIGNATURE_HEADER = "X-Securact-Signature"
PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _fernet(key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"securact webhook secret"
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(str(key)) for key in keys])


def encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return _keys().decrypt(token.encode("ascii")).decode()


def signature_header(secret: str, body: bytes, at: int | None = None) -> str:
    """The header value for ``body`` sent at ``at`` (unix time, default now)."""
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, now: float | None = None) -> bool:
    """What a receiver does (documented in the README; the tests check deliveries with
    plain ``hmac`` instead)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = signature_header(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
