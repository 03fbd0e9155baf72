"""The *Preuve* of a file (F7.3), made by ``vault.proof`` (the proof helper's branch).

``AVAILABLE`` says whether this build has it: the file page shows the button only then."""

from __future__ import annotations

from typing import IO

from securact.vault.models import StoredFile

AVAILABLE = False


def proof_of(stored: StoredFile, *, actor: str) -> tuple[str, IO[bytes]]:
    """(file name, open handle) of the proof archive of ``stored``, its issue journaled."""
    raise NotImplementedError
