"""Evidence files attached to a criterion of a submission. Nothing is kept from a refused upload."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import AsyncIterator

from submissions.adapters.attachments import Received
from submissions.domain.aggregates import Attachment, AttachmentRef, Submission
from submissions.domain.file_types import FileRefused, identify
from submissions.repository import Repositories
from submissions.service.access import Actor
from submissions.service.submissions import criteria_of, criterion_in, ensure_editable, get_submission
from thidua_platform.audit import entry, now
from thidua_platform.problems import Conflict, NotFound, Problem, Unprocessable
from thidua_platform.tenancy import Scope

MAX_PER_CRITERION = 20


class UnsupportedFile(Problem):
    status = 415
    title = "Loại tệp không được chấp nhận / Unsupported file"


async def attach(
    *, repos: Repositories, actor: Actor, submission_id: str, code: str, filename: str, received: Received
) -> Submission:
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    ensure_editable(submission)
    criterion_in(await criteria_of(repos=repos, actor=actor, submission=submission), code)
    existing = submission["evidence"].get(code, {}).get("attachments", [])
    if len(existing) >= MAX_PER_CRITERION:
        raise Unprocessable(
            f"Tối đa {MAX_PER_CRITERION} tệp mỗi tiêu chí / at most {MAX_PER_CRITERION} files",
            errors=[{"field": "file", "message": "quá nhiều tệp cho tiêu chí này / too many files for this criterion"}],
        )
    if received.size == 0:
        raise Unprocessable("Tệp rỗng / The file is empty", errors=[{"field": "file", "message": "tệp rỗng / empty"}])
    filename = unicodedata.normalize("NFC", filename)  # kept as every other text is: composed
    try:
        file_type = identify(received.path, filename)
    except FileRefused as exc:
        raise UnsupportedFile(str(exc), errors=[{"field": "filename", "message": str(exc)}]) from exc
    attachment_id = str(uuid.uuid4())
    at = now()
    ref: AttachmentRef = {
        "id": attachment_id,
        "filename": filename,
        "media_type": file_type.media_type,
        "size": received.size,
        "sha256": received.sha256,
    }
    chunks = 0
    try:
        chunks = await repos.blobs.write_file(attachment_id, received.path)
        await repos.attachments.add(
            {
                "_id": attachment_id,
                "tenant": actor.scope.commune,
                "province": actor.scope.province_code,
                "submission_id": submission_id,
                "entrant": submission["entrant"],
                "criterion": code,
                "id": ref["id"],  # the ref's fields
                "filename": ref["filename"],
                "media_type": ref["media_type"],
                "size": ref["size"],
                "sha256": ref["sha256"],
                "chunks": chunks,
                "uploaded_by": actor.user,
                "created_at": at,
                "audit": [
                    entry(
                        actor.user,
                        "uploaded",
                        at,
                        submission=submission_id,
                        criterion=code,
                        media_type=file_type.media_type,
                        size=received.size,
                        sha256=received.sha256,
                    )
                ],
            }
        )
        attached = await repos.submissions.attach(
            actor.scope,
            submission_id,
            revision=submission["revision"],
            criterion=code,
            ref=ref,
            audit=entry(actor.user, "attachment_added", at, criterion=code, **ref),
        )
    except BaseException:
        await _forget(repos, actor.scope, attachment_id, chunks)
        raise
    if not attached:  # the dossier changed meanwhile: leave nothing behind
        await _forget(repos, actor.scope, attachment_id, chunks)
        raise Conflict("Hồ sơ vừa được thay đổi, hãy gửi lại tệp / The submission changed meanwhile, upload again")
    return await get_submission(repos=repos, actor=actor, submission_id=submission_id)


async def _forget(repos: Repositories, scope: Scope, attachment_id: str, chunks: int) -> None:
    await repos.blobs.delete(attachment_id, max(chunks, 1))
    await repos.attachments.forget(scope, attachment_id)


async def open_attachment(
    *, repos: Repositories, actor: Actor, attachment_id: str
) -> tuple[Attachment, AsyncIterator[bytes]]:
    document = await repos.attachments.visible(actor.scope, attachment_id, entrants=actor.own_entrants)
    if document is None:
        raise NotFound(f"Không có tệp {attachment_id} / No attachment {attachment_id}")
    return document, repos.blobs.read(attachment_id, document["chunks"])


async def detach(*, repos: Repositories, actor: Actor, submission_id: str, code: str, attachment_id: str) -> Submission:
    """Take a file off a draft or returned dossier. The file itself is kept: an earlier submitted version and the
    audit trail may refer to it."""
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    ensure_editable(submission)
    attached = submission["evidence"].get(code, {}).get("attachments", [])
    if not any(ref["id"] == attachment_id for ref in attached):
        raise NotFound(f"Tiêu chí {code} không có tệp {attachment_id} / No such file on criterion {code}")
    at = now()
    removed = await repos.submissions.detach(
        actor.scope,
        submission_id,
        revision=submission["revision"],
        criterion=code,
        remaining=[ref for ref in attached if ref["id"] != attachment_id],
        audit=entry(actor.user, "attachment_removed", at, criterion=code, attachment=attachment_id),
    )
    if not removed:
        raise Conflict("Hồ sơ vừa được thay đổi, hãy tải lại / The submission changed meanwhile, reload it")
    return await get_submission(repos=repos, actor=actor, submission_id=submission_id)
