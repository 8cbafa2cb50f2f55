"""BatchResult: the merged outcome of a batched call, one entry per requested ID."""

from __future__ import annotations

__all__ = ["BatchResult"]

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar, overload

from ._errors import PanelError

T = TypeVar("T")
_D = TypeVar("_D")


class BatchResult(Mapping["int | str", "T | PanelError"], Generic[T]):
    """A read-only mapping from every distinct requested ID to its value or its error.

    Keys are the IDs as the caller first passed them, in input order; lookups accept
    either form of an ID (`result[1]` and `result["1"]` are the same entry). A value is
    a PanelError when the panel answered an error for that ID, left the ID out of its
    answer, or the ID's request failed after retries.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: Mapping[str, tuple[int | str, T | PanelError]]) -> None:
        self._entries = dict(entries)

    def __getitem__(self, key: int | str) -> T | PanelError:
        return self._entries[str(key)][1]

    def __iter__(self) -> Iterator[int | str]:
        return (original for original, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, (int, str)) and str(key) in self._entries

    @overload
    def get(self, key: int | str) -> T | PanelError | None: ...
    @overload
    def get(self, key: int | str, default: _D) -> T | PanelError | _D: ...
    def get(self, key: int | str, default: object = None) -> object:
        entry = self._entries.get(str(key))
        return default if entry is None else entry[1]

    @property
    def succeeded(self) -> dict[int | str, T]:
        """The IDs that have a value, with their values."""
        return {
            original: value
            for original, value in self._entries.values()
            if not isinstance(value, PanelError)
        }

    @property
    def failed(self) -> dict[int | str, PanelError]:
        """The IDs that have an error, with their errors."""
        return {
            original: value
            for original, value in self._entries.values()
            if isinstance(value, PanelError)
        }

    def __repr__(self) -> str:
        failed = sum(isinstance(v, PanelError) for _, v in self._entries.values())
        return (
            f"<BatchResult {len(self)} IDs: {len(self) - failed} succeeded, "
            f"{failed} failed>"
        )
