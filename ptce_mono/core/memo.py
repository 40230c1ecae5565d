"""The last value parsed from a file's text, per key: a file read many times in one process (a
monograph's cells and the checks read a pole's interviews and answer waves a dozen times) is
parsed once while its text does not change. The text itself is compared, never a size or a
modification time: a file whose bytes changed is always parsed again."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_MEMO_CHARS = 64 * 1024 * 1024  # texts kept at most, all keys together


class TextMemo(Generic[T]):
    """Per key, the last text parsed and what it gave; bounded by the total size of the texts."""

    def __init__(self, max_chars: int = MAX_MEMO_CHARS) -> None:
        self._entries: dict[Hashable, tuple[str, T]] = {}
        self._chars = 0
        self._max_chars = max_chars

    def get(self, key: Hashable, text: str) -> T | None:
        """What ``text`` gave under ``key``, or None when that key last parsed another text."""
        found = self._entries.get(key)
        return found[1] if found is not None and found[0] == text else None

    def put(self, key: Hashable, text: str, value: T) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._chars -= len(old[0])
        if self._chars + len(text) > self._max_chars:
            self._entries.clear()
            self._chars = 0
        if len(text) <= self._max_chars:
            self._entries[key] = (text, value)
            self._chars += len(text)
