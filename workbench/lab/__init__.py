"""A private, userspace-only Open vSwitch to run experiments and tests against.

:class:`Lab` starts ``ovsdb-server`` and ``ovs-vswitchd`` in a short private
directory, adds bridges on the ``dummy`` datapath, injects frames into ports,
captures what ports send, restarts ``ovs-vswitchd``, speaks TLS to controllers
(:func:`make_pki` makes the certificates), and stops (and never leaks) the daemons.

Example:
    >>> from workbench.lab import Lab
    >>> with Lab() as lab:  # doctest: +SKIP
    ...     s1 = lab.add_bridge("s1", ports=2, controller="tcp:127.0.0.1:6653")
    ...     lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
    ...     pcap = lab.capture_pcap("s1-eth2")
    ...     lab.inject("s1-eth1", frame)
"""

from ._bridge import Bridge, Port, format_datapath_id
from ._commands import OvsTools, find_ovs, ovs_available
from ._errors import LabError
from ._lab import Lab, LabStatistics
from ._pki import Pki, make_pki
from ._procfs import pid_alive
from ._registry import default_root, read_record, sweep_stale_labs
from ._wait import wait_for

__all__ = [
    "Bridge",
    "Lab",
    "LabError",
    "LabStatistics",
    "OvsTools",
    "Pki",
    "Port",
    "default_root",
    "find_ovs",
    "format_datapath_id",
    "make_pki",
    "ovs_available",
    "pid_alive",
    "read_record",
    "sweep_stale_labs",
    "wait_for",
]
