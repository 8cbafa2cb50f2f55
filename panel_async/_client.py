"""PanelClient: the public, typed face of one panel's API."""

from __future__ import annotations

__all__ = ["PanelClient"]

import datetime
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
)
from types import TracebackType
from typing import Any, TypeVar

import httpx

from . import _convert
from ._batch import BatchAction, Batcher, ProgressCallback
from ._constants import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    MAX_IDS_PER_REQUEST,
)
from ._errors import (
    PanelAmbiguousOrderError,
    PanelClientClosedError,
    PanelError,
    PanelInputError,
    PanelResponseError,
)
from ._limits import Limiter
from ._models import Balance, OrderId, OrderStatus, RefillId, RefillStatus, Service
from ._orders import build_order_fields, check_order_for_service
from ._poll import PollEvent, poll_statuses
from ._result import BatchResult
from ._retry import RetryPolicy
from ._transport import Safety, Transport
from ._validate import id_key

T = TypeVar("T")

_STATUSES = BatchAction[OrderStatus](
    "status", "orders", "order ID", Safety.READ, _convert.read_order_statuses
)
_REFILLS = BatchAction[RefillId](
    "refill", "orders", "order ID", Safety.WRITE, _convert.read_refills
)
_REFILL_STATUSES = BatchAction[RefillStatus](
    "refill_status", "refills", "refill ID", Safety.READ, _convert.read_refill_statuses
)
_CANCELS = BatchAction[bool](
    "cancel", "orders", "order ID", Safety.WRITE, _convert.read_cancels
)


def _is_final(status: OrderStatus) -> bool:
    return status.is_final


def _check_key(key: object) -> str:
    # The messages never show the value: it may be a real key with a typo.
    if not isinstance(key, str):
        raise PanelInputError(f"key must be a str, got {type(key).__name__}")
    if not key.strip():
        raise PanelInputError(
            "key is empty; pass the API key from the panel's account page"
        )
    if key != key.strip():
        raise PanelInputError(
            "key starts or ends with whitespace (a newline read from a file?); "
            "strip it, for example key.strip()"
        )
    if any(ord(ch) < 33 for ch in key):
        raise PanelInputError(
            "key contains whitespace or control characters; pass the API key "
            "exactly as the panel's account page shows it"
        )
    return key


def _check_limit(name: str, value: object, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PanelInputError(f"{name} must be a positive int, got {value!r:.40}")
    if maximum is not None and value > maximum:
        raise PanelInputError(
            f"{name} {value} is above {maximum}, the most the API v2 accepts"
        )
    return value


class PanelClient:
    """An asyncio client for one SMM panel's API v2 endpoint.

    ```python
    async with PanelClient("https://panel.example/api/v2", key) as panel:
        balance = await panel.balance()
        result = await panel.statuses(order_ids)
    ```

    Args:
        url: The panel's API endpoint, usually ending in `/api/v2`.
        key: The API key. It travels only in POST bodies and never appears in a
            repr, log record or error message.
        timeout: Seconds to wait for the panel (connecting gets at most 10 s), or an
            `httpx.Timeout`.
        retry: The RetryPolicy for every call; `RetryPolicy.default()` when None.
            Each call can override it.
        max_concurrency: Requests in flight at once, shared by every call.
        rate_limit: Requests per second at most, evenly spaced; None for no pacing.
        chunk_size: IDs per batched request, 1 to 100.
        max_response_bytes: Responses larger than this raise PanelResponseError.
        http_client: An `httpx.AsyncClient` to send with; the caller closes it.
        verify: Verify TLS certificates (turning it off is logged).
        strict: Raise instead of warning when the key would go over plain http:// to
            a host that is not loopback.

    Raises:
        PanelInputError: An argument is invalid; nothing was sent.
    """

    def __init__(
        self,
        url: str,
        key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        rate_limit: float | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: httpx.AsyncClient | None = None,
        verify: bool = True,
        strict: bool = False,
    ) -> None:
        _check_limit("max_concurrency", max_concurrency)
        _check_limit("chunk_size", chunk_size, MAX_IDS_PER_REQUEST)
        _check_limit("max_response_bytes", max_response_bytes)
        if rate_limit is not None and not (
            isinstance(rate_limit, (int, float)) and rate_limit > 0
        ):
            raise PanelInputError(
                f"rate_limit must be positive requests per second or None, "
                f"got {rate_limit!r:.40}"
            )
        if isinstance(timeout, (int, float)) and not timeout > 0:
            raise PanelInputError(f"timeout must be positive seconds, got {timeout!r}")

        self._limiter = Limiter(max_concurrency, rate_limit)
        self._transport = Transport(
            url,
            _check_key(key),
            timeout=timeout,
            retry=retry or RetryPolicy.default(),
            limiter=self._limiter,
            max_response_bytes=max_response_bytes,
            http_client=http_client,
            verify=verify,
            strict=strict,
        )
        self._batcher = Batcher(
            self._transport, chunk_size=chunk_size, max_concurrency=max_concurrency
        )
        self._closed = False
        self._services_cache: tuple[float, dict[str, Service]] | None = None

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return f"<PanelClient url={self.url!r}{state}>"

    @property
    def url(self) -> str:
        """The panel's API endpoint."""
        return self._transport.url

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent, retries included."""
        return self._transport.requests_sent

    @property
    def chunk_size(self) -> int:
        """IDs per batched request; lowered when the panel rejects a larger chunk."""
        return self._batcher.chunk_size

    def __enter__(self) -> None:
        raise TypeError(
            "PanelClient is asynchronous: use `async with PanelClient(...) as panel:`"
        )

    def __exit__(self, *exc_info: object) -> None:  # pragma: no cover
        """Never reached: __enter__ always raises."""

    async def __aenter__(self) -> PanelClient:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and the HTTP client it created; safe to call twice."""
        if not self._closed:
            self._closed = True
            await self._transport.aclose()

    def _check_open(self) -> None:
        if self._closed:
            raise PanelClientClosedError(
                "this PanelClient is closed; create a new one, or keep the calls "
                "inside its `async with` block"
            )

    async def _post(
        self,
        action: str,
        fields: dict[str, str],
        safety: Safety,
        retry: RetryPolicy | None,
    ) -> Any:
        self._check_open()
        return await self._transport.post(action, fields, safety=safety, retry=retry)

    async def services(self, *, retry: RetryPolicy | None = None) -> list[Service]:
        """Fetch the panel's catalogue of services.

        Raises:
            PanelAPIError: The panel answered an error (PanelAuthError for a bad key).
            PanelResponseError: The answer is not a list of services.
            PanelTransportError: The network failed after retries.
        """
        answer = await self._post("services", {}, Safety.READ, retry)
        services = _convert.read_services(answer)
        self._services_cache = (
            time.monotonic(),
            {str(service.id): service for service in services},
        )
        return services

    async def services_by_id(self, *, max_age: float = 300.0) -> dict[str, Service]:
        """Return the catalogue keyed by the service ID's text form, cached.

        The catalogue is fetched again when the cached copy is older than `max_age`
        seconds (0 always fetches). Raises what `services()` raises.
        """
        cached = self._services_cache
        if cached is None or time.monotonic() - cached[0] >= max_age:
            await self.services()
            cached = self._services_cache
            assert cached is not None  # set by services()
        return dict(cached[1])

    async def balance(self, *, retry: RetryPolicy | None = None) -> Balance:
        """Fetch the account's balance, as an exact Decimal with its currency."""
        answer = await self._post("balance", {}, Safety.READ, retry)
        return _convert.read_balance(answer)

    async def add(
        self,
        *,
        service: int | str | Service,
        link: str | None = None,
        quantity: int | None = None,
        runs: int | None = None,
        interval: int | None = None,
        comments: str | Iterable[str] | None = None,
        username: str | None = None,
        min: int | None = None,
        max: int | None = None,
        posts: int | None = None,
        old_posts: int | None = None,
        delay: int | None = None,
        expiry: datetime.date | None = None,
        retry: RetryPolicy | None = None,
        **extra: str | int | Iterable[str] | None,
    ) -> OrderId:
        """Place an order and return its ID. Sent at most once: see Raises.

        Keyword names are the API's field names; fields left as None are not sent.
        `comments` (and list fields passed in `extra`, such as `usernames`, `hashtags`
        or `groups`) take a list of lines or one string, sent one item per line.
        `expiry` takes a date, sent as d/m/Y. Other fields of a service type go in
        `extra` (`answer_number=2`, `country="US"`).

        When `service` is a Service from `services()`, the order is checked against
        it first: the fields its type needs are present, fields it does not take are
        absent, and quantity (times runs, for drip-feed) is within min and max.

        Raises:
            PanelInputError: A field is invalid; nothing was sent.
            PanelAmbiguousOrderError: The request may have reached the panel but the
                answer was lost; the order may exist. Check before ordering again.
            PanelAPIError: The panel rejected the order (PanelValidationError,
                PanelInsufficientFundsError, PanelDuplicateOrderError, ...).
        """
        values: dict[str, object] = {
            "link": link,
            "quantity": quantity,
            "runs": runs,
            "interval": interval,
            "comments": comments,
            "username": username,
            "min": min,
            "max": max,
            "posts": posts,
            "old_posts": old_posts,
            "delay": delay,
            "expiry": expiry,
            **extra,
        }
        service_id = service.id if isinstance(service, Service) else service
        fields = build_order_fields(id_key(service_id, "service ID"), values)
        if isinstance(service, Service):
            check_order_for_service(service, fields)

        answer = await self._post("add", fields, Safety.WRITE, retry)
        try:
            return _convert.read_order_id(answer)
        except PanelResponseError as exc:
            # The response carried no error message, so the order may exist.
            raise PanelAmbiguousOrderError(
                f"the panel's response to 'add' has no readable order ID ({exc}); "
                "check for the order before sending it again",
                action="add",
                fields=fields,
            ) from exc

    async def status(
        self, order_id: OrderId, *, retry: RetryPolicy | None = None
    ) -> OrderStatus:
        """Fetch one order's status.

        Raises:
            PanelNotFoundError: The panel does not know the order.
        """
        key = id_key(order_id, "order ID")
        answer = await self._post("status", {"order": key}, Safety.READ, retry)
        return _convert.read_order_status(answer, key)

    async def refill(
        self, order_id: OrderId, *, retry: RetryPolicy | None = None
    ) -> RefillId:
        """Ask for a refill of one order and return the refill's ID.

        Sent at most once, like `add`: a lost answer raises PanelAmbiguousOrderError.
        """
        key = id_key(order_id, "order ID")
        answer = await self._post("refill", {"order": key}, Safety.WRITE, retry)
        try:
            return _convert.read_refill_id(answer, key)
        except PanelResponseError as exc:
            raise PanelAmbiguousOrderError(
                f"the panel's response to 'refill' has no readable refill ID ({exc}); "
                "check for the refill before asking again",
                action="refill",
                fields={"order": key},
            ) from exc

    async def refill_status(
        self, refill_id: RefillId, *, retry: RetryPolicy | None = None
    ) -> RefillStatus:
        """Fetch one refill's status."""
        key = id_key(refill_id, "refill ID")
        answer = await self._post("refill_status", {"refill": key}, Safety.READ, retry)
        return _convert.read_refill_status(answer, key)

    async def statuses(
        self,
        order_ids: Iterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> BatchResult[OrderStatus]:
        """Fetch the status of any number of orders, in chunks, concurrently.

        Returns a BatchResult with every distinct ID, keyed as first passed, mapped
        to its OrderStatus or to the PanelError for that ID. `on_progress` is called
        after each chunk with (IDs done, IDs in total, IDs failed).

        Raises:
            PanelInputError: An ID is invalid; nothing was sent.
        """
        return await self._run_batch(_STATUSES, order_ids, retry, on_progress)

    async def refills(
        self,
        order_ids: Iterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> BatchResult[RefillId]:
        """Ask for refills of any number of orders; each value is the refill's ID.

        A chunk whose answer was lost after it may have reached the panel gives its
        IDs a PanelAmbiguousOrderError; such chunks are never resent.
        """
        return await self._run_batch(_REFILLS, order_ids, retry, on_progress)

    async def refill_statuses(
        self,
        refill_ids: Iterable[RefillId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> BatchResult[RefillStatus]:
        """Fetch the status of any number of refills, in chunks, concurrently."""
        return await self._run_batch(_REFILL_STATUSES, refill_ids, retry, on_progress)

    async def cancel(
        self,
        order_ids: Iterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> BatchResult[bool]:
        """Cancel any number of orders; the value is True for each accepted cancel.

        Like `refills()`, a chunk whose answer was lost is never resent: its IDs get
        a PanelAmbiguousOrderError.
        """
        return await self._run_batch(_CANCELS, order_ids, retry, on_progress)

    def iter_statuses(
        self,
        order_ids: Iterable[OrderId] | AsyncIterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncGenerator[tuple[OrderId, OrderStatus | PanelError], None]:
        """Yield (order ID, status or error) as chunks complete.

        Reads `order_ids` (sync or async) lazily and keeps at most `max_concurrency`
        chunks in flight, so memory stays bounded for any number of IDs. Duplicates
        are folded only within a chunk. Leaving the loop early cancels what is in
        flight; wrap the iterator in `contextlib.aclosing()` to make that immediate.
        """
        return self._stream(_STATUSES, order_ids, retry, on_progress)

    def iter_refills(
        self,
        order_ids: Iterable[OrderId] | AsyncIterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncGenerator[tuple[OrderId, RefillId | PanelError], None]:
        """Yield (order ID, refill ID or error) per chunk; see iter_statuses."""
        return self._stream(_REFILLS, order_ids, retry, on_progress)

    def iter_refill_statuses(
        self,
        refill_ids: Iterable[RefillId] | AsyncIterable[RefillId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncGenerator[tuple[RefillId, RefillStatus | PanelError], None]:
        """Yield (refill ID, status or error) as chunks complete; see iter_statuses."""
        return self._stream(_REFILL_STATUSES, refill_ids, retry, on_progress)

    def iter_cancels(
        self,
        order_ids: Iterable[OrderId] | AsyncIterable[OrderId],
        *,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncGenerator[tuple[OrderId, bool | PanelError], None]:
        """Yield (order ID, True or error) as chunks complete; see iter_statuses."""
        return self._stream(_CANCELS, order_ids, retry, on_progress)

    def poll(
        self,
        order_ids: Iterable[OrderId],
        *,
        interval: float = 60.0,
        until: Callable[[OrderStatus], bool] | None = None,
        deadline: float | None = None,
        max_failures: int = 3,
        retry: RetryPolicy | None = None,
    ) -> AsyncGenerator[PollEvent, None]:
        """Watch orders until they are final, yielding a PollEvent for each change.

        Every `interval` seconds, fetches (in chunks, like `iter_statuses`) only the
        orders for which `until(status)` is not yet true (by default, the orders
        that are not final: see `OrderStatus.is_final`); the first status seen of
        each order counts as a change. An order whose status fails `max_failures`
        times in a row is reported once with its error and no longer fetched. Ends
        when no order is left or when the next round would start after `deadline`
        seconds.

        Raises:
            PanelInputError: An ID or argument is invalid; nothing was sent.
        """
        self._check_open()

        def fetch(
            ids: Iterable[OrderId],
        ) -> AsyncIterator[tuple[OrderId, OrderStatus | PanelError]]:
            return self.iter_statuses(ids, retry=retry)

        return poll_statuses(
            fetch,
            order_ids,
            interval=interval,
            until=_is_final if until is None else until,
            deadline=deadline,
            max_failures=max_failures,
        )

    async def _run_batch(
        self,
        spec: BatchAction[T],
        ids: Iterable[OrderId],
        retry: RetryPolicy | None,
        on_progress: ProgressCallback | None,
    ) -> BatchResult[T]:
        self._check_open()
        return await self._batcher.run(spec, ids, retry=retry, on_progress=on_progress)

    async def _stream(
        self,
        spec: BatchAction[T],
        ids: Iterable[OrderId] | AsyncIterable[OrderId],
        retry: RetryPolicy | None,
        on_progress: ProgressCallback | None,
    ) -> AsyncGenerator[tuple[OrderId, T | PanelError], None]:
        self._check_open()
        stream = self._batcher.stream(spec, ids, retry=retry, on_progress=on_progress)
        try:
            async for item in stream:
                yield item
        finally:
            await stream.aclose()
