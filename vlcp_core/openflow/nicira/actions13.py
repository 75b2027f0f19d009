"""The Nicira actions of OpenFlow 1.3 sessions: one class per NX action.

``nx_action_resubmit`` here is the OpenFlow 1.3 class of NXAST_RESUBMIT (base
``nx_action13``, under ``v13.ofp_action_experimenter``).
The same names in ``actions10`` are the other version's classes; both
come from one body definition (``_actions``, ``_actions_field``, ``_actions_nested``,
``_learn``).  Parsing picks them by subtype; build them with keywords::

    from vlcp_core.openflow.nicira.actions13 import nx_action_resubmit_table
    nx_action_resubmit_table(table_id=2)      # resubmit(,2)
"""

from __future__ import annotations

from . import _actions as _a
from . import _actions_field as _f
from . import _actions_nested as _n
from . import _learn as _l

__all__ = [
    "nx_action_bundle",
    "nx_action_bundle_load",
    "nx_action_check_pkt_larger",
    "nx_action_clone",
    "nx_action_conjunction",
    "nx_action_controller",
    "nx_action_controller2",
    "nx_action_ct",
    "nx_action_ct_clear",
    "nx_action_dec_mpls_ttl",
    "nx_action_dec_ttl",
    "nx_action_dec_ttl_cnt_ids",
    "nx_action_exit",
    "nx_action_fin_timeout",
    "nx_action_learn",
    "nx_action_learn2",
    "nx_action_multipath",
    "nx_action_nat",
    "nx_action_note",
    "nx_action_output_reg",
    "nx_action_output_reg2",
    "nx_action_output_trunc",
    "nx_action_pop_mpls",
    "nx_action_pop_queue",
    "nx_action_push_mpls",
    "nx_action_reg_load",
    "nx_action_reg_load2",
    "nx_action_reg_move",
    "nx_action_resubmit",
    "nx_action_resubmit_table",
    "nx_action_resubmit_table_ct",
    "nx_action_sample",
    "nx_action_sample2",
    "nx_action_sample3",
    "nx_action_set_mpls_label",
    "nx_action_set_mpls_tc",
    "nx_action_set_mpls_ttl",
    "nx_action_set_queue",
    "nx_action_set_tunnel",
    "nx_action_set_tunnel64",
    "nx_action_stack_pop",
    "nx_action_stack_push",
    "nx_action_write_metadata",
]

nx_action_resubmit = _a.nx_action_resubmit.v13
nx_action_resubmit_table = _a.nx_action_resubmit_table.v13
nx_action_resubmit_table_ct = _a.nx_action_resubmit_table_ct.v13
nx_action_set_tunnel = _a.nx_action_set_tunnel.v13
nx_action_set_tunnel64 = _a.nx_action_set_tunnel64.v13
nx_action_set_queue = _a.nx_action_set_queue.v13
nx_action_pop_queue = _a.nx_action_pop_queue.v13
nx_action_write_metadata = _a.nx_action_write_metadata.v13
nx_action_note = _a.nx_action_note.v13
nx_action_exit = _a.nx_action_exit.v13
nx_action_dec_ttl = _a.nx_action_dec_ttl.v13
nx_action_dec_ttl_cnt_ids = _a.nx_action_dec_ttl_cnt_ids.v13
nx_action_fin_timeout = _a.nx_action_fin_timeout.v13
nx_action_controller = _a.nx_action_controller.v13
nx_action_conjunction = _a.nx_action_conjunction.v13
nx_action_ct_clear = _a.nx_action_ct_clear.v13
nx_action_output_trunc = _a.nx_action_output_trunc.v13
nx_action_push_mpls = _a.nx_action_push_mpls.v13
nx_action_pop_mpls = _a.nx_action_pop_mpls.v13
nx_action_set_mpls_ttl = _a.nx_action_set_mpls_ttl.v13
nx_action_dec_mpls_ttl = _a.nx_action_dec_mpls_ttl.v13
nx_action_set_mpls_label = _a.nx_action_set_mpls_label.v13
nx_action_set_mpls_tc = _a.nx_action_set_mpls_tc.v13
nx_action_sample = _a.nx_action_sample.v13
nx_action_sample2 = _a.nx_action_sample2.v13
nx_action_sample3 = _a.nx_action_sample3.v13
nx_action_reg_load = _f.nx_action_reg_load.v13
nx_action_reg_load2 = _f.nx_action_reg_load2.v13
nx_action_reg_move = _f.nx_action_reg_move.v13
nx_action_output_reg = _f.nx_action_output_reg.v13
nx_action_output_reg2 = _f.nx_action_output_reg2.v13
nx_action_stack_push = _f.nx_action_stack_push.v13
nx_action_stack_pop = _f.nx_action_stack_pop.v13
nx_action_multipath = _f.nx_action_multipath.v13
nx_action_bundle = _f.nx_action_bundle.v13
nx_action_bundle_load = _f.nx_action_bundle_load.v13
nx_action_check_pkt_larger = _f.nx_action_check_pkt_larger.v13
nx_action_clone = _n.nx_action_clone.v13
nx_action_ct = _n.nx_action_ct.v13
nx_action_nat = _n.nx_action_nat.v13
nx_action_controller2 = _n.nx_action_controller2.v13
nx_action_learn = _l.nx_action_learn.v13
nx_action_learn2 = _l.nx_action_learn2.v13
