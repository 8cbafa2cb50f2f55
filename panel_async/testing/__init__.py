"""A simulated SMM panel for tests and demos: `FakePanel`, its dialects and faults.

`FakePanel` implements the API v2 protocol on its own, without the client's code,
so that tests against it catch the client's mistakes. Use `panel.transport()` with
`httpx.AsyncClient` in process, or `serve(panel)` for a real loopback server.
"""

from __future__ import annotations

from panel_async.testing._clock import Clock, ManualClock, MonotonicClock
from panel_async.testing._dialect import Dialect
from panel_async.testing._faults import FaultKind, FaultPlan
from panel_async.testing._limits import ThrottleEvent
from panel_async.testing._panel import FakePanel
from panel_async.testing._responses import SimulatedDisconnect
from panel_async.testing._server import run, serve
from panel_async.testing._services import (
    PACKAGE_TYPES,
    SERVICE_TYPES,
    Service,
    default_services,
)
from panel_async.testing._views import OrderView, RefillView

__all__ = [
    "PACKAGE_TYPES",
    "SERVICE_TYPES",
    "Clock",
    "Dialect",
    "FakePanel",
    "FaultKind",
    "FaultPlan",
    "ManualClock",
    "MonotonicClock",
    "OrderView",
    "RefillView",
    "Service",
    "SimulatedDisconnect",
    "ThrottleEvent",
    "default_services",
    "run",
    "serve",
]
