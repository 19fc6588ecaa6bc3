from __future__ import annotations

import pytest

from thidua_platform.auth import Principal
from thidua_platform.outbox import _merge, change_id
from thidua_platform.problems import Forbidden, Unprocessable
from thidua_platform.repository import narrowed
from thidua_platform.tenancy import Scope, commune_scope, listing_scope, read_scope

OFFICER = Principal("u1", "lm.officer", frozenset({"commune_officer"}), tenant="ph-37-lien-minh", province="37")
STAFF = Principal("u2", "nb.staff", frozenset({"province_staff"}), tenant=None, province="37")
OPERATOR = Principal("u3", "op.admin", frozenset({"operator"}))


def test_a_commune_scope_is_bounded_by_tenant_and_province() -> None:
    scope = read_scope(OFFICER)
    assert scope.filter() == {"tenant": "ph-37-lien-minh", "province": "37"}
    assert scope.apply({"_id": "x", "tenant": "other"}) == {
        "$and": [{"_id": "x", "tenant": "other"}, {"tenant": "ph-37-lien-minh", "province": "37"}]
    }


def test_province_staff_read_their_province_only() -> None:
    scope = read_scope(STAFF)
    assert scope.filter() == {"province": "37"}
    narrowed = scope.narrowed_to("ph-37-lien-minh")
    assert narrowed is not None
    assert narrowed.filter() == {"tenant": "ph-37-lien-minh", "province": "37"}


def test_lists_that_grow_with_the_province_are_read_one_commune_at_a_time() -> None:
    """Province staff name the commune (422 on the field when they do not); commune users read their own whatever
    they name, so naming another commune widens nothing."""
    assert listing_scope(STAFF, "ph-37-lien-minh").filter() == {"tenant": "ph-37-lien-minh", "province": "37"}
    with pytest.raises(Unprocessable) as refused:
        listing_scope(STAFF, None)
    assert [e["field"] for e in refused.value.body()["errors"]] == ["commune"]
    assert listing_scope(OFFICER, "ph-37-tam-diep").filter() == {"tenant": "ph-37-lien-minh", "province": "37"}
    with pytest.raises(Forbidden):
        listing_scope(OPERATOR, "ph-37-lien-minh")


def test_a_commune_cannot_narrow_to_another() -> None:
    assert read_scope(OFFICER).narrowed_to("ph-51-son-mai") is None


def test_acts_of_a_commune_need_a_commune_user() -> None:
    assert commune_scope(OFFICER).tenant == "ph-37-lien-minh"
    with pytest.raises(Forbidden):
        commune_scope(STAFF)
    with pytest.raises(Forbidden):
        read_scope(OPERATOR)


def test_a_commune_scope_names_what_its_documents_carry() -> None:
    """Documents created in a scope carry its commune and province; a commune whose organisation names no province
    cannot create any (403, not a document filed under no province)."""
    scope = commune_scope(OFFICER)
    assert (scope.commune, scope.province_code) == ("ph-37-lien-minh", "37")
    with pytest.raises(ValueError, match="no commune"):
        _ = read_scope(STAFF).commune
    orphan = Principal("u4", "x.officer", frozenset({"commune_officer"}), tenant="ph-00-x", province=None)
    with pytest.raises(Forbidden):
        commune_scope(orphan)


def test_an_empty_scope_is_impossible() -> None:
    with pytest.raises(ValueError, match="scope"):
        Scope()


def test_every_change_records_its_revision_and_nonce() -> None:
    update = {"$set": {"status": "submitted"}, "$push": {"audit": {"a": 1}}}
    merged = _merge(update, revision=4, nonce="n1")
    assert merged == {
        "$set": {"status": "submitted", "revision": 4},
        "$push": {"audit": {"a": 1}, "applied_changes": "n1"},
    }
    assert update == {"$set": {"status": "submitted"}, "$push": {"audit": {"a": 1}}}  # the caller's is untouched


def test_change_ids_name_collection_aggregate_and_revision() -> None:
    assert change_id("submissions", "s-1", 3) == "submissions:s-1:3"


def test_a_filter_narrows_an_access_restriction_and_never_replaces_it() -> None:
    own = {"entrant.id": {"$in": ["mine"]}}
    assert narrowed(own, [("entrant.id", "theirs"), ("status", None)]) == {"$and": [own, {"entrant.id": "theirs"}]}
    assert narrowed({}, [("period", "2026")]) == {"period": "2026"}
    assert narrowed(own, [("period", None)]) == own
    assert narrowed({}, []) == {}
