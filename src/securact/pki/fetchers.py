"""Revocation and issuer fetches that fail only the way certvalidator expects.

pyhanko-certvalidator's aiohttp fetchers turn ``aiohttp.ClientError`` into their ``…FetchError``
(which the validator reads as "no revocation information here"), but not a timeout
(``TimeoutError``), an ``OSError`` or anything else: those escaped the validation as server
errors. Wrapped here, every failure of a fetch is a failed fetch — so hard-fail refuses with
"revocation unknown" and soft-fail lets the holder in, as for an unreachable responder.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from pyhanko_certvalidator.errors import CertificateFetchError, CRLFetchError, OCSPFetchError
from pyhanko_certvalidator.fetchers.api import (
    CertificateFetcher,
    CRLFetcher,
    Fetchers,
    OCSPFetcher,
)

logger = logging.getLogger(__name__)

# The validator's own failures pass through untouched.
_EXPECTED = (OCSPFetchError, CRLFetchError, CertificateFetchError)


def _failed(what: str, error: Exception) -> None:
    logger.warning("%s fetch failed: %s: %s", what, type(error).__name__, error)


class _OCSP(OCSPFetcher):
    def __init__(self, inner: OCSPFetcher) -> None:
        self.inner = inner

    async def fetch(self, cert: Any, authority: Any) -> Any:
        try:
            return await self.inner.fetch(cert, authority)
        except _EXPECTED:
            raise
        except Exception as error:
            _failed("OCSP", error)
            raise OCSPFetchError("OCSP response could not be fetched") from error

    def fetched_responses(self) -> Iterable[Any]:
        return self.inner.fetched_responses()

    def fetched_responses_for_cert(self, cert: Any) -> Iterable[Any]:
        return self.inner.fetched_responses_for_cert(cert)


class _CRL(CRLFetcher):
    def __init__(self, inner: CRLFetcher) -> None:
        self.inner = inner

    async def fetch(self, cert: Any, *, use_deltas: bool = True) -> Any:
        try:
            return await self.inner.fetch(cert, use_deltas=use_deltas)
        except _EXPECTED:
            raise
        except Exception as error:
            _failed("CRL", error)
            raise CRLFetchError("CRL could not be fetched") from error

    def fetched_crls(self) -> Iterable[Any]:
        return self.inner.fetched_crls()

    def fetched_crls_for_cert(self, cert: Any) -> Iterable[Any]:
        return self.inner.fetched_crls_for_cert(cert)


class _Certificates(CertificateFetcher):
    def __init__(self, inner: CertificateFetcher) -> None:
        self.inner = inner

    async def _guarded(self, fetched: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
        try:
            async for cert in fetched:
                yield cert
        except _EXPECTED:
            raise
        except Exception as error:
            _failed("issuer certificate", error)
            raise CertificateFetchError("issuer certificate could not be fetched") from error

    def fetch_cert_issuers(self, cert: Any) -> AsyncGenerator[Any, None]:
        return self._guarded(self.inner.fetch_cert_issuers(cert))

    def fetch_crl_issuers(self, certificate_list: Any) -> AsyncGenerator[Any, None]:
        return self._guarded(self.inner.fetch_crl_issuers(certificate_list))

    def fetched_certs(self) -> Iterable[Any]:
        return self.inner.fetched_certs()


def guarded(fetchers: Fetchers) -> Fetchers:
    """The same fetchers, every failure of which is a failed fetch."""
    return Fetchers(
        ocsp_fetcher=_OCSP(fetchers.ocsp_fetcher),
        crl_fetcher=_CRL(fetchers.crl_fetcher),
        cert_fetcher=_Certificates(fetchers.cert_fetcher),
    )
