"""Directory entries for the demo identities (``securact demo_data``): the practice, the
recipients with their accepted natures and hours, and the operator's admin account bound
to the operator certificate. Idempotent: what exists is left as it is."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from securact.directory.models import (
    AcceptedNature,
    ActNature,
    Practice,
    Recipient,
    ServiceWindow,
)
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.pki.demo_pki import DemoLayout, load_identities
from securact.pki.models import OperatorCertificate


def _recipient(identity: dict[str, Any]) -> None:
    recipient, created = Recipient.objects.get_or_create(
        siret=identity["siret"],
        defaults={
            key: identity[key] for key in ("name", "email", "landline", "mobile", "department")
        },
    )
    if not created:
        return
    for code, windows in identity["natures"].items():
        accepted = AcceptedNature.objects.create(
            recipient=recipient, nature=ActNature.objects.get(code=code)
        )
        ServiceWindow.objects.bulk_create(
            ServiceWindow(
                accepted_nature=accepted,
                weekday=day,
                start=time.fromisoformat(start),
                end=time.fromisoformat(end),
            )
            for day, start, end in windows
        )


def register_operator(cert_path: Path, username: str) -> OperatorCertificate:
    """Bind an operator certificate to a staff account (created without a usable password)."""
    info = parse_certificate(pem_to_der(cert_path.read_bytes()))
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"is_staff": True, "is_superuser": True, "first_name": info.holder[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save()
    binding, _created = OperatorCertificate.objects.get_or_create(
        fingerprint=info.fingerprint,
        defaults={
            "user": user,
            "holder": info.holder,
            "issuer": info.issuer,
            "not_after": info.not_after,
        },
    )
    return binding


@transaction.atomic
def create_demo_data(layout: DemoLayout) -> None:
    data = load_identities()
    for practice in data["practices"]:
        Practice.objects.get_or_create(code=practice["code"], defaults={"name": practice["name"]})
    records = {r["label"]: r for r in json.loads(layout.demo_json.read_text(encoding="utf-8"))}
    for identity in data["identities"]:
        if identity["role"] == "recipient":
            _recipient(identity)
        elif identity["role"] == "operator":
            register_operator(Path(records[identity["label"]]["auth_cert"]), "operateur")
