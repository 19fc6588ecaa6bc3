"""Vietnamese official documents as PDF (fpdf2, DejaVu Sans): the page layout after Nghị định 30/2020/NĐ-CP, the
fonts, and Vietnamese wording of numbers and dates. Used by the awards documents and the rollups reports."""
