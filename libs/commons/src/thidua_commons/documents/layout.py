"""Page setup shared by the official documents (awards) and reports (rollups).

An approximation of the layout of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I):
A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right; the issuing body top-left and the national
heading top-right, with the number and the place-and-date line below them; the title centred; signature blocks at
the bottom right (and "Nơi nhận" or a second signer at the bottom left). The only fonts are DejaVu Sans regular and
bold, so the parts the decree sets in italics are set upright.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Self

from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, TableHeadingsDisplay, VAlign, XPos, YPos

from thidua_commons.documents.fonts import check_fonts, font_files
from thidua_commons.documents.model import Letterhead
from thidua_commons.documents.text import as_vietnam_time

FAMILY = "DejaVu"
MARGIN_TOP = 20.0
MARGIN_BOTTOM = 20.0
MARGIN_LEFT = 30.0
MARGIN_RIGHT = 15.0

BODY_SIZE = 11.5  # DejaVu Sans is much wider than the decree's Times New Roman 13-14
BODY_LINE = 5.6
HEADING_SIZE = 11.0
TABLE_SIZE = 10.0
LEFT_COLUMN = 74.0  # issuing body, number, "Nơi nhận", left signature
RIGHT_COLUMN = 90.0  # national heading, place-and-date line, right signature
SIGNING_SPACE = 18.0  # blank space for the handwritten signature and the seal

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADING_FILL = (230, 230, 230)


@dataclass(frozen=True)
class SignBlock:
    """A signature block: bold heading lines ("\\n"-separated), an optional note, blank space, the name."""

    heading: str
    name: str
    note: str = ""


class OfficialDocument(FPDF):
    """An A4 document with the DejaVu fonts embedded, NFC text and "Trang i/n" page numbers."""

    def __init__(self, fonts: Path, *, title: str, author: str, created: datetime | date) -> None:
        regular, bold = font_files(check_fonts(fonts))
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FAMILY, "", regular)
        self.add_font(FAMILY, "B", bold)
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        # The creation date (and the /ID derived from it) comes from the data, so equal data gives equal bytes.
        self.set_creation_date(as_vietnam_time(created))
        self.set_title(nfc(title))
        self.set_author(nfc(author))
        self.set_creator("thidua")
        self.set_lang("vi")
        self.alias_nb_pages()
        self.add_page()
        self.body()

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(nfc(text))

    def footer(self) -> None:
        self.set_y(-MARGIN_BOTTOM + 6)
        self.set_font(FAMILY, "", 9)
        self.cell(0, 5, f"Trang {self.page_no()}/{self.str_alias_nb_pages}", align=Align.C)

    # Fonts -------------------------------------------------------------------------------------------------------

    def body(self, size: float = BODY_SIZE) -> None:
        self.set_font(FAMILY, "", size)

    def bold(self, size: float = BODY_SIZE) -> None:
        self.set_font(FAMILY, "B", size)

    def _fitting_size(self, text: str, width: float, *, style: str, largest: float, smallest: float = 8.0) -> float:
        """Set and return the largest size (by 0.5 pt steps, not below ``smallest``) at which ``text`` fits."""
        size = largest
        self.set_font(FAMILY, style, size)
        while size > smallest and self.get_string_width(text) > width - 2:
            size = max(smallest, size - 0.5)
            self.set_font(FAMILY, style, size)
        return size

    # Blocks ------------------------------------------------------------------------------------------------------

    def _rule(self, center_x: float, width: float, y: float) -> None:
        self.set_line_width(0.3)
        self.line(center_x - width / 2, y, center_x + width / 2, y)

    def heading(self, letterhead: Letterhead, *, number: str, place_date: str) -> None:
        """Issuing body (left) and national heading (right), then the number and the place-and-date line."""
        top = self.get_y()
        left_x = self.l_margin
        right_x = self.l_margin + self.epw - RIGHT_COLUMN
        line = 5.5

        self.set_xy(left_x, top)
        if letterhead.parent_body:
            self._fitting_size(letterhead.parent_body, LEFT_COLUMN, style="", largest=HEADING_SIZE, smallest=9.5)
            self.multi_cell(LEFT_COLUMN, line, letterhead.parent_body, align=Align.C, new_x=XPos.LEFT)
        self._fitting_size(letterhead.issuing_body, LEFT_COLUMN, style="B", largest=HEADING_SIZE, smallest=9.5)
        self.multi_cell(LEFT_COLUMN, line, letterhead.issuing_body, align=Align.C, new_x=XPos.LEFT)
        self._rule(left_x + LEFT_COLUMN / 2, 24, self.get_y() + 1)
        left_bottom = self.get_y() + 2

        self.set_xy(right_x, top)
        self._fitting_size(NATIONAL_NAME, RIGHT_COLUMN, style="B", largest=HEADING_SIZE)
        self.cell(RIGHT_COLUMN, line, NATIONAL_NAME, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.bold(HEADING_SIZE + 0.5)
        self.cell(RIGHT_COLUMN, line, NATIONAL_MOTTO, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._rule(right_x + RIGHT_COLUMN / 2, self.get_string_width(NATIONAL_MOTTO), self.get_y() + 0.5)
        right_bottom = self.get_y() + 2

        row = max(left_bottom, right_bottom) + 1
        self.body()
        if number:
            self.set_xy(left_x, row)
            self.cell(LEFT_COLUMN, line, f"Số: {number}", align=Align.C)
        self.set_xy(right_x, row)
        self._fitting_size(place_date, RIGHT_COLUMN, style="", largest=HEADING_SIZE, smallest=9.5)
        self.cell(RIGHT_COLUMN, line, place_date, align=Align.C)
        self.set_xy(self.l_margin, row + line + 6)
        self.body()

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one (keeps a heading with what follows)."""
        if self.will_page_break(height):
            self.add_page()

    def title_block(
        self, title: str, subtitle: str = "", *, note: str = "", keep: float = 0.0, shrink: bool = False
    ) -> None:
        """Centred bold title and subtitle, an optional regular note, a short rule.

        ``keep``: mm that must fit below the block on the same page, else the block starts a new page.
        ``shrink``: reduce the subtitle (down to 10 pt) and note (9 pt) font so that each fits on one line if it can.
        """
        sub_size = note_size = BODY_SIZE
        if shrink:
            sub_size = self._fitting_size(subtitle, self.epw, style="B", largest=BODY_SIZE, smallest=10)
            note_size = self._fitting_size(note, self.epw, style="", largest=BODY_SIZE, smallest=9)
        if keep:
            self.bold(sub_size)
            height = 7 + 4 + (self._lines(subtitle, self.epw) * BODY_LINE if subtitle else 0)
            self.body(note_size)
            height += self._lines(note, self.epw) * BODY_LINE if note else 0
            self.ensure_space(height + keep)
        self.bold(14)
        self.multi_cell(0, 7, title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.bold(sub_size)
            self.multi_cell(0, BODY_LINE, subtitle, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if note:
            self.body(note_size)
            self.multi_cell(0, BODY_LINE, note, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle or note:
            self._rule(self.l_margin + self.epw / 2, 40, self.get_y() + 1)
        self.ln(3)
        self.body()

    def paragraph(
        self, text: str, *, bold: bool = False, align: Align = Align.J, size: float = BODY_SIZE, indent: float = 0
    ) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, BODY_LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.body()

    def labelled(self, label: str, text: str) -> None:
        """'Label: text' with a bold label; continuation lines wrap to the left margin."""
        self.set_x(self.l_margin)
        self.bold()
        self.write(BODY_LINE, f"{label}: ")
        self.body()
        self.write(BODY_LINE, text)
        self.ln(BODY_LINE)

    def section(self, text: str) -> None:
        self.ensure_space(2 + BODY_LINE + 25)
        self.ln(2)
        self.paragraph(text, bold=True, align=Align.L)
        self.ln(1)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        aligns: Sequence[str],
        *,
        size: float = TABLE_SIZE,
        total_row: Sequence[tuple[str, int]] = (),
    ) -> None:
        """A bordered table whose cells wrap and whose rows flow over pages, headings repeated on each page.

        ``widths`` are in mm and are scaled to the text width; ``total_row`` holds (text, colspan) pairs in bold.
        """
        if not (len(headings) == len(widths) == len(aligns)):
            raise ValueError("headings, widths and aligns must have the same length")
        scale = self.epw / sum(widths)
        col_widths = tuple(w * scale for w in widths)
        self.body(size)
        with self.table(
            width=self.epw,
            align=Align.L,  # CENTER would centre on the page, not between the (unequal) margins
            col_widths=col_widths,
            text_align=tuple(aligns),
            v_align=VAlign.M,
            line_height=self.font_size * 1.3,
            padding=(1.0, 1.2),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        ) as table:
            heading_row = table.row()
            for heading in headings:
                heading_row.cell(heading, align=Align.C)
            for cells in rows:
                if len(cells) != len(headings):
                    raise ValueError(f"a row has {len(cells)} cells, expected {len(headings)}")
                row = table.row()
                for cell in cells:
                    row.cell(cell)
            if total_row:
                row = table.row(style=FontFace(emphasis="BOLD"))
                for text, span in total_row:
                    row.cell(text, colspan=span)
        self.body()
        self.ln(3)

    def _lines(self, text: str, width: float) -> int:
        lines = self.multi_cell(width, BODY_LINE, text, dry_run=True, output=MethodReturnValue.LINES)
        return max(1, len(lines)) if isinstance(lines, list) else 1

    def _heading_size(self, heading: str, width: float) -> float:
        longest = max(heading.split("\n"), key=len)
        return self._fitting_size(longest, width, style="B", largest=BODY_SIZE, smallest=10)

    def _block_height(self, block: SignBlock, width: float) -> float:
        self.bold(self._heading_size(block.heading, width))
        height = self._lines(block.heading, width) * BODY_LINE
        if block.note:
            self.body(10)
            height += self._lines(block.note, width) * 5
        self.body()
        return height + SIGNING_SPACE + BODY_LINE

    def _sign_block(self, block: SignBlock, x: float, width: float, top: float) -> float:
        self.set_xy(x, top)
        self.bold(self._heading_size(block.heading, width))
        self.multi_cell(width, BODY_LINE, block.heading, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        if block.note:
            self.body(10)
            self.multi_cell(width, 5, block.note, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(x, self.get_y() + SIGNING_SPACE)
        self.bold()
        self.multi_cell(width, BODY_LINE, block.name, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.body()
        return self.get_y()

    def signatures(
        self,
        *,
        right: SignBlock,
        left: SignBlock | None = None,
        recipients: Sequence[str] = (),
        lead: Sequence[str] = (),
    ) -> None:
        """Signature block(s) kept on one page; ``recipients`` fills the "Nơi nhận" list at the left.

        ``lead``: the closing paragraphs, kept on the signature's page so that it never stands alone.
        """
        height = self._block_height(right, RIGHT_COLUMN)
        if left is not None:
            height = max(height, self._block_height(left, LEFT_COLUMN))
        if recipients:
            height = max(height, BODY_LINE + 5 * len(recipients))
        self.body()
        height += 4 + sum(self._lines(text, self.epw) * BODY_LINE for text in lead)
        if self.will_page_break(height):
            self.add_page()
        for text in lead:
            self.paragraph(text)
        self.ln(4)
        top = self.get_y()
        bottoms = [self._sign_block(right, self.l_margin + self.epw - RIGHT_COLUMN, RIGHT_COLUMN, top)]
        if left is not None:
            bottoms.append(self._sign_block(left, self.l_margin, LEFT_COLUMN, top))
        elif recipients:
            self.set_xy(self.l_margin, top)
            self.bold(11)
            self.cell(LEFT_COLUMN, BODY_LINE, "Nơi nhận:", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.body(10)
            for line in recipients:
                self.multi_cell(LEFT_COLUMN, 5, line, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottoms.append(self.get_y())
        self.set_xy(self.l_margin, max(bottoms) + 4)
        self.body()

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    def close_fonts(self) -> None:
        """fontTools keeps each font file open (lazy loading) until garbage collection: close them now."""
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close_fonts()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
