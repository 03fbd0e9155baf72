"""The API over mutual TLS: one ``requests`` session holding the client certificate, JSON
errors turned into ``ApiError`` (the server's French sentence and field)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

API = "/api/v1"
RETRIED_STATUSES = {429, 502, 503, 504}


class ApiError(Exception):
    """A 4xx/5xx answer: ``message`` is the server's French ``erreur``."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(f"{status} {message}" + (f" ({field})" if field else ""))
        self.status = status
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Connection:
    url: str  # https://host:port, without /api/v1
    cert: Path
    key: Path
    ca: Path | None = None  # the server's CA bundle; None: the system's
    timeout: float = 120.0


def idempotency_key(*parts: str) -> str:
    """A key derived from what is sent: the same command run again (after a timeout, a
    crash) sends the same keys, so the server answers what it did and does nothing twice."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Client:
    def __init__(self, connection: Connection, retries: int = 5) -> None:
        self.connection = connection
        self.retries = retries
        self.session = requests.Session()
        self.session.cert = (str(connection.cert), str(connection.key))
        self.session.verify = str(connection.ca) if connection.ca else True
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def _url(self, path: str) -> str:
        if path.startswith("http"):
            return path
        return self.connection.url.rstrip("/") + (path if path.startswith(API) else API + path)

    def request(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        retries: int | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """One call, retried on 429/5xx and on a lost connection (safe: POSTs carry their
        idempotency key, GETs change nothing)."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if key is not None:
            headers["Idempotency-Key"] = key
        retries = self.retries if retries is None else retries
        for attempt in range(retries + 1):
            try:
                response = self.session.request(
                    method,
                    self._url(path),
                    headers=headers,
                    timeout=self.connection.timeout,
                    # Per request: requests lets REQUESTS_CA_BUNDLE override a session's own.
                    verify=self.session.verify,
                    **kwargs,
                )
            except (requests.ConnectionError, requests.Timeout):
                if attempt == retries:
                    raise
                time.sleep(min(2**attempt, 30))
                continue
            if response.status_code in RETRIED_STATUSES and attempt < retries:
                time.sleep(_retry_after(response, attempt))
                continue
            break
        if response.status_code >= 400:
            raise _error(response)
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None).json()

    def post(self, path: str, body: Any, key: str) -> Any:
        return self.request("POST", path, json=body, key=key).json()

    def upload(self, path: str, file: Path, key: str, field: str = "fichier", **fields: str) -> Any:
        """A multipart upload (the file in ``field``, with other form ``fields``), the file
        opened again for each attempt."""
        for attempt in range(self.retries + 1):
            with file.open("rb") as handle:
                files = {field: (file.name, handle, "application/octet-stream")}
                try:
                    response = self.request(
                        "POST", path, files=files, data=fields or None, key=key, retries=0
                    )
                except (requests.ConnectionError, requests.Timeout):
                    if attempt == self.retries:
                        raise
                    time.sleep(min(2**attempt, 30))
                    continue
                except ApiError as error:
                    if error.status not in RETRIED_STATUSES or attempt == self.retries:
                        raise
                    time.sleep(min(2**attempt, 30))
                    continue
                return response.json()
        raise AssertionError("unreachable")  # pragma: no cover

    def download(self, path: str, target: Path) -> Path:
        """Stream a file to ``target`` (written beside, then renamed: never half a file)."""
        response = self.request("GET", path, stream=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as handle:
            for chunk in response.iter_content(1 << 16):
                handle.write(chunk)
        partial.replace(target)
        return target

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged list."""
        after = params.pop("curseur", None)
        while True:
            query = {**params, **({"curseur": after} if after else {})}
            page = self.get(path, **query)
            yield from page["resultats"]
            after = page.get("suivant")
            if not after:
                return


def _retry_after(response: requests.Response, attempt: int) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 60.0)
    except ValueError:
        return float(min(2**attempt, 30))


def _error(response: requests.Response) -> ApiError:
    try:
        body = response.json()
        return ApiError(response.status_code, str(body.get("erreur", "")), body.get("champ"))
    except ValueError:
        return ApiError(response.status_code, response.text[:200] or response.reason)
