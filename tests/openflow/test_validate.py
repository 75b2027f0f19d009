"""validate(): what decoding lets through but sending must not."""

from __future__ import annotations

import pytest

from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import ValidationError, oxm_class_for, v13, validate
from vlcp_core.openflow._validate import problems


def oxm(name: str, value: object, mask: object = None) -> Struct:
    found = oxm_class_for(name)
    assert found is not None
    if mask is None:
        return found[1](value=value)
    return found[1](value=value, mask=mask, oxm_hasmask=1)


def match(*fields: Struct) -> Struct:
    return v13.ofp_match(oxm_fields=list(fields))


def test_good_matches_pass() -> None:
    validate(match())
    validate(match(oxm("in_port", 1), oxm("eth_type", 0x0800), oxm("ip_dst", "10.0.0.0",
                                                                   "255.255.255.0")))
    validate(match(oxm("eth_type", 0x86DD), oxm("nw_proto", 58), oxm("icmpv6_type", 135),
                   oxm("nd_target", "fe80::1"), oxm("nd_sll", "00:00:00:00:00:01")))
    validate(match(oxm("vlan_vid", 0x1005), oxm("vlan_pcp", 3)))
    validate(match(oxm("eth_type", 0x0806), oxm("arp_spa", "10.0.0.1")))


@pytest.mark.parametrize("fields,path,words", [
    ((oxm("ip_dst", "10.0.0.1"),), "ofp_match.oxm_fields[0]", "eth_type=0x0800"),
    ((oxm("eth_type", 0x0800), oxm("tcp_dst", 80)), "ofp_match.oxm_fields[1]", "nw_proto=6"),
    ((oxm("eth_type", 0x0800), oxm("nw_proto", 17), oxm("tcp_dst", 80)),
     "ofp_match.oxm_fields[2]", "tcp"),
    ((oxm("vlan_pcp", 3),), "ofp_match.oxm_fields[0]", "OFPVID_PRESENT"),
    ((oxm("vlan_vid", 5), oxm("vlan_pcp", 3)), "ofp_match.oxm_fields[1]", "OFPVID_PRESENT"),
    ((oxm("eth_type", 0x86DD), oxm("nw_proto", 58), oxm("nd_target", "fe80::1")),
     "ofp_match.oxm_fields[2]", "icmpv6_type=135 or 136"),
    ((oxm("in_port", 1), oxm("in_port", 2)), "ofp_match.oxm_fields[1]", "appears twice"),
    ((oxm("vlan_vid", 0x1005), oxm("vlan_pcp", 9)), "ofp_match.oxm_fields[1].value",
     "out of range"),
    ((oxm("eth_type", 0x0800), oxm("ip_dst", "10.0.0.1", "255.255.255.0")),
     "ofp_match.oxm_fields[1].value", "outside its mask"),
])
def test_problems_are_named(fields: tuple[Struct, ...], path: str, words: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate(match(*fields))
    assert e.value.path == path
    assert words in str(e.value)


def test_mask_flags_must_agree() -> None:
    cls = oxm_class_for("eth_dst")[1]  # type: ignore[index]
    lost = cls(value="aa:bb:cc:dd:ee:ff", mask="ff:ff:ff:00:00:00")  # oxm_hasmask left 0
    found = problems(match(lost))
    assert [e.path for e in found] == ["ofp_match.oxm_fields[0].oxm_hasmask"]
    assert "mask would be lost" in str(found[0])
    port = oxm_class_for("in_port")[1](value=1, oxm_hasmask=1, mask=1)  # type: ignore[index]
    assert "cannot be masked" in str(problems(match(port))[0])


def test_decoding_stays_liberal() -> None:
    # What validation refuses still decodes and round-trips.
    m = match(oxm("tcp_dst", 80), oxm("tcp_dst", 81))
    again = v13.ofp_match.create(bytes(m))
    assert again == m and len(problems(again)) == 3


def v10_match(**fields: object) -> Struct:
    from vlcp_core.openflow import v10

    wildcards = 0x3FFFFF
    bits = {"in_port": 1 << 0, "dl_type": 1 << 4, "nw_proto": 1 << 5, "tp_src": 1 << 6,
            "tp_dst": 1 << 7, "nw_tos": 1 << 21}
    for name in fields:
        if name in bits:
            wildcards &= ~bits[name]
        if name == "nw_dst":
            wildcards &= ~(0x3F << 14)
        if name == "nw_src":
            wildcards &= ~(0x3F << 8)
    return v10.ofp_match(wildcards=wildcards, **fields)


def test_v10_prerequisites() -> None:
    validate(v10_match(in_port=1, dl_type=0x0800, nw_dst="10.0.0.1"))
    validate(v10_match(dl_type=0x0800, nw_proto=6, tp_dst=80))
    with pytest.raises(ValidationError) as e:
        validate(v10_match(nw_dst="10.0.0.1"))
    assert e.value.path == "ofp_match.nw_dst" and "dl_type=0x0800" in str(e.value)
    with pytest.raises(ValidationError) as e:
        validate(v10_match(dl_type=0x0800, tp_dst=80))
    assert e.value.path == "ofp_match.tp_dst" and "nw_proto=6" in str(e.value)
    from vlcp_core.openflow import v10

    assert problems(v10.ofp_match()) == []  # everything wildcarded is fine
