"""Nicira messages and actions under mutation: whatever comes in either parses, and then
re-serializes to exactly its bytes, or raises ParseError (never anything else)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import parse_message, v10, v13
from vlcp_core.openflow.nicira import actions10, actions13

from .test_actions import _built
from .test_messages import SAMPLES

MESSAGES = [bytes(m) for v in (1, 4) for m, _ in SAMPLES[v].values()]
ACTIONS = {1: [bytes(a) for a in _built(actions10, 1).values()],
           4: [bytes(a) for a in _built(actions13, 4).values()]}
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _mutate(data: st.DataObject, blob: bytes) -> bytes:
    out = bytearray(blob)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(out) - 1))
        out[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        out = out[:data.draw(st.integers(0, len(out)))]
    return bytes(out)


@FUZZ
@given(data=st.data())
def test_mutated_nicira_messages(data: st.DataObject) -> None:
    blob = _mutate(data, data.draw(st.sampled_from(MESSAGES)))
    try:
        parsed = parse_message(blob)
    except ParseError:
        return
    if parsed is not None:
        msg, size = parsed
        assert bytes(msg) == blob[:size]


@pytest.mark.parametrize("version", [1, 4])
@FUZZ
@given(data=st.data())
def test_mutated_nicira_actions(version: int, data: st.DataObject) -> None:
    base = v10.ofp_action if version == 1 else v13.ofp_action
    blob = _mutate(data, data.draw(st.sampled_from(ACTIONS[version])))
    try:
        parsed = base.parse(blob)
    except ParseError:
        return
    if parsed is not None:
        action, size = parsed
        assert bytes(action) == blob[:size]
