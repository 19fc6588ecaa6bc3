"""The awards service's documents for the benchmark's province, as its worker and use cases would have left them
after the plan's history (see plan.py):

- what the worker keeps from other services' events: the evidence of every dossier that was ever submitted
  (`dossiers`, from submission.submitted / resubmitted) and the final score of every finally scored one (`scores`,
  from score.finalised), with the Giấy khen candidacy such a score brings when it meets the rule (intake);
- per commune and period, the officer's evaluation of the Giấy khen and Bằng khen lists by the province's rules
  (quota, minimum score), then the officer's review: the plan's awardees kept (or put back, when a tie at the quota
  left them out), every other candidate still under review taken off with a reason;
- one council session per commune and period with candidates: convened, voting opened with every member present,
  one ballot per member, closed and counted, each candidate settled with the council's result;
- the chairman's decision for the Giấy khen, the proposal (tờ trình) for the Bằng khen with the province's answer,
  and the history entry each award leaves.

The province's rules are read, never written (the demo's, or the defaults); the catalogue is code. A commune that
exists only in the benchmark gets its letterhead (the officer sets it once); a demo commune keeps its own, or none.

Documents carry `revision`, `applied_changes` and `audit` the way ChangeLog and the use cases write them: one audit
entry per revision; an insert that causes an event records its change's nonce, an insert without one records none,
every later update records one. Nonces and the ids the service draws at random (a session's) are derived from the
plan, so that a second run builds the same documents and inserts nothing.

Documents per dossier (about 2.3 for the plan's mix): 1 `dossiers` per submitted dossier (0.95), 1 `scores` per
final one (0.75); a candidate per form whose rule a final score meets (0.34); 1 `history` per award (0.13); per
commune and period 1 session, 1 decision, 1 proposal at most, 2 showcase items (its first units awarded); per
benchmark-only commune 1 letterhead.
"""

from __future__ import annotations

from benchmarks.seeding.awards.seed import forget, seed, seed_province

__all__ = ["forget", "seed", "seed_province"]
