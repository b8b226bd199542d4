"""CAMEO table, QuadClass, Goldstein and PLOVER mapping."""

import pytest

from flashpoint.ontology import cameo_table, leaf_codes, lookup, quad_class


@pytest.mark.parametrize(
    ("code", "expected"),
    [("010", 1), ("0331", 1), ("057", 1), ("061", 2), ("0871", 2), ("090", 2), ("100", 3),
     ("112", 3), ("145", 3), ("150", 4), ("163", 4), ("195", 4), ("2042", 4)],
)
def test_quad_class_follows_gdelt(code, expected):
    assert quad_class(code) == expected
    assert lookup(code).quad_class == expected


def test_every_root_is_present_with_its_leaves():
    table = cameo_table()
    assert {c for c in table if len(c) == 2} == {f"{i:02d}" for i in range(1, 21)}
    for code in table:
        assert code[:2] in table, code
    assert len(leaf_codes()) >= 290


def test_goldstein_and_plover_facts():
    assert lookup("195").goldstein == -10.0
    assert lookup("195").plover_type == "ASSAULT"
    assert lookup("112").plover_type == "ACCUSE"
    assert lookup("154").plover_type == "MOBILIZE"
    assert lookup("057").goldstein == 8.0
    # PLOVER drops statements and appeals
    assert lookup("010").plover_type is None
    assert lookup("020").plover_type is None
    assert lookup("106").name == "Demand meeting, negotiation"


def test_unknown_codes_fail_clearly():
    with pytest.raises(KeyError, match="unknown CAMEO event code '999'"):
        lookup("999")
    with pytest.raises(ValueError, match="not a CAMEO event code"):
        quad_class("21")
