"""The shared factories build valid objects (other apps' tests rely on it)."""

import pytest

from tests.factories import (
    BailiffFactory,
    RecipientFactory,
    ServiceWindowFactory,
    make_nir,
    make_siret,
)


@pytest.mark.django_db
def test_factory_objects_pass_full_clean() -> None:
    RecipientFactory.build(insee=make_nir(3)).full_clean()
    BailiffFactory().full_clean()
    window = ServiceWindowFactory()
    window.full_clean()
    window.accepted_nature.full_clean()


def test_generated_sirets_are_distinct() -> None:
    serials = [0, 1, 9_999, 10_000, 123_456_789]
    assert len({make_siret(serial) for serial in serials}) == len(serials)
