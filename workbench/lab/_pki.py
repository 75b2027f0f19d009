"""A throw-away certificate authority for TLS between a controller and the lab's switch.

Made with the ``openssl`` command line tool (installed together with Open
vSwitch: ``openvswitch-common`` depends on it). Every step uses a
configuration file written here, never the system's ``openssl.cnf``.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ._commands import run_command
from ._errors import LabError

__all__ = ["Pki", "make_pki"]

_TIMEOUT = 30.0
CONTROLLER_NAME = "vlcp-controller"
SWITCH_NAME = "vlcp-switch"
_CA_NAME = "vlcp-lab-ca"

# Both leaves may act as TLS client or server (OVS connects to a controller,
# but a controller may also connect to an OVS listening on "pssl:").
_CONFIG = """\
[ req ]
distinguished_name = dn
prompt = no

[ dn ]
CN = unused

[ ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, $ENV::VLCP_LAB_KEY_USAGE
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:$ENV::VLCP_LAB_CN, DNS:localhost, IP:127.0.0.1, IP:::1
"""


@dataclass(frozen=True)
class Pki:
    """Files made by :func:`make_pki` (PEM; keys unencrypted, mode 0600).

    Attributes:
        directory: where they are.
        ca_cert: the self-signed CA certificate both sides verify the peer against.
        ca_key: the CA's private key (to sign more certificates).
        controller_key: private key of the controller (CN ``vlcp-controller``).
        controller_cert: its certificate, signed by the CA.
        switch_key: private key for ``ovs-vswitchd`` (CN ``vlcp-switch``).
        switch_cert: its certificate, signed by the CA.
    """

    directory: Path
    ca_cert: Path
    ca_key: Path
    controller_key: Path
    controller_cert: Path
    switch_key: Path
    switch_cert: Path


def _openssl() -> str:
    found = shutil.which("openssl") or next(
        (p for p in ("/usr/bin/openssl", "/usr/local/bin/openssl") if os.access(p, os.X_OK)),
        None,
    )
    if found is None:
        raise LabError("the openssl command is not installed: apt-get install openssl")
    return found


def _key_args(algorithm: Literal["ec", "rsa"]) -> tuple[list[str], str]:
    """``openssl req`` arguments for a new key, and the key usage of a leaf certificate."""
    if algorithm == "ec":
        return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "digitalSignature"
    if algorithm == "rsa":
        # keyEncipherment: TLS 1.2 RSA key exchange, should a peer pick it.
        return ["-newkey", "rsa:2048"], "digitalSignature, keyEncipherment"
    raise LabError(f"algorithm must be 'ec' or 'rsa', not {algorithm!r}")


def make_pki(
    directory: str | os.PathLike[str],
    *,
    days: int = 3,
    algorithm: Literal["ec", "rsa"] = "ec",
) -> Pki:
    """Create a CA and two certificates it signed: one for the controller, one for the switch.

    Good for :meth:`Lab.set_ssl` (the switch's key, certificate and the CA) and
    for an :class:`ssl.SSLContext` of the controller (its key and certificate,
    the CA as verify location). Leaf certificates carry both ``serverAuth`` and
    ``clientAuth`` and the names ``CN``, ``localhost``, ``127.0.0.1``, ``::1``.

    Args:
        directory: created if needed; existing files of the same names are replaced.
        days: validity, starting now.
        algorithm: ``"ec"`` (P-256, fast to generate) or ``"rsa"`` (2048 bits).

    Returns:
        The paths of what was made.

    Raises:
        LabError: ``openssl`` is missing or failed.

    Example:
        >>> pki = make_pki(tmp_path)  # doctest: +SKIP
        >>> lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)  # doctest: +SKIP
    """
    if days < 1:
        raise LabError(f"days must be at least 1, not {days}")
    key_args, key_usage = _key_args(algorithm)
    openssl = _openssl()
    where = Path(directory).absolute()
    where.mkdir(parents=True, exist_ok=True)
    config = where / "openssl.cnf"
    config.write_text(_CONFIG, encoding="utf-8")
    env = dict(os.environ, OPENSSL_CONF=str(config), VLCP_LAB_KEY_USAGE=key_usage)
    pki = Pki(
        directory=where,
        ca_cert=where / "ca-cert.pem",
        ca_key=where / "ca-key.pem",
        controller_key=where / "controller-key.pem",
        controller_cert=where / "controller-cert.pem",
        switch_key=where / "switch-key.pem",
        switch_cert=where / "switch-cert.pem",
    )

    def run(args: list[str], what: str, common_name: str) -> None:
        run_command(
            [openssl, *args],
            env=dict(env, VLCP_LAB_CN=common_name),
            timeout=_TIMEOUT,
            what=what,
        )

    run(
        ["req", "-x509", "-config", str(config), *key_args, "-nodes", "-sha256",
         "-days", str(days), "-subj", f"/CN={_CA_NAME}", "-extensions", "ca",
         "-keyout", str(pki.ca_key), "-out", str(pki.ca_cert)],
        "creating the CA certificate failed", _CA_NAME,
    )  # fmt: skip
    leaves = (
        (CONTROLLER_NAME, pki.controller_key, pki.controller_cert),
        (SWITCH_NAME, pki.switch_key, pki.switch_cert),
    )
    for name, key, cert in leaves:
        request = where / f"{name}.csr"
        run(
            ["req", "-new", "-config", str(config), *key_args, "-nodes",
             "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(request)],
            f"creating the key of {name} failed", name,
        )  # fmt: skip
        run(
            ["x509", "-req", "-in", str(request), "-sha256", "-days", str(days),
             "-CA", str(pki.ca_cert), "-CAkey", str(pki.ca_key),
             "-set_serial", str(secrets.randbits(63) | 1),
             "-extfile", str(config), "-extensions", "leaf", "-out", str(cert)],
            f"signing the certificate of {name} failed", name,
        )  # fmt: skip
        request.unlink()
    for key in (pki.ca_key, pki.controller_key, pki.switch_key):
        key.chmod(0o600)
    return pki
