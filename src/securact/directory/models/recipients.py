"""Recipients (F3.1), their name search index, and their consent: the act natures they
accept (``AcceptedNature``, art. 748-2 CPC) and the weekday hour windows of each
(``ServiceWindow``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from securact.core.legal_calendar import HourWindow
from securact.directory.models.fields import (
    DepartmentField,
    InseeField,
    LandlineField,
    MobileField,
    SiretField,
)
from securact.directory.models.practices import ActNature
from securact.directory.validators import (
    normalize_name,
)

NAME_SEARCH_LENGTH = 200


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
