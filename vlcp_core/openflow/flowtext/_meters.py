"""Meters in ``ovs-ofctl`` syntax (``add-meter``, ``mod-meter``, ``del-meter``) and as
``dump-meters`` prints them.  Meters are OpenFlow 1.3 (``ovs-ofctl`` refuses them in
1.0).

Text: ``meter=ID`` (a number, or ``all``, ``controller``, ``slowpath``), the flags
``kbps`` or ``pktps`` (one is required), ``burst``, ``stats``, then ``bands=`` and
the bands, each starting with ``type=`` (``drop`` or ``dscp_remark``), with
``rate=``, ``burst_size=`` (required with the ``burst`` flag, refused without it)
and, for ``dscp_remark``, ``prec_level=``.  Commas, spaces and newlines separate
the items, so ``dump-meters`` output pastes back in.

Open vSwitch 3.1's userspace datapath accepts drop bands only (a ``dscp_remark``
band is refused with OFPMMFC_BAD_BAND); its meter features report kbps, pktps,
burst and stats.
"""

from __future__ import annotations

from vlcp_core.namedstruct import Struct

from .. import v13
from ._errors import FlowSyntaxError, suggest
from ._lexer import Piece, _pieces, split_top

__all__ = ["format_meter", "parse_meter"]

_COMMANDS = {"add": 0, "modify": 1, "delete": 2}
_FLAGS = {"kbps": 1 << 0, "pktps": 1 << 1, "burst": 1 << 2, "stats": 1 << 3}
_IDS = {"all": 0xFFFFFFFF, "controller": 0xFFFFFFFE, "slowpath": 0xFFFFFFFD}
_MAX_METER = 0xFFFF0000
_BAND_TYPES = {"drop": 1, "dscp_remark": 2}
_BAND_KEYS = ("type", "rate", "burst_size", "prec_level")


def _items(text: str, base: int = 1) -> list[Piece]:
    out: list[Piece] = []
    for item, column in _pieces(text, base, ", \t\r\n"):
        out += split_top(item, column)
    return out


def _number(p: Piece, bits: int) -> int:
    text = (p.value or "").strip()
    if p.value is None or not text:
        raise FlowSyntaxError(f"{p.key} needs a value ({p.key}=N)", column=p.column,
                              token=p.key)
    try:
        value = int(text, 0)
    except ValueError:
        raise FlowSyntaxError(f'bad number "{text}" for {p.key}', column=p.value_column,
                              token=text) from None
    if not 0 <= value < 1 << bits:
        raise FlowSyntaxError(f"{p.key}={text} is out of range (0 to {(1 << bits) - 1})",
                              column=p.value_column, token=text)
    return value


def _meter_id(p: Piece) -> int:
    name = (p.value or "").strip().lower()
    if name in _IDS:
        return _IDS[name]
    value = _number(p, 32)
    if value == 0 or value > _MAX_METER:
        raise FlowSyntaxError(f"invalid meter id {value} (1 to {_MAX_METER}, or all, "
                              "controller, slowpath)", column=p.value_column, token=p.value or "")
    return value


def _bands(pieces: list[Piece], flags: int) -> list[Struct]:
    bands: list[dict[str, int]] = []
    starts: list[Piece] = []
    for p in pieces:
        key = p.key.lower()
        if key not in _BAND_KEYS:
            raise FlowSyntaxError(f'unknown band keyword "{p.key}"', column=p.column,
                                  token=p.key, hint=suggest(key, _BAND_KEYS))
        if key == "type":
            kind = (p.value or "").strip().lower()
            if kind not in _BAND_TYPES:
                raise FlowSyntaxError(f'unknown band type "{p.value}"', column=p.value_column,
                                      token=p.value or "",
                                      hint=suggest(kind, _BAND_TYPES) or "drop or dscp_remark")
            bands.append({"type": _BAND_TYPES[kind]})
            starts.append(p)
            continue
        if not bands:
            raise FlowSyntaxError("a band starts with type=", column=p.column, token=p.key)
        if key in bands[-1]:
            raise FlowSyntaxError(f"{key} given twice in one band", column=p.column, token=p.key)
        if key == "prec_level" and bands[-1]["type"] != 2:
            raise FlowSyntaxError("prec_level is for dscp_remark bands", column=p.column,
                                  token=p.key)
        bands[-1][key] = _number(p, 8 if key == "prec_level" else 32)
    out: list[Struct] = []
    for band, start in zip(bands, starts, strict=True):
        if "rate" not in band:
            raise FlowSyntaxError("a band needs rate=", column=start.column, token="type")
        if "burst_size" in band and not flags & _FLAGS["burst"]:
            raise FlowSyntaxError("burst_size needs the burst flag", column=start.column,
                                  token="type")
        if "burst_size" not in band and flags & _FLAGS["burst"]:
            raise FlowSyntaxError("with the burst flag every band needs burst_size=",
                                  column=start.column, token="type")
        common = {"rate": band["rate"], "burst_size": band.get("burst_size", 0)}
        if band["type"] == 1:
            out.append(v13.ofp_meter_band_drop(**common))
        else:
            out.append(v13.ofp_meter_band_dscp_remark(prec_level=band.get("prec_level", 0),
                                                      **common))
    return out


def parse_meter(text: str, version: int = 4, command: str = "add") -> Struct:
    """The METER_MOD ``ovs-ofctl add-meter``/``mod-meter``/``del-meter`` sends for
    *text* (*command*: ``add``, ``modify``, ``delete``; a delete without ``meter=``
    deletes all meters).

    Example: ``parse_meter("meter=1,kbps,burst,bands=type=drop,rate=1000,burst_size=100")``.
    """
    if version != 4:
        raise ValueError("meters need OpenFlow 1.3 (version=4); Open vSwitch has no "
                         "OpenFlow 1.0 encoding for them")
    if command not in _COMMANDS:
        raise ValueError(f"unknown meter command {command!r} (add, modify, delete)")
    lowered = text.lower()
    at = lowered.find("bands")
    while at > 0 and lowered[at - 1] not in ", \t\r\n":
        at = lowered.find("bands", at + 1)
    band_text = None
    head = text
    if at >= 0 and text[at + 5:at + 6] in ("=", ":"):
        head, band_text = text[:at], text[at + 6:]
    meter_id: int | None = None
    flags = 0
    for p in _items(head):
        key = p.key.lower()
        if key == "meter":
            meter_id = _meter_id(p)
        elif key in _FLAGS and command != "delete":
            if p.value is not None:
                raise FlowSyntaxError(f"{key} is a flag and takes no value", column=p.column,
                                      token=p.key)
            flags |= _FLAGS[key]
        else:
            words = ["meter"] + ([] if command == "delete" else [*_FLAGS, "bands"])
            bare = p.value is None and key.isdigit()  # del-meters s1 5
            raise FlowSyntaxError(f'unknown keyword "{p.key}"' + (
                " in a delete" if command == "delete" and key in _FLAGS else ""),
                column=p.column, token=p.key,
                hint=f"did you mean meter={key}?" if bare else suggest(key, words))
    if command == "delete":
        if band_text is not None:
            raise FlowSyntaxError("a delete takes no bands", column=at + 1, token="bands")
        return v13.ofp_meter_mod(command=2, meter_id=_IDS["all"] if meter_id is None
                                 else meter_id)
    if meter_id is None:
        raise FlowSyntaxError("missing meter=ID", column=1, token="")
    if not flags & (_FLAGS["kbps"] | _FLAGS["pktps"]):
        raise FlowSyntaxError("a meter needs kbps or pktps", column=1, token="")
    if band_text is None or not band_text.strip():
        raise FlowSyntaxError("missing bands=type=drop,rate=N", column=len(text) + 1, token="")
    bands = _bands(_items(band_text, at + 7), flags)
    return v13.ofp_meter_mod(command=_COMMANDS[command], flags=flags, meter_id=meter_id,
                             bands=bands)


def _id_text(meter_id: int) -> str:
    for name, value in _IDS.items():
        if value == meter_id:
            return name
    return str(meter_id)


def _band_words(band: Struct, flags: int) -> list[str]:
    kind = int(band.type)
    words = ["type=" + {1: "drop", 2: "dscp_remark"}.get(kind, str(kind)),
             f"rate={band.rate}"]
    if flags & _FLAGS["burst"]:
        words.append(f"burst_size={band.burst_size}")
    if kind == 2:
        words.append(f"prec_level={band.prec_level}")
    return words


def format_meter(obj: Struct) -> str:
    """A METER_MOD as ``add-meter`` text (``meter=1,kbps,bands=type=drop,rate=5``), or a
    meter configuration entry (``ofp_meter_config``) exactly as ``ovs-ofctl
    dump-meters`` prints it: ``meter=1 kbps burst stats bands=`` then one
    ``type=drop rate=1000 burst_size=100`` line per band (``dump-meters`` puts an
    empty line between entries)."""
    flags = int(obj.flags)
    names = [name for name, bit in _FLAGS.items() if flags & bit]
    if type(obj) is v13.ofp_meter_config:
        lines = [" ".join([f"meter={_id_text(obj.meter_id)}", *names, "bands="])]
        lines += [" ".join(_band_words(b, flags)) for b in obj.bands]
        return "\n".join(lines)
    if type(obj) is v13.ofp_meter_mod:
        head = [f"meter={_id_text(obj.meter_id)}"]
        if int(obj.command) == 2:
            return head[0]
        bands = ",".join(",".join(_band_words(b, flags)) for b in obj.bands)
        return ",".join([*head, *names, "bands=" + bands])
    raise TypeError(f"format_meter takes ofp_meter_mod or ofp_meter_config, not "
                    f"{type(obj).__name__}")
