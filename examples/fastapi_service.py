"""A shop's order service: a FastAPI app that proxies orders to one SMM panel.

Run it against the simulator (or a real panel), from the repository's root:

    panel-async simulate --seeded-orders 1000     # in one shell; paste its export line
    uvicorn examples.fastapi_service:app

The app opens one PanelClient when it starts and closes it when it stops, so every
request shares its connections and its limits on the panel. Endpoints:

    GET  /services                 the catalogue
    POST /orders                   place an order: {"service": 1, "link": ..., ...}
    GET  /orders/{order_id}        one order's status
    POST /orders/statuses          many statuses: {"order_ids": [1, 2, 3]}

The panel's errors become HTTP statuses: a mistake in the customer's order is 422, an
unknown order 404, a duplicate 409, the panel's rate limit 429, an order whose response
was lost 503 (do not resend it), and every other failure of the panel 502.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from typing import Annotated, cast

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from panel_async import (
    OrderStatus,
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelClient,
    PanelDuplicateOrderError,
    PanelError,
    PanelInputError,
    PanelNotFoundError,
    PanelRateLimitError,
    PanelValidationError,
    Service,
)

logger = logging.getLogger("shop")

# One call may ask for this many statuses: ten requests to the panel.
MAX_IDS_PER_CALL = 1000

#: Opens the PanelClient that the app shares; closed when the app stops.
ClientFactory = Callable[[], AbstractAsyncContextManager[PanelClient]]

# Panel errors caused by the customer's request. Any other PanelAPIError (a bad key,
# the shop's balance running out) is the shop's problem, so it becomes a 502.
_CLIENT_ERROR_STATUS: tuple[tuple[type[PanelAPIError], int], ...] = (
    (PanelNotFoundError, 404),
    (PanelDuplicateOrderError, 409),
    (PanelValidationError, 422),
    (PanelRateLimitError, 429),
)

_AMBIGUOUS_DETAIL = (
    "The panel's response was lost, so the order may or may not have been placed. "
    "Do not send it again: check the order list for this link first."
)
_UNAVAILABLE_DETAIL = "The order service is unavailable; try again later."


class ServiceOut(BaseModel):
    """One service of the catalogue; `rate` is the price per 1000 units."""

    id: int | str
    name: str
    type: str
    category: str
    rate: Decimal
    min: int | None
    max: int | None

    @classmethod
    def of(cls, service: Service) -> ServiceOut:
        return cls(
            id=service.id,
            name=service.name,
            type=service.type,
            category=service.category,
            rate=service.rate,
            min=service.min,
            max=service.max,
        )


class OrderIn(BaseModel):
    """An order; which fields a service needs depends on its type."""

    service: int | str
    link: str | None = None
    quantity: int | None = Field(default=None, ge=1)
    runs: int | None = Field(default=None, ge=1)
    interval: int | None = Field(default=None, ge=1)
    comments: list[str] | None = None
    usernames: list[str] | None = None
    username: str | None = None


class OrderCreated(BaseModel):
    order_id: int | str


class StatusOut(BaseModel):
    """An order's status; `charge` is an exact decimal."""

    status: str
    raw_status: str
    final: bool
    charge: Decimal | None
    start_count: int | None
    remains: int | None
    currency: str | None

    @classmethod
    def of(cls, status: OrderStatus) -> StatusOut:
        return cls(
            status=status.status.value,
            raw_status=status.raw_status,
            final=status.is_final,
            charge=status.charge,
            start_count=status.start_count,
            remains=status.remains,
            currency=status.currency,
        )


class StatusesIn(BaseModel):
    order_ids: list[int | str] = Field(min_length=1, max_length=MAX_IDS_PER_CALL)


class ErrorOut(BaseModel):
    detail: str
    type: str


class StatusesOut(BaseModel):
    """The outcome of every requested ID, keyed by the ID as text."""

    statuses: dict[str, StatusOut]
    errors: dict[str, ErrorOut]


def get_panel(request: Request) -> PanelClient:
    """Return the app's shared PanelClient."""
    return cast(PanelClient, request.app.state.panel)


Panel = Annotated[PanelClient, Depends(get_panel)]
router = APIRouter()


@router.get("/services")
async def list_services(panel: Panel) -> list[ServiceOut]:
    """List the panel's services, from a copy cached for five minutes."""
    catalogue = await panel.services_by_id()
    return [ServiceOut.of(service) for service in catalogue.values()]


@router.post("/orders", status_code=201)
async def place_order(order: OrderIn, panel: Panel) -> OrderCreated:
    """Place an order, checked against its service before it is sent."""
    catalogue = await panel.services_by_id()
    service = catalogue.get(str(order.service))
    if service is None:
        raise HTTPException(404, f"service {order.service} does not exist")

    fields = order.model_dump(exclude={"service"}, exclude_none=True)
    order_id = await panel.add(service=service, **fields)
    logger.info("placed order %s for service %s", order_id, service.id)
    return OrderCreated(order_id=order_id)


@router.get("/orders/{order_id}")
async def get_status(order_id: str, panel: Panel) -> StatusOut:
    """Return one order's status."""
    return StatusOut.of(await panel.status(order_id))


@router.post("/orders/statuses")
async def get_statuses(body: StatusesIn, panel: Panel) -> StatusesOut:
    """Return the status of many orders; an ID that failed has its own error."""
    result = await panel.statuses(body.order_ids)
    statuses: dict[str, StatusOut] = {}
    errors: dict[str, ErrorOut] = {}
    for order_id, value in result.items():
        if isinstance(value, PanelError):
            errors[str(order_id)] = ErrorOut(
                detail=value.message, type=type(value).__name__
            )
        else:
            statuses[str(order_id)] = StatusOut.of(value)
    return StatusesOut(statuses=statuses, errors=errors)


def _error(status_code: int, detail: str, error: Exception) -> JSONResponse:
    body = {"detail": detail, "type": type(error).__name__}
    return JSONResponse(body, status_code=status_code)


def _add_error_handlers(app: FastAPI) -> None:
    """Map the client's exceptions to HTTP responses; the most specific class wins."""

    @app.exception_handler(PanelInputError)
    async def invalid_order(request: Request, error: PanelInputError) -> JSONResponse:
        return _error(422, str(error), error)

    @app.exception_handler(PanelAmbiguousOrderError)
    async def lost_response(
        request: Request, error: PanelAmbiguousOrderError
    ) -> JSONResponse:
        logger.error("order may or may not exist, check it by hand: %s", error.fields)
        return _error(503, _AMBIGUOUS_DETAIL, error)

    @app.exception_handler(PanelAPIError)
    async def panel_rejected(request: Request, error: PanelAPIError) -> JSONResponse:
        for error_class, status_code in _CLIENT_ERROR_STATUS:
            if isinstance(error, error_class):
                response = _error(status_code, error.message, error)
                if isinstance(error, PanelRateLimitError) and error.retry_after:
                    retry_after = str(math.ceil(error.retry_after))
                    response.headers["Retry-After"] = retry_after
                return response
        logger.error("the panel rejected %s: %s", error.action, error.message)
        return _error(502, _UNAVAILABLE_DETAIL, error)

    @app.exception_handler(PanelError)
    async def panel_failed(request: Request, error: PanelError) -> JSONResponse:
        logger.error("the panel failed on %s: %s", error.action, error)
        return _error(502, _UNAVAILABLE_DETAIL, error)


def client_from_environment() -> PanelClient:
    """Open a client for the panel named by PANEL_URL and PANEL_KEY."""
    return PanelClient(os.environ["PANEL_URL"], os.environ["PANEL_KEY"])


def create_app(open_client: ClientFactory = client_from_environment) -> FastAPI:
    """Build the app; `open_client` is called once, when the app starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_client() as panel:
            app.state.panel = panel
            yield

    app = FastAPI(title="Shop orders", lifespan=lifespan)
    app.include_router(router)
    _add_error_handlers(app)
    return app


app = create_app()
