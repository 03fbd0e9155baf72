"""The texts of the deposit alerts, rendered from ``templates/notify/`` (F4.4).

An alert says who deposited what for whom, when (Europe/Paris) and where to read it; it
never carries the act itself. The SMS holds only the practice, the deposit reference and
the link, in GSM-7 and within 160 characters where possible.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from email.utils import make_msgid, parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import URLValidator
from django.template.loader import render_to_string
from django.utils import timezone, translation

from securact.notify import gsm7

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
_LINK = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class DepositFacts:
    """What an alert tells: who deposited what for whom, when, and where to read it."""

    practice: str
    bailiff: str
    recipient_name: str
    reference: str
    nature_label: str
    deposited_names: list[str]
    deposited_at: datetime
    link: str

    def __post_init__(self) -> None:
        # Both are programming errors upstream, not the recipient's: fail loudly.
        if timezone.is_naive(self.deposited_at):
            raise ValueError("deposited_at must be timezone-aware")
        check_link(self.link)


def check_link(link: str) -> None:
    """A link in an alert must be an http(s) URL (never ``javascript:`` or a bare path)."""
    try:
        _LINK(link)
    except ValidationError as error:
        raise ValueError(f"not an http(s) link: {link!r}") from error


def public_link(path: str) -> str:
    """An absolute link to ``path`` on the platform (SECURACT_PUBLIC_URL)."""
    return settings.SECURACT_PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")


def _render(template: str, context: Mapping[str, object]) -> str:
    # Alerts are rendered by workers, outside any request: fix the language and the zone
    # (legal times are told in Europe/Paris whatever the process's zone).
    with translation.override(settings.LANGUAGE_CODE), timezone.override(PARIS):
        return render_to_string(template, {"language": settings.LANGUAGE_CODE, **context})


def _message_id() -> str:
    # Set here rather than by Django so the id can be recorded; the domain comes from the
    # sender address, avoiding Django's slow FQDN lookup.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "securact.localhost"
    return make_msgid(domain=domain)


def deposit_email(to: str, facts: DepositFacts) -> EmailMultiAlternatives:
    """The alert email: French plain text with an escaped HTML alternative, no attachment."""
    context: dict[str, object] = {"platform": settings.SECURACT_PLATFORM_NAME, **asdict(facts)}
    # A subject is one header line: any newline in a name would be header injection.
    subject = " ".join(_render("notify/deposit_email_subject.txt", context).split())
    text = _render("notify/deposit_email.txt", context).strip() + "\n"
    html = _render("notify/deposit_email.html", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": _message_id(), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def deposit_sms(*, practice: str, reference: str, link: str) -> str:
    """The alert SMS, shortened to one SMS: the practice's name first, then the reference.

    The link is never cut (a cut link is useless); if it alone is too long the message goes
    out as a multi-part SMS.
    """
    check_link(link)
    # One line: a name's line breaks or tabs would only waste characters.
    practice, reference = (gsm7.to_gsm7(" ".join(value.split())) for value in (practice, reference))
    text = _sms_text(practice, reference, link)
    practice = gsm7.shorten(practice, gsm7.septets(practice) - _excess(text))
    text = _sms_text(practice, reference, link)
    reference = gsm7.shorten(reference, gsm7.septets(reference) - _excess(text))
    text = _sms_text(practice, reference, link)
    if gsm7.septets(text) > gsm7.SMS_SEPTETS:
        logger.warning("SMS alert longer than one SMS (%d septets)", gsm7.septets(text))
    return text


def _excess(text: str) -> int:
    return max(0, gsm7.septets(text) - gsm7.SMS_SEPTETS)


def _sms_text(practice: str, reference: str, link: str) -> str:
    platform = gsm7.to_gsm7(settings.SECURACT_PLATFORM_NAME)
    context = {"platform": platform, "practice": practice, "reference": reference, "link": link}
    return gsm7.to_gsm7(_render("notify/deposit_sms.txt", context).strip())
