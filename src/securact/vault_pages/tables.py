"""The vault's tables, drawn by the shared table template (``web/search_table.html``: caption,
row headings, the manual's paging *Début Préc. 1 2 3 Suiv. Fin*): a folder's files (the
manual's *Nom, Taille, Date*, with the kind and the signification), search results, and the
journal (*lire le journal*)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from securact.evidence.models import JournalEntry
from securact.significations.queries import PARIS
from securact.ui.tables import PagedTable
from securact.vault.journal_export import action_label, actor_label, entry_file_path
from securact.vault.models import StoredFile
from securact.vault.operations import format_size
from securact.vault.paths import display
from securact.vault_pages.pages import references

PAGE_SIZE = 20
SELECTION_FORM = "selection"  # the form the checkboxes belong to (move, transfer)


def when(value: Any, *, seconds: bool = False) -> SafeString:
    local = timezone.localtime(value, PARIS)
    shown = local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)


class FileTable(PagedTable):
    """One folder's files, by name. ``bailiff``: the reference links to the signification's
    detail page (the bailiff's search); a recipient reads it only."""

    selection = tables.Column(
        gettext_lazy("Sélection"), accessor="pk", orderable=False, empty_values=()
    )
    nom = tables.Column(gettext_lazy("Nom"), accessor="name", orderable=False)
    nature = tables.Column(gettext_lazy("Nature"), accessor="kind", orderable=False)
    taille = tables.Column(gettext_lazy("Taille"), accessor="size", orderable=False)
    date = tables.Column(gettext_lazy("Date"), accessor="deposited_at", orderable=False)
    signification = tables.Column(
        gettext_lazy("Signification"), accessor="signification_id", orderable=False
    )
    telecharger = tables.Column(
        gettext_lazy("Télécharger"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        template_name = "web/search_table.html"
        page_field = "page"
        per_page = PAGE_SIZE
        attrs = {"class": "search-table vault-table", "id": "fichiers-table"}
        empty_text = gettext_lazy("Ce dossier ne contient aucun fichier.")

    row_header = "nom"
    hidden_headers = frozenset({"selection", "telecharger"})

    def __init__(self, *args: Any, bailiff: bool = False, selectable: bool = True, **kw: Any):
        if not selectable:
            kw.setdefault("exclude", ("selection",))
        super().__init__(*args, **kw)
        self.bailiff = bailiff

    @property
    def caption(self) -> str:
        return gettext("Fichiers du dossier")

    def _references(self) -> dict[int, str]:
        if not hasattr(self, "_refs"):  # one query for the page's rows, on the first one
            rows = self.page.object_list if hasattr(self, "page") else self.rows
            self._refs = references(row.record.signification_id for row in rows)
        return self._refs

    def render_selection(self, record: StoredFile) -> SafeString:
        label = gettext("Sélectionner %(name)s") % {"name": record.name}
        return format_html(
            '<input type="checkbox" name="fichiers" value="{}" form="{}" aria-label="{}">',
            record.pk,
            SELECTION_FORM,
            label,
        )

    def render_nom(self, record: StoredFile) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>{}',
            reverse("vault_pages:file", args=[record.pk]),
            record.name,
            format_html(' <span class="muted">— {}</span>', record.title) if record.title else "",
        )

    def render_nature(self, record: StoredFile) -> SafeString:
        badge = (
            format_html(' <span class="vault-evidence">{}</span>', gettext("probante"))
            if record.is_evidence
            else ""
        )
        return format_html('<span class="vault-kind">{}</span>{}', record.get_kind_display(), badge)

    def render_taille(self, value: int) -> str:
        return format_size(value)

    def render_date(self, value: Any) -> SafeString:
        return when(value)

    def render_signification(self, record: StoredFile) -> SafeString | str:
        reference = self._references().get(record.signification_id or 0)
        if reference is None:
            return "—"
        if self.bailiff:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("web:detail", args=[record.signification_id]),
                reference,
            )
        return format_html("<span>{}</span>", reference)

    def render_telecharger(self, record: StoredFile) -> SafeString:
        return format_html(
            '<a class="detail-download" href="{}" download>{}'
            '<span class="visually-hidden"> {}</span></a>',
            reverse("vault_pages:file-download", args=[record.pk]),
            gettext("Télécharger"),
            record.name,
        )


class SearchResultTable(FileTable):
    """Search results: the folder of each file too; nothing to select (move from a folder)."""

    dossier = tables.Column(gettext_lazy("Dossier"), accessor="folder", orderable=False)

    class Meta(FileTable.Meta):
        attrs = {"class": "search-table vault-table", "id": "resultats-table"}
        empty_text = gettext_lazy("Aucun fichier ne correspond à ces critères.")
        sequence = ("nom", "dossier", "...")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, selectable=False, **kwargs)

    @property
    def caption(self) -> str:
        return gettext("Résultat de la recherche")

    def render_dossier(self, value: str) -> SafeString:
        return format_html(
            '<a href="{}?dossier={}">{}</a>',
            reverse("vault_pages:browse"),
            value,
            display(value),
        )


class JournalTable(PagedTable):
    """The vault's journal entries, newest first."""

    numero = tables.Column(gettext_lazy("N°"), accessor="sequence", orderable=False)
    date = tables.Column(gettext_lazy("Date"), accessor="recorded_at", orderable=False)
    action = tables.Column(gettext_lazy("Action"), accessor="action", orderable=False)
    fichier = tables.Column(
        gettext_lazy("Fichier ou dossier"), accessor="data", orderable=False, empty_values=()
    )
    acteur = tables.Column(gettext_lazy("Acteur"), accessor="actor", orderable=False)

    class Meta:
        template_name = "web/search_table.html"
        page_field = "page"
        per_page = PAGE_SIZE
        attrs = {"class": "search-table vault-table", "id": "journal-table"}
        empty_text = gettext_lazy("Aucune opération n'est encore journalisée.")

    row_header = "date"

    def __init__(self, *args: Any, holder: str = "", own: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holder = holder
        self.own = own

    @property
    def caption(self) -> str:
        return gettext("Journal du coffre-fort")

    def render_date(self, value: Any) -> SafeString:
        return when(value, seconds=True)

    def render_action(self, value: str) -> str:
        return action_label(value)

    def render_fichier(self, record: JournalEntry) -> str:
        data = record.data if isinstance(record.data, dict) else {}
        path = entry_file_path(data) or "—"
        if data.get("new_folder"):  # a folder renamed: where it went
            return f"{path} → {data['new_folder']}"
        return path

    def render_acteur(self, value: str) -> SafeString:
        if self.own and value == self.own:
            return format_html(
                '<span title="{}">{}</span>',
                value,
                gettext("vous (%(holder)s)") % {"holder": self.holder},
            )
        return format_html('<span class="fingerprint">{}</span>', actor_label(value))
