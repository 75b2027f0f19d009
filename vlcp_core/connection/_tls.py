"""TLS contexts the way Open vSwitch's ``ssl:`` targets use them.

Both sides present a certificate and check the peer's against the CA certificate
(OVS's ``set-ssl KEY CERT CACERT``); host names are not checked, since switch and
controller certificates name devices, not DNS names.
"""

from __future__ import annotations

import ssl
from pathlib import Path

__all__ = ["tls_context"]


def tls_context(*, key: str | Path, cert: str | Path, ca: str | Path,
                server_side: bool) -> ssl.SSLContext:
    """An ``SSLContext`` presenting *cert* (with private *key*) and requiring a peer
    certificate signed by *ca*.  Raises ``ValueError`` naming the file that could
    not be loaded."""
    purpose = ssl.Purpose.CLIENT_AUTH if server_side else ssl.Purpose.SERVER_AUTH
    context = ssl.create_default_context(purpose)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(str(cert), str(key))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"cannot load certificate {cert} with key {key}: {exc}") from exc
    try:
        context.load_verify_locations(cafile=str(ca))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"cannot load CA certificate {ca}: {exc}") from exc
    return context
