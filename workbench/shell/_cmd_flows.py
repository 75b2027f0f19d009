"""Flow commands in ``ovs-ofctl`` syntax and output: tables, ports, flows (groups and
meters are in ``_cmd_groups``).

The flow text goes through ``vlcp_core.openflow``'s flow language (``parse_flow``,
``parse_match_request``) in the switch's version; statistics are printed as
``ovs-ofctl`` prints them, one header per reply part (``OFPST_FLOW reply (OF1.3)
(xid=0x5): flags=[more]``).  Dumps are streamed: each
part is printed as it arrives (``Switch.stream``: a slow reader pauses the switch
instead of buffering).  Changes are sent with ``Switch.request``, so a switch's
OFPT_ERROR comes back as an error naming its type, code and the request.

Also the ``expect flows`` and ``expect flow`` assertions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vlcp_core.controller import OpenFlowError
from vlcp_core.openflow import (
    FlowSyntaxError,
    format_flow,
    parse_flow,
    parse_match_request,
    v13,
)
from vlcp_core.openflow.flowtext import flow_preamble, flow_stats_lines, format_duration
from vlcp_core.openflow.nicira import messages10

from ._cmd_messages import (
    SPECIAL_PORTS,
    flow_error,
    port_number,
    refused,
    reply_header,
    send_requests,
    stream_parts,
    switch_words,
)
from ._expect import eventually, expectation
from ._registry import CommandError, command
from ._render import Lines
from ._shell import Context

__all__ = ["flow_entries"]

_ALL64 = 0xFFFFFFFFFFFFFFFF
_BATCH = 1000  # flow mods per barrier in add-flows (the loop serves others in between)


# -- tables and ports --------------------------------------------------------------------

_WILDCARDS10 = [  # OpenFlow 1.0 wildcard bits in the order ovs-ofctl lists the fields
    ("in_port", 1 << 0), ("eth_src", 1 << 2), ("eth_dst", 1 << 3), ("eth_type", 1 << 4),
    ("vlan_vid", 1 << 1), ("vlan_pcp", 1 << 20), ("ip_src", 0x3F << 8),
    ("ip_dst", 0x3F << 14), ("nw_proto", 1 << 5), ("nw_tos", 1 << 21),
    ("tcp_src", 1 << 6), ("tcp_dst", 1 << 7)]


def _grouped(fields: list[str]) -> str:
    """``eth_src eth_dst eth_type`` -> ``eth_{src,dst,type}``, as ``ovs-ofctl`` lists them."""
    out: list[str] = []
    runs: list[tuple[str, list[str]]] = []
    for field in fields:
        prefix, _, rest = field.partition("_")
        if runs and runs[-1][0] == prefix and rest:
            runs[-1][1].append(rest)
        else:
            runs.append((prefix, [rest] if rest else []))
    for prefix, rests in runs:
        if len(rests) > 1:
            out.append(f"{prefix}_{{{','.join(rests)}}}")
        else:
            out.append(f"{prefix}_{rests[0]}" if rests else prefix)
    return " ".join(out)


def _table_blocks(stats: list[Any], version: int) -> list[str]:
    blocks: list[str] = []
    previous: tuple[Any, ...] | None = None
    features: tuple[int, int] | None = None
    run: list[int] = []

    def close_run() -> None:
        if run:
            blocks.append(f"  table {run[0]}: ditto" if len(run) == 1
                          else f"  tables {run[0]}...{run[-1]}: ditto")
            run.clear()

    for table in stats:
        counts = (table.active_count, table.lookup_count, table.matched_count)
        mine = (int(table.wildcards), table.max_entries) if version == 1 else None
        key = (counts, mine)
        if key == previous:
            run.append(table.table_id)
            continue
        close_run()
        previous = key
        lines = [f"  table {table.table_id}:",
                 f"    active={counts[0]}, lookup={counts[1]}, matched={counts[2]}"]
        if mine is not None:
            if mine == features:
                lines.append("    (same features)")
            else:
                fields = [name for name, bits in _WILDCARDS10 if mine[0] & bits == bits]
                lines += [f"    max_entries={mine[1]}", "    matching:",
                          f"      exact match or wildcard: {_grouped(fields)}"]
            features = mine
        blocks.append("\n".join(lines))
    close_run()
    return blocks


@command("tables", "SW", group="flows")
def tables(ctx: Context, args: list[str]) -> Any:
    """Table statistics, as ``ovs-ofctl dump-tables`` prints them.

    Tables whose counters (and, in 1.0, features) repeat the previous one's are
    shown as ``ditto``.

    Example: tables s1
    """
    switch, _, _ = switch_words(ctx, args, "tables SW", text=False)
    if len(args) > 1:
        raise CommandError(f"tables takes one switch, got {' '.join(args)!r}")
    request = switch.module.ofp_table_stats_request()
    return (Lines([reply_header("OFPST_TABLE", part, switch),
                   "\n\n".join(_table_blocks(list(part.stats), switch.version))])
            for part in stream_parts(ctx, switch, request))


def _count(value: int) -> str:
    return "?" if value == _ALL64 else str(value)


def _port_label(number: int, version: int) -> str:
    for name, numbers in SPECIAL_PORTS.items():
        if numbers[0 if version == 1 else 1] == number and name != "NONE":
            return name
    return str(number)


def _port_block(entry: Any, version: int) -> list[str]:
    c = _count
    lines = [f"  port {_port_label(entry.port_no, version):>2}: rx pkts={c(entry.rx_packets)}, "
             f"bytes={c(entry.rx_bytes)}, drop={c(entry.rx_dropped)}, "
             f"errs={c(entry.rx_errors)}, frame={c(entry.rx_frame_err)}, "
             f"over={c(entry.rx_over_err)}, crc={c(entry.rx_crc_err)}",
             f"           tx pkts={c(entry.tx_packets)}, bytes={c(entry.tx_bytes)}, "
             f"drop={c(entry.tx_dropped)}, errs={c(entry.tx_errors)}, "
             f"coll={c(entry.collisions)}"]
    if version == 4 and entry.duration_sec != 0xFFFFFFFF:
        lines.append("           duration="
                     f"{format_duration(entry.duration_sec, entry.duration_nsec)}")
    return lines


@command("dump-ports", "SW [PORT]", group="flows")
def dump_ports(ctx: Context, args: list[str]) -> Any:
    """Port statistics, as ``ovs-ofctl dump-ports`` prints them (``?``: not counted).

    PORT: a number, ``LOCAL``, or the port's name; all ports without it.

    Example: dump-ports s1 s1-eth1
    """
    switch, text, _ = switch_words(ctx, args, "dump-ports SW [PORT]", text=False)
    if len(args) > 2:
        raise CommandError(f"dump-ports takes a switch and one port, got {text!r}")
    port = port_number(ctx, switch, text) if text else SPECIAL_PORTS["ANY"][
        0 if switch.version == 1 else 1]
    request = switch.module.ofp_port_stats_request(port_no=port)
    return _port_parts(ctx, switch, request, text)


def _port_parts(ctx: Context, switch: Any, request: Any, text: str) -> Iterator[Lines]:
    try:
        for part in stream_parts(ctx, switch, request):
            lines = [reply_header("OFPST_PORT", part, switch, f" {len(part.stats)} ports")]
            for entry in part.stats:
                lines += _port_block(entry, switch.version)
            yield Lines(lines)
    except OpenFlowError as exc:
        raise refused(ctx, switch, f"dump-ports {text}".rstrip(), exc) from None


# -- flows ----------------------------------------------------------------------------------

def _parse(text: str, version: int, command: str) -> Any:
    try:
        return parse_flow(text, version, command)
    except FlowSyntaxError as exc:
        raise flow_error(exc, text) from None


def _flow_mod(ctx: Context, args: list[str], usage: str, command: str,
              strict: str | None = None) -> None:
    flags = ("--strict",) if strict else ()
    empty_ok = command == "delete"
    switch, text, given = switch_words(ctx, args, usage, text=not empty_ok, flags=flags)
    if given:
        command = strict or command
    message = _parse(text, switch.version, command)
    what = f"{usage.split()[0]} {text!r}" if text else usage.split()[0]
    send_requests(ctx, switch, [*flow_preamble(message), message], what)


@command("add-flow", "SW FLOW", group="flows")
def add_flow(ctx: Context, args: list[str]) -> Any:
    """Add a flow written as ``ovs-ofctl add-flow`` takes it (in the switch's version).

    The flow may be one word or several (joined with spaces); a bad flow shows the
    column, a refusal from the switch its error type and code.

    Example: add-flow s1 priority=10,in_port=1,actions=output:2
    """
    _flow_mod(ctx, args, "add-flow SW FLOW", "add")


@command("mod-flows", "SW FLOW [--strict]", group="flows")
def mod_flows(ctx: Context, args: list[str]) -> Any:
    """Change the actions of the flows that match (``--strict``: exactly, priority too).

    Example: mod-flows s1 in_port=1,actions=output:3
    """
    _flow_mod(ctx, args, "mod-flows SW FLOW [--strict]", "modify", "modify_strict")


@command("del-flows", "SW [MATCH] [--strict]", group="flows")
def del_flows(ctx: Context, args: list[str]) -> Any:
    """Delete the flows that match (all without MATCH; ``--strict``: exactly, priority too).

    Example: del-flows s1 --strict priority=10,in_port=1
    """
    _flow_mod(ctx, args, "del-flows SW [MATCH] [--strict]", "delete", "delete_strict")


def _read_flows(path: Path, version: int) -> list[tuple[int, Any]]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not text: {exc.reason} at byte {exc.start}") from None
    flows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            flows.append((number, parse_flow(line, version, "add")))
        except FlowSyntaxError as exc:
            raise CommandError(f"{path}:{number}: column {exc.column}: {exc.message}"
                               + (f" ({exc.hint})" if exc.hint else "")
                               + f"\n  {line}\n  {' ' * (exc.column - 1)}^") from None
    return flows


@command("add-flows", "SW FILE", group="flows")
def add_flows(ctx: Context, args: list[str]) -> Any:
    """Add the flows of a file: one per line, ``#`` comments and blank lines skipped.

    Every line is read first (a bad one names FILE:LINE and the column, and nothing
    is sent); then the flows go in batches, each confirmed by a barrier.  Flows the
    switch refuses are listed with their line.

    Example: add-flows s1 commands/firewall.flows
    """
    switch, text, _ = switch_words(ctx, args, "add-flows SW FILE")
    if len(args) != 2:
        raise CommandError(f"add-flows takes a switch and one file, got {text!r}")
    path = Path(text)
    flows = _read_flows(path, switch.version)
    preamble: list[Any] = []
    for _, message in flows:
        for first in flow_preamble(message):
            if all(type(first) is not type(p) for p in preamble):
                preamble.append(first)
    send_requests(ctx, switch, preamble, f"the preamble of {path}")
    failures: list[str] = []
    for start in range(0, len(flows), _BATCH):
        batch = flows[start:start + _BATCH]
        results = ctx.call(switch.send_batch([message for _, message in batch]))
        for (number, _), result in zip(batch, results, strict=True):
            if isinstance(result, OpenFlowError):
                failures.append(f"{path}:{number}: {result}")
            elif isinstance(result, BaseException):
                raise result
    if failures:
        more = f"\n  ... and {len(failures) - 5} more" if len(failures) > 5 else ""
        raise CommandError(
            f"switch {ctx.runtime.names.name(switch.datapath_id)} refused "
            f"{len(failures)} of {len(flows)} flows:\n  " + "\n  ".join(failures[:5]) + more)
    return None


def _flow_request(switch: Any, text: str) -> tuple[Any, list[Any]]:
    try:
        request = parse_match_request(text, switch.version)
    except FlowSyntaxError as exc:
        raise flow_error(exc, text, "match") from None
    return request, flow_preamble(request)


def _flow_name(switch: Any) -> str:
    return "OFPST_FLOW" if switch.version == 4 else "NXST_FLOW"


def flow_entries(ctx: Context, switch: Any, text: str) -> Iterator[tuple[Any, list[Any]]]:
    """``(part, entries)`` of ``dump-flows SW text``, as the parts arrive (the text is
    read at once: a bad one raises before anything is sent)."""
    request, preamble = _flow_request(switch, text)
    return _flow_parts(ctx, switch, request, preamble, text)


def _flow_parts(ctx: Context, switch: Any, request: Any, preamble: list[Any],
                text: str) -> Iterator[tuple[Any, list[Any]]]:
    try:
        for part in stream_parts(ctx, switch, request, preamble):
            yield part, list(part.stats)
    except OpenFlowError as exc:
        raise refused(ctx, switch, f"dump-flows {text}".rstrip(), exc) from None


@command("dump-flows", "SW [MATCH]", group="flows")
def dump_flows(ctx: Context, args: list[str]) -> Any:
    """The flows, exactly as ``ovs-ofctl dump-flows`` prints them, as they arrive.

    Each reply part is printed as the switch sends it (OpenFlow 1.0: NXST_FLOW, as
    ovs-ofctl asks).  MATCH narrows them: ``table=``, ``cookie=V/M``, ``out_port=``, match fields.

    Example: dump-flows s1 table=0,ip
    """
    switch, text, _ = switch_words(ctx, args, "dump-flows SW [MATCH]", text=False)
    name = _flow_name(switch)
    request, preamble = _flow_request(switch, text)
    return _dump_lines(ctx, switch, name, request, preamble, text)


def _dump_lines(ctx: Context, switch: Any, name: str, request: Any, preamble: list[Any],
                text: str) -> Iterator[Lines]:
    # The parts stay bytes on the loop's thread; this thread prints them straight
    # from the bytes (flow_stats_lines), the fast path for dumps of 100,000 flows.
    try:
        for frame in stream_parts(ctx, switch, request, preamble, raw=True):
            yield Lines([reply_header(name, frame, switch), *flow_stats_lines(frame)])
    except OpenFlowError as exc:
        raise refused(ctx, switch, f"dump-flows {text}".rstrip(), exc) from None


# -- expectations ---------------------------------------------------------------------------

def _shown(lines: list[str], limit: int = 10) -> str:
    if not lines:
        return ""
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    return ":\n  " + "\n  ".join(line.strip() for line in lines[:limit]) + more


@expectation("flows")
def _expect_flows(ctx: Context, args: list[str]) -> None:
    usage = "expect flows SW count=N [MATCH] [within Ns]"

    def check(words: list[str]) -> str | None:
        counts = [word for word in words if word.startswith("count=")]
        if len(counts) != 1:
            raise CommandError(f"give count=N once: usage: {usage}")
        try:
            wanted = int(counts[0][len("count="):])
        except ValueError:
            raise CommandError(f"{counts[0]!r}: the count is not a number") from None
        switch, text, _ = switch_words(ctx, [w for w in words if w != counts[0]], usage,
                                       text=False)
        lines = [format_flow(entry) for _, entries in flow_entries(ctx, switch, text)
                 for entry in entries]
        if len(lines) == wanted:
            return None
        where = f" matching {text!r}" if text else ""
        return (f"expected {wanted} flows on {words[0]}{where}, found "
                f"{len(lines)}{_shown(lines)}")

    eventually(args, check)


_PRIORITY = re.compile(r"(^|[,\s])priority=([^,\s]*)")


def _match_key(entry: Any) -> str:
    """The match as ``dump-flows`` prints it for *entry* (its priority aside)."""
    bare = format_flow(type(entry)(match=entry.match))
    empty = format_flow(type(entry)())
    return bare[len(empty) - len("actions=drop"):-len("actions=drop")].strip()


@expectation("flow")
def _expect_flow(ctx: Context, args: list[str]) -> None:
    eventually(args, lambda words: _flow_problem(ctx, words))


def _flow_problem(ctx: Context, args: list[str]) -> str | None:
    """None when a flow ``expect flow`` describes is there, else what was found."""
    usage = ("expect flow SW MATCH [within Ns] (with priority=N and actions=... to check "
             "them too)")
    switch, text, _ = switch_words(ctx, args, usage, text=True)
    match_text, _, actions = text.partition("actions=")
    priority: int | None = None
    found = _PRIORITY.search(match_text)
    if found:
        try:
            priority = int(found.group(2), 0)
        except ValueError:
            raise CommandError(f"priority={found.group(2)!r} is not a number") from None
        start, end = found.span(2)
        match_text = match_text[:start - len("priority=")] + " " * (
            end - start + len("priority=")) + match_text[end:]
    match_text = match_text.rstrip(", ")
    request, _ = _flow_request(switch, match_text)
    want_actions = None
    if actions:
        want_actions = format_flow(_parse(f"actions={actions}", switch.version, "add")) \
            .split("actions=", 1)[1]
    entry_type = v13.ofp_flow_stats if switch.version == 4 else messages10.nx_flow_stats
    wanted = _match_key(entry_type(match=request.match))
    candidates: list[str] = []
    for _, entries in flow_entries(ctx, switch, match_text):
        for entry in entries:
            line = format_flow(entry)
            if _match_key(entry) != wanted:
                continue
            candidates.append(line)
            if priority is not None and entry.priority != priority:
                continue
            if want_actions is not None and line.split(" actions=", 1)[1] != want_actions:
                continue
            return None
    print_match = " ".join(text.split()) or "(any)"
    return (f"no flow on {args[0]} is {print_match}"
            + (f"; flows with that match{_shown(candidates)}" if candidates
               else "; none has that match"))


