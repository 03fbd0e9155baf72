"""No token, or no key for the chosen certificate on the token: ``TokenUnavailable``, in
French, before any signature is attempted."""

from __future__ import annotations

import pytest

from securact.signing.errors import TokenUnavailable
from securact.signing.token import sign_with_token
from tests.signing.conftest import Bailiff


def test_unknown_token_is_unavailable(durand: Bailiff) -> None:
    with pytest.raises(TokenUnavailable) as refused:
        sign_with_token("no-such-token", durand.pin, durand.cert, [b"acte"])
    assert refused.value.message.startswith("La clé de signature est indisponible.")
    assert "no-such-token" in refused.value.message


def test_certificate_of_another_bailiff_is_not_on_the_token(
    durand: Bailiff, martin: Bailiff
) -> None:
    with pytest.raises(TokenUnavailable) as refused:
        sign_with_token(durand.token_label, durand.pin, martin.cert, [b"acte"])
    assert "Paul MARTIN" in refused.value.message
