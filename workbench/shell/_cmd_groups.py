"""Group and meter commands in ``ovs-ofctl`` syntax and output (OpenFlow 1.3 only).

``add-group``, ``mod-group`` (``--may-create``), ``del-groups``, ``dump-groups``;
``add-meter``, ``mod-meter``, ``del-meters`` (also spelt ``del-meter``),
``dump-meters``.  The text goes through ``vlcp_core.openflow``'s flow language
(``parse_group``/``parse_meter`` with the command: ``add``, ``modify``, ``delete``,
``add_or_modify``); dumps print as ``ovs-ofctl -O OpenFlow13`` prints them.  Each
change is confirmed by a barrier, so a switch's OFPT_ERROR comes back as an error
naming its type and code (``OFPGMFC_UNKNOWN_GROUP`` for a ``mod-group`` of a group
that does not exist).  Deleting a group or meter that does not exist is no error,
in OpenFlow as in ``ovs-ofctl``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vlcp_core.controller import OpenFlowError
from vlcp_core.openflow import (
    FlowSyntaxError,
    format_group,
    format_meter,
    parse_group,
    parse_meter,
    v13,
)

from ._cmd_messages import (
    flow_error,
    refused,
    reply_header,
    stream_parts,
    switch_words,
    version_name,
)
from ._registry import CommandError, command
from ._render import Lines
from ._shell import Context

__all__: list[str] = []

_Parse = Callable[[str, int, str], Any]
_HINTS = {  # an error code -> what to tell the user
    "OFPGMFC_UNKNOWN_GROUP": "no such group on the switch (mod-group --may-create adds it)",
    "OFPMMFC_UNKNOWN_METER": "no such meter on the switch (add-meter adds it)",
    "OFPGMFC_GROUP_EXISTS": "the group exists (mod-group changes it)",
    "OFPMMFC_METER_EXISTS": "the meter exists (mod-meter changes it)",
}


def _need13(ctx: Context, switch: Any, what: str) -> None:
    if switch.version != 4:
        raise CommandError(f"{what} needs OpenFlow 1.3; switch "
                           f"{ctx.runtime.names.name(switch.datapath_id)} speaks OpenFlow "
                           f"{version_name(switch)}")


def _change(ctx: Context, args: list[str], name: str, usage: str, parse: _Parse,
            command: str, *, optional: bool = False, may_create: bool = False) -> None:
    """Parse the text after SW as ``ovs-ofctl NAME`` takes it and send it, confirmed."""
    flags = ("--may-create",) if may_create else ()
    switch, text, given = switch_words(ctx, args, f"{name} {usage}", text=not optional,
                                       flags=flags)
    _need13(ctx, switch, name)
    if given:
        command = "add_or_modify"
    what = name.split("-")[1].rstrip("s")  # group, meter
    try:
        message = parse(text, switch.version, command)
    except FlowSyntaxError as exc:
        raise flow_error(exc, text, what) from None
    try:
        ctx.call(switch.request(message))
    except OpenFlowError as exc:
        error = refused(ctx, switch, f"{name} {text!r}" if text else name, exc)
        hints = [hint for code, hint in _HINTS.items() if code in str(exc)]
        raise CommandError(f"{error}: {hints[0]}" if hints else str(error)) from None


def _one_switch(ctx: Context, args: list[str], name: str) -> Any:
    switch, _, _ = switch_words(ctx, args, f"{name} SW", text=False)
    _need13(ctx, switch, name)
    if len(args) > 1:
        raise CommandError(f"{name} takes one switch, got {' '.join(args)!r}")
    return switch


# -- groups ---------------------------------------------------------------------------------

@command("add-group", "SW GROUP", group="groups")
def add_group(ctx: Context, args: list[str]) -> Any:
    """Add a group written as ``ovs-ofctl add-group`` takes it (OpenFlow 1.3).

    GROUP: ``group_id=ID,type=all|select|indirect|ff`` then the buckets, each
    ``bucket=`` with ``weight:N``, ``watch_port:P``, ``watch_group:G`` and actions.

    Example: add-group s1 group_id=1,type=all,bucket=output:1,bucket=output:2
    """
    _change(ctx, args, "add-group", "SW GROUP", parse_group, "add")


@command("mod-group", "SW GROUP [--may-create]", group="groups")
def mod_group(ctx: Context, args: list[str]) -> Any:
    """Replace a group's type and buckets, as ``ovs-ofctl mod-group`` (OpenFlow 1.3).

    GROUP is written as for ``add-group``.  A group that does not exist is an
    error (OFPGMFC_UNKNOWN_GROUP); with ``--may-create`` it is added instead
    (Open vSwitch's OFPGC_ADD_OR_MOD).

    Example: mod-group s1 group_id=1,type=select,bucket=output:2,bucket=output:3
    """
    _change(ctx, args, "mod-group", "SW GROUP [--may-create]", parse_group, "modify",
            may_create=True)


@command("del-groups", "SW [group_id=ID]", group="groups")
def del_groups(ctx: Context, args: list[str]) -> Any:
    """Delete one group, or every group without ``group_id=`` (or with ``group_id=all``).

    As ``ovs-ofctl del-groups``: deleting a group that does not exist is no error;
    the flows that send to a deleted group are deleted with it (OpenFlow 1.3).

    Example: del-groups s1 group_id=1
    """
    _change(ctx, args, "del-groups", "SW [group_id=ID]", parse_group, "delete",
            optional=True)


@command("dump-groups", "SW", group="groups")
def dump_groups(ctx: Context, args: list[str]) -> Any:
    """The groups, as ``ovs-ofctl dump-groups`` prints them (OpenFlow 1.3).

    Example: dump-groups s1
    """
    switch = _one_switch(ctx, args, "dump-groups")
    return (Lines([reply_header("OFPST_GROUP_DESC", part, switch),
                   *map(format_group, part.stats)])
            for part in stream_parts(ctx, switch, v13.ofp_group_desc_request()))


# -- meters ---------------------------------------------------------------------------------

@command("add-meter", "SW METER", group="groups")
def add_meter(ctx: Context, args: list[str]) -> Any:
    """Add a meter written as ``ovs-ofctl add-meter`` takes it (OpenFlow 1.3).

    METER: ``meter=ID``, ``kbps`` or ``pktps``, optionally ``burst`` and ``stats``,
    then ``bands=`` with ``type=drop,rate=N`` (``burst_size=N`` with ``burst``).

    Example: add-meter s1 meter=1,kbps,bands=type=drop,rate=1000
    """
    _change(ctx, args, "add-meter", "SW METER", parse_meter, "add")


@command("mod-meter", "SW METER", group="groups")
def mod_meter(ctx: Context, args: list[str]) -> Any:
    """Replace a meter's flags and bands, as ``ovs-ofctl mod-meter`` (OpenFlow 1.3).

    METER is written as for ``add-meter``; a meter that does not exist is an error
    (OFPMMFC_UNKNOWN_METER).

    Example: mod-meter s1 meter=1,pktps,bands=type=drop,rate=50
    """
    _change(ctx, args, "mod-meter", "SW METER", parse_meter, "modify")


@command("del-meters", "SW [meter=ID]", group="groups")
@command("del-meter", "SW [meter=ID]", group="groups")
def del_meters(ctx: Context, args: list[str]) -> Any:
    """Delete one meter, or every meter without ``meter=`` (or with ``meter=all``).

    ``del-meter`` and ``del-meters`` are one command (``ovs-ofctl`` has had both
    names).  Deleting a meter that does not exist is no error; the flows that use a
    deleted meter are deleted with it (OpenFlow 1.3).

    Example: del-meters s1 meter=1
    """
    _change(ctx, args, "del-meters", "SW [meter=ID]", parse_meter, "delete", optional=True)


@command("dump-meters", "SW", group="groups")
def dump_meters(ctx: Context, args: list[str]) -> Any:
    """The meters, as ``ovs-ofctl dump-meters`` prints them (OpenFlow 1.3).

    Example: dump-meters s1
    """
    switch = _one_switch(ctx, args, "dump-meters")
    return (Lines([reply_header("OFPST_METER_CONFIG", part, switch),
                   *(["\n\n".join(map(format_meter, part.stats))] if part.stats else [])])
            for part in stream_parts(ctx, switch, v13.ofp_meter_config_request()))
