"""What the awards seeder's modules share: the database and its collections, the forms evaluated, the people and
words of the round, and the aggregate that keeps revisions, change nonces and audit entries as ChangeLog writes
them, with the days a dossier's events happened on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from awards.domain.catalogue import Track
from awards.repository import (
    CANDIDATES,
    DECISIONS,
    DOSSIERS,
    HISTORY,
    LETTERHEADS,
    PROPOSALS,
    SCORES,
    SESSIONS,
    SHOWCASE,
)
from benchmarks.seeding.plan import PROVINCE_NAME, Dossier, Entrant
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document

DATABASE = "thidua_awards"


GIAY_KHEN = "GIAY_KHEN_XA"


BANG_KHEN = "BANG_KHEN_TINH"


EVALUATED_FORMS = (GIAY_KHEN, BANG_KHEN)  # the officer evaluates the lists the plan awards from


TRACK: Track = "thematic"  # every award of this movement (apply_award)


CHAIR = "u-bench-chair"  # the commune chairman's user id, as the submissions seeder names its officer


PROVINCE_STAFF = "u-bench-province-staff"  # who records the province's answers (nb.staff's role)


PROVINCE_ISSUER = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"


REVIEWERS = 2  # the default scoring policy's reviewers per dossier: each assessment is the mean of two


# The worker records an event a moment after it was published; scoring finalises a month after the last version.
RECORDED_AFTER = timedelta(seconds=2)


FINALISED_AFTER = timedelta(days=30)


LETTERHEAD_SET_AT = datetime(2025, 1, 20, 2, 0, tzinfo=UTC)


COLLECTIONS = (SCORES, DOSSIERS, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY, SHOWCASE, LETTERHEADS)


SHOWN_PER_ROUND = 2  # awards a commune publishes on the province's showcase each round (units: no consent needed)


KEEP = "Thành tích tiêu biểu trong nhóm đối tượng, đề nghị Hội đồng xét khen thưởng."


PUT_BACK = "Đồng điểm ở ngưỡng hạn mức nhưng thành tích tiêu biểu: bổ sung để Hội đồng xem xét."


LEFT_FOR_BANG_KHEN = "Đối tượng được đề nghị Chủ tịch UBND tỉnh tặng Bằng khen."


LEFT_FOR_GIAY_KHEN = "Đề nghị khen thưởng bằng Giấy khen của Chủ tịch UBND xã."


LEFT_OUT = "Thành tích chưa tiêu biểu bằng các đối tượng khác trong nhóm."


LEFT_FOR = {BANG_KHEN: LEFT_FOR_BANG_KHEN, GIAY_KHEN: LEFT_FOR_GIAY_KHEN}  # why an awardee leaves the other list


LOCATION = "Hội trường UBND xã"


# Council members of communes without people in the realm: made-up, but named as people are.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")


GIVEN = ("Văn Minh", "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Quang", "Thị Hạnh", "Văn Tuấn", "Thị Thu", "Văn Long")


# xã Liên Minh's council and chairman in the demo realm (deploy/keycloak/realm/thidua-realm.json)
LIEN_MINH_COUNCIL = (("lm.chair", "Hoàng Văn Dũng"), ("lm.council1", "Lê Văn Bình"), ("lm.council2", "Phạm Thị Cúc"))


CHAIR_ROLE = "Chủ tịch Hội đồng"


def _nonce(collection: str, document_id: str, revision: int) -> str:
    """The change-record nonce a revision records in `applied_changes`, derived so that reseeding is stable."""
    return derived_id("bench-change", collection, document_id, revision).hex


class Aggregate:
    """One aggregate's revisions as ChangeLog writes them: revision 1 at insert (with its change's nonce only when
    the insert caused an event), then one revision, one nonce and one audit entry per update."""

    def __init__(self, collection: str, document: Document, *, caused_event: bool) -> None:
        self.collection = collection
        self.document = document
        document["revision"] = 1
        document["applied_changes"] = [self._nonce(1)] if caused_event else []

    def _nonce(self, revision: int) -> str:
        return _nonce(self.collection, self.document["_id"], revision)

    @property
    def status(self) -> str:
        return str(self.document["status"])

    def revise(self, audit_entry: Document, **fields: Any) -> None:
        self.document.update(fields)
        self.document["audit"].append(audit_entry)
        revision = self.document["revision"] + 1
        self.document["revision"] = revision
        self.document["applied_changes"].append(self._nonce(revision))


def _ref(entrant: Entrant) -> EntrantRef:
    return EntrantRef(
        id=entrant.id, name=entrant.name, kind=entrant.kind, target_group=entrant.target_group, unit_id=entrant.unit_id
    )


def _first_submitted(dossier: Dossier) -> datetime:
    """When version 1 went out: the submissions seeder resubmits version 2 at `submitted_at`, after a first
    submission 40% of the way from creation."""
    assert dossier.submitted_at is not None
    if dossier.version == 1:
        return dossier.submitted_at
    return dossier.created_at + (dossier.submitted_at - dossier.created_at) * 0.4


def _finalised_at(dossier: Dossier) -> datetime:
    assert dossier.submitted_at is not None
    return dossier.submitted_at + FINALISED_AFTER
