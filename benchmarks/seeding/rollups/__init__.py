"""The rollups' read models for the plan: the facts its worker stores from every dossier's events, and the summary of
each commune and period computed from them, so province staff see every commune ranked and can drill down.

The worker turns each event into changes (`rollups.service.facts.APPLY`) stored as records keyed by what they say
(`rollups.domain.changes`). This module builds the very events the pipeline publishes for a dossier of the plan —
submitted (returned and resubmitted on the way to a version 2, or withdrawn), score finalised with its themes and
grade, candidate for the commune's award, the chairman's decision or the proposal to the province with its outcome,
and the commune's index per period — and runs them through the worker's own `APPLY`, so the records are exactly
the ones the worker would insert. Summaries come from the service's `refresh` over those facts, folded in memory
for a benchmark commune; for the two demo communes, whose partitions also hold the demo's own facts, `refresh`
reads the database, as the worker's summary loop would. Nothing is left marked dirty.

What the plan does not say is made up here, deterministically: how a total splits over the criteria of the group's
default criteria set (every criterion reaches the same share of its maximum, so themes and the index follow the
total), and when events happened; decision and proposal numbers, days and issuers are the awards seeder's.

Documents per dossier (about 2.6 in all): one status record per submission, return, resubmission or withdrawal, one
score record per final score, one candidacy record per final score meeting the Giấy khen rule; one award record
per award; per commune and period three proposal records (if anything went to the province), one index record and
one summary.
"""

from __future__ import annotations

from benchmarks.seeding.rollups.seed import forget, seed, seed_province

__all__ = ["forget", "seed", "seed_province"]
