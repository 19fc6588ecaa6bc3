"""The award-history workbook (.xlsx): its template, and reading an officer's filled-in copy (openpyxl)."""

from awards.adapters.workbook.columns import BY_FIELD, COLUMNS, Column, RowError
from awards.adapters.workbook.reading import (
    MAX_BYTES,
    MAX_ROW_NUMBER,
    MAX_ROWS,
    XLS_REFUSED,
    AwardRow,
    HistoryWorkbook,
    WorkbookUnreadable,
    read_history_workbook,
)
from awards.adapters.workbook.template import template_workbook

__all__ = [
    "BY_FIELD",
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_ROW_NUMBER",
    "XLS_REFUSED",
    "AwardRow",
    "Column",
    "HistoryWorkbook",
    "RowError",
    "WorkbookUnreadable",
    "read_history_workbook",
    "template_workbook",
]
