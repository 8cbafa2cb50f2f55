"""The batcher: many IDs in, chunked requests out, every ID back exactly once.

It checks and de-duplicates the IDs (by their text form, keeping the form the caller
passed first), cuts chunks of at most `chunk_size`, keeps a bounded number of chunks in
flight, and reads each chunk's answer into a value or an error per ID. A failing chunk
gives each of its IDs that chunk's error; it never takes other chunks down with it.
"""

from __future__ import annotations

__all__ = ["BatchAction", "Batcher", "ProgressCallback"]

import asyncio
import contextlib
import logging
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Sequence,
)
from typing import Any, Generic, TypeVar

import attrs

from ._errors import (
    PanelAmbiguousOrderError,
    PanelAuthError,
    PanelError,
    PanelHTMLResponseError,
    PanelInputError,
    PanelMissingIDError,
    PanelRedirectError,
    PanelResponseError,
    PanelTooManyIDsError,
)
from ._result import BatchResult
from ._retry import RetryPolicy
from ._transport import Safety, Transport
from ._validate import id_key

logger = logging.getLogger("panel_async.batch")

T = TypeVar("T")
ID = int | str
Chunk = list[tuple[str, ID]]
ChunkOutcome = list[tuple[str, ID, "T | PanelError"]]

#: Called after each chunk with (IDs done, IDs in total or None, IDs failed so far).
ProgressCallback = Callable[[int, "int | None", int], None]


@attrs.frozen
class BatchAction(Generic[T]):
    """The request fields and response reader of one batched action."""

    action: str  # the API's action name
    ids_field: str  # the form field that carries the comma-separated IDs
    what: str  # how to name one ID in messages, such as "order ID"
    safety: Safety
    read: Callable[[object, Sequence[str]], dict[str, T | PanelError]]


class Batcher:
    """Runs batched actions over one Transport."""

    def __init__(self, transport: Transport, *, chunk_size: int, max_concurrency: int):
        self.chunk_size = chunk_size
        self.max_concurrency = max_concurrency
        self._transport = transport

    async def run(
        self,
        spec: BatchAction[T],
        ids: Iterable[ID],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> BatchResult[T]:
        """Send all of `ids` and merge the answers into one BatchResult.

        Every ID is checked before the first request, so bad input sends nothing.
        """
        unique = _unique_ids(ids, spec.what)
        chunks = _cut(list(unique.items()), self.chunk_size)
        values: dict[str, T | PanelError] = {}
        failed = 0
        async for outcome in self._execute(spec, _aiter(chunks), retry):
            for key, _, value in outcome:
                values[key] = value
                failed += isinstance(value, PanelError)
            if on_progress is not None:
                on_progress(len(values), len(unique), failed)

        entries = {key: (original, values[key]) for key, original in unique.items()}
        return BatchResult(entries)

    async def stream(
        self,
        spec: BatchAction[T],
        ids: Iterable[ID] | AsyncIterable[ID],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncGenerator[tuple[ID, T | PanelError], None]:
        """Yield (ID, value or error) as chunks complete, reading `ids` lazily.

        At most `max_concurrency` chunks are in flight, so memory stays bounded however
        many IDs come in. Duplicates are folded within a chunk only, because remembering
        every ID ever seen would grow without bound. Closing the iterator early cancels
        the chunks in flight.
        """
        done = failed = 0
        chunks = self._lazy_chunks(ids, spec.what)
        async for outcome in self._execute(spec, chunks, retry):
            for _, original, value in outcome:
                failed += isinstance(value, PanelError)
                done += 1
                yield original, value
            if on_progress is not None:
                on_progress(done, None, failed)

    async def _lazy_chunks(
        self, ids: Iterable[ID] | AsyncIterable[ID], what: str
    ) -> AsyncIterator[Chunk]:
        chunk: dict[str, ID] = {}
        async for original in _aiter(ids):
            key = id_key(original, what)
            chunk.setdefault(key, original)
            if len(chunk) >= self.chunk_size:
                yield list(chunk.items())
                chunk = {}
        if chunk:
            yield list(chunk.items())

    async def _execute(
        self,
        spec: BatchAction[T],
        chunks: AsyncIterator[Chunk],
        retry: RetryPolicy | None,
    ) -> AsyncIterator[ChunkOutcome[T]]:
        """Run chunks with at most `max_concurrency` in flight; yield as they finish.

        Some failures would repeat for every chunk: a rejected key, a redirect, a
        firewall page. After one of them, the chunks not sent yet get that error
        without being sent, so that a wrong key does not cost thousands of requests.
        """
        pending: set[asyncio.Task[ChunkOutcome[T]]] = set()
        exhausted = False
        stop: PanelError | None = None
        try:
            while True:
                while not exhausted and len(pending) < self.max_concurrency:
                    chunk = await anext(chunks, None)
                    if chunk is None:
                        exhausted = True
                    elif stop is not None:
                        yield [(key, original, stop) for key, original in chunk]
                    else:
                        job = self._run_chunk(spec, chunk, retry)
                        pending.add(asyncio.ensure_future(job))
                if not pending:
                    return
                finished, pending = await asyncio.wait(
                    pending, return_when=asyncio.FIRST_COMPLETED
                )
                for task in finished:
                    outcome = task.result()
                    stop = stop or _batch_stopper(spec, outcome)
                    yield outcome
        finally:
            await _cancel_all(pending)

    async def _run_chunk(
        self, spec: BatchAction[T], chunk: Chunk, retry: RetryPolicy | None
    ) -> ChunkOutcome[T]:
        keys = [key for key, _ in chunk]
        try:
            answer = await self._transport.post(
                spec.action,
                {spec.ids_field: ",".join(keys)},
                safety=spec.safety,
                retry=retry,
                id_count=len(keys),
            )
            values = spec.read(answer, keys)
        except PanelTooManyIDsError as exc:
            if len(chunk) == 1:
                return [(key, original, exc) for key, original in chunk]
            return await self._split_chunk(spec, chunk, retry, exc)
        except PanelError as exc:
            return [(key, original, exc) for key, original in chunk]

        outcome = [(key, original, values[key]) for key, original in chunk]
        if spec.safety is Safety.READ:
            return await self._resend_cut_off(spec, outcome, retry)

        return [
            (key, original, _ambiguous_if_unreadable(spec, key, value))
            for key, original, value in outcome
        ]

    async def _resend_cut_off(
        self,
        spec: BatchAction[T],
        outcome: ChunkOutcome[T],
        retry: RetryPolicy | None,
    ) -> ChunkOutcome[T]:
        """Resend the IDs a panel silently cut off the end of a read's answer.

        Some panels answer only the first N IDs of a multi request. A run of two or
        more IDs missing at the end looks like that; they are sent again, and when the
        resend finds them, the chunk size drops to N for the rest of the client's life.
        Only reads are resent, because a write's missing IDs may have been acted on.
        """
        answered = len(outcome)
        while answered and isinstance(outcome[answered - 1][2], PanelMissingIDError):
            answered -= 1
        cut_off = outcome[answered:]
        if answered == 0 or len(cut_off) < 2:
            return outcome

        chunk = [(key, original) for key, original, _ in cut_off]
        resent = await self._run_chunk(spec, chunk, retry)
        found = sum(
            not isinstance(value, PanelMissingIDError) for _, _, value in resent
        )
        if found and answered < self.chunk_size:
            self.chunk_size = answered
            logger.warning(
                "panel returned only the first %d IDs of a %s request; chunk size %d",
                answered,
                spec.action,
                answered,
            )
        return outcome[:answered] + resent

    async def _split_chunk(
        self,
        spec: BatchAction[T],
        chunk: Chunk,
        retry: RetryPolicy | None,
        cause: PanelTooManyIDsError,
    ) -> ChunkOutcome[T]:
        """Resend a chunk the panel found too large as two halves; remember the size.

        Safe for every action: the panel rejected the whole request, so it did nothing.
        """
        half = (len(chunk) + 1) // 2
        if half < self.chunk_size:
            self.chunk_size = half
            logger.warning(
                "panel rejected %d IDs in one %s request (%s); chunk size now %d",
                len(chunk),
                spec.action,
                cause.message,
                half,
            )
        first = await self._run_chunk(spec, chunk[:half], retry)
        second = await self._run_chunk(spec, chunk[half:], retry)
        return first + second


def _batch_stopper(
    spec: BatchAction[Any], outcome: ChunkOutcome[Any]
) -> PanelError | None:
    """Return the chunk's error if no other chunk of the batch can succeed."""
    if not outcome:
        return None
    error = outcome[0][2]
    stops = isinstance(error, (PanelAuthError, PanelRedirectError)) or (
        isinstance(error, PanelHTMLResponseError) and (error.status_code or 0) < 500
    )
    if not stops or any(value is not error for _, _, value in outcome):
        return None
    logger.warning(
        "stopping the %s batch: the IDs not sent yet get the same error: %s",
        spec.action,
        error,
    )
    return error


def _ambiguous_if_unreadable(
    spec: BatchAction[Any], key: str, value: T | PanelError
) -> T | PanelError:
    """Turn an unreadable entry of a write's answer into PanelAmbiguousOrderError.

    The panel answered the request, so it may have acted on an ID whose entry could
    not be read; only a clear per-ID error message says that it did not.
    """
    if type(value) is not PanelResponseError:
        return value
    return PanelAmbiguousOrderError(
        f"the panel's response to {spec.action!r} for {spec.what} {key} could not be "
        f"read ({value}); check it before sending it again",
        action=spec.action,
        fields={spec.ids_field: key},
    )


def _unique_ids(ids: Iterable[ID], what: str) -> dict[str, ID]:
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        advice = (
            "wrap a single ID in a list"
            if isinstance(ids, (int, str))
            else (f"pass a list or another iterable of {what}s")
        )
        raise PanelInputError(
            f"expected an iterable of {what}s, got {type(ids).__name__} {ids!r:.40}; "
            f"{advice}"
        )
    unique: dict[str, ID] = {}
    for original in ids:
        unique.setdefault(id_key(original, what), original)
    return unique


def _cut(items: list[tuple[str, ID]], size: int) -> list[Chunk]:
    return [items[start : start + size] for start in range(0, len(items), size)]


async def _aiter(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def _cancel_all(tasks: set[asyncio.Task[ChunkOutcome[T]]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
