"""An asyncio client for the SMM panel API v2, with batching, retries and typed models.

Everything public is importable from here; `panel_async.testing` holds the simulator.
"""

from __future__ import annotations

import logging

from ._batch import ProgressCallback
from ._client import PanelClient
from ._errors import (
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelAuthError,
    PanelClientClosedError,
    PanelDuplicateOrderError,
    PanelError,
    PanelHTMLResponseError,
    PanelInputError,
    PanelInsufficientFundsError,
    PanelMissingIDError,
    PanelNotFoundError,
    PanelRateLimitError,
    PanelRedirectError,
    PanelResponseError,
    PanelTooManyIDsError,
    PanelTransportError,
    PanelValidationError,
)
from ._models import Balance, OrderId, OrderStatus, RefillId, RefillStatus, Service
from ._poll import PollEvent
from ._result import BatchResult
from ._retry import RetryEvent, RetryPolicy
from ._states import OrderState, RefillState
from ._version import __version__

# A library never configures logging; callers attach their own handlers.
logging.getLogger("panel_async").addHandler(logging.NullHandler())

__all__ = [
    "Balance",
    "BatchResult",
    "OrderId",
    "OrderState",
    "OrderStatus",
    "PanelAPIError",
    "PanelAmbiguousOrderError",
    "PanelAuthError",
    "PanelClient",
    "PanelClientClosedError",
    "PanelDuplicateOrderError",
    "PanelError",
    "PanelHTMLResponseError",
    "PanelInputError",
    "PanelInsufficientFundsError",
    "PanelMissingIDError",
    "PanelNotFoundError",
    "PanelRateLimitError",
    "PanelRedirectError",
    "PanelResponseError",
    "PanelTooManyIDsError",
    "PanelTransportError",
    "PanelValidationError",
    "PollEvent",
    "ProgressCallback",
    "RefillId",
    "RefillState",
    "RefillStatus",
    "RetryEvent",
    "RetryPolicy",
    "Service",
    "__version__",
]
