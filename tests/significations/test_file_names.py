"""F4.3 and F4.6: the names the manual prescribes, from the time of sending in Paris."""

from datetime import UTC, datetime

from securact.significations.naming import archive_name, deposited_name, recipient_token


def test_deposited_name_uses_paris_time_of_sending():
    sent = datetime(2026, 7, 14, 12, 52, 3, tzinfo=UTC)  # 14:52:03 in Paris (summer)
    assert deposited_name("9991", "TEST_MODALITE_REMISE_1", sent, 1) == (
        "9991_TEST_MODALITE_REMISE_1_20260714_145203.pdf"
    )


def test_second_act_of_a_signification_gets_a_suffix():
    sent = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
    assert deposited_name("9991", "REF", sent, 2) == "9991_REF_20260105_100000_2.pdf"


def test_archive_name_as_in_the_manual():
    archived = datetime(2013, 9, 17, 12, 53, 13, tzinfo=UTC)
    assert archive_name("BANQUE TEST", "TEST_MODALITE_REMISE_1", archived) == (
        "BANQUE_TEST__TEST_MODALITE_REMISE_1_20130917_145313.zip"
    )


def test_recipient_names_become_plain_upper_case_tokens():
    assert recipient_token("Crédit Démo de l'Est") == "CREDIT_DEMO_DE_L_EST"
