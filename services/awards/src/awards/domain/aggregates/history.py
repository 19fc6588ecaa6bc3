"""The history of awards: one entry per award an entrant received, and what of it the commune publishes for its
province (the showcase)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from awards.domain.ad_hoc import Round
from awards.domain.aggregates.candidates import AwardedDecision
from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.catalogue import Track
from awards.domain.past_forms import HistoryLevel
from awards.domain.showcase import ShowcaseStatus
from thidua_contracts.terms import EntrantKind


class AwardSource(TypedDict):
    """What recorded an award: a decision (or a proposal's answer, `<proposal id>:<level>`), an officer by hand, or an
    officer's workbook (`imported`, its id the workbook's SHA-256)."""

    kind: Literal["decision", "recorded", "imported"]
    id: NotRequired[str]


class HistoryEntry(Stored):
    """One award in an entrant's history: one per entrant, form, period and track (and decision, for the forms of
    `past_forms` an entrant may receive from several issuers in a year). `award_form` is a code of
    `past_forms.PAST_FORMS` (the movement's six among them); `period` a period of the movement or a past year; `level`
    who decided, a district only before 1 July 2025."""

    entrant: Entrant
    award_form: str
    award_name: str
    period: str
    round: Round  # a round of the movement, or "ad_hoc" (docs/adr/0026)
    level: HistoryLevel
    track: Track
    decision: AwardedDecision
    source: AwardSource
    submitted_by: str | None
    recorded_at: datetime
    ad_hoc: NotRequired[bool]  # khen thưởng đột xuất (docs/adr/0026), with the achievement it rewards
    achievement: NotRequired[str]


class PublicRecord(TypedDict):
    """What the province may read of an award in the history (awards.domain.showcase.public_record)."""

    entrant_name: str
    entrant_kind: EntrantKind
    award_form: str
    award_name: str
    level: HistoryLevel
    period: str
    decision_number: str
    decision_signed_on: str


class ShowcaseEntry(Stored, PublicRecord):
    """An award the commune published for its province, keyed by its history entry's id, with its public story."""

    title: str
    story: str
    status: ShowcaseStatus
    published_at: datetime
    updated_at: datetime
