"""The directory the page benchmark's significations refer to: a handful of practices
where the signed-in bailiff's étude holds most of the rows, their bailiffs and vaults,
thousands of recipients (name search terms included) and the seeded act natures.

Made through the ORM (thousands of rows, not millions); recipients' search terms are
written in bulk with ``name_suffixes``, as ``Recipient.save`` would write them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from itertools import accumulate

from stdnum import luhn

from securact.directory.models import (
    ActNature,
    Bailiff,
    Practice,
    Recipient,
    RecipientSearchTerm,
)
from securact.directory.models.recipients import name_suffixes
from securact.directory.validators import normalize_name
from securact.vault.models import Vault

# Share of all significations per practice; the first is the signed-in bailiff's.
PRACTICE_SHARES = (0.65, 0.14, 0.10, 0.07, 0.04)
# Code, name and the two bailiffs (60 % and 40 % of the practice's significations).
OTHER_PRACTICES = (
    ("9992", "SELARL Lefèvre, commissaires de justice", ("Jean LEFÈVRE", "Marie LEFÈVRE")),
    ("9993", "SCP Bernard & Roux", ("Luc BERNARD", "Anne ROUX")),
    ("9994", "Étude Fontaine", ("Hugo FONTAINE", "Léa FONTAINE")),
    ("9995", "SAS Garnier Justice", ("Paul GARNIER", "Inès GARNIER")),
)
OTHER_SHARES = (0.6, 0.4)
# Colleagues of the signed-in bailiff and their share of the big étude (he keeps the rest).
COLLEAGUES = (("Paul MARTIN", 0.25), ("Sophie LEROY", 0.15))
RECIPIENTS_MAX = 5_000
# Recipients are served unequally (a few banks receive most acts): Zipf weights.
ZIPF_EXPONENT = 1.0

_BANKS = ("BANQUE", "CRÉDIT", "CAISSE D'ÉPARGNE", "BANQUE POPULAIRE", "SOCIÉTÉ GÉNÉRALE")
_REGIONS = ("DU NORD", "DE L'OUEST", "ALPES PROVENCE", "RHÔNE", "BRETAGNE", "ÎLE-DE-FRANCE")
_KINDS = ("SCI", "SARL", "SAS", "EURL", "Assurances", "Mutuelle", "Cabinet")
_WORDS = ("Les Tilleuls", "Horizon", "Atlantique", "Dupont", "Étoile", "Marché", "Lumière")
_CITIES = ("Paris", "Lyon", "Marseille", "Lille", "Metz", "Nantes", "Bordeaux", "Ajaccio")
_FIRST = ("Jean", "Marie", "Pierre", "Nathalie", "Hélène", "Luc", "Amélie", "Éric", "Zoé")
_LAST = ("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND")


@dataclass(frozen=True)
class PracticeInfo:
    id: int
    code: str
    # The practice's bailiffs with the cumulative weights random.choices takes.
    bailiffs: tuple[BailiffInfo, ...]
    cumulative: tuple[float, ...]


@dataclass(frozen=True)
class BailiffInfo:
    id: int
    vault_id: int
    fingerprint: str
    token_label: str


@dataclass(frozen=True)
class RecipientInfo:
    id: int
    name: str
    siret: str
    email: str
    mobile: str
    fingerprint: str


@dataclass(frozen=True)
class NatureInfo:
    id: int
    code: str
    label: str
    expects_return: bool
    return_label: str


@dataclass(frozen=True)
class Directory:
    practices: tuple[PracticeInfo, ...]
    practice_weights: tuple[float, ...]
    recipients: tuple[RecipientInfo, ...]
    recipient_weights: tuple[float, ...]  # cumulative
    natures: tuple[NatureInfo, ...]
    nature_weights: tuple[float, ...]  # cumulative


def fake_fingerprint(text: str) -> str:
    """A certificate fingerprint for holders who have no certificate in the demo PKI."""
    return hashlib.sha256(text.encode()).hexdigest()


def build(signed_in: Bailiff, count: int, rng: random.Random) -> Directory:
    """Practices, bailiffs, vaults and recipients for ``count`` significations, around the
    signed-in bailiff (whose practice and vault exist: the demo data and his declaration)."""
    practices = [_big_practice(signed_in)]
    for code, name, bailiffs in OTHER_PRACTICES:
        practice, _created = Practice.objects.get_or_create(code=code, defaults={"name": name})
        members = [
            (_bailiff(practice, full_name), share)
            for full_name, share in zip(bailiffs, OTHER_SHARES, strict=True)
        ]
        practices.append(_weighted(practice, members))
    recipients = _recipients(min(RECIPIENTS_MAX, max(50, count // 100)), rng)
    natures = tuple(
        NatureInfo(n.pk, n.code, n.label, n.expects_return, n.return_label)
        for n in ActNature.objects.filter(is_active=True).order_by("sort_order", "label")
    )
    return Directory(
        practices=tuple(practices),
        practice_weights=tuple(accumulate(PRACTICE_SHARES)),
        recipients=recipients,
        recipient_weights=tuple(
            accumulate(1 / (i + 1) ** ZIPF_EXPONENT for i in range(len(recipients)))
        ),
        natures=natures,
        # The first natures of the list (seizures on bank accounts) are served most.
        nature_weights=tuple(accumulate(1 / (i + 1) for i in range(len(natures)))),
    )


def _big_practice(signed_in: Bailiff) -> PracticeInfo:
    vault = Vault.objects.get(bailiff=signed_in)
    own = BailiffInfo(
        signed_in.pk,
        vault.pk,
        vault.certificate_fingerprint or fake_fingerprint(signed_in.full_name),
        "securact-durand",
    )
    members = [(own, 1 - sum(share for _name, share in COLLEAGUES))]
    for name, share in COLLEAGUES:
        members.append((_bailiff(signed_in.practice, name), share))
    return _weighted(signed_in.practice, members)


def _weighted(practice: Practice, members: list[tuple[BailiffInfo, float]]) -> PracticeInfo:
    return PracticeInfo(
        practice.pk,
        practice.code,
        tuple(member for member, _share in members),
        tuple(accumulate(share for _member, share in members)),
    )


def _bailiff(practice: Practice, full_name: str) -> BailiffInfo:
    bailiff, _created = Bailiff.objects.get_or_create(practice=practice, full_name=full_name)
    # A colleague's vault, not bound to a certificate yet (archives land in it regardless).
    vault, _created = Vault.objects.get_or_create(
        bailiff=bailiff, defaults={"owner_kind": Vault.OwnerKind.BAILIFF}
    )
    label = f"securact-{normalize_name(full_name).split()[-1]}"
    return BailiffInfo(bailiff.pk, vault.pk, fake_fingerprint(full_name), label)


def _recipients(count: int, rng: random.Random) -> tuple[RecipientInfo, ...]:
    """The demo recipients first (BANQUE TEST is the most served), then made-up ones."""
    existing = list(Recipient.objects.order_by("pk"))
    made = [_recipient(index, rng) for index in range(max(0, count - len(existing)))]
    Recipient.objects.bulk_create(made, batch_size=1000)
    made = list(Recipient.objects.filter(siret__in=[r.siret for r in made]).order_by("pk"))
    RecipientSearchTerm.objects.bulk_create(
        (
            RecipientSearchTerm(recipient=r, term=term)
            for r in made
            for term in name_suffixes(r.name_search)
        ),
        batch_size=5000,
    )
    return tuple(
        RecipientInfo(r.pk, r.name, r.siret, r.email, r.mobile, fake_fingerprint(r.siret))
        for r in existing + made
    )


def _recipient(index: int, rng: random.Random) -> Recipient:
    name = _recipient_name(index, rng)
    # SIREN 98xxxxxx (not allocated) and NIC 00010, with their Luhn keys.
    stem = f"98{index:06d}"
    siren = stem + luhn.calc_check_digit(stem)
    nic = "0001"
    siret = siren + nic + luhn.calc_check_digit(siren + nic)
    recipient = Recipient(
        name=name,
        siret=siret,
        email=f"significations-{index}@destinataire.example",
        mobile=f"+336{index:08d}" if index % 3 else "",
        department=rng.choice(("75", "69", "13", "33", "59", "57", "2A", "971")),
    )
    recipient.name_search = normalize_name(name)  # save() would compute it
    return recipient


def _recipient_name(index: int, rng: random.Random) -> str:
    """Names repeat, as branches and namesakes do (each has its own SIRET)."""
    if index < 300:  # the most served: banks
        return f"{rng.choice(_BANKS)} {rng.choice(_REGIONS)}"
    if index % 2:
        return f"{rng.choice(_KINDS)} {rng.choice(_WORDS)} {rng.choice(_CITIES)}"
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
