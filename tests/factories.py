"""factory-boy factories for the project's models.

Identifiers are valid and unique by construction (SIRET with right Luhn keys, E.164 phone
numbers), so ``RecipientFactory()`` passes ``full_clean()``. The factories are generic in
their model: ``RecipientFactory.create()`` and ``.build()`` are typed ``Recipient``.
"""

from __future__ import annotations

from datetime import time

import factory
from stdnum import luhn

from securact.directory.models import (
    AcceptedNature,
    ActNature,
    Bailiff,
    Practice,
    Recipient,
    ServiceWindow,
    Weekday,
)


def make_siret(serial: int) -> str:
    """A valid SIRET (SIREN and SIRET Luhn keys right) distinct for each ``serial``.

    The SIREN starts with 8 (never La Poste's 356000000, which has its own rule).
    """
    siren = f"8{serial // 10000 % 10_000_000:07d}"
    siren += luhn.calc_check_digit(siren)
    establishment = f"{serial % 10000:04d}"
    return siren + establishment + luhn.calc_check_digit(siren + establishment)


def make_nir(serial: int) -> str:
    """A valid NIR (« numéro INSEE ») distinct for each ``serial`` (born in Paris, 1980)."""
    body = f"18001751{serial % 100_000:05d}"
    return body + f"{97 - int(body) % 97:02d}"


class PracticeFactory(factory.django.DjangoModelFactory[Practice]):
    class Meta:
        model = Practice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"Étude n° {n}")


class BailiffFactory(factory.django.DjangoModelFactory[Bailiff]):
    class Meta:
        model = Bailiff

    practice = factory.SubFactory(PracticeFactory)
    full_name = factory.Sequence(lambda n: f"Maître Camille Dupont {n}")


class ActNatureFactory(factory.django.DjangoModelFactory[ActNature]):
    """A nature of its own (the seeded ones are found with ``ActNature.objects.get(code=…)``)."""

    class Meta:
        model = ActNature
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"nature-de-test-{n}")
    label = factory.Sequence(lambda n: f"Nature de test {n}")
    return_label = ""
    expects_return = False
    is_active = True
    sort_order = factory.Sequence(lambda n: 1000 + n)


class RecipientFactory(factory.django.DjangoModelFactory[Recipient]):
    class Meta:
        model = Recipient

    name = factory.Sequence(lambda n: f"Banque Test {n}")
    siret = factory.Sequence(make_siret)
    insee = ""
    email = factory.Sequence(lambda n: f"significations{n}@banque-test.example")
    landline = "+33142345678"
    mobile = factory.Sequence(lambda n: f"+3361{n % 10_000_000:07d}")
    department = "75"
    address = "1 rue de la Paix\n75002 Paris"


class AcceptedNatureFactory(factory.django.DjangoModelFactory[AcceptedNature]):
    class Meta:
        model = AcceptedNature

    recipient = factory.SubFactory(RecipientFactory)
    nature = factory.SubFactory(ActNatureFactory)


class ServiceWindowFactory(factory.django.DjangoModelFactory[ServiceWindow]):
    """Monday 08:00–12:00, the manual's *saisie-vente* hours."""

    class Meta:
        model = ServiceWindow

    accepted_nature = factory.SubFactory(AcceptedNatureFactory)
    weekday = Weekday.MONDAY
    start = time(8)
    end = time(12)
