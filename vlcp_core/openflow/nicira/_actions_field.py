"""Nicira actions that read or write fields: load, move, output_reg, push/pop,
multipath, bundle, check_pkt_larger (see ``_actions`` for the design).

Subfields (``NXM_NX_REG0[0..15]``) are ``Subfield`` values (``_subfield``):
one field of the action holds the header and the bit range, however the
action packs them.  NXAST_REG_LOAD2 holds a whole OXM/NXM TLV (``ofp_oxm``),
the value and mask of a ``set_field``; NXAST_OUTPUT_REG2 keeps ``ofs_nbits``
and the header as two fields, the ``max_len`` lying between them.
"""

from __future__ import annotations

import enum
import re
from typing import Any

from vlcp_core.namedstruct import Display, array, hexa, pad, uint16, uint32, uint64

from .. import v10
from .._oxm import ofp_oxm
from ._actions import nx_action, nx_action_subtype
from ._subfield import (
    MoveDestination,
    MoveSource,
    OfsHeaderSubfield,
    OfsNbitsSubfield,
    OxmHeader,
    StackSubfield,
    nxm_header,
)

S = nx_action_subtype

__all__ = ["nx_bd_algorithm", "nx_hash_fields", "nx_mp_algorithm", "ofs_nbits"]


class nx_hash_fields(enum.IntEnum):
    """The fields hashed by multipath and bundle (``eth_src``, ``symmetric_l4``...)."""

    NX_HASH_FIELDS_ETH_SRC = 0
    NX_HASH_FIELDS_SYMMETRIC_L4 = 1
    NX_HASH_FIELDS_SYMMETRIC_L3L4 = 2
    NX_HASH_FIELDS_SYMMETRIC_L3L4_UDP = 3
    NX_HASH_FIELDS_NW_SRC = 4
    NX_HASH_FIELDS_NW_DST = 5
    NX_HASH_FIELDS_SYMMETRIC_L3 = 6


class nx_mp_algorithm(enum.IntEnum):
    """multipath algorithms."""

    NX_MP_ALG_MODULO_N = 0
    NX_MP_ALG_HASH_THRESHOLD = 1
    NX_MP_ALG_HRW = 2
    NX_MP_ALG_ITER_HASH = 3


class nx_bd_algorithm(enum.IntEnum):
    """bundle algorithms."""

    NX_BD_ALG_ACTIVE_BACKUP = 0
    NX_BD_ALG_HRW = 1


class _OfsNbits(Display):
    """``ofs_nbits`` shown as the bit range it encodes: ``[0..15]``."""

    name = "ofs_nbits"
    _RANGE = re.compile(r"^\[(\d+)(?:\.\.(\d+))?\]$")

    def text(self, value: Any) -> str:
        if not isinstance(value, int):
            return repr(value)
        start = value >> 6
        end = start + (value & 63)
        return f"[{start}]" if start == end else f"[{start}..{end}]"

    def from_text(self, text: str) -> int:
        m = self._RANGE.match(text.strip())
        if m is None:
            return int(text, 0)
        start = int(m.group(1))
        end = int(m.group(2) or start)
        if not 0 <= end - start < 64 or start > 1023:
            raise ValueError(f"{text!r} cannot be written as ofs_nbits")
        return start << 6 | (end - start)


ofs_nbits: Display = _OfsNbits()
"""Display of an ``ofs_nbits`` field: ``[START..END]``."""

_port16 = uint16(v10.ofp_port)

nx_action_reg_load = nx_action(
    "nx_action_reg_load", S.NXAST_REG_LOAD, (OfsNbitsSubfield(), "dst"), (uint64(hexa), "value"),
    doc="``load:VALUE->DST``; also what Open vSwitch sends for ``set_field`` of a "
        "register, or a masked one, in a session without OXM set_field.")
nx_action_reg_load2 = nx_action(
    "nx_action_reg_load2", S.NXAST_REG_LOAD2, (ofp_oxm, "field"),
    doc="``set_field:VALUE[/MASK]->FIELD`` as one OXM/NXM TLV (variable-length or "
        "experimenter fields, masked loads).")
nx_action_reg_move = nx_action(
    "nx_action_reg_move", S.NXAST_REG_MOVE, (MoveSource(), "src"), (MoveDestination(), "dst"),
    doc="``move:SRC->DST``; on the wire ``n_bits``, ``src_ofs``, ``dst_ofs`` then the two "
        "headers (4 or 8 bytes each).")
nx_action_output_reg = nx_action(
    "nx_action_output_reg", S.NXAST_OUTPUT_REG,
    (OfsNbitsSubfield(), "src"), (uint16, "max_len"), pad(6),
    defaults={"max_len": 0xFFFF},
    doc="``output:SRC``: output to the port number held in a subfield.")
nx_action_output_reg2 = nx_action(
    "nx_action_output_reg2", S.NXAST_OUTPUT_REG2,
    (uint16(ofs_nbits), "ofs_nbits"), (uint16, "max_len"), (OxmHeader(), "src"),
    defaults={"max_len": 0xFFFF},
    doc="``output:SRC`` for a field with an experimenter (8-byte) header.")
nx_action_stack_push = nx_action(
    "nx_action_stack_push", S.NXAST_STACK_PUSH, (StackSubfield(), "subfield"),
    doc="``push:SRC``: push a subfield on the stack.")
nx_action_stack_pop = nx_action(
    "nx_action_stack_pop", S.NXAST_STACK_POP, (StackSubfield(), "subfield"),
    doc="``pop:DST``: pop the stack into a subfield.")
nx_action_multipath = nx_action(
    "nx_action_multipath", S.NXAST_MULTIPATH,
    (uint16(nx_hash_fields), "fields"), (uint16, "basis"), pad(2),
    (uint16(nx_mp_algorithm), "algorithm"), (uint16, "max_link"), (uint32, "arg"), pad(2),
    (OfsNbitsSubfield(), "dst"),
    doc="``multipath(FIELDS,BASIS,ALGORITHM,N_LINKS,ARG,DST)``; ``max_link`` is "
        "N_LINKS - 1.")

_BUNDLE_HEAD = ((uint16(nx_bd_algorithm), "algorithm"), (uint16(nx_hash_fields), "fields"),
                (uint16, "basis"), (uint32(nxm_header), "member_type"),
                (uint16, "n_members"))
nx_action_bundle = nx_action(
    "nx_action_bundle", S.NXAST_BUNDLE, *_BUNDLE_HEAD,
    (uint16, "ofs_nbits"), (uint32(nxm_header), "dst"), pad(4),
    (array(_port16, count="n_members"), "members"),
    defaults={"member_type": 0x00000002},
    doc="``bundle(FIELDS,BASIS,ALGORITHM,ofport,members:P,...)``: ``member_type`` is "
        "NXM_OF_IN_PORT; ``ofs_nbits`` and ``dst`` are zero.")
nx_action_bundle_load = nx_action(
    "nx_action_bundle_load", S.NXAST_BUNDLE_LOAD, *_BUNDLE_HEAD,
    (OfsNbitsSubfield(), "dst"), pad(4), (array(_port16, count="n_members"), "members"),
    defaults={"member_type": 0x00000002},
    doc="``bundle_load(FIELDS,BASIS,ALGORITHM,ofport,DST,members:P,...)``.")
nx_action_check_pkt_larger = nx_action(
    "nx_action_check_pkt_larger", S.NXAST_CHECK_PKT_LARGER,
    (uint16, "pkt_len"), (OfsHeaderSubfield(1), "dst"),
    doc="``check_pkt_larger(LEN)->DST``: DST (one bit) = packet longer than ``pkt_len``.")
