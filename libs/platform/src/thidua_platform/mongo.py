"""MongoDB access through PyMongo's asyncio API (Motor is deprecated).

The local stack's server is thidua-docstore (docs/adr/0016), FerretDB 1.x on request, MongoDB in production: no
multi-document transactions, no change streams. Code here keeps to the subset all three serve
(deploy/ferretdb/check_capabilities.py checks a server).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

Document = dict[str, Any]
# No operation waits for ever: PyMongo's default is to wait for a reply without limit, and the full fault run saw a
# consumer wait on a connection the restarted FerretDB never answered (its lag stopped, its health stayed "up"). A
# timeout is a ConnectionFailure, which consumers wait out and retry and APIs answer with 503.
SOCKET_TIMEOUT_MS = 120_000
POOL_WAIT_TIMEOUT_MS = 60_000


def connect(
    url: str, *, socket_timeout_ms: int = SOCKET_TIMEOUT_MS, appname: str = "thidua"
) -> AsyncMongoClient[Document]:
    """`appname` names the process to the server (`thidua-<service>`): the local database reports, by name, the
    queries it had to answer by reading a whole collection (tests/query_shapes/test_query_shapes.py)."""
    return AsyncMongoClient(
        url,
        uuidRepresentation="standard",
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        socketTimeoutMS=socket_timeout_ms,
        waitQueueTimeoutMS=POOL_WAIT_TIMEOUT_MS,
        appname=appname,
    )


async def ping(database: AsyncDatabase[Document]) -> None:
    await database.command("ping")


def is_duplicate_key(error: Exception) -> bool:
    """True for a unique-key violation. FerretDB 1.x reports one caused by an upsert as a generic failure."""
    if isinstance(error, DuplicateKeyError):
        return True
    return isinstance(error, OperationFailure) and "UNIQUE constraint failed" in str(error)


def duplicate_key(write_error: Mapping[str, Any]) -> bool:
    """The same as `is_duplicate_key` for one of a bulk write's `writeErrors`."""
    return write_error.get("code") == 11000 or "UNIQUE constraint failed" in str(write_error.get("errmsg", ""))


async def insert_once(collection: AsyncCollection[Document], document: Document) -> bool:
    """Insert a document keyed by a deterministic `_id`; False if it exists (a redelivered event's effect)."""
    try:
        await collection.insert_one(document)
    except PyMongoError as error:
        if is_duplicate_key(error):
            return False
        raise
    return True
