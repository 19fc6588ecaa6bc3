"""`thidua-ops stored-text` (issue #20): where the databases keep text today's rule would refuse or change."""

from __future__ import annotations

import unicodedata

from thidua_ops.stored_text import CONTROL, DECOMPOSED, Finding, flaws, scan_collection


def test_control_characters_and_decomposed_text_are_found_by_field() -> None:
    document = {
        "_id": "s-1",
        "entrant": {"name": "Thôn\x00 Đông", "kind": "collective"},
        "evidence": {"a3": {"narrative": "dòng một\r\n\tdòng hai", "attachments": [{"filename": "a\x1b.pdf"}]}},
        "reasons": [unicodedata.normalize("NFD", "Bổ sung")],
        "revision": 3,
    }
    assert sorted(flaws(document)) == [
        ("entrant.name", CONTROL),
        ("evidence.a3.attachments[].filename", CONTROL),
        ("reasons[]", DECOMPOSED),
    ]


def test_findings_count_documents_once_and_name_the_first() -> None:
    documents: list[dict[str, object]] = [
        {"_id": "e-1", "name": "Thôn\x00", "aliases": ["a\x07", "b\x07"]},
        {"_id": "e-2", "name": "Thôn Tây"},
        {"_id": "e-3", "name": "\x85Thôn"},
    ]
    assert scan_collection("thidua_submissions", "entrants", documents) == [
        Finding("thidua_submissions", "entrants", "aliases[]", CONTROL, 1, "e-1"),
        Finding("thidua_submissions", "entrants", "name", CONTROL, 2, "e-1"),
    ]
    assert scan_collection("thidua_submissions", "entrants", [{"_id": "e-2", "name": "Thôn Tây"}]) == []
