"""`matches`: the conditions a scoped read by id checks on the document itself, as MongoDB would filter."""

from __future__ import annotations

from thidua_platform.repository import matches
from thidua_platform.tenancy import Scope

DOSSIER = {"_id": "s1", "tenant": "t1", "province": "37", "entrant": {"id": "e1", "focal": ["u1", "u2"]}, "n": 3}


def test_plain_values_dotted_fields_lists_and_in() -> None:
    assert matches(DOSSIER, "n", 3) is True
    assert matches(DOSSIER, "n", 4) is False
    assert matches(DOSSIER, "entrant.id", "e1") is True
    assert matches(DOSSIER, "entrant.id", "e2") is False
    assert matches(DOSSIER, "entrant.focal", "u2") is True  # a list field holds the value
    assert matches(DOSSIER, "entrant.id", {"$in": ["e0", "e1"]}) is True
    assert matches(DOSSIER, "entrant.id", {"$in": []}) is False
    assert matches(DOSSIER, "entrant.focal", {"$in": ["u9", "u1"]}) is True
    assert matches(DOSSIER, "missing.path", "x") is False
    assert matches(DOSSIER, "missing", None) is True  # as MongoDB: a missing field equals null


def test_anything_else_is_left_to_the_server() -> None:
    assert matches(DOSSIER, "n", {"$gt": 1}) is None
    assert matches(DOSSIER, "entrant.id", {"$in": ["e1"], "$ne": "e2"}) is None
    assert matches(DOSSIER, "entrant.focal", ["u1", "u2"]) is None


def test_a_scope_admits_only_its_own_documents() -> None:
    assert Scope(tenant="t1", province="37").admits(DOSSIER)
    assert Scope(province="37").admits(DOSSIER)
    assert not Scope(tenant="t2", province="37").admits(DOSSIER)
    assert not Scope(province="51").admits(DOSSIER)
