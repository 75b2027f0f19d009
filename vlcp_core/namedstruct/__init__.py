"""namedstruct: binary structures written as data.

A struct is a sequence of ``(type, "name")`` pairs, close to the C header of a
spec; from that one definition you get a class whose instances parse, build,
dump to JSON-ready dicts, pretty-print and explain themselves byte by byte::

    from vlcp_core.namedstruct import nstruct, uint8, uint16, uint32, pad, mac_addr, char

    ofp_phy_port = nstruct(
        "ofp_phy_port",
        (uint16, "port_no"), (mac_addr, "hw_addr"), (char(16), "name"),
        (uint32(ofp_port_config), "config"), ...)

    port, size = ofp_phy_port.parse(data)      # None if data is incomplete
    port.config |= 1
    data = bytes(port)

See ``docs/architecture.md`` for the design.
"""

from ._display import Display, EnumDisplay, FlagsDisplay, hexa, ipv4, ipv6, mac
from ._dump import ExplainRow, dump, explain, explain_rows, load, pretty, subtype_named
from ._entries import align, bits, pad
from ._errors import (
    BuildError,
    DefinitionError,
    LengthError,
    NamedStructError,
    ParseError,
    TrailingDataError,
    TruncatedError,
)
from ._primitives import (
    array,
    char,
    cstring,
    int8,
    int16,
    int16le,
    int32,
    int32le,
    int64,
    int64le,
    ipv4_addr,
    ipv6_addr,
    mac_addr,
    optional,
    raw,
    uint8,
    uint16,
    uint16le,
    uint32,
    uint32le,
    uint64,
    uint64le,
)
from ._struct import Struct, embed, nstruct
from ._types import Length, Type

__all__ = [
    "BuildError",
    "DefinitionError",
    "Display",
    "EnumDisplay",
    "ExplainRow",
    "FlagsDisplay",
    "LengthError",
    "Length",
    "NamedStructError",
    "ParseError",
    "Struct",
    "TrailingDataError",
    "TruncatedError",
    "Type",
    "align",
    "array",
    "bits",
    "char",
    "cstring",
    "dump",
    "embed",
    "explain",
    "explain_rows",
    "hexa",
    "int8",
    "int16",
    "int16le",
    "int32",
    "int32le",
    "int64",
    "int64le",
    "ipv4",
    "ipv4_addr",
    "ipv6",
    "ipv6_addr",
    "load",
    "mac",
    "mac_addr",
    "nstruct",
    "optional",
    "pad",
    "pretty",
    "raw",
    "subtype_named",
    "uint8",
    "uint16",
    "uint16le",
    "uint32",
    "uint32le",
    "uint64",
    "uint64le",
]
