"""The province the benchmark grows: which communes, entrants and dossiers exist, decided once and deterministically,
so that every service's seeder writes documents that agree with one another (the same ids, tenants, periods,
scores and awards), as the real pipeline would have left them.

Nothing here touches a database. The seeders in this package turn the plan into each service's documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Literal

from thidua_platform.envelope import derived_id

PROVINCE = "37"
PROVINCE_NAME = "Ninh Bình"
# The two communes measured are the demo realm's, so that real people log in to them: the largest one (xã Liên Minh,
# whose officer, submitter, council and chairman exist) and a small one (xã Tam Điệp, whose officer exists).
LARGE = "ph-37-lien-minh"
SMALL = "ph-37-tam-diep"
BENCH_PREFIX = "bench-37-"
PERIODS: tuple[tuple[str, int, float], ...] = (  # code, the year it belongs to, its share of a commune's dossiers
    ("2025", 2025, 1.0),
    ("2026", 2026, 1.0),
    ("2027", 2027, 1.0),
    ("so-ket-2027", 2027, 0.3),
    ("2028", 2028, 1.0),
    ("2029", 2029, 1.0),
    ("2030", 2030, 1.0),
    ("tong-ket-2030", 2030, 0.3),
)
GROUPS: tuple[Literal["a", "b", "c", "d1", "d2"], ...] = ("a", "b", "c", "d1", "d2")
GRADE_BANDS = ((90.0, "Xuất sắc"), (80.0, "Tốt"), (70.0, "Khá"), (50.0, "Đạt"), (0.0, "Không đạt"))
Stage = Literal["draft", "returned", "submitted", "resubmitted", "withdrawn", "in_review", "final"]
Award = Literal["GIAY_KHEN_XA", "BANG_KHEN_TINH"]
# Where a dossier of a past period stands, with how often: most are finally scored, some never left the unit
STAGES: tuple[tuple[Stage, float], ...] = (
    ("draft", 0.05),
    ("returned", 0.04),
    ("submitted", 0.04),
    ("resubmitted", 0.03),
    ("withdrawn", 0.03),
    ("in_review", 0.06),
    ("final", 0.75),
)


def grade_of(total: float) -> str:
    return next(name for floor, name in GRADE_BANDS if total >= floor)


@dataclass(frozen=True)
class Commune:
    tenant: str
    name: str
    number: int
    weight: float  # its share of the province's dossiers, relative to an average commune (1.0)

    @property
    def seeded_only(self) -> bool:
        """A commune that exists only in the benchmark's data (no Keycloak organization, no people)."""
        return self.tenant.startswith(BENCH_PREFIX)


@dataclass(frozen=True)
class Entrant:
    id: str
    tenant: str
    name: str
    kind: Literal["collective", "individual"]
    target_group: Literal["a", "b", "c", "d1", "d2"]
    unit_id: str | None  # an individual's collective
    focal_users: tuple[str, ...]
    position: str | None = None


@dataclass(frozen=True)
class Dossier:
    id: str
    tenant: str
    period: str
    year: int
    entrant: Entrant
    stage: Stage
    created_at: datetime
    submitted_at: datetime | None
    version: int  # the version scored (1, or 2 once returned and resubmitted)
    total: float | None  # the final score, when `stage == "final"`
    grade: str | None
    rank: int | None  # within the commune, period and target group, by total
    award: Award | None  # decided for it (Giấy khen by the commune, Bằng khen on proposal by the province)
    submitted_by: str

    @property
    def status(self) -> str:
        """The dossier's status in the submissions service."""
        if self.stage in ("in_review", "final"):
            return "resubmitted" if self.version > 1 else "submitted"
        return self.stage

    @property
    def scored(self) -> bool:
        return self.stage in ("in_review", "final")


@dataclass
class CommunePlan:
    commune: Commune
    entrants: list[Entrant]
    dossiers: list[Dossier] = field(default_factory=list)

    def in_period(self, period: str) -> list[Dossier]:
        return [d for d in self.dossiers if d.period == period]


@dataclass(frozen=True)
class ProvincePlan:
    communes: tuple[Commune, ...]
    dossiers_total: int
    seed: int = 2025
    # the province nearly empty: the communes measured whole; of the others, one dossier of the period measured
    only: Restriction | None = None

    @cached_property
    def weights(self) -> float:
        return sum(c.weight for c in self.communes)

    def dossiers_of(self, commune: Commune) -> int:
        return round(self.dossiers_total * commune.weight / self.weights)

    def commune_plan(self, commune: Commune) -> CommunePlan:
        """The commune's entrants and dossiers; the same every time for the same plan."""
        rng = random.Random(f"{self.seed}:{commune.tenant}")  # noqa: S311 (repeatable, not secret)
        wanted = self.dossiers_of(commune)
        shares = sum(share for _, _, share in PERIODS)
        per_year = max(1, round(wanted / shares))
        # each entrant has at most one dossier per period: enough entrants for a year's dossiers, a quarter people
        entrants = _entrants(commune, per_year + per_year // 5 + 1)
        plan = CommunePlan(commune, entrants)
        made = 0
        for index, (period, year, share) in enumerate(PERIODS):
            count = wanted - made if index == len(PERIODS) - 1 else min(wanted - made, round(per_year * share))
            chosen = rng.sample(entrants, min(count, len(entrants)))
            plan.dossiers.extend(_dossiers(rng, commune, period, year, chosen))
            made += len(chosen)
        if self.only is not None:
            plan.dossiers = self.only.kept(commune, plan.dossiers)
        return plan

    def commune_plans(self) -> Iterator[CommunePlan]:
        for commune in self.communes:
            yield self.commune_plan(commune)


def _entrants(commune: Commune, count: int) -> list[Entrant]:
    people_every = 4
    units: list[Entrant] = []
    out: list[Entrant] = []
    for i in range(count):
        if i % people_every == people_every - 1 and units:
            unit = units[i % len(units)]
            group: Literal["d1", "d2"] = "d1" if (i // people_every) % 2 else "d2"
            out.append(
                Entrant(
                    id=str(derived_id("bench-entrant", commune.tenant, i)),
                    tenant=commune.tenant,
                    name=f"Cá nhân số {i} – {commune.name}",
                    kind="individual",
                    target_group=group,
                    unit_id=unit.id,
                    focal_users=(),
                    position="Công chức" if group == "d1" else None,
                )
            )
            continue
        collective_group = ("a", "b", "c")[i % 3]
        unit = Entrant(
            id=str(derived_id("bench-entrant", commune.tenant, i)),
            tenant=commune.tenant,
            name=f"Đơn vị số {i} – {commune.name}",
            kind="collective",
            target_group=collective_group,  # type: ignore[arg-type]
            unit_id=None,
            focal_users=("lm.submitter",) if commune.tenant == LARGE and i == 0 else (),
        )
        units.append(unit)
        out.append(unit)
    return out


def _dossiers(rng: random.Random, commune: Commune, period: str, year: int, entrants: list[Entrant]) -> list[Dossier]:
    stages, weights = zip(*STAGES, strict=True)
    made: list[Dossier] = []
    for entrant in entrants:
        stage: Stage = rng.choices(stages, weights)[0]
        created = datetime(year, 3, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 200 * 24 * 60))
        submitted = created + timedelta(days=rng.randrange(1, 20)) if stage not in ("draft",) else None
        version = 2 if stage in ("resubmitted",) or (stage in ("in_review", "final") and rng.random() < 0.1) else 1
        total = round(rng.uniform(40, 100), 1) if stage == "final" else None
        made.append(
            Dossier(
                id=str(derived_id("bench-dossier", commune.tenant, period, entrant.id)),
                tenant=commune.tenant,
                period=period,
                year=year,
                entrant=entrant,
                stage=stage,
                created_at=created,
                submitted_at=submitted,
                version=version,
                total=total,
                grade=grade_of(total) if total is not None else None,
                rank=None,
                award=None,
                submitted_by="u-bench-submitter",
            )
        )
    return _ranked_and_awarded(made)


def _ranked_and_awarded(dossiers: list[Dossier]) -> list[Dossier]:
    """Ranks within each target group by total; the best fifth with Xuất sắc or Tốt get a Giấy khen, the first of
    each group with Xuất sắc a Bằng khen of the province."""
    from dataclasses import replace

    out: dict[str, Dossier] = {d.id: d for d in dossiers}
    for group in GROUPS:
        finals = sorted(
            (d for d in dossiers if d.total is not None and d.entrant.target_group == group),
            key=lambda d: (-(d.total or 0), d.id),
        )
        quota = max(1, len(finals) // 5)
        for rank, dossier in enumerate(finals, start=1):
            award: Award | None = None
            if rank <= quota and (dossier.total or 0) >= 80:
                award = "BANG_KHEN_TINH" if rank == 1 and (dossier.total or 0) >= 90 else "GIAY_KHEN_XA"
            out[dossier.id] = replace(dossier, rank=rank, award=award)
    return [out[d.id] for d in dossiers]


@dataclass(frozen=True)
class Restriction:
    """What the nearly empty province keeps of the grown one: the communes measured keep everything they have at
    size (their entrants and their dossiers of every period, 2025–2030); every other commune keeps its entrants and
    its first dossier of the period measured. So each reading compares the same commune with the same rows, its lists
    without a period (its past awards, its inbox) as full as at size, in a province that holds nothing else against
    one that holds five years of 129 communes: the ratio is what the rest of the province costs, not what a fuller
    page costs."""

    period: str
    measured: frozenset[str]

    def kept(self, commune: Commune, dossiers: list[Dossier]) -> list[Dossier]:
        if commune.tenant in self.measured:
            return dossiers
        return _ranked_and_awarded([d for d in dossiers if d.period == self.period][:1])


def province_plan(*, communes: int, dossiers: int, seed: int = 2025, only: Restriction | None = None) -> ProvincePlan:
    """`communes` communes of Ninh Bình (the two demo communes among them: the largest, with three times the
    average, and a small one, with a quarter), sharing `dossiers` dossiers over the periods 2025–2030; of which
    only what `only` keeps, when given."""
    rng = random.Random(seed)  # noqa: S311 (repeatable, not secret)
    listed = [Commune(LARGE, "Xã Liên Minh", 0, 3.0), Commune(SMALL, "Xã Tam Điệp", 1, 0.25)]
    for number in range(2, communes):
        listed.append(Commune(f"{BENCH_PREFIX}{number:03d}", f"Xã Thi Đua {number}", number, rng.uniform(0.5, 1.6)))
    return ProvincePlan(tuple(listed[:communes]), dossiers, seed, only)
