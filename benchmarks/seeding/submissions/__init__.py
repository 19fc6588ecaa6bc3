"""The submissions service's documents for the benchmark's province: each commune's campaign (the province's
published template adopted, with its periods, windows and criteria sets), its entrants, a registration per entrant
and period that has a dossier, and the dossiers themselves with their evidence, status, versions, returns and audit
trail, as the service's use cases would have left them after the plan's history (see plan.py).

Documents carry `revision`, `applied_changes` and `audit` the way ChangeLog and the use cases write them: every
revision has exactly one audit entry; an insert that causes an event (adoption, a criteria set's publication, an
entrant, a registration) records its change's nonce, an insert without one (a draft dossier) records none, and
every later update records one. Nonces are derived from the document's id and revision, so a second run builds the
same documents (and inserts nothing: the ids exist).

Documents per dossier: 1 submission + 1 registration, plus per commune its entrants (about one per 6 dossiers) and,
where the benchmark adopts the campaign, 1 campaign + 40 criteria sets. No attachment (nor its chunks) is written.
"""

from __future__ import annotations

from benchmarks.seeding.submissions.common import IMPORTED_AT, OFFICER
from benchmarks.seeding.submissions.dossiers import _evidence
from benchmarks.seeding.submissions.seed import forget, seed, seed_province

__all__ = ["IMPORTED_AT", "OFFICER", "_evidence", "forget", "seed", "seed_province"]
