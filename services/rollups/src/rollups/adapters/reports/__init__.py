"""The reports communes and provinces file (DOMAIN.md §6): statistical tables as an Excel workbook and a narrative
skeleton as PDF, both filled from the read models."""
