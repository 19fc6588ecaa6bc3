"""The entrants workbook (danh sách đối tượng thi đua): parse the .xlsx a commune officer imports, and its template.

Pure: bytes in, values out. The first worksheet is read; its first non-empty row is the header. Headers are matched
case-insensitively and without Vietnamese diacritics, in Vietnamese or English. Columns holding national IDs (CCCD,
CMND, căn cước, hộ chiếu...) are never read: their values never leave this package.

`model` holds what a reading gives back, `columns` a cell's text and the header row, `rows` the rules of one row,
`reading` the workbook's bounds and `parse_entrants_workbook`, `template` the .xlsx officers fill in.
"""
