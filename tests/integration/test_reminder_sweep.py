"""The reminder sweep on the real database reads what is due, not the province: the open reviews of periods that do
not close soon are never read, however many there are, while each due review's member is reminded exactly once,
under the rule "the commune's own campaign first, else the province's", and one failing review holds back none."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
import pytest
from pymongo.asynchronous.collection import AsyncCollection

from notifications.adapters.directory import DirectoryUnavailable, Person
from notifications.repository import INBOX, Repositories, ensure_indexes, scope_of
from notifications.service.intake import IntakeConfig
from notifications.service.reminders import ReminderPolicy, campaign_published, review_assigned, send_reminders
from thidua_contracts.scoring import ReviewAssigned
from thidua_contracts.submissions import CampaignPublished, PeriodRef
from thidua_contracts.testing import envelope_of
from thidua_platform.envelope import new_event
from thidua_platform.mongo import Document
from thidua_platform.testing import scratch_database

SCANS = f"http://{os.environ.get('THIDUA_DATABASE_HEALTH_ADDR', '127.0.0.1:27028')}/scans"
CONFIG = IntakeConfig(digest_hour=17)
NEAR = ReminderPolicy(days_before=3)
LIEN_MINH, TAM_DIEP, HOA_BINH = "ph-37-lien-minh", "ph-37-tam-diep", "ph-37-hoa-binh"
SON_MAI, BAC_SON = "ph-51-son-mai", "ph-51-bac-son"
NOT_DUE_EACH = 120  # open reviews per commune and period that does not close soon


@dataclass
class People:
    """A directory where every reviewer exists and belongs to their commune, but those in `failing` (as if
    Keycloak failed while looking them up)."""

    failing: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)

    # The Directory protocol's signatures (keyword-only names are the protocol's): nobody is found by id, nobody
    # holds a role, and every reviewer looked up belongs to the commune asked about.
    async def by_id(self, user_id: str) -> Person | None:  # noqa: ARG002
        return None

    async def by_username(self, username: str) -> Person | None:
        if username in self.failing:
            raise DirectoryUnavailable("the directory timed out")
        self.known.add(f"u-{username}")
        return Person(user_id=f"u-{username}", username=username, email=None, name=username)

    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:  # noqa: ARG002
        return []

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:  # noqa: ARG002
        return frozenset(self.known)


class Cursor:
    def __init__(self, cursor: Any, read: list[str]) -> None:
        self._cursor, self._read = cursor, read

    def sort(self, *args: Any) -> Cursor:
        self._cursor = self._cursor.sort(*args)
        return self

    def limit(self, count: int) -> Cursor:
        self._cursor = self._cursor.limit(count)
        return self

    async def __aiter__(self) -> AsyncIterator[Document]:
        async for document in self._cursor:
            self._read.append(document["_id"])
            yield document


class Counted:
    """The reviews collection, noting the id of every document a read returns (periods and reviews)."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._collection = collection
        self.read: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    def find(self, *args: Any, **kwargs: Any) -> Cursor:
        return Cursor(self._collection.find(*args, **kwargs), self.read)

    async def find_one(self, *args: Any, **kwargs: Any) -> Document | None:
        found = await self._collection.find_one(*args, **kwargs)
        if found is not None:
            self.read.append(found["_id"])
        return found

    def reviews_read(self) -> list[str]:
        """The reviews read, each once however often (marking one reminded reads it again, as every revision does):
        which reviews the sweep touched, not how many reads it took."""
        return list(dict.fromkeys(i for i in self.read if i.startswith("review:")))

    def forget(self) -> None:
        self.read.clear()


@pytest.fixture
async def repos() -> AsyncIterator[Repositories]:
    async with scratch_database() as database:
        await ensure_indexes(database)  # as the notifications API declares them
        yield Repositories.of(database)


@pytest.fixture
def counted(repos: Repositories) -> Iterator[Counted]:
    original = repos.reviews.collection
    spy = Counted(original)
    repos.reviews.collection = cast(AsyncCollection[Document], spy)
    yield spy
    repos.reviews.collection = original


async def publish(repos: Repositories, code: str, closes_at: datetime, *, province: str, tenant: str | None) -> None:
    period = PeriodRef(code=code, kind="yearly", opens_at=datetime(2026, 1, 1, tzinfo=UTC), closes_at=closes_at)
    level = "commune" if tenant else "province"
    published = CampaignPublished(campaign_id=f"c-{code}", name=f"Thi đua {code}", level=level, periods=(period,))
    await campaign_published(
        repos=repos, envelope=new_event(published, source="tests", subject=code, tenant=tenant, province=province)
    )


async def assign(repos: Repositories, tenant: str, province: str, period: str, reviewer: str, n: int) -> str:
    submission = f"s-{tenant}-{period}-{n}"
    assigned = ReviewAssigned(
        assignment_id=f"{submission}:1:{reviewer}",
        submission_id=submission,
        submission_version=1,
        period=period,
        reviewer=reviewer,
        criteria=("TC05",),
        entrant=None,
        assigned_by="system",
    )
    await review_assigned(repos=repos, envelope=envelope_of(assigned, tenant=tenant, province=province))
    return f"review:{assigned.assignment_id}"


async def assign_many(repos: Repositories, tenant: str, province: str, period: str) -> list[str]:
    return list(
        await asyncio.gather(
            *(assign(repos, tenant, province, period, f"council{n % 7}", n) for n in range(NOT_DUE_EACH))
        )
    )


async def reminded(repos: Repositories, ids: list[str]) -> set[str]:
    found = repos.reviews.collection.find({"_id": {"$in": ids}, "reminded": True}, {"_id": 1})
    return {document["_id"] async for document in found}


def scans_of(namespace: str) -> list[dict[str, Any]] | None:
    """Whole-collection reads the database recorded on `namespace`; None when it does not report them."""
    try:
        answer = httpx.get(SCANS, timeout=10)
    except httpx.HTTPError:
        return None
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return [scan for scan in answer.json() if scan["namespace"] == namespace]


async def test_the_sweep_reads_only_the_reviews_due_and_reminds_each_member_once(
    repos: Repositories, counted: Counted
) -> None:
    now = datetime.now(UTC)
    days = timedelta(days=1)
    # province 37's "2026" closes in 2 days; Liên Minh's own "2026" in 30 (its reviews are not due), Tam Điệp has
    # none (the province's applies). The province's "Q4" closes in 45 days, Hòa Bình's own "Q4" tomorrow.
    await publish(repos, "2026", now + 2 * days, province="37", tenant=None)
    await publish(repos, "2026", now + 30 * days, province="37", tenant=LIEN_MINH)
    await publish(repos, "Q4", now + 45 * days, province="37", tenant=None)
    await publish(repos, "Q4", now + 1 * days, province="37", tenant=HOA_BINH)
    await publish(repos, "2026", now + 20 * days, province="51", tenant=None)  # another province, not closing

    not_due = [
        *await assign_many(repos, LIEN_MINH, "37", "2026"),  # the commune's own campaign closes later
        *await assign_many(repos, TAM_DIEP, "37", "Q4"),  # the province's Q4 closes later
        *await assign_many(repos, SON_MAI, "51", "2026"),  # province 51's 2026 closes later
        *await assign_many(repos, BAC_SON, "51", "2025"),  # no period published at all
    ]
    due_by_province = [await assign(repos, TAM_DIEP, "37", "2026", f"td.council{n}", n) for n in range(3)]
    failing = await assign(repos, TAM_DIEP, "37", "2026", "td.broken", 9)
    due_by_commune = [await assign(repos, HOA_BINH, "37", "Q4", f"hb.council{n}", n) for n in range(2)]
    done = await assign(repos, TAM_DIEP, "37", "2026", "td.done", 10)
    await repos.reviews.collection.update_one({"_id": done}, {"$set": {"status": "done"}})
    due = [*due_by_province, *due_by_commune]

    people = People(failing={"td.broken"})
    counted.forget()
    assert await send_reminders(repos=repos, directory=people, policy=NEAR, config=CONFIG, now=now) == len(due)
    assert sorted(counted.reviews_read()) == sorted([*due, failing])  # none of the 480 not due, nor the done one
    assert len([i for i in counted.read if not i.startswith("review:")]) <= 4  # and a few period documents
    assert await reminded(repos, [*due, failing, done, *not_due]) == set(due)

    for review_id in due:
        review = await repos.reviews.collection.find_one({"_id": review_id})
        assert review is not None
        assert [a["action"] for a in review["audit"]] == ["assigned", "reminded"]
        assert review["audit"][-1]["actor"] == "system:reminders"
        inbox, _ = await repos.inbox.page(
            scope_of(review), f"u-{review['reviewer']}", unread_only=False, skip=0, limit=10
        )
        assert [m["cause"] for m in inbox] == [f"reminder:{review_id}"]

    # the next sweep reads only the review that failed, and tries it again; once it goes through, nothing is left
    counted.forget()
    assert await send_reminders(repos=repos, directory=people, policy=NEAR, config=CONFIG, now=now) == 0
    assert counted.reviews_read() == [failing]
    people.failing.clear()
    assert await send_reminders(repos=repos, directory=people, policy=NEAR, config=CONFIG, now=now) == 1
    counted.forget()
    assert await send_reminders(repos=repos, directory=people, policy=NEAR, config=CONFIG, now=now) == 0
    assert counted.reviews_read() == []
    causes = [m["cause"] async for m in repos.deliveries.collection.database[INBOX].find({})]
    assert sorted(causes) == sorted(f"reminder:{i}" for i in [*due, failing])  # each member once

    # a sweep after Liên Minh's own period has come near reminds its reviews, by its own deadline
    later = now + 28 * days
    counted.forget()
    assert await send_reminders(repos=repos, directory=people, policy=NEAR, config=CONFIG, now=later) == NOT_DUE_EACH
    assert sorted(counted.reviews_read()) == sorted(not_due[:NOT_DUE_EACH])

    scans = scans_of(f"{repos.reviews.collection.database.name}.reviews")
    if scans is not None:  # thidua-docstore: no read of the reviews collection went unserved by an index
        assert scans == []
