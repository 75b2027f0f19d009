"""Groups in ``ovs-ofctl`` syntax (``add-group``, ``mod-group``, ``del-groups``) and as
``dump-groups`` prints them.

Text: ``group_id=ID`` (a number up to 0xffffff00, or ``all``, ``any``), ``type=``
(``all``, ``select``, ``indirect``, ``ff`` or ``fast_failover``), then the buckets,
each ``bucket=`` followed by ``weight:N`` (select groups; default 1, and 0 for the
other types), ``watch_port:P``, ``watch_group:G`` and the actions (``actions=...``
or the actions directly: ``bucket=output:1``).  ``bucket_id:N`` is accepted and
ignored, as Open vSwitch does in 1.3; ``selection_method``, ``selection_method_param``
and ``fields`` (OpenFlow 1.5 extensions that Open vSwitch silently drops in 1.3) are
refused.  A delete takes ``group_id`` only (default: all groups).  ``add_or_modify``
is ``mod-group --may-create``: Open vSwitch's OFPGC_ADD_OR_MOD (0x8000), which
creates the group when it does not exist (a plain modify of a missing group fails
with OFPGMFC_UNKNOWN_GROUP).

OpenFlow 1.3 gives OFPT_GROUP_MOD.  OpenFlow 1.0 has no groups; ``ovs-ofctl`` sends
the Nicira extension NXT_GROUP_MOD there, which this module does not build
(``version=1`` raises ``ValueError``).
"""

from __future__ import annotations

from vlcp_core.namedstruct import Struct

from .. import v13
from ._actions import parse_actions
from ._actions_format import format_actions
from ._errors import FlowSyntaxError, suggest
from ._lexer import Piece, _pieces, split_top

__all__ = ["format_group", "parse_group"]

_COMMANDS = {"add": 0, "modify": 1, "delete": 2, "add_or_modify": 0x8000}
_TYPES = {"all": 0, "select": 1, "indirect": 2, "ff": 3, "fast_failover": 3}
_TYPE_NAMES = {0: "all", 1: "select", 2: "indirect", 3: "ff"}
_IDS = {"all": 0xFFFFFFFC, "any": 0xFFFFFFFF}
_MAX_GROUP = 0xFFFFFF00
_ANY = 0xFFFFFFFF
_OF15 = ("selection_method", "selection_method_param", "fields")
_BUCKET_KEYS = ("weight", "watch_port", "watch_group", "bucket_id")
_PORTS = {"any": _ANY, "none": _ANY}


def _fail(message: str, column: int, token: str, hint: str = "") -> FlowSyntaxError:
    return FlowSyntaxError(message, column=column, token=token, hint=hint)


def _number(text: str, what: str, column: int, bits: int = 32) -> int:
    t = text.strip()
    try:
        value = int(t, 0)
    except ValueError:
        raise _fail(f'bad number "{t}" for {what}', column, t) from None
    if not 0 <= value < 1 << bits:
        raise _fail(f"{what} {t} is out of range", column, t)
    return value


def _group_id(p: Piece) -> int:
    text = (p.value or "").strip()
    if text.lower() in _IDS:
        return _IDS[text.lower()]
    value = _number(text, "group_id", p.value_column)
    if value > _MAX_GROUP and value not in _IDS.values():
        raise _fail(f"invalid group id {text} (0 to 0xffffff00, all or any)", p.value_column,
                    text)
    return value


def _split_buckets(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The text before the first ``bucket=`` and each bucket's text with its column."""
    lowered = text.lower()
    starts: list[int] = []
    depth = 0
    for i, ch in enumerate(lowered):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and lowered.startswith("bucket", i) and \
                (i == 0 or lowered[i - 1] in ", \t") and lowered[i + 6:i + 7] in ("=", ":"):
            starts.append(i)
    if not starts:
        return text, []
    buckets = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        buckets.append((text[start + 7:end].rstrip(", \t"), start + 8))
    return text[:starts[0]], buckets


def _bucket(text: str, column: int, group_type: int) -> Struct:
    weight = 1 if group_type == 1 else 0
    watch_port, watch_group = _ANY, _ANY
    actions: list[tuple[str, int]] = []
    for item, col in _pieces(text, column, ","):
        stripped = item.strip()
        col += len(item) - len(item.lstrip())
        cut = min([i for i in (stripped.find(":"), stripped.find("="), stripped.find("("))
                   if i > 0] or [len(stripped)])
        key, value = stripped[:cut].lower(), stripped[cut + 1:]
        if key in ("actions", "action") and cut < len(stripped) and stripped[cut] != "(":
            actions.append((value, col + cut + 1))
        elif key in _BUCKET_KEYS:
            vcol = col + cut + 1
            if key == "weight":
                if group_type != 1:
                    raise _fail("only select groups have bucket weights", col, key)
                weight = _number(value, "weight", vcol, 16)
            elif key == "watch_port":
                port = value.strip().lower()
                if port in _PORTS:
                    watch_port = _PORTS[port]
                elif port.isdigit() or port.startswith("0x"):
                    watch_port = _number(value, "watch_port", vcol)
                else:
                    watch_port = -1
                if (watch_port >= 0xFF00 or watch_port < 0) and watch_port != _ANY:
                    raise _fail(f"{value}: invalid watch_port (a port number or ANY)", vcol,
                                value)
            elif key == "watch_group":
                watch_group = _IDS["any"] if value.strip().lower() == "any" else \
                    _number(value, "watch_group", vcol)
            # bucket_id: OpenFlow 1.5; ignored in 1.3, as Open vSwitch does
        else:
            actions.append((stripped, col))
    if group_type == 3 and watch_port == _ANY and watch_group == _ANY:
        raise _fail("a fast failover bucket needs watch_port or watch_group", column - 7,
                    "bucket")
    if not actions:
        made: list[Struct] = []
    else:
        joined = ",".join(a for a, _ in actions)
        parsed = parse_actions(joined, actions[0][1], 4)
        if any(type(i) is not v13.ofp_instruction_apply_actions for i in parsed.items):
            raise _fail("a bucket takes actions, not instructions", actions[0][1], joined)
        made = parsed.actions
    return v13.ofp_bucket(weight=weight, watch_port=watch_port, watch_group=watch_group,
                          actions=made)


def parse_group(text: str, version: int = 4, command: str = "add") -> Struct:
    """The GROUP_MOD ``ovs-ofctl add-group``/``mod-group``/``del-groups`` sends for
    *text* (*command*: ``add``, ``modify``, ``delete``, or ``add_or_modify`` for
    ``mod-group --may-create``).

    Example: ``parse_group("group_id=1,type=select,bucket=weight:100,actions=output:2")``.
    """
    if version != 4:
        raise ValueError("groups are built for OpenFlow 1.3 (version=4); in 1.0 Open "
                         "vSwitch uses NXT_GROUP_MOD, which is not supported here")
    if command not in _COMMANDS:
        raise ValueError(f"unknown group command {command!r} (add, modify, delete, "
                         "add_or_modify)")
    head, buckets = _split_buckets(text)
    group_id: int | None = None
    group_type: int | None = None
    for p in split_top(head):
        key = p.key.lower()
        if key == "group_id":
            group_id = _group_id(p)
        elif key == "type" and command != "delete":
            kind = (p.value or "").strip().lower()
            if kind not in _TYPES:
                raise _fail(f'unknown group type "{p.value}"', p.value_column, p.value or "",
                            suggest(kind, _TYPES) or "all, select, indirect or ff")
            group_type = _TYPES[kind]
        elif key in _OF15:
            raise _fail(f"{key} is OpenFlow 1.5 (Open vSwitch ignores it in 1.3)", p.column,
                        p.key)
        else:
            words = ["group_id"] + ([] if command == "delete" else ["type", "bucket"])
            bare = p.value is None and key.strip().isdigit()  # del-groups s1 5
            raise _fail(f'unknown keyword "{p.key}"', p.column, p.key,
                        f"did you mean group_id={key.strip()}?" if bare
                        else suggest(key, words))
    if command == "delete":
        if buckets:
            raise _fail("a delete takes no buckets", buckets[0][1] - 7, "bucket")
        return v13.ofp_group_mod(command=2, group_type=0,
                                 group_id=_IDS["all"] if group_id is None else group_id)
    if group_id is None:
        raise _fail("missing group_id=", 1, "")
    if group_type is None:
        raise _fail("missing type= (all, select, indirect or ff)", 1, "")
    return v13.ofp_group_mod(command=_COMMANDS[command], group_type=group_type,
                             group_id=group_id,
                             buckets=[_bucket(b, col, group_type) for b, col in buckets])


def _id_text(group_id: int) -> str:
    for name, value in _IDS.items():
        if value == group_id:
            return name
    return str(group_id)


def _bucket_text(bucket: Struct, group_type: int) -> str:
    words = []
    if bucket.weight != (1 if group_type == 1 else 0):
        words.append(f"weight:{bucket.weight}")
    if bucket.watch_port != _ANY:
        port = int(bucket.watch_port)
        words.append(f"watch_port:{port}")
    if bucket.watch_group != _ANY:
        words.append(f"watch_group:{bucket.watch_group}")
    words.append("actions=" + format_actions(list(bucket.actions), 4))
    return "bucket=" + ",".join(words)


def format_group(obj: Struct) -> str:
    """A GROUP_MOD as ``add-group`` text, or a group description entry
    (``ofp_group_desc``) exactly as ``ovs-ofctl --no-names dump-groups`` prints it
    (leading space included)."""
    if type(obj) is v13.ofp_group_desc:
        kind = int(obj.type)
        head = f" group_id={obj.group_id},type={_TYPE_NAMES.get(kind, str(kind))}"
        return ",".join([head, *(_bucket_text(b, kind) for b in obj.buckets)])
    if type(obj) is v13.ofp_group_mod:
        if int(obj.command) == 2:
            return f"group_id={_id_text(obj.group_id)}"
        kind = int(obj.group_type)
        head = f"group_id={_id_text(obj.group_id)},type={_TYPE_NAMES.get(kind, str(kind))}"
        return ",".join([head, *(_bucket_text(b, kind) for b in obj.buckets)])
    raise TypeError(f"format_group takes ofp_group_mod or ofp_group_desc, not "
                    f"{type(obj).__name__}")
