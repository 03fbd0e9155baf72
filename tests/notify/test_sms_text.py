"""The SMS says who deposited, the reference and the link, in one GSM-7 SMS where possible."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from securact.notify import gsm7
from securact.notify.messages import deposit_sms

LINK = "https://securact.example/destinataire/significations/123456/"


def test_a_short_alert_is_sent_as_written() -> None:
    text = deposit_sms(practice="Étude Martin", reference="SAT-1", link=LINK)

    assert text == f"SECURACT : acte déposé par Étude Martin, réf. SAT-1. A consulter sur {LINK}"


def test_french_letters_outside_gsm7_are_transliterated() -> None:
    text = deposit_sms(practice="Étude Lefèvre « Forêt » & Cœur", reference="RÉF-ç", link=LINK)

    assert 'Étude Lefèvre " Foret " & Coeur' in text
    assert "réf. RÉF-c." in text
    assert gsm7.is_gsm7(text)


def test_line_breaks_in_names_become_single_spaces() -> None:
    text = deposit_sms(practice="Étude\n\tMartin  ", reference=" SAT-1\r\n", link=LINK)

    assert text.startswith("SECURACT : acte déposé par Étude Martin, réf. SAT-1. ")
    assert "\n" not in text and "\r" not in text


def test_a_long_practice_name_is_shortened_and_the_reference_and_link_kept() -> None:
    practice = "Société civile professionnelle de commissaires de justice " * 3

    text = deposit_sms(practice=practice, reference="SAT-2025-0117-BANQUE", link=LINK)

    assert gsm7.septets(text) == gsm7.SMS_SEPTETS
    assert "Société civile profession..., réf." in text
    assert "réf. SAT-2025-0117-BANQUE." in text
    assert text.endswith(LINK)


def test_extension_characters_count_twice() -> None:
    assert gsm7.septets("a€[]") == 7
    assert gsm7.shorten("abcdef€€", 7) == "abcd..."


def test_a_link_alone_too_long_for_one_sms_is_kept_whole() -> None:
    link = "https://securact.example/" + "x" * 170

    text = deposit_sms(practice="Étude Martin", reference="SAT-1", link=link)

    assert text.endswith(link)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "/relative/path", "ftp://x.example/"])
def test_only_web_links_are_accepted(link: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        deposit_sms(practice="Étude Martin", reference="SAT-1", link=link)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(practice=st.text(max_size=300), reference=st.text(max_size=80))
def test_any_names_fit_one_gsm7_sms_with_the_link_intact(practice: str, reference: str) -> None:
    text = deposit_sms(practice=practice, reference=reference, link=LINK)

    assert gsm7.is_gsm7(text)
    assert "\n" not in text
    assert gsm7.septets(text) <= gsm7.SMS_SEPTETS
    assert text.endswith(f" A consulter sur {LINK}")
