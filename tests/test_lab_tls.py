"""TLS between the lab's Open vSwitch and a controller: ``make_pki`` and ``Lab.set_ssl``."""

from __future__ import annotations

import socket
import ssl
import stat
import subprocess
from pathlib import Path
from typing import Literal

import pytest

from tests.test_lab import establish, read_hello
from workbench.lab import Lab, LabError, Pki, make_pki

Algorithm = Literal["ec", "rsa"]


def _subject(cert: Path) -> str:
    return subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-noout", "-subject", "-nameopt", "RFC2253"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def _controller_context(pki: Pki) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.controller_cert, pki.controller_key)
    context.load_verify_locations(pki.ca_cert)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _common_name(peer: dict[str, object]) -> str:
    subject = peer["subject"]
    assert isinstance(subject, tuple)
    names = [value for rdn in subject for key, value in rdn if key == "commonName"]
    assert len(names) == 1, subject
    return str(names[0])


class TlsListener:
    """A TCP listener on 127.0.0.1; :meth:`accept` does the TLS handshake."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(5)
        self.target = f"ssl:127.0.0.1:{self.server.getsockname()[1]}"

    def accept(self) -> ssl.SSLSocket:
        raw, _ = self.server.accept()
        raw.settimeout(5)
        return self.context.wrap_socket(raw, server_side=True)

    def close(self) -> None:
        self.server.close()


@pytest.mark.parametrize("algorithm", ["ec", "rsa"])
def test_make_pki(tmp_path: Path, algorithm: Algorithm) -> None:
    pki = make_pki(tmp_path / "pki", algorithm=algorithm, days=2)
    assert pki.directory == tmp_path / "pki"
    assert _subject(pki.ca_cert) == "subject=CN=vlcp-lab-ca"
    assert _subject(pki.controller_cert) == "subject=CN=vlcp-controller"
    assert _subject(pki.switch_cert) == "subject=CN=vlcp-switch"
    for key in (pki.ca_key, pki.controller_key, pki.switch_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    verified = subprocess.run(
        ["openssl", "verify", "-CAfile", str(pki.ca_cert), str(pki.controller_cert),
         str(pki.switch_cert)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert verified.count(": OK") == 2
    text = subprocess.run(
        ["openssl", "x509", "-in", str(pki.switch_cert), "-noout", "-text"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ("id-ecPublicKey" if algorithm == "ec" else "rsaEncryption") in text
    # Key and certificate belong together (load_cert_chain checks that).
    ssl.create_default_context().load_cert_chain(pki.switch_cert, pki.switch_key)

    with pytest.raises(LabError, match="days"):
        make_pki(tmp_path / "other", days=0)


@pytest.mark.parametrize("algorithm", ["ec", "rsa"])
def test_switch_connects_over_tls(lab: Lab, tmp_path: Path, algorithm: Algorithm) -> None:
    pki = make_pki(tmp_path, algorithm=algorithm)
    lab.add_bridge("s1", ports=1, protocols=["OpenFlow13"])
    lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)
    assert lab.vsctl("get", "SSL", ".", "certificate").strip() == f'"{pki.switch_cert}"'
    listener = TlsListener(_controller_context(pki))
    try:
        lab.set_controller("s1", listener.target)  # ssl: targets pass through
        with listener.accept() as conn:
            peer = conn.getpeercert()
            assert peer is not None and _common_name(peer) == "vlcp-switch"
            assert read_hello(conn)[0] == 4  # OpenFlow 1.3
    finally:
        listener.close()


def test_tls_survives_restart_switch(lab: Lab, tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    lab.add_bridge("s1", ports=1)
    lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)
    listener = TlsListener(_controller_context(pki))
    try:
        lab.set_controller("s1", listener.target)
        with listener.accept() as conn:
            establish(conn)
            # Established, the connection would stay up; the old daemon's exit ends it.
            lab.restart_switch()
            conn.settimeout(2)
            assert conn.recv(1) == b""
        with listener.accept() as conn:
            peer = conn.getpeercert()
            assert peer is not None and _common_name(peer) == "vlcp-switch"
            read_hello(conn)
    finally:
        listener.close()
    assert lab.statistics().switch_starts == 2


def test_switch_rejects_a_controller_of_another_ca(lab: Lab, tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "ours")
    stranger = make_pki(tmp_path / "theirs")
    lab.add_bridge("s1", ports=1)
    lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)
    # The controller trusts the switch, but presents a certificate of another CA.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(stranger.controller_cert, stranger.controller_key)
    context.load_verify_locations(pki.ca_cert)
    context.verify_mode = ssl.CERT_REQUIRED
    listener = TlsListener(context)
    try:
        lab.set_controller("s1", listener.target)
        with pytest.raises(ssl.SSLError, match="UNKNOWN_CA|unknown ca"):
            listener.accept()
    finally:
        listener.close()


def test_set_ssl_checks_its_files(lab: Lab, tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    missing = tmp_path / "nope.pem"
    with pytest.raises(LabError, match="nope.pem"):
        lab.set_ssl(pki.switch_key, pki.switch_cert, missing)
    # Bootstrapping: OVS will write the CA certificate there itself.
    lab.set_ssl(pki.switch_key, pki.switch_cert, missing, bootstrap=True)
    assert lab.vsctl("get", "SSL", ".", "bootstrap_ca_cert").strip() == "true"
    assert lab.vsctl("get", "SSL", ".", "ca_cert").strip() == f'"{missing}"'
