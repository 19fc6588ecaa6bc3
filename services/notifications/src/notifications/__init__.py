"""Notifications: who is told what, through which channel, exactly once."""
