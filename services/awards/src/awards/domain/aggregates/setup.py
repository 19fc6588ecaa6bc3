"""What the province and the commune set: the province's rules and settings, an entrant's standing, the commune's
letterhead."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.rules import Flag


class ProvinceRule(Stored):
    """A province's rule for one form and round, where it differs from the default (`key`: the rule's key)."""

    key: str
    rule: dict[str, Any]  # as AwardRule dumps it (mode="json"), read back with AwardRule.model_validate
    updated_at: datetime


class StoredProvinceSettings(Stored):
    """What a province set beyond its rules (its code is the id): the council's quorum, the central quotas."""

    settings: dict[str, Any]  # as ProvinceSettings dumps it (mode="json"), read back with model_validate
    updated_at: datetime


class Standing(Stored):
    """The flags that bar an entrant from being awarded or proposed (NĐ 152/2025), with their grounds."""

    entrant: Entrant
    flags: list[Flag]  # older documents may hold "inspection": read them through `awards.domain.rules.read_flag`
    note: str | None
    updated_at: datetime


class Letterhead(Stored):
    """How the commune names itself on its documents (the commune's code is its id)."""

    issuing_body: str
    parent_body: str
    place: str
    authority: str
    updated_at: datetime
