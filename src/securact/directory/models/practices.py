"""Practices (études), their bailiffs, and the act natures they serve (F3.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from securact.directory.validators import (
    validate_practice_code,
    validate_return_label,
)

# --- practices and bailiffs ---------------------------------------------------------------


class Practice(models.Model):
    """An *étude* of commissaires de justice."""

    code = models.CharField(
        _("code de l'étude"),
        max_length=10,
        unique=True,
        validators=[validate_practice_code],
        help_text=_("Chiffres uniquement, par exemple 9991."),
        error_messages={"unique": _("Une étude porte déjà ce code.")},
    )
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("étude")
        verbose_name_plural = _("études")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Bailiff(models.Model):
    """A *commissaire de justice* (formerly *huissier de justice*) of a practice."""

    practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        related_name="bailiffs",
        verbose_name=_("étude"),
    )
    full_name = models.CharField(_("nom complet"), max_length=200)
    function = models.CharField(
        _("fonction"),
        max_length=100,
        default="Commissaire de justice",
        help_text=_(
            "Telle qu'elle figure sur le certificat, par exemple « Commissaire de justice »."
        ),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commissaire de justice")
        verbose_name_plural = _("commissaires de justice")
        ordering = ("practice__code", "full_name")
        constraints = [
            models.UniqueConstraint(
                fields=("practice", "full_name"),
                name="directory_bailiff_unique_name_in_practice",
                violation_error_message=_(
                    "Un commissaire de justice de ce nom existe déjà dans cette étude."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name


# --- act natures --------------------------------------------------------------------------


class ActNature(models.Model):
    """A kind of act (*nature de l'acte*) that recipients may accept."""

    code = models.SlugField(_("code"), unique=True, help_text=_("Par exemple saisie-attribution."))
    label = models.CharField(_("libellé"), max_length=255)
    return_label = models.CharField(
        _("libellé du retour"),
        max_length=50,
        blank=True,
        validators=[validate_return_label],
        help_text=_(
            "Nom du retour d'acte dans les noms de fichiers, par exemple SAISIE_ATTRIBUTION."
        ),
    )
    expects_return = models.BooleanField(
        _("attend un retour d'acte"),
        default=False,
        help_text=_("Le destinataire répond (par exemple la déclaration du tiers saisi)."),
    )
    needs_data_message = models.BooleanField(
        _("message de données"),
        default=False,
        help_text=_(
            "Le formulaire demande les éléments essentiels de l'acte (débiteur, créancier, "
            "titre, montants) et chaque dépôt porte un message de données XML scellé."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Une nature inactive n'est plus proposée.")
    )
    sort_order = models.PositiveIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("nature d'acte")
        verbose_name_plural = _("natures d'acte")
        ordering = ("sort_order", "label")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.expects_return and not self.return_label:
            raise ValidationError(
                {"return_label": _("Indiquez le libellé du retour : cette nature en attend un.")}
            )
