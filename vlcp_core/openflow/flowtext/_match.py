"""The match part of a flow, as ``ovs-ofctl`` reads it: ``parse_match``.

``parse_match(pieces, version)`` reads the pieces of a flow (``split_top``) into a
``MatchSpec``: the fields Open vSwitch would put on the wire, in its order
(``OVS_ORDER``), named canonically (``nw_dst`` becomes ``ip_dst`` with ``ip`` and
``arp_tpa`` with ``arp``; ``tp_src`` becomes ``tcp_src``, ``udp_src``, ``icmp_type``...
by protocol).  ``build_match`` and ``format_match`` (``_match_format``) turn it into
bytes and back into text.

What is accepted: Open vSwitch field names, their aliases and the legacy names
(``dl_src``, ``nw_dst``, ``tp_dst``, ``dl_vlan``...), spec names
(``NXM_OF_ETH_DST``, ``OXM_OF_IN_PORT``, case-insensitive), the protocol shorthands
of ``ovs-fields(7)`` (``eth ip ipv6 icmp icmp6 tcp tcp6 udp udp6 sctp sctp6 arp
rarp mpls mplsm``), ``packet_type=(NS,TYPE)``, ``value/mask`` and CIDR masks, flags
(``tcp_flags=+syn-ack``, ``ct_state=+trk-new`` and the exact ``fin|syn`` form), port
names (``LOCAL``, ``IN_PORT``, ``CONTROLLER``, ``ANY``/``NONE``...), ``field=*``
(wildcard).

Semantics follow Open vSwitch 3.1 (checked against ``ovs-ofctl``):

- VLAN: the match is on the 16-bit TCI, as in OVS.  ``dl_vlan=N`` sets the VID and
  the present bit (mask 0x1fff), ``dl_vlan=0xffff`` means "no VLAN" (TCI 0, mask
  0xffff), ``dl_vlan_pcp``/``vlan_pcp`` set the PCP and the present bit,
  ``vlan_vid=V/M`` sets the VID and present bits *literally* (``vlan_vid=5``
  without 0x1000 means VID 5 with no VLAN header, as in OVS; write ``dl_vlan=5`` or
  ``vlan_vid=0x1005``), ``vlan_tci=V/M`` replaces the whole TCI.  They apply in
  the order written.
- ``nw_tos`` is the DSCP byte (a multiple of 4), ``ip_dscp`` the shifted DSCP;
  ``xreg``/``xxreg`` are stored as their 32-bit ``reg`` pieces; ``ct_state`` and
  ``tun_flags`` given exactly get the mask of their defined flags (0xff, 0x1);
  ``tun_metadata`` takes the shortest length that holds value and mask; value
  bits outside the mask are cleared.  A zero mask means no match on the field.
- Whether OpenFlow 1.0 needs NXM (``MatchSpec.needs_nxm``): as ``ovs-ofctl``
  decides it, from the fields *as written* (``vlan_tci=0x1005/0x1fff`` needs NXM,
  ``dl_vlan=5`` does not) and IPv6 with L3/L4 fields.

Deliberate differences from Open vSwitch, which accepts these with at most a log
line and does something else than written:

- A field whose prerequisite is missing is REFUSED (OVS silently drops it, so
  ``nw_dst=10.0.0.1`` without ``ip`` becomes a match-all rule, or OVS refuses the
  rule on the switch); the error names what to add.  Likewise a protocol field of
  another protocol (``udp,tcp_src=80``, which OVS turns into ``udp_src``).
- A field given twice, or contradicting shorthands (``ip,ipv6``), is refused (OVS
  keeps the last one).
- Values OVS truncates are refused: ``dl_vlan=4096``, ``vlan_pcp=8``,
  ``arp_op=300``, ``nw_tos=17``.  Any mask on a field that has none is refused.
- In OpenFlow 1.3, a ``vlan_tci`` mask that OXM cannot carry (PCP bits without the
  present bit, or part of the PCP) is refused (OVS drops the PCP part).
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from .._oxm import field_named, oxm_class_for
from .._oxm_fields import OVS_ORDER, OXM_FIELDS, OxmField
from ._errors import FlowSyntaxError, suggest
from ._lexer import Piece
from ._match_prereq import IPV4, IPV6, prefix_len, resolve, slot

__all__ = ["MATCH_KEYWORDS_OTHER", "SHORTHANDS", "Match10", "MatchPrerequisiteError",
           "MatchSpec", "build_match", "format_match", "parse_match"]

#: Keys of a flow that are not match fields (left to the flow-level code).
MATCH_KEYWORDS_OTHER: frozenset[str] = frozenset({
    "table", "priority", "cookie", "idle_timeout", "hard_timeout", "importance",
    "send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts",
    "out_port", "out_group", "duration", "n_packets", "n_bytes", "idle_age", "hard_age",
    "actions"})

#: Protocol shorthands (ovs-fields(7), "Shorthands"): (eth_type, nw_proto or None).
SHORTHANDS: dict[str, tuple[int, int | None]] = {
    "ip": (0x0800, None), "ipv6": (0x86DD, None), "icmp": (0x0800, 1), "icmp6": (0x86DD, 58),
    "tcp": (0x0800, 6), "tcp6": (0x86DD, 6), "udp": (0x0800, 17), "udp6": (0x86DD, 17),
    "sctp": (0x0800, 132), "sctp6": (0x86DD, 132), "arp": (0x0806, None),
    "rarp": (0x8035, None), "mpls": (0x8847, None), "mplsm": (0x8848, None)}

TCP_FLAG_NAMES = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"]
CT_STATE_NAMES = ["new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"]
TUN_FLAG_NAMES = ["oam"]
_FLAG_NAMES = {"tcp_flags": TCP_FLAG_NAMES, "ct_state": CT_STATE_NAMES,
               "tun_flags": TUN_FLAG_NAMES}
# Mask an exact ct_state / tun_flags gets (the defined flags), as in OVS.
_EXACT_FLAG_MASK = {"ct_state": 0xFF, "tun_flags": 0x1}
# Largest mask (and value) each flag field accepts.
_FLAG_LIMIT = {"tcp_flags": 0xFFF, "ct_state": 0xFF, "tun_flags": 0x1}
_PORTS = {"IN_PORT": 0xFFFFFFF8, "TABLE": 0xFFFFFFF9, "NORMAL": 0xFFFFFFFA,
          "FLOOD": 0xFFFFFFFB, "ALL": 0xFFFFFFFC, "CONTROLLER": 0xFFFFFFFD,
          "LOCAL": 0xFFFFFFFE, "ANY": 0xFFFFFFFF, "NONE": 0xFFFFFFFF}
_FRAG_NAMES = {"no": (0, None), "first": (1, None), "later": (3, None), "yes": (1, 1),
               "not_later": (0, 2)}
# Upper bounds narrower than the field width (values OVS would truncate).
_RANGES = {"vlan_pcp": 7, "dl_vlan_pcp": 7, "ip_dscp": 63, "nw_ecn": 3, "ipv6_label": 0xFFFFF,
           "mpls_label": 0xFFFFF, "mpls_tc": 7, "mpls_bos": 1, "ip_frag": 3, "arp_op": 0xFF,
           "nw_tos": 0xFC}
# Fields OpenFlow 1.0 (ofp_match) can carry, by how they may be masked.
_OF10_EXACT = frozenset({"in_port", "eth_src", "eth_dst", "eth_type", "vlan_vid", "vlan_pcp",
                         "vlan_tci", "dl_vlan", "dl_vlan_pcp", "nw_tos", "ip_dscp", "nw_proto",
                         "arp_op", "tcp_src", "tcp_dst", "tp_src", "tp_dst", "udp_src",
                         "udp_dst", "icmp_type", "icmp_code", "packet_type"})
_OF10_CIDR = frozenset({"ip_src", "ip_dst", "arp_spa", "arp_tpa"})
_L3_SLOTS = frozenset({"nw_proto", "nw_tos", "tp_src", "tp_dst"})
_UNSUPPORTED = frozenset({"in_phy_port", "pbb_isid", "ipv6_exthdr"})

Field = tuple[str, Any, Any]


@dataclass(frozen=True)
class MatchSpec:
    """A parsed match.

    ``fields``: ``(name, value, mask)`` in Open vSwitch's wire order, ``name`` an OVS
    field name of the table (``ip_dst``, ``arp_spa``, ``tcp_src``, ``vlan_tci``,
    ``nw_tos`` (the DSCP byte), ``reg3``...) or ``packet_type`` (``eth`` or
    ``packet_type=(NS,TYPE)``: NS << 16 | TYPE); ``value`` an ``int`` (``bytes`` for
    ``tun_metadata``), ``mask`` ``None`` for an exact match.  ``in_port`` and
    ``actset_output`` use OpenFlow 1.1+ port numbers (LOCAL is 0xfffffffe).
    ``needs_nxm``: OpenFlow 1.0 must send it as NXM (NXT_FLOW_MOD), as ``ovs-ofctl``
    would.
    """

    fields: tuple[Field, ...] = ()
    needs_nxm: bool = False

    def get(self, name: str) -> Field | None:
        """The field called *name*, or ``None``."""
        for item in self.fields:
            if item[0] == name:
                return item
        return None

    @property
    def vlan(self) -> bool:
        """The match requires an 802.1Q header (the TCI's present bit is matched set)."""
        tci = self.get("vlan_tci")
        return tci is not None and bool(tci[1] & 0x1000)

    @property
    def ip_proto(self) -> int | None:
        """The IP protocol matched (``nw_proto`` with ``ip``/``ipv6``), else ``None``."""
        proto = self.get("nw_proto")
        return None if proto is None else int(proto[1])


class MatchPrerequisiteError(FlowSyntaxError):
    """A field whose prerequisite is missing: ``nw_dst at column 1 needs ip (or
    dl_type=0x0800): Open vSwitch would ignore it and match every packet``."""

    def __init__(self, name: str, column: int, needs: str, effect: str) -> None:
        self.field = name
        self.needs = needs
        self.effect = effect
        super().__init__(f"{name} needs {needs}", column=column, token=name)

    def __str__(self) -> str:
        return f"{self.field} at column {self.column} needs {self.needs}: {self.effect}"


# -- names --------------------------------------------------------------------------

_SPECIAL = {"tp_src", "tp_dst", "dl_vlan", "dl_vlan_pcp"}


def _row(name: str) -> OxmField:
    found = oxm_class_for(name)
    assert found is not None, name
    return found[0]


def _known_names() -> list[str]:
    names = set(SHORTHANDS) | _SPECIAL | {"eth", "packet_type"}
    for f in OXM_FIELDS:
        names.add(f.name)
        names.update(f.aliases)
    return sorted(names)


_KNOWN = _known_names()


def _canonical(key: str) -> str | None:
    """The OVS field a key names (``nw_dst`` -> ``ip_dst``; ``tp_src`` stays)."""
    if key in _SPECIAL:
        return key
    found = field_named(key)
    return found[0][0].name if found else None


# -- values -------------------------------------------------------------------------

_INT = re.compile(r"0[xX][0-9a-fA-F]+|[0-9]+")


def _int(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError("not a number (decimal or 0x hexadecimal)")
    return int(text, 0)


def _mac(text: str) -> int:
    parts = text.split(":")
    if len(parts) != 6 or not all(re.fullmatch(r"[0-9a-fA-F]{1,2}", p) for p in parts):
        raise ValueError("not a MAC address (like 00:11:22:33:44:55)")
    return int("".join(f"{int(p, 16):02x}" for p in parts), 16)


def _ip(text: str, mask: str, bits: int) -> tuple[int, int | None]:
    kind = ipaddress.IPv4Address if bits == 32 else ipaddress.IPv6Address
    try:
        value = int(kind(text))
        if not mask:
            return value, None
        if mask.isdigit():
            n = int(mask)
            if n > bits:
                raise ValueError(f"/{n} is longer than {bits} bits")
            return value, ((1 << bits) - 1) ^ ((1 << (bits - n)) - 1)
        return value, int(kind(mask))
    except ipaddress.AddressValueError as e:
        raise ValueError(f"not an IPv{4 if bits == 32 else 6} address ({e})") from None


def _port(text: str) -> int:
    name = text.upper().removeprefix("OFPP_")
    if name in _PORTS:
        return _PORTS[name]
    if not text.isdigit():
        raise ValueError(f"not a port (a number or {', '.join(list(_PORTS)[:-1])})")
    n = int(text)
    if 0xFF00 <= n <= 0xFFFF:  # the OpenFlow 1.0 reserved range, as OVS reads it
        return 0xFFFF0000 | n
    if n > 0xFFFFFFFF or 0xFFFF < n < 0xFFFFFF00:
        raise ValueError("port number out of range")
    return n


def _unknown_flag(word: str, names: list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.6)
    return f"unknown flag {word!r}; " + (f"did you mean {close[0]}?" if close
                                          else "one of " + ", ".join(names))


def _flags(name: str, text: str) -> tuple[int, int | None]:
    names = _FLAG_NAMES[name]
    if text[:1] in "+-":
        value = mask = 0
        for sign, word in re.findall(r"([+-])([^+-]*)", text):
            if word not in names:
                raise ValueError(_unknown_flag(word, names))
            bit = 1 << names.index(word)
            mask |= bit
            value |= bit if sign == "+" else 0
        if "".join(s + w for s, w in re.findall(r"([+-])([^+-]*)", text)) != text:
            raise ValueError("expected +flag or -flag")
        return value, mask
    value = 0
    for word in text.split("|"):
        if word not in names:
            raise ValueError(_unknown_flag(word, names))
        value |= 1 << names.index(word)
    return value, None


def _value(name: str, f: OxmField, text: str) -> tuple[Any, Any]:
    """(value, mask) of *text* for the typed field *name* (row *f*)."""
    head, slash, tail = text.partition("/")
    if slash and not tail:
        raise ValueError("empty mask after '/'")
    if f.variable:
        v = _int(head)
        m = _int(tail) if slash else None
        size = max(1, (v.bit_length() + 7) // 8, ((m or 0).bit_length() + 7) // 8)
        if size > f.size:
            raise ValueError(f"longer than {f.size} bytes")
        vb = (v & (m if m is not None else v)).to_bytes(size, "big")
        return vb, (m.to_bytes(size, "big") if m is not None else None)
    fmt = f.fmt
    if fmt in ("ipv4", "ipv6"):
        return _ip(head, tail, 32 if fmt == "ipv4" else 128)
    if fmt == "mac":
        return _mac(head), (_mac(tail) if slash else None)
    if fmt == "port":
        return _port(head), (_int(tail) if slash else None)
    if name in _FLAG_NAMES and not slash and head[:1] not in "0123456789":
        return _flags(name, head)
    if fmt == "frag" and head in _FRAG_NAMES and not slash:
        return _FRAG_NAMES[head]
    return _int(head), (_int(tail) if slash else None)


def _width(name: str, f: OxmField) -> int:
    if name in ("dl_vlan", "vlan_vid", "vlan_tci"):
        return 16
    return 8 * f.size


# -- the parser ---------------------------------------------------------------------

@dataclass
class _Set:
    """One field as written: typed name, value, mask, and where."""

    name: str
    value: Any
    mask: int | None
    piece: Piece


class _Parser:
    def __init__(self, version: int) -> None:
        self.version = version
        self.seen: dict[str, Piece] = {}  # slot -> first piece
        self.sets: list[_Set] = []
        self.eth_type: tuple[int, Piece] | None = None
        self.nw_proto: tuple[int, Piece] | None = None
        self.tci = 0
        self.tci_mask = 0
        self.vlan_piece: Piece | None = None
        self.needs_nxm = False
        self.packet_type: int | None = None

    def once(self, slot: str, piece: Piece) -> None:
        first = self.seen.get(slot)
        if first is not None:
            raise FlowSyntaxError(f"{piece.key} is set twice", column=piece.column,
                                  token=piece.key, hint=f"first at column {first.column}")
        self.seen[slot] = piece

    def selector(self, which: str, value: int, piece: Piece, how: str) -> None:
        current = self.eth_type if which == "eth_type" else self.nw_proto
        if current is not None:
            if current[0] != value:
                raise FlowSyntaxError(
                    f"{how} contradicts {current[1].key}", column=piece.column,
                    token=piece.key, hint=f"{current[1].key} at column {current[1].column} "
                                          f"already sets " + (f"dl_type={current[0]:#06x}"
                                                               if which == "eth_type" else
                                                               f"nw_proto={current[0]}"))
            return
        if which == "eth_type":
            self.eth_type = (value, piece)
        else:
            self.nw_proto = (value, piece)

    def piece(self, piece: Piece) -> None:
        key = piece.key.lower()
        if piece.value is None:
            if key in SHORTHANDS:
                self.once("shorthand " + key, piece)
                et, proto = SHORTHANDS[key]
                self.selector("eth_type", et, piece, key)
                if proto is not None:
                    self.selector("nw_proto", proto, piece, key)
                return
            if key == "eth":
                self.once("packet_type", piece)
                self.packet_type = 0
                return
            if _canonical(key) is not None:
                raise FlowSyntaxError(f'field "{piece.key}" needs a value', column=piece.column,
                                      token=piece.key, hint=f"write {piece.key}=VALUE")
            self.unknown(piece)
        if key == "packet_type":
            self.once("packet_type", piece)
            self.packet_type = _packet_type(piece)
            self.needs_nxm = True
            return
        name = _canonical(key)
        if name is None:
            self.unknown(piece)
        if name in _UNSUPPORTED:
            raise FlowSyntaxError(f"Open vSwitch cannot match {piece.key}",
                                  column=piece.column, token=piece.key)
        f = _row({"tp_src": "tcp_src", "tp_dst": "tcp_dst", "dl_vlan": "vlan_vid",
                  "dl_vlan_pcp": "vlan_pcp"}.get(name, name))
        where = slot(name)
        if where != "regs":
            self.once(where, piece)
        text = piece.value
        if text == "*":
            return
        try:
            value, mask = _value(name, f, text)
        except ValueError as e:
            raise FlowSyntaxError(f'bad value "{text}" for {piece.key}',
                                  column=piece.value_column, token=text, hint=str(e)) from None
        maskable = f.maskable and name not in ("dl_vlan", "dl_vlan_pcp")
        if mask is not None and not maskable:
            raise FlowSyntaxError(f"{piece.key} cannot be masked",
                                  column=piece.value_column + text.index("/"), token=text,
                                  hint=f"write {piece.key}={text.partition('/')[0]}")
        self.check_range(name, f, value, mask, piece)
        self.store(name, value, mask, piece)

    def unknown(self, piece: Piece) -> NoReturn:
        key = piece.key
        if key.lower() in MATCH_KEYWORDS_OTHER:
            raise FlowSyntaxError(f'"{key}" is not part of a match', column=piece.column,
                                  token=key)
        raise FlowSyntaxError(f'unknown field "{key}"', column=piece.column, token=key,
                              hint=suggest(key, _KNOWN))

    def check_range(self, name: str, f: OxmField, value: Any, mask: int | None,
                    piece: Piece) -> None:
        if isinstance(value, bytes):
            return
        width = _width(name, f)
        limit = _RANGES.get(name, (1 << width) - 1)
        if name == "dl_vlan":
            limit = 0xFFF if value != 0xFFFF else 0xFFFF
        elif name == "vlan_vid":
            limit = 0x1FFF
        elif name in _FLAG_LIMIT:
            limit = _FLAG_LIMIT[name]
        problem = ""
        if value > limit:
            problem = f"{piece.key} is 0 to {limit if limit < 256 else hex(limit)}"
            if name == "dl_vlan":
                problem = "dl_vlan is 0 to 4095, or 0xffff for no VLAN"
        elif name == "nw_tos" and value & 3:
            problem = "nw_tos is the DSCP byte (a multiple of 4); the ECN bits are nw_ecn"
        elif mask is not None and mask > (limit if name in _FLAG_LIMIT else (1 << width) - 1):
            problem = f"the mask is wider than {piece.key}"
        if problem:
            raise FlowSyntaxError(f'bad value "{piece.value}" for {piece.key}',
                                  column=piece.value_column, token=piece.value or "",
                                  hint=problem)

    def store(self, name: str, value: Any, mask: int | None, piece: Piece) -> None:
        f_name = {"tp_src": "tcp_src", "tp_dst": "tcp_dst"}.get(name, name)
        if name in ("dl_vlan", "dl_vlan_pcp", "vlan_vid", "vlan_pcp", "vlan_tci"):
            self.vlan(name, value, mask, piece)
            return
        if name in _OF10_EXACT:
            if mask is not None and mask != (1 << _width(name, _row(f_name))) - 1:
                self.needs_nxm = True
        elif name in _OF10_CIDR:
            if mask is not None and prefix_len(mask, 32) is None:
                self.needs_nxm = True
        elif mask != 0:
            self.needs_nxm = True
        if name == "ip_dscp":
            name, value = "nw_tos", value << 2
        if name == "eth_type":
            self.selector("eth_type", value, piece, piece.key)
            return
        if name == "nw_proto":
            self.selector("nw_proto", value, piece, piece.key)
            return
        m = re.fullmatch(r"(x{1,2})reg(\d)", name)
        if m:
            n = 2 * len(m[1])
            full = (1 << 32 * n) - 1
            mask_all = full if mask is None else mask
            for j in range(n):
                shift = 32 * (n - 1 - j)
                piece_mask = mask_all >> shift & 0xFFFFFFFF
                if piece_mask:
                    reg = f"reg{n * int(m[2]) + j}"
                    self.once(reg, piece)
                    self.sets.append(_Set(reg, value >> shift & piece_mask,
                                          None if piece_mask == 0xFFFFFFFF else piece_mask,
                                          piece))
            return
        if name.startswith("reg"):
            self.once(name, piece)
        if name in _EXACT_FLAG_MASK and mask is None:
            mask = _EXACT_FLAG_MASK[name]
        if isinstance(value, bytes):
            self.sets.append(_Set(name, value, mask, piece))
            return
        full = (1 << 8 * _row(f_name).size) - 1
        if name == "ip_frag" and mask == 3:
            mask = None
        if mask == full:
            mask = None
        if mask == 0:
            return
        self.sets.append(_Set(name, value if mask is None else value & mask, mask, piece))

    def vlan(self, name: str, value: int, mask: int | None, piece: Piece) -> None:
        if name == "vlan_tci":
            m = 0xFFFF if mask is None else mask
            self.tci, self.tci_mask = value & m, m
            if m != 0xFFFF:
                self.needs_nxm = True
        elif name == "dl_vlan" and value == 0xFFFF:
            self.tci, self.tci_mask = 0, 0xFFFF
        elif name == "dl_vlan":
            self.tci = (self.tci & ~0x0FFF) | value | 0x1000
            self.tci_mask |= 0x1FFF
        elif name in ("dl_vlan_pcp", "vlan_pcp"):
            self.tci = (self.tci & ~0xE000) | value << 13 | 0x1000
            self.tci_mask |= 0xF000
        else:  # vlan_vid: the VID and present bits, literally
            m = 0x1FFF if mask is None else mask & 0x1FFF
            if mask is not None and mask & 0x1FFF != 0x1FFF:
                self.needs_nxm = True
            self.tci = (self.tci & ~0x1FFF) | (value & m)
            self.tci_mask = m | (self.tci_mask & 0xE000)
        self.vlan_piece = piece

    def finish(self) -> MatchSpec:
        et = self.eth_type[0] if self.eth_type else None
        proto = self.nw_proto[0] if self.nw_proto else None
        fields: list[Field] = []
        if self.packet_type is not None and (self.packet_type or not self.eth_type):
            # OVS leaves out packet_type=(0,0) (Ethernet) when dl_type is matched.
            fields.append(("packet_type", self.packet_type, None))
        if self.eth_type:
            fields.append(("eth_type", et, None))
        if self.nw_proto:
            piece = self.nw_proto[1]
            if piece.value is not None:  # written as nw_proto=N, not by a shorthand
                self.sets.append(_Set("nw_proto", proto, None, piece))
            elif et in (IPV4, IPV6):
                fields.append(("nw_proto", proto, None))
        if self.tci_mask:
            tci, mask = self.tci & self.tci_mask, self.tci_mask
            if self.version != 1:
                pcp_mask = mask & 0xE000
                if pcp_mask not in (0, 0xE000) or (pcp_mask and not mask & 0x1000):
                    assert self.vlan_piece is not None
                    raise FlowSyntaxError(
                        f"vlan_tci={tci:#06x}/{mask:#06x} cannot be sent in OpenFlow 1.3",
                        column=self.vlan_piece.column, token=self.vlan_piece.key,
                        hint="OXM matches the PCP only whole and with the VLAN present bit "
                             "(0x1000); use OpenFlow 1.0 (NXM) or dl_vlan_pcp")
            fields.append(("vlan_tci", tci, None if mask == 0xFFFF else mask))
        ct_state = next(((s.value, s.mask) for s in self.sets if s.name == "ct_state"), None)
        others = len(self.sets) + len(fields) > 1
        names = {s.name for s in self.sets}
        tp_src = next((s.value for s in self.sets if s.name in ("tp_src", "icmp_type",
                                                                 "icmpv6_type")), None)
        tp_dst = next((s.value for s in self.sets if s.name in ("tp_dst", "icmp_code",
                                                                 "icmpv6_code")), 0)
        for s in self.sets:
            out = resolve(s.name, et, proto, tp_src, tp_dst, ct_state, names)
            if isinstance(out, tuple):
                needs, effect = out
                legacy = {"tp_src": "tp_src", "tp_dst": "tp_dst", "nw_src": "ip_src",
                          "nw_dst": "ip_dst", "nw_proto": "nw_proto"}.get(slot(s.name))
                instead = legacy and resolve(legacy, et, proto, tp_src, tp_dst, ct_state,
                                              names)
                if effect == "" and isinstance(instead, str) and instead != s.name:
                    effect = f"Open vSwitch would match it as {instead} instead"
                elif effect == "":
                    effect = ("Open vSwitch would ignore it and match "
                              + ("more packets than intended" if others else "every packet"))
                raise MatchPrerequisiteError(s.piece.key, s.piece.column, needs, effect)
            fields.append((out, s.value, s.mask))
            if et == IPV6 and slot(s.name) in _L3_SLOTS:
                self.needs_nxm = True
        if et == IPV6 and self.nw_proto is not None:
            self.needs_nxm = True
        order = {name: i for i, name in enumerate(["packet_type", *OVS_ORDER])}
        fields.sort(key=lambda item: order.get(item[0], len(order)))
        return MatchSpec(tuple(fields), self.needs_nxm)


def _packet_type(piece: Piece) -> int:
    """``packet_type=(NS,TYPE)`` as NS << 16 | TYPE."""
    text = piece.value or ""
    found = re.fullmatch(r"\(\s*(\w+)\s*,\s*(\w+)\s*\)", text)
    try:
        if not found:
            raise ValueError("expected (namespace,type), like (0,0) or (1,0x894f)")
        ns, kind = _int(found[1]), _int(found[2])
        if ns > 0xFFFF or kind > 0xFFFF:
            raise ValueError("namespace and type are 16-bit numbers")
    except ValueError as e:
        raise FlowSyntaxError(f'bad value "{text}" for {piece.key}', column=piece.value_column,
                              token=text, hint=str(e)) from None
    return ns << 16 | kind


def parse_match(pieces: list[Piece], version: int, *, skip_other: bool = False) -> MatchSpec:
    """The match of *pieces* (from ``split_top``/``split_flow``) for OpenFlow *version*
    (1 or 4).  With *skip_other*, keys of ``MATCH_KEYWORDS_OTHER`` (``priority``,
    ``table``, ``cookie``...) are skipped for the caller; otherwise they are errors.

    Raises:
        FlowSyntaxError: with the column of the offending token (see module doc);
            ``MatchPrerequisiteError`` for a missing prerequisite.
    """
    if version not in (1, 4):
        raise ValueError(f"OpenFlow wire version {version} is not supported (use 1 or 4)")
    parser = _Parser(version)
    for piece in pieces:
        if skip_other and piece.key.lower() in MATCH_KEYWORDS_OTHER:
            continue
        parser.piece(piece)
    return parser.finish()


# The other half (bytes and text) lives in _match_format, which imports this module.
from ._match_format import Match10, build_match, format_match  # noqa: E402
