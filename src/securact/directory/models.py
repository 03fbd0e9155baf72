"""The directory: practices and bailiffs, recipients, act natures and their consent (F3.1–F3.3).

A recipient accepts act natures (``AcceptedNature``, the record of its consent, art. 748-2
CPC); each accepted nature may restrict service to weekday hour windows (``ServiceWindow``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from securact.core.legal_calendar import HourWindow
from securact.directory.validators import (
    compact_identifier,
    normalize_department,
    normalize_name,
    to_e164,
    validate_department,
    validate_insee,
    validate_landline,
    validate_mobile,
    validate_practice_code,
    validate_return_label,
    validate_siret,
)

__all__ = [
    "AcceptedNature",
    "ActNature",
    "Bailiff",
    "Practice",
    "Recipient",
    "RecipientSearchTerm",
    "ServiceWindow",
    "Weekday",
]

NAME_SEARCH_LENGTH = 200


# --- normalized fields --------------------------------------------------------------------


class NormalizedCharField(models.CharField[str, str]):
    """A CharField whose value is normalized before validation and before saving.

    ``to_python`` (run by ``full_clean``) and ``pre_save`` (run by ``save``) both apply
    ``normalize``, so "732 829 320 00074" is stored "73282932000074" whether it comes through
    a form or from code. The subclass's own validator runs first and alone when it refuses,
    so a malformed value gets its French message, not also "at most N characters".
    """

    def normalize(self, value: str) -> str:
        return value.strip()

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return self.normalize(value) if value else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def run_validators(self, value: Any) -> None:
        # The field's own check first: when it refuses, its message is the only one shown.
        for validator in self.default_validators:
            validator(value)
        super().run_validators(value)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        from securact.directory.forms import NormalizedCharField as NormalizedFormField

        if form_class is None:
            form_class, kwargs["normalizer"] = NormalizedFormField, self.normalize
        return super().formfield(
            form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )


class SiretField(NormalizedCharField):
    default_validators = [validate_siret]

    def normalize(self, value: str) -> str:
        return compact_identifier(value)


class InseeField(NormalizedCharField):
    default_validators = [validate_insee]

    def normalize(self, value: str) -> str:
        return compact_identifier(value)


class LandlineField(NormalizedCharField):
    """A landline number, stored in E.164 ("+33142345678")."""

    default_validators = [validate_landline]

    def normalize(self, value: str) -> str:
        return to_e164(value)


class MobileField(NormalizedCharField):
    """A mobile number, stored in E.164 ("+33612345678")."""

    default_validators = [validate_mobile]

    def normalize(self, value: str) -> str:
        return to_e164(value)


class DepartmentField(NormalizedCharField):
    default_validators = [validate_department]

    def normalize(self, value: str) -> str:
        return normalize_department(value)


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


# --- recipients ---------------------------------------------------------------------------


class RecipientQuerySet(models.QuerySet["Recipient"]):
    def with_service_windows(self) -> RecipientQuerySet:
        """Prefetch the accepted natures and their windows: ``service_windows_for`` then
        costs no query."""
        return self.prefetch_related("accepted_natures__windows")


class Recipient(models.Model):
    """A *partenaire destinataire*: a company (a bank, mostly) or a person served acts."""

    name = models.CharField(_("nom"), max_length=200)
    siret = SiretField(
        _("numéro SIRET"),
        max_length=14,
        unique=True,
        help_text=_("14 chiffres ; les espaces sont ignorés."),
        error_messages={"unique": _("Un partenaire destinataire porte déjà ce numéro SIRET.")},
    )
    insee = InseeField(
        _("numéro INSEE"),
        max_length=15,
        blank=True,
        db_index=True,
        help_text=_("Numéro d'inscription au répertoire (NIR) d'une personne physique."),
    )
    email = models.EmailField(
        _("adresse électronique"), help_text=_("Reçoit les alertes de dépôt.")
    )
    landline = LandlineField(_("téléphone fixe"), max_length=16, blank=True)
    mobile = MobileField(
        _("téléphone mobile"), max_length=16, blank=True, help_text=_("Reçoit les alertes SMS.")
    )
    department = DepartmentField(
        _("département"),
        max_length=3,
        help_text=_("Département de l'adresse : 75, 2A, 57, 971… (calendrier légal)."),
    )
    address = models.TextField(_("adresse"), blank=True)
    name_search = models.CharField(
        _("nom normalisé"), max_length=NAME_SEARCH_LENGTH, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("partenaire destinataire")
        verbose_name_plural = _("partenaires destinataires")
        ordering = ("name_search", "pk")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``name_search`` and the search terms in step with the name."""
        self.name_search = normalize_name(self.name)[:NAME_SEARCH_LENGTH]
        update_fields = kwargs.get("update_fields")
        name_changed = update_fields is None or "name" in update_fields
        if update_fields is not None and name_changed:
            kwargs["update_fields"] = {*update_fields, "name_search"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if name_changed:
                self._index_name()

    def _index_name(self) -> None:
        self.search_terms.all().delete()
        RecipientSearchTerm.objects.bulk_create(
            RecipientSearchTerm(recipient=self, term=term)
            for term in name_suffixes(self.name_search)
        )

    def service_windows_for(self, nature: ActNature | int) -> list[HourWindow] | None:
        """The service hours for ``nature``: None if this recipient does not accept it, an
        empty list if it accepts it at any (legal) time.

        One query; none when ``accepted_natures__windows`` is prefetched
        (``Recipient.objects.with_service_windows()``).
        """
        nature_id = nature.pk if isinstance(nature, ActNature) else nature
        if "accepted_natures" in getattr(self, "_prefetched_objects_cache", {}):
            return self._prefetched_windows(nature_id)
        rows = list(
            AcceptedNature.objects.filter(recipient=self, nature_id=nature_id)
            .order_by("windows__weekday", "windows__start")
            .values_list("windows__weekday", "windows__start", "windows__end")
        )
        if not rows:
            return None
        # A LEFT JOIN: an accepted nature without windows gives one row of NULLs.
        return [HourWindow(day, start, end) for day, start, end in rows if day is not None]

    def _prefetched_windows(self, nature_id: int) -> list[HourWindow] | None:
        for accepted in self.accepted_natures.all():
            if accepted.nature_id == nature_id:
                return [window.as_hour_window() for window in accepted.windows.all()]
        return None


def name_suffixes(normalized: str) -> list[str]:
    """The name from each of its words on: "societe generale paris" → ["societe generale
    paris", "generale paris", "paris"]."""
    words = normalized.split(" ")
    suffixes = (" ".join(words[index:]) for index in range(len(words)))
    return list(dict.fromkeys(suffix for suffix in suffixes if suffix))


class RecipientSearchTerm(models.Model):
    """Search index of recipient names, maintained by ``Recipient.save``.

    One row per word of the normalized name, holding the name from that word on. "Prefix of
    the name or of any of its words" is then one indexed prefix lookup on ``term`` (a
    B-tree range scan on SQLite and PostgreSQL alike) instead of a ``LIKE '% word%'`` that
    reads every row. See ``services.search_recipients``.
    """

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=NAME_SEARCH_LENGTH, db_index=True)

    class Meta:
        verbose_name = _("terme de recherche")
        verbose_name_plural = _("termes de recherche")

    def __str__(self) -> str:
        return self.term


# --- consent and service hours ------------------------------------------------------------


class Weekday(models.IntegerChoices):
    """As ``date.weekday()``: 0 is Monday."""

    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class AcceptedNature(models.Model):
    """A recipient's consent to be served acts of one nature (art. 748-2 CPC)."""

    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.CASCADE,
        related_name="accepted_natures",
        verbose_name=_("partenaire destinataire"),
    )
    nature = models.ForeignKey(ActNature, on_delete=models.PROTECT, verbose_name=_("nature d'acte"))
    accepted_at = models.DateTimeField(
        _("consentement donné le"),
        auto_now_add=True,
        help_text=_("Date du consentement à la signification électronique (art. 748-2 CPC)."),
    )

    class Meta:
        verbose_name = _("nature acceptée")
        verbose_name_plural = _("natures acceptées")
        ordering = ("nature__sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("recipient", "nature"),
                name="directory_acceptednature_unique",
                violation_error_message=_("Ce destinataire accepte déjà cette nature d'acte."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.nature}"


class ServiceWindow(models.Model):
    """Hours on one weekday when an accepted nature may be served (start included, end
    excluded)."""

    accepted_nature = models.ForeignKey(
        AcceptedNature,
        on_delete=models.CASCADE,
        related_name="windows",
        verbose_name=_("nature acceptée"),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start = models.TimeField(_("début"), help_text=_("Inclus, heure de Paris ou locale."))
    end = models.TimeField(_("fin"), help_text=_("Exclue : 12:00 autorise jusqu'à 11:59:59."))

    class Meta:
        verbose_name = _("plage horaire")
        verbose_name_plural = _("plages horaires")
        ordering = ("weekday", "start")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="directory_servicewindow_start_before_end",
                violation_error_message=_("L'heure de début doit précéder l'heure de fin."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValidationError({"end": _("L'heure de fin doit suivre l'heure de début.")})

    def as_hour_window(self) -> HourWindow:
        return HourWindow(weekday=self.weekday, start=self.start, end=self.end)
