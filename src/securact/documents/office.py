"""This process's warm LibreOffice (``unoserver``), shared by the convert step and the
service form's previews: started on first use, stopped when the process ends."""

from __future__ import annotations

from functools import lru_cache

from securact.documents.unoserver import UnoServerProcess


@lru_cache(maxsize=1)
def office_converter() -> UnoServerProcess:
    """This worker's warm LibreOffice (shared with other workers on the same port)."""
    return UnoServerProcess()


def stop_office_converter() -> None:
    """Stop this process's LibreOffice, if it started one (the process is ending)."""
    if office_converter.cache_info().currsize:
        office_converter().stop()
