"""The showcase (nhân rộng điển hình tiên tiến): awards a commune chose to publish, with a short public story, for
every user of its province to read. Pure: what a published item shows, and what a request changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the aggregates name ShowcaseStatus
    from awards.domain.aggregates import PublicRecord

TITLE_MAX = 200
STORY_MAX = 4000

ShowcaseStatus = Literal["published", "withdrawn"]
PublishAction = Literal["published", "edited"]


def public_record(history: Mapping[str, Any]) -> PublicRecord:
    """What the province may read of an award in the history: the entrant's name and kind, the award and its
    decision. Never the entrant's id, who filed the dossier, or the history's audit."""
    entrant, decision = history["entrant"], history["decision"]
    return {
        "entrant_name": entrant["name"],
        "entrant_kind": entrant["kind"],
        "award_form": history["award_form"],
        "award_name": history["award_name"],
        "level": history["level"],
        "period": history["period"],
        "decision_number": decision["number"],
        "decision_signed_on": decision["signed_on"],
    }


def consent_missing(history: Mapping[str, Any], consent: bool) -> bool:
    """An individual's name and achievements are personal data (Nghị định 13/2023/NĐ-CP): published to the whole
    province only when the officer confirms the person agreed. A unit's need no consent."""
    return history["entrant"]["kind"] == "individual" and not consent


def publish_action(current: Mapping[str, Any], *, title: str, story: str) -> PublishAction | None:
    """What publishing this title and story does to an existing item: publishes it again after a withdrawal,
    edits its text, or nothing at all (the same text, already published)."""
    if current["status"] != "published":
        return "published"
    if (current["title"], current["story"]) != (title, story):
        return "edited"
    return None


def withdraws(current: Mapping[str, Any]) -> bool:
    """Whether unpublishing changes the item (an item already withdrawn stays as it is)."""
    return bool(current["status"] == "published")
