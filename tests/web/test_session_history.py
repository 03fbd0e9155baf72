"""F1.4 session history: every page lists the actions done since sign-in, most recent
first, time-stamped HH:MM:SS in Europe/Paris; past five entries the full list folds into
« Déployer l'historique complet »; another certificate on the same session starts anew.

In-process (Django test client), certificate forwarded by a trusted proxy.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone

from securact.core.history import record_action

PARIS = ZoneInfo("Europe/Paris")
SIGN_IN = "Connexion au service SECURACT"
DECLARATION = "Déclaration du certificat et création du coffre-fort"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki_server", "demo_directory")]


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _as(identity) -> dict[str, Any]:
    return {"HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


_ENTRY = re.compile(r'<li><time datetime="([^"]+)">(\d\d:\d\d:\d\d)</time> ([^<]*)</li>')


def _history(response, list_class: str = "history-recent") -> list[tuple[datetime, str, str]]:
    """(datetime attribute, time shown, label) of each entry of one history list."""
    page = response.content.decode()
    block = re.search(rf'<ol class="{list_class}">(.*?)</ol>', page, re.S)
    if block is None:
        return []
    return [
        (datetime.fromisoformat(at), shown, html.unescape(label))
        for at, shown, label in _ENTRY.findall(block.group(1))
    ]


def _labels(response, list_class: str = "history-recent") -> list[str]:
    return [label for _at, _shown, label in _history(response, list_class)]


def test_sign_in_is_recorded_with_the_time_in_paris(client, identities):
    before = timezone.now().replace(microsecond=0)
    response = client.get("/declaration/", secure=True, **_as(identities["bailiff-durand"]))
    after = timezone.now()
    assert response.status_code == 200
    assert "Historique de session" in response.content.decode()
    [(at, shown, label)] = _history(response)
    assert label == SIGN_IN
    assert before <= at <= after
    assert shown == at.astimezone(PARIS).strftime("%H:%M:%S")
    seconds = int((after - before).total_seconds()) + 1
    possible = {
        (before + timedelta(seconds=s)).astimezone(PARIS).strftime("%H:%M:%S")
        for s in range(seconds + 1)
    }
    assert shown in possible


@pytest.mark.parametrize(
    ("utc", "paris"),
    [
        pytest.param(datetime(2026, 7, 14, 13, 11, 38, tzinfo=UTC), "15:11:38", id="summer"),
        pytest.param(datetime(2026, 12, 1, 14, 11, 38, tzinfo=UTC), "15:11:38", id="winter"),
        pytest.param(datetime(2026, 3, 28, 23, 30, 0, tzinfo=UTC), "00:30:00", id="past-midnight"),
    ],
)
def test_the_time_shown_is_paris_time_whatever_the_season(
    client, identities, monkeypatch, utc, paris
):
    monkeypatch.setattr(timezone, "now", lambda: utc)
    response = client.get("/declaration/", secure=True, **_as(identities["bailiff-durand"]))
    assert f"{paris}</time> {SIGN_IN}" in response.content.decode()


def test_the_declaration_is_recorded_above_the_sign_in(client, identities):
    durand = identities["bailiff-durand"]
    client.get("/declaration/", secure=True, **_as(durand))
    client.post("/declaration/", secure=True, **_as(durand))
    home = client.get("/", secure=True, **_as(durand))
    assert home.status_code == 200
    assert _labels(home) == [DECLARATION, SIGN_IN]
    entries = _history(home)
    assert entries[0][0] >= entries[1][0]


def test_each_page_of_the_session_does_not_sign_in_again(client, identities):
    durand = identities["bailiff-durand"]
    for _ in range(3):
        response = client.get("/declaration/", secure=True, **_as(durand))
    assert _labels(response) == [SIGN_IN]


def test_a_refusal_page_shows_no_history(client, identities):
    response = client.get("/", secure=True, **_as(identities["revoked"]))
    assert response.status_code == 403
    assert "Historique de session" not in response.content.decode()


def _record(client, labels: list[str]) -> None:
    """Actions recorded on the client's session as a view would record them."""
    request = RequestFactory().get("/")
    request.session = client.session
    for label in labels:
        record_action(request, label)
    request.session.save()


def test_five_entries_show_without_the_full_list(client, identities):
    durand = identities["bailiff-durand"]
    client.get("/declaration/", secure=True, **_as(durand))
    _record(client, [f"Action n° {n}" for n in range(1, 5)])
    page = client.get("/declaration/", secure=True, **_as(durand))
    assert _labels(page) == ["Action n° 4", "Action n° 3", "Action n° 2", "Action n° 1", SIGN_IN]
    assert "<details>" not in page.content.decode()
    assert "Déployer l'historique complet" not in html.unescape(page.content.decode())


def test_past_five_entries_the_full_history_is_folded_in_details(client, identities):
    durand = identities["bailiff-durand"]
    client.get("/declaration/", secure=True, **_as(durand))
    actions = [f"Action n° {n}" for n in range(1, 7)]
    _record(client, actions)
    page = client.get("/declaration/", secure=True, **_as(durand))
    newest_first = [*reversed(actions), SIGN_IN]
    assert _labels(page) == newest_first[:5]
    text = html.unescape(page.content.decode())
    details = re.search(r"<details>(.*?)</details>", text, re.S)
    assert details is not None
    assert "<summary>Déployer l'historique complet</summary>" in details.group(1)
    assert _labels(page, "history-all") == newest_first
    assert '<ol class="history-all">' in details.group(1)


def test_another_certificate_on_the_same_session_starts_a_new_history(client, identities):
    durand, martin = identities["bailiff-durand"], identities["bailiff-martin"]
    client.get("/declaration/", secure=True, **_as(durand))
    client.post("/declaration/", secure=True, **_as(durand))
    assert _labels(client.get("/", secure=True, **_as(durand))) == [DECLARATION, SIGN_IN]
    old_session = client.cookies["sessionid"].value

    page = client.get("/declaration/", secure=True, **_as(martin))
    assert page.status_code == 200
    assert _labels(page) == [SIGN_IN]
    assert _history(page, "history-all") == []
    assert client.cookies["sessionid"].value != old_session
    # ... and coming back with the first certificate is a new sign-in too.
    back = client.get("/", secure=True, **_as(durand))
    assert back.status_code == 200
    assert _labels(back) == [SIGN_IN]
