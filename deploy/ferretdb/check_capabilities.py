#!/usr/bin/env python3
"""Check which MongoDB features the project relies on work against a server.

Usage:
    python deploy/ferretdb/check_capabilities.py [-v] [--no-extras] [mongodb://127.0.0.1:27027/]

Needs pymongo >= 4.9 (async API). Works in a throw-away database
(thidua_capcheck_<random>) that is dropped at the end. Prints one row per
check (yes/no plus the error). Exit status is 1 if any *required* check
failed; the extra checks (workarounds and other features) are informational
and can be skipped with --no-extras. -v prints tracebacks.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
import unicodedata
import uuid

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, InsertOne, ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

DEFAULT_URL = "mongodb://127.0.0.1:27027/"


class CheckFailed(AssertionError):
    pass


def expect(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckFailed(msg)


async def c_ping(db):
    r = await db.command("ping")
    expect(r.get("ok") == 1, f"ping returned {r!r}")


async def c_insert_find(db):
    col = db.insert_find
    res = await col.insert_one({"_id": "a", "name": "x", "n": 1})
    expect(res.inserted_id == "a", f"inserted_id={res.inserted_id!r}")
    doc = await col.find_one({"_id": "a"})
    expect(doc == {"_id": "a", "name": "x", "n": 1}, f"find_one returned {doc!r}")
    # auto-generated ObjectId
    res = await col.insert_one({"name": "y"})
    doc = await col.find_one({"_id": res.inserted_id})
    expect(doc is not None and doc["name"] == "y", f"find by ObjectId returned {doc!r}")


async def c_update_upsert(db):
    col = db.update_upsert
    r1 = await col.update_one({"_id": "u1"}, {"$set": {"v": 1}}, upsert=True)
    expect(r1.upserted_id == "u1", f"first upsert upserted_id={r1.upserted_id!r}")
    r2 = await col.update_one({"_id": "u1"}, {"$set": {"v": 2}}, upsert=True)
    expect(
        r2.upserted_id is None and r2.matched_count == 1 and r2.modified_count == 1,
        f"second upsert matched={r2.matched_count} modified={r2.modified_count} upserted={r2.upserted_id!r}",
    )
    # upsert by a non-_id filter copies equality fields into the new doc
    r3 = await col.update_one({"key": "k1"}, {"$set": {"v": 3}}, upsert=True)
    doc = await col.find_one({"_id": r3.upserted_id})
    expect(doc is not None and doc.get("key") == "k1" and doc.get("v") == 3, f"upserted doc {doc!r}")
    expect(await col.count_documents({}) == 2, "expected 2 docs")


async def c_set(db):
    col = db.op_set
    await col.insert_one({"_id": 1, "a": 1, "sub": {"x": 1}})
    await col.update_one({"_id": 1}, {"$set": {"a": 2, "b": "new", "sub.y": 2}})
    doc = await col.find_one({"_id": 1})
    expect(doc == {"_id": 1, "a": 2, "sub": {"x": 1, "y": 2}, "b": "new"}, f"got {doc!r}")


async def c_inc(db):
    col = db.op_inc
    await col.insert_one({"_id": 1, "n": 1, "sub": {"c": 10}})
    await col.update_one({"_id": 1}, {"$inc": {"n": 5, "missing": 1, "sub.c": -3}})
    doc = await col.find_one({"_id": 1})
    expect(doc["n"] == 6 and doc["missing"] == 1 and doc["sub"]["c"] == 7, f"got {doc!r}")


async def c_push_each(db):
    col = db.op_push
    await col.insert_one({"_id": 1, "outbox": [{"id": 1}]})
    await col.update_one({"_id": 1}, {"$push": {"outbox": {"$each": [{"id": 2}, {"id": 3}]}}})
    await col.update_one({"_id": 1}, {"$push": {"fresh": {"$each": ["a", "b"]}}})
    doc = await col.find_one({"_id": 1})
    expect(doc["outbox"] == [{"id": 1}, {"id": 2}, {"id": 3}], f"outbox={doc['outbox']!r}")
    expect(doc["fresh"] == ["a", "b"], f"fresh={doc.get('fresh')!r}")


async def c_pull_cond(db):
    col = db.op_pull
    await col.insert_one({"_id": 1, "outbox": [{"id": "a", "p": 1}, {"id": "b", "p": 2}, {"id": "c", "p": 3}]})
    r = await col.update_one({"_id": 1}, {"$pull": {"outbox": {"id": {"$in": ["a", "c"]}}}})
    doc = await col.find_one({"_id": 1})
    expect(r.modified_count == 1 and doc["outbox"] == [{"id": "b", "p": 2}], f"outbox={doc['outbox']!r}")


async def c_unset(db):
    col = db.op_unset
    await col.insert_one({"_id": 1, "a": 1, "b": 2, "sub": {"x": 1, "y": 2}})
    await col.update_one({"_id": 1}, {"$unset": {"a": "", "sub.y": ""}})
    doc = await col.find_one({"_id": 1})
    expect(doc == {"_id": 1, "b": 2, "sub": {"x": 1}}, f"got {doc!r}")


async def c_filter_bool(db):
    col = db.f_bool
    await col.insert_many([{"_id": 1, "flag": True}, {"_id": 2, "flag": False}, {"_id": 3}, {"_id": 4, "flag": 1}])
    ids = [d["_id"] async for d in col.find({"flag": True}).sort("_id", ASCENDING)]
    expect(ids == [1], f"matched {ids!r} (expected [1]; 1 != true in MongoDB)")


async def c_filter_size0(db):
    col = db.f_size
    await col.insert_many([{"_id": 1, "arr": []}, {"_id": 2, "arr": [1]}, {"_id": 3}, {"_id": 4, "arr": "x"}])
    ids = [d["_id"] async for d in col.find({"arr": {"$size": 0}})]
    expect(ids == [1], f"matched {ids!r}")


async def c_filter_dot(db):
    col = db.f_dot
    await col.insert_many(
        [
            {"_id": 1, "meta": {"owner": {"name": "an"}, "k": 1}},
            {"_id": 2, "meta": {"owner": {"name": "binh"}, "k": 2}},
            {"_id": 3, "meta": "scalar"},
        ]
    )
    ids = [d["_id"] async for d in col.find({"meta.owner.name": "an"})]
    expect(ids == [1], f"meta.owner.name matched {ids!r}")
    ids = sorted([d["_id"] async for d in col.find({"meta.k": {"$gte": 1}})])
    expect(ids == [1, 2], f"meta.k $gte matched {ids!r}")


async def c_filter_dot_array(db):
    col = db.f_dot_arr
    await col.insert_many([{"_id": 1, "outbox": [{"id": "a"}, {"id": "b"}]}, {"_id": 2, "outbox": [{"id": "c"}]}])
    ids = [d["_id"] async for d in col.find({"outbox.id": "b"})]
    expect(ids == [1], f"outbox.id matched {ids!r}")


async def c_find_one_and_update(db):
    col = db.fau
    await col.insert_one({"_id": 1, "n": 1, "state": "new"})
    doc = await col.find_one_and_update(
        {"state": "new"}, {"$set": {"state": "taken"}, "$inc": {"n": 1}}, return_document=ReturnDocument.AFTER
    )
    expect(doc == {"_id": 1, "n": 2, "state": "taken"}, f"AFTER returned {doc!r}")
    none = await col.find_one_and_update(
        {"state": "new"}, {"$set": {"state": "x"}}, return_document=ReturnDocument.AFTER
    )
    expect(none is None, f"no-match returned {none!r}")
    up = await col.find_one_and_update(
        {"_id": 2}, {"$set": {"state": "up"}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    expect(up == {"_id": 2, "state": "up"}, f"upsert AFTER returned {up!r}")


async def c_unique_index(db):
    col = db.uniq
    name = await col.create_index([("tenant", ASCENDING), ("email", ASCENDING)], unique=True, name="tenant_email")
    expect(name == "tenant_email", f"index name {name!r}")
    info = await col.index_information()
    expect(info.get("tenant_email", {}).get("unique") is True, f"index_information {info!r}")
    await col.insert_one({"tenant": "t1", "email": "a@x"})
    await col.insert_one({"tenant": "t2", "email": "a@x"})  # different tenant: allowed
    try:
        await col.insert_one({"tenant": "t1", "email": "a@x"})
    except DuplicateKeyError:
        pass
    else:
        raise CheckFailed("duplicate insert did not raise DuplicateKeyError")
    try:
        await col.insert_many([{"tenant": "t3", "email": "b@x"}, {"tenant": "t1", "email": "a@x"}])
    except BulkWriteError as exc:
        codes = [e.get("code") for e in exc.details.get("writeErrors", [])]
        expect(codes == [11000], f"insert_many writeErrors codes {codes!r}")
    else:
        raise CheckFailed("duplicate insert_many did not raise BulkWriteError")


async def x_dup_update(db):
    col = db.uniq_upd
    await col.create_index([("tenant", ASCENDING), ("email", ASCENDING)], unique=True)
    await col.insert_many([{"tenant": "t1", "email": "a@x"}, {"tenant": "t2", "email": "a@x"}])
    try:
        await col.update_one({"tenant": "t2"}, {"$set": {"tenant": "t1"}})
    except DuplicateKeyError:
        pass
    else:
        raise CheckFailed("duplicate-making update did not raise DuplicateKeyError")
    finally:
        n = await col.count_documents({"tenant": "t1"})
        expect(n == 1, f"unique index not enforced on update: {n} docs with tenant t1")


async def c_count(db):
    col = db.cnt
    await col.insert_many([{"k": i % 3} for i in range(10)])
    expect(await col.count_documents({}) == 10, "count all != 10")
    expect(await col.count_documents({"k": 0}) == 4, "count k=0 != 4")
    expect(await col.count_documents({"k": 1}, limit=2) == 2, "count with limit != 2")
    expect(await col.estimated_document_count() == 10, "estimated_document_count != 10")


async def c_aggregate(db):
    col = db.agg
    await col.insert_many(
        [
            {"g": "a", "amt": 5, "ok": True},
            {"g": "a", "amt": 7, "ok": True},
            {"g": "b", "amt": 1, "ok": True},
            {"g": "b", "amt": 100, "ok": False},
            {"g": "c", "amt": 2, "ok": True},
        ]
    )
    pipeline = [
        {"$match": {"ok": True}},
        {"$group": {"_id": "$g", "count": {"$sum": 1}, "total": {"$sum": "$amt"}}},
        {"$sort": {"total": -1}},
    ]
    out = [d async for d in await col.aggregate(pipeline)]
    want = [
        {"_id": "a", "count": 2, "total": 12},
        {"_id": "c", "count": 1, "total": 2},
        {"_id": "b", "count": 1, "total": 1},
    ]
    expect(out == want, f"got {out!r}")


async def c_in(db):
    col = db.f_in
    await col.insert_many([{"_id": i, "s": f"s{i}"} for i in range(5)])
    ids = sorted([d["_id"] async for d in col.find({"s": {"$in": ["s1", "s3", "nope"]}})])
    expect(ids == [1, 3], f"$in matched {ids!r}")
    ids = sorted([d["_id"] async for d in col.find({"_id": {"$in": [0, 4]}})])
    expect(ids == [0, 4], f"_id $in matched {ids!r}")


async def c_sort_limit(db):
    col = db.sortlim
    await col.insert_many([{"_id": i, "score": (i * 7) % 10} for i in range(10)])
    got = [d["score"] async for d in col.find({}).sort([("score", DESCENDING), ("_id", ASCENDING)]).limit(3)]
    expect(got == [9, 8, 7], f"top3 {got!r}")
    got = [d["_id"] async for d in col.find({}).sort("_id", ASCENDING).skip(2).limit(2)]
    expect(got == [2, 3], f"skip/limit {got!r}")


async def c_replace_upsert(db):
    col = db.repl
    r1 = await col.replace_one({"_id": "r"}, {"a": 1}, upsert=True)
    expect(r1.upserted_id == "r", f"upserted_id {r1.upserted_id!r}")
    r2 = await col.replace_one({"_id": "r"}, {"b": 2}, upsert=True)
    expect(r2.matched_count == 1 and r2.upserted_id is None, f"second replace matched={r2.matched_count}")
    doc = await col.find_one({"_id": "r"})
    expect(doc == {"_id": "r", "b": 2}, f"got {doc!r}")


VI = ["Nguyễn Văn Thiện", "Thi đua khen thưởng", "Trường Tiểu học Hoà Bình", "ưu tú – xuất sắc", "Đặng Thị Hương"]


async def c_vietnamese(db):
    col = db.vi
    vals = [unicodedata.normalize("NFC", v) for v in VI]
    await col.insert_one({"_id": "vi", "names": vals, "title": vals[1], "họ_tên": vals[0], "sub": {"đơn_vị": vals[2]}})
    doc = await col.find_one({"_id": "vi"})
    expect(doc["names"] == vals and doc["title"] == vals[1], "values changed on round-trip")
    expect(all(unicodedata.is_normalized("NFC", v) for v in doc["names"]), "values no longer NFC")
    expect(doc.get("họ_tên") == vals[0] and doc["sub"].get("đơn_vị") == vals[2], f"non-ASCII keys: {list(doc)!r}")
    hit = await col.find_one({"title": vals[1]})
    expect(hit is not None, "equality filter on Vietnamese value found nothing")
    hit = await col.find_one({"sub.đơn_vị": vals[2]})
    expect(hit is not None, "filter on non-ASCII dotted key found nothing")
    # The server must store bytes as given (no normalisation): NFD stays NFD and does not match NFC.
    nfd = unicodedata.normalize("NFD", vals[0])
    await col.insert_one({"_id": "nfd", "v": nfd})
    doc = await col.find_one({"_id": "nfd"})
    expect(doc["v"] == nfd, "NFD value was altered by the server")
    expect(await col.find_one({"v": vals[0]}) is None, "NFC filter matched an NFD value (server normalises?)")


CHECKS = [
    ("ping command", c_ping),
    ("insert_one / find_one", c_insert_find),
    ("update_one upsert=True", c_update_upsert),
    ("$set (incl. dotted path)", c_set),
    ("$inc", c_inc),
    ("$push with $each", c_push_each),
    ('$pull {"outbox": {"id": {"$in": [...]}}}', c_pull_cond),
    ("$unset", c_unset),
    ('filter {"flag": True}', c_filter_bool),
    ('filter {"arr": {"$size": 0}}', c_filter_size0),
    ("dot-notation filter into subdocuments", c_filter_dot),
    ("dot-notation filter into array of subdocs", c_filter_dot_array),
    ("find_one_and_update return AFTER", c_find_one_and_update),
    ("unique compound index + dup insert -> DuplicateKeyError", c_unique_index),
    ("count_documents", c_count),
    ("aggregate $match/$group($sum 1, $sum $f)/$sort", c_aggregate),
    ("$in filter", c_in),
    ("sort + limit", c_sort_limit),
    ("replace_one upsert=True", c_replace_upsert),
    ("Vietnamese NFC values/keys round-trip", c_vietnamese),
]


# ---- extras: workarounds for failures above and features a service may reach for ----


async def x_pull_exact(db):
    col = db.x_pull
    await col.insert_one({"_id": 1, "outbox": [{"id": "a", "p": 1}, {"id": "b", "p": 2}, {"id": "c", "p": 3}]})
    await col.update_one({"_id": 1}, {"$pull": {"outbox": {"id": "a", "p": 1}}})
    await col.update_one({"_id": 1}, {"$pullAll": {"outbox": [{"id": "c", "p": 3}]}})
    doc = await col.find_one({"_id": 1})
    expect(doc["outbox"] == [{"id": "b", "p": 2}], f"outbox={doc['outbox']!r}")


async def x_group_single(db):
    col = db.x_group
    await col.insert_many([{"g": "a", "amt": 5}, {"g": "a", "amt": 7}, {"g": "b", "amt": 1}])
    tot = [
        d async for d in await col.aggregate([{"$group": {"_id": "$g", "t": {"$sum": "$amt"}}}, {"$sort": {"_id": 1}}])
    ]
    cnt = [d async for d in await col.aggregate([{"$group": {"_id": "$g", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}])]
    expect(tot == [{"_id": "a", "t": 12}, {"_id": "b", "t": 1}], f"$sum field: {tot!r}")
    expect(cnt == [{"_id": "a", "n": 2}, {"_id": "b", "n": 1}], f"$sum 1: {cnt!r}")


async def x_group_other_acc(db):
    col = db.x_group2
    await col.insert_many([{"g": "a", "amt": 5}, {"g": "a", "amt": 7}])
    out = [d async for d in await col.aggregate([{"$group": {"_id": "$g", "m": {"$max": "$amt"}}}])]
    expect(out == [{"_id": "a", "m": 7}], f"got {out!r}")


async def x_set_on_insert(db):
    col = db.x_soi
    for v in (1, 2):
        await col.update_one({"_id": 1}, {"$set": {"v": v}, "$setOnInsert": {"created": 1}}, upsert=True)
    doc = await col.find_one({"_id": 1})
    expect(doc == {"_id": 1, "v": 2, "created": 1}, f"got {doc!r}")


async def x_add_to_set(db):
    col = db.x_ats
    await col.insert_one({"_id": 1, "tags": ["x"]})
    await col.update_one({"_id": 1}, {"$addToSet": {"tags": {"$each": ["x", "y"]}}})
    doc = await col.find_one({"_id": 1})
    expect(doc["tags"] == ["x", "y"], f"got {doc['tags']!r}")


async def x_positional(db):
    col = db.x_pos
    await col.insert_one({"_id": 1, "outbox": [{"id": "a", "s": 0}, {"id": "b", "s": 0}]})
    await col.update_one({"_id": 1, "outbox.id": "b"}, {"$set": {"outbox.$.s": 1}})
    doc = await col.find_one({"_id": 1})
    expect(doc["outbox"] == [{"id": "a", "s": 0}, {"id": "b", "s": 1}], f"got {doc['outbox']!r}")


async def x_array_filters(db):
    col = db.x_af
    await col.insert_one({"_id": 1, "outbox": [{"id": "a", "s": 0}, {"id": "b", "s": 0}]})
    await col.update_one({"_id": 1}, {"$set": {"outbox.$[o].s": 1}}, array_filters=[{"o.id": "a"}])
    doc = await col.find_one({"_id": 1})
    expect(doc["outbox"] == [{"id": "a", "s": 1}, {"id": "b", "s": 0}], f"got {doc['outbox']!r}")


async def x_elem_match(db):
    col = db.x_em
    await col.insert_many([{"_id": 1, "outbox": [{"id": "a", "s": 0}]}, {"_id": 2, "outbox": [{"id": "a", "s": 1}]}])
    ids = [d["_id"] async for d in col.find({"outbox": {"$elemMatch": {"id": "a", "s": 1}}})]
    expect(ids == [2], f"matched {ids!r}")


async def x_misc_queries(db):
    col = db.x_misc
    await col.insert_many([{"_id": i, "k": i % 2, "s": f"n{i}"} for i in range(6)])
    expect(await col.count_documents({"$or": [{"_id": 0}, {"k": 1}]}) == 4, "$or")
    expect(await col.count_documents({"_id": {"$nin": [0, 1]}, "k": {"$ne": 0}}) == 2, "$nin/$ne")
    expect(await col.count_documents({"x": {"$exists": False}}) == 6, "$exists")
    expect(await col.count_documents({"s": {"$regex": "^n[12]$"}}) == 2, "$regex")
    expect(sorted(await col.distinct("k")) == [0, 1], "distinct")
    expect(await col.find_one({"_id": 1}, {"s": 1, "_id": 0}) == {"s": "n1"}, "projection")
    r = await col.bulk_write([InsertOne({"_id": 10}), UpdateOne({"_id": 10}, {"$set": {"k": 9}})])
    expect(r.inserted_count == 1 and r.modified_count == 1, "bulk_write")
    expect((await col.delete_many({"k": 1})).deleted_count == 3, "delete_many")


async def x_ttl_index(db):
    await db.x_ttl.create_index("expires_at", expireAfterSeconds=0)


async def x_transaction(db):
    col = db.x_tx
    await col.insert_one({"_id": 0})
    async with db.client.start_session() as s, await s.start_transaction():
        await col.insert_one({"_id": 1}, session=s)


EXTRAS = [
    ("dup via update_one -> DuplicateKeyError", x_dup_update),
    ("$pull exact subdoc / $pullAll (workaround)", x_pull_exact),
    ("$group one accumulator per pipeline", x_group_single),
    ("$group $max (other accumulators)", x_group_other_acc),
    ("$setOnInsert with upsert", x_set_on_insert),
    ("$addToSet with $each", x_add_to_set),
    ("positional $ update (outbox.$.s)", x_positional),
    ("arrayFilters update (outbox.$[o].s)", x_array_filters),
    ("$elemMatch on subdoc fields", x_elem_match),
    ("$or/$nin/$ne/$exists/$regex/distinct/bulk", x_misc_queries),
    ("TTL index (expireAfterSeconds)", x_ttl_index),
    ("multi-document transaction", x_transaction),
]


def describe(exc: BaseException) -> str:
    if isinstance(exc, CheckFailed):
        return f"wrong result: {exc}"
    details = getattr(exc, "details", None)
    if isinstance(details, dict) and "errmsg" in details:
        # FerretDB prefixes errmsg with a Go call trace; keep the tail.
        errmsg = " ".join(str(details["errmsg"]).split())
        if len(errmsg) > 160:
            errmsg = "..." + errmsg[-160:]
        name = details.get("codeName") or ""
        return f"{type(exc).__name__} code={details.get('code')} {name}: {errmsg}"
    msg = f"{type(exc).__name__}: {exc}"
    return " ".join(msg.split())[:300]


async def run_checks(db, checks):
    results = []
    for name, fn in checks:
        try:
            await fn(db)
            results.append((name, True, ""))
        except Exception as exc:
            if "-v" in sys.argv:
                traceback.print_exc()
            results.append((name, False, describe(exc)))
    return results


def print_table(title, results, width):
    print(f"\n{title.ljust(width)}  ok   error")
    for name, ok, err in results:
        print(f"{name.ljust(width)}  {'yes' if ok else 'NO '}  {err}")


async def main(url: str, with_extras: bool) -> int:
    client = AsyncMongoClient(url, serverSelectionTimeoutMS=5000, uuidRepresentation="standard")
    dbname = f"thidua_capcheck_{uuid.uuid4().hex[:8]}"
    db = client[dbname]
    results, extras = [], []
    try:
        info = await client.server_info()
        print(f"server: {url}  version={info.get('version')}  db={dbname}")
        results = await run_checks(db, CHECKS)
        if with_extras:
            extras = await run_checks(db, EXTRAS)
    finally:
        try:
            await client.drop_database(dbname)
        except Exception as exc:
            print(f"warning: could not drop {dbname}: {describe(exc)}", file=sys.stderr)
        await client.close()

    width = max(len(n) for n, _ in CHECKS + EXTRAS)
    print_table("required check", results, width)
    if extras:
        print_table("extra (informational)", extras, width)
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"\nrequired: {len(results) - failed}/{len(results)} passed", end="")
    if extras:
        print(f"; extras: {sum(ok for _, ok, _ in extras)}/{len(extras)} passed", end="")
    print()
    return 1 if failed else 0


if __name__ == "__main__":
    flags = {a for a in sys.argv[1:] if a.startswith("-")}
    if flags - {"-v", "--no-extras"}:
        sys.exit(f"usage: {sys.argv[0]} [-v] [--no-extras] [mongodb-url]")
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    sys.exit(asyncio.run(main(args[0] if args else DEFAULT_URL, "--no-extras" not in flags)))
