"""Migration 0007: before the EDI API, source "edi" could only be written by ``securact
serve``; those rows become the command line's ("cli"), and back when unapplied. Web rows
are left as they are."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from securact.significations.models import Signification
from tests.web.test_search_support import bailiff_named, make_signification

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("securact.significations.migrations.0007_source_cli")


def test_the_command_lines_rows_are_relabelled_and_back(declared_bailiff):
    durand = bailiff_named("DURAND")
    by_command = make_signification(durand, "PAR-CMD", source="edi")
    by_form = make_signification(durand, "PAR-WEB", source=Signification.Source.WEB)

    MIGRATION.edi_was_the_command_line(apps, None)
    by_command.refresh_from_db()
    by_form.refresh_from_db()
    assert (by_command.source, by_form.source) == ("cli", "web")

    MIGRATION.cli_back_to_edi(apps, None)
    by_command.refresh_from_db()
    assert by_command.source == "edi"
