"""Notebook 1: the handshake, decoded and explained byte by byte."""

from __future__ import annotations

from . import code, md

NAME = "01-hello-switch"

CELLS = [
    md("""
    # 1. Hello, switch

    An OpenFlow switch forwards packets by looking them up in its **flow tables**.
    It does not fill those tables itself: a program elsewhere, the **controller**,
    tells it what to do. The two talk over one TCP connection, in **messages**.

    In this notebook a real switch (Open vSwitch) connects to a controller that runs
    inside this notebook, and we read the first messages they exchange, byte by byte.
    Nothing here needs any OpenFlow knowledge: run the cells from top to bottom
    (Shift-Enter) and read what each one shows.
    """),
    md("""
    ## The workbench and its lab

    `%load_ext workbench` adds the `%vlcp` command to this notebook. Every line
    that starts with `%vlcp` runs one command of the workbench's shell; a cell that
    starts with `%%vlcp` runs several, one per line.

    `%vlcp lab start` starts a private Open vSwitch (the *lab*): a switch called
    `s1` with two ports, `s1-eth1` and `s1-eth2`, told to connect to our
    controller. It returns once the switch is connected. The lab is private to
    this notebook and stops with its kernel.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 2
    """, check=[r"s1 connected, 2 ports"]),
    md("""
    `switches` lists the connected switches. The **datapath id** is the switch's
    64-bit name, unique per switch; the **version** is the OpenFlow version the two
    sides agreed on (1.3 here); the **address** is where the switch connected
    from.
    """),
    code("""
    %vlcp switches
    """, check=[r"s1", r"1\.3"]),
    md("""
    ## The conversation so far

    The workbench records every message in both directions from the moment the
    switch connected. `log` lists them: `out` is from the controller to the switch,
    `in` from the switch. Read the `type` column from the top:

    1. `OFPT_HELLO`, both ways: each side says which OpenFlow versions it speaks.
       (The `switch` column shows an address: before the handshake ends, the
       controller does not know yet which switch it is talking to.)
    2. `OFPT_FEATURES_REQUEST` and `OFPT_FEATURES_REPLY`: who are you?
    3. `OFPT_MULTIPART_REQUEST` / `REPLY` for `OFPMP_PORT_DESC`: which ports do you have?

    Notice the `xid` column: a request and its reply carry the same transaction id,
    which is how the controller knows what a reply answers.
    """),
    code("""
    handshake = %vlcp log
    handshake
    """, check=[r"OFPT_HELLO", r"OFPT_FEATURES_REQUEST", r"OFPT_FEATURES_REPLY",
                r"OFPMP_PORT_DESC"]),
    md("""
    A command's value is a Python object (a `Result`): `handshake.table.rows` are
    the rows above, one list per message.
    """),
    code("""
    [row[1:4] for row in handshake.table.rows[:4]]
    """, check=[r"OFPT_HELLO"]),
    md("""
    `decode` and `explain` read a recorded message: `last` is the newest, `first`
    the oldest kept, and the filters of `log` pick which ones count:
    `first type=OFPT_HELLO dir=out` is the first HELLO the controller sent, whatever
    came after it (the two sides check now and then that the other is alive, so
    more messages keep arriving).
    """),
    md("""
    ## HELLO: the header, and the versions

    `explain` shows a message as its bytes with the meaning of each field. In a
    notebook it is a coloured byte map: hover over a byte to see its field and
    value; the legend lists the fields in the same colours.

    Every OpenFlow message starts with the same 8-byte **header**:

    | bytes | field | here |
    | --- | --- | --- |
    | 0 | `version` | 4, the wire number of OpenFlow 1.3 (1.0 is 1) |
    | 1 | `type` | 0, `OFPT_HELLO` |
    | 2-3 | `length` | the whole message, header included: 16 |
    | 4-7 | `xid` | the transaction id |

    After the header, a HELLO may carry *elements*. The one here is a **version
    bitmap**: bit N set means "I speak wire version N". `0x12` is binary `10010`:
    bits 1 and 4, OpenFlow 1.0 and 1.3. That is the controller's offer.
    """),
    code("""
    %vlcp explain first type=OFPT_HELLO dir=out
    """, check=[r"OFPHET_VERSIONBITMAP", r"0x12", r"version"]),
    md("""
    The switch answers with its own HELLO. `decode` shows the same message as a
    tree (collapsible in a notebook) instead of bytes, with the names of the
    numbers: `OFPT_HELLO`, `OFPHET_VERSIONBITMAP`. The lab's switch is configured
    for OpenFlow 1.0 and 1.3 too, so its bitmap is the same as ours. Both sides then
    use the highest version they have in common: 1.3.
    """),
    code("""
    %vlcp decode first type=OFPT_HELLO dir=in
    """, check=[r"OFPT_HELLO", r"bitmaps"]),
    md("""
    ## FEATURES: who are you?

    The FEATURES_REQUEST is nothing but a header: 8 bytes, type 5. Its `xid` is the
    one the reply will carry.
    """),
    code("""
    %vlcp explain first type=OFPT_FEATURES_REQUEST
    """, check=[r"OFPT_FEATURES_REQUEST \(5\)"]),
    md("""
    The FEATURES_REPLY (type 6) tells the switch's identity and abilities:

    - `datapath_id` (8 bytes): the switch's name, as `switches` showed it;
    - `n_buffers`: how many packets the switch can keep while it asks the
      controller (0: it always sends the whole packet);
    - `n_tables`: how many flow tables it has (254 for Open vSwitch);
    - `capabilities`: a bit field; each set bit is a feature, such as flow
      statistics (`OFPC_FLOW_STATS`) or port statistics.

    The `(pad)` bytes are padding: they keep the next field aligned and mean
    nothing.
    """),
    code("""
    %vlcp explain first type=OFPT_FEATURES_REPLY
    """, check=[r"datapath_id", r"n_tables", r"OFPC_FLOW_STATS"]),
    md("""
    A decoded message is data too: `.data` is a dictionary of its fields.
    """),
    code("""
    reply = %vlcp decode first type=OFPT_FEATURES_REPLY
    print("datapath id:", reply.data["datapath_id"])
    print("tables:     ", reply.data["n_tables"])
    print("buffers:    ", reply.data["n_buffers"])
    """, check=[r"tables:\s+254"]),
    md("""
    The ports come in a MULTIPART reply (in OpenFlow 1.3 a FEATURES_REPLY no longer
    lists them). `ports` shows what the controller knows: each port's number, its
    name and its Ethernet address. `LOCAL` is the switch's own internal port.
    """),
    code("""
    %vlcp ports s1
    """, check=[r"s1-eth1", r"s1-eth2", r"LOCAL"]),
    md("""
    ## Your turn: a request and its reply

    `request` sends any message and shows the reply. An ECHO_REQUEST is the
    "are you alive?" message; the switch sends back the same data in an
    ECHO_REPLY. `6869` is the hex of the two bytes `b"hi"`. `last 2` then shows
    both messages, with the same `xid`.
    """),
    code("""
    %vlcp request s1 ofp_echo_request(data=b"hi")
    """, check=[r"OFPT_ECHO_REPLY", r"6869"]),
    code("""
    %vlcp last 2
    """, check=[r"out s1 OFPT_ECHO_REQUEST", r"in  s1 OFPT_ECHO_REPLY"]),
    md("""
    `decode` and `explain` also read bytes you type, in hex. Here is a
    FEATURES_REQUEST written by hand: version 4, type 5, length 8, xid 42
    (`0x2a`). Try changing a byte: type `02` is an ECHO_REQUEST, and a length that
    does not match the bytes makes it decode as an Ethernet frame instead.
    """),
    code("""
    %vlcp explain 04 05 00 08 00 00 00 2a
    """, check=[r"OFPT_FEATURES_REQUEST", r"42"]),
    md("""
    ## What you saw

    - A controller and a switch talk in messages that all start with an 8-byte
      header: version, type, length, transaction id.
    - HELLO agrees on a version, FEATURES_REQUEST/REPLY tells the controller who
      the switch is, a MULTIPART request lists its ports.
    - `log`, `decode` and `explain` show any message, as a table, a tree or bytes.

    Next, [2. Flow tables](02-flow-tables.ipynb): telling the switch what to do
    with packets. The lab stops when this notebook's kernel stops.
    """),
]
