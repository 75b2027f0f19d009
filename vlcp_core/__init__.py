"""The protocol core of vlcp workbench.

Everything that speaks OpenFlow to a switch lives here, starting with the
binary struct library in ``vlcp_core.namedstruct``. This package uses the
Python standard library only and never imports ``workbench``: the
interactive layer builds on the core, never the other way round.
``tests/test_layering.py`` enforces both rules.
"""

__all__: list[str] = []
