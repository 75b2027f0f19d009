"""OpenFlow 1.0 (wire version 0x01): every message, as namedstruct definitions.

Names follow the OpenFlow Switch Specification 1.0.0 (``ofp_flow_mod``,
``OFPT_FLOW_MOD``); each private module implements one family and cites its
section.
"""

from ._enums import OFP_VERSION, ofp_port, ofp_type
from ._header import ofp_header

__all__ = ["OFP_VERSION", "ofp_header", "ofp_port", "ofp_type"]
