"""The scoring service's documents for the planned province, as its worker and its council would have left them.

For every dossier that reached scoring (stage in_review or final) the worker kept, on `submission.submitted`, the
dossier's criteria and evidence with a provisional score per version (indicators by the service's own rules,
assessments pending), and assigned the assessment criteria to council members of the commune, each assignment
listed in its dossier's slots. Members then assessed: every criterion by every reviewer for final dossiers, a part of
them for dossiers still in review. A final score (the plan's total and grade, per criterion by the service's own
`final_breakdown`) closes a final dossier, and each commune and period with final scores has its digital-
transformation index computed from them. A dossier scored at version 2 was returned once: version 1 keeps its
provisional score (returned) and its closed assignments.

Evidence is made up per dossier so that the service's rules give the plan's total: the indicator criteria score a
provisional total P, and the council's assessments add exactly the plan's total minus P.

Documents per dossier (average over the plan's stages and groups): about 9.5; a final dossier of group a, the
largest, has 1 score + 2 assignments + 2 slots + 10 assessments + 1 final = 16. Per commune: 1 council roster (where
it has none), one index per period with final scores, each entrant as the worker keeps it from `entrant.recorded`
and, for communes that exist only in the benchmark, the 40 criteria sets (8 periods × 5 groups) the scoring worker
keeps from `criteria_set.published`.
"""

from __future__ import annotations

from benchmarks.seeding.scoring.seed import forget, seed, seed_province

__all__ = ["forget", "seed", "seed_province"]
