"""Operators sign in to the admin with their certificate; there is no password login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class OperatorCertificateBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        certificate_fingerprint: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from securact.pki.models import OperatorCertificate

        if not certificate_fingerprint:
            return None
        found = (
            OperatorCertificate.objects.select_related("user")
            .filter(fingerprint=certificate_fingerprint)
            .first()
        )
        if found is None or not self.user_can_authenticate(found.user):
            return None
        return found.user
