"""Replies by e-mail over STARTTLS (MAIL_INBOUND_TLS_CERT, MAIL_INBOUND_TLS_KEY): with a
certificate the receiver offers STARTTLS and takes no message before it; a certificate it
cannot use stops the start in LANGUAGE. The certificate is self-signed, made by the test."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path

import aiosmtplib
import pytest
from test_email_replies import REPLY_TO, Desk, running


def self_signed(where: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (PEM), by `cryptography` when installed, else
    by the openssl command."""
    cert, key = where / "inbound.crt", where / "inbound.key"
    try:
        _with_cryptography(cert, key)
    except ImportError:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
    return cert, key


def _with_cryptography(cert: Path, key: Path) -> None:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    made = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(private, hashes.SHA256()))
    cert.write_bytes(made.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()))


def test_r7_with_a_certificate_replies_arrive_over_starttls_and_never_in_the_clear(
        db_url: str, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    trusting = ssl.create_default_context(cafile=str(cert))

    async def story(w: Desk) -> None:
        await w.send("Pela conexão cifrada.", tls=trusting)
        assert [e.text for e in w.public()] == ["Pela conexão cifrada."]
        with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
            await w.send("Em claro.")
        assert refused.value.code == 530
        assert [e.text for e in w.public()] == ["Pela conexão cifrada."]

    running(db_url, tmp_path, story, more={"mail_inbound_tls_cert": str(cert),
                                            "mail_inbound_tls_key": str(key)})


def test_a_certificate_the_receiver_cannot_use_stops_the_start_in_the_desks_language(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    from test_run_start import start_once

    cert, key = self_signed(tmp_path)
    missing = tmp_path / "nao-existe.key"
    common = {"language": "en", "files_dir": str(tmp_path / "f"), "mail_reply_to": REPLY_TO,
              "mail_reply_secret": "s" * 16, "mail_inbound_listen": "127.0.0.1:0"}
    line = start_once(new_db_url("sqlite"), mail_inbound_tls_cert=str(cert),
                      mail_inbound_tls_key=str(missing), **common)
    assert line == (f"error: could not use the certificate {cert} and key {missing} "
                    "(MAIL_INBOUND_TLS_CERT, MAIL_INBOUND_TLS_KEY): does not exist")
    line = start_once(new_db_url("sqlite"), mail_inbound_tls_cert=str(key),
                      mail_inbound_tls_key=str(cert), **common)
    assert line == (f"error: could not use the certificate {key} and key {cert} "
                    "(MAIL_INBOUND_TLS_CERT, MAIL_INBOUND_TLS_KEY): they are not a PEM "
                    "certificate and its private key")
