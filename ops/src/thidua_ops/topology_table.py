"""The README's table of topics and consumer groups, generated from `thidua_contracts.topology` (the table every
worker subscribes from) by the contract generator (`python -m thidua_ops.contracts write`)."""

from __future__ import annotations

from thidua_contracts import EVENT_TYPES
from thidua_contracts.topology import CONSUMER_GROUPS, DOMAIN_TOPICS
from thidua_platform.envelope import dead_letter_topic

README_BLOCK = (
    "<!-- topology: generated from thidua_contracts.topology by `python -m thidua_ops.contracts write` -->\n",
    "<!-- /topology -->\n",
)


def topology_table() -> str:
    """Each topic, who publishes on it, its events and the consumer groups that read it (markdown)."""
    events: dict[str, list[str]] = {}
    for event_type, model in sorted(EVENT_TYPES.items()):
        events.setdefault(model.topic, []).append(f"`{event_type.split('.', 2)[2]}`")
    rows = ["| topic | published by | events (`thidua.<service>.` …) | read by (consumer groups) |"]
    rows.append("|---|---|---|---|")
    for topic in DOMAIN_TOPICS:
        readers = ", ".join(group for group, topics in CONSUMER_GROUPS.items() if topic in topics)
        rows.append(f"| `{topic}` | {topic.split('.', 1)[1]} | {', '.join(events[topic])} | {readers} |")
    groups = ", ".join(f"`{dead_letter_topic(group)}`" for group in CONSUMER_GROUPS)
    rows.append("")
    rows.append(f"Each consumer group's dead letters go to its own topic: {groups}.")
    return "\n".join(rows) + "\n"


def with_topology(readme: str) -> str:
    """The README with its generated block replaced by the current table."""
    begin, end = README_BLOCK
    if begin not in readme or end not in readme:
        raise ValueError(f"the README has no generated topology block ({begin.strip()} … {end.strip()})")
    before, rest = readme.split(begin, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{begin}{topology_table()}{end}{after}"
