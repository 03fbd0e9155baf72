"""Issue 9, item 6, over real TLS: the first requests after a start, many at once on a
gunicorn with several threads, all get their page (200 or 302) — none a 500. The trust
roots shared by all threads used to be parsed lazily by asn1crypto while several threads
read them (``KeyError: 'No field numbered 2…'``).

Such a race needs a thread switch in the middle of a parse: the server's interpreter is made
to switch threads very often (``sys.setswitchinterval`` in a ``sitecustomize`` of the test's
own), so that a lazily parsed object shared by threads fails at once instead of now and
then."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.pki.live import fresh_gunicorn

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

VALID = [
    "bailiff-durand",
    "bailiff-martin",
    "recipient-banque-test",
    "recipient-credit-demo",
    "recipient-assurances",
    "operator",
]
STARTS = 2
REQUESTS_PER_START = 24


def _first_request(base: str, pair: tuple[str, str], roots: str) -> tuple[int, str]:
    with requests.Session() as browser:
        browser.trust_env = False
        answer = browser.get(base + "/", cert=pair, verify=roots, allow_redirects=False, timeout=60)
        return answer.status_code, answer.text[:300]


def test_concurrent_first_requests_after_a_start_never_get_a_500(
    demo_layout, pki_server, demo_directory, identities, tmp_path
):
    roots = str(demo_layout.trust / "roots.pem")
    pairs = [identities[VALID[n % len(VALID)]].pair for n in range(REQUESTS_PER_START)]
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.setswitchinterval(1e-6)\n")
    for _ in range(STARTS):
        with fresh_gunicorn(demo_layout, threads=8, PYTHONPATH=str(tmp_path)) as (base, _data):
            # A first visitor whose certificate no root issued: the roots are loaded (and
            # cached for every thread) but barely read, as by any early refusal.
            assert _first_request(base, identities["untrusted"].pair, roots)[0] == 403
            with ThreadPoolExecutor(max_workers=REQUESTS_PER_START) as pool:
                answers = list(pool.map(lambda pair: _first_request(base, pair, roots), pairs))
        statuses = [status for status, _text in answers]
        assert all(status in (200, 302) for status in statuses), answers
