"""Evidence file types (loại tệp minh chứng): which uploads are accepted, decided on CONTENT, not only the name.

Allowed: PDF, images (PNG, JPEG, WEBP, GIF) and office documents (DOCX, XLSX, PPTX, legacy DOC/XLS/PPT,
ODT/ODS/ODP). `identify` sniffs the first bytes of a complete upload on disk, looks inside zip-based documents
(entries only, through `zipfile` on the path, never reading the file whole) and checks that the name's extension
matches what the content really is. Anything else raises `FileRefused` with a Vietnamese / English message.
Pure: the standard library only, no I/O besides reading the given file.
"""

from __future__ import annotations

import pathlib
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

HEAD_BYTES: Final = 8192
MAX_FILENAME_LENGTH: Final = 200
# Zip limits, read at call time (tests monkeypatch them).
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # 200 MB declared uncompressed in total: beyond that, a zip bomb


@dataclass(frozen=True)
class FileType:
    kind: str  # "pdf", "png", "jpeg", "webp", "gif", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"
    media_type: str
    extensions: tuple[str, ...]  # accepted name extensions, lower-case without dot


class FileRefused(ValueError):
    """Message is user-facing, Vietnamese / English."""


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

FILE_TYPES: Final = MappingProxyType(
    {
        file_type.kind: file_type
        for file_type in (
            FileType("pdf", "application/pdf", ("pdf",)),
            FileType("png", "image/png", ("png",)),
            FileType("jpeg", "image/jpeg", ("jpg", "jpeg")),
            FileType("webp", "image/webp", ("webp",)),
            FileType("gif", "image/gif", ("gif",)),
            FileType("docx", f"{_OOXML}.wordprocessingml.document", ("docx",)),
            FileType("xlsx", f"{_OOXML}.spreadsheetml.sheet", ("xlsx",)),
            FileType("pptx", f"{_OOXML}.presentationml.presentation", ("pptx",)),
            FileType("doc", "application/msword", ("doc",)),
            FileType("xls", "application/vnd.ms-excel", ("xls",)),
            FileType("ppt", "application/vnd.ms-powerpoint", ("ppt",)),
            FileType("odt", f"{_ODF}.text", ("odt",)),
            FileType("ods", f"{_ODF}.spreadsheet", ("ods",)),
            FileType("odp", f"{_ODF}.presentation", ("odp",)),
        )
    }
)

# What the content is, for messages: (Vietnamese, English).
_LABELS: Final[dict[str, tuple[str, str]]] = {
    "pdf": ("tài liệu PDF", "a PDF document"),
    "png": ("ảnh PNG", "a PNG image"),
    "jpeg": ("ảnh JPEG", "a JPEG image"),
    "webp": ("ảnh WEBP", "a WEBP image"),
    "gif": ("ảnh GIF", "a GIF image"),
    "docx": ("văn bản Word (DOCX)", "a Word document (DOCX)"),
    "xlsx": ("bảng tính Excel (XLSX)", "an Excel workbook (XLSX)"),
    "pptx": ("bản trình chiếu PowerPoint (PPTX)", "a PowerPoint presentation (PPTX)"),
    "odt": ("văn bản OpenDocument (ODT)", "an OpenDocument text (ODT)"),
    "ods": ("bảng tính OpenDocument (ODS)", "an OpenDocument spreadsheet (ODS)"),
    "odp": ("bản trình chiếu OpenDocument (ODP)", "an OpenDocument presentation (ODP)"),
    "ole": (
        "tài liệu Office định dạng cũ (DOC/XLS/PPT) hoặc tài liệu có đặt mật khẩu",
        "a legacy Office document (DOC/XLS/PPT) or a password-protected document",
    ),
}

_ALLOWED_VI = "PDF, ảnh PNG/JPEG/WEBP/GIF, tài liệu Word/Excel/PowerPoint/OpenDocument"
_ALLOWED_EN = "PDF, PNG/JPEG/WEBP/GIF images, Word/Excel/PowerPoint/OpenDocument documents"

_SIGNATURES: Final = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive: refused later as a plain zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    # Readers tolerate a PDF header anywhere in the first 1024 bytes, but what comes before it would make the file
    # something else too (a script, a page: `alert(1)//%PDF-1.4`): a PDF is only taken when it starts with it.
    (b"%PDF-", "pdf"),
)

# OOXML: the main part that tells the kind, next to [Content_Types].xml (names compared case-insensitively).
_OOXML_MAIN_PARTS: Final = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
# ODF: the content of the first entry, "mimetype".
_ODF_MIMETYPES: Final = {f"{_ODF}.text": "odt", f"{_ODF}.spreadsheet": "ods", f"{_ODF}.presentation": "odp"}
_OLE_KINDS: Final = ("doc", "xls", "ppt")
# Generous bound on the central directory read into memory by zipfile (~1 KiB per allowed entry).
_ZIP_MAX_DIRECTORY_BYTES_PER_ENTRY = 1024


def _refused(vietnamese: str, english: str) -> FileRefused:
    return FileRefused(f"{vietnamese} / {english}")


def sniff_head(head: bytes) -> str | None:
    """The container the first bytes announce: "pdf" | "png" | "jpeg" | "webp" | "gif" | "zip" | "ole" | None."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _extension(filename: str) -> str:
    """The lower-case extension of a safe file name, or FileRefused."""
    if not filename:
        raise _refused("Thiếu tên tệp", "The file name is missing")
    if len(filename) > MAX_FILENAME_LENGTH:
        raise _refused(
            f"Tên tệp dài quá {MAX_FILENAME_LENGTH} ký tự",
            f"The file name is longer than {MAX_FILENAME_LENGTH} characters",
        )
    if "/" in filename or "\\" in filename:
        raise _refused("Tên tệp không được chứa dấu / hoặc \\", "The file name must not contain / or \\")
    # Cc: control characters (NUL included); Cf: invisible formatting such as right-to-left overrides that disguise
    # an extension; Cs: lone surrogates; Zl/Zp: line and paragraph separators.
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in filename):
        raise _refused(
            "Tên tệp chứa ký tự điều khiển hoặc ký tự ẩn", "The file name contains control or invisible characters"
        )
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or not extension:
        raise _refused(
            "Tên tệp phải có phần đuôi, ví dụ bao-cao.pdf", "The file name needs an extension, e.g. report.pdf"
        )
    return extension.lower()


def _matching(kind: str, extension: str, filename: str) -> FileType:
    file_type = FILE_TYPES[kind]
    if extension in file_type.extensions:
        return file_type
    vietnamese, english = _LABELS[kind]
    expected = ", ".join(f".{ext}" for ext in file_type.extensions)
    raise _refused(
        f"Tệp “{filename}” thực chất là {vietnamese}, không khớp với đuôi .{extension}; hãy dùng đuôi {expected}",
        f"The file “{filename}” is actually {english}, which does not match the .{extension} extension; use {expected}",
    )


def identify(path: pathlib.Path, filename: str) -> FileType:
    """The type of the complete upload at `path` named `filename`, or FileRefused.

    Reads only the first HEAD_BYTES; a zip-based document is opened with zipfile on the path (entries are listed,
    only the small ODF "mimetype" entry is read).
    """
    extension = _extension(filename)
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    if not head:
        raise _refused("Tệp rỗng", "The file is empty")
    sniffed = sniff_head(head)
    if sniffed is None:
        raise _refused(
            f"Nội dung tệp không thuộc loại được phép ({_ALLOWED_VI})",
            f"The file content is not an allowed type ({_ALLOWED_EN})",
        )
    if sniffed == "zip":
        return _matching(_zip_kind(path), extension, filename)
    if sniffed == "ole":
        # OLE2 compound files hold DOC, XLS and PPT alike; telling them apart means walking the compound file's
        # directory (WordDocument / Workbook / "PowerPoint Document" streams), which is out of scope: the name's
        # extension decides among the three. Other OLE files (MSI, MSG) renamed .doc/.xls/.ppt are therefore accepted.
        if extension in _OLE_KINDS:
            return FILE_TYPES[extension]
        vietnamese, english = _LABELS["ole"]
        raise _refused(
            f"Tệp “{filename}” thực chất là {vietnamese}, không khớp với đuôi .{extension};"
            " tài liệu cũ hãy dùng đuôi .doc, .xls, .ppt, tài liệu có mật khẩu hãy gỡ mật khẩu",
            f"The file “{filename}” is actually {english}, which does not match the .{extension} extension;"
            " name legacy documents .doc, .xls or .ppt, remove the password from protected ones",
        )
    return _matching(sniffed, extension, filename)


# --- zip-based documents -------------------------------------------------------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"


def _central_directory(path: pathlib.Path) -> tuple[int, int] | None:
    """(declared entries, central directory size) from the end records, found the way zipfile finds them.

    None when they are missing or impossible: zipfile then refuses the archive as broken. Lets an archive with a huge
    central directory be refused before zipfile loads all of it into memory.
    """
    with path.open("rb") as file:
        size = file.seek(0, 2)
        tail_size = min(size, _EOCD.size + 0xFFFF)  # the record, then a comment of at most 64 KiB
        file.seek(size - tail_size)
        tail = file.read(tail_size)
        if tail[-_EOCD.size :].startswith(_EOCD_SIGNATURE) and tail.endswith(b"\0\0"):
            position = len(tail) - _EOCD.size  # no comment
        else:
            position = tail.rfind(_EOCD_SIGNATURE)
        if position < 0 or position + _EOCD.size > len(tail):
            return None
        entries, directory_size = _EOCD.unpack_from(tail, position)[4:6]
        # ZIP64: a locator right before the record, and the ZIP64 record right before the locator.
        record_at = size - tail_size + position - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
        if record_at >= 0:
            file.seek(record_at)
            data = file.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
            if (
                len(data) == _ZIP64_EOCD.size + _ZIP64_LOCATOR.size
                and _ZIP64_LOCATOR.unpack_from(data, _ZIP64_EOCD.size)[0] == _ZIP64_LOCATOR_SIGNATURE
                and data.startswith(_ZIP64_EOCD_SIGNATURE)
            ):
                entries, directory_size = _ZIP64_EOCD.unpack_from(data)[7:9]
    return (entries, directory_size) if directory_size <= size else None


def _too_many_entries() -> FileRefused:
    return _refused(f"Tệp nén có quá {ZIP_MAX_ENTRIES} mục", f"The archive has more than {ZIP_MAX_ENTRIES} entries")


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or (name[:1].isalpha() and name[1:2] == ":"):  # absolute, or a Windows drive
        return True
    return ".." in name.replace("\\", "/").split("/")


def _zip_kind(path: pathlib.Path) -> str:
    """The kind of a zip-based document ("docx", "xlsx", "pptx", "odt", "ods", "odp"), or FileRefused."""
    _refuse_a_huge_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _refuse_unsafe_entries(infos)
            kinds = _document_kinds(archive, infos)
    except FileRefused:
        raise
    except NotImplementedError as error:  # a compression method zipfile lacks (it subclasses RuntimeError)
        raise _refused(
            "Tài liệu nén theo kiểu không hỗ trợ, hãy lưu lại bằng phần mềm văn phòng",
            "The document uses an unsupported compression; save it again with an office application",
        ) from error
    except RuntimeError as error:  # zipfile: "File ... is encrypted, password required for extraction"
        raise _refused("Tệp nén có mật khẩu, không đọc được", "The archive is password-protected") from error
    except (zipfile.BadZipFile, EOFError, zlib.error, struct.error, ValueError) as error:
        raise _refused(
            "Tài liệu bị hỏng hoặc không đầy đủ, hãy lưu và tải lên lại",
            "The document is broken or incomplete; save it and upload it again",
        ) from error
    if len(kinds) != 1:
        raise _refused(
            f"Tệp nén ZIP không phải tài liệu được phép ({_ALLOWED_VI})",
            f"The ZIP archive is not an allowed document ({_ALLOWED_EN})",
        )
    return kinds[0]


def _refuse_a_huge_directory(path: pathlib.Path) -> None:
    """FileRefused when the end records declare too many entries or too large a central directory (before zipfile
    reads it)."""
    directory = _central_directory(path)
    if directory is not None:
        entries, directory_size = directory
        if entries > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_ENTRIES * _ZIP_MAX_DIRECTORY_BYTES_PER_ENTRY:
            raise _too_many_entries()


def _refuse_unsafe_entries(infos: list[zipfile.ZipInfo]) -> None:
    """FileRefused for too many entries, an unsafe path, too much declared content, or macros."""
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _too_many_entries()
    names = [info.filename for info in infos]
    if any(_unsafe_name(name) for name in names):
        raise _refused(
            "Tệp nén chứa đường dẫn không an toàn (tuyệt đối hoặc có ..)",
            "The archive holds an unsafe path (absolute or with ..)",
        )
    # Declared sizes, from the central directory. Whoever later decompresses entries must still bound what
    # it reads: a forged archive can declare less than it inflates to.
    if sum(info.file_size for info in infos) > ZIP_MAX_UNCOMPRESSED:
        raise _refused(
            f"Tệp nén giải nén ra quá {ZIP_MAX_UNCOMPRESSED // (1024 * 1024)} MB",
            f"The archive expands to more than {ZIP_MAX_UNCOMPRESSED // (1024 * 1024)} MB",
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refused(
            "Tài liệu chứa macro (VBA), hãy lưu lại không kèm macro",
            "The document contains macros (VBA); save it again without macros",
        )


def _document_kinds(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    """The kinds the archive's parts claim (OOXML main parts, an ODF mimetype): a document claims exactly one."""
    lowered = {info.filename.lower() for info in infos}
    kinds: list[str] = []
    if "[content_types].xml" in lowered:
        kinds += [kind for part, kind in _OOXML_MAIN_PARTS.items() if part in lowered]
    if infos and infos[0].filename == "mimetype" and not infos[0].is_dir():
        with archive.open(infos[0]) as entry:
            mimetype = entry.read(128).decode("ascii", errors="replace").strip()
        if mimetype in _ODF_MIMETYPES:
            kinds.append(_ODF_MIMETYPES[mimetype])
    return kinds
