"""The vault pages' forms (French labels, French errors) and the search's criteria (in the
URL, so that a search can be bookmarked). The rules (names, quota, retention) live in
``vault.operations``: a form only checks what a person typed."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from securact.ui.filters import SearchForm, _date_filter
from securact.vault import operations
from securact.vault.models import StoredFile, Vault
from securact.vault.paths import MAX_NAME, MAX_PATH
from securact.vault_pages.pages import signification_ids

TEXT_MAX = 200
REASON_MAX = 500  # Tombstone.reason
KEYWORDS_MAX = 500  # StoredFile.keywords
TITLE_MAX = 255  # StoredFile.title
DESCRIPTION_MAX = 5000


def _text(label: Any, max_length: int, *, required: bool = True, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
        error_messages={
            "required": gettext_lazy("Ce champ est obligatoire."),
            "max_length": gettext_lazy(
                "Au plus %(limit_value)d caractères (%(show_value)d saisis)."
            ),
        },
    )


class PageForm(forms.Form):
    """Several forms share a page: each field's id starts with the form's ``ids``, so that
    every label points at its own field."""

    ids = "vault"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}-%s")
        super().__init__(*args, **kwargs)


class FolderField(forms.CharField):
    """A folder path sent back by the page (hidden field); the vault checks it exists."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_PATH, required=False, widget=forms.HiddenInput, **kwargs)

    def clean(self, value: Any) -> str:
        return str(super().clean(value) or "/")


class CreateFolderForm(PageForm):
    ids = "create"
    dossier = FolderField()
    nom = _text(gettext_lazy("Nom du nouveau dossier"), MAX_NAME)


class RenameFolderForm(PageForm):
    ids = "rename"
    dossier = FolderField()
    nom = _text(gettext_lazy("Nouveau nom du dossier"), MAX_NAME)


class FolderForm(PageForm):
    ids = "folder"
    dossier = FolderField()


class SelectionForm(PageForm):
    ids = "selection"
    """The files ticked in the list (move, transfer)."""

    dossier = FolderField()
    fichiers = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": gettext_lazy("Cochez d'abord un ou plusieurs fichiers dans la liste."),
            "invalid_choice": gettext_lazy("Un des fichiers cochés n'est plus dans ce dossier."),
        },
    )

    def __init__(self, *args: Any, files: QuerySet[StoredFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["fichiers"])
        field.choices = [(pk, pk) for pk in self._ticked(files)]

    def _ticked(self, files: QuerySet[StoredFile]) -> list[int]:
        """Only the ticked ids that are files of this vault (one query, bounded)."""
        raw = self.data.getlist("fichiers") if hasattr(self.data, "getlist") else []
        wanted = [int(value) for value in raw[:1000] if str(value).isdigit()]
        return list(files.filter(pk__in=wanted).values_list("pk", flat=True))


class MoveForm(SelectionForm):
    cible = forms.ChoiceField(
        label=gettext_lazy("Dossier de destination"),
        error_messages={
            "required": gettext_lazy("Choisissez le dossier de destination."),
            "invalid_choice": gettext_lazy("Choisissez un dossier de la liste."),
        },
    )

    def __init__(self, *args: Any, folders: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["cible"])
        field.choices = folders


class TransferForm(SelectionForm):
    coffre = forms.TypedChoiceField(
        label=gettext_lazy("Coffre-fort destinataire"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choisissez le coffre-fort qui recevra la copie."),
            "invalid_choice": gettext_lazy("Choisissez un coffre-fort de la liste."),
        },
    )

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["coffre"])
        field.choices = targets


class PropertiesForm(PageForm):
    ids = "properties"
    titre = _text(gettext_lazy("Titre"), TITLE_MAX, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": gettext_lazy(
                "Au plus %(limit_value)d caractères (%(show_value)d saisis)."
            )
        },
    )
    mots_cles = _text(
        gettext_lazy("Mots-clés"),
        KEYWORDS_MAX,
        required=False,
        placeholder=gettext_lazy("séparés par des virgules ou des espaces"),
    )


class RenameFileForm(PageForm):
    ids = "rename"
    nom = _text(gettext_lazy("Nouveau nom du fichier"), MAX_NAME)


class DeleteForm(PageForm):
    ids = "delete"
    motif = _text(gettext_lazy("Motif de la suppression"), REASON_MAX)


class UploadForm(PageForm):
    ids = "upload"
    dossier = FolderField()
    fichier = forms.FileField(
        label=gettext_lazy("Fichier à déposer"),
        max_length=MAX_NAME,
        allow_empty_file=True,
        error_messages={
            "required": gettext_lazy("Choisissez le fichier à déposer."),
            "missing": gettext_lazy("Choisissez le fichier à déposer."),
            "invalid": gettext_lazy("Le fichier n'a pas été reçu : déposez-le à nouveau."),
            "max_length": gettext_lazy(
                "Le nom du fichier compte au plus %(max)d caractères (%(length)d ici)."
            ),
        },
    )


def _search_text(label: Any, max_length: int, **attrs: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label=label,
        max_length=max_length,
        error_messages={
            "max_length": gettext_lazy(
                "Au plus %(limit_value)d caractères (%(show_value)d saisis)."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


class FileSearch(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    """``?texte=…&nature=…&du=…&au=…&reference=…&mots_cles=…`` (bookmarkable), checked
    before any query; the meaning of each criterion is ``vault.operations.search``'s."""

    texte = _search_text(gettext_lazy("Nom ou texte"), TEXT_MAX)
    nature = django_filters.ChoiceFilter(
        label=gettext_lazy("Nature"),
        choices=StoredFile.Kind.choices,
        empty_label=gettext_lazy("Toutes"),
        error_messages={"invalid_choice": gettext_lazy("Choisissez une nature de la liste.")},
    )
    du = _date_filter(gettext_lazy("Déposé du"))
    au = _date_filter(gettext_lazy("au"))
    reference = _search_text(gettext_lazy("Référence de la signification"), TEXT_MAX)
    mots_cles = _search_text(gettext_lazy("Mots-clés"), KEYWORDS_MAX)

    class Meta:
        model = StoredFile
        fields: list[str] = []
        form = SearchForm

    def __init__(self, *args: Any, vault: Vault, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vault = vault

    @property
    def asked(self) -> bool:
        """Whether any criterion was typed (the page shows no results before)."""
        return any(self.form.cleaned_data.get(name) for name in self.filters)

    def filter_queryset(self, queryset: QuerySet[StoredFile]) -> QuerySet[StoredFile]:
        data = self.form.cleaned_data
        reference = (data.get("reference") or "").strip()
        return operations.search(
            self.vault,
            text=data.get("texte") or "",
            kind=data.get("nature") or "",
            date_from=data.get("du"),
            date_to=data.get("au"),
            keywords=data.get("mots_cles") or "",
            signification_ids=signification_ids(self.vault, reference) if reference else None,
        )
