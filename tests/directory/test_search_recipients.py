"""F3.1: find a recipient by SIRET, INSEE number or name."""

import pytest
from pytest_django import DjangoAssertNumQueries

from securact.directory.services import search_recipients
from tests.factories import RecipientFactory, make_nir, make_siret


def names(query: str) -> list[str]:
    return [recipient.name for recipient in search_recipients(query)]


@pytest.fixture
def banks() -> None:
    RecipientFactory(name="Société Générale", siret="552 120 222 00013")
    RecipientFactory(name="BNP Paribas", siret="662 042 449 00014")
    RecipientFactory(name="Crédit Agricole Île-de-France", siret=make_siret(1))
    RecipientFactory(name="Caisse d'Épargne", siret=make_siret(2), insee=make_nir(7))


@pytest.mark.django_db
def test_siret_prefix_finds_the_recipient(banks: None) -> None:
    assert names("552120") == ["Société Générale"]


@pytest.mark.django_db
def test_spaces_in_a_siret_are_ignored(banks: None) -> None:
    assert names(" 552 120 222 ") == ["Société Générale"]


@pytest.mark.django_db
def test_full_siret_finds_the_recipient(banks: None) -> None:
    assert names("66204244900014") == ["BNP Paribas"]


@pytest.mark.django_db
def test_insee_prefix_finds_the_recipient(banks: None) -> None:
    assert names(make_nir(7)[:9]) == ["Caisse d'Épargne"]


@pytest.mark.django_db
def test_name_without_accents_nor_case_finds_the_recipient(banks: None) -> None:
    assert names("societe generale") == ["Société Générale"]
    assert names("SOCIÉTÉ gén") == ["Société Générale"]


@pytest.mark.django_db
def test_prefix_of_any_word_finds_the_recipient(banks: None) -> None:
    assert names("parib") == ["BNP Paribas"]
    assert names("ile") == ["Crédit Agricole Île-de-France"]
    assert names("epargne") == ["Caisse d'Épargne"]


@pytest.mark.django_db
def test_words_from_the_middle_of_the_name_find_the_recipient(banks: None) -> None:
    assert names("agricole ile de") == ["Crédit Agricole Île-de-France"]


@pytest.mark.django_db
def test_a_word_inside_another_word_does_not_match(banks: None) -> None:
    assert names("ribas") == []


@pytest.mark.django_db
def test_results_are_ordered_by_name_ignoring_accents() -> None:
    for name in ("Banque Zeta", "Banque Éta", "Banque alpha"):
        RecipientFactory(name=name)
    assert names("banque") == ["Banque alpha", "Banque Éta", "Banque Zeta"]


@pytest.mark.django_db
def test_a_renamed_recipient_is_found_by_its_new_name() -> None:
    recipient = RecipientFactory(name="Banque Ancienne")
    recipient.name = "Banque Nouvelle"
    recipient.save(update_fields=["name"])
    assert names("nouvelle") == ["Banque Nouvelle"]
    assert names("ancienne") == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\t\n", "'-."])
def test_an_empty_query_finds_nothing(banks: None, query: str) -> None:
    assert names(query) == []


@pytest.mark.django_db
def test_percent_and_underscore_are_not_wildcards(banks: None) -> None:
    assert names("%") == []
    assert names("5521_0") == []


def test_a_query_longer_than_200_characters_is_refused_in_french() -> None:
    with pytest.raises(ValueError, match=r"La recherche ne peut dépasser 200 caractères\."):
        search_recipients("a" * 201)


@pytest.mark.django_db
def test_a_query_of_200_characters_is_searched() -> None:
    assert list(search_recipients("a" * 200)) == []


@pytest.mark.django_db
def test_search_is_one_query(
    banks: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        assert names("credit") == ["Crédit Agricole Île-de-France"]
