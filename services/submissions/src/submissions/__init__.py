"""Submissions: the intake of the movement (entrants' dossiers against emulation criteria)."""
