"""Public namespaces are thin: every name in __all__ exists, appears once, and is public."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = ["vlcp_core", "vlcp_core.namedstruct", "vlcp_core.packet", "vlcp_core.openflow",
          "vlcp_core.openflow.v10", "vlcp_core.openflow.v13",
          "vlcp_core.openflow.nicira", "vlcp_core.openflow.flowtext", "vlcp_core.event",
          "vlcp_core.controller", "vlcp_core.ovsdb", "vlcp_core.connection",
          "vlcp_core.ofengine", "vlcp_core.apps",
          "workbench", "workbench.lab", "workbench.runtime", "workbench.shell",
          "workbench.prompt", "workbench.magics"]


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_consistent(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), "a name is exported twice"
    for item in exported:
        assert hasattr(module, item), f"{name}.__all__ names missing {item!r}"
        assert not item.startswith("_")


def test_namedstruct_exports_everything_definitions_need() -> None:
    ns = importlib.import_module("vlcp_core.namedstruct")
    public = {n for n in dir(ns) if not n.startswith("_")}
    submodules = {"annotations"}
    assert public - set(ns.__all__) <= submodules, public - set(ns.__all__)
