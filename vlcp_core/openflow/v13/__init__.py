"""OpenFlow 1.3 (wire version 0x04): every message, as namedstruct definitions.

Names follow the OpenFlow Switch Specification 1.3.5 (``ofp_flow_mod``,
``OFPT_FLOW_MOD``); each private module implements one family and cites its
section.
"""

from ._enums import OFP_VERSION, ofp_port_no, ofp_type
from ._header import ofp_header
from ._match import ofp_match, ofp_match_type

__all__ = ["OFP_VERSION", "ofp_header", "ofp_match", "ofp_match_type", "ofp_port_no", "ofp_type"]
