import datetime as dt
import unicodedata
import zipfile
from collections.abc import Sequence
from io import BytesIO

import pytest
from openpyxl import Workbook

from submissions.domain.workbook.model import EntrantRow, RowError, WorkbookResult, WorkbookUnreadable
from submissions.domain.workbook.reading import MAX_BYTES, MAX_ROWS, parse_entrants_workbook
from submissions.domain.workbook.template import template_workbook

Cell = str | int | float | dt.date | None

HEADERS = [
    "Tên đơn vị/cá nhân",
    "Tập thể/Cá nhân",
    "Nhóm đối tượng",
    "Loại hình",
    "Thuộc đơn vị",
    "Chức vụ",
]


def xlsx(rows: Sequence[Sequence[Cell]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_at(result: WorkbookResult, row: int) -> list[RowError]:
    return [error for error in result.errors if error.row == row]


def test_a_valid_mixed_workbook() -> None:
    data = xlsx(
        [
            [*HEADERS, "Cán bộ đầu mối"],
            ["Thôn Đông", "Tập thể", "a", "thôn", None, None, "nv.an; tt.binh, nv.an"],
            ["  Hội Phụ nữ xã  ", "tập thể", "B", None, None, None, None],
            ["Trường THCS Kim Đồng", "Tap the", "c", "trường học", None, None, None],
            ["Nguyễn Văn An", "Cá nhân", "D1", None, "Thôn Đông", "Trưởng thôn", None],
            ["Trần Thị Bình", "ca nhan", "d.2", None, "Thôn Tây", None, None],
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert result.ignored_columns == ()
    assert result.rows == (
        EntrantRow(2, "Thôn Đông", "collective", "a", "thôn", None, None, ("nv.an", "tt.binh")),
        EntrantRow(3, "Hội Phụ nữ xã", "collective", "b", None, None, None, ()),
        EntrantRow(4, "Trường THCS Kim Đồng", "collective", "c", "trường học", None, None, ()),
        EntrantRow(5, "Nguyễn Văn An", "individual", "d1", None, "Thôn Đông", "Trưởng thôn", ()),
        EntrantRow(6, "Trần Thị Bình", "individual", "d2", None, "Thôn Tây", None, ()),
    )


def test_english_headers_and_values() -> None:
    data = xlsx(
        [
            ["NAME", "kind", "Group", "Unit type", "Unit", "Position", "Focal users"],
            ["Dong hamlet", "Collective", "a", "hamlet", None, None, "officer.1"],
            ["An Nguyen", "INDIVIDUAL", "d2", None, "Dong hamlet", "farmer", None],
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert [(r.name, r.kind, r.target_group) for r in result.rows] == [
        ("Dong hamlet", "collective", "a"),
        ("An Nguyen", "individual", "d2"),
    ]
    assert result.rows[0].focal_users == ("officer.1",)
    assert result.rows[1].position == "farmer"


def test_headers_without_diacritics_and_with_odd_spacing() -> None:
    data = xlsx(
        [
            [None, None, None],
            ["  ho va ten ", "TAP THE / CA NHAN", "nhom doi tuong", "thuoc don vi", "chuc vu", "can bo dau moi"],
            ["Lê Văn Cường", "Cá nhân", "d1", "Phòng Văn hóa", None, None],
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert result.rows == (EntrantRow(3, "Lê Văn Cường", "individual", "d1", None, "Phòng Văn hóa", None, ()),)


def test_short_vietnamese_headers() -> None:
    data = xlsx([["Tên", "Loại", "Nhóm", "Đơn vị"], ["Thôn Bắc", "Tập thể", "a", None]])
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert result.rows[0].name == "Thôn Bắc"


def test_missing_required_columns_are_reported_on_the_header_row() -> None:
    data = xlsx([[None], ["Tên", "Ghi chú"], ["Thôn Đông", "x"]])
    result = parse_entrants_workbook(data)
    assert result.rows == ()
    assert len(result.errors) == 2
    assert all(error.row == 2 and error.column is None for error in result.errors)
    messages = " ".join(error.message for error in result.errors)
    assert "Tập thể/Cá nhân" in messages
    assert "Nhóm đối tượng" in messages
    assert "Tên đơn vị" not in messages
    assert result.ignored_columns == ("Ghi chú",)


@pytest.mark.parametrize(
    ("kind", "group", "message"),
    [
        ("Cá nhân", "a", "d1 hoặc d2"),
        ("Cá nhân", "c", "d1 hoặc d2"),
        ("Tập thể", "d1", "a, b hoặc c"),
        ("Tập thể", "D2", "a, b hoặc c"),
        ("Tập thể", "e", "không hợp lệ"),
        ("Hộ gia đình", "a", "không hợp lệ"),
        ("Tập thể", None, "Chưa chọn nhóm"),
        (None, "a", "Chưa chọn tập thể"),
    ],
)
def test_wrong_kind_and_group_combinations(kind: str | None, group: str | None, message: str) -> None:
    data = xlsx([HEADERS, ["Đơn vị X", kind, group, None, "Thôn Đông" if kind == "Cá nhân" else None, None]])
    result = parse_entrants_workbook(data)
    assert result.rows == ()
    assert len(result.errors) == 1
    assert message in result.errors[0].message
    assert result.errors[0].row == 2
    assert result.errors[0].column in {"Tập thể/Cá nhân", "Nhóm đối tượng"}


def test_an_individual_needs_a_unit() -> None:
    data = xlsx([HEADERS, ["Nguyễn Văn An", "Cá nhân", "d1", None, "   ", None]])
    result = parse_entrants_workbook(data)
    assert result.rows == ()
    assert [(e.row, e.column) for e in result.errors] == [(2, "Thuộc đơn vị")]
    assert "đơn vị" in result.errors[0].message


def test_an_individual_needs_a_unit_even_without_the_column() -> None:
    data = xlsx([["Tên", "Loại", "Nhóm"], ["Nguyễn Văn An", "Cá nhân", "d1"], ["Thôn Đông", "Tập thể", "a"]])
    result = parse_entrants_workbook(data)
    assert [r.name for r in result.rows] == ["Thôn Đông"]
    assert [(e.row, e.column) for e in result.errors] == [(2, None)]


def test_a_row_can_have_several_errors_naming_the_workbook_headers() -> None:
    data = xlsx(
        [
            ["HỌ VÀ TÊN", "Loại", "Nhóm", "Loại hình", "Đơn vị", "Chức vụ", "Cán bộ đầu mối"],
            [None, "Cá nhân", "b", "thôn", None, None, "Nguyễn Văn An"],
            ["x" * 301, "Tập thể", "a", None, "Thôn Đông", "Trưởng thôn", None],
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.rows == ()
    assert sorted(e.column or "" for e in errors_at(result, 2)) == sorted(
        ["HỌ VÀ TÊN", "Nhóm", "Đơn vị", "Loại hình", "Cán bộ đầu mối"]
    )
    assert sorted(e.column or "" for e in errors_at(result, 3)) == sorted(["HỌ VÀ TÊN", "Đơn vị", "Chức vụ"])


def test_names_of_300_characters_are_accepted() -> None:
    result = parse_entrants_workbook(xlsx([HEADERS, ["x" * 300, "Tập thể", "a"]]))
    assert result.errors == ()
    assert len(result.rows[0].name) == 300


def test_duplicate_rows_are_reported_on_the_later_row() -> None:
    data = xlsx(
        [
            HEADERS,
            ["Thôn Đông", "Tập thể", "a"],
            ["Nguyễn Văn An", "Cá nhân", "d1", None, "Thôn Đông"],
            ["THÔN ĐÔNG", "Tập thể", "b"],
            ["nguyễn văn an", "Cá nhân", "d2", None, "thôn đông"],
            ["Nguyễn Văn An", "Cá nhân", "d1", None, "Thôn Tây"],  # same name, other unit: a different person
            ["Thôn Đông", "Cá nhân", "d1", None, "Thôn Đông"],  # same name, other kind
        ]
    )
    result = parse_entrants_workbook(data)
    assert [r.row for r in result.rows] == [2, 3, 6, 7]
    assert [(e.row, e.column) for e in result.errors] == [(4, "Tên đơn vị/cá nhân"), (5, "Tên đơn vị/cá nhân")]
    assert "dòng 2" in result.errors[0].message
    assert "dòng 3" in result.errors[1].message


def test_nfd_text_becomes_nfc() -> None:
    name = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
    unit = unicodedata.normalize("NFD", "Thôn Đông")
    header = [unicodedata.normalize("NFD", h) for h in HEADERS]
    assert name != "Nguyễn Thị Hồng"
    data = xlsx([header, [name, unicodedata.normalize("NFD", "Cá nhân"), "d2", None, unit, None]])
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    row = result.rows[0]
    assert row.name == "Nguyễn Thị Hồng"
    assert unicodedata.is_normalized("NFC", row.name)
    assert row.unit_name == "Thôn Đông"
    assert unicodedata.is_normalized("NFC", row.unit_name)


def test_nfd_and_nfc_duplicates_are_detected() -> None:
    nfd = unicodedata.normalize("NFD", "Thôn Đông")
    result = parse_entrants_workbook(xlsx([HEADERS, ["Thôn Đông", "Tập thể", "a"], [nfd, "Tập thể", "a"]]))
    assert [r.row for r in result.rows] == [2]
    assert [e.row for e in result.errors] == [3]


@pytest.mark.parametrize(
    "id_header",
    [
        "Số CCCD",
        "CMND",
        "Căn cước công dân",
        "So dinh danh ca nhan",
        "National ID",
        "Citizen ID",
        "Hộ chiếu",
        "Passport",
    ],
)
def test_national_id_columns_are_never_read(id_header: str) -> None:
    national_id = "001203045678"
    data = xlsx(
        [
            [HEADERS[0], id_header, *HEADERS[1:]],
            ["Nguyễn Văn An", national_id, "Cá nhân", "d1", None, "Thôn Đông", None],
            ["Thôn Đông", "079" + national_id[3:], "Tập thể", "zz"],  # an error row must not echo the ID either
            [None, national_id],  # only the ID column filled: nothing to read
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.ignored_columns == (id_header,)
    assert [r.name for r in result.rows] == ["Nguyễn Văn An"]
    assert [e.row for e in result.errors] == [3]
    assert national_id[3:] not in repr(result)


def test_unknown_columns_are_ignored() -> None:
    data = xlsx([["STT", *HEADERS, "Ghi chú"], [1, "Thôn Đông", "Tập thể", "a", None, None, None, "mới"], [2]])
    result = parse_entrants_workbook(data)
    assert result.ignored_columns == ("STT", "Ghi chú")
    assert result.errors == ()
    assert [r.name for r in result.rows] == ["Thôn Đông"]


def test_duplicate_header_columns_are_reported_and_the_first_one_wins() -> None:
    data = xlsx([[*HEADERS, "Name"], ["Thôn Đông", "Tập thể", "a", None, None, None, "Other"]])
    result = parse_entrants_workbook(data)
    assert [(e.row, e.column) for e in result.errors] == [(1, "Name")]
    assert result.ignored_columns == ("Name",)
    assert result.rows[0].name == "Thôn Đông"


def test_empty_rows_are_skipped() -> None:
    data = xlsx(
        [
            [],
            [None, None],
            HEADERS,
            [],
            ["Thôn Đông", "Tập thể", "a"],
            [None, "  ", None],
            [],
            ["Nguyễn Văn An", "Cá nhân", "d1", None, "Thôn Đông"],
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert [r.row for r in result.rows] == [5, 8]


def test_numbers_and_dates_are_coerced_to_text() -> None:
    data = xlsx(
        [
            HEADERS,
            [2025.0, "Tập thể", "a", 1.5, None, None],
            ["Tổ 7", "Tập thể", "a", 7, None, None],
            # a spreadsheet's date cell is naive (openpyxl refuses an aware datetime)
            ["Nguyễn Văn An", "Cá nhân", "d1", None, 12, dt.datetime(2025, 3, 1)],  # noqa: DTZ001
        ]
    )
    result = parse_entrants_workbook(data)
    assert result.errors == ()
    assert [(r.name, r.unit_type, r.unit_name, r.position) for r in result.rows] == [
        ("2025", "1.5", None, None),
        ("Tổ 7", "7", None, None),
        ("Nguyễn Văn An", None, "12", "2025-03-01"),
    ]


def test_focal_users_must_look_like_usernames() -> None:
    data = xlsx([[*HEADERS, "Cán bộ đầu mối"], ["Thôn Đông", "Tập thể", "a", None, None, None, "nv.an, Trần Bình"]])
    result = parse_entrants_workbook(data)
    assert result.rows == ()
    assert [(e.row, e.column) for e in result.errors] == [(2, "Cán bộ đầu mối")]
    assert "Trần Bình" in result.errors[0].message


def test_a_header_only_workbook_has_no_rows_and_no_errors() -> None:
    assert parse_entrants_workbook(xlsx([HEADERS])) == WorkbookResult(rows=(), errors=(), ignored_columns=())


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty bytes"),
        pytest.param(b"Ten,Loai,Nhom\nThon Dong,Tap the,a\n", id="csv"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 4, id="pdf-ish"),
        pytest.param(zipped({"hello.txt": b"hello"}), id="zip without workbook"),
        pytest.param(zipped({"[Content_Types].xml": b"<not xml"}), id="zip with broken content types"),
        pytest.param(xlsx([HEADERS, ["Thôn Đông", "Tập thể", "a"]])[:-200], id="truncated xlsx"),
        pytest.param(xlsx([HEADERS, ["Thôn Đông", "Tập thể", "a"]])[:1000], id="xlsx head only"),
        pytest.param(xlsx([]), id="empty worksheet"),
        pytest.param(b"x" * (MAX_BYTES + 1), id="too large"),
    ],
)
def test_unreadable_input(data: bytes) -> None:
    with pytest.raises(WorkbookUnreadable):
        parse_entrants_workbook(data)


def test_corrupt_sheet_xml_is_unreadable() -> None:
    good = xlsx([HEADERS, ["Thôn Đông", "Tập thể", "a"]])
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    with pytest.raises(WorkbookUnreadable):
        parse_entrants_workbook(buffer.getvalue())


def test_a_decompression_bomb_is_refused_before_parsing() -> None:
    bomb = zipped({"[Content_Types].xml": b"", "xl/worksheets/sheet1.xml": b" " * (51 * 1024 * 1024)})
    assert len(bomb) < MAX_BYTES
    with pytest.raises(WorkbookUnreadable, match="uncompressed"):
        parse_entrants_workbook(bomb)


def test_too_many_rows_are_unreadable() -> None:
    rows: list[list[Cell]] = [[*HEADERS]]
    rows += [[f"Thôn {i}", "Tập thể", "a"] for i in range(MAX_ROWS + 1)]
    with pytest.raises(WorkbookUnreadable, match=str(MAX_ROWS)):
        parse_entrants_workbook(xlsx(rows))


def test_exactly_max_rows_are_read() -> None:
    rows: list[list[Cell]] = [[*HEADERS]]
    rows += [[f"Thôn {i}", "Tập thể", "a"] for i in range(MAX_ROWS)]
    result = parse_entrants_workbook(xlsx(rows))
    assert len(result.rows) == MAX_ROWS
    assert result.errors == ()


def test_only_the_first_worksheet_is_read() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(HEADERS)
    first.append(["Thôn Đông", "Tập thể", "a"])
    second = workbook.create_sheet("Khác")
    second.append(HEADERS)
    second.append(["Thôn Tây", "Tập thể", "a"])
    buffer = BytesIO()
    workbook.save(buffer)
    assert [r.name for r in parse_entrants_workbook(buffer.getvalue()).rows] == ["Thôn Đông"]


def test_the_template_parses_back_to_its_examples() -> None:
    result = parse_entrants_workbook(template_workbook())
    assert result.errors == ()
    assert result.ignored_columns == ()
    assert result.rows == (
        EntrantRow(2, "Thôn Đông", "collective", "a", "thôn", None, None, ("nv.an", "tt.binh")),
        EntrantRow(3, "Nguyễn Văn An", "individual", "d1", None, "Thôn Đông", "Trưởng thôn", ()),
    )
