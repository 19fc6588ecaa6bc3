"""Use cases of the submissions service. Entry points call one of these and map the result."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from submissions.domain.submission import NewSubmission, SubmissionStatus, TransitionRefused, can_submit
from submissions.repository import SubmissionRepository
from thidua_shared.auth import Principal
from thidua_shared.events import EntrantRef, SubmissionSubmitted, new_event
from thidua_shared.mongo import Document
from thidua_shared.outbox import outbox_update
from thidua_shared.problems import Conflict, NotFound
from thidua_shared.telemetry import current_traceparent
from thidua_shared.tenancy import Scope

SOURCE = "thidua/submissions"


def _audit(principal: Principal, action: str, at: datetime, **changes: Any) -> dict[str, Any]:
    return {"at": at, "actor": principal.user_id, "action": action, "changes": changes}


async def create_submission(
    *, repository: SubmissionRepository, principal: Principal, scope: Scope, request: NewSubmission
) -> Document:
    now = datetime.now(UTC)
    submission_id = str(uuid.uuid4())
    document: Document = {
        "_id": submission_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "period": request.period,
        "entrant": {"id": str(uuid.uuid4()), **request.entrant.model_dump()},
        "criteria": [c.model_dump() for c in request.criteria],
        "status": SubmissionStatus.DRAFT.value,
        "version": 0,
        "created_by": principal.user_id,
        "created_at": now,
        "updated_at": now,
        "audit": [_audit(principal, "created", now, status=SubmissionStatus.DRAFT.value)],
        "outbox": [],
        "outbox_pending": False,
    }
    await repository.add(document)
    return await get_submission(repository=repository, scope=scope, submission_id=submission_id)


async def get_submission(*, repository: SubmissionRepository, scope: Scope, submission_id: str) -> Document:
    document = await repository.get(scope, submission_id)
    if document is None:
        raise NotFound(f"Không có hồ sơ {submission_id} / No submission {submission_id}")
    return document


async def submit_submission(
    *, repository: SubmissionRepository, principal: Principal, scope: Scope, submission_id: str
) -> Document:
    """draft → submitted; the `submission.submitted` event is written in the same update (outbox)."""
    document = await get_submission(repository=repository, scope=scope, submission_id=submission_id)
    try:
        can_submit(SubmissionStatus(document["status"]))
    except TransitionRefused as exc:
        raise Conflict(str(exc)) from exc
    now = datetime.now(UTC)
    version = document["version"] + 1
    event = new_event(
        SubmissionSubmitted(
            submission_id=submission_id,
            version=version,
            period=document["period"],
            entrant=EntrantRef.model_validate(document["entrant"]),
            submitted_by=principal.user_id,
            criteria=tuple(document["criteria"]),
        ),
        source=SOURCE,
        subject=submission_id,
        tenant=document["tenant"],
        province=document["province"],
        traceparent=current_traceparent(),
    )
    update = outbox_update(
        {
            "$set": {
                "status": SubmissionStatus.SUBMITTED.value,
                "version": version,
                "submitted_at": now,
                "submitted_by": principal.user_id,
                "updated_at": now,
            },
            "$push": {"audit": _audit(principal, "submitted", now, status=SubmissionStatus.SUBMITTED.value)},
        },
        [event],
    )
    if not await repository.update(scope, submission_id, version=document["version"], update=update):
        raise Conflict("Hồ sơ vừa được thay đổi, hãy tải lại / The submission changed meanwhile, reload it")
    return await get_submission(repository=repository, scope=scope, submission_id=submission_id)


async def list_submissions(
    *, repository: SubmissionRepository, scope: Scope, period: str | None, limit: int
) -> list[Document]:
    return await repository.list(scope, period=period, limit=limit)
