"""Order and refill states, and the normalisation of the words panels use for them.

This module is a leaf: the client and the simulator both import it, so that they agree
on which words exist, while each keeps its own reading of the protocol.
"""

from __future__ import annotations

import enum
import functools

__all__ = ["OrderState", "RefillState", "normalize_word"]


def normalize_word(word: str) -> str:
    """Fold a status word to lower case without spaces, hyphens or underscores."""
    return "".join(ch for ch in word.casefold() if ch not in " -_\t")


class OrderState(str, enum.Enum):
    """The state of an order, folded from the status word a panel sends."""

    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    PROCESSING = "Processing"
    COMPLETED = "Completed"
    PARTIAL = "Partial"
    CANCELED = "Canceled"
    REFUNDED = "Refunded"
    FAILED = "Failed"
    UNKNOWN = "Unknown"

    @classmethod
    def from_word(cls, word: str) -> OrderState:
        """Map a panel's status word to a state; an unknown word maps to UNKNOWN."""
        return _order_state_of(word)

    @property
    def is_final(self) -> bool:
        """Whether the order can no longer change state."""
        return self in _FINAL_ORDER_STATES


class RefillState(str, enum.Enum):
    """The state of a refill, folded from the status word a panel sends."""

    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    PROCESSING = "Processing"
    COMPLETED = "Completed"
    REJECTED = "Rejected"
    CANCELED = "Canceled"
    FAILED = "Failed"
    UNKNOWN = "Unknown"

    @classmethod
    def from_word(cls, word: str) -> RefillState:
        """Map a panel's refill status word to a state; unknown words map to UNKNOWN."""
        return _refill_state_of(word)

    @property
    def is_final(self) -> bool:
        """Whether the refill can no longer change state."""
        return self in _FINAL_REFILL_STATES


# Spellings seen on real panels, already folded by normalize_word.
_ORDER_WORDS: dict[str, OrderState] = {
    "pending": OrderState.PENDING,
    "awaiting": OrderState.PENDING,
    "inprogress": OrderState.IN_PROGRESS,
    "processing": OrderState.PROCESSING,
    "completed": OrderState.COMPLETED,
    "complete": OrderState.COMPLETED,
    "partial": OrderState.PARTIAL,
    "canceled": OrderState.CANCELED,
    "cancelled": OrderState.CANCELED,
    "refunded": OrderState.REFUNDED,
    "fail": OrderState.FAILED,
    "failed": OrderState.FAILED,
    "error": OrderState.FAILED,
}

_REFILL_WORDS: dict[str, RefillState] = {
    "pending": RefillState.PENDING,
    "awaiting": RefillState.PENDING,
    "inprogress": RefillState.IN_PROGRESS,
    "processing": RefillState.PROCESSING,
    "completed": RefillState.COMPLETED,
    "complete": RefillState.COMPLETED,
    "rejected": RefillState.REJECTED,
    "canceled": RefillState.CANCELED,
    "cancelled": RefillState.CANCELED,
    "fail": RefillState.FAILED,
    "failed": RefillState.FAILED,
    "error": RefillState.FAILED,
}

_FINAL_ORDER_STATES = frozenset(
    {
        OrderState.COMPLETED,
        OrderState.PARTIAL,
        OrderState.CANCELED,
        OrderState.REFUNDED,
        OrderState.FAILED,
    }
)

_FINAL_REFILL_STATES = frozenset(
    {
        RefillState.COMPLETED,
        RefillState.REJECTED,
        RefillState.CANCELED,
        RefillState.FAILED,
    }
)


# Panels repeat a few words across millions of statuses, so the folding is cached.
@functools.lru_cache(maxsize=512)
def _order_state_of(word: str) -> OrderState:
    return _ORDER_WORDS.get(normalize_word(word), OrderState.UNKNOWN)


@functools.lru_cache(maxsize=512)
def _refill_state_of(word: str) -> RefillState:
    return _REFILL_WORDS.get(normalize_word(word), RefillState.UNKNOWN)
