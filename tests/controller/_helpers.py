"""Shared by the live controller tests: run a test coroutine, connect a lab bridge."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from vlcp_core.controller import Controller, Switch
from workbench.lab import Lab

T = TypeVar("T")


def run(main: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(main(), 60))  # type: ignore[arg-type]


async def connect(lab: Lab, bridge: str, protocols: list[str], versions: set[int],
                  controller: Controller | None = None, **options: Any
                  ) -> tuple[Controller, Switch]:
    controller = controller or Controller()
    listener = await controller.listen("127.0.0.1", 0, versions=versions)
    host, port = listener.address
    lab.add_bridge(bridge, ports=2, protocols=protocols)
    await asyncio.to_thread(lab.set_controller, bridge, f"tcp:{host}:{port}", **options)
    switch = await controller.wait_switch(lab.bridge(bridge).datapath_id, timeout=20)
    return controller, switch


