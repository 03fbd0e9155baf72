"""The deposit timestamp (F7.3, *preuve*): at deposit, the TSA timestamps the content's
SHA-256, and the RFC 3161 token is kept with the file (``StoredFile.deposit_timestamp``).

The token alone proves, to anyone holding the TSA's root, that this exact content existed
at the time it states (``openssl ts -verify -digest <sha256> …``), whatever happens to the
platform's database later. Asking for it is a network call: it is made before the
deposit's transaction, never under the journal's lock.
"""

from __future__ import annotations

from securact.evidence.xml_seal import timestamp_digest
from securact.signing.services import timestamper


def timestamp_content(sha256: str) -> bytes:
    """The DER RFC 3161 token whose message imprint is ``sha256`` (hex, as stored).

    Raises ``SealTransientError`` (French message) when the TSA is unreachable or refuses:
    the service process retries the step; a person is told to try again later."""
    return timestamp_digest(bytes.fromhex(sha256), timestamper())
