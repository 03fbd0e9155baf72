"""The TSA (and OCSP/CRL) down during finish: a transient error in French, nothing written,
nothing lost; once the services are back, finishing the same pending signature with the
same signature value succeeds — the bailiff is not asked for the PIN again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from securact.signing import cades, pades, services
from securact.signing.errors import SigningTransientError
from securact.signing.files import sha256_file
from tests.signing.conftest import Bailiff


@contextmanager
def services_down(pki_server) -> Iterator[None]:
    pki_server.stop()
    try:
        yield
    finally:
        pki_server.start()


def _finish_pades(pending, prepared: Path, value: bytes, out: Path) -> None:
    pades.finish_pades(
        pending,
        prepared,
        value,
        out,
        timestamper=services.timestamper(),
        validation_context=services.validation_context(),
    )


def test_pades_finish_waits_for_the_tsa_and_loses_nothing(
    pki_server, sample_pdf: Path, tmp_path: Path, durand: Bailiff, chain, roots
) -> None:
    prepared, out = tmp_path / "prepared.pdf", tmp_path / "signed.pdf"
    pending = pades.prepare_pades(sample_pdf, prepared, durand.cert, chain)  # no network
    [value] = durand.sign([pending.tbs])
    before = sha256_file(prepared)

    with services_down(pki_server), pytest.raises(SigningTransientError) as down:
        _finish_pades(pending, prepared, value, out)
    assert "momentanément injoignable" in down.value.message
    assert not out.exists()
    assert list(tmp_path.glob(".*.tmp")) == []  # no half-written file left behind
    assert sha256_file(prepared) == before

    _finish_pades(pending, prepared, value, out)  # the retry, services back
    assert services.validate_pades_offline(out, roots, chain).ok


def test_cades_finish_waits_for_the_tsa_and_loses_nothing(
    pki_server, sample_pdf: Path, tmp_path: Path, durand: Bailiff, chain, roots
) -> None:
    out = tmp_path / "acte.p7s"
    pending = cades.prepare_cades(sample_pdf, durand.cert, chain)
    [value] = durand.sign([pending.tbs])

    with services_down(pki_server), pytest.raises(SigningTransientError):
        cades.finish_cades(pending, value, out, timestamper=services.timestamper())
    assert not out.exists()

    cades.finish_cades(pending, value, out, timestamper=services.timestamper())
    assert services.validate_cades_offline(out, sample_pdf, roots, chain).ok
