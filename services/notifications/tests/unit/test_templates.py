"""Templates: every built-in renders its sample; Vietnamese text stays NFC; errors name the part and line; the
sandbox keeps a commune's template away from Python internals."""

import unicodedata

import pytest

from notifications.domain.templates import BUILTIN, KINDS, SAMPLES, InvalidTemplate, Template, render


@pytest.mark.parametrize("kind", KINDS)
def test_every_built_in_template_renders_its_sample(kind: str) -> None:
    rendered = render(BUILTIN[kind], SAMPLES[kind])
    assert all([rendered.subject_vi, rendered.body_vi, rendered.subject_en, rendered.body_en])
    assert "\n" not in rendered.subject_vi
    assert "{{" not in rendered.body_vi


def test_diacritics_come_out_composed_whatever_the_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Thôn Đông Hưng")
    rendered = render(BUILTIN["submission_scored"], {**SAMPLES["submission_scored"], "entrant": decomposed})
    assert rendered.body_vi == "Thôn Đông Hưng: 95.5/100 điểm, xếp loại Xuất sắc (kỳ 2026)."
    assert unicodedata.is_normalized("NFC", rendered.body_vi)


def test_a_return_lists_each_reason() -> None:
    rendered = render(BUILTIN["submission_returned"], SAMPLES["submission_returned"])
    assert rendered.body_vi.splitlines()[1:] == ["- TC01: Thiếu biên bản nghiệm thu", "- Ký sai"]


def test_the_html_alternative_escapes_values() -> None:
    rendered = render(BUILTIN["submission_submitted"], {**SAMPLES["submission_submitted"], "entrant": "<b>A & B</b>"})
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in rendered.html()
    assert "<b>A" not in rendered.html()
    assert rendered.html().index('lang="vi"') < rendered.html().index('lang="en"')


def vietnamese_first(message: str) -> bool:
    """What officers read: Vietnamese, then " / ", then English."""
    vietnamese, _, english = message.partition(" / ")
    return bool(english) and any(ord(c) > 127 for c in vietnamese)


def _with_body(body: str) -> Template:
    return Template("Chủ đề", body, "Subject", "Body")


def test_an_unknown_variable_names_the_part() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        render(_with_body("Xin chào {{ ten_khong_co }}"), SAMPLES["submission_submitted"])
    assert caught.value.part == "body_vi"


def test_a_syntax_error_names_the_part_and_line() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        render(_with_body("dòng một\n{% if %}"), {})
    assert (caught.value.part, caught.value.line) == ("body_vi", 2)
    assert vietnamese_first(str(caught.value))


def test_the_sandbox_refuses_python_internals() -> None:
    with pytest.raises(InvalidTemplate):
        render(_with_body("{{ entrant.__class__.__mro__[1].__subclasses__() }}"), {"entrant": "x"})


@pytest.mark.parametrize(
    "body",
    [
        "{{ 1 / 0 }}",
        "{{ '%s%s' % entrant }}",
        "{{ '{}{}'.format(1) }}",
        "{% for i in range(1000000) %}x{% endfor %}",
        "{{ 'x' * 50000000 }}",
        "{{ 10 ** 100000 }}",
        "{% for a in range(2) %}{% for b in range(2) %}{% for c in range(2) %}{% endfor %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "{% for a in range(200) %}{% for b in range(200) %}xxxxxxxxxx{% endfor %}{% endfor %}",
        "{% include 'x' %}",
    ],
)
def test_a_costly_or_failing_template_is_refused_naming_the_part(body: str) -> None:
    with pytest.raises(InvalidTemplate) as caught:
        render(_with_body(body), {"entrant": "x"})
    assert caught.value.part == "body_vi"
    assert vietnamese_first(str(caught.value))
