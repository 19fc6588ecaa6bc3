"""The notifications service's documents for the planned province: what its consumer, dispatcher and reminder sweep
would have left for every dossier the pipeline carried, as if each event had reached it and each e-mail been sent.

Per dossier (see `Commune.stages` in the plan), the events that tell someone something (domain/notices.py):
submitted, returned, resubmitted and scored tell the submitter; review.assigned tells each council member and keeps
an open review (reviews collection) that assessments then close; an award candidate tells the submitter. Per commune
and period with awards: the council session (members), its closing (the chairman), the commune's decision and the
province's answer to a proposal (the submitters), the proposal itself (the province's staff).

Each notice leaves an in-app message per recipient (`inbox`, most of them read) and, for whoever has an e-mail
address, an e-mail delivery already settled as sent (a few after one retry), so nothing is due for the running
dispatcher and no `dispatch_queue` entry exists. Open reviews whose period closed, or closes within the reminder
window, were reminded (with the reminder's messages), so the worker's sweep finds nothing to send either.

Recipients are whom the directory would resolve: the demo realm's people for the demo communes (looked up once,
through a password grant, for the id, username and e-mail the service stores), made-up people for benchmark-only
communes (which have no Keycloak organization).
"""

from __future__ import annotations

from benchmarks.seeding.notifications.seed import forget, seed, seed_province

__all__ = ["forget", "seed", "seed_province"]
