"""Issue 11, item 7: no local-path assumption between processes. One web process (gunicorn
over TLS) and two workers, each with its own empty data folder and its own copy of the
tokens, as if on three machines, sharing only PostgreSQL and the S3 server (moto, the vault
and the work store on it):

* the bailiff adds a PDF and a DOCX to his draft and serves them through the web form
  (a garnishment: its data message too) — the web process holds the PIN and signs;
* worker A converts them (and may prepare the signatures), then stops: its data folder is
  deleted; worker B, which never saw A's folder, finishes the signatures, deposits,
  alerts, seals the deposit certificate and archives;
* the recipient downloads an act from its portal over TLS with its certificate (the
  delivery certificate is then made by worker B) and answers (an act return, sealed by the
  web process);
* every vault is then audited (``securact vault check``, from a fourth machine with an
  empty disk), each entry also read straight from the bucket, the archive verified; the
  work objects are all gone from the bucket (every version: they carried no retention),
  and no data folder holds anything another process would have read.

SQLite is one file on one machine: this test runs on PostgreSQL only (the PostgreSQL part
of `make test`)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from securact.directory.models import ActNature, Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.pki.demo_pki import DemoLayout
from securact.returns.models import ActReturn
from securact.significations.archive import verify_archive
from securact.significations.models import Act, Signification, Step
from securact.vault.models import StoredFile
from securact.vault.services import declare_vault
from tests.conftest import PKI_URL, TEST_ROOT, gunicorn_command, server_environment
from tests.datamessage.samples import person_elements
from tests.processes import BIN, free_port, port_open, running, wait_for
from tests.returns.test_portal_reply import TWO_ACCOUNTS_POST
from tests.s3_fixtures import S3Vault, s3_client

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# A garnishee that accepts garnishments at any hour (BANQUE TEST keeps office hours, F3.3).
BANK = "recipient-credit-demo"


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite is a file of one machine: processes on separate machines share "
            "PostgreSQL (this test runs in the PostgreSQL part of `make test`)"
        )


class Machine:
    """One process as if on a machine of its own: its data folder, its copy of the tokens."""

    def __init__(self, name: str, layout: DemoLayout, env: dict[str, str]) -> None:
        self.name = name
        self.data = Path(env["SECURACT_DATA_DIR"])
        tokens = Path(tempfile.mkdtemp(prefix=f"securact-{name}-tokens-"))
        shutil.copytree(layout.pki / "tokens", tokens / "tokens")
        conf = tokens / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tokens / 'tokens'}\nobjectstore.backend = file\n")
        self.tokens = tokens
        self.env = {**env, "SOFTHSM2_CONF": str(conf)}
        self.process: subprocess.Popen[bytes] | None = None

    def start_worker(self) -> None:
        log = (TEST_ROOT / f"no-shared-disk-{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            [str(BIN / "securact"), "worker"],
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: ends its current task
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def remove(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.tokens, ignore_errors=True)

    def files(self) -> list[str]:
        """Every file left in its data folder, relative."""
        if not self.data.exists():
            return []
        return sorted(str(p.relative_to(self.data)) for p in self.data.rglob("*") if p.is_file())


@pytest.fixture
def machines(
    postgresql_only: None,
    django_db_blocker: Any,
    demo_layout: DemoLayout,
    pki_server: Any,
    smtp_server: Any,
    sms_gateway: Any,
    office_port: int,
    s3_endpoint: str,
) -> Iterator[tuple[S3Vault, Callable[[str], Machine]]]:
    vault = S3Vault(
        endpoint=s3_endpoint,
        bucket=f"securact-nodisk-{uuid.uuid4().hex[:16]}",
        client=s3_client(s3_endpoint),
    )
    made: list[Machine] = []

    def machine(name: str) -> Machine:
        with django_db_blocker.unblock():
            env = server_environment(
                demo_layout,
                **vault.env(),
                SECURACT_TSA_URL=f"{PKI_URL}/securact/tsa/tsa",
                SECURACT_SMTP_HOST="127.0.0.1",
                SECURACT_SMTP_PORT=str(smtp_server[0]),
                SECURACT_SMS_BACKEND="http",
                SECURACT_SMS_GATEWAY_URL=sms_gateway.url,
                SECURACT_SMS_GATEWAY_TOKEN=sms_gateway.token,
                SECURACT_UNOSERVER_PORT=str(office_port),
                SECURACT_ENFORCE_LEGAL_HOURS="0",
                SECURACT_ENFORCE_SUNDAYS="0",
                SECURACT_ENFORCE_HOLIDAYS="0",
            )
        # No folder of the test's: each process keeps its files under its own data folder.
        for folder in ("UPLOAD_DIR", "WORK_DIR", "VAULT_DIR", "WORK_STORAGE"):
            assert f"SECURACT_{folder}" not in os.environ, folder
        made.append(Machine(name, demo_layout, env))
        return made[-1]

    yield vault, machine
    for each in made:
        each.stop()
        each.remove()


def _session(identity: Any, roots: str) -> requests.Session:
    declare_vault(parse_certificate(pem_to_der(Path(identity.cert).read_bytes())))
    browser = requests.Session()
    browser.cert, browser.verify = identity.pair, roots
    browser.trust_env = False  # else REQUESTS_CA_BUNDLE would override `verify`
    return browser


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, page[:2000]
    return found.group(1)


def _add_act(browser: requests.Session, base: str, act: Path) -> None:
    form = browser.get(base + "/signifier/", timeout=60)
    assert form.status_code == 200, form.text[:2000]
    with act.open("rb") as stream:
        added = browser.post(
            base + "/signifier/actes/",
            data={"csrfmiddlewaretoken": _csrf(form.text)},
            files={"file": (act.name, stream, "application/octet-stream")},
            headers={"Referer": base + "/signifier/"},
            timeout=120,
        )
    assert added.status_code == 200, added.text[:2000]


def _serve(
    browser: requests.Session, base: str, pin: str, recipient: int, nature: int
) -> requests.Response:
    """Posted from a thread of its own: its ids read beforehand (no connection left open)."""
    page = browser.get(base + "/signifier/", timeout=60).text
    certificate = page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    data = {
        "csrfmiddlewaretoken": _csrf(page),
        "reference": "NODISK-0001",
        "recipient": str(recipient),
        "nature": str(nature),
        "certificate": certificate,
        "pin": pin,
        **{f"donnees-{name}": str(value) for name, value in person_elements().items()},
    }
    return browser.post(
        base + "/signifier/",
        data=data,
        headers={"Referer": base + "/signifier/"},
        allow_redirects=False,
        timeout=240,
    )


def _errors(page: str) -> list[str]:
    """The form's French error messages (what a 400 said)."""
    return re.findall(r'class="[^"]*(?:field-error|errorlist)[^"]*"[^>]*>(.*?)<', page, re.S)


def _until(check: Callable[[], bool], what: str, timeout: float = 180) -> None:
    wait_for(check, what, timeout=timeout)


def _step_done(signification_id: int, name: str) -> bool:
    return Step.objects.filter(
        signification_id=signification_id, name=name, state=Step.State.DONE
    ).exists()


def test_two_workers_and_a_web_process_share_no_disk(
    machines, declared_bailiff, identities, acts, demo_layout, tmp_path, settings
):
    vault, machine = machines
    roots = str(demo_layout.trust / "roots.pem")
    web, worker_a, worker_b = machine("web"), machine("worker-a"), machine("worker-b")
    port = free_port()
    base = f"https://localhost:{port}"
    with running(
        gunicorn_command(demo_layout, port),
        "gunicorn",
        lambda: port_open(port),
        env=web.env,
        log=TEST_ROOT / "no-shared-disk-web.log",
    ):
        worker_a.start_worker()
        bailiff = _session(declared_bailiff, roots)
        for act in acts[:2]:  # a PDF and a DOCX
            _add_act(bailiff, base, act)
        answers: list[requests.Response] = []
        recipient = Recipient.objects.get(siret="99999002100019").pk
        nature = ActNature.objects.get(code="saisie-attribution").pk
        pin = declared_bailiff.record["pin"]
        posting = threading.Thread(
            target=lambda: answers.append(_serve(bailiff, base, pin, recipient, nature))
        )
        posting.start()

        # Worker A converts, then stops; its machine is gone with its disk.
        _until(
            lambda: bool(answers) or Signification.objects.filter(reference="NODISK-0001").exists(),
            "record",
        )
        assert not answers or answers[0].status_code == 302, _errors(answers[0].text)
        signification = Signification.objects.get(reference="NODISK-0001")
        _until(lambda: _step_done(signification.pk, Step.Name.CONVERT), "conversion")
        worker_a.stop()
        worker_a.remove()
        # What A made is in the object store, unlocked: the uploads and the PDF/A (at least).
        listed = vault.client.list_objects_v2(Bucket=vault.bucket, Prefix="work/")
        keys = {item["Key"] for item in listed.get("Contents", [])}
        assert {
            f"work/{signification.pk}/01.pdfa.pdf",
            f"work/{signification.pk}/02.pdfa.pdf",
        } <= keys
        assert len([key for key in keys if key.startswith("work/uploads/")]) == 2, keys
        for key in keys:
            head = vault.client.head_object(Bucket=vault.bucket, Key=key)
            assert "ObjectLockMode" not in head and "ObjectLockLegalHoldStatus" not in head, key
        worker_b.start_worker()

        posting.join(timeout=240)
        assert answers and answers[0].status_code == 302, answers and answers[0].text[:3000]
        _until(lambda: _step_done(signification.pk, Step.Name.ARCHIVE), "archive")
        signification.refresh_from_db()
        assert signification.state == Signification.State.DONE
        served = Act.objects.filter(signification=signification).values_list("kind", flat=True)
        assert sorted(served) == ["docx", "pdf"]

        # The recipient downloads the first act (the opening) and answers, over TLS.
        bank = _session(identities[BANK], roots)
        act = signification.acts.order_by("position").first()
        assert act is not None and act.stored_file is not None
        got = bank.get(f"{base}/destinataire/depots/{signification.pk}/actes/{act.pk}/", timeout=60)
        assert got.status_code == 200, got.text[:2000]
        assert hashlib.sha256(got.content).hexdigest() == act.stored_file.sha256
        reply_url = f"{base}/destinataire/depots/{signification.pk}/repondre/"
        form = bank.get(reply_url, timeout=60)
        assert form.status_code == 200, form.text[:2000]
        replied = bank.post(
            reply_url,
            data={"csrfmiddlewaretoken": _csrf(form.text), **TWO_ACCOUNTS_POST},
            headers={"Referer": reply_url},
            allow_redirects=False,
            timeout=120,
        )
        assert replied.status_code == 303, replied.text[:3000]
        _until(lambda: _step_done(signification.pk, Step.Name.DELIVERY), "delivery certificate")
        _until(
            lambda: ActReturn.objects.filter(
                signification=signification, stored_file__isnull=False
            ).exists(),
            "act return sealed",
        )
        worker_b.stop()

    # Everything is in the object store, whole.
    stored = list(StoredFile.objects.filter(signification_id=signification.pk))
    kinds = {each.kind for each in stored}
    assert {
        StoredFile.Kind.ACT,
        StoredFile.Kind.DATA_MESSAGE,
        StoredFile.Kind.DEPOSIT_CERTIFICATE,
        StoredFile.Kind.ARCHIVE,
        StoredFile.Kind.DELIVERY_CERTIFICATE,
        StoredFile.Kind.ACT_RETURN,
    } <= kinds, kinds
    for each in stored:  # read straight from the bucket, behind Securact's back
        assert hashlib.sha256(vault.content(each.sha256)).hexdigest() == each.sha256, each
    # The audit (*contrôler*) from a machine of its own too, with nothing on its disk.
    auditor = machine("auditor")
    audit = subprocess.run(
        [str(BIN / "securact"), "vault", "check"],
        env={**os.environ, **auditor.env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    archive = next(each for each in stored if each.kind == StoredFile.Kind.ARCHIVE)
    zipped = tmp_path / archive.name
    zipped.write_bytes(vault.content(archive.sha256))
    assert verify_archive(zipped) == []

    # The work objects are gone, every version (they carried no retention to stop that).
    left = vault.client.list_object_versions(Bucket=vault.bucket, Prefix="work/")
    assert not left.get("Versions") and not left.get("DeleteMarkers"), left

    # No process kept anything another one reads: no vault, work or upload files on disk.
    for each in (web, worker_b):
        shared = [
            name
            for name in each.files()
            if name.split("/", 1)[0] in {"vault", "uploads", "work"}
            and not name.startswith("work/unoserver")
        ]
        assert shared == [], (each.name, shared)
    assert not worker_a.data.exists()
