"""OpenFlow 1.0 and 1.3: decode anything a switch sends, build anything you want to send.

- ``parse_message(buf, offset=0)`` -> ``(message, size)`` or ``None`` if incomplete;
- ``decode_message(data)`` -> message (strict: exactly one message);
- ``bytes(message)``; ``dump(message)`` / ``load(dict)`` with spec names and OXM
  fields by their Open vSwitch names;
- ``validate(message)`` before sending: prerequisites, masks, ranges;
- ``v10`` and ``v13``: the definitions, named as in the specs.
"""

from . import v10, v13
from ._api import decode_message, dump, load, ofp_unknown_version, parse_message, root_for
from ._oxm import field_named, ofp_oxm, ofp_oxm_experimenter, oxm_class_for, oxm_types
from ._oxm_fields import OXM_FIELDS, OxmField
from ._validate import ValidationError, validate

__all__ = [
    "OXM_FIELDS",
    "OxmField",
    "decode_message",
    "dump",
    "field_named",
    "load",
    "ofp_oxm",
    "ofp_oxm_experimenter",
    "ofp_unknown_version",
    "oxm_class_for",
    "oxm_types",
    "parse_message",
    "root_for",
    "v10",
    "v13",
    "ValidationError",
    "validate",
]
