"""Frames built here, decoded by tshark: same fields, good checksums (one tshark run)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from vlcp_core.packet import write_pcap

from .frames import FRAMES

FIELDS = [
    "eth.src", "eth.dst", "vlan.id", "ieee8021ad.id", "ip.src", "ip.dst", "ip.ttl", "ip.len",
    "ip.hdr_len",
    "ip.checksum.status", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.hdr_len",
    "tcp.checksum.status", "tcp.options.mss_val", "udp.srcport", "udp.dstport", "udp.length",
    "udp.checksum.status", "icmp.type", "icmp.checksum.status", "ipv6.src", "ipv6.dst",
    "ipv6.plen", "icmpv6.type", "icmpv6.checksum.status", "icmpv6.nd.ns.target_address",
    "icmpv6.nd.na.target_address", "icmpv6.opt.linkaddr", "lldp.chassis.id.mac",
    "lldp.port.id", "lldp.time_to_live", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
    "arp.opcode", "_ws.expert.message",
]
GOOD = "1"  # tshark 4.0 checksum.status: 1 good, 0 bad, 2 unverified (tried)
EXPECTED: dict[str, dict[str, str]] = {
    "tcp": {"ip.src": "10.0.0.1", "ip.dst": "10.0.0.2", "ip.ttl": "64", "ip.len": "45",
            "ip.hdr_len": "20", "ip.checksum.status": GOOD, "tcp.srcport": "1234",
            "tcp.dstport": "80", "tcp.flags": "0x0002", "tcp.checksum.status": GOOD},
    "tcp_opts": {"ip.hdr_len": "24", "ip.checksum.status": GOOD, "tcp.hdr_len": "28",
                 "tcp.flags": "0x0012", "tcp.options.mss_val": "1460",
                 "tcp.checksum.status": GOOD},
    "udp": {"udp.srcport": "5000", "udp.dstport": "5001", "udp.length": "13",
            "udp.checksum.status": GOOD, "ip.checksum.status": GOOD},
    "icmp": {"icmp.type": "8", "icmp.checksum.status": GOOD},
    "arp": {"arp.src.proto_ipv4": "10.0.0.1", "arp.dst.proto_ipv4": "10.0.0.2",
            "arp.opcode": "1"},
    "vlan": {"vlan.id": "10", "udp.checksum.status": GOOD},
    "qinq": {"ieee8021ad.id": "100", "vlan.id": "10", "tcp.dstport": "443",
             "tcp.checksum.status": GOOD},
    "ipv6": {"ipv6.src": "fe80::1", "ipv6.dst": "fe80::2", "ipv6.plen": "0"},
    "tcp6": {"tcp.dstport": "2222", "tcp.checksum.status": GOOD, "ipv6.plen": "23"},
    "udp6": {"udp.dstport": "547", "udp.checksum.status": GOOD},
    "echo6": {"icmpv6.type": "128", "icmpv6.checksum.status": GOOD},
    "ns": {"icmpv6.type": "135", "icmpv6.checksum.status": GOOD,
           "icmpv6.nd.ns.target_address": "fe80::2", "icmpv6.opt.linkaddr": "00:00:00:00:00:01"},
    "na": {"icmpv6.type": "136", "icmpv6.checksum.status": GOOD,
           "icmpv6.nd.na.target_address": "fe80::2", "icmpv6.opt.linkaddr": "00:00:00:00:00:02"},
    "ext6": {"udp.dstport": "9", "udp.checksum.status": GOOD},
    "lldp": {"lldp.chassis.id.mac": "00:00:00:00:00:01", "lldp.port.id": "p1",
             "lldp.time_to_live": "120"},
}


def test_tshark_agrees(tmp_path: Path) -> None:
    names = sorted(EXPECTED)
    pcap = tmp_path / "frames.pcap"
    write_pcap(pcap, [FRAMES[n] for n in names])
    cmd = ["tshark", "-r", str(pcap), "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
           "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    rows = out.rstrip("\n").split("\n")
    assert len(rows) == len(names)
    for name, row in zip(names, rows, strict=True):
        got = dict(zip(FIELDS, row.split("\t"), strict=True))
        assert got["eth.src"] == "00:00:00:00:00:01", name
        for field, value in EXPECTED[name].items():
            assert got[field] == value, (name, field, got)
        assert "incorrect" not in got["_ws.expert.message"].lower(), (name, got)
        assert "malformed" not in got["_ws.expert.message"].lower(), (name, got)
