"""API fixtures: the portal's (a holder's client presenting its certificate as nginx forwards
it, deposits served on BANQUE TEST with their acts in its vault), and helpers to call the
API with them."""

from __future__ import annotations

from typing import Any

from django.test import Client

from securact.evidence import tree
from tests.portal.conftest import BANK, OTHER_BANK, bank, deposits, holder  # noqa: F401

V1 = "/api/v1"
DEPOSITS = f"{V1}/destinataire/depots"


def get(client: Client, path: str, params: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.get(path, params or {}, secure=True, **extra)


def post(client: Client, path: str, data: Any = None, **extra: Any) -> Any:
    return client.post(path, data if data is not None else {}, secure=True, **extra)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def integrate() -> None:
    """The journal's new entries into its tree (a test's transaction never commits, so the
    after-commit integration does not run): the events feed reads the tree's order."""
    tree.integrate()


def error(response: Any, status: int) -> dict[str, Any]:
    """The API's JSON error of ``response``, checked: its status, its two keys, JSON."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    answer = response.json()
    assert set(answer) == {"erreur", "champ"}, answer
    assert answer["erreur"]
    return dict(answer)
