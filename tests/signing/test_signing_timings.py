"""What a document costs, measured on the real token and TSA (printed, not asserted):
prepare, token signature, finish B-LTA, and the .p7s; plus one token session signing
many documents at once (the request signs all the acts of a signification together)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from securact.signing import cades, pades, services
from tests.signing.conftest import Bailiff

DOCUMENTS = 5


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def test_print_signing_costs_per_document(
    pki_server, make_sample, tmp_path: Path, durand: Bailiff, chain
) -> None:
    costs: dict[str, list[float]] = {k: [] for k in ("prepare", "token", "finish", "p7s")}
    timestamper = services.timestamper()
    for n in range(DOCUMENTS):
        source = make_sample(f"acte-{n}", text=f"Acte {n}")
        prepared, signed = tmp_path / f"prepared-{n}.pdf", tmp_path / f"signed-{n}.pdf"
        started = time.perf_counter()
        pending = pades.prepare_pades(source, prepared, durand.cert, chain)
        prepared_at = time.perf_counter()
        [value] = durand.sign([pending.tbs])
        signed_at = time.perf_counter()
        pades.finish_pades(
            pending, prepared, value, signed,
            timestamper=timestamper, validation_context=services.validation_context(),
        )  # fmt: skip
        finished_at = time.perf_counter()
        pending_p7s = cades.prepare_cades(signed, durand.cert, chain)
        [value] = durand.sign([pending_p7s.tbs])
        cades.finish_cades(
            pending_p7s, value, tmp_path / f"signed-{n}.p7s", timestamper=timestamper
        )
        costs["prepare"].append(prepared_at - started)
        costs["token"].append(signed_at - prepared_at)
        costs["finish"].append(finished_at - signed_at)
        costs["p7s"].append(time.perf_counter() - finished_at)
    print(
        f"\nmedians over {DOCUMENTS} one-page PDF/A: "
        + ", ".join(f"{name} {_ms(values)}" for name, values in costs.items())
    )


def test_print_one_token_session_for_many_documents(durand: Bailiff) -> None:
    tbs = [bytes([n]) * 100 for n in range(20)]
    started = time.perf_counter()
    values = durand.sign(tbs)
    elapsed = time.perf_counter() - started
    assert len(values) == len(tbs)
    print(f"\none token session, {len(tbs)} signatures: {elapsed * 1000:.0f} ms")
