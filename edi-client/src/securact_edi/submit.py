"""``securact-edi submit``: upload a manifest's acts, submit them as one batch, sign them on
the practice's token when the platform asks (client-side signing), follow the batch to its
end with a progress bar, download each signification's deposit certificate and archive,
and print a summary.

Every POST carries an idempotency key derived from what it sends (``api.idempotency_key``):
running the same command again — after a timeout, a crash, a killed worker — sends the same
keys, so nothing is uploaded, served or signed twice; the run simply picks up where the
platform is."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from securact_edi.api import ApiError, Client, file_sha256, idempotency_key
from securact_edi.manifest import Manifest
from securact_edi.token import TokenSigner

FINAL_ITEM_STATES = {"refusee", "terminee", "echec"}
DOCUMENTS = {"certificat_depot": "certificat-de-depot.pdf", "archive": "signification.zip"}


@dataclass
class Outcome:
    batch: dict[str, Any]
    signatures: int = 0
    downloaded: dict[str, list[Path]] = field(default_factory=dict)
    timed_out: bool = False

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.batch.get("significations", []))

    @property
    def ok(self) -> bool:
        return not self.timed_out and all(i["etat"] == "terminee" for i in self.items)


def upload_files(client: Client, manifest: Manifest) -> dict[Path, str]:
    """Each distinct file once; its upload id."""
    ids: dict[Path, str] = {}
    for item in manifest.items:
        for file in item.files:
            if file not in ids:
                key = idempotency_key("fichier", manifest.reference, file_sha256(file), file.name)
                ids[file] = str(client.upload("/fichiers", file, key)["id"])
    return ids


def batch_body(
    manifest: Manifest, uploads: dict[Path, str], signer: TokenSigner | None
) -> dict[str, Any]:
    items = []
    for item in manifest.items:
        entry: dict[str, Any] = {
            "reference": item.reference,
            "siret": item.siret,
            "nature": item.nature,
            "commissaire": item.bailiff or (signer.holder if signer else ""),
            "fichiers": [uploads[file] for file in item.files],
        }
        if signer is not None:
            entry["certificat_signature"] = signer.certificate_pem
        if item.elements is not None:
            entry["elements"] = item.elements
        items.append(entry)
    return {
        "reference": manifest.reference,
        "signature": "client" if signer is not None else "distante",
        "significations": items,
    }


def submit_batch(client: Client, body: dict[str, Any], pin: str | None) -> dict[str, Any]:
    # The key is the body without the PIN: a PIN typed again is the same batch.
    key = idempotency_key("lot", json.dumps(body, sort_keys=True, ensure_ascii=False))
    sent = {**body, **({"code_pin": pin} if pin else {})}
    return dict(client.post("/lots", sent, key))


def sign_what_is_asked(client: Client, signification_id: int, signer: TokenSigner) -> int:
    """Sign this signification's current round, if the platform has prepared one."""
    todo = client.get(f"/significations/{signification_id}/a-signer")["resultats"]
    if not todo:
        return 0
    values = [
        {
            "acte": entry["acte"],
            "type": entry["type"],
            "valeur": base64.b64encode(
                signer.sign(base64.b64decode(entry["attributs_signes"]))
            ).decode("ascii"),
        }
        for entry in todo
    ]
    what = [f"{e['acte']}:{e['type']}:{e['empreinte_sha256']}" for e in todo]
    key = idempotency_key("signatures", str(signification_id), *what)
    client.post(f"/significations/{signification_id}/signatures", {"signatures": values}, key)
    return len(values)


def follow(
    client: Client,
    batch: dict[str, Any],
    signer: TokenSigner | None,
    timeout: float,
    on_change: Callable[[dict[str, Any]], None],
    poll: float = 1.0,
) -> Outcome:
    """Until every item is final (or ``timeout`` seconds): sign what is asked, refresh the
    batch, report it."""
    outcome = Outcome(batch)
    deadline = time.monotonic() + timeout
    while True:
        pending = [i for i in outcome.items if i["etat"] not in FINAL_ITEM_STATES]
        if not pending:
            return outcome
        if time.monotonic() > deadline:
            outcome.timed_out = True
            return outcome
        if signer is not None:
            for item in pending:
                if item.get("signification"):
                    outcome.signatures += sign_what_is_asked(client, item["signification"], signer)
        time.sleep(poll)
        outcome.batch = client.get(f"/lots/{batch['id']}")
        on_change(outcome.batch)


def download_documents(client: Client, outcome: Outcome, out: Path) -> None:
    for item in outcome.items:
        if item["etat"] != "terminee" or not item.get("signification"):
            continue
        detail = client.get(f"/significations/{item['signification']}")
        folder = out / _safe(item["reference"])
        got = []
        for link, name in DOCUMENTS.items():
            url = (detail.get("liens") or {}).get(link)
            if url:
                got.append(client.download(url, folder / name))
        outcome.downloaded[item["reference"]] = got


def _safe(reference: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in reference) or "sans-reference"


def summary(outcome: Outcome) -> Table:
    table = Table(title=f"Lot {outcome.batch.get('reference', '')}")
    for column in ("Référence", "Signification", "État", "Documents", "Erreur"):
        table.add_column(column)
    for item in outcome.items:
        table.add_row(
            item["reference"],
            str(item.get("signification") or "—"),
            item["etat"],
            str(len(outcome.downloaded.get(item["reference"], []))),
            item.get("erreur") or "",
        )
    return table


def run(
    client: Client,
    manifest: Manifest,
    *,
    signer: TokenSigner | None,
    pin: str | None,
    out: Path,
    timeout: float,
    console: Console,
) -> Outcome:
    console.print(f"Envoi des fichiers de {len(manifest.items)} signification(s)…")
    uploads = upload_files(client, manifest)
    batch = submit_batch(client, batch_body(manifest, uploads, signer), pin)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task("Significations", total=len(batch.get("significations", [])))

        def show(current: dict[str, Any]) -> None:
            done = sum(i["etat"] in FINAL_ITEM_STATES for i in current["significations"])
            bar.update(task, completed=done)

        show(batch)
        outcome = follow(client, batch, signer, timeout, show)
    try:
        download_documents(client, outcome, out)
    except ApiError as error:
        console.print(f"[red]Téléchargement interrompu : {error.message}[/red]")
    console.print(summary(outcome))
    return outcome
