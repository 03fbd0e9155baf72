"""Issue 9, item 6: the trust roots and intermediates are cached for every thread of a
server process; threads validating at once must each get their verdict. They used to be
shared half-parsed (asn1crypto parses lazily, and a parse is not thread-safe), and a thread
reading a field another was parsing failed (``KeyError: 'No field numbered 2…'``), a 500.

Thread switches are made very frequent (``sys.setswitchinterval``) so that the race, rare
on a real start, shows at once."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from securact.pki import services
from securact.pki.certificates import pem_to_der

ROUNDS = 4
THREADS = 8
VALID = ["bailiff-durand", "bailiff-martin", "recipient-banque-test", "operator"]


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def test_threads_sharing_the_cached_roots_all_get_their_verdict(
    identities, pki_server, frequent_switches
):
    ders = [pem_to_der(Path(identities[label].cert).read_bytes()) for label in VALID]
    failures: list[str] = []
    for _ in range(ROUNDS):
        services._trust.cache_clear()
        services.trust_material()  # loaded by a first request, then shared by every thread
        barrier = threading.Barrier(THREADS)

        def validate(der: bytes, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                verdict = services._validate_uncached(der)
                if not verdict.accepted:
                    failures.append(str(verdict.refusal))
            except Exception as error:  # what the request would have turned into a 500
                failures.append(repr(error))

        threads = [
            threading.Thread(target=validate, args=(ders[n % len(ders)],)) for n in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
