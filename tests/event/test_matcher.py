"""Events, matchers and the index tree: semantics, order, pruning, and cost."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from vlcp_core.event import Event, EventMatcher, ManualClock, MatcherTree, event
from vlcp_core.event._index import PatternIndex


@event(index=("datapath", "type"))
class Message(Event):
    datapath: int
    type: int
    body: bytes = b""


@event(index=("table",), cannot_ignore=True)
class FlowRemoved(Message):
    table: int = 0


@event(index=("port",))
class PortStatus(Event):
    port: int


def test_event_classes() -> None:
    m = FlowRemoved(1, 11, b"", 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.datapath = 2  # type: ignore[misc]
    assert not hasattr(m, "__dict__")  # slotted
    assert Message.event_index == ("datapath", "type")
    assert FlowRemoved.event_index == ("datapath", "type", "table")
    assert FlowRemoved.cannot_ignore and not Message.cannot_ignore
    with pytest.raises(TypeError, match="not fields"):
        @event(index=("nope",))
        class Bad(Event):
            x: int


def test_event_constructor_behaves_like_the_dataclass_one() -> None:
    assert FlowRemoved(1, 11, table=3) == FlowRemoved(datapath=1, type=11, body=b"", table=3)
    assert FlowRemoved(1, 11).table == 0 and Message(1, 2).body == b""
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'type'"):
        Message(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes from 3 to 4 positional arguments"):
        Message(1, 2, b"", 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        Message(1, 2, nope=3)  # type: ignore[call-arg]
    assert FlowRemoved.__init__.__qualname__ == "FlowRemoved.__init__"
    assert "_set0" in FlowRemoved.__init__.__code__.co_names  # the fast one is in place

    @event()
    class WithFactory(Event):  # what the fast constructor does not handle: the
        items: list[int] = dataclasses.field(default_factory=list)  # dataclass one

    @event()
    class KeywordOnly(Event):
        a: int = dataclasses.field(kw_only=True)

    assert "_set0" not in WithFactory.__init__.__code__.co_names
    assert WithFactory().items == [] and WithFactory().items is not WithFactory().items
    assert KeywordOnly(a=1).a == 1
    with pytest.raises(TypeError):
        KeywordOnly(1)  # type: ignore[misc]


def test_matcher_semantics() -> None:
    assert EventMatcher(Message).matches(Message(1, 2))
    assert EventMatcher(Message, datapath=1).matches(FlowRemoved(1, 11))  # subclasses match
    assert not EventMatcher(Message, datapath=1).matches(Message(2, 11))
    assert not EventMatcher(FlowRemoved).matches(Message(1, 11))
    assert not EventMatcher(PortStatus).matches(Message(1, 2))
    pred = EventMatcher(Message, predicate=lambda e: e.body == b"x")
    assert pred.matches(Message(1, 2, b"x")) and not pred.matches(Message(1, 2))
    with pytest.raises(TypeError, match="no index field"):
        EventMatcher(Message, body=b"x")
    with pytest.raises(TypeError, match="not an Event class"):
        EventMatcher(int)  # type: ignore[arg-type]


def test_tree_finds_what_matches_in_registration_order() -> None:
    tree = MatcherTree()
    regs = {
        "dp1": EventMatcher(Message, datapath=1),
        "any": EventMatcher(Message),
        "flow_t3": EventMatcher(FlowRemoved, table=3),
        "dp2_t11": EventMatcher(Message, datapath=2, type=11),
        "pred": EventMatcher(FlowRemoved, predicate=lambda e: e.table > 5),
        "port": EventMatcher(PortStatus, port=1),
    }
    for name, m in regs.items():
        tree.add(m, name)
    cases = {
        Message(1, 0): ["dp1", "any"],
        Message(2, 11): ["any", "dp2_t11"],
        FlowRemoved(1, 11, b"", 3): ["dp1", "any", "flow_t3"],
        FlowRemoved(2, 11, b"", 9): ["any", "dp2_t11", "pred"],
        PortStatus(1): ["port"],
        PortStatus(2): [],
    }
    for ev, expected in cases.items():
        got = [target for _, _, target in tree.find(ev)]
        assert got == expected, ev
        assert got == [n for n, m in regs.items() if m.matches(ev)]


def test_removal_prunes_the_tree() -> None:
    tree = MatcherTree()
    handles = [tree.add(EventMatcher(Message, datapath=i, type=i), i) for i in range(100)]
    handles.append(tree.add(EventMatcher(FlowRemoved), "f"))
    assert len(tree) == 101
    for h in handles:
        tree.remove(h)
    tree.remove(handles[0])  # twice: ignored
    assert len(tree) == 0
    assert all(not table for table in tree._index.tables())  # no empty entries left


def test_keys_of_one_and_several_fields_do_not_collide() -> None:
    tree = MatcherTree()
    tree.add(EventMatcher(Message, datapath=(1, 2)), "tuple-valued datapath")
    tree.add(EventMatcher(Message, datapath=1, type=2), "both fields")
    assert [t for _, _, t in tree.find(Message(1, 2))] == ["both fields"]
    assert [t for _, _, t in tree.find(Message((1, 2), 0))] == ["tuple-valued datapath"]


def test_lookup_cost_does_not_grow_with_waiting_matchers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = 0
    real_plan = PatternIndex.plan

    def counting_plan(self: PatternIndex[Any], event_type: type) -> Any:
        nonlocal lookups
        steps = real_plan(self, event_type)
        lookups += len(steps)  # find makes one dict lookup per step
        return steps

    monkeypatch.setattr(PatternIndex, "plan", counting_plan)
    counts = []
    for others in (10, 10_000):
        tree = MatcherTree()
        for i in range(others):  # waiting on other datapaths, two patterns
            tree.add(EventMatcher(Message, datapath=1000 + i), i)
            tree.add(EventMatcher(Message, datapath=1000 + i, type=i), i)
        tree.add(EventMatcher(Message, datapath=1, type=2), "mine")
        lookups = 0
        assert [t for _, _, t in tree.find(Message(1, 2))] == ["mine"]
        counts.append(lookups)
    assert counts[0] == counts[1] == 2


def test_manual_clock() -> None:
    clock = ManualClock()
    ran: list[str] = []
    clock.call_later(2, lambda: ran.append("b"))
    clock.call_later(1, lambda: ran.append("a"))
    cancelled = clock.call_later(1.5, lambda: ran.append("x"))
    cancelled.cancel()
    assert clock.pending == 2
    assert clock.advance(1) == 1 and ran == ["a"] and clock.now() == 1
    assert clock.advance(5) == 1 and ran == ["a", "b"] and clock.now() == 6
