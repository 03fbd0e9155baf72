"""Production mode: nginx terminates TLS with the shipped config (deploy/nginx) and
forwards the client certificate to gunicorn on a unix socket. The app believes the
forwarded certificate only from that socket; headers a client sends are never trusted."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import REPO, TEST_ROOT, server_environment
from tests.processes import BIN, free_port, port_open, running

pytestmark = [pytest.mark.tls, pytest.mark.django_db(transaction=True)]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _render_nginx(values: dict[str, str]) -> str:
    module = runpy.run_path(str(REPO / "deploy" / "nginx" / "render.py"))
    return str(module["render"](values))


@pytest.fixture(scope="module")
def proxied(django_db_setup, django_db_blocker, demo_layout, pki_server) -> Iterator[dict]:
    """nginx on TLS → gunicorn on a unix socket (plus a TCP port to try going around nginx)."""
    workdir = Path(tempfile.mkdtemp(prefix="securact-nginx-", dir="/tmp"))
    workdir.chmod(0o755)  # nginx workers (nobody) must reach the socket
    socket_path, tls_port, direct_port = workdir / "gunicorn.sock", free_port(), free_port()
    with django_db_blocker.unblock():
        env = server_environment(
            demo_layout, SECURACT_CLIENT_CERT_SOURCE="proxy", SECURACT_TRUSTED_PROXIES="unix"
        )
    config = workdir / "nginx.conf"
    config.write_text(
        _render_nginx(
            {
                "PREFIX": str(workdir),
                "MIME_TYPES": "/etc/nginx/mime.types",
                "GUNICORN_SOCKET": str(socket_path),
                "LISTEN_ADDRESS": "127.0.0.1",
                "PORT": str(tls_port),
                "SERVER_NAME": "localhost",
                "SERVER_CERT": str(demo_layout.server_cert),
                "SERVER_KEY": str(demo_layout.server_key),
                "CLIENT_CA_BUNDLE": str(demo_layout.trust / "roots.pem"),
            }
        )
    )
    subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(workdir)], check=True, capture_output=True
    )
    gunicorn = [
        str(BIN / "gunicorn"),
        "-c",
        "python:securact.gunicorn_conf",
        "-b",
        f"unix:{socket_path}",
        "-b",
        f"127.0.0.1:{direct_port}",
    ]
    nginx = [NGINX, "-c", str(config), "-p", str(workdir), "-g", "daemon off;"]
    with (
        running(
            gunicorn,
            "gunicorn",
            lambda: socket_path.exists() and port_open(direct_port),
            env=env,
            log=TEST_ROOT / "gunicorn-proxied.log",
        ),
        running(nginx, "nginx", lambda: port_open(tls_port)),
    ):
        yield {
            "url": f"https://localhost:{tls_port}",
            "direct": f"http://127.0.0.1:{direct_port}",
            "roots": str(demo_layout.trust / "roots.pem"),
        }
    shutil.rmtree(workdir, ignore_errors=True)


def _get(url: str, roots: str | bool, cert=None, headers=None) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.get(
            url, cert=cert, verify=roots, headers=headers or {}, allow_redirects=False, timeout=30
        )


def test_shipped_config_forwards_a_valid_certificate(proxied, identities, demo_directory):
    response = _get(proxied["url"] + "/", proxied["roots"], identities["bailiff-durand"].pair)
    assert response.status_code == 302
    assert response.headers["Location"] == "/declaration/"
    page = _get(
        proxied["url"] + "/declaration/", proxied["roots"], identities["bailiff-durand"].pair
    )
    assert "Claire DURAND" in page.text


@pytest.mark.parametrize(
    ("label", "cause"),
    [
        ("revoked", "révoqué"),
        ("expired", "Votre certificat a expiré."),
        ("untrusted", "autorité de certification reconnue"),
    ],
)
def test_refusals_behind_nginx_are_french_pages(proxied, identities, label, cause):
    response = _get(proxied["url"] + "/", proxied["roots"], identities[label].pair)
    assert response.status_code == 403
    assert cause in response.text


def test_no_certificate_behind_nginx(proxied):
    response = _get(proxied["url"] + "/", proxied["roots"])
    assert response.status_code == 403
    assert "Aucun certificat" in response.text


def test_nginx_overwrites_a_certificate_header_sent_by_the_client(
    proxied, identities, demo_directory
):
    forged = {
        "X-SSL-Client-Cert": identities["bailiff-durand"].escaped_pem,
        "X-SSL-Client-Verify": "SUCCESS",
    }
    without_cert = _get(proxied["url"] + "/", proxied["roots"], headers=forged)
    assert without_cert.status_code == 403
    assert "Aucun certificat" in without_cert.text
    with_revoked = _get(
        proxied["url"] + "/", proxied["roots"], identities["revoked"].pair, headers=forged
    )
    assert with_revoked.status_code == 403
    assert "révoqué" in with_revoked.text


def test_headers_sent_straight_to_gunicorn_are_ignored(proxied, identities, demo_directory):
    """Going around nginx (TCP, not the trusted unix socket), a forged header is ignored."""
    forged = {
        "X-SSL-Client-Cert": identities["bailiff-durand"].escaped_pem,
        "X-SSL-Client-Verify": "SUCCESS",
    }
    response = _get(proxied["direct"] + "/", False, headers=forged)
    assert response.status_code == 403
    assert "Aucun certificat" in response.text
