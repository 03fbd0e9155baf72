"""Finish refuses, permanently, what cannot give a valid signature: a signature value made
by another key, or a prepared file that is not the one prepare digested."""

from __future__ import annotations

from pathlib import Path

import pytest

from securact.signing import pades, services
from securact.signing.errors import SigningFailed
from tests.signing.conftest import Bailiff, flip_byte


def _finish(pending, prepared: Path, value: bytes, out: Path) -> None:
    pades.finish_pades(
        pending,
        prepared,
        value,
        out,
        timestamper=services.timestamper(),
        validation_context=services.validation_context(),
    )


def test_signature_by_another_key_is_refused(
    pki_server, sample_pdf: Path, tmp_path: Path, durand: Bailiff, martin: Bailiff, chain
) -> None:
    prepared, out = tmp_path / "prepared.pdf", tmp_path / "signed.pdf"
    pending = pades.prepare_pades(sample_pdf, prepared, durand.cert, chain)
    [value] = martin.sign([pending.tbs])
    with pytest.raises(SigningFailed) as refused:
        _finish(pending, prepared, value, out)
    assert "ne correspond pas au certificat" in refused.value.message
    assert not out.exists()


def test_other_prepared_file_is_refused(
    pki_server, sample_pdf: Path, tmp_path: Path, durand: Bailiff, chain
) -> None:
    prepared, out = tmp_path / "prepared.pdf", tmp_path / "signed.pdf"
    pending = pades.prepare_pades(sample_pdf, prepared, durand.cert, chain)
    [value] = durand.sign([pending.tbs])
    altered = flip_byte(prepared, 200, tmp_path / "altered.pdf")
    with pytest.raises(SigningFailed) as refused:
        _finish(pending, altered, value, out)
    assert "ne correspond pas à la signature en attente" in refused.value.message
    assert not out.exists()


def test_pdf_without_the_signature_field_is_refused(tmp_path: Path, durand: Bailiff, chain) -> None:
    from tests.signing.samples import ghostscript_pdfa

    bare = ghostscript_pdfa(tmp_path / "bare.pdf")
    with pytest.raises(SigningFailed):
        pades.prepare_pades(bare, tmp_path / "prepared.pdf", durand.cert, chain)
    assert not (tmp_path / "prepared.pdf").exists()
