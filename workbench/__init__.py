"""The interactive layer of vlcp workbench.

Built on top of ``vlcp_core``: the runtime thread that hosts the controller
core, the shell, the command registry, the Open vSwitch lab and the IPython
magics.
"""

__all__: list[str] = []
