"""Every French refusal derives from the one ``core.errors.Refusal`` and takes its ``message``
(and ``field``) from it, instead of each class redeclaring them."""

from __future__ import annotations

import inspect

import pytest

from securact.core.errors import Refusal
from securact.datamessage.services import ElementsRefused
from securact.documents.kinds import ConversionFailed, UploadRefused
from securact.evidence.errors import SealConfigurationError, SealError, SealTransientError
from securact.notify.services import AlertError
from securact.notify.sms import SmsError, SmsPermanentError, SmsTransientError
from securact.returns.errors import ReturnRefused
from securact.significations.downloads import FileDamaged
from securact.significations.preview import PreviewFailed
from securact.significations.process import (
    CompletedWithWarning,
    PermanentStepError,
    StepError,
    TransientStepError,
)
from securact.significations.services import ServiceRefused
from securact.signing.errors import (
    SigningError,
    SigningFailed,
    SigningRefused,
    SigningTransientError,
    TokenPinIncorrect,
)
from securact.vault.declare_cli import DeclarationFailed
from securact.vault.services import DeclarationRefused

REFUSALS = [
    AlertError,
    ElementsRefused,
    ConversionFailed,
    UploadRefused,
    SealError,
    SealConfigurationError,
    SealTransientError,
    SmsError,
    SmsPermanentError,
    SmsTransientError,
    ReturnRefused,
    PreviewFailed,
    StepError,
    TransientStepError,
    PermanentStepError,
    CompletedWithWarning,
    FileDamaged,
    ServiceRefused,
    SigningError,
    SigningFailed,
    SigningRefused,
    SigningTransientError,
    TokenPinIncorrect,
    DeclarationFailed,
    DeclarationRefused,
]


@pytest.mark.parametrize("cls", REFUSALS, ids=lambda c: c.__name__)
def test_french_refusals_derive_from_the_one_base(cls: type[Exception]) -> None:
    assert issubclass(cls, Refusal)
    # No class redeclares what the base carries.
    for klass in cls.__mro__[: cls.__mro__.index(Refusal)]:
        if "__init__" in vars(klass):
            assert "self.message = " not in inspect.getsource(vars(klass)["__init__"])


@pytest.mark.parametrize(
    "cls", [c for c in REFUSALS if c not in (TokenPinIncorrect, SigningTransientError)]
)
def test_one_except_catches_them_with_their_french_message(cls: type[Exception]) -> None:
    with pytest.raises(Refusal) as caught:
        raise cls("Fichier refusé : il est chiffré.")
    assert caught.value.message == "Fichier refusé : il est chiffré."
    assert str(caught.value) == "Fichier refusé : il est chiffré."


def test_the_field_at_fault_travels_with_the_message() -> None:
    error = ServiceRefused("Référence déjà utilisée.", "reference")
    assert (error.message, error.field) == ("Référence déjà utilisée.", "reference")
    assert Refusal("Refusé.").field == ""
