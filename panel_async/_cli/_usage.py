"""UsageError: a mistake in the command line or its inputs, which exits with 2."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """The command line, a key file or the IDs on standard input are invalid."""
