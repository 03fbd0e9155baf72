"""`securact serve`'s progress lines: each step's change of state told once, in French, as
the web progress page shows it — a step woken back to pending and claimed again is not a
new line, a failure carries its reason."""

from __future__ import annotations

from securact.significations.cli_progress import ProgressLines
from securact.significations.models import Step


def _set(signification, name: str, state: str, error: str = "") -> None:
    Step.objects.filter(signification=signification, name=name).update(state=state, error=error)


def test_each_change_is_one_french_line_and_a_wake_is_not_news(signification):
    for order, name in enumerate(Step.Name.values):
        Step.objects.create(signification=signification, name=name, position=order)
    lines: list[str] = []
    progress = ProgressLines(signification.pk, lines.append)
    progress.read_once()
    assert lines == []  # everything pending
    for state in ("running", "waiting", "pending", "running", "pending", "running", "done"):
        _set(signification, "sign", state)
        progress.read_once()
    _set(signification, "deposit", "failed", "Coffre-fort indisponible.")
    progress.read_once()
    progress.read_once()
    told = [line.split(" ", 1)[1] for line in lines]
    assert told == [
        "Signature qualifiée des actes : en cours",
        "Signature qualifiée des actes : en attente de votre signature",
        "Signature qualifiée des actes : en cours",
        "Signature qualifiée des actes : terminée",
        "Dépôt dans le coffre-fort du destinataire : en échec — Coffre-fort indisponible.",
    ]
