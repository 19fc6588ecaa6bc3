"""The catalogue of events is whole: each producing service's module defines its events on its own topic, every one
of them is in `EVENT_TYPES`, and importing any module of the contracts makes every type readable by an envelope."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

import thidua_contracts
from thidua_contracts import awards, scoring, submissions, topology
from thidua_platform.envelope import EventData

PRODUCERS: dict[ModuleType, str] = {
    submissions: topology.TOPIC_SUBMISSIONS,
    scoring: topology.TOPIC_SCORING,
    awards: topology.TOPIC_AWARDS,
}


def events_defined_in(module: ModuleType) -> dict[str, type[EventData]]:
    return {
        value.event_type: value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, EventData)
        and value.__module__ == module.__name__
        and "event_type" in value.__dict__
    }


@pytest.mark.parametrize("module", list(PRODUCERS), ids=lambda module: module.__name__)
def test_a_producers_events_are_its_own_on_its_topic(module: ModuleType) -> None:
    defined = events_defined_in(module)
    assert defined
    assert {model.topic for model in defined.values()} == {PRODUCERS[module]}
    producer = module.__name__.rsplit(".", 1)[1]
    assert all(event_type.startswith(f"thidua.{producer}.") for event_type in defined)


def test_every_event_defined_is_in_the_catalogue_and_nothing_else() -> None:
    defined = {event_type: model for module in PRODUCERS for event_type, model in events_defined_in(module).items()}
    assert defined == thidua_contracts.EVENT_TYPES


def test_importing_one_module_makes_every_event_type_known() -> None:
    """A worker that imports only the events it handles still tells a platform event from an unknown one (the
    consumer runtime dead-letters only the latter), because the package's catalogue is imported first."""
    check = (
        "import thidua_contracts.terms\n"
        "from thidua_platform.envelope import is_known\n"
        "from thidua_contracts import EVENT_TYPES\n"
        "assert EVENT_TYPES and all(is_known(event_type) for event_type in EVENT_TYPES)\n"
        "assert not is_known('thidua.elsewhere.thing.happened.v1')\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True)  # noqa: S603 (this interpreter, a constant program)
