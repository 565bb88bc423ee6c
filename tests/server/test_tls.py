"""``yorisoi-server serve``: TLS with a certificate, plain HTTP refused off loopback unless
``--insecure-http`` is given (with a warning). Real server processes."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from app.protocol.ids import new_id
from tests.serverproc import client_headers, free_port, running_server, server_command


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made here (fictional organisation)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yorisoi test city"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def test_tls_with_a_certificate_on_every_interface(tmp_path: Path) -> None:
    """``--host 0.0.0.0`` with a certificate: HTTPS verified against it, a laptop's sync
    requests work over it, plain HTTP to the port gets no answer, and no warning is printed."""
    cert, key = self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    args = ("--host", "0.0.0.0", "--certfile", str(cert), "--keyfile", str(key))
    with running_server(tmp_path, serve_args=args, scheme="https", verify=trust) as srv:
        assert srv.url.startswith("https://")
        health = httpx.get(f"{srv.api}/health", verify=trust)
        assert health.status_code == 200 and health.json()["ok"] is True
        srv.add_user("tls-worker", "outreach")
        device = srv.enroll("tls-worker")
        headers = client_headers(device["token"])
        with httpx.Client(base_url=srv.api, verify=trust) as http:
            push = http.post(
                "/sync/push", json={"batch_id": new_id(), "changes": []}, headers=headers
            )
            assert push.status_code == 200
            assert http.get("/sync/pull", headers=headers).status_code == 200
        with pytest.raises(httpx.HTTPError):  # an unverified certificate is refused
            httpx.get(f"{srv.api}/health", verify=True)
        with pytest.raises(httpx.HTTPError):  # plain HTTP to a TLS port
            httpx.get(f"http://127.0.0.1:{srv.port}/api/v1/health", timeout=3)
        assert "WARNING" not in srv.log_text()


def _serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    url = f"sqlite:///{tmp_path / 'refuse.db'}"
    return subprocess.run(
        [*server_command(), "--database-url", url, "serve", "--migrate", "--port",
         str(free_port()), *args],
        capture_output=True, text=True, timeout=60, env={"YORISOI_LANG": "en", "PATH": "/usr/bin"},
    )  # fmt: skip


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "sync.example.org"])
def test_plain_http_off_loopback_is_refused(tmp_path: Path, host: str) -> None:
    done = _serve(tmp_path, "--host", host)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--insecure-http" in lines[0] and "certificate" in lines[0]


def test_bad_serve_options_are_one_line_errors(tmp_path: Path) -> None:
    for args, says in (
        (("--trusted-proxy", "10.0.0.0/8,not-an-address"), "--trusted-proxy"),
        (("--certfile", str(tmp_path / "none.pem"), "--keyfile", str(tmp_path / "k")), "No such"),
        (("--certfile", str(tmp_path / "none.pem")), "both"),
    ):
        done = _serve(tmp_path, *args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode != 0 and len(lines) == 1 and says in lines[0], done.stderr


def test_insecure_http_serves_with_a_warning(tmp_path: Path) -> None:
    args = ("--host", "0.0.0.0", "--insecure-http")
    with running_server(tmp_path, serve_args=args, extra_env={"YORISOI_LANG": "en"}) as srv:
        assert httpx.get(f"{srv.api}/health").status_code == 200
        warning = [line for line in srv.log_text().splitlines() if "WARNING" in line]
        assert len(warning) == 1 and "plain HTTP" in warning[0] and "0.0.0.0" in warning[0]
