"""Recording what a real Open vSwitch sends to its controller (test helpers).

A hand-written, standard-library-only OpenFlow endpoint (``recorder``), the
recording scenario, and the stored corpus in ``tests/data/corpus``. Re-record
with ``python -m tests.ofcorpus.record``.
"""

from ._frames import arp_request, udp_frame
from ._scenario import VERSIONS, record_all, record_version
from ._wire import OF10, OF13, MessageSplitter, describe, header, msg_type, stats_request
from .corpus import CORPUS_DIR, FILE_NAMES, REQUIRED, check_entries, load_corpus, save_corpus
from .recorder import ControllerListener, CorpusEntry, OpenFlowConnection

__all__ = [
    "CORPUS_DIR",
    "FILE_NAMES",
    "OF10",
    "OF13",
    "REQUIRED",
    "VERSIONS",
    "ControllerListener",
    "CorpusEntry",
    "MessageSplitter",
    "OpenFlowConnection",
    "arp_request",
    "check_entries",
    "describe",
    "header",
    "load_corpus",
    "msg_type",
    "record_all",
    "record_version",
    "save_corpus",
    "stats_request",
    "udp_frame",
]
