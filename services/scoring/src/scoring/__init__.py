"""Scoring: turns submissions into scores a person can check."""
