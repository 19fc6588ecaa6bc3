"""A small in-memory cache with monotonic expiry, for the directory's answers (adapters/directory.py)."""

from __future__ import annotations

from collections.abc import Hashable
from time import monotonic
from typing import Generic, TypeVar

MAX_CACHE_ENTRIES = 4096

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """A small in-memory cache with monotonic expiry; oldest entries go first when it is full."""

    def __init__(self, *, ttl: float, negative_ttl: float, max_entries: int = MAX_CACHE_ENTRIES) -> None:
        self._ttl = ttl
        self._negative_ttl = min(ttl, negative_ttl)
        self._max_entries = max_entries
        self._entries: dict[K, tuple[float, float, V]] = {}  # key: (expires, stored, value)

    def get(self, key: K) -> tuple[bool, V | None]:
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        expires, _, value = entry
        if monotonic() >= expires:
            del self._entries[key]
            return False, None
        return True, value

    def forget_older_than(self, key: K, seconds: float) -> None:
        """Drop the entry if it was stored more than `seconds` ago (the next `get` misses and it is read again)."""
        entry = self._entries.get(key)
        if entry is not None and monotonic() - entry[1] > seconds:
            del self._entries[key]

    def put(self, key: K, value: V, *, negative: bool = False) -> V:
        now = monotonic()
        self._entries.pop(key, None)
        if len(self._entries) >= self._max_entries:
            for stale in [k for k, (expires, _, _) in self._entries.items() if expires <= now]:
                del self._entries[stale]
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = (now + (self._negative_ttl if negative else self._ttl), now, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
