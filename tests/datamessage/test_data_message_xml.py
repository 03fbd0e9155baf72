"""The data message follows its XSD (checked by lxml and by xmllint), says what the bank's
software needs, and binds itself to the served acts by their names and SHA-256."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from securact.datamessage.message import (
    Amounts,
    Company,
    DataMessageData,
    InvalidDataMessage,
    build_data_message,
    message_name,
    validate_data_message,
)
from tests.datamessage.conftest import xmllint_schema
from tests.datamessage.samples import DEBTOR_SIREN

NS = {"m": "urn:securact:message-donnees:1", "ds": "http://www.w3.org/2000/09/xmldsig#"}
needs_xmllint = pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint missing")


def _text(root: etree._Element, path: str) -> str | None:
    return root.findtext(path, namespaces=NS)


def test_message_says_the_elements_and_binds_to_the_acts(data: DataMessageData) -> None:
    root = etree.fromstring(build_data_message(data))

    validate_data_message(root)
    assert _text(root, "m:Signification/m:ReferenceDepot") == "REF-2025-0042"
    assert _text(root, "m:Signification/m:NatureActe/m:Code") == "saisie-attribution"
    assert _text(root, "m:Signification/m:Destinataire/m:SIRET") == data.recipient_siret
    assert _text(root, "m:Signification/m:DateEnvoi/m:UTC") == "2025-03-14T09:26:53Z"
    assert _text(root, "m:Signification/m:DateEnvoi/m:EuropeParis") == "2025-03-14T10:26:53+01:00"
    acts = root.findall("m:Signification/m:Actes/m:Acte", NS)
    assert [(_text(a, "m:NomDepose"), _text(a, "m:SHA256")) for a in acts] == [
        ("9991_REF-2025-0042_20250314_102653.pdf", "1f" * 32),
        ("9991_REF-2025-0042_20250314_102653_2.pdf", "e0" * 32),
    ]
    assert _text(root, "m:Debiteur/m:PersonnePhysique/m:DateNaissance") == "1980-05-02"
    assert _text(root, "m:TitreExecutoire/m:Type") == "jugement"
    assert root.find("m:Montants", NS).get("devise") == "EUR"
    amounts = [
        _text(root, f"m:Montants/m:{n}") for n in ("Principal", "Interets", "Frais", "Total")
    ]
    assert amounts == ["1234.56", "12.00", "150.30", "1396.86"]


def test_a_company_debtor_has_its_name_and_siren(data: DataMessageData) -> None:
    company = replace(data, debtor=Company("SARL Débitrice & Fils", DEBTOR_SIREN))
    root = etree.fromstring(build_data_message(company))

    assert _text(root, "m:Debiteur/m:PersonneMorale/m:SIREN") == DEBTOR_SIREN
    assert root.find("m:Debiteur/m:PersonnePhysique", NS) is None


@needs_xmllint
def test_xmllint_validates_the_sealed_message(sealed_file: Path) -> None:
    result = xmllint_schema(sealed_file)

    assert result.returncode == 0, result.stderr
    assert "validates" in result.stderr


@needs_xmllint
def test_xmllint_refuses_a_negative_amount_and_an_unknown_title(
    sealed_message: bytes, tmp_path: Path
) -> None:
    for old, new in (
        (b"<Principal>1234.56<", b"<Principal>-1234.56<"),
        (b"<Interets>12.00<", b"<Interets>12.0<"),
        (b"<Type>jugement<", b"<Type>promesse<"),
        (b"<DateNaissance>1980-05-02<", b"<DateNaissance>02/05/1980<"),
    ):
        path = tmp_path / "changed.xml"
        path.write_bytes(sealed_message.replace(old, new))
        assert xmllint_schema(path).returncode != 0, new


def test_amounts_below_the_cent_are_refused_not_rounded(data: DataMessageData) -> None:
    fractional = replace(data, amounts=Amounts(Decimal("10.005"), Decimal(0), Decimal(0)))

    with pytest.raises(InvalidDataMessage, match="centimes"):
        build_data_message(fractional)


def test_a_negative_amount_fails_the_schema(data: DataMessageData) -> None:
    negative = replace(data, amounts=Amounts(Decimal("-1.00"), Decimal(0), Decimal(0)))

    with pytest.raises(InvalidDataMessage, match="Message de données invalide"):
        build_data_message(negative)


def test_a_siren_with_a_wrong_key_is_refused(data: DataMessageData) -> None:
    wrong = replace(data, debtor=Company("SARL Débitrice", "732829321"))

    with pytest.raises(InvalidDataMessage, match="SIREN invalide"):
        build_data_message(wrong)


def test_the_message_is_named_after_the_first_act() -> None:
    assert (
        message_name("9991_REF-2025-0042_20250314_102653.pdf")
        == "9991_REF-2025-0042_20250314_102653_DONNEES.xml"
    )
