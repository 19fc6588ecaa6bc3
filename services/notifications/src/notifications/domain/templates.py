"""Message templates: Jinja2 in a sandbox, four parts per kind (subject and body, Vietnamese then English).

The built-in templates are version 0 of every kind; a commune's overrides are versions 1, 2, ... of its own. A
template is checked by rendering it against the kind's sample facts before it is accepted, so a typo is a 422 at
the officer's desk and not a silent gap in someone's inbox. Rendered text is NFC-normalised.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from notifications.domain.aggregates import Texts

Part = Literal["subject_vi", "body_vi", "subject_en", "body_en"]
PARTS: tuple[Part, ...] = ("subject_vi", "body_vi", "subject_en", "body_en")


@dataclass(frozen=True)
class Template:
    subject_vi: str
    body_vi: str
    subject_en: str
    body_en: str

    def part(self, name: str) -> str:
        text: str = getattr(self, name)
        return text


@dataclass(frozen=True)
class Rendered:
    subject_vi: str
    body_vi: str
    subject_en: str
    body_en: str

    def html(self) -> str:
        """The HTML alternative of an e-mail: Vietnamese first, English second, every value escaped."""

        def paragraphs(text: str) -> str:
            return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())

        return (
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>'
            f"<h2>{escape(self.subject_vi)}</h2>{paragraphs(self.body_vi)}<hr>"
            f'<div lang="en"><h3>{escape(self.subject_en)}</h3>{paragraphs(self.body_en)}</div>'
            "</body></html>"
        )

    def text(self) -> str:
        return f"{self.body_vi}\n\n---\n{self.subject_en}\n\n{self.body_en}\n"


def texts(parts: Template | Rendered) -> Texts:
    """The four texts as documents keep them: a template version's parts, a delivery's `rendered`."""
    return {
        "subject_vi": parts.subject_vi,
        "body_vi": parts.body_vi,
        "subject_en": parts.subject_en,
        "body_en": parts.body_en,
    }


class InvalidTemplate(ValueError):
    """A template that does not parse or render; `part` names which of the four, `line` where."""

    def __init__(self, part: str, message: str, line: int | None = None) -> None:
        self.part, self.line = part, line
        where = f" (dòng {line} / line {line})" if line else ""
        super().__init__(f"{message}{where}")


# Bounds on what a commune's template may cost: the sandbox keeps it from Python's internals, these keep it from
# the CPU and memory. Loops nest at most twice, ranges and repeated strings are short, macros and includes are out,
# and rendering stops once a part exceeds MAX_OUTPUT characters.
MAX_OUTPUT = 20_000
MAX_RANGE = 200
MAX_REPEAT = 2_000
MAX_LOOP_DEPTH = 2
_FORBIDDEN = (nodes.Macro, nodes.CallBlock, nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _points(value: float) -> str:
    return f"{value:g}"


def _short_range(*args: int) -> range:
    span = range(*args)
    if len(span) > MAX_RANGE:
        raise ValueError(f"range() dài quá {MAX_RANGE} / range() longer than {MAX_RANGE}")
    return span


class _BoundedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and abs(right) > 64:
            raise ValueError("số mũ quá lớn / exponent too large")
        if operator == "*" and any(isinstance(v, str | list | tuple) for v in (left, right)):
            count = right if isinstance(left, str | list | tuple) else left
            size = len(left if isinstance(left, str | list | tuple) else right)
            if isinstance(count, int) and count * size > MAX_REPEAT:
                raise ValueError(f"chuỗi lặp dài quá {MAX_REPEAT} / repetition longer than {MAX_REPEAT}")
        return super().call_binop(context, operator, left, right)


_ENVIRONMENT = _BoundedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
_ENVIRONMENT.filters["points"] = _points
_ENVIRONMENT.globals["range"] = _short_range


def _loop_depth(node: nodes.Node) -> int:
    below = max((_loop_depth(child) for child in node.iter_child_nodes()), default=0)
    return below + 1 if isinstance(node, nodes.For) else below


def _check_shape(part: str, source: str) -> None:
    tree = _ENVIRONMENT.parse(source)
    for forbidden in _FORBIDDEN:
        found = next(iter(tree.find_all(forbidden)), None)
        if found is not None:
            raise InvalidTemplate(part, f"không dùng {type(found).__name__} / {type(found).__name__} is not allowed")
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        raise InvalidTemplate(
            part, f"vòng lặp lồng quá {MAX_LOOP_DEPTH} cấp / loops nested deeper than {MAX_LOOP_DEPTH}"
        )


def _render_part(part: str, source: str, facts: dict[str, Any]) -> str:
    _check_shape(part, source)
    chunks, size = [], 0
    for chunk in _ENVIRONMENT.from_string(source).generate(facts):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise InvalidTemplate(part, f"nội dung dài quá {MAX_OUTPUT} ký tự / output longer than {MAX_OUTPUT}")
        chunks.append(chunk)
    return "".join(chunks)


def render(template: Template, facts: dict[str, Any]) -> Rendered:
    """Fill the four parts; subjects become one line. Raises InvalidTemplate naming the part that failed, whatever
    failed (a syntax error, an unknown fact, a bound above, or an error of the template's own arithmetic)."""
    out: dict[str, str] = {}
    for part in PARTS:
        try:
            text = _render_part(part, template.part(part), facts)
        except InvalidTemplate:
            raise
        except TemplateError as exc:
            message = f"mẫu không hợp lệ / invalid template: {exc.message or exc}"
            raise InvalidTemplate(part, message, getattr(exc, "lineno", None)) from exc
        except Exception as exc:  # the template's own errors: 1/0, "%s%s" % x, None + "", recursion
            raise InvalidTemplate(part, f"lỗi khi điền mẫu / the template failed: {type(exc).__name__}: {exc}") from exc
        text = unicodedata.normalize("NFC", text).strip()
        out[part] = " ".join(text.split()) if part.startswith("subject") else text
    return Rendered(**out)


def _t(subject_vi: str, body_vi: str, subject_en: str, body_en: str) -> Template:
    return Template(subject_vi, body_vi, subject_en, body_en)


_ENTRANTS_VI = "{{ entrants | join(', ') }}"

BUILTIN: dict[str, Template] = {
    "submission_submitted": _t(
        "Đã nhận hồ sơ thi đua: {{ entrant }}",
        "Hồ sơ của {{ entrant }} cho kỳ {{ period }} đã được nộp thành công.",
        "Submission received: {{ entrant }}",
        "The submission of {{ entrant }} for {{ period }} was submitted.",
    ),
    "submission_resubmitted": _t(
        "Đã nhận hồ sơ nộp lại: {{ entrant }}",
        "Hồ sơ của {{ entrant }} cho kỳ {{ period }} đã được nộp lại (lần {{ version }}).",
        "Corrected submission received: {{ entrant }}",
        "The corrected submission of {{ entrant }} for {{ period }} was received (version {{ version }}).",
    ),
    "submission_returned": _t(
        "Hồ sơ bị trả lại để bổ sung: {{ entrant }}",
        "Hồ sơ của {{ entrant }} (kỳ {{ period }}) cần bổ sung:\n"
        "{% for r in reasons %}- {% if r.code %}{{ r.code }}: {% endif %}{{ r.reason }}\n{% endfor %}",
        "Submission returned for correction: {{ entrant }}",
        "The submission of {{ entrant }} ({{ period }}) needs correction:\n"
        "{% for r in reasons %}- {% if r.code %}{{ r.code }}: {% endif %}{{ r.reason }}\n{% endfor %}",
    ),
    "submission_scored": _t(
        "Hồ sơ đã được chấm điểm: {{ entrant }}",
        "{{ entrant }}: {{ total | points }}/{{ max_total | points }} điểm, xếp loại {{ grade }} (kỳ {{ period }}).",
        "Submission scored: {{ entrant }}",
        "{{ entrant }}: {{ total | points }}/{{ max_total | points }} points, grade {{ grade }} ({{ period }}).",
    ),
    "award_candidate": _t(
        "Được đề xuất khen thưởng: {{ entrant }}",
        "{{ entrant }} được đề xuất xét tặng {{ award_form_vi }} kỳ {{ period }}.",
        "Proposed for an award: {{ entrant }}",
        "{{ entrant }} is proposed for the {{ award_form_en }}, period {{ period }}.",
    ),
    "award_decided": _t(
        "Quyết định khen thưởng: {{ award_form_vi }}",
        "Chúc mừng! " + _ENTRANTS_VI + " được tặng {{ award_form_vi }} kỳ {{ period }}"
        "{% if number %} theo Quyết định số {{ number }}{% endif %}{% if issuer %} của {{ issuer }}{% endif %}.",
        "Award decided: {{ award_form_en }}",
        "Congratulations! {{ entrants | join(', ') }} received the {{ award_form_en }} for {{ period }}"
        "{% if number %}, decision No. {{ number }}{% endif %}{% if issuer %} by {{ issuer }}{% endif %}.",
    ),
    "proposal_outcome": _t(
        "Kết quả tờ trình {{ award_form_vi }}",
        "Cấp trên đã {{ {'awarded': 'quyết định tặng', 'rejected': 'không chấp thuận đề nghị',"
        " 'returned': 'trả lại đề nghị', 'forwarded_to_central': 'chuyển lên Trung ương đề nghị'}.get(outcome, outcome)"
        " }} {{ award_form_vi }}"
        " kỳ {{ period }} cho " + _ENTRANTS_VI + ".{% if number %} Quyết định số {{ number }}"
        "{% if issuer %} của {{ issuer }}{% endif %}.{% endif %}{% if reason %} Lý do: {{ reason }}{% endif %}",
        "Proposal outcome: {{ award_form_en }}",
        "The proposal for the {{ award_form_en }} ({{ period }}) for {{ entrants | join(', ') }} was "
        "{{ {'awarded': 'granted', 'rejected': 'rejected', 'returned': 'returned',"
        " 'forwarded_to_central': 'forwarded to the central level'}.get(outcome, outcome) }}."
        "{% if number %} Decision No. {{ number }}{% if issuer %} by {{ issuer }}{% endif %}.{% endif %}"
        "{% if reason %} Reason: {{ reason }}{% endif %}",
    ),
    "proposal_received": _t(
        "Tờ trình mới: {{ award_form_vi }}",
        "Đã nhận Tờ trình số {{ number }} đề nghị tặng {{ award_form_vi }} kỳ {{ period }} cho " + _ENTRANTS_VI + ".",
        "New proposal: {{ award_form_en }}",
        "Proposal No. {{ number }} for the {{ award_form_en }} ({{ period }}) for {{ entrants | join(', ') }}.",
    ),
    "session_convened": _t(
        "Triệu tập phiên họp Hội đồng: {{ title }}",
        "Phiên họp «{{ title }}» (kỳ {{ period }}) lúc {{ held_at }} xét {{ candidates }} trường hợp.",
        "Council session convened: {{ title }}",
        "The session «{{ title }}» ({{ period }}) at {{ held_at }} considers {{ candidates }} candidates.",
    ),
    "decisions_waiting": _t(
        "Có {{ passed }} trường hợp chờ Chủ tịch quyết định",
        "Hội đồng đã biểu quyết thông qua (kỳ {{ period }}):\n{% for e in entrants %}- {{ e }}\n{% endfor %}",
        "{{ passed }} awards wait for the chairman's decision",
        "The council approved ({{ period }}):\n{% for e in entrants %}- {{ e }}\n{% endfor %}",
    ),
    "review_assigned": _t(
        "Hồ sơ cần chấm điểm{% if entrant %}: {{ entrant }}{% endif %}",
        "Đồng chí được phân công chấm tiêu chí {{ criteria | join(', ') }} của hồ sơ"
        "{% if entrant %} {{ entrant }}{% endif %} (kỳ {{ period }}).",
        "Dossier to review{% if entrant %}: {{ entrant }}{% endif %}",
        "You are assigned criteria {{ criteria | join(', ') }} of the dossier{% if entrant %} of {{ entrant }}"
        "{% endif %} ({{ period }}).",
    ),
    "review_reminder": _t(
        "Nhắc hạn chấm điểm{% if entrant %}: {{ entrant }}{% endif %}",
        "Kỳ {{ period }} kết thúc lúc {{ closes_at }}; đồng chí chưa chấm xong tiêu chí {{ criteria | join(', ') }}.",
        "Review reminder{% if entrant %}: {{ entrant }}{% endif %}",
        "The period {{ period }} closes at {{ closes_at }}; your review of {{ criteria | join(', ') }} is not done.",
    ),
    "digest": _t(
        "Bản tin thi đua ngày {{ date }}: {{ items | length }} thông báo",
        "{% for i in items %}• {{ i.subject_vi }}\n{{ i.body_vi }}\n\n{% endfor %}",
        "thidua digest of {{ date }}: {{ items | length }} messages",
        "{% for i in items %}• {{ i.subject_en }}\n{{ i.body_en }}\n\n{% endfor %}",
    ),
}

KINDS = tuple(BUILTIN)

_ENTRANT = "Thôn Đông Hưng"
_AWARD = {
    "award_form": "GIAY_KHEN_XA",
    "award_form_vi": "Giấy khen của Chủ tịch UBND xã",
    "award_form_en": "Commune chairman's certificate of merit",
}

# The facts each kind is rendered with; previews use them and every template is checked against them.
SAMPLES: dict[str, dict[str, Any]] = {
    "submission_submitted": {"entrant": _ENTRANT, "period": "2026", "version": 1},
    "submission_resubmitted": {"entrant": _ENTRANT, "period": "2026", "version": 2},
    "submission_returned": {
        "entrant": _ENTRANT,
        "period": "2026",
        "version": 1,
        "reasons": [{"code": "TC01", "reason": "Thiếu biên bản nghiệm thu"}, {"code": None, "reason": "Ký sai"}],
    },
    "submission_scored": {"entrant": _ENTRANT, "period": "2026", "total": 95.5, "max_total": 100, "grade": "Xuất sắc"},
    "award_candidate": {"entrant": _ENTRANT, "period": "2026", **_AWARD},
    "award_decided": {
        "entrants": [_ENTRANT, "Bà Nguyễn Thị Hường"],
        "period": "2026",
        "number": "15/QĐ-UBND",
        "issuer": "Chủ tịch UBND xã Liên Minh",
        **_AWARD,
    },
    "proposal_outcome": {"entrants": [_ENTRANT], "period": "2026", "outcome": "returned", "reason": "Thiếu"}
    | {"number": "", "issuer": "", **_AWARD},
    "proposal_received": {"entrants": [_ENTRANT], "period": "2026", "number": "07/TTr-UBND", **_AWARD},
    "session_convened": {"title": "Phiên xét khen thưởng năm 2026", "period": "2026", "held_at": "2026-12-10T08:00"}
    | {"candidates": 12},
    "decisions_waiting": {"period": "2026", "passed": 2, "entrants": [f"{_ENTRANT} (Giấy khen)", "Ông Trần Văn Đức"]},
    "review_assigned": {"period": "2026", "entrant": _ENTRANT, "criteria": ["TC05", "TC06"], "submission_id": "s-1"},
    "review_reminder": {
        "period": "2026",
        "entrant": "",
        "criteria": ["TC05"],
        "submission_id": "s-1",
        "closes_at": "2026-12-15T17:00:00+07:00",
    },
    "digest": {
        "date": "2026-12-01",
        "items": [{"subject_vi": "Đã nhận hồ sơ", "body_vi": "…", "subject_en": "Received", "body_en": "…"}],
    },
}
