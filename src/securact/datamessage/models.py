"""The act's essential elements (F8.3) and the data message deposited beside the acts.

``ActElements`` is what the bailiff typed (or the EDI/command line sent), checked by
``forms.ActElementsForm``; ``DataMessage`` records that the sealed XML is in the recipient's
vault, so the deposit step never makes or deposits it twice."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from securact.datamessage.validators import validate_siren

NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Le montant ne peut pas être négatif."))


class DebtorKind(models.TextChoices):
    PERSON = "personne-physique", _("Personne physique")
    COMPANY = "personne-morale", _("Personne morale")


class TitleKind(models.TextChoices):
    """The enforcement title (*titre exécutoire*, CPCE L.111-3) or, for a conservatory
    seizure, the judge's leave; the values are the XML's enumeration."""

    JUDGMENT = "jugement", _("Jugement ou arrêt")
    ORDER = "ordonnance", _("Ordonnance (dont autorisation du juge)")
    NOTARIAL = "acte-notarie", _("Acte notarié revêtu de la formule exécutoire")
    BAILIFF_TITLE = (
        "titre-commissaire-justice",
        _("Titre délivré par un commissaire de justice (chèque impayé, petite créance)"),
    )
    PUBLIC_BODY = (
        "titre-personne-publique",
        _("Titre délivré par une personne morale de droit public"),
    )
    OTHER = "autre", _("Autre titre exécutoire")


class ActElements(models.Model):
    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.CASCADE,
        related_name="elements",
        verbose_name=_("signification"),
    )
    debtor_kind = models.CharField(_("type de débiteur"), max_length=20, choices=DebtorKind.choices)
    debtor_surname = models.CharField(_("nom du débiteur"), max_length=100, blank=True)
    debtor_given_names = models.CharField(_("prénoms du débiteur"), max_length=150, blank=True)
    debtor_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    debtor_birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    debtor_company_name = models.CharField(_("dénomination"), max_length=200, blank=True)
    debtor_siren = models.CharField(
        _("SIREN du débiteur"), max_length=9, blank=True, validators=[validate_siren]
    )
    creditor_name = models.CharField(_("créancier"), max_length=200)
    creditor_siren = models.CharField(
        _("SIREN du créancier"), max_length=9, blank=True, validators=[validate_siren]
    )
    title_kind = models.CharField(_("nature du titre"), max_length=30, choices=TitleKind.choices)
    title_issuer = models.CharField(_("juridiction ou auteur du titre"), max_length=200)
    title_date = models.DateField(_("date du titre"))
    title_reference = models.CharField(_("référence du titre"), max_length=100)
    principal = models.DecimalField(
        _("principal (€)"), max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    interest = models.DecimalField(
        _("intérêts (€)"), max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    costs = models.DecimalField(
        _("frais (€)"), max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )

    class Meta:
        verbose_name = _("éléments essentiels de l'acte")
        verbose_name_plural = _("éléments essentiels des actes")

    def __str__(self) -> str:
        return f"{self.signification_id}: {self.debtor_name}"

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.costs

    @property
    def debtor_name(self) -> str:
        if self.debtor_kind == DebtorKind.COMPANY:
            return self.debtor_company_name
        return f"{self.debtor_surname} {self.debtor_given_names}".strip()


class DataMessage(models.Model):
    """The sealed data message, once it is in the recipient's vault (one per signification)."""

    signification = models.OneToOneField(
        "significations.Signification",
        on_delete=models.CASCADE,
        related_name="data_message",
        verbose_name=_("signification"),
    )
    stored_file = models.ForeignKey(
        "vault.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fichier")
    )
    deposited_at = models.DateTimeField(_("déposé le"), db_index=True)

    class Meta:
        verbose_name = _("message de données")
        verbose_name_plural = _("messages de données")

    def __str__(self) -> str:
        return self.stored_file.name
