"""Names typed by people are escaped in the HTML part and left as written in the text part."""

from __future__ import annotations

import pytest

from securact.notify.services import send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer

PRACTICE = 'Dupont & <b onmouseover="x()">Fils</b>'


@pytest.mark.django_db
def test_markup_in_a_name_is_escaped_in_the_html_part(smtp_server: SmtpServer) -> None:
    send_deposit_email(**email_alert(practice=PRACTICE, recipient_name="Banque <script>"))

    message = smtp_server.messages[0]
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "<b onmouseover" not in html
    assert "<script>" not in html
    assert "Dupont &amp; &lt;b onmouseover=&quot;x()&quot;&gt;Fils&lt;/b&gt;" in html
    assert "Banque &lt;script&gt;" in html
    assert '<a href="https://securact.example/destinataire/significations/4242/">' in html


@pytest.mark.django_db
def test_the_text_part_shows_names_as_written(smtp_server: SmtpServer) -> None:
    send_deposit_email(**email_alert(practice=PRACTICE))

    text_part = smtp_server.messages[0].get_body(preferencelist=("plain",))
    assert text_part is not None
    assert f"Étude : {PRACTICE}" in text_part.get_content()
    assert "&amp;" not in text_part.get_content()


@pytest.mark.django_db
def test_a_newline_in_a_name_cannot_add_a_header(smtp_server: SmtpServer) -> None:
    send_deposit_email(**email_alert(practice="Étude\nBcc: espion@example.org"))

    message = smtp_server.messages[0]
    assert message["Bcc"] is None
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["significations@banque-test.example"]
    assert message["Subject"].strip().startswith("[SECURACT] Acte déposé par Étude Bcc: espion")
