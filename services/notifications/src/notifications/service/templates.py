"""Templates as communes see them: the current version of each kind, its history, new versions, and previews.

A new version is checked by rendering it against the kind's sample facts; a template that fails is a 422 naming
the part and line. Versions are inserted once under "<tenant>:<kind>:<version>", so two officers saving at once
get two versions, never one lost write.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from notifications.domain.aggregates import CommuneTemplate, TemplateVersion
from notifications.domain.templates import (
    BUILTIN,
    KINDS,
    PARTS,
    SAMPLES,
    InvalidTemplate,
    Rendered,
    Template,
    render,
    texts,
)
from notifications.repository import Repositories
from thidua_platform.audit import entry
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope

MAX_PART = 10_000


def known(kind: str) -> str:
    if kind not in BUILTIN:
        raise NotFound(f"Không có loại thông báo {kind} / No message kind {kind}; known: {', '.join(KINDS)}")
    return kind


def checked(kind: str, parts: dict[str, str], facts: dict[str, Any] | None = None) -> tuple[Template, Rendered]:
    """The template built from `parts`, rendered with `facts` (the kind's sample by default); 422 if it fails."""
    template = Template(**{part: unicodedata.normalize("NFC", parts[part]) for part in PARTS})
    too_long = [p for p in PARTS if len(template.part(p)) > MAX_PART]
    if too_long:
        raise Unprocessable(
            "Mẫu quá dài / Template too long",
            errors=[{"field": p, "message": f"tối đa / at most {MAX_PART} ký tự / characters"} for p in too_long],
        )
    try:
        return template, render(template, facts if facts is not None else SAMPLES[kind])
    except InvalidTemplate as exc:
        raise Unprocessable(
            "Mẫu thông báo không hợp lệ / Invalid template", errors=[{"field": exc.part, "message": str(exc)}]
        ) from exc


def builtin(kind: str) -> TemplateVersion:
    return {"kind": kind, "version": 0, "builtin": True, **texts(BUILTIN[known(kind)])}


async def current(*, repos: Repositories, scope: Scope, kind: str) -> TemplateVersion:
    """The version in use: the commune's latest, or the built-in one (version 0)."""
    stored = await repos.templates.latest(scope, known(kind)) if scope.tenant else None
    return stored if stored is not None else builtin(kind)


async def versions(*, repos: Repositories, scope: Scope, kind: str) -> list[TemplateVersion]:
    """Newest first, ending with the built-in one."""
    return [*(await repos.templates.versions(scope, known(kind)) if scope.tenant else []), builtin(kind)]


async def save(
    *, repos: Repositories, scope: Scope, kind: str, parts: dict[str, str], actor: str, actor_id: str
) -> CommuneTemplate:
    """A new version of the commune's template, checked first."""
    template, _ = checked(known(kind), parts)
    for _attempt in range(5):
        latest = await repos.templates.latest(scope, kind)
        version = (latest["version"] if latest else 0) + 1
        document: CommuneTemplate = {
            "_id": f"{scope.tenant}:{kind}:{version}",
            "tenant": scope.tenant,
            "province": scope.province,
            "kind": kind,
            "version": version,
            "builtin": False,
            "subject_vi": template.subject_vi,
            "body_vi": template.body_vi,
            "subject_en": template.subject_en,
            "body_en": template.body_en,
            "created_by": actor,
            "created_at": datetime.now(UTC),
        }
        document["audit"] = [entry(actor_id, "template.saved", document["created_at"], kind=kind, version=version)]
        if await repos.templates.add(document):
            return document
    raise Conflict("Mẫu đang được người khác sửa, hãy thử lại / Someone else is saving this template, try again")


def sample(kind: str) -> dict[str, Any]:
    return dict(SAMPLES[known(kind)])


async def in_use(*, repos: Repositories, scope: Scope, kind: str) -> tuple[list[TemplateVersion], dict[str, Any]]:
    """The kind's versions, the one in use first, and its sample facts."""
    return await versions(repos=repos, scope=scope, kind=kind), sample(kind)


async def preview(
    *, repos: Repositories, scope: Scope, kind: str, parts: dict[str, str | None], facts: dict[str, Any] | None
) -> tuple[Rendered, dict[str, Any]]:
    """The given parts (the template in use for those not given) rendered with the kind's sample facts, overridden by
    those given; nothing is stored."""
    using = await current(repos=repos, scope=scope, kind=kind)
    chosen: dict[str, str] = {part: using[part] if parts.get(part) is None else str(parts[part]) for part in PARTS}
    shown = {**sample(kind), **(facts or {})}
    _template, rendered = checked(kind, chosen, shown)
    return rendered, shown
