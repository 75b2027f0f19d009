"""The public entry points: parse, decode, dump and load any OpenFlow message.

The version byte picks the root (``v10.ofp_header`` or ``v13.ofp_header``),
which dispatches on the message type (and further: stats/multipart type,
experimenter...).  A version we do not know gives an ``ofp_unknown_version``
object that keeps the body and re-serializes identically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vlcp_core.namedstruct import (
    BuildError,
    Struct,
    TruncatedError,
    nstruct,
    subtype_named,
    uint8,
    uint16,
    uint32,
)
from vlcp_core.namedstruct import dump as ns_dump
from vlcp_core.namedstruct import load as ns_load
from vlcp_core.namedstruct._engine import parse_top
from vlcp_core.namedstruct._struct import StructType
from vlcp_core.namedstruct._types import Array

from . import v10, v13
from ._format import format_field, parse_field
from ._oxm import NXM_PREFER, OXM_PREFER, field_of, ofp_oxm, oxm_class_for

__all__ = ["decode_message", "dump", "load", "ofp_unknown_version", "parse_message", "root_for"]

ofp_unknown_version = nstruct(
    "ofp_unknown_version",
    (uint8, "version"), (uint8, "type"), (uint16, "length"), (uint32, "xid"),
    size="length",
    doc="A message of an OpenFlow version this library does not define: header and raw body.",
)

_ROOTS: dict[int, type[Struct]] = {v10.OFP_VERSION: v10.ofp_header,
                                   v13.OFP_VERSION: v13.ofp_header}


def root_for(version: int) -> type[Struct]:
    """The root struct of wire *version* (``ofp_unknown_version`` if not supported)."""
    return _ROOTS.get(version, ofp_unknown_version)


def parse_message(buf: bytes | bytearray | memoryview, offset: int = 0
                  ) -> tuple[Any, int] | None:
    """Parse one message at *offset*: ``(message, size)``, or ``None`` if *buf* ends first.

    The version is taken from the header; the result is the most specific class
    (``v13.ofp_flow_mod``...).  Raises ``ParseError`` (with a field path) for data that
    cannot be a message, such as a length field below 8.

    Example: ``msg, n = parse_message(data)``.
    """
    if len(buf) <= offset:
        return None
    root = _ROOTS.get(buf[offset], ofp_unknown_version)
    if buf.__class__ is bytes:  # the common case, without the generic entry point
        try:
            msg, end = root._dp(buf, offset, len(buf))
            return msg, end - offset
        except Exception:
            pass  # incomplete or malformed: parse_top says which, precisely
    return parse_top(root, buf, offset)


def decode_message(data: bytes | bytearray | memoryview) -> Any:
    """The message that *data* holds exactly; anything else raises ``ParseError``."""
    if not data:
        err = TruncatedError("an OpenFlow message needs at least 8 bytes, got 0", offset=0)
        err.push("ofp_header")
        raise err
    return _ROOTS.get(data[0], ofp_unknown_version).create(data)


# -- dump / load with OXM fields by name --------------------------------------------

_UNKNOWN_KEY = re.compile(r"^0x[0-9a-f]{4}:\d+$")
_NICIRA = "vlcp_core.openflow.nicira"


def _prefer_for(container: type[Struct]) -> tuple[int, ...]:
    """The encodings a container uses first: NXM in Nicira structures, else OXM."""
    return NXM_PREFER if container.__module__.startswith(_NICIRA) else OXM_PREFER


def _oxm_entry(oxm: Struct, prefer: tuple[int, ...]) -> tuple[str, Any]:
    f = field_of(type(oxm))
    if f is None:
        return f"{oxm.oxm_class:#06x}:{oxm.oxm_field}", ns_dump(oxm)
    mask = oxm.mask if oxm.oxm_hasmask else None
    usual = oxm_class_for(f.name, prefer)
    # The OVS name when this is the encoding the context uses anyway; otherwise the
    # spec name (NXM_OF_IP_DST), which loads back as exactly this encoding.
    key = f.name if usual is not None and usual[1] is type(oxm) else f.spec
    return key, format_field(f, oxm.value, mask)


def _oxms(items: list[Struct], prefer: tuple[int, ...]) -> Any:
    pairs = [_oxm_entry(o, prefer) for o in items]
    names = [k for k, _ in pairs]
    if len(set(names)) == len(names):
        return dict(pairs)
    return [{k: v} for k, v in pairs]  # a field twice: keep every one, in order


def _rewrite(obj: Struct, data: dict[str, Any]) -> None:
    for name, _ in obj._ns_info.fields:
        value = getattr(obj, name)
        if isinstance(value, ofp_oxm):
            k, v = _oxm_entry(value, _prefer_for(type(obj)))
            data[name] = {k: v}
        elif isinstance(value, Struct):
            _rewrite(value, data[name])
        elif isinstance(value, list) and value and all(isinstance(x, Struct) for x in value):
            if all(isinstance(x, ofp_oxm) for x in value):
                data[name] = _oxms(value, _prefer_for(type(obj)))
            else:
                for item, item_data in zip(value, data[name], strict=True):
                    _rewrite(item, item_data)


def dump(message: Struct) -> dict[str, Any]:
    """A JSON-ready dict of *message*: spec names for enums (``"OFPT_FLOW_MOD"``),
    formatted addresses, and OXM fields by their Open vSwitch name with the
    ``ovs-ofctl`` mask convention (``{"ip_dst": "10.0.0.0/24", "in_port": 1}``).

    ``load(dump(m)) == m``.
    """
    data = ns_dump(message)
    _rewrite(message, data)
    return data


def _oxm_data(key: str, value: Any, prefer: tuple[int, ...]) -> Any:
    if _UNKNOWN_KEY.match(key):
        return value
    found = oxm_class_for(key, prefer)
    if found is None:
        raise BuildError(f"unknown OXM field {key!r}")
    f, cls = found
    try:
        v, m = parse_field(f, value)
    except ValueError as e:
        raise BuildError(str(e)) from None
    out: dict[str, Any] = {"_type": cls._ns_info.name, "value": v,
                           "oxm_hasmask": 0 if m is None else 1}
    if m is not None:
        out["mask"] = m
    return out


def _oxm_list(data: Any, prefer: tuple[int, ...]) -> list[Any]:
    if isinstance(data, Mapping):
        return [_oxm_data(k, v, prefer) for k, v in data.items()]
    if isinstance(data, list):
        out = []
        for item in data:
            if not isinstance(item, Mapping) or len(item) != 1 or "_type" in item:
                out.append(item)
            else:
                (k, v), = item.items()
                out.append(_oxm_data(k, v, prefer))
        return out
    raise BuildError(f"expected OXM fields as a dict or list, got {type(data).__name__}")


def _unrewrite(cls: type[Struct], data: Mapping[str, Any]) -> dict[str, Any]:
    target = subtype_named(cls, data.get("_type", cls._ns_info.name)) or cls
    prefer = _prefer_for(target)
    out = dict(data)
    for name, t in target._ns_info.fields:
        if name not in out or out[name] is None:
            continue
        try:
            if isinstance(t, StructType) and issubclass(t.cls, ofp_oxm):
                value = out[name]
                if isinstance(value, Mapping) and "_type" not in value and len(value) == 1:
                    (k, v), = value.items()
                    out[name] = _oxm_data(k, v, prefer)
            elif isinstance(t, StructType) and isinstance(out[name], Mapping):
                out[name] = _unrewrite(t.cls, out[name])
            elif isinstance(t, Array) and isinstance(t.element, StructType):
                if issubclass(t.element.cls, ofp_oxm):
                    out[name] = _oxm_list(out[name], prefer)
                elif isinstance(out[name], list):
                    out[name] = [_unrewrite(t.element.cls, x) if isinstance(x, Mapping) else x
                                 for x in out[name]]
        except BuildError as e:
            e.push(name)
            raise
    return out


def load(data: Mapping[str, Any]) -> Any:
    """The message described by a ``dump()`` dict (``version`` picks the root).

    Raises ``BuildError`` with the path of a value that does not fit.
    """
    version = data.get("version")
    if not isinstance(version, int):
        raise BuildError("a message dict needs an integer 'version'")
    root = root_for(version)
    try:
        rewritten = _unrewrite(root, data)
    except BuildError as e:
        e.push(root._ns_info.name)
        raise
    return ns_load(root, rewritten)
