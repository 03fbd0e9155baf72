"""F3.4: the files of one signification together stay under the signification limit."""

import pytest
from pytest_django import Settings

from securact.documents.services import UploadRefused, check_total_size

MIB = 1024 * 1024


def test_files_within_the_limit_pass(settings: Settings) -> None:
    settings.SECURACT_MAX_SIGNIFICATION_BYTES = 200 * MIB
    check_total_size([50 * MIB, 50 * MIB, 50 * MIB, 50 * MIB])


def test_one_byte_past_the_limit_is_refused(settings: Settings) -> None:
    settings.SECURACT_MAX_SIGNIFICATION_BYTES = 200 * MIB
    with pytest.raises(UploadRefused):
        check_total_size([100 * MIB, 100 * MIB + 1])


def test_files_past_the_limit_are_refused(settings: Settings) -> None:
    settings.SECURACT_MAX_SIGNIFICATION_BYTES = 200 * MIB
    with pytest.raises(UploadRefused) as refused:
        check_total_size([60 * MIB, 60 * MIB, 60 * MIB, 60 * MIB])
    assert refused.value.message == (
        "L'ensemble des fichiers de la signification (240,0\xa0Mio) dépasse la taille maximale "
        "autorisée (200,0\xa0Mio) : retirez ou allégez des fichiers."
    )
