"""The one table of the platform's topics and consumer groups: each worker subscribes from it, and the AsyncAPI
document's channels and receive operations and the README's table are generated from it (`python -m
thidua_ops.contracts write`)."""

from __future__ import annotations

TOPIC_SUBMISSIONS = "thidua.submissions"


TOPIC_SCORING = "thidua.scoring"


TOPIC_AWARDS = "thidua.awards"


DOMAIN_TOPICS = (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS)


# every consumer group of the platform and the topics it reads (the submissions worker only relays its outbox): each
# worker subscribes from this table, and the AsyncAPI document's receive operations are generated from it
CONSUMER_GROUPS: dict[str, tuple[str, ...]] = {
    "scoring": (TOPIC_SUBMISSIONS, TOPIC_SCORING),
    "awards": (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS),
    "notifications": DOMAIN_TOPICS,
    "rollups": DOMAIN_TOPICS,
}
