"""What ``%vlcp`` returns, shown: HTML tables (ports, flows read back into columns),
a decoded message as a collapsible tree with enum names, ``explain`` as a byte map
coloured by field; the text the shell prints; ``to_json``; ``to_dataframe``.  The
HTML is parsed (it is well-formed XML) and checked element by element."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from IPython.core.interactiveshell import InteractiveShell
from IPython.lib.pretty import pretty

from tests.magics.conftest import run
from vlcp_core.openflow import match, v13
from vlcp_core.packet import eth, ipv4, udp
from workbench.magics import Result
from workbench.shell import Lines, Table

FRAME = bytes(eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
              / ipv4(src="10.0.0.1", dst="10.0.0.2") / udp(sport=5, dport=9) / b"hello")
PACKET_IN = bytes(v13.ofp_packet_in(
    buffer_id=0xFFFFFFFF, total_len=len(FRAME), reason=v13.ofp_packet_in_reason.OFPR_ACTION,
    table_id=0, cookie=0, match=match(in_port=2), data=FRAME, xid=7))
ECHO = "0402000800000009"


def html_of(result: Result) -> ET.Element:
    text = result._repr_html_()
    assert text is not None
    root = ET.fromstring(text)
    assert root.tag == "div" and root.get("class") == "vlcp-result"
    return root


def texts(elements: list[ET.Element]) -> list[str]:
    return ["".join(element.itertext()) for element in elements]


def test_a_table_is_an_html_table(ip: InteractiveShell) -> None:
    result = run(ip, "%vlcp ports s1")
    table = html_of(result).find("table")
    assert table is not None and table.get("class") == "vlcp-table"
    assert texts(table.findall("thead/tr/th")) == ["port", "name", "address", "config",
                                                   "state"]
    rows = [texts(row.findall("td")) for row in table.findall("tbody/tr")]
    assert sorted(row[1] for row in rows) == ["s1", "s1-eth1", "s1-eth2", "s1-eth3"]
    assert rows == [[str(cell) for cell in row] for row in result.data.rows]
    bundle, _ = ip.display_formatter.format(result)
    assert bundle["text/plain"] == pretty(result) == result.text.rstrip("\n")
    assert bundle["text/plain"].splitlines()[0].split() == ["port", "name", "address",
                                                             "config", "state"]


def test_flows_are_a_table_of_their_fields(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    run(ip, "%vlcp add-flow s1 priority=10,ip,nw_dst=10.0.0.1,idle_timeout=30,"
            "actions=output:2")
    run(ip, "%vlcp add-flow s1 table=1,actions=drop")
    table = html_of(run(ip, "%vlcp dump-flows s1")).find("table")
    assert table is not None
    assert "".join(table.find("caption").itertext()).startswith(  # type: ignore[union-attr]
        "OFPST_FLOW reply (OF1.3)")
    assert texts(table.findall("thead/tr/th")) == [
        "table", "priority", "match", "actions", "n_packets", "n_bytes", "duration", "cookie",
        "idle_timeout"]
    rows = [texts(row.findall("td")) for row in table.findall("tbody/tr")]
    assert [row[:4] + row[8:] for row in rows] == [
        ["0", "10", "ip,nw_dst=10.0.0.1", "output:2", "30"],
        ["1", "32768", "", "drop", ""]]  # ovs-ofctl leaves the default priority out


def test_a_decoded_message_is_a_collapsible_tree(ip: InteractiveShell) -> None:
    run(ip, f"packet_in = '{PACKET_IN.hex()}'")
    result = run(ip, "%vlcp decode {packet_in}")
    assert result.data["type"] == "OFPT_PACKET_IN"
    top = html_of(result).find("details")
    assert top is not None and top.get("open") == ""
    summary = top.find("summary")
    assert summary is not None
    assert texts(summary.findall("code")) == ["OFPT_PACKET_IN"]  # the enum name, marked
    leaves = {item.find("span").text: item for item in top.findall("ul/li")  # type: ignore[union-attr]
              if item.find("details") is None}
    assert texts(leaves["reason"].findall("code")) == ["OFPR_ACTION"]
    assert "".join(leaves["xid"].itertext()) == "xid: 7"
    branches = {"".join(d.find("summary").itertext()).split()[0]: d  # type: ignore[union-attr]
                for d in top.findall("ul/li/details")}
    assert {"match", "data"} <= set(branches)
    frame = branches["data"]
    assert frame.get("open") == ""  # the second level is open
    layers = {"".join(d.find("summary").itertext()).split()[0]: d  # type: ignore[union-attr]
              for d in frame.findall("ul/li/details")}
    udp_layer = layers["udp_header"]
    assert udp_layer.get("open") is None  # deeper ones start closed
    assert "dport: 9" in texts(udp_layer.findall("ul/li"))
    assert "src: 00:00:00:00:00:01" in texts(layers["ethernet_header"].findall("ul/li"))


def test_explain_is_a_byte_map_coloured_by_field(ip: InteractiveShell) -> None:
    root = html_of(run(ip, f"%vlcp explain {ECHO}"))
    spans = [span for span in root.iter("span") if span.get("title")]
    assert [span.text for span in spans] == ["04", "02", "00", "08", "00", "00", "00", "09"]
    titles = [span.get("title") for span in spans]
    assert titles[1] == "type = OFPT_ECHO_REQUEST (2)" and titles[7] == "xid = 9"
    colours = [str(span.get("style")).split(";")[0] for span in spans]
    assert colours[2] == colours[3] and colours[4] == colours[7]  # a field, one colour
    assert len({colours[0], colours[1], colours[2], colours[4]}) == 4  # neighbours differ
    legend = root.find("div/table")
    assert legend is not None and legend.get("class") == "vlcp-legend"
    rows = [texts(row.findall("td")) for row in legend.findall("tbody/tr")]
    assert [row[1:4] for row in rows] == [["0000", "1", "version"], ["0001", "1", "type"],
                                          ["0002", "2", "length"], ["0004", "4", "xid"]]

    # a long message: the map shows every byte, in order, each field in its colour
    root = html_of(run(ip, f"%vlcp explain {PACKET_IN.hex()}"))
    spans = [span for span in root.iter("span") if span.get("title")]
    assert bytes.fromhex("".join(str(span.text) for span in spans)) == PACKET_IN
    tips = {str(span.get("title")) for span in spans}
    assert {"data.udp_header.dport = 9", "data.ipv4_header.src = 10.0.0.1",
            "match.oxm_fields[0].value = 2", "data.payload = 5 bytes"} <= tips
    # bit fields share their byte (and its colour); the tip names each
    shared = spans[0x38]
    assert shared.get("title") == "data.ipv4_header.version = 4 [bits 7..4]; " \
                                  "data.ipv4_header.ihl = 5 [bits 3..0]"
    assert spans[0x37].get("style") != shared.get("style") != spans[0x39].get("style")


def test_several_parts_show_in_order(ip: InteractiveShell) -> None:
    result = run(ip, "%vlcp show s1")
    assert isinstance(result.data, list) and isinstance(result.data[0], Lines)
    assert isinstance(result.table, Table) and result.table is result.data[1]
    root = html_of(result)
    assert [child.tag for child in root] == ["pre", "table"]
    assert str(root[0].text).startswith("s1: OpenFlow 1.3 dpid:")


def test_to_json(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    run(ip, "%vlcp add-flow s1 priority=9,actions=drop")
    ports = json.loads(run(ip, "%vlcp ports s1").to_json())
    assert {"port": "1", "name": "s1-eth1"}.items() <= ports[[p["name"] for p in ports]
                                                             .index("s1-eth1")].items()
    flows = json.loads(run(ip, "%vlcp dump-flows s1").to_json())
    assert flows[0].startswith("OFPST_FLOW reply") and flows[1].endswith("priority=9 "
                                                                         "actions=drop")
    decoded = json.loads(run(ip, f"%vlcp decode {PACKET_IN.hex()}").to_json(indent=None))
    assert decoded["data"]["udp_header"]["dport"] == 9
    assert decoded["match"]["oxm_fields"] == {"in_port": 2}
    assert json.loads(Result("nothing", None).to_json()) is None


def test_to_dataframe(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    run(ip, "%vlcp add-flow s1 priority=9,ip,actions=drop")
    run(ip, "%vlcp add-flow s1 priority=8,arp,actions=NORMAL")
    flows = run(ip, "%vlcp dump-flows s1").to_dataframe()
    assert list(flows.columns) == ["table", "priority", "match", "actions", "n_packets",
                                   "n_bytes", "duration", "cookie"]
    assert flows[["priority", "match", "actions"]].values.tolist() == [
        [9, "ip", "drop"], [8, "arp", "NORMAL"]]
    assert str(flows["n_packets"].dtype) == "int64" and str(flows["duration"].dtype) == \
        "float64"
    ports = run(ip, "%vlcp ports s1").to_dataframe()
    assert "s1-eth2" in ports["name"].tolist() and len(ports) == 4
    tree = run(ip, f"%vlcp decode {PACKET_IN.hex()}").to_dataframe()
    values = dict(zip(tree["field"], tree["value"], strict=True))
    assert values["type"] == "OFPT_PACKET_IN" and values["data.udp_header.dport"] == 9
    lines = run(ip, "%vlcp tables s1").to_dataframe()
    assert list(lines.columns) == ["line"] and lines["line"][0].startswith("OFPST_TABLE")


def test_to_dataframe_without_pandas_says_what_to_install() -> None:
    code = ("import sys; sys.modules['pandas'] = None\n"
            "from workbench.magics import Result\nfrom workbench.shell import Table\n"
            "try:\n    Result('ports s1', Table(['a'], [[1]])).to_dataframe()\n"
            "except ImportError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == ("Result.to_dataframe() needs pandas, which is not installed: "
                           "pip install pandas (or vlcp-workbench[dataframe])")


def test_flags_before_the_match_are_not_part_of_it() -> None:
    from workbench.magics._flows import flow_table

    table = flow_table([
        "OFPST_FLOW reply (OF1.3) (xid=0x2):",
        " cookie=0x0, duration=1.5s, table=0, n_packets=0, n_bytes=0, idle_timeout=2, "
        "send_flow_rem priority=50,ip actions=drop"])
    assert table is not None
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert (row["priority"], row["match"], row["actions"]) == (50, "ip", "drop"), row
