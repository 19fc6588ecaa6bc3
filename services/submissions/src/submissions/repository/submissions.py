"""Dossiers: their evidence, attachments and status, one active per entrant and period."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from submissions.domain.aggregates import AttachmentRef, CompletenessCheck, CorrectionReason, Submission
from submissions.repository.common import EntrantOwnedRepository, EntryAt, Listing, _amended, _owned_by
from thidua_platform.audit import now
from thidua_platform.envelope import Envelope
from thidua_platform.indexes import index, scoped
from thidua_platform.mongo import Document
from thidua_platform.repository import Revision, narrowed
from thidua_platform.tenancy import Scope

SUBMISSIONS = "submissions"


class SubmissionRepository(EntrantOwnedRepository[Submission]):
    """Dossiers: their evidence, attachments and status, one active per entrant and period (`active_key`)."""

    async def listed(
        self,
        scope: Scope,
        *,
        entrants: Collection[str] | None,
        period: str | None,
        group: str | None,
        theme: int | None,
        status: str | None,
        entrant: str | None,
        skip: int,
        limit: int,
    ) -> Listing[Submission]:
        """A page of the dossiers in scope, newest first: of `entrants` only (None: all), of a period, a target group,
        a theme, a status and an entrant, as asked."""
        filters = (
            ("period", period),
            ("entrant.target_group", group),
            ("themes", theme),
            ("status", status),
            ("entrant.id", entrant),
        )
        return await self.page(scope, narrowed(_owned_by(entrants), filters), skip=skip, limit=limit)

    async def report(
        self,
        scope: Scope,
        submission_id: str,
        *,
        criterion: str,
        theme: int,
        evidence: Document,
        check: Callable[[Submission], None],
        audit: EntryAt,
    ) -> Submission | None:
        """Set a criterion's evidence (its attachments kept) and count its theme, rebuilt on the newer revision when
        another change came first (writes to other criteria commute with it); `check` raises when the dossier as
        read may not take it. The dossier, or None when it is missing."""

        async def change(current: Submission) -> Revision:
            check(current)
            at = now()
            attachments = current["evidence"].get(criterion, {}).get("attachments", [])
            fields = {
                f"evidence.{criterion}": {**evidence, "attachments": attachments},
                "themes": sorted(set(current["themes"]) | {theme}),
                "updated_at": at,
            }
            return Revision(_amended(fields, audit(at)))

        return await self.revise(scope, submission_id, change)

    async def attach(
        self, scope: Scope, submission_id: str, *, revision: int, criterion: str, ref: AttachmentRef, audit: Document
    ) -> bool:
        """Add an attachment (`ref`) to a criterion of the dossier as read at `revision`, updated at the time of its
        audit entry; False if it changed since."""
        update = {
            "$push": {f"evidence.{criterion}.attachments": ref, "audit": audit},
            "$set": {"updated_at": audit["at"]},
        }
        return await self.update(scope, submission_id, revision=revision, update=update)

    async def detach(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        criterion: str,
        remaining: list[AttachmentRef],
        audit: Document,
    ) -> bool:
        """Leave a criterion of the dossier as read at `revision` with the `remaining` attachments, updated at the
        time of its audit entry; False if it changed since."""
        fields = {f"evidence.{criterion}.attachments": remaining, "updated_at": audit["at"]}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit))

    async def mark_submitted(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        version: int,
        by: str,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` submitted (or resubmitted) as `version`, at the time of its audit entry;
        False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "version": version, "submitted_at": at, "submitted_by": by, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def mark_returned(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        reasons: list[CorrectionReason],
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` returned for correction with its `reasons`, at the time of its audit
        entry; False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "return_reasons": reasons, "returned_at": at, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def mark_withdrawn(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` withdrawn at the time of its audit entry; its `active_key` no longer
        holds the entrant's period (one_active_dossier), so a new dossier may be made. False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "active_key": f"withdrawn|{submission_id}", "withdrawn_at": at, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def record_completeness(
        self, scope: Scope, submission_id: str, *, revision: int, result: CompletenessCheck, audit: Document
    ) -> bool:
        """The officer's completeness check of the dossier as read at `revision`; False if it changed since."""
        return await self.update(
            scope, submission_id, revision=revision, update=_amended({"completeness": result}, audit)
        )


INDEXES = [
    # uniqueness the domain relies on: one active dossier per entrant and period
    index(SUBMISSIONS, "active_key", unique=True, label="one_active_dossier"),
    # lists are walked in their order from the index, a page at a time (ADR 0016, amended): newest first
    *scoped([SUBMISSIONS], "period", "-created_at", "-_id"),
    # a submitter's: their own units' and people's, of a period, newest first
    index(SUBMISSIONS, "tenant", "entrant.id", "period", "-created_at", "-_id"),
]
