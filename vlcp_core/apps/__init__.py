"""Apps: programs that run on a controller.

An app is a module exposing ``async def main(controller, **options)``; it returns
when it is done or runs until cancelled.  ``run_app`` runs one headless, listening
where the command line says (``python -m vlcp_core.apps.l2switch --listen
127.0.0.1:6653``); the shell starts apps in its own runtime.

- ``l2switch``: a learning switch, like Ryu's ``simple_switch_13``.
"""

from ._runner import parse_address, run_app

__all__ = ["parse_address", "run_app"]
