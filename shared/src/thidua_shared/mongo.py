"""MongoDB access through PyMongo's asyncio API (Motor is deprecated).

The embedded default server is FerretDB 1.x: no multi-document transactions, no change streams. Code here keeps to
the subset that FerretDB and MongoDB both serve (see deploy/ferretdb/check_capabilities.py).
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


def connect(url: str) -> AsyncMongoClient[Document]:
    return AsyncMongoClient(
        url,
        uuidRepresentation="standard",
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        appname="thidua",
    )


async def ping(database: AsyncDatabase[Document]) -> None:
    await database.command("ping")


def collection(database: AsyncDatabase[Document], name: str) -> AsyncCollection[Document]:
    return database.get_collection(name)
