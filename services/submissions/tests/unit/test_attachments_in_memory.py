"""Evidence files of a dossier without servers: their records and chunks in submissions' own repositories on an
in-memory database (thidua_platform.memory), each upload a temporary file as the API receives it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from submissions.adapters.attachments import Received
from submissions.service import attachments, submissions
from submissions.service.attachments import UnsupportedFile
from thidua_platform.problems import Conflict, NotFound, Unprocessable

from .province import SCOPE, Province


@pytest.fixture
async def province() -> Province:
    return await Province.opened()


def received(tmp_path: Path, content: bytes) -> Received:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return Received(path=path, size=len(content), sha256=hashlib.sha256(content).hexdigest())


async def test_an_evidence_file_is_kept_with_its_criterion_and_read_back(province: Province, tmp_path: Path) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    content = "%PDF-1.7 Biên bản họp thôn tháng 11".encode()
    actor = await province.actor()

    attached = await attachments.attach(
        repos=province.repos,
        actor=actor,
        submission_id=dossier["_id"],
        code="a2",
        filename="Biên bản.pdf",
        received=received(tmp_path, content),
    )

    [ref] = attached["evidence"]["a2"]["attachments"]
    assert (ref["filename"], ref["media_type"], ref["size"]) == ("Biên bản.pdf", "application/pdf", len(content))
    document, chunks = await attachments.open_attachment(repos=province.repos, actor=actor, attachment_id=ref["id"])
    assert document["submission_id"] == dossier["_id"]
    assert b"".join([chunk async for chunk in chunks]) == content
    await province.report(dossier["_id"], "a2", narrative="Kèm biên bản.")  # evidence changed, the file kept
    kept = await submissions.get_submission(repos=province.repos, actor=actor, submission_id=dossier["_id"])
    assert [r["id"] for r in kept["evidence"]["a2"]["attachments"]] == [ref["id"]]

    detached = await attachments.detach(
        repos=province.repos, actor=actor, submission_id=dossier["_id"], code="a2", attachment_id=ref["id"]
    )
    assert detached["evidence"]["a2"]["attachments"] == []
    still, _ = await attachments.open_attachment(repos=province.repos, actor=actor, attachment_id=ref["id"])
    assert still["_id"] == ref["id"]  # the file itself is kept: the audit trail and earlier versions name it
    with pytest.raises(NotFound):
        await attachments.detach(
            repos=province.repos, actor=actor, submission_id=dossier["_id"], code="a2", attachment_id=ref["id"]
        )


async def test_a_refused_upload_leaves_nothing_behind(province: Province, tmp_path: Path) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    actor = await province.actor()

    with pytest.raises(UnsupportedFile):
        await attachments.attach(
            repos=province.repos,
            actor=actor,
            submission_id=dossier["_id"],
            code="a2",
            filename="chạy.exe",
            received=received(tmp_path, b"MZ\x90\x00 not a document"),
        )
    with pytest.raises(Unprocessable):
        await attachments.attach(
            repos=province.repos,
            actor=actor,
            submission_id=dossier["_id"],
            code="a2",
            filename="trống.pdf",
            received=received(tmp_path, b""),
        )
    await province.submit(dossier["_id"])
    with pytest.raises(Conflict):  # a submitted dossier takes no file
        await attachments.attach(
            repos=province.repos,
            actor=actor,
            submission_id=dossier["_id"],
            code="a2",
            filename="muộn.pdf",
            received=received(tmp_path, b"%PDF-1.7 muon"),
        )
    assert await province.repos.attachments.find(SCOPE, {}) == []
