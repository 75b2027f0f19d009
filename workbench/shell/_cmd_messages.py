"""Messages: ``packet-out``, and ``send``/``request`` of any message written as a call.

``send SW MESSAGE`` and ``request SW MESSAGE`` take a constructor expression in
Python call syntax over the switch's definitions (``v13`` or ``v10``: every
``ofp_*`` name), the Nicira classes of its version (``vlcp_core.openflow.nicira``'s
``messages13``/``actions13`` or ``messages10``/``actions10``: ``nxt_role_request``,
``nx_action_resubmit_table``...) and the vocabulary (``vlcp_core.openflow``'s
functions: ``match``, ``flow_mod``, ``output``, ``parse_flow``...).  It is read with
``ast`` and built by walking the tree, never evaluated: only calls of those names,
with constants (numbers, strings, bytes, ``True``/``False``/``None``, negative
numbers), lists, tuples, dicts and such calls as arguments.  Vocabulary functions
that take a ``version`` get the switch's unless the expression gives one.  A Nicira
``*_request`` with a ``*_reply`` (role, TLV table) shows that reply: the engine only
confirms it with a barrier, so ``request`` waits for the reply's event itself.

Also the plumbing the flow and group commands (``_cmd_flows``, ``_cmd_groups``)
share: ``switch_words`` (``SW TEXT...`` and ``--flags``), ``stream_parts`` (a
multipart reply part by part from the loop's thread), ``send_requests`` and
``refused`` (a switch's OFPT_ERROR as a ``CommandError``), ``port_number``,
``reply_header`` (``ovs-ofctl``'s part headers).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import difflib
import gc
import inspect
import re
from collections.abc import AsyncGenerator, Callable, Iterator, Sequence
from typing import Any, cast

import vlcp_core.openflow as openflow
from vlcp_core.controller import OpenFlowError, OpenFlowMessage
from vlcp_core.event import EventMatcher
from vlcp_core.namedstruct import NamedStructError
from vlcp_core.openflow import FlowSyntaxError, dump, packet_out, parse_actions_text
from vlcp_core.openflow.nicira import actions10, actions13, messages10, messages13

from ._builder import parse_frame
from ._registry import CommandError, command
from ._shell import Context

__all__ = ["SPECIAL_PORTS", "build_message", "flow_error", "port_number", "refused",
           "reply_header", "send_requests", "stream_parts", "switch_words", "version_name",
           "vocabulary"]

_MULTIPART_REQUEST = {1: 16, 4: 18}  # OFPT_STATS_REQUEST, OFPT_MULTIPART_REQUEST
_NICIRA = {1: (messages10, actions10), 4: (messages13, actions13)}  # per version
_NICIRA_REPLY_WAIT = 2.0  # s after the barrier for a Nicira reply (it comes before it)
SPECIAL_PORTS = {  # name -> (OpenFlow 1.0 number, 1.3 number)
    "IN_PORT": (0xFFF8, 0xFFFFFFF8), "TABLE": (0xFFF9, 0xFFFFFFF9),
    "NORMAL": (0xFFFA, 0xFFFFFFFA), "FLOOD": (0xFFFB, 0xFFFFFFFB),
    "ALL": (0xFFFC, 0xFFFFFFFC), "CONTROLLER": (0xFFFD, 0xFFFFFFFD),
    "LOCAL": (0xFFFE, 0xFFFFFFFE), "ANY": (0xFFFF, 0xFFFFFFFF), "NONE": (0xFFFF, 0xFFFFFFFF),
}


# -- shared with the flow commands ----------------------------------------------------------

def switch_words(ctx: Context, args: list[str], usage: str, *, text: bool = True,
                 flags: Sequence[str] = ()) -> tuple[Any, str, set[str]]:
    """``SW TEXT...``: the switch, the text (the words after SW joined by spaces) and
    the ``--flags`` given (any of *flags*, anywhere)."""
    given = {word for word in args if word in flags}
    unknown = [word for word in args if word.startswith("--") and word not in flags]
    if unknown:
        known = f" (options: {', '.join(flags)})" if flags else ""
        raise CommandError(f"unknown option {unknown[0]!r}{known}; usage: {usage}")
    words = [word for word in args if word not in given]
    if not words or (text and len(words) < 2):
        raise CommandError(f"missing arguments: usage: {usage}")
    switch = ctx.switch(words[0])
    return switch, port_numbers(ctx, switch, " ".join(words[1:])), given


# A word that may be a port name: after = : , ( or a space, up to , ) a space or the end.
_PORT_WORD = re.compile(r"(?<=[=:,(\s])([A-Za-z][\w.-]*)(?=[,)\s]|$)")


def port_table(ctx: Context, switch: Any) -> dict[str, int]:
    """The switch's ports, name -> number (read on the controller's loop)."""
    return ctx.runtime.call_sync(
        lambda: {str(port.name): int(number) for number, port in switch.ports.items()})


def port_numbers(ctx: Context, switch: Any, text: str) -> str:
    """*text* with the switch's port names (``s1-eth2``) written as their numbers, as
    ``ovs-ofctl`` accepts names in flows (``in_port=s1-eth1,actions=output:s1-eth2``)."""
    table = port_table(ctx, switch)
    if not table:
        return text
    return _PORT_WORD.sub(lambda m: str(table.get(m.group(1), m.group(1))), text)


def flow_error(exc: FlowSyntaxError, text: str, what: str = "flow") -> CommandError:
    """A syntax error with the text and a caret under the column."""
    column = max(1, min(exc.column, len(text) + 1))
    return CommandError(f"bad {what}: {exc}\n  {text}\n  {' ' * (column - 1)}^")


def refused(ctx: Context, switch: Any, what: str, exc: OpenFlowError) -> CommandError:
    """The switch's OFPT_ERROR, with type and code names and what caused it."""
    return CommandError(f"switch {ctx.runtime.names.name(switch.datapath_id)} refused "
                        f"{what}: {exc}")


def version_name(switch: Any) -> str:
    return {1: "1.0", 4: "1.3"}.get(switch.version, str(switch.version))


def send_requests(ctx: Context, switch: Any, messages: Sequence[Any], what: str) -> None:
    """Send *messages* one by one with ``Switch.request`` (each confirmed by its reply
    or a barrier); a refusal becomes a ``CommandError`` naming *what*."""
    async def run() -> None:
        for message in messages:
            await switch.request(message)
    try:
        ctx.call(run())
    except OpenFlowError as exc:
        raise refused(ctx, switch, what, exc) from None


@contextlib.contextmanager
def _rare_full_collections() -> Iterator[None]:
    """Fewer full garbage collections while a dump streams.

    Decoding a part makes thousands of objects that live until the part is printed;
    with the default thresholds, every few parts a full collection walks all the
    parts queued meanwhile (up to 64), a third of a large dump's time.  The young
    generations are still collected as usual; the thresholds are restored after."""
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, 100))
    try:
        yield
    finally:
        gc.set_threshold(first, second, third)


def stream_parts(ctx: Context, switch: Any, request: Any,
                 preamble: Sequence[Any] = (), *, raw: bool = False) -> Iterator[Any]:
    """The parts of the reply to multipart *request*, each as soon as it arrives
    (*preamble*: messages sent first, each confirmed).  Each part is fetched from
    the loop in its own call, so nothing piles up in this thread; the switch's
    reading pauses while 64 parts wait (``Switch.stream``).  With *raw*, the parts
    are the messages' bytes, left for this thread to decode."""
    async def parts() -> AsyncGenerator[Any, None]:
        for message in preamble:
            await switch.request(message)
        async for part in switch.stream(request, raw=raw):
            yield part

    source = parts()
    done = object()

    async def next_part() -> Any:
        try:
            return await source.__anext__()
        except StopAsyncIteration:
            return done

    try:
        with _rare_full_collections():
            while True:
                part = ctx.call(next_part())
                if part is done:
                    return
                yield part
    finally:
        try:
            ctx.call(source.aclose(), timeout=5.0)
        except Exception:  # the loop is gone or busy: the generator is collected there
            pass  # (the error that ended the stream, if any, is the one to show)


def reply_header(name: str, part: Any, switch: Any, suffix: str = "") -> str:
    """``OFPST_FLOW reply (OF1.3) (xid=0x2): flags=[more]`` as ``ovs-ofctl`` heads a
    part (*part*: the message, or its bytes)."""
    tag = " (OF1.3)" if switch.version == 4 else ""
    if isinstance(part, bytes):
        flags, xid = part[11], int.from_bytes(part[4:8], "big")
    else:
        flags, xid = int(part.flags), part.xid
    more = " flags=[more]" if flags & 1 else ""
    return f"{name} reply{tag} (xid={xid:#x}):{more}{suffix}"


def port_number(ctx: Context, switch: Any, text: str) -> int:
    """A port given as a number, a reserved name (``LOCAL``, ``CONTROLLER``...) or
    the port's name (``s1-eth1``)."""
    special = SPECIAL_PORTS.get(text.upper())
    if special is not None:
        return special[0 if switch.version == 1 else 1]
    try:
        return int(text, 0)
    except ValueError:
        pass

    ports = port_table(ctx, switch)
    if text in ports:
        return ports[text]
    raise CommandError(f"switch {ctx.runtime.names.name(switch.datapath_id)} has no port "
                       f"{text!r} (ports: {', '.join(sorted(ports))})")




def vocabulary() -> dict[str, Callable[..., Any]]:
    """``vlcp_core.openflow``'s public functions (not its classes or modules)."""
    found: dict[str, Callable[..., Any]] = {}
    for name in openflow.__all__:
        value = getattr(openflow, name)
        if inspect.isfunction(value):
            found[name] = value
    return found


def _definitions(module: Any) -> dict[str, Callable[..., Any]]:
    return {name: getattr(module, name) for name in dir(module)
            if not name.startswith("_") and callable(getattr(module, name))
            and not inspect.ismodule(getattr(module, name))}


def _nicira_definitions(version: int) -> dict[str, Callable[..., Any]]:
    """The Nicira message and action classes (and their enums) of *version*, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in _NICIRA.get(version, ()):
        for name in module.__all__:
            value = getattr(module, name)
            if callable(value) and not inspect.ismodule(value):
                found[name] = value
    return found


def _nicira_names(version: int) -> str:
    return "/".join(m.__name__.rsplit(".", 1)[-1] for m in _NICIRA.get(version, ()))


class _Builder:
    """Builds the value an expression's tree describes, allowing only what the module
    says; every refusal names the piece of the expression and its column."""

    def __init__(self, text: str, module: Any, version: int) -> None:
        self.text = text
        self.version = version
        self.vocabulary = vocabulary()
        self.definitions = {**_nicira_definitions(version), **_definitions(module)}
        self.module_name = module.__name__.rsplit(".", 1)[-1]
        self.nicira = _nicira_names(version)

    def fail(self, node: ast.AST, message: str) -> CommandError:
        column = getattr(node, "col_offset", 0) + 1
        return CommandError(f"in the message at column {column}: {message}")

    def segment(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.text, node) or type(node).__name__
        return repr(text if len(text) <= 40 else text[:37] + "...")

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            if node.value is None or isinstance(node.value, (bool, int, str, bytes)):
                return node.value
            raise self.fail(node, f"{self.segment(node)} is a {type(node.value).__name__}: "
                            f"only int, str, bytes, True, False, None constants are allowed")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
                isinstance(node.operand, ast.Constant) and type(node.operand.value) is int:
            return -node.operand.value
        if isinstance(node, ast.List):
            return [self.value(item) for item in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(self.value(item) for item in node.elts)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise self.fail(node, "** in a dict is not allowed")
            return {self.value(key): self.value(item)  # type: ignore[arg-type]
                    for key, item in zip(node.keys, node.values, strict=True)}
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Name):
            raise self.fail(node, f"the name {node.id!r} is not allowed here (only calls of "
                            f"{self.module_name}, Nicira and vocabulary names, and "
                            f"constants)")
        raise self.fail(node, f"{self.segment(node)} is not allowed ({type(node).__name__}: "
                        f"only calls, constants, lists, tuples and dicts)")

    def call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node.func, f"only plain names can be called, not "
                            f"{self.segment(node.func)}")
        name = node.func.id
        function = self.vocabulary.get(name)
        from_vocabulary = function is not None
        if function is None:
            function = self.definitions.get(name)
        if function is None:
            near = difflib.get_close_matches(
                name, [*self.vocabulary, *self.definitions], n=1, cutoff=0.75)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise self.fail(node.func, f"unknown name {name!r}: not in {self.module_name} "
                            f"nor the vocabulary, nor a Nicira class ({self.nicira})"
                            f"{hint}")
        args = []
        for item in node.args:
            if isinstance(item, ast.Starred):
                raise self.fail(item, "* arguments are not allowed")
            args.append(self.value(item))
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.fail(keyword.value, "** arguments are not allowed")
            kwargs[keyword.arg] = self.value(keyword.value)
        if from_vocabulary and "version" not in kwargs and \
                "version" in _parameters(function):
            kwargs["version"] = self.version
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError, NamedStructError) as exc:
            raise self.fail(node, f"{name}(): {exc}") from None


def _parameters(function: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return set()


def build_message(text: str, module: Any, version: int) -> Any:
    """The message the call expression *text* builds (see the module's docstring).

    Example: ``build_message('ofp_echo_request(data=b"hi")', v13, 4)``.
    """
    text = text.strip()
    if not text:
        raise CommandError("no message given: write a call such as ofp_echo_request()")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise CommandError(f"cannot read the message: {exc.msg} at column "
                           f"{exc.offset}") from None
    message = _Builder(text, module, version).value(tree.body)
    if not all(hasattr(message, attr) for attr in ("xid", "type", "version")):
        raise CommandError(f"the expression gives {type(message).__name__}, not an "
                           f"OpenFlow message")
    if message.version != version:
        raise CommandError(f"{type(message).__name__} is OpenFlow version {message.version}; "
                           f"the switch speaks version {version}")
    return message


def _switch_and_message(ctx: Context, args: list[str], usage: str) -> tuple[Any, Any]:
    if not args or len(ctx.rest.split(None, 1)) < 2:
        raise CommandError(f"missing arguments: usage: {usage}")
    switch = ctx.switch(args[0])
    return switch, build_message(ctx.rest.split(None, 1)[1], switch.module, switch.version)


@command("send", "SW MESSAGE", group="messages")
def send(ctx: Context, args: list[str]) -> Any:
    """Send any message, written as a call, without waiting; shows its xid.

    MESSAGE uses the switch's definitions (``ofp_*`` of v13 or v10), the Nicira
    classes of its version (``nxt_*``, ``nx_action_*``) and the vocabulary
    (``flow_mod``, ``match``, ``output``...); nothing else is evaluated.

    Example: send s1 flow_mod(match(in_port=1), [output(2)], priority=5)
    """
    switch, message = _switch_and_message(ctx, args, "send SW MESSAGE")
    xid = ctx.runtime.call_sync(lambda: switch.send(message))
    return f"sent {type(message).__name__} xid={xid:#x}"


@command("request", "SW MESSAGE", group="messages")
def request(ctx: Context, args: list[str]) -> Any:
    """Send a message, written as a call, and show the decoded reply as a tree.

    Every part of a multipart reply is shown as it arrives; a message without a
    reply shows ``confirmed`` once a barrier confirms it.  A Nicira ``*_request``
    (``nxt_role_request``, ``nxt_tlv_table_request``) shows its ``*_reply``.  An
    OFPT_ERROR is shown with its type and code.  MESSAGE is written as for ``send``.

    Example: request s1 ofp_echo_request(data=b"hi")
    """
    switch, message = _switch_and_message(ctx, args, "request SW MESSAGE")
    name = type(message).__name__
    if int(message.type) == _MULTIPART_REQUEST.get(switch.version):
        return _parts(ctx, switch, message, name)
    reply_class = _nicira_reply_class(message, switch.version)
    try:
        if reply_class is None:
            reply = ctx.call(switch.request(message))
        else:
            reply = ctx.call(_nicira_request(ctx, switch, message, reply_class))
    except OpenFlowError as exc:
        raise refused(ctx, switch, name, exc) from None
    if reply is not None:
        return dump(reply)
    if reply_class is not None:
        return (f"{name}: confirmed by a barrier, but no {reply_class.__name__} came within "
                f"{_NICIRA_REPLY_WAIT:g} s")
    return f"{name}: confirmed (no reply; a barrier followed)"


def _nicira_reply_class(message: Any, version: int) -> Any:
    """The reply class of a Nicira ``*_request`` that has one (``nxt_role_reply``)."""
    name = type(message).__name__
    if not name.endswith("_request") or version not in _NICIRA:
        return None
    messages = _NICIRA[version][0]
    if getattr(messages, name, None) is not type(message):
        return None
    return getattr(messages, name[:-len("_request")] + "_reply", None)


async def _nicira_request(ctx: Context, switch: Any, message: Any, reply_class: Any) -> Any:
    """Send a Nicira request and return its reply.  The engine knows no Nicira
    request/reply pairs: it confirms the request with a barrier and passes the reply
    on as an event, which is waited for here (registered before sending; the reply
    comes before the barrier's, the event may be delivered just after it)."""
    assert ctx.runtime.controller is not None
    waiting = ctx.runtime.controller.scheduler.wait_event(EventMatcher(
        OpenFlowMessage, lambda event: type(event.message) is reply_class
        and event.message.xid == message.xid, datapath=switch.datapath_id))
    try:
        await switch.request(message)
        event, _ = await asyncio.wait_for(waiting, _NICIRA_REPLY_WAIT)
    except TimeoutError:
        return None
    finally:
        waiting.cancel()
    return cast(OpenFlowMessage, event).message


def _parts(ctx: Context, switch: Any, message: Any, name: str) -> Iterator[Any]:
    try:
        for part in stream_parts(ctx, switch, message):
            yield dump(part)
    except OpenFlowError as exc:
        raise refused(ctx, switch, name, exc) from None


_PACKET_OUT_KEYS = re.compile(r"(?:^|[\s,])(in_port|actions|packet)=")


def _packet_out_items(text: str) -> dict[str, str]:
    found = list(_PACKET_OUT_KEYS.finditer(text))
    if not found or found[0].start() != 0 and text[:found[0].start()].strip(" ,"):
        head = text[:found[0].start()] if found else text
        raise CommandError(f"{head.strip()!r} is not in_port=, actions= or packet=")
    items: dict[str, str] = {}
    for at, match in enumerate(found):
        end = found[at + 1].start() if at + 1 < len(found) else len(text)
        key = match.group(1)
        if key in items:
            raise CommandError(f"{key}= is given twice")
        items[key] = text[match.end():end].strip(" ,")
    return items


@command("packet-out", "SW in_port=N actions=ACTIONS packet=HEX|BUILDER", group="messages")
def packet_out_(ctx: Context, args: list[str]) -> Any:
    """Send a packet through the switch's actions, like ``ovs-ofctl packet-out``.

    ``in_port`` (default CONTROLLER) is a number, a port name or LOCAL/CONTROLLER;
    ``actions`` as in a flow; ``packet`` hex digits or a builder:
    ``eth(src=..,dst=..)/ipv4(dst=..)/icmp()`` (layers eth, vlan, arp, ipv4, ipv6,
    tcp, udp, icmp, icmpv6_echo; a last ``"text"`` or ``raw(HEX)`` is the payload).

    Example: packet-out s1 in_port=1 actions=output:2 packet=eth(dst=ff:ff:ff:ff:ff:ff)/arp()
    """
    usage = "packet-out SW in_port=N actions=ACTIONS packet=HEX|BUILDER"
    switch, text, _ = switch_words(ctx, args, usage)
    items = _packet_out_items(text)
    for key in ("actions", "packet"):
        if key not in items:
            raise CommandError(f"missing {key}=: usage: {usage}")
    try:
        actions = parse_actions_text(items["actions"], switch.version)
    except FlowSyntaxError as exc:
        raise flow_error(exc, items["actions"], "actions") from None
    try:
        frame = parse_frame(items["packet"])
    except ValueError as exc:
        raise CommandError(f"bad packet: {exc}") from None
    in_port = port_number(ctx, switch, items.get("in_port") or "CONTROLLER")
    message = packet_out(frame, actions, in_port=in_port, version=switch.version)
    try:
        ctx.call(switch.request(message))
    except OpenFlowError as exc:
        raise refused(ctx, switch, f"packet-out {text!r}", exc) from None
    return None
