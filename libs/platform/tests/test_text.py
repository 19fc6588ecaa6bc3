"""User text (issue #20): NFC and trimmed, no control characters, one line for `ShortText`, lengths counted once
normalised; a refusal reaches the caller as a problem naming the field, Vietnamese / English."""

from __future__ import annotations

import unicodedata
from typing import Annotated

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from thidua_platform.problems import PROBLEM_JSON, install_problem_handlers
from thidua_platform.text import CONTROL_MESSAGE, LINE_MESSAGE, ShortText, Text, TextRule

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
NFC_NAME = unicodedata.normalize("NFC", "Nguyễn Thị Hương")
# every control character: C0 less tab, line feed and carriage return, DEL, C1
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


class Form(BaseModel):
    name: ShortText
    reason: Text | None = None
    parent: Annotated[str, TextRule(max_length=10, min_length=0, multi_line=False)] = Field(default="")


def refusal(**fields: object) -> tuple[str, str]:
    """The one error of a refused form: its field and message."""
    with pytest.raises(ValidationError) as raised:
        Form.model_validate({"name": "Thôn Đông", **fields})
    [error] = raised.value.errors()
    return ".".join(str(part) for part in error["loc"]), str(error["ctx"]["error"])


def test_text_is_stored_nfc_and_trimmed() -> None:
    form = Form(name=f"  {NFD_NAME}\u00a0", reason=f"\n{NFD_NAME}\r\n\tdòng hai\n", parent=" ")
    assert form.name == NFC_NAME
    assert form.reason == f"{NFC_NAME}\r\n\tdòng hai"
    assert form.parent == ""
    assert unicodedata.is_normalized("NFC", form.name)


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_control_character_is_refused(control: str) -> None:
    assert refusal(name=f"Thôn{control}Đông") == ("name", LINE_MESSAGE)
    assert refusal(reason=f"Thiếu{control}biên bản") == ("reason", CONTROL_MESSAGE)
    assert refusal(parent=control) == ("parent", LINE_MESSAGE)


def test_a_control_character_at_either_end_is_refused_not_trimmed() -> None:
    assert refusal(name="\x00Thôn Đông")[0] == "name"
    assert refusal(reason="lý do\x1f")[0] == "reason"  # str.strip() would have taken U+001F away
    assert refusal(reason="\x85lý do")[0] == "reason"


@pytest.mark.parametrize("line_break", ["\n", "\r", "\t", "\r\n"])
def test_one_line_text_refuses_line_breaks_and_tabs_inside(line_break: str) -> None:
    assert refusal(name=f"Thôn{line_break}Đông") == ("name", LINE_MESSAGE)
    assert Form(name="Thôn Đông", reason=f"một{line_break}hai").reason == f"một{line_break}hai"


def test_line_and_paragraph_separators_are_allowed() -> None:
    assert Form(name="Thôn\u2028Đông", reason="a\u2029b").name == "Thôn\u2028Đông"


def test_messages_are_vietnamese_then_english() -> None:
    for message in (CONTROL_MESSAGE, LINE_MESSAGE):
        vietnamese, separator, english = message.partition(" / ")
        assert separator
        assert any(ord(c) > 127 for c in vietnamese)
        assert english.isascii()


@pytest.mark.parametrize(("name", "reason"), [("   ", None), ("", None), ("Thôn", " \n ")])
def test_blank_text_is_refused(name: str, reason: str | None) -> None:
    with pytest.raises(ValidationError) as raised:
        Form(name=name, reason=reason)
    [error] = raised.value.errors()
    assert error["loc"] == ("reason" if reason else "name",)
    assert " / " in str(error["ctx"]["error"])


def test_lengths_are_counted_once_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "ế" * 300)
    assert len(decomposed) == 900
    assert len(Form(name=decomposed).name) == 300
    assert refusal(name="x" * 301)[0] == "name"
    assert refusal(name=" " * 1201 + "x")[0] == "name"  # far past the bound as sent: not even normalised
    assert refusal(parent="x" * 11)[0] == "parent"
    assert len(Form(name="Thôn", reason="x" * 2000).reason or "") == 2000
    assert refusal(reason="x" * 2001)[0] == "reason"


def test_other_types_are_refused_as_strings_are_not_coerced() -> None:
    with pytest.raises(ValidationError) as raised:
        Form.model_validate({"name": 5})
    assert raised.value.errors()[0]["type"] == "string_type"


def test_the_schema_keeps_the_bounds() -> None:
    properties = Form.model_json_schema()["properties"]
    assert properties["name"] == {"maxLength": 300, "minLength": 1, "title": "Name", "type": "string"}
    assert properties["parent"]["maxLength"] == 10
    assert "minLength" not in properties["parent"]
    assert {"maxLength": 2000, "minLength": 1, "type": "string"} in properties["reason"]["anyOf"]


def test_a_refusal_is_a_problem_naming_the_field() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/forms")
    async def create(body: Form) -> dict[str, str]:
        return {"name": body.name}

    client = TestClient(app)
    answer = client.post("/forms", json={"name": "Thôn\u0000Đông", "reason": "có\u0007chuông"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["errors"] == [
        {"field": "name", "message": LINE_MESSAGE},
        {"field": "reason", "message": CONTROL_MESSAGE},
    ]
    assert client.post("/forms", json={"name": NFD_NAME}).json() == {"name": NFC_NAME}
