"""The act return (*retour d'acte*, F6.4, F8.1): the recipient's answer to a signification
whose nature expects one — for a garnishment, the bank's declaration (L.211-3 and L.162-1
CPCE): each account, the protected balance left to an individual debtor, earlier seizures,
pledges or assignments.

One return per signification, enforced by the primary key: a second upload is refused by the
database as well as by the service. The rows are created in one transaction with the sealed
PDF's entry in the bailiff's vault (``stored_file``) and the journal entry, so they exist
only once the return is complete. They are evidence: never updated, never deleted (PROTECT).

``SeizureRelease`` links a mainlevée (or mainlevée-quittance) signification to the seizure it
releases: once that mainlevée is served, no return is accepted for the seizure (see
``services`` and the README's "Act returns").
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from securact.returns.validators import ACCOUNT_NUMBER_MAX_LENGTH, validate_account_number

ZERO = Decimal("0.00")


class AccountKind(models.TextChoices):
    CURRENT = "courant", _("Compte courant")
    SAVINGS = "livret", _("Livret d'épargne")
    SECURITIES = "titres", _("Compte titres")
    OTHER = "autre", _("Autre compte")


class Direction(models.TextChoices):
    """The sense of a balance (L.162-1 CPCE: « créditeur ou débiteur »)."""

    # A context: "Débiteur" is also the debtor (the data message); in English they differ.
    CREDIT = "crediteur", pgettext_lazy("solde", "Créditeur")
    DEBIT = "debiteur", pgettext_lazy("solde", "Débiteur")


class ActReturn(models.Model):
    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="act_return",
        verbose_name=_("signification"),
    )
    # The time the recipient deposited it (its journal entry and vault entry say the same).
    created_at = models.DateTimeField(_("déposé le"))
    author_fingerprint = models.CharField(
        _("certificat du destinataire (empreinte)"), max_length=64
    )
    # ``{deposited name}_{NATURE}.pdf`` (F6.4), its name in the bailiff's vault.
    name = models.CharField(_("nom du retour"), max_length=255)
    # The R.211-4 deadline in force when it was deposited, and whether it was met.
    deadline = models.DateField(_("date limite de réponse (R.211-4 CPCE)"))
    on_time = models.BooleanField(_("déposé dans le délai"))
    # The recipient's own PDF, if it sent one: its name as uploaded and the SHA-256 of the
    # bytes received (its pages are in the sealed return, converted to PDF/A).
    uploaded_name = models.CharField(
        _("fichier envoyé par le destinataire"), max_length=255, blank=True
    )
    uploaded_sha256 = models.CharField(
        _("empreinte SHA-256 du fichier envoyé"), max_length=64, blank=True
    )
    # The answer as received, converted to PDF/A-2b, kept here until the RETURN_SEAL step
    # has sealed it and deposited it (``stored_file``): accepted even while the timestamp
    # authority is down, then emptied.
    pending_pdf = models.BinaryField(blank=True, default=b"", editable=False)
    stored_file = models.OneToOneField(
        "vault.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retour scellé dans le coffre-fort du commissaire de justice"),
    )

    class Meta:
        verbose_name = _("retour d'acte")
        verbose_name_plural = _("retours d'acte")

    def __str__(self) -> str:
        return self.name


class GarnishmentDeclaration(models.Model):
    """The garnishee's declaration (*déclaration du tiers saisi*) of a structured return."""

    act_return = models.OneToOneField(
        ActReturn,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="declaration",
        verbose_name=_("retour d'acte"),
    )
    debtor_is_individual = models.BooleanField(_("le débiteur est une personne physique"))
    # R.162-2 CPCE: the amount left at an individual debtor's disposal; none for a company.
    protected_balance = models.DecimalField(
        _("solde bancaire insaisissable"),
        max_digits=15,  # euros with cents, up to ten trillion
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    prior_encumbrances = models.TextField(
        _("saisies, nantissements ou cessions antérieurs"), blank=True
    )

    class Meta:
        verbose_name = _("déclaration du tiers saisi")
        verbose_name_plural = _("déclarations du tiers saisi")
        constraints = [
            models.CheckConstraint(
                name="declaration_protected_balance_positive",
                condition=Q(protected_balance__isnull=True) | Q(protected_balance__gte=0),
            ),
            models.CheckConstraint(
                name="declaration_protected_balance_individual_only",
                condition=Q(protected_balance__isnull=True) | Q(debtor_is_individual=True),
            ),
        ]

    def __str__(self) -> str:
        return str(self.act_return)


class DeclaredAccount(models.Model):
    """One account of the debtor, its balance on the day of the seizure (L.162-1 CPCE)."""

    declaration = models.ForeignKey(
        GarnishmentDeclaration, on_delete=models.PROTECT, related_name="accounts"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("type de compte"), max_length=10, choices=AccountKind.choices)
    number = models.CharField(
        _("numéro de compte"),
        max_length=ACCOUNT_NUMBER_MAX_LENGTH,
        validators=[validate_account_number],
    )
    balance = models.DecimalField(
        _("solde"),
        max_digits=15,  # euros with cents, up to ten trillion
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    direction = models.CharField(_("sens du solde"), max_length=10, choices=Direction.choices)

    class Meta:
        verbose_name = _("compte déclaré")
        verbose_name_plural = _("comptes déclarés")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "position"], name="declared_account_position_unique"
            ),
            models.CheckConstraint(
                name="declared_account_balance_positive", condition=Q(balance__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SeizureRelease(models.Model):
    """A mainlevée signification (``release``) releasing a seizure (``seizure``), recorded by
    the bailiff who serves it: once the mainlevée is served (its ``sent_at``), the seizure
    expects no answer and a return for it is refused."""

    release = models.ForeignKey(
        "significations.Signification",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mainlevée"),
    )
    seizure = models.ForeignKey(
        "significations.Signification",
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("saisie levée"),
    )
    recorded_at = models.DateTimeField(_("enregistrée le"))
    actor_fingerprint = models.CharField(_("certificat du commissaire de justice"), max_length=64)

    class Meta:
        verbose_name = _("mainlevée d'une saisie")
        verbose_name_plural = _("mainlevées de saisies")
        constraints = [
            models.UniqueConstraint(fields=["release", "seizure"], name="seizure_release_once"),
        ]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.seizure_id}"
