"""Text as users type it: Vietnamese is stored NFC-normalised so that equal words compare equal, trimmed, and never
holds a control character.

`Text` is multi-line (a reason, a comment, a story: line feeds, carriage returns and tabs are kept inside it);
`ShortText` is one line (a name, a title, a number). Both refuse NUL and the other control characters (U+0000–U+001F,
U+007F–U+009F), which no form sends but a script can, and which break what later reads the text (a workbook cell, a
PDF, a mail header). U+2028 and U+2029 are allowed. A field with other bounds is declared with `TextRule` itself,
e.g. `Annotated[str, TextRule(max_length=5000)]`, not with `Field(max_length=...)` on `Text`.

Lengths are counted once normalised and trimmed (a decomposed spelling of a Vietnamese word is longer than the same
word composed); the OpenAPI documents give them as minLength / maxLength.

The rule is for what people send, not for what is already kept. Older code stored and published text it did not check
(a NUL, an escape sequence, a decomposed spelling, a name longer than today's bound), and documents and events are
kept for good (topics keep every event, read models are rebuilt from them). So text read back from a database or from
an event is taken exactly as it is, neither refused nor normalised, in "stored mode", entered in one of two ways:
- `Model.model_validate(document, context=STORED)`: that validation, nested models included; wherever a service builds
  a model from a stored document: a response view, the entrant or criteria set a document keeps, an event made from
  them;
- `with stored_text(): ...`: every validation inside the block (and in the tasks it starts); for work that reads only
  what is stored or published, never what a person sent: the consumer runtime around its handlers (their
  `envelope.payload(...)` included), a worker's polling loops (`loops.poll`), the rollups rebuild.
Request bodies are validated by FastAPI outside both, and so is every other validation: what a person sends is held to
the rule. Whatever renders kept text must bear a control character (the reports' workbook leaves them out).
`thidua-ops stored-text` lists where the databases keep such text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

CONTROL_MESSAGE = "Không được chứa ký tự điều khiển / Must not contain control characters"
LINE_MESSAGE = "Không được chứa ký tự điều khiển hay xuống dòng / Must not contain control characters or line breaks"
BLANK_MESSAGE = "Không được để trống / Must not be blank"

# C0 and C1 controls and DEL, less tab, line feed and carriage return, which multi-line text keeps.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
# What is sent may be longer than what is kept (decomposed marks, spaces around): up to this many times the bound.
_RAW_FACTOR = 4

_MODE = "thidua.text"
# The validation context of data already stored or published: its text is taken as it is.
STORED: Final[Mapping[str, str]] = MappingProxyType({_MODE: "stored"})
_stored_scope: ContextVar[bool] = ContextVar("thidua_stored_text", default=False)


@contextmanager
def stored_text() -> Iterator[None]:
    """Within the block, every `TextRule` takes text as it is (see the module's docstring: for stored or published
    data only, never around the validation of what a person sent)."""
    token = _stored_scope.set(True)
    try:
        yield
    finally:
        _stored_scope.reset(token)


def is_stored(context: object) -> bool:
    """Whether a validation with this `context` reads stored text: `STORED` given, or inside `stored_text()`."""
    return _stored_scope.get() or (isinstance(context, Mapping) and context.get(_MODE) == STORED[_MODE])


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def has_control(value: str, *, multi_line: bool = False) -> bool:
    """Whether `value` holds a control character; tab, line feed and carriage return are none in `multi_line` text."""
    return (_CONTROL if multi_line else _CONTROL_OR_LINE).search(value) is not None


@dataclass(frozen=True)
class TextRule:
    """Makes a `str` field user text: no control characters (nor line breaks unless `multi_line`), stored NFC and
    trimmed, then `min_length` (0: may be empty) to `max_length` characters long. Refusals are ValueErrors with a
    Vietnamese / English message, which the problem handler reports as they are. In stored mode (`STORED`,
    `stored_text()`) any `str` is taken unchanged."""

    max_length: int
    min_length: int = 1
    multi_line: bool = True

    def check(self, value: str) -> str:
        """`value` as it is stored, or ValueError."""
        if len(value) > _RAW_FACTOR * self.max_length:
            raise ValueError(self._too_long())
        if has_control(value, multi_line=self.multi_line):
            raise ValueError(CONTROL_MESSAGE if self.multi_line else LINE_MESSAGE)
        kept = nfc(value)
        if len(kept) < self.min_length:
            raise ValueError(
                BLANK_MESSAGE
                if self.min_length == 1
                else f"Tối thiểu {self.min_length} ký tự / At least {self.min_length} characters"
            )
        if len(kept) > self.max_length:
            raise ValueError(self._too_long())
        return kept

    def _too_long(self) -> str:
        return f"Tối đa {self.max_length} ký tự / At most {self.max_length} characters"

    def _validate(self, value: str, info: core_schema.ValidationInfo) -> str:
        return value if is_stored(info.context) else self.check(value)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._validate, core_schema.str_schema())

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["maxLength"] = self.max_length
        if self.min_length:
            json_schema["minLength"] = self.min_length
        return json_schema


Text = Annotated[str, TextRule(max_length=2000)]
ShortText = Annotated[str, TextRule(max_length=300, multi_line=False)]
