"""The recipient's side of ``securact-edi`` (the banks' pull API, F9.2):

* ``fetch``: every deposit not yet acknowledged (``acquitte=false``), its acts — the first
  download of an act is the legal opening of the deposit (*remise à personne* before the
  deadline), exactly as on the portal — and its data message, into ``OUT/<deposit id>/``;
  each file checked against the SHA-256 the API gives, then the deposit acknowledged (so the
  next run does not fetch it again);
* ``answer``: the act return of one deposit, a PDF and/or the declaration (JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from securact_edi.api import Client, file_sha256, idempotency_key

DEPOSITS = "/destinataire/depots"


class FetchError(Exception):
    """A downloaded file does not match its SHA-256: not acknowledged, fetched again later."""


@dataclass
class Fetched:
    deposit: dict[str, Any]
    files: list[Path] = field(default_factory=list)


def _checked(client: Client, url: str, target: Path, sha256: str) -> Path:
    client.download(url, target)
    if file_sha256(target) != sha256:
        target.unlink()
        raise FetchError(f"Empreinte SHA-256 différente pour {target.name} : non acquitté.")
    return target


def fetch_deposit(client: Client, summary: dict[str, Any], out: Path) -> Fetched:
    detail = client.get(summary["url"])
    folder = out / str(detail["id"])
    fetched = Fetched(detail)
    for act in detail["actes"]:
        fetched.files.append(_checked(client, act["url"], folder / act["nom"], act["sha256"]))
    message = detail.get("message_donnees")
    if message:
        fetched.files.append(
            _checked(client, message["url"], folder / message["nom"], message["sha256"])
        )
    (folder / "depot.json").write_text(
        json.dumps(detail, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    client.post(detail["accuse_reception_url"], {}, idempotency_key("accuse", str(detail["id"])))
    return fetched


def fetch(client: Client, out: Path, console: Console) -> list[Fetched]:
    done = [
        fetch_deposit(client, summary, out) for summary in client.pages(DEPOSITS, acquitte="false")
    ]
    table = Table(title="Dépôts relevés")
    for column in ("Dépôt", "Référence", "Étude", "Nature", "Fichiers"):
        table.add_column(column)
    for item in done:
        deposit = item.deposit
        table.add_row(
            str(deposit["id"]),
            deposit["reference"],
            deposit["etude"]["nom"],
            deposit["nature"]["code"],
            str(len(item.files)),
        )
    console.print(table)
    return done


def answer(
    client: Client, deposit_id: int, pdf: Path | None, declaration: Path | None
) -> dict[str, Any]:
    """Post the act return; the key is derived from what is sent (sent twice: one return)."""
    fields: dict[str, str] = {}
    parts = [str(deposit_id)]
    if declaration is not None:
        text = declaration.read_text(encoding="utf-8")
        json.loads(text)  # a mistake is the user's to see here, not a 422 later
        fields["declaration"] = text
        parts.append(text)
    path = f"{DEPOSITS}/{deposit_id}/retour"
    if pdf is not None:
        parts.append(file_sha256(pdf))
        key = idempotency_key("retour", *parts)
        return dict(client.upload(path, pdf, key, field="pdf", **fields))
    key = idempotency_key("retour", *parts)
    response = client.request("POST", path, data=fields, key=key)
    return dict(response.json())
