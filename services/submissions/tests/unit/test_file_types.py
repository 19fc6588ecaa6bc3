import pathlib
import struct
import zipfile
import zlib

import pytest

from submissions.domain import file_types
from submissions.domain.file_types import FILE_TYPES, HEAD_BYTES, FileRefused, FileType, identify, sniff_head

# --- samples -------------------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))  # 1×1, 8-bit grey
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
PE = b"MZ\x90\x00" + bytes(60) + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF_MIMETYPE = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def write_zip(path: pathlib.Path, entries: dict[str, bytes | str]) -> pathlib.Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def ooxml(kind: str, **extra: bytes | str) -> dict[str, bytes | str]:
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": "<Relationships/>", OOXML_MAIN[kind]: "<x/>", **extra}


def write_odf(path: pathlib.Path, kind: str) -> pathlib.Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODF_MIMETYPE[kind], compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return path


def write(tmp_path: pathlib.Path, data: bytes) -> pathlib.Path:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return path


def sample(tmp_path: pathlib.Path, kind: str) -> pathlib.Path:
    raw = {"pdf": PDF, "png": PNG, "jpeg": JPEG, "gif": GIF, "webp": WEBP, "doc": OLE, "xls": OLE, "ppt": OLE}
    if kind in raw:
        return write(tmp_path, raw[kind])
    if kind in OOXML_MAIN:
        return write_zip(tmp_path / "upload.zip", ooxml(kind))
    return write_odf(tmp_path / "upload.zip", kind)


def refused(path: pathlib.Path, filename: str) -> str:
    """The refusal message, checked to be Vietnamese / English."""
    with pytest.raises(FileRefused) as caught:
        identify(path, filename)
    message = str(caught.value)
    vietnamese, separator, english = message.partition(" / ")
    assert separator, message
    assert vietnamese.strip(), message
    assert english.strip(), message
    return message


# --- the table -------------------------------------------------------------------------------------------------------


def test_the_allowed_types() -> None:
    assert set(FILE_TYPES) == {
        "pdf", "png", "jpeg", "webp", "gif", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp",
    }  # fmt: skip
    for kind, file_type in FILE_TYPES.items():
        assert file_type.kind == kind
        assert file_type.extensions
        assert all(ext == ext.lower() and "." not in ext for ext in file_type.extensions)
    assert FILE_TYPES["jpeg"] == FileType("jpeg", "image/jpeg", ("jpg", "jpeg"))
    assert FILE_TYPES["docx"].media_type == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert FILE_TYPES["ods"].media_type == "application/vnd.oasis.opendocument.spreadsheet"
    with pytest.raises(TypeError):
        FILE_TYPES["exe"] = FileType("exe", "application/x-msdownload", ("exe",))  # type: ignore[index]


# --- sniffing --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "pdf"),
        (b"%PDF-", "pdf"),
        (b"\xef\xbb\xbf" + PDF, None),  # the header comes first: nothing before it, not even a byte-order mark
        (b" " * 10 + PDF, None),
        (b"alert(1)//" + PDF, None),  # a script that is also a PDF to a lenient reader
        (b"<html><script>alert(1)</script>" + PDF, None),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (GIF, "gif"),
        (b"GIF87a\x01\x00", "gif"),
        (WEBP, "webp"),
        (b"RIFF\x1a\x00\x00\x00WAVEfmt ", None),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"PK\x05\x06" + bytes(18), "zip"),
        (OLE, "ole"),
        (ELF, None),
        (PE, None),
        (HTML, None),
        (b"", None),
        (b"\x89PNG", None),
    ],
)
def test_sniff_head(head: bytes, expected: str | None) -> None:
    assert sniff_head(head[:HEAD_BYTES]) == expected


# --- accepted --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "filename"),
    [
        ("pdf", "bao-cao.pdf"),
        ("pdf", "Báo cáo quý 1. Xã Đông.PDF"),
        ("png", "ảnh chụp.png"),
        ("jpeg", "anh.jpg"),
        ("jpeg", "anh.JPEG"),
        ("webp", "anh.webp"),
        ("gif", "anh.gif"),
        ("docx", "bien-ban.docx"),
        ("xlsx", "so-lieu.xlsx"),
        ("pptx", "trinh-chieu.PPTX"),
        ("doc", "cu.doc"),
        ("xls", "cu.xls"),
        ("ppt", "cu.ppt"),
        ("odt", "van-ban.odt"),
        ("ods", "bang-tinh.ods"),
        ("odp", "trinh-chieu.odp"),
    ],
)
def test_each_allowed_kind_is_accepted(tmp_path: pathlib.Path, kind: str, filename: str) -> None:
    assert identify(sample(tmp_path, kind), filename) == FILE_TYPES[kind]


def test_only_the_head_decides_a_large_pdf(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as file:
        file.write(PDF)
        file.truncate(64 * 1024 * 1024)  # sparse: nothing much on disk
    assert identify(path, "big.pdf").kind == "pdf"


def test_a_document_with_a_zip_comment_is_accepted(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "comment.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in ooxml("docx").items():
            archive.writestr(name, data)
        archive.comment = "Xuất từ phần mềm văn phòng".encode() * 100
    assert identify(path, "comment.docx").kind == "docx"


def test_a_zip_whose_end_record_is_impossible_is_broken(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "fake-end.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in ooxml("docx").items():
            archive.writestr(name, data)
        archive.comment = b"PK\x05\x06 looks like an end record" + b"x" * 1000
    assert "broken" in refused(path, "fake-end.docx")


def test_a_zip64_document_under_the_limits_is_accepted(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # zipfile then writes the ZIP64 end records
        path = write_zip(tmp_path / "zip64.xlsx", ooxml("xlsx"))
    assert b"PK\x06\x06" in path.read_bytes()
    assert identify(path, "zip64.xlsx").kind == "xlsx"


# --- refused: content ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [ELF, PE, HTML, b"just some text\n"], ids=["elf", "pe", "html", "text"])
def test_content_that_is_no_allowed_kind_is_refused(tmp_path: pathlib.Path, content: bytes) -> None:
    message = refused(write(tmp_path, content), "evidence.pdf")
    assert "không thuộc loại được phép" in message
    assert "not an allowed type" in message


def test_an_empty_file_is_refused(tmp_path: pathlib.Path) -> None:
    assert "empty" in refused(write(tmp_path, b""), "x.pdf")


@pytest.mark.parametrize(
    ("kind", "filename", "really"),
    [
        ("pdf", "report.docx", "a PDF document"),
        ("png", "x.pdf", "a PNG image"),
        ("jpeg", "x.png", "a JPEG image"),
        ("gif", "x.webp", "a GIF image"),
        ("docx", "x.xlsx", "a Word document (DOCX)"),
        ("xlsx", "x.docx", "an Excel workbook (XLSX)"),
        ("odt", "x.docx", "an OpenDocument text (ODT)"),
        ("pptx", "x.exe", "a PowerPoint presentation (PPTX)"),
        ("pdf", "x.pdf.exe", "a PDF document"),
    ],
)
def test_an_extension_that_does_not_match_the_content_is_refused(
    tmp_path: pathlib.Path, kind: str, filename: str, really: str
) -> None:
    message = refused(sample(tmp_path, kind), filename)
    assert really in message
    assert any(f".{ext}" in message for ext in FILE_TYPES[kind].extensions)  # tells the right extension


def test_an_ole_file_must_be_named_doc_xls_or_ppt(tmp_path: pathlib.Path) -> None:
    message = refused(write(tmp_path, OLE), "x.docx")
    assert "legacy Office document" in message
    assert "password-protected" in message


# --- refused: zip-based ----------------------------------------------------------------------------------------------


def test_a_plain_zip_named_docx_is_refused(tmp_path: pathlib.Path) -> None:
    path = write_zip(tmp_path / "plain.zip", {"readme.txt": "hello", "photo.jpg": JPEG})
    assert "not an allowed document" in refused(path, "x.docx")


def test_an_empty_zip_is_refused(tmp_path: pathlib.Path) -> None:
    path = write_zip(tmp_path / "empty.zip", {})
    assert "not an allowed document" in refused(path, "x.docx")


def test_ooxml_needs_content_types_and_a_main_part(tmp_path: pathlib.Path) -> None:
    no_types = write_zip(tmp_path / "a.zip", {"word/document.xml": "<x/>"})
    refused(no_types, "x.docx")
    no_main = write_zip(tmp_path / "b.zip", {"[Content_Types].xml": CONTENT_TYPES, "word/styles.xml": "<x/>"})
    refused(no_main, "x.docx")
    both = write_zip(tmp_path / "c.zip", ooxml("docx", **{"xl/workbook.xml": "<x/>"}))
    refused(both, "x.docx")


def test_odf_needs_its_mimetype_as_the_first_entry(tmp_path: pathlib.Path) -> None:
    path = write_zip(tmp_path / "late.zip", {"content.xml": "<x/>", "mimetype": ODF_MIMETYPE["odt"]})
    refused(path, "x.odt")
    template = write_zip(tmp_path / "ott.zip", {"mimetype": ODF_MIMETYPE["odt"] + "-template", "content.xml": "<x/>"})
    refused(template, "x.odt")


@pytest.mark.parametrize("macro", ["word/vbaProject.bin", "xl/VBAPROJECT.BIN"])
def test_a_document_with_macros_is_refused(tmp_path: pathlib.Path, macro: str) -> None:
    path = write_zip(tmp_path / "macro.zip", ooxml("docx", **{macro: b"\x00" * 16}))
    message = refused(path, "x.docx")
    assert "macro" in message
    assert "VBA" in message


@pytest.mark.parametrize(
    "name", ["../evil.sh", "word/../../evil.sh", "..\\evil.bat", "/etc/cron.d/evil", "\\evil.bat", "C:/evil.bat"]
)
def test_a_zip_with_an_unsafe_entry_name_is_refused(tmp_path: pathlib.Path, name: str) -> None:
    path = write_zip(tmp_path / "slip.zip", ooxml("docx", **{name: "x"}))
    assert "unsafe path" in refused(path, "x.docx")


def test_dots_inside_a_name_are_fine(tmp_path: pathlib.Path) -> None:
    path = write_zip(tmp_path / "dots.zip", ooxml("docx", **{"word/media/image..1.png": PNG}))
    assert identify(path, "x.docx").kind == "docx"


def test_a_zip_bomb_is_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(201):
                entry.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    assert "200 MB" in refused(path, "bomb.docx")


def test_the_uncompressed_limit_counts_all_entries(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_types, "ZIP_MAX_UNCOMPRESSED", 4 * 1024 * 1024)
    small = {f"word/media/{index}.bin": bytes(1024 * 1024) for index in range(3)}
    assert identify(write_zip(tmp_path / "ok.zip", ooxml("docx", **small)), "x.docx").kind == "docx"
    many = {f"word/media/{index}.bin": bytes(1024 * 1024) for index in range(5)}
    assert "4 MB" in refused(write_zip(tmp_path / "bomb.zip", ooxml("docx", **many)), "x.docx")


def test_too_many_entries_are_refused_before_zipfile_reads_them(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_types, "ZIP_MAX_ENTRIES", 10)
    path = write_zip(tmp_path / "many.zip", ooxml("xlsx", **{f"xl/media/{index}.png": PNG for index in range(10)}))
    monkeypatch.setattr(zipfile, "ZipFile", None)  # the end record alone decides
    assert "more than 10 entries" in refused(path, "x.xlsx")


def test_too_many_entries_in_zip64_records_are_refused(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_types, "ZIP_MAX_ENTRIES", 10)
    entries = ooxml("xlsx", **{f"xl/media/{index}.png": PNG for index in range(10)})
    with monkeypatch.context() as patch:
        patch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)
        path = write_zip(tmp_path / "many64.zip", entries)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 0xFFFF, 0xFFFF)  # the classic record defers to ZIP64
    path.write_bytes(bytes(data))
    monkeypatch.setattr(zipfile, "ZipFile", None)
    assert "more than 10 entries" in refused(path, "x.xlsx")


def test_too_many_entries_are_refused_even_when_the_end_record_lies(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_types, "ZIP_MAX_ENTRIES", 10)
    path = write_zip(tmp_path / "liar.zip", ooxml("xlsx", **{f"xl/media/{index}.png": PNG for index in range(10)}))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 3, 3)
    path.write_bytes(bytes(data))
    assert "more than 10 entries" in refused(path, "x.xlsx")


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_truncated_zip_is_refused_as_broken(tmp_path: pathlib.Path, keep: float) -> None:
    whole = write_zip(tmp_path / "whole.zip", ooxml("docx", **{"word/media/a.png": PNG})).read_bytes()
    path = write(tmp_path, whole[: int(len(whole) * keep)])
    assert "broken" in refused(path, "x.docx")


def test_an_encrypted_odf_is_refused(tmp_path: pathlib.Path) -> None:
    path = write_odf(tmp_path / "secret.zip", "odt")
    data = bytearray(path.read_bytes())
    data[6] |= 0x01  # local header of "mimetype": encrypted
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01  # and its central directory entry
    path.write_bytes(bytes(data))
    assert "password-protected" in refused(path, "x.odt")


# --- refused: file name ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "why"),
    [
        ("", "missing"),
        ("report", "extension"),
        ("report.", "extension"),
        (".pdf", "extension"),
        ("..", "extension"),
        ("a/b.pdf", "must not contain"),
        ("..\\b.pdf", "must not contain"),
        ("a\x00.pdf", "control"),
        ("a\n.pdf", "control"),
        ("a\x7f.pdf", "control"),
        ("bao-cao\u202efdp.pdf", "invisible"),
        ("a" * 197 + ".pdf", "longer than 200"),
    ],
)
def test_bad_file_names_are_refused(tmp_path: pathlib.Path, filename: str, why: str) -> None:
    assert why in refused(write(tmp_path, PDF), filename)


def test_a_name_of_200_characters_is_fine(tmp_path: pathlib.Path) -> None:
    assert identify(write(tmp_path, PDF), "a" * 196 + ".pdf").kind == "pdf"


def test_the_name_is_checked_before_the_file_is_read(tmp_path: pathlib.Path) -> None:
    refused(tmp_path / "does-not-exist", "a/b.pdf")
