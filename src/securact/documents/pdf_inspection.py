"""Refusals of uploaded PDFs (F3.4): corrupt, encrypted, or carrying active content.

Everything is read through pikepdf (qpdf), never by searching the bytes: PDF names may be
hex-escaped (``/J#61vaScript``) and objects may hide in compressed object streams, which only
a real parser sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import pikepdf
from django.utils.translation import gettext

from securact.documents.kinds import UploadRefused


class ActiveContent(Enum):
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    EMBEDDED_FILE = "embedded_file"


def check_pdf(path: Path, name: str) -> None:
    """Refuse ``path`` (uploaded as ``name``) unless it is a sound, unencrypted PDF without
    JavaScript, launch actions or embedded files."""
    with _open_pdf(path, name) as pdf:
        if pdf.is_encrypted:
            # Opened with the empty user password: still encrypted, still refused, because
            # its permissions and our conversion would not agree on what it may become.
            raise _encrypted(name)
        if len(pdf.pages) == 0:
            raise _corrupt(name)
        found = find_active_content(pdf)
        if found is not None:
            raise _active_content_refusal(found, name)


@contextmanager
def _open_pdf(path: Path, name: str) -> Iterator[pikepdf.Pdf]:
    try:
        # No recovery: a file whose cross-reference table has to be rebuilt (typically a
        # truncated upload) may silently lose pages, and an act must be served whole.
        pdf = pikepdf.open(path, attempt_recovery=False)
    except pikepdf.PasswordError as error:
        raise _encrypted(name) from error
    except (pikepdf.PdfError, OSError, ValueError) as error:
        raise _corrupt(name) from error
    with pdf:
        try:
            yield pdf
        except pikepdf.PdfError as error:  # a broken object met while walking the file
            raise _corrupt(name) from error


def find_active_content(pdf: pikepdf.Pdf) -> ActiveContent | None:
    """The first active content found in any object of ``pdf``, reachable or not."""
    roots: list[pikepdf.Object] = [pdf.trailer, *pdf.objects]
    for root in roots:
        found = _scan(root)
        if found is not None:
            return found
    return None


def _scan(root: pikepdf.Object) -> ActiveContent | None:
    """Walk ``root`` and its direct children; indirect children are scanned as roots of
    their own, which bounds the walk and cannot loop."""
    pending = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            found = _judge_dictionary(item)
            if found is not None:
                return found
            children = list(item.values())
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Object) and not child.is_indirect
        )
    return None


def _judge_dictionary(dictionary: pikepdf.Dictionary) -> ActiveContent | None:
    # /JS holds an action's script; /JavaScript names the document-level scripts tree.
    if "/JS" in dictionary or "/JavaScript" in dictionary:
        return ActiveContent.JAVASCRIPT
    action = dictionary.get("/S")
    if action == pikepdf.Name.JavaScript:
        return ActiveContent.JAVASCRIPT
    if action == pikepdf.Name.Launch:
        return ActiveContent.LAUNCH
    # /EmbeddedFiles is the document's attachments tree, /EF a file specification's
    # embedded stream (also used by annotations and go-to-embedded actions).
    if "/EmbeddedFiles" in dictionary or "/EF" in dictionary:
        return ActiveContent.EMBEDDED_FILE
    if dictionary.get("/Subtype") == pikepdf.Name.FileAttachment:
        return ActiveContent.EMBEDDED_FILE
    if dictionary.get("/Type") == pikepdf.Name.EmbeddedFile:
        return ActiveContent.EMBEDDED_FILE
    return None


def _active_content_refusal(found: ActiveContent, name: str) -> UploadRefused:
    if found is ActiveContent.JAVASCRIPT:
        template = gettext(
            "Le fichier « %(name)s » contient du JavaScript, interdit dans un acte signifié : "
            "enregistrez-le ou imprimez-le en PDF sans script avant de le déposer."
        )
    elif found is ActiveContent.LAUNCH:
        template = gettext(
            "Le fichier « %(name)s » contient une action qui lance un programme, interdite "
            "dans un acte signifié : déposez un PDF sans action de lancement."
        )
    else:
        template = gettext(
            "Le fichier « %(name)s » contient des fichiers incorporés (pièces jointes au PDF), "
            "interdits dans un acte signifié : déposez chaque pièce comme un fichier séparé."
        )
    return UploadRefused(template % {"name": name})


def _encrypted(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » est un PDF chiffré ou protégé par un mot de passe : "
            "déposez une version sans protection."
        )
        % {"name": name}
    )


def _corrupt(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "Le fichier « %(name)s » est un PDF endommagé ou incomplet : enregistrez-le à "
            "nouveau depuis le logiciel qui l'a produit, puis déposez-le."
        )
        % {"name": name}
    )
