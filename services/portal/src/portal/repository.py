"""Every query of the portal's own database: sessions, logins in progress and forms sent once (see portal.sessions).

Each document is stored under a key its caller derives from a secret (the SHA-256 of a cookie's value, of a login's
state), never under the secret itself. Nothing here belongs to a commune: the store is the portal's, not a tenant's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from portal.sessions_store import ClaimedForm, StoredLogin, StoredSession
from thidua_platform.mongo import Document, is_duplicate_key


class SessionRepository:
    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._sessions = database["sessions"]
        self._logins = database["logins"]
        self._forms = database["forms"]

    async def add_login(self, key: str, login: StoredLogin) -> None:
        await self._logins.insert_one({"_id": key, **login})

    async def take_login(self, key: str) -> StoredLogin | None:
        """The login in progress, deleted as it is read: a second reader finds nothing."""
        return cast(StoredLogin | None, await self._logins.find_one_and_delete({"_id": key}))

    async def add_session(self, key: str, session: StoredSession) -> None:
        await self._sessions.insert_one({"_id": key, **session})

    async def session(self, key: str) -> StoredSession | None:
        return cast(StoredSession | None, await self._sessions.find_one({"_id": key}))

    async def change_session(self, key: str, **fields: Any) -> None:
        await self._sessions.update_one({"_id": key}, {"$set": fields})

    async def end_session(self, key: str) -> None:
        await self._sessions.delete_one({"_id": key})

    async def claim_form(self, key: str, at: datetime) -> ClaimedForm | None:
        """None when this is the form's first claim (it is made); else what the first claim left."""
        try:
            await self._forms.insert_one({"_id": key, "at": at, "location": None})
        except PyMongoError as error:
            if not is_duplicate_key(error):
                raise
            return cast(ClaimedForm | None, await self._forms.find_one({"_id": key})) or {"location": None}
        return None

    async def release_form(self, key: str) -> None:
        await self._forms.delete_one({"_id": key})

    async def complete_form(self, key: str, location: str) -> None:
        await self._forms.update_one({"_id": key}, {"$set": {"location": location}})

    async def sweep(
        self, *, logins_before: datetime, forms_before: datetime, seen_before: datetime, created_before: datetime
    ) -> int:
        """Delete logins begun and forms claimed before their times, and sessions last seen or created before
        theirs; returns how many sessions went."""
        await self._logins.delete_many({"at": {"$lt": logins_before}})
        await self._forms.delete_many({"at": {"$lt": forms_before}})
        gone = await self._sessions.delete_many(
            {"$or": [{"last_seen": {"$lt": seen_before}}, {"created_at": {"$lt": created_before}}]}
        )
        return gone.deleted_count
