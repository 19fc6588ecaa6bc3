"""thidua-docstore, the local stack's database (docs/adr/0016), on its own: a second instance on other ports with
its own data directory, started and killed by the test.

- every write it acknowledged is there after a SIGKILL and a restart, with the collections' indexes;
- a journal whose last record a kill cut short is read up to that record, and writes go on after it;
- a query that fixes an index's leading keys reads that slice only (it is not reported as a scan), one that fixes
  none is reported, by the client's name;
- an aggregation's leading `$match` is served by the same indexes (`count_documents`), and so are `$in` on an
  index's keys and a lookup by `_id` whatever else its filter says;
- a sort on the keys an index holds after the fixed ones is read in the index's order, a page at a time, and a
  `count_documents` is counted on the index's slice (without reading a document when the filter's every condition
  fixes one of the index's leading keys to a string): both give exactly what MongoDB's rules give (checked against the
  rules written out in Python, on documents with ties, missing and null values, arrays, updates and deletions);
- documents are held as their BSON bytes, so a province's documents fit in a heap their objects would overflow.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

ROOT = Path(__file__).resolve().parents[2]
ADDR, HEALTH = "127.0.0.1:27047", "127.0.0.1:27048"


class Docstore:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "THIDUA_DOCSTORE_DATA": str(self.data),
            "THIDUA_DOCSTORE_ADDR": ADDR,
            "THIDUA_DOCSTORE_HEALTH_ADDR": HEALTH,
            "THIDUA_DOCSTORE_HEAP": "512m",
        }
        log = (self.data.parent / "docstore.log").open("ab")
        self.process = subprocess.Popen(
            ["bash", str(ROOT / "deploy/docstore/run.sh")], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://{HEALTH}/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, (self.data.parent / "docstore.log").read_text()[-2000:]
            time.sleep(0.2)
        raise AssertionError("thidua-docstore did not become ready")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def client(self, appname: str = "thidua-test-docstore") -> MongoClient[dict[str, object]]:
        return MongoClient(f"mongodb://{ADDR}/", appname=appname, serverSelectionTimeoutMS=5000)

    def scans(self) -> list[dict[str, object]]:
        return list(httpx.get(f"http://{HEALTH}/scans", timeout=5).json())

    def documents_read(self) -> int:
        return int(httpx.get(f"http://{HEALTH}/reads", timeout=5).json()["documents_read"])


@pytest.fixture
def docstore(tmp_path: Path) -> Iterator[Docstore]:
    store = Docstore(tmp_path / "data")
    store.start()
    yield store
    if store.process is not None and store.process.poll() is None:
        store.kill()


def test_every_acknowledged_write_survives_a_sigkill_with_its_indexes(docstore: Docstore) -> None:
    with docstore.client() as client:
        dossiers = client["thidua_test"]["dossiers"]
        dossiers.create_index([("tenant", 1), ("period", 1)], name="tenant_1_period_1")
        dossiers.create_index([("active_key", 1)], unique=True, name="one_active")
        for i in range(2000):
            dossiers.insert_one({"_id": f"d{i}", "tenant": f"c{i % 7}", "period": "2026", "active_key": f"k{i}"})
            dossiers.update_one({"_id": f"d{i}"}, {"$set": {"status": "submitted"}, "$push": {"audit": i}})
            if i % 10 == 0:
                dossiers.delete_one({"_id": f"d{i}"})
        docstore.kill()  # right after the last acknowledgement

    docstore.start()
    with docstore.client() as client:
        dossiers = client["thidua_test"]["dossiers"]
        assert dossiers.count_documents({}) == 1800
        assert dossiers.find_one({"_id": "d1999"}) == {
            "_id": "d1999", "tenant": "c4", "period": "2026", "active_key": "k1999", "status": "submitted",
            "audit": [1999],
        }  # fmt: skip
        assert dossiers.find_one({"_id": "d1990"}) is None
        assert {i["name"] for i in dossiers.list_indexes()} == {"_id_", "tenant_1_period_1", "one_active"}
        with pytest.raises(Exception, match="duplicate key"):
            dossiers.insert_one({"_id": "again", "active_key": "k5"})


def test_a_record_cut_short_by_a_kill_is_dropped_and_writing_goes_on(docstore: Docstore) -> None:
    with docstore.client() as client:
        client["thidua_test"]["marks"].insert_many([{"_id": i} for i in range(100)])
    docstore.kill()
    journal = docstore.data / "journal.bin"
    with journal.open("ab") as tail:  # a record's length and the start of its body, as a kill mid-write leaves it
        tail.write((500).to_bytes(4, "big") + b"P\x00\x00")
    docstore.start()
    with docstore.client() as client:
        marks = client["thidua_test"]["marks"]
        assert marks.count_documents({}) == 100
        marks.insert_one({"_id": "after"})
    docstore.kill()
    docstore.start()
    with docstore.client() as client:
        assert client["thidua_test"]["marks"].count_documents({}) == 101


def test_queries_fixing_an_index_read_their_slice_and_others_are_reported(docstore: Docstore) -> None:
    with docstore.client() as client:
        facts = client["thidua_test"]["facts"]
        facts.create_index([("tenant", 1), ("period", 1), ("created_at", -1)], name="tenant_1_period_1_created_at_-1")
        facts.insert_many(
            [{"_id": i, "tenant": f"c{i % 10}", "period": str(2025 + i % 3), "created_at": i} for i in range(3000)]
        )
        scoped = {"$and": [{"period": "2026"}, {"tenant": "c1", "province": None}]}
        newest = list(facts.find(scoped).sort("created_at", -1).limit(5))
        assert [d["_id"] for d in newest] == [2971, 2941, 2911, 2881, 2851]
        assert facts.count_documents({"tenant": "c1", "period": "2026"}) == 100
        assert facts.count_documents({"tenant": "c1"}) == 300
        assert facts.count_documents({"tenant": {"$in": ["c1", "c2"]}, "period": "2026"}) == 200
        assert facts.find_one({"$and": [{"_id": 1771}, {"tenant": "c1"}]}) is not None
        assert facts.find_one({"_id": {"$in": [1771, 5]}, "tenant": "c5"}) == {
            "_id": 5, "tenant": "c5", "period": "2027", "created_at": 5,
        }  # fmt: skip
        assert docstore.scans() == []
        assert facts.count_documents({"period": "2026"}) == 1000  # no index starts with the period
    [scan] = docstore.scans()
    assert scan["namespace"] == "thidua_test.facts"
    assert scan["shape"] == '{"period": 1}'
    assert scan["application"] == "thidua-test-docstore"
    assert scan["documents_read"] == 3000


def test_renames_index_drops_and_refused_writes_come_back_as_they_were(docstore: Docstore) -> None:
    """Found in review: each of these once left a journal the server could not, or wrongly, read back."""
    with docstore.client() as client:
        db = client["thidua_test"]
        db["a"].create_index([("x", 1)], name="x_1")
        db["a"].insert_one({"_id": 1, "x": 1})
        db["a"].rename("b")
        for name in ("c", "d"):
            db[name].create_index([("tenant", 1)], name="tenant_1")
            db[name].insert_one({"_id": 1, "tenant": "t"})
        db["c"].drop_index("tenant_1")
        db["e"].create_index([("p", 1), ("q", 1)], name="p_1_q_1")
        with pytest.raises(Exception, match="parallel arrays"):
            db["e"].insert_one({"_id": 1, "p": [1, 2], "q": [3, 4]})
        db["f"].insert_one({"_id": 1})
        db["f"].replace_one({"_id": 1}, {"_id": 1.0, "x": 2})
    docstore.kill()
    docstore.start()
    with docstore.client() as client:
        db = client["thidua_test"]
        assert "a" not in db.list_collection_names()
        assert db["b"].find_one() == {"_id": 1, "x": 1}
        assert {i["name"] for i in db["b"].list_indexes()} == {"_id_", "x_1"}
        assert {i["name"] for i in db["c"].list_indexes()} == {"_id_"}
        assert {i["name"] for i in db["d"].list_indexes()} == {"_id_", "tenant_1"}
        assert db["e"].count_documents({}) == 0
        assert list(db["f"].find()) == [{"_id": 1.0, "x": 2}]


def test_a_large_result_comes_in_batches_under_the_wire_limit(docstore: Docstore) -> None:
    """A province's scores once came back as one 48 MB reply, which the driver refuses (a 500 at 50,000 dossiers)."""
    with docstore.client() as client:
        scores = client["thidua_test"]["scores"]
        for first in range(0, 3000, 500):
            scores.insert_many([{"_id": i, "tenant": "t", "evidence": "x" * 20_000} for i in range(first, first + 500)])
        assert sum(1 for _ in scores.find({"tenant": "t"})) == 3000  # 60 MB in all
        assert len(list(scores.find({"tenant": "t"}).batch_size(7))) == 3000
        assert scores.find_one({"_id": 2999}, {"_id": 1}) == {"_id": 2999}


def test_index_ordered_pages_and_counts_answer_as_mongodb_does(docstore: Docstore) -> None:
    """An inbox-shaped collection: (recipient, -created_at, -_id) and (recipient, read_at), read as the services
    read it (scope first in an `$and`), a page at a time, newest first, and counted."""
    rng = random.Random(19)  # noqa: S311 (test data, not security)
    documents: dict[str, dict[str, object]] = {}
    for i in range(1500):
        document: dict[str, object] = {
            "_id": f"m{i:05d}",
            "tenant": rng.choice(["c1", "c2"]),
            "province": "37",
            "recipient": rng.choice(["u1", "u1", "u1", "u2"]),
            "created_at": rng.randrange(200),  # many ties, broken by the _id
        }
        if i % 3:
            document["read_at"] = None if i % 3 == 1 else i
        if i % 97 == 0:
            del document["created_at"]  # sorts as null: last when newest first
        documents[str(document["_id"])] = document
    documents["m00008"]["recipient"] = ["u1", "u2"]  # an array: matched element by element, read by the matcher

    def expected(query: Mapping[str, object], skip: int = 0, limit: int = 0, newest_first: bool = True) -> list[str]:
        def holds(document: dict[str, object], field: str, value: object) -> bool:
            held = document.get(field)
            return value in held if isinstance(held, list) else held == value

        found = [d for d in documents.values() if all(holds(d, f, v) for f, v in query.items())]
        ordered = sorted(
            found,
            key=lambda d: (d.get("created_at") is not None, d.get("created_at") or 0, str(d["_id"])),
            reverse=newest_first,
        )
        ids = [str(d["_id"]) for d in ordered][skip:]
        return ids[:limit] if limit else ids

    with docstore.client() as client:
        inbox = client["thidua_test"]["inbox"]
        inbox.create_index([("recipient", 1), ("created_at", -1), ("_id", -1)])
        inbox.create_index([("recipient", 1), ("read_at", 1)])
        inbox.create_index([("tenant", 1), ("province", 1)])
        inbox.insert_many([dict(d) for d in documents.values()])
        for i in range(0, 1500, 7):  # moved within the order, and out of it
            moved = f"m{i:05d}"
            inbox.update_one({"_id": moved}, {"$set": {"created_at": 300 + i, "recipient": "u2"}})
            documents[moved].update(created_at=300 + i, recipient="u2")
        for i in range(0, 1500, 11):
            inbox.delete_one({"_id": f"m{i:05d}"})
            documents.pop(f"m{i:05d}", None)

        for tenant, recipient in [("c1", "u1"), ("c2", "u2"), ("c9", "u1")]:
            scoped = {"$and": [{"recipient": recipient}, {"tenant": tenant, "province": "37"}]}
            plain = {"recipient": recipient, "tenant": tenant, "province": "37"}
            for skip, limit in [(0, 20), (20, 20), (0, 1), (500, 20), (5000, 20)]:
                page = inbox.find(scoped).sort([("created_at", -1), ("_id", -1)]).skip(skip).limit(limit)
                assert [d["_id"] for d in page] == expected(plain, skip, limit)
                oldest = inbox.find(scoped).sort([("created_at", 1), ("_id", 1)]).skip(skip).limit(limit)
                assert [d["_id"] for d in oldest] == expected(plain, skip, limit, newest_first=False)
            assert inbox.count_documents(scoped) == len(expected(plain))
            unread = {"$and": [{"recipient": recipient, "read_at": None}, {"tenant": tenant, "province": "37"}]}
            assert inbox.count_documents(unread) == len(expected({**plain, "read_at": None}))
            assert inbox.count_documents(scoped, skip=3, limit=10) == min(10, max(0, len(expected(plain)) - 3))
        assert inbox.count_documents({"recipient": {"$in": ["u1", "u2"]}, "tenant": "c1"}) == len(
            expected({"tenant": "c1"})
        )
        assert docstore.scans() == []

        # a page reads its documents, not the recipient's whole slice (about half of which is the other commune's)
        slice_size = inbox.count_documents({"recipient": "u1"})
        before = docstore.documents_read()
        scoped = {"$and": [{"recipient": "u1"}, {"tenant": "c1", "province": "37"}]}
        assert len(list(inbox.find(scoped).sort([("created_at", -1), ("_id", -1)]).limit(20))) == 20
        assert slice_size > 500
        assert docstore.documents_read() - before < 80

        # a count whose every condition fixes one of an index's leading keys is that slice's size, read without a
        # document (m00008, a recipient of both, counted once for each; an unread one has no read_at or a null)
        inbox.create_index([("tenant", 1), ("recipient", 1)])
        before = docstore.documents_read()
        for tenant, recipient in [("c1", "u1"), ("c2", "u2"), ("c1", "u2")]:
            both = {"$and": [{"recipient": recipient}, {"tenant": tenant}]}
            assert inbox.count_documents(both) == len(expected({"recipient": recipient, "tenant": tenant}))
        assert inbox.count_documents({"recipient": {"$eq": "u2"}}) == len(expected({"recipient": "u2"}))
        assert inbox.count_documents({"recipient": "u1", "read_at": None}) == len(
            expected({"recipient": "u1", "read_at": None})
        )
        assert docstore.documents_read() == before


def test_a_count_on_an_index_reads_no_document_unless_an_array_may_hide_a_null(docstore: Docstore) -> None:
    """A count whose every condition fixes one of an index's leading keys is the slice's size; a null is counted so
    only on a key no document ever held an array on (MongoDB's null matches a missing field and an array holding
    null, but not an empty array): after one does, the slice is read and tested, and the count is still right."""

    def held(document: Mapping[str, object], field: str, value: object) -> bool:
        found = document.get(field)
        return value in found if isinstance(found, list) else found == value

    def expected(query: Mapping[str, object]) -> int:
        return sum(1 for d in documents if all(held(d, f, v) for f, v in query.items()))

    documents: list[dict[str, object]] = []
    for i in range(300):
        document: dict[str, object] = {"_id": i, "owner": "u1" if i % 3 else "u2", "tag": "x" if i % 2 else "y"}
        if i % 4 == 0:
            document["seen_at"] = i
        elif i % 4 == 1:
            document["seen_at"] = None
        documents.append(document)  # the others have no seen_at: null to the matcher
    with docstore.client() as client:
        marks = client["thidua_test"]["counted"]
        marks.create_index([("owner", 1), ("seen_at", 1)])
        marks.create_index([("tag", 1), ("owner", 1)])
        marks.insert_many([dict(d) for d in documents])

        before = docstore.documents_read()
        for owner in ("u1", "u2"):
            assert marks.count_documents({"owner": owner, "seen_at": None}) == expected(
                {"owner": owner, "seen_at": None}
            )
            both = {"$and": [{"owner": owner}, {"tag": "x"}]}
            assert marks.count_documents(both) == expected({"owner": owner, "tag": "x"})
        assert docstore.documents_read() == before

        arrays = [{"_id": 1000, "owner": "u1", "seen_at": []}, {"_id": 1001, "owner": "u1", "seen_at": [None, 3]}]
        arrays.append({"_id": 1002, "owner": ["u1", "u2"], "tag": "x"})
        marks.insert_many([dict(d) for d in arrays])
        documents.extend(arrays)
        before = docstore.documents_read()
        assert marks.count_documents({"owner": "u1", "seen_at": None}) == expected({"owner": "u1", "seen_at": None})
        assert docstore.documents_read() > before  # seen_at has held an array: the slice is read
        before = docstore.documents_read()
        for owner in ("u1", "u2"):  # a string on a key that holds arrays: each element is in the index
            assert marks.count_documents({"tag": "x", "owner": owner}) == expected({"tag": "x", "owner": owner})
        assert docstore.documents_read() == before


def test_a_document_holding_an_empty_array_in_an_indexed_key_is_found_counted_and_removed(docstore: Docstore) -> None:
    """MongoDB indexes an empty array as one entry; the server's index gives none, which left such a document out of
    the slices of the keys before it (a query on the tenant alone missed it) and unfound when it was removed."""
    with docstore.client() as client:
        units = client["thidua_test"]["units"]
        units.create_index([("tenant", 1), ("focal_users", 1), ("kind", 1)])
        units.insert_many(
            [
                {"_id": "u0", "tenant": "c1", "focal_users": [], "kind": "collective"},
                {"_id": "u1", "tenant": "c1", "focal_users": ["a", "b"], "kind": "collective"},
                {"_id": "u2", "tenant": "c1", "focal_users": ["a"], "kind": "individual"},
                {"_id": "u3", "tenant": "c2", "focal_users": [], "kind": "collective"},
            ]
        )
        assert sorted(str(d["_id"]) for d in units.find({"tenant": "c1"})) == ["u0", "u1", "u2"]
        assert units.count_documents({"tenant": "c1"}) == 3
        assert [d["_id"] for d in units.find({"tenant": "c1", "focal_users": "a", "kind": "collective"})] == ["u1"]
        assert units.count_documents({"tenant": "c1", "focal_users": None}) == 0  # null matches no empty array
        units.update_one({"_id": "u1"}, {"$set": {"focal_users": []}})
        assert units.count_documents({"tenant": "c1", "focal_users": "a"}) == 1
        assert units.delete_one({"_id": "u0"}).deleted_count == 1
        assert units.delete_many({"tenant": "c1"}).deleted_count == 2
        assert [d["_id"] for d in units.find({"tenant": "c2"})] == ["u3"]
        assert docstore.scans() == []


def dossier_like(i: int) -> dict[str, object]:
    """A document shaped as the services' are: short fields, a nested entrant, a list of small evidence items."""
    return {
        "_id": f"dossier-{i:07d}",
        "tenant": f"ph-37-xa-{i % 129:03d}",
        "province": "37",
        "period": "2026",
        "status": "submitted",
        "entrant": {"id": f"entrant-{i}", "name": f"Thôn Đông Hưng {i}", "kind": "collective", "target_group": "a"},
        "evidence": [{"code": f"TC{k}", "value": k, "note": "Đạt", "attachments": []} for k in range(12)],
        **{f"field_{k}": f"giá trị {k}" for k in range(20)},
    }


def test_documents_are_held_as_their_bytes_so_a_province_fits_in_its_heap(docstore: Docstore) -> None:
    """120,000 documents of ~1.6 kB encoded (~190 MB) in a 512 MB heap: held as the server's document objects (a map a
    document, an object a value; ~7 kB each, ADR 0016) they overflowed it and the server stopped on OutOfMemoryError;
    held as bytes they fit, and read back equal, change and are removed as before."""
    with docstore.client() as client:
        dossiers = client["thidua_test"]["dossiers"]
        dossiers.create_index([("tenant", 1), ("period", 1)], name="tenant_1_period_1")
        for start in range(0, 120_000, 2_000):
            dossiers.insert_many([dossier_like(i) for i in range(start, start + 2_000)], ordered=False)
        assert dossiers.count_documents({}) == 120_000
        assert dossiers.find_one({"_id": "dossier-0100000"}) == dossier_like(100_000)
        dossiers.update_one({"_id": "dossier-0000007"}, {"$set": {"status": "scored", "entrant.name": "Thôn Mới"}})
        changed = dossiers.find_one({"_id": "dossier-0000007"})
        assert changed is not None
        assert changed["status"] == "scored"
        assert changed["entrant"] == {**dossier_like(7)["entrant"], "name": "Thôn Mới"}  # type: ignore[dict-item]
        assert dossiers.count_documents({"tenant": "ph-37-xa-007", "period": "2026"}) == len(range(7, 120_000, 129))
        dossiers.delete_one({"_id": "dossier-0000007"})
        assert dossiers.count_documents({"tenant": "ph-37-xa-007", "period": "2026"}) == len(range(136, 120_000, 129))
    assert docstore.process is not None, "the docstore stopped"
    assert docstore.process.poll() is None, "the docstore stopped"
