"""FakePanel: an in-memory SMM panel that speaks API v2 as a raw ASGI 3 application."""

from __future__ import annotations

import asyncio
import collections
import hmac
import logging
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal

import httpx

from panel_async._constants import MAX_IDS_PER_REQUEST
from panel_async.testing._actions import Actions, error_response
from panel_async.testing._asgi import (
    BodyTooLarge,
    parse_form,
    read_body,
    redirect_target,
    serve_lifespan,
)
from panel_async.testing._clock import Clock, MonotonicClock
from panel_async.testing._dialect import Dialect
from panel_async.testing._faults import FaultKind, FaultPlan, FaultRoller
from panel_async.testing._ledger import Ledger, Lifecycle
from panel_async.testing._limits import RateLimiter, ThrottleEvent, ThrottleReason
from panel_async.testing._outcomes import ActionError
from panel_async.testing._records import Order, Refill
from panel_async.testing._render import Renderer
from panel_async.testing._responses import (
    Receive,
    Response,
    Scope,
    Send,
    challenge_page,
    proxy_error_page,
    too_many_requests,
)
from panel_async.testing._seeding import seed_orders
from panel_async.testing._services import Service, default_services
from panel_async.testing._views import (
    LiveView,
    OrderView,
    RefillView,
    view_order,
    view_refill,
)

__all__ = ["FakePanel"]

logger = logging.getLogger("panel_async.testing")

# Bytes. A status request for 100 IDs is about 1 KB; a Custom Comments order with
# thousands of lines stays well below 1 MiB.
_MAX_BODY_BYTES = 1024 * 1024


class FakePanel:
    """An in-memory SMM panel that implements every API v2 action.

    The panel is a raw ASGI 3 application: serve it with `serve()` or call
    `transport()` for an in-process httpx transport. It accepts a form-encoded POST
    on any path. Orders move from Pending to In progress after `start_after`
    seconds and to Completed, or Partial for a `partial_ratio` share, after
    `finish_after` seconds of the panel's `clock`. Refills finish after
    `refill_after` seconds, a `reject_ratio` share of them Rejected. All amounts are
    `Decimal`, and charges are rounded to five decimal places.

    Args:
        key: the valid API key.
        seed: seed of every random choice of the panel (outcomes, start counts,
            seeded orders, mixed number styles).
        seeded_orders: how many orders, with IDs 1 to N, to create in a mix of
            states. They do not change the balance.
        balance: the account's starting balance.
        currency: the balance's currency code.
        clock: an object with `now()` in seconds; `MonotonicClock()` when None.
        dialect: how responses are written; `Dialect.standard()` when None.
        faults: which faults to inject; none when None.
        latency: seconds to wait before handling each request.
        max_in_flight: respond with HTTP 429 when more requests than this are in flight.
        rate_limit: requests per second per key, above which the panel sends 429.
        max_ids: IDs per multi request, above which the panel responds with an error
            (unless the dialect sets its own cap).
        services: the catalogue; `default_services()` when None.
        one_active_order_per_link: reject an order while an earlier order for the
            same link and service is not final.
        record_delay: seconds after `add` during which the new order is not found.

    Raises:
        ValueError: for negative timings, ratios outside [0, 1] or a bad limit.
        TypeError: for a float balance, because money must stay exact.
    """

    def __init__(
        self,
        *,
        key: str = "test-key",
        seed: int = 0,
        seeded_orders: int = 0,
        balance: Decimal | int | str = Decimal("1000"),
        currency: str = "USD",
        clock: Clock | None = None,
        dialect: Dialect | None = None,
        faults: FaultPlan | None = None,
        latency: float = 0.0,
        max_in_flight: int | None = None,
        rate_limit: float | None = None,
        max_ids: int = MAX_IDS_PER_REQUEST,
        services: Iterable[Service] | None = None,
        one_active_order_per_link: bool = True,
        start_after: float = 5.0,
        finish_after: float = 60.0,
        refill_after: float = 30.0,
        partial_ratio: float = 0.1,
        reject_ratio: float = 0.1,
        record_delay: float = 0.0,
    ) -> None:
        _check_limits(seeded_orders, latency, max_in_flight, max_ids)

        self._key = key
        self._seed = seed
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        self.latency = latency
        self.max_in_flight = max_in_flight
        self._max_ids = max_ids
        self._limiter = None if rate_limit is None else RateLimiter(rate_limit)

        self._ledger = Ledger(
            services=default_services() if services is None else services,
            balance=_to_money(balance),
            lifecycle=Lifecycle(
                start_after=start_after,
                finish_after=finish_after,
                refill_after=refill_after,
                partial_ratio=partial_ratio,
                reject_ratio=reject_ratio,
                record_delay=record_delay,
            ),
            seed=seed,
            one_active_order_per_link=one_active_order_per_link,
        )

        self._currency = currency
        self.dialect = dialect if dialect is not None else Dialect.standard()
        self.faults = faults if faults is not None else FaultPlan()

        self._lock = threading.Lock()
        self._requests: collections.Counter[str] = collections.Counter()
        self._faults_injected: collections.Counter[str] = collections.Counter()
        self._throttled: list[ThrottleEvent] = []
        self._in_flight = 0
        self._stalls: set[asyncio.Event] = set()

        if seeded_orders:
            seed_orders(self._ledger, seeded_orders, self.clock.now())

    @property
    def dialect(self) -> Dialect:
        """How responses are written. Setting it changes later responses."""
        return self._actions.dialect

    @dialect.setter
    def dialect(self, dialect: Dialect) -> None:
        renderer = Renderer(dialect, self._currency, self._seed)
        self._actions = Actions(self._ledger, renderer, self._max_ids)

    @property
    def faults(self) -> FaultPlan:
        """The fault plan. Setting it restarts the draws from the plan's seed."""
        return self._roller.plan

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self._roller = FaultRoller(plan)

    @property
    def max_ids(self) -> int:
        """The panel's cap on IDs per multi request, unless the dialect sets one."""
        return self._actions.max_ids

    @property
    def services(self) -> tuple[Service, ...]:
        """The catalogue."""
        return tuple(self._ledger.services.values())

    @property
    def balance(self) -> Decimal:
        """The balance now, after the refunds of orders that ended Partial."""
        with self._lock:
            self._ledger.settle(self.clock.now())
            return self._ledger.balance

    @property
    def orders(self) -> Mapping[int, OrderView]:
        """A read-only mapping of order ID to a snapshot taken on each lookup."""
        return LiveView[Order, OrderView](self._ledger.orders, self._view_order)

    @property
    def refills(self) -> Mapping[int, RefillView]:
        """A read-only mapping of refill ID to a snapshot taken on each lookup."""
        return LiveView[Refill, RefillView](self._ledger.refills, self._view_refill)

    @property
    def orders_created(self) -> int:
        """How many orders `add` has created; seeded orders are not counted."""
        return self._ledger.orders_created

    @property
    def requests(self) -> Mapping[str, int]:
        """A copy of the count of requests received, by their `action` field.

        Every request that reached the panel is counted, including those rejected
        with an error, a 429 or a fault, but not those failed by `connect_error`.
        """
        return dict(self._requests)

    @property
    def faults_injected(self) -> Mapping[str, int]:
        """A copy of the count of injected faults, by `FaultKind` value."""
        return dict(self._faults_injected)

    @property
    def throttled(self) -> tuple[ThrottleEvent, ...]:
        """Every HTTP 429 sent so far, oldest first."""
        return tuple(self._throttled)

    @property
    def in_flight(self) -> int:
        """How many requests the panel is handling right now."""
        return self._in_flight

    def transport(self) -> httpx.AsyncBaseTransport:
        """Return an httpx transport that calls this panel in process.

        It raises the httpx errors that a real connection would give for the faults:
        `httpx.ConnectError`, `httpx.ReadError` for a reset, and
        `httpx.ReadTimeout` when the response takes longer than the request's read
        timeout.
        """
        from panel_async.testing._transport import FakeTransport

        return FakeTransport(self)

    def release_stalls(self) -> None:
        """Send every response held back by a `stall` fault now."""
        for event in self._stalls:
            event.set()

    def __repr__(self) -> str:
        return (
            f"FakePanel(orders={len(self._ledger.orders)}, "
            f"balance={self._ledger.balance}, dialect={self.dialect!r})"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await serve_lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"FakePanel serves HTTP only, not {scope['type']!r}")
        try:
            body = await read_body(receive, _MAX_BODY_BYTES)
        except BodyTooLarge:
            logger.debug("rejected a request body over %d bytes", _MAX_BODY_BYTES)
            page = "<html><h1>413 Request Entity Too Large</h1></html>"
            await Response.html(413, page).send(send)
            return
        if body is None:
            logger.debug("client disconnected before sending the whole body")
            return

        form = parse_form(scope, body) if scope["method"] == "POST" else {}
        action = form.get("action", "")
        fault = self._roller.roll(action)
        if fault is FaultKind.CONNECT_ERROR:
            self._note_fault(fault, action)
            # A broken response raises SimulatedDisconnect once its headers are sent.
            await Response.json({}).broken(fault).send(send)

        self._requests[action] += 1
        self._in_flight += 1
        try:
            await self._respond(scope, form, action, fault, send)
        finally:
            self._in_flight -= 1

    async def _respond(
        self,
        scope: Scope,
        form: Mapping[str, str],
        action: str,
        fault: FaultKind | None,
        send: Send,
    ) -> None:
        if self.max_in_flight is not None and self._in_flight > self.max_in_flight:
            await self._throttle("max_in_flight", action, 1).send(send)
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        response = self._gate(scope, form, action, fault)
        if response is None:
            response = self._perform(scope, form, action)
            if fault is not None:
                response = await self._after_action(response, fault, action)
        logger.debug(
            "responded action=%s status=%d fault=%s",
            action,
            response.status,
            fault.value if fault is not None else "none",
        )
        await response.send(send)

    def _gate(
        self,
        scope: Scope,
        form: Mapping[str, str],
        action: str,
        fault: FaultKind | None,
    ) -> Response | None:
        """Return the response of the layers in front of the API, or None to go on."""
        dialect = self.dialect
        if dialect.challenge_status is not None:
            return challenge_page(dialect.challenge_status)
        if dialect.redirect is not None:
            target = redirect_target(scope, to_https=dialect.redirect == "https")
            if target is not None:
                headers = (("location", target),)
                return Response.html(
                    dialect.redirect_status, "<html>Moved</html>", headers
                )
        if fault is not None and not fault.runs_action:
            return self._fault_before_action(fault, action)
        if self._limiter is not None:
            wait = self._limiter.acquire(form.get("key", ""), self.clock.now())
            if wait is not None:
                return self._throttle("rate_limit", action, wait)

        return None

    def _fault_before_action(self, fault: FaultKind, action: str) -> Response:
        self._note_fault(fault, action)
        if fault is FaultKind.HTTP_502 or fault is FaultKind.HTTP_503:
            return proxy_error_page(502 if fault is FaultKind.HTTP_502 else 503)
        if fault is FaultKind.HTTP_429:
            return self._throttle("fault", action, self.faults.retry_after)
        if fault is FaultKind.HTML_CHALLENGE:
            return challenge_page(self.faults.challenge_status)

        return Response.json({}).broken(fault)

    def _perform(self, scope: Scope, form: Mapping[str, str], action: str) -> Response:
        """Check the method and the key, then run the action."""
        try:
            if scope["method"] != "POST":
                raise ActionError("Incorrect request")
            if not hmac.compare_digest(
                form.get("key", "").encode(), self._key.encode()
            ):
                raise ActionError(self.dialect.key_error_message, kind="key")
            with self._lock:
                payload = self._actions.run(action, form, self.clock.now())
        except ActionError as error:
            return error_response(self.dialect, error)

        return Response.json(payload)

    async def _after_action(
        self, response: Response, fault: FaultKind, action: str
    ) -> Response:
        self._note_fault(fault, action)
        if fault is FaultKind.RESET_AFTER:
            return response.broken(fault)
        if fault is FaultKind.TRUNCATED_JSON:
            return response.truncated()
        await self._stall(self.faults.stall_seconds)

        return response

    async def _stall(self, seconds: float) -> None:
        event = asyncio.Event()
        self._stalls.add(event)
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except asyncio.TimeoutError:
            pass
        finally:
            self._stalls.discard(event)

    def _throttle(
        self, reason: ThrottleReason, action: str, retry_after: int
    ) -> Response:
        now = self.clock.now()
        self._throttled.append(ThrottleEvent(reason, action, now, retry_after))
        logger.debug("responded 429 action=%s reason=%s", action, reason)
        extra: tuple[tuple[str, str], ...] = ()
        if reason == "rate_limit" and self._limiter is not None:
            limit = str(int(self._limiter.rate * 60))
            extra = (("x-ratelimit-limit", limit), ("x-ratelimit-remaining", "0"))

        return too_many_requests(retry_after, extra)

    def _note_fault(self, fault: FaultKind, action: str) -> None:
        self._faults_injected[fault.value] += 1
        logger.debug("injecting fault=%s action=%s", fault.value, action)

    def _view_order(self, order: Order) -> OrderView:
        with self._lock:
            return view_order(order, self.clock.now())

    def _view_refill(self, refill: Refill) -> RefillView:
        return view_refill(refill, self.clock.now())


def _to_money(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("balance must be a Decimal, int or str, not a float")

    return Decimal(value)


def _check_limits(
    seeded_orders: int, latency: float, max_in_flight: int | None, max_ids: int
) -> None:
    if seeded_orders < 0:
        raise ValueError(f"seeded_orders must not be negative, got {seeded_orders}")
    if latency < 0:
        raise ValueError(f"latency must not be negative, got {latency}")
    if max_in_flight is not None and max_in_flight < 1:
        raise ValueError(f"max_in_flight must be at least 1, got {max_in_flight}")
    if max_ids < 1:
        raise ValueError(f"max_ids must be at least 1, got {max_ids}")
