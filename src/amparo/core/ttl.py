"""A small in-process cache whose entries expire after a fixed number of seconds.

For values that are read on every request and change rarely (an API token, the heightened-risk
period of a country), where a few seconds of staleness in *other* server processes is acceptable
and the process that makes a change forgets its own entries at once. Nothing is shared between
processes and nothing is written anywhere: a restart empties it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_MISSING = object()


class TTLCache(Generic[V]):
    def __init__(self, seconds: float, *, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        #: The clock, replaceable in tests.
        self.clock: Callable[[], float] = time.monotonic

    def get(self, key: Hashable, default: V | None = None) -> V | None:
        entry = self._data.get(key)
        if entry is None:
            return default
        expires, value = entry
        if self.clock() >= expires:
            with self._lock:
                if self._data.get(key) is entry:
                    del self._data[key]
            return default
        return value

    def get_or_set(self, key: Hashable, make: Callable[[], V]) -> V:
        value = self.get(key, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            value = make()
            self.set(key, value)
        return value  # type: ignore[return-value]

    def set(self, key: Hashable, value: V) -> None:
        with self._lock:
            if len(self._data) >= self.max_entries:
                now = self.clock()
                self._data = {k: e for k, e in self._data.items() if e[0] > now}
                if len(self._data) >= self.max_entries:
                    self._data.clear()
            self._data[key] = (self.clock() + self.seconds, value)

    def discard_where(self, predicate: Callable[[Hashable, V], bool]) -> None:
        """Forget every entry for which ``predicate(key, value)`` is true."""
        with self._lock:
            self._data = {k: e for k, e in self._data.items() if not predicate(k, e[1])}

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
