"""Text already stored or published (issue #20): the text rule holds what people send, not what older code kept. In
stored mode (`STORED` as the validation context, or inside `stored_text()`) text is taken exactly as it is; elsewhere,
request bodies included, the rule holds as ever (test_text.py)."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from collections.abc import Sequence
from typing import Annotated, Any, cast

import pytest
from confluent_kafka import Message
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from thidua_contracts.submissions import ScoringPolicy, SubmissionSubmitted
from thidua_contracts.testing import envelope_of, submission_submitted
from thidua_platform.consumer import EventConsumer, Outcome, RetryPolicy
from thidua_platform.envelope import Envelope
from thidua_platform.kafka import EventPublisher, Headers, encode
from thidua_platform.loops import poll
from thidua_platform.problems import install_problem_handlers
from thidua_platform.text import STORED, ShortText, Text, TextRule, is_stored, stored_text

# what older code kept: a NUL, a bell, an escape sequence, a line feed in one-line text, a decomposed spelling,
# spaces around, an empty name, text over today's bound
OLD_NAME = unicodedata.normalize("NFD", " Thôn Đông Hưng") + "\x00\x07\n"
OLD_REASON = "Thiếu biên bản\x00\x1b[31m "
OLD_PARENT = "x" * 11


class Form(BaseModel):
    name: ShortText
    reason: Text | None = None
    parent: Annotated[str, TextRule(max_length=10, min_length=0, multi_line=False)] = Field(default="")


class Kept(BaseModel):
    form: Form
    forms: list[Form] = []


OLD = {"name": OLD_NAME, "reason": OLD_REASON, "parent": OLD_PARENT}


def test_stored_text_is_taken_exactly_as_it_is() -> None:
    form = Form.model_validate(OLD, context=STORED)
    assert (form.name, form.reason, form.parent) == (OLD_NAME, OLD_REASON, OLD_PARENT)
    assert Form.model_validate({"name": ""}, context=STORED).name == ""
    assert Form.model_validate_json(json.dumps(OLD), context=STORED).name == OLD_NAME


def test_the_stored_context_reaches_nested_models() -> None:
    kept = Kept.model_validate({"form": OLD, "forms": [OLD, {"name": "Thôn Tây"}]}, context=STORED)
    assert kept.form.name == kept.forms[0].name == OLD_NAME


def test_without_stored_mode_the_rule_holds() -> None:
    with pytest.raises(ValidationError) as raised:
        Kept.model_validate({"form": OLD})
    assert {error["loc"] for error in raised.value.errors()} == {
        ("form", "name"),
        ("form", "reason"),
        ("form", "parent"),
    }
    for context in (None, {}, {"thidua.text": "input"}, "stored"):
        assert not is_stored(context)
        with pytest.raises(ValidationError):
            Form.model_validate(OLD, context=context)


def test_stored_mode_still_wants_text() -> None:
    with pytest.raises(ValidationError):
        Form.model_validate({"name": 5}, context=STORED)
    with stored_text(), pytest.raises(ValidationError):
        Form.model_validate({"name": None})


def test_the_stored_scope_ends_with_its_block_even_on_an_error() -> None:
    with stored_text():
        assert Form.model_validate(OLD).name == OLD_NAME
        with stored_text():
            pass
        assert Form(name=OLD_NAME).name == OLD_NAME  # still inside the outer block
    with pytest.raises(ValidationError):
        Form.model_validate(OLD)
    with pytest.raises(RuntimeError), stored_text():
        raise RuntimeError
    assert not is_stored(None)


async def test_the_stored_scope_of_one_task_leaves_the_others_strict() -> None:
    """A worker handling an event and a request served by the same process are apart (each task its context)."""
    inside, checked = asyncio.Event(), asyncio.Event()

    async def handling() -> str:
        with stored_text():
            inside.set()
            await checked.wait()
            return Form.model_validate(OLD).name

    task = asyncio.create_task(handling())
    await inside.wait()
    with pytest.raises(ValidationError):
        Form.model_validate(OLD)
    checked.set()
    assert await task == OLD_NAME


def test_a_body_is_refused_while_what_is_kept_reads_as_it_is() -> None:
    """The shape of the services' routes: the body validated by FastAPI (strict), the answer built from the stored
    document with `STORED` (a response model's instance is not validated again)."""
    app = FastAPI()
    install_problem_handlers(app)
    kept = {"name": OLD_NAME, "reason": OLD_REASON}

    @app.get("/forms/1")
    async def read() -> Form:
        return Form.model_validate(kept, context=STORED)

    @app.get("/forms")
    async def listing() -> list[Form]:
        return [Form.model_validate(kept, context=STORED)]

    @app.put("/forms/1")
    async def write(body: Form) -> Form:
        return body

    with TestClient(app) as client:
        assert client.get("/forms/1").json() == {**kept, "parent": ""}
        assert client.get("/forms").json() == [{**kept, "parent": ""}]
        refused = client.put("/forms/1", json=kept)
        assert refused.status_code == 422
        assert {error["field"] for error in refused.json()["errors"]} == {"name", "reason"}
        assert client.put("/forms/1", json={"name": " Thôn Tây "}).json()["name"] == "Thôn Tây"


# --- events already published -----------------------------------------------------------------------------------


def old_event(submission_id: str) -> tuple[bytes, bytes, Headers]:
    """A submitted event as older code published it: its entrant's name and a grade band with text the rule refuses
    today (made from a clean one, as the older producer's JSON)."""
    clean = envelope_of(submission_submitted(submission_id))
    key, _, headers = encode(clean)
    document = clean.model_dump(mode="json")
    document["data"]["entrant"]["name"] = OLD_NAME
    document["data"]["policy"] = {"grade_bands": [{"minimum": 50, "grade": "Đạt\x00"}]}
    return key, json.dumps(document).encode(), headers


class FakeMessage:
    """What the runtime reads of a Kafka message."""

    def __init__(self, key: bytes, value: bytes, headers: Headers, offset: int) -> None:
        self._key, self._value, self._headers, self._offset = key, value, headers, offset

    def value(self) -> bytes:
        return self._value

    def key(self) -> bytes:
        return self._key

    def headers(self) -> Headers:
        return self._headers

    def topic(self) -> str:
        return "thidua.submissions"

    def partition(self) -> int:
        return 0

    def offset(self) -> int:
        return self._offset

    def error(self) -> None:
        return None


class DeadLetters:
    def __init__(self) -> None:
        self.letters: list[tuple[str, bytes | None]] = []

    async def publish_raw(self, topic: str, key: bytes | None, _value: bytes | None, _headers: Headers) -> None:
        self.letters.append((topic, key))


def runtime(
    handler: Any, dead_letters: DeadLetters, batch: Any = None
) -> EventConsumer:  # no broker: only `process` and `settle` are used
    consumer = EventConsumer(
        bootstrap="127.0.0.1:9",
        group_id="test-stored-text",
        topics=["thidua.submissions"],
        handlers={SubmissionSubmitted.event_type: handler},
        dead_letters=cast(EventPublisher, dead_letters),
        retry=RetryPolicy(max_attempts=2, backoff_seconds=0.01),
        batch=batch,
    )
    consumer._consumer.close()
    return consumer


def message(submission_id: str, offset: int = 0) -> Message:
    return cast(Message, FakeMessage(*old_event(submission_id), offset=offset))


async def test_an_old_event_is_handled_not_dead_lettered() -> None:
    seen: list[SubmissionSubmitted] = []

    async def handler(envelope: Envelope) -> None:
        seen.append(envelope.payload(SubmissionSubmitted))

    dead = DeadLetters()
    outcome = await runtime(handler, dead).process(message("s-old"), asyncio.Event())
    assert outcome is Outcome.HANDLED
    assert dead.letters == []
    [submitted] = seen
    assert submitted.entrant.name == OLD_NAME
    assert submitted.policy.grade_bands[0].grade == "Đạt\x00"


async def test_old_events_are_handled_in_a_batch_too() -> None:
    names: list[str] = []

    async def batch(envelopes: Sequence[Envelope]) -> None:
        names.extend(e.payload(SubmissionSubmitted).entrant.name for e in envelopes)

    async def one(_envelope: Envelope) -> None:
        raise AssertionError("the batch failed")

    dead = DeadLetters()
    settled = await runtime(one, dead, batch=batch).settle([message("s-1", 0), message("s-2", 1)], asyncio.Event())
    assert settled == [True, True]
    assert names == [OLD_NAME, OLD_NAME]
    assert dead.letters == []


async def test_an_event_is_still_parsed_strictly_outside_the_runtime() -> None:
    """The mode is the runtime's, around its handlers: the same event read elsewhere is held to the rule."""
    envelope = Envelope.model_validate_json(old_event("s-old")[1])
    with pytest.raises(ValidationError):
        envelope.payload(SubmissionSubmitted)
    with pytest.raises(ValidationError):
        ScoringPolicy.model_validate({"grade_bands": [{"minimum": 50, "grade": "Đạt\x00"}]})


async def test_a_workers_loop_reads_in_stored_mode() -> None:
    stop = asyncio.Event()
    names: list[str] = []

    async def work() -> int:
        stop.set()  # one round
        names.append(Form.model_validate(OLD).name)
        return 1

    await poll(stop, work, every=0.01, what="test")
    assert names == [OLD_NAME]
